package client

import "testing"

// Test helpers shared with the external test package client_test, whose
// tests serve the usim card (package usim imports client, so those tests
// cannot live in package client).
var (
	HexT      = h
	LoadAuthT = func(t testing.TB) (authExample, milenageSet) { return loadAuth(t) }
)

package apdufuzz

import "testing"

// FuzzRuntime fuzzes the jc runtime itself (T=0) with the well-behaved
// applets: SELECT, channels, GET RESPONSE, transactions, power loss and the
// PIN counters.
func FuzzRuntime(f *testing.F) {
	Fuzz(f, wellBehaved(false), wellBehavedConfig())
}

// FuzzRuntimeT1 is FuzzRuntime with T=1 response rules.
func FuzzRuntimeT1(f *testing.F) {
	fz := New(wellBehaved(true), wellBehavedConfig())
	fz.Seeds(f)
	f.Fuzz(fz.Fuzz)
}

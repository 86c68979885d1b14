// Package deps pins the module's approved dependencies so that go.mod keeps
// them while the packages that use them are being written. It is never
// imported by library code.
package deps

import (
	_ "github.com/google/go-cmp/cmp"
	_ "go.etcd.io/bbolt"
	_ "golang.org/x/crypto/chacha20poly1305"
	_ "golang.org/x/crypto/cryptobyte"
	_ "golang.org/x/crypto/hkdf"
	_ "golang.org/x/crypto/nacl/box"
)

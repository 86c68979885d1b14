package keystore

import (
	"crypto/subtle"
	"fmt"
)

// redacted is what every key type prints instead of its value.
const redacted = "REDACTED"

// Key128 is a 128-bit subscriber secret: the subscriber key K or the
// operator-variant OPc of 3GPP TS 35.206 §2 (Milenage), both 128 bits
// (TS 33.102 §6.3.7). Its value never leaves through fmt: String, GoString
// and Format print a redacted placeholder for every verb.
type Key128 [16]byte

// String returns a redacted placeholder; a wiped (all-zero) key says so.
func (k Key128) String() string {
	if k.IsZero() {
		return "Key128(zero)"
	}
	return "Key128(" + redacted + ")"
}

// GoString returns the same redacted placeholder as String, for %#v.
func (k Key128) GoString() string { return "keystore." + k.String() }

// Format implements fmt.Formatter so that no verb (%x, %d, %v, ...) prints
// the key bytes.
func (k Key128) Format(f fmt.State, verb rune) { formatRedacted(f, verb, k.String()) }

// IsZero reports whether the key is all zero, as a wiped key is.
func (k *Key128) IsZero() bool {
	var z Key128
	return subtle.ConstantTimeCompare(k[:], z[:]) == 1
}

// Equal compares two keys in constant time.
func (k Key128) Equal(o Key128) bool { return subtle.ConstantTimeCompare(k[:], o[:]) == 1 }

// Wipe overwrites the key with zeros.
func (k *Key128) Wipe() { clear(k[:]) }

// formatRedacted writes s for any verb, honouring %#v's Go syntax prefix.
func formatRedacted(f fmt.State, verb rune, s string) {
	if verb == 'v' && f.Flag('#') {
		s = "keystore." + s
	}
	_, _ = f.Write([]byte(s))
}

package jc

import (
	"encoding/hex"
	"errors"
	"fmt"
)

// ErrBadAID reports an application identifier outside 5..16 bytes.
var ErrBadAID = errors.New("jc: AID must be 5 to 16 bytes")

// AID is an application identifier, RID ‖ PIX (ISO/IEC 7816-4 §8.2.1.2,
// ETSI TS 101 220 §4.1): a 5-byte registered application provider
// identifier followed by up to 11 bytes of proprietary extension. It is a
// comparable value; the zero AID is empty.
type AID struct {
	b [16]byte
	n uint8
}

// NewAID validates and copies b (5..16 bytes).
func NewAID(b []byte) (AID, error) {
	var a AID
	if len(b) < 5 || len(b) > 16 {
		return a, fmt.Errorf("%w, got %d", ErrBadAID, len(b))
	}
	a.n = uint8(copy(a.b[:], b))
	return a, nil
}

// ParseAIDHex parses an AID written in hex ("A0000000871002...").
func ParseAIDHex(s string) (AID, error) {
	b, err := hex.DecodeString(s)
	if err != nil {
		return AID{}, fmt.Errorf("%w: %v", ErrBadAID, err)
	}
	return NewAID(b)
}

// MustAID is ParseAIDHex for constants; it panics on a malformed literal.
func MustAID(s string) AID {
	a, err := ParseAIDHex(s)
	if err != nil {
		panic(err)
	}
	return a
}

// Len returns the AID's length in bytes (0 for the zero AID).
func (a AID) Len() int { return int(a.n) }

// IsZero reports the empty AID.
func (a AID) IsZero() bool { return a.n == 0 }

// Append appends the AID's bytes to dst.
func (a AID) Append(dst []byte) []byte { return append(dst, a.b[:a.n]...) }

// Bytes returns a fresh copy of the AID's bytes.
func (a AID) Bytes() []byte { return a.Append(nil) }

// RID returns the registered application provider identifier, the first 5
// bytes (ISO/IEC 7816-5).
func (a AID) RID() [5]byte { return [5]byte(a.b[:5]) }

// PIX returns a copy of the proprietary application identifier extension.
func (a AID) PIX() []byte {
	if a.n <= 5 {
		return nil
	}
	return append([]byte(nil), a.b[5:a.n]...)
}

// Equal reports whether b is exactly this AID.
func (a AID) Equal(b []byte) bool {
	return len(b) == int(a.n) && string(a.b[:a.n]) == string(b)
}

// HasPrefix reports whether b is a right-truncated form of this AID
// (partial DF name selection, ISO/IEC 7816-4 §7.1.1).
func (a AID) HasPrefix(b []byte) bool {
	return len(b) <= int(a.n) && string(a.b[:len(b)]) == string(b)
}

// String renders the AID in upper-case hex.
func (a AID) String() string { return fmt.Sprintf("%X", a.b[:a.n]) }

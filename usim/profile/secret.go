package profile

import (
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// Key128 is a 128-bit secret (K, OP, OPc, an OTA key) written as 32 hex
// digits in the profile. It never prints its value.
type Key128 [16]byte

// String returns a redacted placeholder.
func (Key128) String() string { return "Key128(redacted)" }

// GoString returns a redacted placeholder.
func (Key128) GoString() string { return "profile.Key128(redacted)" }

// Format prints the redacted placeholder for every verb.
func (k Key128) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(k.String())) }

// MarshalText writes the key as lower-case hex (the profile file is the
// key's home).
func (k Key128) MarshalText() ([]byte, error) { return []byte(hex.EncodeToString(k[:])), nil }

// UnmarshalText parses 32 hex digits.
func (k *Key128) UnmarshalText(b []byte) error {
	s := strings.TrimSpace(string(b))
	if len(s) != 32 {
		return fmt.Errorf("want 32 hex digits, got %d characters", len(s))
	}
	if _, err := hex.Decode(k[:], []byte(s)); err != nil {
		return errors.New("not hex")
	}
	return nil
}

// IsZero reports whether the key is all zero (unset).
func (k Key128) IsZero() bool { return k == Key128{} }

// Secret is a variable-length secret (PIN, PUK, ADM value, 3DES/AES key)
// written as text in the profile. It never prints its value.
type Secret string

// String returns a redacted placeholder.
func (Secret) String() string { return "Secret(redacted)" }

// GoString returns a redacted placeholder.
func (Secret) GoString() string { return "profile.Secret(redacted)" }

// Format prints the redacted placeholder for every verb.
func (s Secret) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(s.String())) }

// HexBytes is a byte string written as hex in the profile.
type HexBytes []byte

// MarshalText writes lower-case hex.
func (h HexBytes) MarshalText() ([]byte, error) { return []byte(hex.EncodeToString(h)), nil }

// UnmarshalText parses hex, ignoring spaces.
func (h *HexBytes) UnmarshalText(b []byte) error {
	s := strings.ReplaceAll(string(b), " ", "")
	v, err := hex.DecodeString(s)
	if err != nil {
		return errors.New("not an even-length hex string")
	}
	*h = v
	return nil
}

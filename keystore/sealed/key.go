package sealed

import (
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"io"

	"golang.org/x/crypto/chacha20poly1305"
	"golang.org/x/crypto/hkdf"
)

// MasterKey is the 256-bit secret a store is opened with. The record key is
// derived from it with HKDF-SHA256 (RFC 5869 §2) over the store's random
// salt, so the same master key seals different files under different keys
// and a record copied between files does not open. It prints redacted.
type MasterKey [chacha20poly1305.KeySize]byte

// NewMasterKey returns a fresh master key from crypto/rand.
func NewMasterKey() (MasterKey, error) {
	var k MasterKey
	if _, err := rand.Read(k[:]); err != nil {
		return MasterKey{}, fmt.Errorf("sealed: reading a master key from crypto/rand: %w", err)
	}
	return k, nil
}

// String returns a redacted placeholder.
func (MasterKey) String() string { return "sealed.MasterKey(REDACTED)" }

// GoString returns a redacted placeholder.
func (k MasterKey) GoString() string { return k.String() }

// Format implements fmt.Formatter so that no verb prints the key.
func (k MasterKey) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, k.String()) }

// Wipe zeroes the key.
func (k *MasterKey) Wipe() { clear(k[:]) }

// hkdfInfo names the derived key's purpose (RFC 5869 §3.2).
const hkdfInfo = "uiccsim keystore/sealed v1 record key"

// deriveRecordKey expands master and salt into the XChaCha20-Poly1305 key.
func deriveRecordKey(master *MasterKey, salt []byte) ([]byte, error) {
	key := make([]byte, chacha20poly1305.KeySize)
	if _, err := io.ReadFull(hkdf.New(sha256.New, master[:], salt, []byte(hkdfInfo)), key); err != nil {
		return nil, fmt.Errorf("sealed: deriving the record key: %w", err)
	}
	return key, nil
}

package keystore

import (
	"crypto/subtle"
	"fmt"
	"strconv"
)

// Algorithm is the cipher of an OTA key, the algorithm part (b1–b4) of the
// KIc and KID bytes of ETSI TS 102 225 §5.1.2 together with the key length
// that, for AES, the key itself implies. The zero value is invalid.
type Algorithm uint8

// OTA key algorithms of ETSI TS 102 225 §5.1.2 (KIc: DES-CBC, triple DES
// outer-CBC with two or three keys, AES-CBC; KID: the same ciphers in
// CBC-MAC or, for AES, CMAC mode).
const (
	AlgDES    Algorithm = iota + 1 // single DES, 8-byte key (b2b1=01, b4b3=00)
	Alg3DES2                       // triple DES with two keys, 16 bytes (b2b1=01, b4b3=01)
	Alg3DES3                       // triple DES with three keys, 24 bytes (b2b1=01, b4b3=10)
	AlgAES128                      // AES, 16-byte key (b2b1=10)
	AlgAES192                      // AES, 24-byte key (b2b1=10)
	AlgAES256                      // AES, 32-byte key (b2b1=10)
)

var algNames = [...]string{
	AlgDES:    "DES",
	Alg3DES2:  "3DES-2KEY",
	Alg3DES3:  "3DES-3KEY",
	AlgAES128: "AES-128",
	AlgAES192: "AES-192",
	AlgAES256: "AES-256",
}

var algKeyLens = [...]int{AlgDES: 8, Alg3DES2: 16, Alg3DES3: 24, AlgAES128: 16, AlgAES192: 24, AlgAES256: 32}

// Valid reports whether a is one of the defined algorithms.
func (a Algorithm) Valid() bool { return a >= AlgDES && a <= AlgAES256 }

// KeyLen returns the key length in bytes, 0 for an invalid algorithm.
func (a Algorithm) KeyLen() int {
	if !a.Valid() {
		return 0
	}
	return algKeyLens[a]
}

// String returns the algorithm's name, e.g. "3DES-2KEY" or "AES-128".
func (a Algorithm) String() string {
	if !a.Valid() {
		return "Algorithm(" + strconv.Itoa(int(a)) + ")"
	}
	return algNames[a]
}

// MaxOTAKeyLen is the longest OTA key, AES-256.
const MaxOTAKeyLen = 32

// OTAKey is one OTA key (KIc or KID of ETSI TS 102 225 §5.1.2) with its
// algorithm. The key bytes are unexported and redacted by every fmt verb;
// read them with Bytes.
type OTAKey struct {
	Alg Algorithm
	val [MaxOTAKeyLen]byte
}

// NewOTAKey returns the key b for algorithm alg; b's length must match
// alg.KeyLen(). b is copied.
func NewOTAKey(alg Algorithm, b []byte) (OTAKey, error) {
	if !alg.Valid() {
		return OTAKey{}, fmt.Errorf("%w: OTA key algorithm %d unknown", ErrInvalid, uint8(alg))
	}
	if len(b) != alg.KeyLen() {
		return OTAKey{}, fmt.Errorf("%w: %s key is %d bytes, got %d", ErrInvalid, alg, alg.KeyLen(), len(b))
	}
	var k OTAKey
	k.Alg = alg
	copy(k.val[:], b)
	return k, nil
}

// Bytes returns the key bytes, aliasing k; its length is k.Alg.KeyLen().
func (k *OTAKey) Bytes() []byte { return k.val[:k.Alg.KeyLen()] }

// Equal compares algorithm and key bytes in constant time.
func (k OTAKey) Equal(o OTAKey) bool {
	return k.Alg == o.Alg && subtle.ConstantTimeCompare(k.val[:], o.val[:]) == 1
}

// Wipe zeroes the key bytes; the algorithm stays.
func (k *OTAKey) Wipe() { clear(k.val[:]) }

// String names the algorithm and redacts the key.
func (k OTAKey) String() string { return k.Alg.String() + "(" + redacted + ")" }

// GoString is String with the package prefix, for %#v.
func (k OTAKey) GoString() string { return "keystore.OTAKey{" + k.String() + "}" }

// Format implements fmt.Formatter so that no verb prints the key bytes.
func (k OTAKey) Format(f fmt.State, verb rune) { formatRedacted(f, verb, "OTAKey{"+k.String()+"}") }

// MaxCounter is the largest replay counter: CNTR is 5 bytes, ETSI TS 102 225
// §5.1.1.
const MaxCounter = 1<<40 - 1

// OTAKeySet is one set of OTA keys of a pair: the key version number that
// selects it (b8–b5 of KIc and KID, ETSI TS 102 225 §5.1.2; 1–15 as in
// ETSI TS 102 226 §8.2.1.3), the ciphering key KIc, the integrity key KID,
// and the counter value the set starts from (CNTR, TS 102 225 §5.1.1).
type OTAKeySet struct {
	KVN     uint8
	KIc     OTAKey
	KID     OTAKey
	Counter uint64
}

// Validate checks the key version number, both algorithms and the counter.
func (s *OTAKeySet) Validate() error {
	if s.KVN < 1 || s.KVN > 15 {
		return fmt.Errorf("%w: OTA key version number %d outside 1..15", ErrInvalid, s.KVN)
	}
	if !s.KIc.Alg.Valid() {
		return fmt.Errorf("%w: KVN %d: KIc algorithm %d unknown", ErrInvalid, s.KVN, uint8(s.KIc.Alg))
	}
	if !s.KID.Alg.Valid() {
		return fmt.Errorf("%w: KVN %d: KID algorithm %d unknown", ErrInvalid, s.KVN, uint8(s.KID.Alg))
	}
	if s.Counter > MaxCounter {
		return fmt.Errorf("%w: KVN %d: counter %d exceeds 5 bytes", ErrInvalid, s.KVN, s.Counter)
	}
	return nil
}

// Equal compares two sets, keys in constant time.
func (s OTAKeySet) Equal(o OTAKeySet) bool {
	return s.KVN == o.KVN && s.Counter == o.Counter && s.KIc.Equal(o.KIc) && s.KID.Equal(o.KID)
}

// Wipe zeroes both keys and the counter.
func (s *OTAKeySet) Wipe() {
	s.KIc.Wipe()
	s.KID.Wipe()
	s.Counter = 0
}

// String prints the set's public parts and redacts both keys.
func (s OTAKeySet) String() string {
	return "OTAKeySet{KVN " + strconv.Itoa(int(s.KVN)) + ", KIc " + s.KIc.String() +
		", KID " + s.KID.String() + ", CNTR " + strconv.FormatUint(s.Counter, 10) + "}"
}

// GoString is String with the package prefix, for %#v.
func (s OTAKeySet) GoString() string { return "keystore." + s.String() }

// Format implements fmt.Formatter so that no verb prints key bytes.
func (s OTAKeySet) Format(f fmt.State, verb rune) { formatRedacted(f, verb, s.String()) }

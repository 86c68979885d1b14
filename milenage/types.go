package milenage

import (
	"crypto/subtle"
	"encoding/binary"
	"encoding/hex"
	"fmt"
)

// Key is a 128-bit secret of the authentication functions: the subscriber
// key K, the operator variant OP or OPc (TS 35.206 §2.2, §4.1), or a derived
// cipher/integrity key CK or IK (TS 33.102 §6.3.2). It never prints its
// value: String, GoString and every fmt verb show "Key(redacted)".
type Key [16]byte

// String returns a redacted placeholder; a Key is never printed.
func (Key) String() string { return "Key(redacted)" }

// GoString returns a redacted placeholder, so %#v does not leak the key.
func (Key) GoString() string { return "milenage.Key(redacted)" }

// Format prints the redacted placeholder for every verb (%x and %d included).
func (k Key) Format(f fmt.State, verb rune) { _, _ = f.Write([]byte(k.String())) }

// ParseKey decodes a 16-byte key (K, OP or OPc of TS 35.206 §2.2).
func ParseKey(b []byte) (Key, error) {
	var k Key
	if len(b) != len(k) {
		return k, fmt.Errorf("%w: key is %d bytes, want 16", ErrLength, len(b))
	}
	copy(k[:], b)
	return k, nil
}

// Kc is the 64-bit GSM cipher key (TS 33.102 §6.8.1.2, conversion c3). Like
// Key it never prints its value.
type Kc [8]byte

// String returns a redacted placeholder; a Kc is never printed.
func (Kc) String() string { return "Kc(redacted)" }

// GoString returns a redacted placeholder.
func (Kc) GoString() string { return "milenage.Kc(redacted)" }

// Format prints the redacted placeholder for every verb.
func (k Kc) Format(f fmt.State, verb rune) { _, _ = f.Write([]byte(k.String())) }

// RAND is the 128-bit random challenge (TS 33.102 §6.3.2).
type RAND [16]byte

// String returns RAND as lower-case hex.
func (r RAND) String() string { return hex.EncodeToString(r[:]) }

// SQN is a 48-bit sequence number (TS 33.102 §6.3.2, Annex C), held in the
// low 48 bits. With the Annex C scheme it is SEQ ‖ IND; see SQNScheme.
type SQN uint64

// MaxSQN is the largest 48-bit sequence number.
const MaxSQN SQN = 1<<48 - 1

// String returns SQN as 12 lower-case hex digits.
func (s SQN) String() string {
	var b [6]byte
	s.put(&b)
	return hex.EncodeToString(b[:])
}

// Append appends the 6-byte big-endian encoding of SQN (TS 33.102 §6.3.2).
func (s SQN) Append(dst []byte) []byte {
	var b [6]byte
	s.put(&b)
	return append(dst, b[:]...)
}

func (s SQN) put(b *[6]byte) {
	b[0], b[1], b[2] = byte(s>>40), byte(s>>32), byte(s>>24)
	b[3], b[4], b[5] = byte(s>>16), byte(s>>8), byte(s)
}

func sqnFrom(b []byte) SQN {
	_ = b[5]
	return SQN(binary.BigEndian.Uint16(b))<<32 | SQN(binary.BigEndian.Uint32(b[2:]))
}

// ParseSQN decodes a 6-byte big-endian sequence number (TS 33.102 §6.3.2).
func ParseSQN(b []byte) (SQN, error) {
	if len(b) != 6 {
		return 0, fmt.Errorf("%w: SQN is %d bytes, want 6", ErrLength, len(b))
	}
	return sqnFrom(b), nil
}

// AMF is the 16-bit authentication management field (TS 33.102 §6.3.2,
// Annex H). Bit 0 (the most significant, 0x8000) is the "AMF separation
// bit" of TS 33.401 Annex H.
type AMF uint16

// AMFResync is the dummy AMF used for MAC-S in AUTS (TS 33.102 §6.3.3).
const AMFResync AMF = 0x0000

// String returns AMF as 4 lower-case hex digits.
func (a AMF) String() string { return fmt.Sprintf("%04x", uint16(a)) }

// MAC is a 64-bit message authentication code: MAC-A = f1 or MAC-S = f1*
// (TS 33.102 §6.3.2, §6.3.3).
type MAC [8]byte

// String returns the MAC as lower-case hex.
func (m MAC) String() string { return hex.EncodeToString(m[:]) }

// AK is a 48-bit anonymity key: AK = f5 or AK* = f5* (TS 33.102 §6.3.2).
type AK [6]byte

// String returns AK as lower-case hex.
func (a AK) String() string { return hex.EncodeToString(a[:]) }

func (a AK) sqn() SQN { return sqnFrom(a[:]) }

// AUTN is the authentication token SQN⊕AK ‖ AMF ‖ MAC-A (TS 33.102 §6.3.2).
type AUTN [16]byte

// NewAUTN assembles AUTN from its parts (TS 33.102 §6.3.2).
func NewAUTN(sqn SQN, ak AK, amf AMF, mac MAC) (a AUTN) {
	a[0], a[1], a[2] = byte(sqn>>40)^ak[0], byte(sqn>>32)^ak[1], byte(sqn>>24)^ak[2]
	a[3], a[4], a[5] = byte(sqn>>16)^ak[3], byte(sqn>>8)^ak[4], byte(sqn)^ak[5]
	a[6], a[7] = byte(amf>>8), byte(amf)
	*(*MAC)(a[8:]) = mac
	return a
}

// ConcealedSQN returns the first field of AUTN, SQN⊕AK (TS 33.102 §6.3.2).
func (a AUTN) ConcealedSQN() SQN { return sqnFrom(a[:6]) }

// AMF returns the AMF field of AUTN (TS 33.102 §6.3.2).
func (a AUTN) AMF() AMF { return AMF(binary.BigEndian.Uint16(a[6:8])) }

// MAC returns the MAC-A field of AUTN (TS 33.102 §6.3.2).
func (a AUTN) MAC() MAC { return MAC(a[8:16]) }

// String returns AUTN as lower-case hex.
func (a AUTN) String() string { return hex.EncodeToString(a[:]) }

// ParseAUTN decodes a 16-byte AUTN (TS 33.102 §6.3.2).
func ParseAUTN(b []byte) (AUTN, error) {
	var a AUTN
	if len(b) != len(a) {
		return a, fmt.Errorf("%w: AUTN is %d bytes, want 16", ErrLength, len(b))
	}
	copy(a[:], b)
	return a, nil
}

// AUTS is the resynchronisation token SQN_MS⊕AK* ‖ MAC-S
// (TS 33.102 §6.3.3).
type AUTS [14]byte

// NewAUTS assembles AUTS from its parts (TS 33.102 §6.3.3).
func NewAUTS(sqnMS SQN, akStar AK, macS MAC) AUTS {
	var a AUTS
	var s [6]byte
	((sqnMS ^ akStar.sqn()) & MaxSQN).put(&s)
	copy(a[:6], s[:])
	copy(a[6:], macS[:])
	return a
}

// ConcealedSQN returns the first field of AUTS, SQN_MS⊕AK* (TS 33.102 §6.3.3).
func (a AUTS) ConcealedSQN() SQN { return sqnFrom(a[:6]) }

// MAC returns the MAC-S field of AUTS (TS 33.102 §6.3.3).
func (a AUTS) MAC() MAC { return MAC(a[6:14]) }

// String returns AUTS as lower-case hex.
func (a AUTS) String() string { return hex.EncodeToString(a[:]) }

// ParseAUTS decodes a 14-byte AUTS (TS 33.102 §6.3.3).
func ParseAUTS(b []byte) (AUTS, error) {
	var a AUTS
	if len(b) != len(a) {
		return a, fmt.Errorf("%w: AUTS is %d bytes, want 14", ErrLength, len(b))
	}
	copy(a[:], b)
	return a, nil
}

// RES is the user response RES or expected response XRES, 32 to 128 bits
// in whole bytes (TS 33.102 §6.3.2, §6.3.7: 4 to 16 octets). Milenage
// produces 8 octets (f2, TS 35.206 §4.1).
type RES struct {
	b [16]byte
	n uint8
}

// NewRES returns a RES holding b, which must be 4 to 16 bytes long.
func NewRES(b []byte) (RES, error) {
	var r RES
	if len(b) < 4 || len(b) > 16 {
		return r, fmt.Errorf("%w: RES is %d bytes, want 4..16", ErrLength, len(b))
	}
	copy(r.b[:], b)
	r.n = uint8(len(b))
	return r, nil
}

// Len returns the length of RES in bytes.
func (r RES) Len() int { return int(r.n) }

// Bytes returns the RES bytes, aliasing r.
func (r *RES) Bytes() []byte { return r.b[:r.n] }

// Append appends the RES bytes to dst.
func (r RES) Append(dst []byte) []byte { return append(dst, r.b[:r.n]...) }

// Equal compares two responses in constant time (for a given length).
func (r RES) Equal(o RES) bool {
	return r.n == o.n && subtle.ConstantTimeCompare(r.b[:r.n], o.b[:o.n]) == 1
}

// String returns RES as lower-case hex.
func (r RES) String() string { return hex.EncodeToString(r.b[:r.n]) }

// padded returns RES padded with zero bits to 128 bits (TS 33.102 §6.8.1.2).
func (r RES) padded() [16]byte { return r.b }

// SRES is the 32-bit GSM signed response (TS 33.102 §6.8.1.2, c2).
type SRES [4]byte

// String returns SRES as lower-case hex.
func (s SRES) String() string { return hex.EncodeToString(s[:]) }

package milenage

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
)

// SQNState is the USIM's sequence number memory of TS 33.102 Annex C.2.2:
// the array SEQ_MS(0) .. SEQ_MS(a-1), a = 2^INDBits, of the highest SEQ
// accepted with each IND. It is a fixed-size value without pointers, so
// copying it takes a snapshot; the card persists it with Append (or
// MarshalBinary) and restores it with ParseSQNState, writing the whole
// encoding at once.
//
// The zero value has an IND length of 0 (a single SEQ, i.e. a plain
// monotonic SQN); use NewSQNState for the Annex C array.
type SQNState struct {
	indBits uint8
	seq     [1 << MaxINDBits]uint64
}

// sqnStateVersion is the first byte of the persisted encoding.
const sqnStateVersion = 1

// NewSQNState returns an all-zero array (TS 33.102 Annex C.2.2: "the initial
// sequence number value in each array element shall be zero") for an IND of
// indBits bits (0..MaxINDBits).
func NewSQNState(indBits int) (SQNState, error) {
	if indBits < 0 || indBits > MaxINDBits {
		return SQNState{}, fmt.Errorf("%w: IND length %d bits, want 0..%d", ErrParam, indBits, MaxINDBits)
	}
	return SQNState{indBits: uint8(indBits)}, nil
}

// NewSQNStateFrom returns the array of TS 33.102 Annex C.2.2 for an IND of
// indBits bits (0..MaxINDBits) holding seqs as SEQ_MS(0) .. SEQ_MS(a-1):
// seqs must have exactly a = 2^indBits entries, each at most 48-indBits
// bits wide (SEQ ‖ IND is the 48-bit SQN of Annex C.1). It restores a
// USIM's sequence number memory from a profile or an operator record, e.g.
// a card that already accepted SQN = SEQ ‖ IND has SEQ_MS(IND) = SEQ; the
// verification rules of Annex C.2.1/C.2.2 (Policy.Authenticate) then apply
// to it as to an array that reached those values by authentications.
// Errors wrap ErrParam and name the offending entry; seqs is not retained.
func NewSQNStateFrom(indBits int, seqs []uint64) (SQNState, error) {
	s, err := NewSQNState(indBits)
	if err != nil {
		return SQNState{}, err
	}
	if len(seqs) != s.Len() {
		return SQNState{}, fmt.Errorf("%w: %d SEQ_MS values, want 2^%d = %d (TS 33.102 Annex C.2.2)", ErrParam, len(seqs), indBits, s.Len())
	}
	limit := uint64(MaxSQN) >> indBits
	for i, v := range seqs {
		if v > limit {
			return SQNState{}, fmt.Errorf("%w: SEQ_MS(%d) = %#x exceeds %d bits (TS 33.102 Annex C.1)", ErrParam, i, v, 48-indBits)
		}
		s.seq[i] = v
	}
	return s, nil
}

// SEQs appends SEQ_MS(0) .. SEQ_MS(a-1) to dst, the inverse of
// NewSQNStateFrom (TS 33.102 Annex C.2.2).
func (s *SQNState) SEQs(dst []uint64) []uint64 { return append(dst, s.seq[:s.Len()]...) }

// Scheme returns the SEQ ‖ IND split this state uses.
func (s *SQNState) Scheme() SQNScheme { return SQNScheme{INDBits: s.indBits} }

// Len returns the number of array entries a = 2^INDBits.
func (s *SQNState) Len() int { return 1 << s.indBits }

// SEQ returns SEQ_MS(ind), or 0 for an index outside the array.
func (s *SQNState) SEQ(ind int) uint64 {
	if ind < 0 || ind >= s.Len() {
		return 0
	}
	return s.seq[ind]
}

// highestSEQ returns SEQ_MS, the largest SEQ in the array.
func (s *SQNState) highestSEQ() uint64 {
	var m uint64
	for _, v := range s.seq[:s.Len()] {
		m = max(m, v)
	}
	return m
}

// Highest returns SQN_MS, the highest previously accepted sequence number
// anywhere in the array (TS 33.102 Annex C.2.2), which the USIM sends in
// AUTS: the largest SEQ_MS(i) ‖ i, or 0 before any SQN was accepted.
func (s *SQNState) Highest() SQN {
	var best SQN
	for i, v := range s.seq[:s.Len()] {
		if v == 0 {
			continue
		}
		if q := SQN(v<<s.indBits) | SQN(i); q > best {
			best = q
		}
	}
	return best
}

// SQNStateSize returns the length of the encoding of a TS 33.102 Annex C.2.2
// array with an IND of indBits bits: version, IND length, 2^indBits six-byte SEQ values and a
// CRC-32.
func SQNStateSize(indBits int) int { return 2 + 6<<indBits + 4 }

// Append appends the persisted encoding of s: a version byte (1), the IND
// length in bits, SEQ_MS(0..a-1) as 6-byte big-endian values, and the
// CRC-32 (IEEE) of all preceding bytes, so a torn write is detected.
func (s *SQNState) Append(dst []byte) []byte {
	start := len(dst)
	dst = append(dst, sqnStateVersion, s.indBits)
	for _, v := range s.seq[:s.Len()] {
		dst = SQN(v).Append(dst)
	}
	return binary.BigEndian.AppendUint32(dst, crc32.ChecksumIEEE(dst[start:]))
}

// MarshalBinary returns Append(nil).
func (s *SQNState) MarshalBinary() ([]byte, error) { return s.Append(nil), nil }

// UnmarshalBinary replaces s with ParseSQNState(b); on error s is unchanged.
func (s *SQNState) UnmarshalBinary(b []byte) error {
	v, err := ParseSQNState(b)
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// ParseSQNState decodes the encoding written by Append. It checks the
// version, the IND length, the exact size, that every SEQ fits 48-INDBits
// bits and the CRC; errors wrap ErrState and name the offending byte.
func ParseSQNState(b []byte) (SQNState, error) {
	var s SQNState
	if len(b) < 2 {
		return s, fmt.Errorf("%w: %d bytes, want at least 2", ErrState, len(b))
	}
	if b[0] != sqnStateVersion {
		return s, fmt.Errorf("%w: byte 0: version %d, want %d", ErrState, b[0], sqnStateVersion)
	}
	if b[1] > MaxINDBits {
		return s, fmt.Errorf("%w: byte 1: IND length %d bits, want 0..%d", ErrState, b[1], MaxINDBits)
	}
	s.indBits = b[1]
	if want := SQNStateSize(int(s.indBits)); len(b) != want {
		return SQNState{}, fmt.Errorf("%w: %d bytes, want %d for IND length %d", ErrState, len(b), want, s.indBits)
	}
	body, sum := b[:len(b)-4], binary.BigEndian.Uint32(b[len(b)-4:])
	if got := crc32.ChecksumIEEE(body); got != sum {
		return SQNState{}, fmt.Errorf("%w: byte %d: CRC-32 %08x, computed %08x", ErrState, len(body), sum, got)
	}
	limit := uint64(MaxSQN) >> s.indBits
	for i := range s.Len() {
		off := 2 + 6*i
		v := uint64(sqnFrom(b[off : off+6]))
		if v > limit {
			return SQNState{}, fmt.Errorf("%w: byte %d: SEQ_MS(%d) = %#x exceeds %d bits", ErrState, off, i, v, 48-s.indBits)
		}
		s.seq[i] = v
	}
	return s, nil
}

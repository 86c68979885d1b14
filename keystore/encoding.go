package keystore

import (
	"fmt"

	"golang.org/x/crypto/cryptobyte"
)

// EncodingVersion is the first byte of every encoding of this package.
//
// The encodings are uiccsim's own (TR 33.812 leaves the card's storage
// format to the implementation) and are canonical: Parse followed by Append
// reproduces the input byte for byte.
//
//	list    = version(1) count(1) active(1) count*pair
//	pairRec = version(1) pair                       ; a single pair
//	pair    = index(1) flags(1) [K(16) OPc(16) n(1) n*otaset]   ; keys absent when wiped
//	otaset  = KVN(1) KIcAlg(1) KIc(keylen) KIDAlg(1) KID(keylen) CNTR(5)
//
// flags bit 0 marks a wiped pair; other bits must be zero. Algorithms are
// the Algorithm values, key lengths follow from them, CNTR is big-endian
// (ETSI TS 102 225 §5.1.1).
const EncodingVersion = 1

const flagWiped = 0x01

// AppendPair appends the single-pair encoding of p (version byte first) to
// dst. It fails, returning dst unchanged, if p is invalid.
func AppendPair(dst []byte, p *Pair) ([]byte, error) {
	if err := p.Validate(); err != nil {
		return dst, err
	}
	dst = append(dst, EncodingVersion)
	return appendPairBody(dst, p, false), nil
}

// ParsePair parses the single-pair encoding produced by AppendPair. The
// result shares no memory with b.
func ParsePair(b []byte) (Pair, error) {
	s := cryptobyte.String(b)
	var v uint8
	if !s.ReadUint8(&v) {
		return Pair{}, fmt.Errorf("%w: empty pair encoding", ErrMalformed)
	}
	if v != EncodingVersion {
		return Pair{}, fmt.Errorf("%w: pair encoding version %d, want %d", ErrMalformed, v, EncodingVersion)
	}
	p, wiped, err := readPairBody(&s, len(b))
	if err != nil {
		return Pair{}, err
	}
	if wiped {
		return Pair{}, fmt.Errorf("%w: single pair %d is marked wiped", ErrMalformed, p.Index)
	}
	if !s.Empty() {
		return Pair{}, fmt.Errorf("%w: %d trailing bytes after pair %d", ErrMalformed, len(s), p.Index)
	}
	return p, nil
}

// AppendList appends the encoding of l to dst: the form in which a card
// persists its list. Wiped pairs are written as index and flag only, so the
// encoding holds no key that was left behind.
func AppendList(dst []byte, l *List) []byte {
	dst = append(dst, EncodingVersion, byte(len(l.pairs)), byte(l.active))
	for i := range l.pairs {
		dst = appendPairBody(dst, &l.pairs[i], i < l.active)
	}
	return dst
}

// ParseList parses an encoding produced by AppendList and checks every
// invariant of List: 1..MaxPairs pairs indexed in order, the active index
// inside the list, exactly the pairs before it wiped, every other pair
// valid. The result shares no memory with b.
func ParseList(b []byte) (*List, error) {
	s := cryptobyte.String(b)
	var v, count, active uint8
	if !s.ReadUint8(&v) || !s.ReadUint8(&count) || !s.ReadUint8(&active) {
		return nil, fmt.Errorf("%w: list header needs 3 bytes, have %d", ErrMalformed, len(b))
	}
	if v != EncodingVersion {
		return nil, fmt.Errorf("%w: list encoding version %d, want %d", ErrMalformed, v, EncodingVersion)
	}
	if count == 0 {
		return nil, fmt.Errorf("%w: list of 0 pairs", ErrMalformed)
	}
	if active >= count {
		return nil, fmt.Errorf("%w: active index %d in a list of %d", ErrMalformed, active, count)
	}
	l := &List{pairs: make([]Pair, count), active: int(active)}
	for i := range l.pairs {
		p, wiped, err := readPairBody(&s, len(b))
		if err != nil {
			return nil, err
		}
		if p.Index != i {
			return nil, fmt.Errorf("%w: pair at position %d has index %d", ErrMalformed, i, p.Index)
		}
		if wiped != (i < l.active) {
			return nil, fmt.Errorf("%w: pair %d wiped=%t with active index %d", ErrMalformed, i, wiped, l.active)
		}
		l.pairs[i] = p
	}
	if !s.Empty() {
		return nil, fmt.Errorf("%w: %d trailing bytes after list", ErrMalformed, len(s))
	}
	return l, nil
}

func appendPairBody(dst []byte, p *Pair, wiped bool) []byte {
	if wiped {
		return append(dst, byte(p.Index), flagWiped)
	}
	dst = append(dst, byte(p.Index), 0)
	dst = append(dst, p.K[:]...)
	dst = append(dst, p.OPc[:]...)
	dst = append(dst, byte(len(p.OTA)))
	for i := range p.OTA {
		s := &p.OTA[i]
		dst = append(dst, s.KVN, byte(s.KIc.Alg))
		dst = append(dst, s.KIc.Bytes()...)
		dst = append(dst, byte(s.KID.Alg))
		dst = append(dst, s.KID.Bytes()...)
		c := s.Counter
		dst = append(dst, byte(c>>32), byte(c>>24), byte(c>>16), byte(c>>8), byte(c))
	}
	return dst
}

// readPairBody reads one pair; total is the length of the whole input, for
// error offsets.
func readPairBody(s *cryptobyte.String, total int) (p Pair, wiped bool, err error) {
	at := func() int { return total - len(*s) }
	var idx, flags uint8
	if !s.ReadUint8(&idx) || !s.ReadUint8(&flags) {
		return Pair{}, false, fmt.Errorf("%w: pair header truncated at byte %d", ErrMalformed, at())
	}
	p.Index = int(idx)
	if flags&^flagWiped != 0 {
		return Pair{}, false, fmt.Errorf("%w: pair %d: unknown flags %#02x at byte %d", ErrMalformed, idx, flags, at()-1)
	}
	if flags&flagWiped != 0 {
		return p, true, nil
	}
	if !s.CopyBytes(p.K[:]) || !s.CopyBytes(p.OPc[:]) {
		return Pair{}, false, fmt.Errorf("%w: pair %d: K/OPc truncated at byte %d", ErrMalformed, idx, at())
	}
	var n uint8
	if !s.ReadUint8(&n) {
		return Pair{}, false, fmt.Errorf("%w: pair %d: OTA key set count missing at byte %d", ErrMalformed, idx, at())
	}
	if n > MaxOTAKeySets {
		return Pair{}, false, fmt.Errorf("%w: pair %d: %d OTA key sets, at most %d", ErrMalformed, idx, n, MaxOTAKeySets)
	}
	if n > 0 {
		p.OTA = make([]OTAKeySet, n)
	}
	for i := range p.OTA {
		set := &p.OTA[i]
		if !s.ReadUint8(&set.KVN) || !readOTAKey(s, &set.KIc) || !readOTAKey(s, &set.KID) {
			return Pair{}, false, fmt.Errorf("%w: pair %d: OTA key set %d truncated or bad algorithm at byte %d", ErrMalformed, idx, i, at())
		}
		var c []byte
		if !s.ReadBytes(&c, 5) {
			return Pair{}, false, fmt.Errorf("%w: pair %d: OTA key set %d counter truncated at byte %d", ErrMalformed, idx, i, at())
		}
		set.Counter = uint64(c[0])<<32 | uint64(c[1])<<24 | uint64(c[2])<<16 | uint64(c[3])<<8 | uint64(c[4])
	}
	if err := p.Validate(); err != nil {
		return Pair{}, false, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	return p, false, nil
}

func readOTAKey(s *cryptobyte.String, k *OTAKey) bool {
	var alg uint8
	if !s.ReadUint8(&alg) {
		return false
	}
	k.Alg = Algorithm(alg)
	if !k.Alg.Valid() {
		return false
	}
	return s.CopyBytes(k.val[:k.Alg.KeyLen()])
}

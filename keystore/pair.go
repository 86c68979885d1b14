package keystore

import (
	"fmt"
	"strconv"
	"strings"
)

// MaxPairs is the longest list a card holds. TR 33.812 §7.4.2 item 4 asks
// only that the number "can be made large enough to satisfy all practical
// operator change scenarios"; 255 pairs fit the one-byte index of the
// encoding.
const MaxPairs = 255

// MaxOTAKeySets is the most OTA key sets one pair carries: one per key
// version number 1–15 (ETSI TS 102 225 §5.1.2).
const MaxOTAKeySets = 15

// Pair is one entry of the pre-configured list of TR 33.812 §5.3.2.2 step 2,
// a "K/OTA key pair": the subscriber key K and OPc for Milenage (3GPP
// TS 35.206 §2) and the OTA key sets the operator owning the pair uses for
// remote management (ETSI TS 102 225 §5.1.2). Index is the pair's position
// in the list, the "index value" of step 6.
type Pair struct {
	Index int
	K     Key128
	OPc   Key128
	OTA   []OTAKeySet
}

// Validate checks the index range, the number of OTA key sets, that each is
// valid, and that no key version number repeats.
func (p *Pair) Validate() error {
	if p.Index < 0 || p.Index >= MaxPairs {
		return fmt.Errorf("%w: pair index %d outside 0..%d", ErrInvalid, p.Index, MaxPairs-1)
	}
	if len(p.OTA) > MaxOTAKeySets {
		return fmt.Errorf("%w: pair %d has %d OTA key sets, at most %d", ErrInvalid, p.Index, len(p.OTA), MaxOTAKeySets)
	}
	var seen uint16
	for i := range p.OTA {
		s := &p.OTA[i]
		if err := s.Validate(); err != nil {
			return fmt.Errorf("pair %d: %w", p.Index, err)
		}
		if seen&(1<<s.KVN) != 0 {
			return fmt.Errorf("%w: pair %d: KVN %d appears twice", ErrInvalid, p.Index, s.KVN)
		}
		seen |= 1 << s.KVN
	}
	return nil
}

// OTAKeySet returns the key set with key version number kvn, or nil.
func (p *Pair) OTAKeySet(kvn uint8) *OTAKeySet {
	for i := range p.OTA {
		if p.OTA[i].KVN == kvn {
			return &p.OTA[i]
		}
	}
	return nil
}

// Clone returns a deep copy of p that shares no memory with it.
func (p *Pair) Clone() Pair {
	c := *p
	if p.OTA != nil {
		c.OTA = append([]OTAKeySet(nil), p.OTA...)
	}
	return c
}

// Equal compares two pairs; key bytes are compared in constant time.
func (p Pair) Equal(o Pair) bool {
	if p.Index != o.Index || len(p.OTA) != len(o.OTA) {
		return false
	}
	eq := p.K.Equal(o.K) && p.OPc.Equal(o.OPc)
	for i := range p.OTA {
		eq = p.OTA[i].Equal(o.OTA[i]) && eq
	}
	return eq
}

// Wipe zeroes K, OPc and every OTA key in place (the memory of the OTA
// slice included) and drops the OTA key sets; Index stays.
func (p *Pair) Wipe() {
	p.K.Wipe()
	p.OPc.Wipe()
	for i := range p.OTA {
		p.OTA[i].Wipe()
	}
	p.OTA = nil
}

// String prints the pair's index and OTA key set versions with every key
// redacted.
func (p Pair) String() string {
	var b strings.Builder
	b.WriteString("Pair{Index ")
	b.WriteString(strconv.Itoa(p.Index))
	b.WriteString(", K ")
	b.WriteString(p.K.String())
	b.WriteString(", OPc ")
	b.WriteString(p.OPc.String())
	b.WriteString(", OTA [")
	for i, s := range p.OTA {
		if i > 0 {
			b.WriteString(" ")
		}
		b.WriteString(s.String())
	}
	b.WriteString("]}")
	return b.String()
}

// GoString is String with the package prefix, for %#v.
func (p Pair) GoString() string { return "keystore." + p.String() }

// Format implements fmt.Formatter so that no verb prints key bytes.
func (p Pair) Format(f fmt.State, verb rune) { formatRedacted(f, verb, p.String()) }

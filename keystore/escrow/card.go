package escrow

import (
	"fmt"

	"github.com/uiccsim/uiccsim/keystore"
	"golang.org/x/crypto/cryptobyte"
)

// Card is the escrow's record of one card: how many pairs it was
// personalised with, its active index, and the operator recorded as owner
// of each index up to the active one (Owners[0] is the initial operator of
// TR 33.812 §5.3.2.2 step 2, Owners[Active] the current owner). An index
// a switch skipped over was never used; its entry names the operator that
// reported the skip, and its pair was destroyed like every pair the card
// moved past.
type Card struct {
	ICCID  ICCID
	Pairs  int
	Active int
	Owners []OperatorID
}

// Owner returns the current owner, the operator recorded for the active
// index.
func (c *Card) Owner() OperatorID { return c.Owners[c.Active] }

// recordVersion is the first byte of the escrow's own encodings.
const recordVersion = 1

// appendCard encodes the card record (sealed under kindCard):
//
//	version(1)=1 pairs(1) active(1) (active+1)*( len(1) operatorID )
func appendCard(dst []byte, c *Card) []byte {
	dst = append(dst, recordVersion, byte(c.Pairs), byte(c.Active))
	for _, o := range c.Owners {
		dst = append(dst, byte(len(o)))
		dst = append(dst, o...)
	}
	return dst
}

// parseCard decodes a card record and checks its invariants: 1..MaxPairs
// pairs, the active index inside the list, one valid owner per index up to
// the active one, nothing after.
func parseCard(iccid ICCID, b []byte, known ...OperatorID) (Card, error) {
	s := cryptobyte.String(b)
	var v, pairs, active uint8
	if !s.ReadUint8(&v) || !s.ReadUint8(&pairs) || !s.ReadUint8(&active) {
		return Card{}, fmt.Errorf("%w: card %s: record of %d bytes", ErrMalformed, iccid, len(b))
	}
	if v != recordVersion {
		return Card{}, fmt.Errorf("%w: card %s: record version %d", ErrMalformed, iccid, v)
	}
	if pairs == 0 || active >= pairs {
		return Card{}, fmt.Errorf("%w: card %s: active index %d of %d pairs", ErrMalformed, iccid, active, pairs)
	}
	c := Card{ICCID: iccid, Pairs: int(pairs), Active: int(active), Owners: make([]OperatorID, int(active)+1, int(active)+2)}
	for i := range c.Owners {
		var o cryptobyte.String
		if !s.ReadUint8LengthPrefixed(&o) {
			return Card{}, fmt.Errorf("%w: card %s: owner of index %d truncated", ErrMalformed, iccid, i)
		}
		c.Owners[i] = internID(o, known)
		if err := c.Owners[i].Validate(); err != nil {
			return Card{}, fmt.Errorf("%w: card %s: owner of index %d: %w", ErrMalformed, iccid, i, err)
		}
	}
	if !s.Empty() {
		return Card{}, fmt.Errorf("%w: card %s: %d trailing bytes", ErrMalformed, iccid, len(s))
	}
	return c, nil
}

// internID returns o as an OperatorID, sharing the string of the element
// of known it equals, if any.
func internID(o []byte, known []OperatorID) OperatorID {
	for _, k := range known {
		if string(o) == string(k) {
			return k
		}
	}
	return OperatorID(o)
}

// pairKey is the record key of pair index of card iccid: the ICCID digits,
// a zero byte, and the index (ICCIDs have no zero byte, so keys of
// different cards never collide).
func pairKey(dst []byte, iccid ICCID, index int) []byte {
	dst = append(dst, iccid...)
	return append(dst, 0, byte(index))
}

// checkIndex reports whether index is inside a list of n pairs.
func checkIndex(iccid ICCID, index, n int) error {
	if index < 0 || index >= n || index >= keystore.MaxPairs {
		return fmt.Errorf("%w: card %s index %d, the card holds pairs 0..%d", ErrIndexOutOfRange, iccid, index, n-1)
	}
	return nil
}

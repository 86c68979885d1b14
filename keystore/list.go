package keystore

import (
	"fmt"
	"strconv"
)

// List is the on-card indexed list of key pairs of TR 33.812 §5.3.2.2: the
// pairs personalised by the UICC manufacturer (step 2) and the active index
// that a SWITCH moves to "the next K/OTA key pair in the list" (step 5).
//
// Invariants, kept by every method: pairs[i].Index == i; the pairs before
// the active index are wiped (all key bytes zero, no OTA key sets); the
// active index never decreases. A method that refuses leaves the list
// exactly as it was.
type List struct {
	pairs  []Pair
	active int
}

// NewList builds a list from pairs, which must be indexed 0..len-1 in order,
// valid, and at most MaxPairs long; pair 0 is active. The list takes a deep
// copy, so the caller may wipe its own pairs afterwards.
func NewList(pairs []Pair) (*List, error) {
	if len(pairs) == 0 || len(pairs) > MaxPairs {
		return nil, fmt.Errorf("%w: list of %d pairs, need 1..%d", ErrInvalid, len(pairs), MaxPairs)
	}
	l := &List{pairs: make([]Pair, len(pairs))}
	for i := range pairs {
		if pairs[i].Index != i {
			return nil, fmt.Errorf("%w: pair at position %d has index %d", ErrInvalid, i, pairs[i].Index)
		}
		if err := pairs[i].Validate(); err != nil {
			return nil, err
		}
		l.pairs[i] = pairs[i].Clone()
	}
	return l, nil
}

// Len returns the number of pairs in the list, wiped ones included.
func (l *List) Len() int { return len(l.pairs) }

// ActiveIndex returns the index of the active pair.
func (l *List) ActiveIndex() int { return l.active }

// Active returns the active pair, the one AUTHENTICATE and the OTA engine
// use. The pointer aliases the list and is valid until the next Advance or
// Replace; callers must not modify it.
func (l *List) Active() *Pair { return &l.pairs[l.active] }

// Remaining returns how many unused pairs follow the active one, i.e. how
// many more operator changes the card supports.
func (l *List) Remaining() int { return len(l.pairs) - 1 - l.active }

// Exhausted reports whether the active pair is the last one: no further
// switch is possible (TR 33.812 §5.3.2.2 step 9).
func (l *List) Exhausted() bool { return l.Remaining() == 0 }

// Pair returns the pair with index i: ErrWiped if it was left behind,
// ErrIndexOutOfRange if the list has no such index.
func (l *List) Pair(i int) (*Pair, error) {
	switch {
	case i < 0 || i >= len(l.pairs):
		return nil, fmt.Errorf("%w: index %d, list holds 0..%d", ErrIndexOutOfRange, i, len(l.pairs)-1)
	case i < l.active:
		return nil, fmt.Errorf("%w: index %d, active index is %d", ErrWiped, i, l.active)
	}
	return &l.pairs[i], nil
}

// CheckAdvance reports the error Advance(to) would return without changing
// anything, so that a card can check a SWITCH before it opens a transaction.
func (l *List) CheckAdvance(to int) error {
	switch {
	case to < 0:
		return fmt.Errorf("%w: switch to index %d", ErrIndexOutOfRange, to)
	case to <= l.active:
		return fmt.Errorf("%w: switch to index %d, active index is %d", ErrBackward, to, l.active)
	case l.Exhausted():
		return fmt.Errorf("%w: switch to index %d, last pair %d is active", ErrExhausted, to, l.active)
	case to >= len(l.pairs):
		return fmt.Errorf("%w: switch to index %d, list holds 0..%d", ErrIndexOutOfRange, to, len(l.pairs)-1)
	}
	return nil
}

// Advance makes pair to the active pair and wipes every pair before it
// (TR 33.812 §5.3.2.2 step 5). It refuses a move backward or to the same
// index (ErrBackward), beyond the list (ErrIndexOutOfRange) and any move
// once the last pair is active (ErrExhausted); a refused move changes
// nothing.
func (l *List) Advance(to int) error {
	if err := l.CheckAdvance(to); err != nil {
		return err
	}
	for i := l.active; i < to; i++ {
		l.pairs[i].Wipe()
	}
	l.active = to
	return nil
}

// Replace installs new keys for the active pair, the key rotation of
// TR 33.812 §5.3.1.2 step 6 (alternative 3a). p.Index must be the active
// index and p must be valid; the old keys are wiped.
func (l *List) Replace(p Pair) error {
	if p.Index != l.active {
		return fmt.Errorf("%w: replacement for index %d, active index is %d", ErrInvalid, p.Index, l.active)
	}
	if err := p.Validate(); err != nil {
		return err
	}
	l.pairs[l.active].Wipe()
	l.pairs[l.active] = p.Clone()
	return nil
}

// SetCounter records value as the replay counter (CNTR, ETSI TS 102 225
// §5.1.1) of the active pair's OTA key set kvn, after the card accepted a
// secured packet carrying it. The counter only moves up: a value not
// higher than the stored one, beyond 5 bytes, or for a key set the active
// pair does not have is refused (ErrInvalid) and changes nothing.
func (l *List) SetCounter(kvn uint8, value uint64) error {
	s := l.pairs[l.active].OTAKeySet(kvn)
	switch {
	case s == nil:
		return fmt.Errorf("%w: active pair %d has no OTA key set with KVN %d", ErrInvalid, l.active, kvn)
	case value > MaxCounter:
		return fmt.Errorf("%w: counter %d for KVN %d exceeds 5 bytes", ErrInvalid, value, kvn)
	case value <= s.Counter:
		return fmt.Errorf("%w: counter %d for KVN %d does not exceed the stored %d", ErrInvalid, value, kvn, s.Counter)
	}
	s.Counter = value
	return nil
}

// Clone returns a deep copy of the list that shares no memory with it.
func (l *List) Clone() *List {
	c := &List{pairs: make([]Pair, len(l.pairs)), active: l.active}
	for i := range l.pairs {
		c.pairs[i] = l.pairs[i].Clone()
	}
	return c
}

// Wipe zeroes every pair of the list; the list keeps its length and active
// index but holds no key any more.
func (l *List) Wipe() {
	for i := range l.pairs {
		l.pairs[i].Wipe()
	}
}

// String summarises the list without any key.
func (l List) String() string {
	return "List{active " + strconv.Itoa(l.active) + " of " + strconv.Itoa(len(l.pairs)) +
		", remaining " + strconv.Itoa(l.Remaining()) + "}"
}

// GoString is String with the package prefix, for %#v.
func (l List) GoString() string { return "keystore." + l.String() }

// Format implements fmt.Formatter so that no verb prints key bytes: the
// pairs are unexported fields, which fmt would otherwise print raw.
func (l List) Format(f fmt.State, verb rune) { formatRedacted(f, verb, l.String()) }

package keystore

import (
	"bytes"
	"errors"
	"testing"
)

func TestNewListRejects(t *testing.T) {
	good := threePairs(t)
	tests := []struct {
		name  string
		pairs func() []Pair
	}{
		{"empty", func() []Pair { return nil }},
		{"too long", func() []Pair { return make([]Pair, MaxPairs+1) }},
		{"index out of order", func() []Pair { p := threePairs(t); p[1].Index = 2; return p }},
		{"invalid pair", func() []Pair { p := threePairs(t); p[0].OTA[0].KVN = 0; return p }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := NewList(tt.pairs()); !errors.Is(err, ErrInvalid) {
				t.Errorf("NewList = %v, want ErrInvalid", err)
			}
		})
	}
	l, err := NewList(good)
	if err != nil {
		t.Fatal(err)
	}
	good[0].Wipe()
	if !l.Active().Equal(threePairs(t)[0]) {
		t.Error("NewList shares memory with its input: wiping the input changed the list")
	}
}

func TestAdvanceMovesForwardAndWipesThePairsLeftBehind(t *testing.T) {
	want := threePairs(t)
	l, err := NewList(threePairs(t))
	if err != nil {
		t.Fatal(err)
	}
	if l.ActiveIndex() != 0 || l.Remaining() != 2 || l.Exhausted() {
		t.Fatalf("new list: %v", l)
	}
	old := l.Active() // aliases pair 0's memory
	oldOTA := old.OTA
	if err := l.Advance(2); err != nil {
		t.Fatalf("Advance(2): %v", err)
	}
	if l.ActiveIndex() != 2 || !l.Active().Equal(want[2]) {
		t.Errorf("active = %d, %v", l.ActiveIndex(), l.Active())
	}
	if !old.K.IsZero() || !old.OPc.IsZero() || old.OTA != nil || !oldOTA[0].KIc.Equal(OTAKey{Alg: oldOTA[0].KIc.Alg}) {
		t.Errorf("pair 0 not wiped in memory: K zero %t, OPc zero %t, OTA %v", old.K.IsZero(), old.OPc.IsZero(), old.OTA)
	}
	for _, i := range []int{0, 1} {
		if _, err := l.Pair(i); !errors.Is(err, ErrWiped) {
			t.Errorf("Pair(%d) = %v, want ErrWiped", i, err)
		}
	}
	if !l.Exhausted() || l.Remaining() != 0 {
		t.Errorf("after moving to the last pair: exhausted %t, remaining %d", l.Exhausted(), l.Remaining())
	}
}

func TestAdvanceRefusesAndLeavesTheListUnchanged(t *testing.T) {
	tests := []struct {
		name  string
		start int // index advanced to before the refused move
		to    int
		want  error
	}{
		{"same index", 1, 1, ErrBackward},
		{"backward", 1, 0, ErrBackward},
		{"negative", 0, -1, ErrIndexOutOfRange},
		{"beyond the list", 0, 3, ErrIndexOutOfRange},
		{"far beyond the list", 1, 1000, ErrIndexOutOfRange},
		{"exhausted: next index", 2, 3, ErrExhausted},
		{"exhausted: wrap around to 0", 2, 0, ErrBackward},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := NewList(threePairs(t))
			if err != nil {
				t.Fatal(err)
			}
			if tt.start > 0 {
				if err := l.Advance(tt.start); err != nil {
					t.Fatal(err)
				}
			}
			before := AppendList(nil, l)
			if err := l.CheckAdvance(tt.to); !errors.Is(err, tt.want) {
				t.Errorf("CheckAdvance(%d) = %v, want %v", tt.to, err, tt.want)
			}
			if err := l.Advance(tt.to); !errors.Is(err, tt.want) {
				t.Errorf("Advance(%d) = %v, want %v", tt.to, err, tt.want)
			}
			if after := AppendList(nil, l); !bytes.Equal(before, after) {
				t.Errorf("refused Advance changed the list:\nbefore %x\nafter  %x", before, after)
			}
		})
	}
}

func TestExhaustedIsDistinctFromOutOfRange(t *testing.T) {
	l, err := NewList(threePairs(t)[:1])
	if err != nil {
		t.Fatal(err)
	}
	if !l.Exhausted() {
		t.Fatal("a one-pair list is exhausted from the start")
	}
	err = l.Advance(1)
	if !errors.Is(err, ErrExhausted) || errors.Is(err, ErrIndexOutOfRange) {
		t.Errorf("Advance on an exhausted list = %v, want ErrExhausted only", err)
	}
}

func TestReplaceRotatesTheActivePair(t *testing.T) {
	l, err := NewList(threePairs(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Advance(1); err != nil {
		t.Fatal(err)
	}
	old := l.Active()
	repl := goldenPair(t)
	repl.Index = 1
	if err := l.Replace(repl); err != nil {
		t.Fatalf("Replace: %v", err)
	}
	if !l.Active().Equal(repl) {
		t.Errorf("active pair after Replace = %v", l.Active())
	}
	repl.Wipe()
	if l.Active().K.IsZero() {
		t.Error("Replace shares memory with its argument")
	}
	_ = old
	bad := goldenPair(t) // index 2, not the active 1
	if err := l.Replace(bad); !errors.Is(err, ErrInvalid) {
		t.Errorf("Replace of a non-active index = %v, want ErrInvalid", err)
	}
}

func TestWipeClearsEveryPair(t *testing.T) {
	l, err := NewList(threePairs(t))
	if err != nil {
		t.Fatal(err)
	}
	l.Wipe()
	for i := range l.Len() {
		p, _ := l.Pair(i)
		if !p.K.IsZero() || !p.OPc.IsZero() || p.OTA != nil {
			t.Errorf("pair %d holds keys after Wipe", i)
		}
	}
}

func TestSetCounterOnlyMovesUp(t *testing.T) {
	l, err := NewList(threePairs(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := l.SetCounter(1, 5); err != nil {
		t.Fatalf("SetCounter(1, 5): %v", err)
	}
	for _, tt := range []struct {
		kvn   uint8
		value uint64
	}{{1, 5}, {1, 4}, {1, MaxCounter + 1}, {2, 9}} {
		before := AppendList(nil, l)
		if err := l.SetCounter(tt.kvn, tt.value); !errors.Is(err, ErrInvalid) {
			t.Errorf("SetCounter(%d, %d) = %v, want ErrInvalid", tt.kvn, tt.value, err)
		}
		if !bytes.Equal(before, AppendList(nil, l)) {
			t.Errorf("refused SetCounter(%d, %d) changed the list", tt.kvn, tt.value)
		}
	}
	if got := l.Active().OTAKeySet(1).Counter; got != 5 {
		t.Errorf("counter = %d, want 5", got)
	}
}

func TestCloneSharesNoMemory(t *testing.T) {
	l, err := NewList(threePairs(t))
	if err != nil {
		t.Fatal(err)
	}
	c := l.Clone()
	if err := l.Advance(1); err != nil {
		t.Fatal(err)
	}
	if c.ActiveIndex() != 0 || !c.Active().Equal(threePairs(t)[0]) {
		t.Errorf("clone changed with the original: %v %v", c, c.Active())
	}
}

package store

import (
	"errors"
	"testing"
)

// The journal buffer grows on demand, but its capacity (the JournalSize
// asked for) is what the store promises: memory audits see all of it, a
// record fits exactly up to it, one byte more is ErrJournalFull, and the
// image declares it.
func TestJournalCapacityIndependentOfGrowth(t *testing.T) {
	const size = 1000
	s := New(Options{JournalSize: size})
	a, err := s.Alloc("a", 2*size)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(s.AppendMemory(nil)); got != 2*size+size {
		t.Fatalf("AppendMemory of a fresh store: %d bytes, want %d", got, 3*size)
	}
	// One write record of header+n bytes fills the journal exactly.
	if err := s.Update(func() error { return s.Write(a, 0, make([]byte, size-recHeader)) }); err != nil {
		t.Fatalf("write filling the journal exactly: %v", err)
	}
	if err := s.Update(func() error { return s.Write(a, 0, make([]byte, size-recHeader+1)) }); !errors.Is(err, ErrJournalFull) {
		t.Fatalf("write one byte over the journal: %v, want ErrJournalFull", err)
	}
	if got := len(s.AppendMemory(nil)); got != 3*size {
		t.Fatalf("AppendMemory after the journal grew: %d bytes, want %d", got, 3*size)
	}
	img := s.AppendImage(nil)
	r, err := ParseImage(img)
	if err != nil {
		t.Fatal(err)
	}
	if r.jcap != size || len(r.AppendMemory(nil)) != 3*size {
		t.Fatalf("restored journal capacity %d, memory %d bytes; want %d, %d", r.jcap, len(r.AppendMemory(nil)), size, 3*size)
	}
	if err := r.Update(func() error { return r.Write(a, 0, make([]byte, size-recHeader+1)) }); !errors.Is(err, ErrJournalFull) {
		t.Fatalf("restored store, write one byte over the journal: %v, want ErrJournalFull", err)
	}
}

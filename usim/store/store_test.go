package store

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
)

func mustAlloc(t testing.TB, s *Store, name string, size int) Ref {
	t.Helper()
	r, err := s.Alloc(name, size)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestCommitKeepsAllWrites(t *testing.T) {
	s := New(Options{})
	a := mustAlloc(t, s, "a", 4)
	if err := s.Begin(); err != nil {
		t.Fatal(err)
	}
	if err := s.Write(a, 0, []byte{1, 2}); err != nil {
		t.Fatal(err)
	}
	if err := s.Write(a, 2, []byte{3, 4}); err != nil {
		t.Fatal(err)
	}
	if err := s.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := s.Bytes(a); !bytes.Equal(got, []byte{1, 2, 3, 4}) {
		t.Fatalf("after commit % X", got)
	}
	if s.jn != 0 {
		t.Fatalf("journal not cleared: %d records", s.jn)
	}
}

func TestAbortRollsBackEveryWrite(t *testing.T) {
	s := New(Options{})
	a := mustAlloc(t, s, "a", 4)
	if err := s.Write(a, 0, []byte{9, 9, 9, 9}); err != nil {
		t.Fatal(err)
	}
	s.Begin()
	s.Write(a, 0, []byte{1})
	s.Write(a, 0, []byte{2, 2}) // same bytes twice: the oldest value must win
	b, err := s.Alloc("b", 3)
	if err != nil {
		t.Fatal(err)
	}
	s.Write(b, 0, []byte{7})
	if err := s.Abort(); err != nil {
		t.Fatal(err)
	}
	if got := s.Bytes(a); !bytes.Equal(got, []byte{9, 9, 9, 9}) {
		t.Fatalf("after abort % X", got)
	}
	if _, ok := s.Lookup("b"); ok {
		t.Fatal("cell allocated in an aborted transaction survived")
	}
	if s.Depth() != 0 {
		t.Fatalf("depth %d", s.Depth())
	}
}

func TestNestedAbortIsASavepoint(t *testing.T) {
	s := New(Options{})
	a := mustAlloc(t, s, "a", 2)
	s.Begin()
	s.Write(a, 0, []byte{1})
	s.Begin()
	s.Write(a, 1, []byte{2})
	if err := s.Abort(); err != nil {
		t.Fatal(err)
	}
	if got := s.Bytes(a); !bytes.Equal(got, []byte{1, 0}) {
		t.Fatalf("after inner abort % X", got)
	}
	s.Begin()
	s.Write(a, 1, []byte{3})
	s.Commit() // inner commit: still under the outer transaction
	if err := s.Abort(); err != nil {
		t.Fatal(err)
	}
	if got := s.Bytes(a); !bytes.Equal(got, []byte{0, 0}) {
		t.Fatalf("outer abort must undo the inner commit too: % X", got)
	}
}

func TestWriteThroughSurvivesAbort(t *testing.T) {
	s := New(Options{})
	a := mustAlloc(t, s, "pin", 1)
	s.Write(a, 0, []byte{3})
	s.Begin()
	s.WriteThrough(a, 0, []byte{2})
	s.Abort()
	if got := s.Bytes(a)[0]; got != 2 {
		t.Fatalf("try counter = %d, want 2", got)
	}
}

func TestErrors(t *testing.T) {
	s := New(Options{JournalSize: 32})
	a := mustAlloc(t, s, "a", 64)
	for _, tc := range []struct {
		name string
		err  error
		want error
	}{
		{"commit without begin", s.Commit(), ErrNoTransaction},
		{"abort without begin", s.Abort(), ErrNoTransaction},
		{"bad ref", s.Write(99, 0, []byte{1}), ErrBadRef},
		{"zero ref", s.Write(0, 0, []byte{1}), ErrBadRef},
		{"past end", s.Write(a, 63, []byte{1, 2}), ErrOutOfRange},
		{"negative offset", s.Write(a, -1, []byte{1}), ErrOutOfRange},
		{"journal full", s.Write(a, 0, make([]byte, 40)), ErrJournalFull},
		{"duplicate name", func() error { _, err := s.Alloc("a", 1); return err }(), ErrExists},
	} {
		if !errors.Is(tc.err, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, tc.err, tc.want)
		}
	}
	if s.Bytes(a)[0] != 0 || s.Depth() != 0 {
		t.Fatal("failed writes changed state")
	}
	for range MaxDepth {
		s.Begin()
	}
	if err := s.Begin(); !errors.Is(err, ErrTooDeep) {
		t.Fatalf("begin past MaxDepth: %v", err)
	}
}

// multiWrite is a transaction of several writes, one alloc and a nested
// savepoint: the subject of the tearing tests.
func multiWrite(s *Store, a Ref) error {
	if err := s.Begin(); err != nil {
		return err
	}
	for i := range 4 {
		if err := s.Write(a, i*2, []byte{0xA0 + byte(i), 0xB0 + byte(i)}); err != nil {
			return err
		}
	}
	c, err := s.Alloc("new", 2)
	if err != nil {
		return err
	}
	if err := s.Write(c, 0, []byte{5, 6}); err != nil {
		return err
	}
	if err := s.Begin(); err != nil {
		return err
	}
	if err := s.Write(a, 0, []byte{0xEE}); err != nil {
		return err
	}
	if err := s.Abort(); err != nil { // applet savepoint rolled back
		return err
	}
	return s.Commit()
}

func TestTearingEveryWriteIndex(t *testing.T) {
	old := []byte{1, 2, 3, 4, 5, 6, 7, 8}
	fresh := func() (*Store, Ref) {
		s := New(Options{})
		a := mustAlloc(t, s, "a", 8)
		if err := s.Write(a, 0, old); err != nil {
			t.Fatal(err)
		}
		return s, a
	}
	// Count the writes of an uninterrupted run.
	s, a := fresh()
	w0 := s.Writes()
	if err := multiWrite(s, a); err != nil {
		t.Fatal(err)
	}
	total := int(s.Writes() - w0)
	want := append([]byte(nil), s.Bytes(a)...)
	if total < 10 {
		t.Fatalf("only %d writes", total)
	}
	for n := 0; n <= total; n++ {
		// cut during the transaction, then (second pass) also during recovery
		for m := -1; m < 12; m++ {
			t.Run(fmt.Sprintf("cut%d_recovery%d", n, m), func(t *testing.T) {
				s, a := fresh()
				s.FailAfter(n)
				err := multiWrite(s, a)
				if n < total && !errors.Is(err, ErrPowerLost) {
					t.Fatalf("cut after %d of %d writes: err %v", n, total, err)
				}
				if n == total && err != nil {
					t.Fatal(err)
				}
				if n < total && !s.Dead() {
					t.Fatal("store not dead after power loss")
				}
				// The image of the dead card recovers on load as well.
				dead, err := ParseImage(s.AppendImage(nil))
				if err != nil {
					t.Fatal(err)
				}
				if got := dead.Bytes(a); !bytes.Equal(got, old) && !bytes.Equal(got, want) {
					t.Fatalf("image of the torn card loads mixed: % X", got)
				}
				s.FailAfter(m) // tear the recovery too
				if err := s.Restart(); err != nil {
					if m < 0 || !errors.Is(err, ErrPowerLost) {
						t.Fatal(err)
					}
					s.FailAfter(-1)
					if err := s.Restart(); err != nil {
						t.Fatal(err)
					}
				}
				s.FailAfter(-1)
				// Also round-trip through an image: recovery must not change it.
				s2, err := ParseImage(s.AppendImage(nil))
				if err != nil {
					t.Fatal(err)
				}
				for _, st := range []*Store{s, s2} {
					got := st.Bytes(a)
					c, hasNew := st.Lookup("new")
					switch {
					case bytes.Equal(got, old):
						if hasNew {
							t.Fatal("old data but the new cell exists")
						}
					case bytes.Equal(got, want):
						if !hasNew || !bytes.Equal(st.Bytes(c), []byte{5, 6}) {
							t.Fatal("new data but the new cell is missing or wrong")
						}
						if n < total {
							t.Fatal("new state without the commit record")
						}
					default:
						t.Fatalf("mixed state % X (old % X, new % X)", got, old, want)
					}
					if st.jn != 0 {
						t.Fatalf("journal holds %d records after recovery", st.jn)
					}
				}
			})
		}
	}
}

func TestDeadStoreRefusesWrites(t *testing.T) {
	s := New(Options{})
	a := mustAlloc(t, s, "a", 1)
	s.FailAfter(0)
	if err := s.Write(a, 0, []byte{1}); !errors.Is(err, ErrPowerLost) {
		t.Fatalf("write: %v", err)
	}
	for name, err := range map[string]error{
		"begin":        s.Begin(),
		"write":        s.Write(a, 0, []byte{1}),
		"writethrough": s.WriteThrough(a, 0, []byte{1}),
	} {
		if !errors.Is(err, ErrPowerLost) {
			t.Errorf("%s on a dead store: %v", name, err)
		}
	}
	if err := s.Restart(); err != nil {
		t.Fatal(err)
	}
	if err := s.Write(a, 0, []byte{1}); err != nil || s.Bytes(a)[0] != 1 {
		t.Fatalf("after restart: %v", err)
	}
}

func TestImageRoundTrip(t *testing.T) {
	s := New(Options{JournalSize: 1024})
	a := mustAlloc(t, s, "fs.tree", 5)
	b := mustAlloc(t, s, "", 0)
	s.Write(a, 0, []byte("hello"))
	img := s.AppendImage(nil)
	s2, err := ParseImage(img)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(s2.AppendImage(nil), img) {
		t.Fatal("image not stable across a round trip")
	}
	if r, ok := s2.Lookup("fs.tree"); !ok || r != a || string(s2.Bytes(r)) != "hello" {
		t.Fatal("cell lost")
	}
	if s2.Len(b) != 0 || s2.Cells() != 2 {
		t.Fatal("cell count")
	}
	// An image taken mid-transaction restores the state before it.
	s.Begin()
	s.Write(a, 0, []byte("world"))
	s3, err := ParseImage(s.AppendImage(nil))
	if err != nil {
		t.Fatal(err)
	}
	if r, _ := s3.Lookup("fs.tree"); string(s3.Bytes(r)) != "hello" {
		t.Fatalf("mid-transaction image: %q", s3.Bytes(r))
	}
	// Corruption is detected.
	img[12] ^= 1
	if _, err := ParseImage(img); !errors.Is(err, ErrBadImage) {
		t.Fatalf("corrupted image: %v", err)
	}
}

func TestSaveLoadFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "card.img")
	s := New(Options{})
	a := mustAlloc(t, s, "x", 3)
	s.Write(a, 0, []byte{1, 2, 3})
	if err := s.SaveFile(p); err != nil {
		t.Fatal(err)
	}
	s.Write(a, 0, []byte{4})
	if err := s.SaveFile(p); err != nil { // overwrite atomically
		t.Fatal(err)
	}
	s2, err := LoadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(s2.Bytes(a), []byte{4, 2, 3}) {
		t.Fatalf("loaded % X", s2.Bytes(a))
	}
	if m, _ := filepath.Glob(filepath.Join(dir, ".*tmp*")); len(m) != 0 {
		t.Fatalf("temporary files left: %v", m)
	}
	if _, err := LoadFile(filepath.Join(dir, "missing")); err == nil {
		t.Fatal("missing file loaded")
	}
}

func TestReadsDoNotAllocate(t *testing.T) {
	s := New(Options{})
	a := mustAlloc(t, s, "a", 16)
	buf := []byte{1, 2, 3}
	n := testing.AllocsPerRun(100, func() {
		_ = s.Bytes(a)
		s.Begin()
		s.Write(a, 3, buf)
		s.Commit()
	})
	if n != 0 {
		t.Fatalf("%v allocs per read+transaction", n)
	}
}

func FuzzParseImage(f *testing.F) {
	s := New(Options{JournalSize: 256})
	a, _ := s.Alloc("a", 4)
	s.Write(a, 0, []byte{1, 2, 3, 4})
	f.Add(s.AppendImage(nil))
	s.Begin()
	s.Write(a, 1, []byte{9})
	s.Alloc("b", 2)
	f.Add(s.AppendImage(nil))
	f.Add([]byte(imageMagic))
	f.Fuzz(func(t *testing.T, b []byte) {
		st, err := ParseImage(b)
		if err != nil {
			if !errors.Is(err, ErrBadImage) {
				t.Fatalf("error without sentinel: %v", err)
			}
			return
		}
		img := st.AppendImage(nil)
		st2, err := ParseImage(img)
		if err != nil {
			t.Fatalf("re-parse: %v", err)
		}
		if !bytes.Equal(st2.AppendImage(nil), img) {
			t.Fatal("image unstable")
		}
	})
}

func BenchmarkTransactionWrite(b *testing.B) {
	s := New(Options{})
	a, _ := s.Alloc("a", 64)
	data := make([]byte, 9)
	b.ReportAllocs()
	for b.Loop() {
		s.Begin()
		s.Write(a, 0, data)
		s.Commit()
	}
}

package store

import (
	"bytes"
	"errors"
	"testing"
)

// The secret a transaction overwrites, and its replacement.
var (
	oldSecret = []byte("OLD-KEY-0123456789abcdef")
	newSecret = []byte("new-key-fedcba9876543210")
)

// storeWithSecret returns a store whose committed cell holds oldSecret.
func storeWithSecret(t *testing.T) (*Store, Ref) {
	t.Helper()
	s := New(Options{JournalSize: 256})
	r := mustAlloc(t, s, "keys", len(oldSecret))
	if err := s.Write(r, 0, oldSecret); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(s.AppendMemory(nil), oldSecret) {
		t.Fatal("secret not in memory before the overwrite: the check would prove nothing")
	}
	return s, r
}

func TestJournalResidueErased(t *testing.T) {
	for _, tc := range []struct {
		name     string
		run      func(s *Store, r Ref) error
		wantCell []byte
	}{
		{"commit erases the undo records", func(s *Store, r Ref) error {
			return s.Update(func() error { return s.Write(r, 0, newSecret) })
		}, newSecret},
		{"nested savepoints then commit", func(s *Store, r Ref) error {
			return s.Update(func() error {
				if err := s.Begin(); err != nil {
					return err
				}
				if err := s.Write(r, 0, newSecret[:8]); err != nil {
					return err
				}
				if err := s.Commit(); err != nil {
					return err
				}
				return s.Write(r, 8, newSecret[8:])
			})
		}, newSecret},
		{"abort erases the undone records", func(s *Store, r Ref) error {
			if err := s.Begin(); err != nil {
				return err
			}
			if err := s.Write(r, 0, newSecret); err != nil {
				return err
			}
			return s.Abort()
		}, oldSecret},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, r := storeWithSecret(t)
			if err := tc.run(s, r); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(s.Bytes(r), tc.wantCell) {
				t.Fatalf("cell % X, want % X", s.Bytes(r), tc.wantCell)
			}
			mem := s.AppendMemory(nil)
			// The live value is in its cell once; a second copy is
			// journal residue.
			for _, secret := range [][]byte{oldSecret, newSecret} {
				want := 0
				if bytes.Equal(secret, tc.wantCell) {
					want = 1
				}
				if n := bytes.Count(mem, secret); n != want {
					t.Errorf("%q found %d times in store memory, want %d", secret, n, want)
				}
			}
		})
	}
}

// A record written but cut before its count (protocol step 2) is no
// record; Restart erases it, and recovery of a counted one erases that.
func TestRestartErasesTornJournalResidue(t *testing.T) {
	for cut := 0; cut <= 2; cut++ {
		s, r := storeWithSecret(t)
		s.FailAfter(cut) // 0: before the record, 1: before its count, 2: before the data
		err := s.Update(func() error { return s.Write(r, 0, newSecret) })
		if !errors.Is(err, ErrPowerLost) {
			t.Fatalf("cut %d: %v", cut, err)
		}
		s.FailAfter(-1)
		if err := s.Restart(); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(s.Bytes(r), oldSecret) {
			t.Fatalf("cut %d: cell % X after recovery", cut, s.Bytes(r))
		}
		if n := bytes.Count(s.AppendMemory(nil), oldSecret); n != 1 {
			t.Errorf("cut %d: old secret %d times in store memory after recovery, want 1 (its cell)", cut, n)
		}
	}
}

// An aborted Alloc leaves no bytes of the dropped cell behind in its
// backing array.
func TestAbortedAllocZeroesTheCell(t *testing.T) {
	s := New(Options{})
	if err := s.Begin(); err != nil {
		t.Fatal(err)
	}
	r := mustAlloc(t, s, "tmp", len(newSecret))
	if err := s.Write(r, 0, newSecret); err != nil {
		t.Fatal(err)
	}
	data := s.cells[r].data
	if err := s.Abort(); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(data, make([]byte, len(newSecret))) {
		t.Fatalf("dropped cell still holds % X", data)
	}
}

package sealed

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	bolt "go.etcd.io/bbolt"
)

func appendEntries(t *testing.T, s *Store, n int) {
	t.Helper()
	err := s.Update(func(tx *Tx) error {
		for i := range n {
			seq, err := tx.Append("audit", 3, fmt.Appendf(nil, "entry %d", i+1))
			if err != nil {
				return err
			}
			if seq != uint64(i+1) {
				t.Errorf("Append #%d returned sequence %d", i+1, seq)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func readAll(s *Store, from uint64) ([]string, error) {
	var got []string
	err := s.View(func(tx *Tx) error {
		return tx.ReadLog("audit", 3, from, func(seq uint64, pt []byte) error {
			if want := fmt.Sprintf("entry %d", seq); string(pt) != want {
				return fmt.Errorf("entry %d holds %q", seq, pt)
			}
			got = append(got, string(pt))
			return nil
		})
	})
	return got, err
}

func TestLogAppendAndRead(t *testing.T) {
	s, _ := openTemp(t, testKey(t, 1))
	appendEntries(t, s, 5)
	appendEntries(t, s, 0)
	got, err := readAll(s, 1)
	if err != nil || len(got) != 5 {
		t.Fatalf("ReadLog = %d entries, %v", len(got), err)
	}
	got, err = readAll(s, 4)
	if err != nil || len(got) != 2 || got[0] != "entry 4" {
		t.Fatalf("ReadLog from 4 = %q, %v", got, err)
	}
	got, err = readAll(s, 9)
	if err != nil || len(got) != 0 {
		t.Fatalf("ReadLog from beyond the end = %q, %v", got, err)
	}
	var n int
	_ = s.View(func(tx *Tx) error {
		return tx.ReadLog("audit", 3, 1, func(uint64, []byte) error {
			n++
			if n == 2 {
				return Stop
			}
			return nil
		})
	})
	if n != 2 {
		t.Errorf("Stop after 2 entries read %d", n)
	}
	_ = s.View(func(tx *Tx) error {
		if l, err := tx.LogLen("audit"); l != 5 || err != nil {
			t.Errorf("LogLen = %d, %v", l, err)
		}
		return nil
	})
	if err := s.Verify(); err != nil {
		t.Errorf("Verify of an untouched store: %v", err)
	}
}

func TestLogTamperingIsDetected(t *testing.T) {
	key := func(seq uint64) []byte { return binary.BigEndian.AppendUint64(nil, seq) }
	logB := []byte("l/audit")
	tests := []struct {
		name string
		edit func(tx *bolt.Tx) error
	}{
		{"middle entry removed", func(tx *bolt.Tx) error { return tx.Bucket(logB).Delete(key(3)) }},
		{"last entry removed", func(tx *bolt.Tx) error { return tx.Bucket(logB).Delete(key(5)) }},
		{"two entries swapped", func(tx *bolt.Tx) error {
			b := tx.Bucket(logB)
			v2, v3 := bytes.Clone(b.Get(key(2))), bytes.Clone(b.Get(key(3)))
			if err := b.Put(key(2), v3); err != nil {
				return err
			}
			return b.Put(key(3), v2)
		}},
		{"entry appended without the key", func(tx *bolt.Tx) error {
			b := tx.Bucket(logB)
			return b.Put(key(6), bytes.Clone(b.Get(key(5))))
		}},
		{"head rolled back with the last entry removed", func(tx *bolt.Tx) error {
			// The head is sealed: an attacker can only delete it.
			if err := tx.Bucket([]byte("m")).Delete([]byte("head/audit")); err != nil {
				return err
			}
			return tx.Bucket(logB).Delete(key(5))
		}},
		{"whole log bucket removed", func(tx *bolt.Tx) error { return tx.DeleteBucket(logB) }},
	}
	mk := testKey(t, 1)
	s, path := openTemp(t, mk)
	appendEntries(t, s, 5)
	_ = s.Close()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cp := filepath.Join(t.TempDir(), "copy.db")
			if err := os.WriteFile(cp, raw, 0o600); err != nil {
				t.Fatal(err)
			}
			rawUpdate(t, cp, tt.edit)
			s, err := Open(cp, mk, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if _, err := readAll(s, 1); !errors.Is(err, ErrCorrupt) {
				t.Errorf("ReadLog after tampering = %v, want ErrCorrupt", err)
			}
			if err := s.Verify(); !errors.Is(err, ErrCorrupt) {
				t.Errorf("Verify after tampering = %v, want ErrCorrupt", err)
			}
		})
	}
}

func TestAnchorDetectsRollbackAndTruncation(t *testing.T) {
	mk := testKey(t, 1)
	s, path := openTemp(t, mk)
	appendEntries(t, s, 3)
	var a3 Anchor
	_ = s.View(func(tx *Tx) error {
		var err error
		a3, err = tx.Head("audit")
		return err
	})
	if a3.Seq != 3 {
		t.Fatalf("head = %d", a3.Seq)
	}
	_ = s.Close()
	old, err := os.ReadFile(path) // a copy of the file at 3 entries
	if err != nil {
		t.Fatal(err)
	}
	s, err = Open(path, mk, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = s.Update(func(tx *Tx) error {
		for i := range 2 {
			if _, err := tx.Append("audit", 3, fmt.Appendf(nil, "entry %d", 4+i)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var a5 Anchor
	_ = s.View(func(tx *Tx) error {
		a5, _ = tx.Head("audit")
		for _, a := range []Anchor{a3, a5, {}} {
			if err := tx.CheckAnchor("audit", a); err != nil {
				t.Errorf("CheckAnchor(%d) on the live log: %v", a.Seq, err)
			}
		}
		bad := a3
		bad.Tag[0] ^= 1
		if err := tx.CheckAnchor("audit", bad); !errors.Is(err, ErrCorrupt) {
			t.Errorf("CheckAnchor with a wrong tag = %v", err)
		}
		return nil
	})
	_ = s.Close()
	// Roll the file back to the 3-entry copy: its chain is intact, but the
	// anchor taken at entry 5 exposes it.
	if err := os.WriteFile(path, old, 0o600); err != nil {
		t.Fatal(err)
	}
	s, err = Open(path, mk, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Verify(); err != nil {
		t.Fatalf("the rolled-back file is self-consistent, Verify = %v", err)
	}
	_ = s.View(func(tx *Tx) error {
		if err := tx.CheckAnchor("audit", a5); !errors.Is(err, ErrCorrupt) {
			t.Errorf("CheckAnchor(5) on the rolled-back file = %v, want ErrCorrupt", err)
		}
		return nil
	})
}

// An entry planted beyond the sealed head (right after it, or further on)
// makes the next Append fail with ErrCorrupt instead of chaining onto it or
// overwriting it; Append checks this once per transaction.
func TestAppendRefusesEntriesBeyondTheHead(t *testing.T) {
	key := func(seq uint64) []byte { return binary.BigEndian.AppendUint64(nil, seq) }
	logB := []byte("l/audit")
	mk := testKey(t, 1)
	s, path := openTemp(t, mk)
	appendEntries(t, s, 5)
	_ = s.Close()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, seq := range []uint64{6, 7, 100} {
		t.Run(fmt.Sprint("entry ", seq), func(t *testing.T) {
			cp := filepath.Join(t.TempDir(), "copy.db")
			if err := os.WriteFile(cp, raw, 0o600); err != nil {
				t.Fatal(err)
			}
			rawUpdate(t, cp, func(tx *bolt.Tx) error {
				b := tx.Bucket(logB)
				return b.Put(key(seq), bytes.Clone(b.Get(key(5))))
			})
			s, err := Open(cp, mk, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			err = s.Update(func(tx *Tx) error {
				for range 3 {
					if _, err := tx.Append("audit", 3, []byte("next")); err != nil {
						return err
					}
				}
				return nil
			})
			if !errors.Is(err, ErrCorrupt) {
				t.Errorf("Append after an entry planted at %d = %v, want ErrCorrupt", seq, err)
			}
		})
	}
}

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

func testKey(t testing.TB, b byte) *MasterKey {
	var k MasterKey
	for i := range k {
		k[i] = b ^ byte(i)
	}
	return &k
}

func openTemp(t testing.TB, mk *MasterKey) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "sealed.db")
	s, err := Open(path, mk, &Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s, path
}

// rawUpdate edits the bbolt file directly, as an attacker with write access
// to the file (but not the master key) could.
func rawUpdate(t *testing.T, path string, fn func(tx *bolt.Tx) error) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(fn); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestPutGetDeleteRoundTrip(t *testing.T) {
	s, _ := openTemp(t, testKey(t, 1))
	err := s.Update(func(tx *Tx) error {
		if err := tx.Put("subscribers", []byte("001010000000001"), 7, []byte("first")); err != nil {
			return err
		}
		return tx.Put("subscribers", []byte("001010000000001"), 7, []byte("second"))
	})
	if err != nil {
		t.Fatal(err)
	}
	err = s.View(func(tx *Tx) error {
		got, err := tx.Get(nil, "subscribers", []byte("001010000000001"), 7)
		if err != nil || string(got) != "second" {
			t.Errorf("Get = %q, %v; want the overwritten value", got, err)
		}
		if !tx.Has("subscribers", []byte("001010000000001")) || tx.Has("subscribers", []byte("x")) {
			t.Error("Has is wrong")
		}
		if _, err := tx.Get(nil, "subscribers", []byte("x"), 7); !errors.Is(err, ErrNotFound) {
			t.Errorf("Get of an absent key = %v, want ErrNotFound", err)
		}
		if _, err := tx.Get(nil, "nobucket", []byte("x"), 7); !errors.Is(err, ErrNotFound) {
			t.Errorf("Get from an absent bucket = %v, want ErrNotFound", err)
		}
		if _, err := tx.Get(nil, "subscribers", []byte("001010000000001"), 8); !errors.Is(err, ErrCorrupt) {
			t.Errorf("Get as another kind = %v, want ErrCorrupt", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Update(func(tx *Tx) error { return tx.Delete("subscribers", []byte("001010000000001")) }); err != nil {
		t.Fatal(err)
	}
	if err := s.View(func(tx *Tx) error {
		_, err := tx.Get(nil, "subscribers", []byte("001010000000001"), 7)
		return err
	}); !errors.Is(err, ErrNotFound) {
		t.Errorf("Get after Delete = %v, want ErrNotFound", err)
	}
}

func TestFailedUpdateWritesNothing(t *testing.T) {
	s, _ := openTemp(t, testKey(t, 1))
	boom := errors.New("boom")
	err := s.Update(func(tx *Tx) error {
		if err := tx.Put("b", []byte("k"), 1, []byte("v")); err != nil {
			return err
		}
		if _, err := tx.Append("log", 1, []byte("e")); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Update = %v", err)
	}
	_ = s.View(func(tx *Tx) error {
		if tx.Has("b", []byte("k")) {
			t.Error("rolled-back Put is visible")
		}
		if n, _ := tx.LogLen("log"); n != 0 {
			t.Errorf("rolled-back Append is visible: log length %d", n)
		}
		return nil
	})
}

func TestWrongMasterKeyIsRefused(t *testing.T) {
	s, path := openTemp(t, testKey(t, 1))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(path, testKey(t, 2), nil); !errors.Is(err, ErrWrongKey) {
		t.Fatalf("Open with another master key = %v, want ErrWrongKey", err)
	}
	s2, err := Open(path, testKey(t, 1), &Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("reopen read-only with the right key: %v", err)
	}
	_ = s2.Close()
}

func TestRecordsCannotBeMoved(t *testing.T) {
	mk := testKey(t, 1)
	s, path := openTemp(t, mk)
	other, otherPath := openTemp(t, mk) // same master key, other salt
	put := func(s *Store) {
		err := s.Update(func(tx *Tx) error {
			if err := tx.Put("pairs", []byte("A"), 1, []byte("pair of card A")); err != nil {
				return err
			}
			if err := tx.Put("pairs", []byte("B"), 1, []byte("pair of card B")); err != nil {
				return err
			}
			return tx.Put("cards", []byte("A"), 1, []byte("card A"))
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	put(s)
	put(other)
	_ = s.Close()
	_ = other.Close()
	var fromOtherFile []byte
	db, err := bolt.Open(otherPath, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	_ = db.View(func(tx *bolt.Tx) error {
		fromOtherFile = bytes.Clone(tx.Bucket([]byte("k/pairs")).Get([]byte("B")))
		return nil
	})
	_ = db.Close()

	tests := []struct {
		name   string
		edit   func(tx *bolt.Tx) error
		bucket string
		key    string
	}{
		{"value of key A copied to key B", func(tx *bolt.Tx) error {
			b := tx.Bucket([]byte("k/pairs"))
			return b.Put([]byte("B"), bytes.Clone(b.Get([]byte("A"))))
		}, "pairs", "B"},
		{"value moved to another bucket", func(tx *bolt.Tx) error {
			v := bytes.Clone(tx.Bucket([]byte("k/pairs")).Get([]byte("A")))
			return tx.Bucket([]byte("k/cards")).Put([]byte("A"), v)
		}, "cards", "A"},
		{"value copied from another file under the same master key", func(tx *bolt.Tx) error {
			return tx.Bucket([]byte("k/pairs")).Put([]byte("B"), fromOtherFile)
		}, "pairs", "B"},
		{"kind byte changed", func(tx *bolt.Tx) error {
			v := bytes.Clone(tx.Bucket([]byte("k/pairs")).Get([]byte("A")))
			v[1] = 2
			return tx.Bucket([]byte("k/pairs")).Put([]byte("A"), v)
		}, "pairs", "A"},
		{"one ciphertext bit flipped", func(tx *bolt.Tx) error {
			v := bytes.Clone(tx.Bucket([]byte("k/pairs")).Get([]byte("A")))
			v[BlobOverhead-tagLen] ^= 1
			return tx.Bucket([]byte("k/pairs")).Put([]byte("A"), v)
		}, "pairs", "A"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			cp := filepath.Join(dir, "copy.db")
			raw, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(cp, raw, 0o600); err != nil {
				t.Fatal(err)
			}
			rawUpdate(t, cp, tt.edit)
			s, err := Open(cp, mk, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			err = s.View(func(tx *Tx) error {
				_, err := tx.Get(nil, tt.bucket, []byte(tt.key), 1)
				return err
			})
			if !errors.Is(err, ErrCorrupt) {
				t.Errorf("Get after tampering = %v, want ErrCorrupt", err)
			}
			if err := s.Verify(); !errors.Is(err, ErrCorrupt) {
				t.Errorf("Verify after tampering = %v, want ErrCorrupt", err)
			}
		})
	}
}

func TestFileHoldsNoPlaintext(t *testing.T) {
	s, path := openTemp(t, testKey(t, 1))
	var secrets [][]byte
	err := s.Update(func(tx *Tx) error {
		for i := range 200 {
			secret := fmt.Appendf(nil, "secret-%04d-%x", i, i*7919)
			secrets = append(secrets, secret)
			if err := tx.Put("k", binary.BigEndian.AppendUint32(nil, uint32(i)), 1, secret); err != nil {
				return err
			}
			if _, err := tx.Append("audit", 2, secret); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, sec := range secrets {
		if bytes.Contains(raw, sec) || bytes.Contains(raw, sec[:12]) {
			t.Fatalf("file holds plaintext %q", sec)
		}
	}
	if !bytes.Contains(raw, []byte("k/k")) {
		t.Fatal("test is blind: the bucket name, stored in clear, was not found in the file")
	}
}

func TestBadNamesAreRefused(t *testing.T) {
	s, _ := openTemp(t, testKey(t, 1))
	long := string(make([]byte, MaxNameLen+1))
	err := s.Update(func(tx *Tx) error {
		for _, c := range []struct {
			bucket string
			key    []byte
		}{{"", []byte("k")}, {long, []byte("k")}, {"b", nil}, {"b", make([]byte, MaxKeyLen+1)}} {
			if err := tx.Put(c.bucket, c.key, 1, nil); !errors.Is(err, ErrBadName) {
				t.Errorf("Put(%d-byte bucket, %d-byte key) = %v, want ErrBadName", len(c.bucket), len(c.key), err)
			}
		}
		if _, err := tx.Append("", 1, nil); !errors.Is(err, ErrBadName) {
			t.Errorf("Append to an unnamed log = %v, want ErrBadName", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestMasterKeyRedacted(t *testing.T) {
	mk := testKey(t, 0x41)
	for _, verb := range []string{"%v", "%#v", "%x", "%s", "%d"} {
		out := fmt.Sprintf(verb, mk)
		if out != "sealed.MasterKey(REDACTED)" {
			t.Errorf("Sprintf(%s) = %q", verb, out)
		}
	}
}

// Puts, Gets and Deletes interleaved in one transaction see each other
// (the transaction reuses one cursor per bucket for its lookups), across
// enough keys to split the bucket's pages, and the committed file agrees
// with a plain map.
func TestInterleavedOpsInOneTransaction(t *testing.T) {
	s, _ := openTemp(t, testKey(t, 1))
	want := map[string]string{}
	key := func(i int) []byte { return fmt.Appendf(nil, "8988211%011d", i) }
	err := s.Update(func(tx *Tx) error {
		for i := range 3000 {
			k := key((i * 7919) % 3000)
			if err := tx.Put("cards", k, 5, fmt.Appendf(nil, "v%d", i)); err != nil {
				return err
			}
			want[string(k)] = fmt.Sprintf("v%d", i)
			if i%3 == 0 {
				d := key((i * 31) % 3000)
				if err := tx.Delete("cards", d); err != nil {
					return err
				}
				delete(want, string(d))
			}
			if i%5 == 0 {
				g := key((i * 13) % 3000)
				got, err := tx.Get(nil, "cards", g, 5)
				w, ok := want[string(g)]
				if ok != (err == nil) || (ok && string(got) != w) {
					t.Errorf("step %d: Get(%s) = %q, %v; want %q (present %v)", i, g, got, err, w, ok)
				}
			}
		}
		return tx.Delete("cards", []byte("absent"))
	})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	err = s.View(func(tx *Tx) error {
		return tx.ForEach("cards", 5, func(k, v []byte) error {
			n++
			if want[string(k)] != string(v) {
				t.Errorf("%s = %q after commit, want %q", k, v, want[string(k)])
			}
			return nil
		})
	})
	if err != nil || n != len(want) {
		t.Errorf("%d records after commit (%v), want %d", n, err, len(want))
	}
}

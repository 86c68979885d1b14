package sealed

import (
	"bytes"
	"errors"
	"testing"

	"golang.org/x/crypto/chacha20poly1305"
)

// memTx returns a Tx good for sealing and opening without a file.
func memTx(t testing.TB) *Tx {
	key, err := deriveRecordKey(testKey(t, 9), []byte("salt"))
	if err != nil {
		t.Fatal(err)
	}
	aead, err := chacha20poly1305.NewX(key)
	if err != nil {
		t.Fatal(err)
	}
	return &Tx{s: &Store{aead: aead}}
}

func TestParseBlob(t *testing.T) {
	tx := memTx(t)
	blob, err := tx.seal(nil, 5, []byte("k/b"), []byte("key"), nil, []byte("hello"))
	if err != nil {
		t.Fatal(err)
	}
	if len(blob) != BlobOverhead+5 {
		t.Fatalf("blob of %d bytes, want %d", len(blob), BlobOverhead+5)
	}
	b, err := ParseBlob(blob)
	if err != nil || b.Kind != 5 || len(b.Nonce) != 24 || len(b.Ciphertext) != 5+16 {
		t.Fatalf("ParseBlob = %+v, %v", b, err)
	}
	for _, bad := range [][]byte{nil, blob[:BlobOverhead-1], append([]byte{2}, blob[1:]...)} {
		if _, err := ParseBlob(bad); !errors.Is(err, ErrCorrupt) {
			t.Errorf("ParseBlob(%x) = %v, want ErrCorrupt", bad, err)
		}
	}
	// Two seals of one plaintext differ: the nonce is random.
	again, _ := tx.seal(nil, 5, []byte("k/b"), []byte("key"), nil, []byte("hello"))
	if bytes.Equal(blob, again) {
		t.Error("two seals of the same plaintext are identical")
	}
}

// FuzzParseBlob: never panics; what it accepts has the version and length
// the format requires and aliases the input.
func FuzzParseBlob(f *testing.F) {
	tx := memTx(f)
	blob, _ := tx.seal(nil, 1, []byte("k/pairs"), []byte("89860000000000000001\x00"), nil, []byte("pair bytes"))
	f.Add(blob)
	f.Add(make([]byte, BlobOverhead))
	f.Fuzz(func(t *testing.T, b []byte) {
		bl, err := ParseBlob(b)
		if err != nil {
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("error %v does not wrap ErrCorrupt", err)
			}
			return
		}
		if b[0] != BlobVersion || len(bl.Nonce) != 24 || len(bl.Ciphertext) < 16 || bl.Kind != Kind(b[1]) {
			t.Fatalf("accepted %x as %+v", b, bl)
		}
	})
}

// FuzzOpenRecord feeds arbitrary bytes as a stored value to the record
// decoder: it must refuse them with ErrCorrupt (never panic). The record key
// is fixed and only "pair bytes" is ever sealed under this bucket, key and
// kind 1 (in every fuzz worker, each with its own random nonce), so anything
// that opens must be that.
func FuzzOpenRecord(f *testing.F) {
	tx := memTx(f)
	bucket, key := []byte("k/pairs"), []byte("8986000000000000001\x00\x01")
	blob, _ := tx.seal(nil, 1, bucket, key, nil, []byte("pair bytes"))
	f.Add(blob, uint8(1))
	f.Add(blob[:len(blob)-1], uint8(1))
	f.Add(blob, uint8(2))
	f.Fuzz(func(t *testing.T, b []byte, kind uint8) {
		pt, err := tx.open(nil, b, Kind(kind), bucket, key, nil)
		if err != nil {
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("error %v does not wrap ErrCorrupt", err)
			}
			return
		}
		if kind != 1 || string(pt) != "pair bytes" {
			t.Fatalf("forged record %x opened as %q", b, pt)
		}
	})
}

package sealed

import (
	"bytes"
	"crypto/hkdf"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"testing"

	bolt "go.etcd.io/bbolt"
	"golang.org/x/crypto/chacha20"
	"golang.org/x/crypto/chacha20poly1305"
)

// xchachaOpen is XChaCha20-Poly1305 decryption built from its definition
// (draft-irtf-cfrg-xchacha-03 §2.3): subkey = HChaCha20(key, nonce[0:16]),
// then IETF ChaCha20-Poly1305 (RFC 8439 §2.8) under the subkey with nonce
// 0x00000000 ‖ nonce[16:24]. It shares no code with the store's NewX path.
func xchachaOpen(t *testing.T, key, nonce, ct, ad []byte) ([]byte, error) {
	t.Helper()
	sub, err := chacha20.HChaCha20(key, nonce[:16])
	if err != nil {
		t.Fatal(err)
	}
	aead, err := chacha20poly1305.New(sub)
	if err != nil {
		t.Fatal(err)
	}
	return aead.Open(nil, append(make([]byte, 4), nonce[16:24]...), ct, ad)
}

func unhex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestIndependentXChaChaMatchesDraftVector checks the test's own
// construction against draft-irtf-cfrg-xchacha-03 §2.2.1 (HChaCha20) and
// §A.3.1 (AEAD); the values were also recomputed with Python's
// cryptography package (ChaCha20Poly1305 over a hand-written HChaCha20).
func TestIndependentXChaChaMatchesDraftVector(t *testing.T) {
	sub, err := chacha20.HChaCha20(unhex(t, "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"),
		unhex(t, "000000090000004a0000000031415927"))
	if err != nil || hex.EncodeToString(sub) != "82413b4227b27bfed30e42508a877d73a0f9e4d58a74a853c12ec41326d3ecdc" {
		t.Fatalf("HChaCha20 = %x, %v", sub, err)
	}
	key := unhex(t, "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f")
	nonce := unhex(t, "404142434445464748494a4b4c4d4e4f5051525354555657")
	ad := unhex(t, "50515253c0c1c2c3c4c5c6c7")
	ct := unhex(t, "bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb731c7f1b0b4aa6440bf3a82f4eda7e39ae"+
		"64c6708c54c216cb96b72e1213b4522f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff921f9664c97637da"+
		"9768812f615c68b13b52e"+"c0875924c1c7987947deafd8780acf49")
	pt, err := xchachaOpen(t, key, nonce, ct, ad)
	want := "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it."
	if err != nil || string(pt) != want {
		t.Fatalf("draft §A.3.1: %q, %v", pt, err)
	}
	// The store's AEAD (chacha20poly1305.NewX) agrees on the same vector.
	x, _ := chacha20poly1305.NewX(key)
	if got := x.Seal(nil, nonce, []byte(want), ad); !bytes.Equal(got, ct) {
		t.Fatalf("NewX disagrees with the draft vector")
	}
}

// TestFileFormatAsDocumented reads a store's raw bbolt file and opens a
// record and a log entry with the layout written in doc.go and blob.go,
// using only independent pieces: crypto/hkdf from the standard library (not
// x/crypto/hkdf), the HChaCha20-based XChaCha above, and hand-built
// additional data.
func TestFileFormatAsDocumented(t *testing.T) {
	mk := testKey(t, 3)
	s, path := openTemp(t, mk)
	err := s.Update(func(tx *Tx) error {
		if err := tx.Put("subscribers", []byte("001019876543210"), 9, []byte("record")); err != nil {
			return err
		}
		if _, err := tx.Append("audit", 4, []byte("first")); err != nil {
			return err
		}
		_, err := tx.Append("audit", 4, []byte("second"))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	_ = s.Close()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_ = db.View(func(tx *bolt.Tx) error {
		salt := tx.Bucket([]byte("m")).Get([]byte("salt"))
		key, err := hkdf.Key(sha256.New, mk[:], salt, "uiccsim keystore/sealed v1 record key", 32)
		if err != nil {
			t.Fatal(err)
		}
		// ad = version kind len(2) bucket len(2) key [prevTag]
		ad := func(kind byte, bucket, k, prev []byte) []byte {
			a := []byte{1, kind}
			a = binary.BigEndian.AppendUint16(a, uint16(len(bucket)))
			a = append(a, bucket...)
			a = binary.BigEndian.AppendUint16(a, uint16(len(k)))
			return append(append(a, k...), prev...)
		}
		open := func(blob []byte, kind byte, bucket, k, prev []byte) string {
			if blob[0] != 1 || blob[1] != kind {
				t.Fatalf("blob header %x, want version 1 kind %d", blob[:2], kind)
			}
			pt, err := xchachaOpen(t, key, blob[2:26], blob[26:], ad(kind, bucket, k, prev))
			if err != nil {
				t.Fatalf("%s/%x does not open with the documented layout: %v", bucket, k, err)
			}
			return string(pt)
		}
		rec := tx.Bucket([]byte("k/subscribers")).Get([]byte("001019876543210"))
		if got := open(rec, 9, []byte("k/subscribers"), []byte("001019876543210"), nil); got != "record" {
			t.Errorf("record = %q", got)
		}
		log := tx.Bucket([]byte("l/audit"))
		e1, e2 := log.Get(binary.BigEndian.AppendUint64(nil, 1)), log.Get(binary.BigEndian.AppendUint64(nil, 2))
		if got := open(e1, 4, []byte("l/audit"), binary.BigEndian.AppendUint64(nil, 1), make([]byte, 16)); got != "first" {
			t.Errorf("entry 1 = %q", got)
		}
		if got := open(e2, 4, []byte("l/audit"), binary.BigEndian.AppendUint64(nil, 2), e1[len(e1)-16:]); got != "second" {
			t.Errorf("entry 2 = %q", got)
		}
		head := open(tx.Bucket([]byte("m")).Get([]byte("head/audit")), 0, []byte("m"), []byte("head/audit"), nil)
		if want := string(binary.BigEndian.AppendUint64(nil, 2)) + string(e2[len(e2)-16:]); head != want {
			t.Errorf("head = %x, want %x", head, want)
		}
		if check := open(tx.Bucket([]byte("m")).Get([]byte("check")), 0, []byte("m"), []byte("check"), nil); check != checkPlain {
			t.Errorf("check = %q", check)
		}
		return nil
	})
}

package escrow

import (
	"crypto/ed25519"
	"encoding/binary"
	"testing"

	"github.com/uiccsim/uiccsim/keystore"
	"golang.org/x/crypto/blake2b"
	"golang.org/x/crypto/nacl/box"
)

// openSealedBoxByHand opens a libsodium crypto_box_seal message from its
// published construction (libsodium "Sealed boxes": epk ‖ crypto_box(m,
// nonce = BLAKE2b-192(epk ‖ pk), pk, esk)), without box.OpenAnonymous.
func openSealedBoxByHand(t *testing.T, sealed []byte, pub, priv *[32]byte) []byte {
	t.Helper()
	var epk [32]byte
	copy(epk[:], sealed[:32])
	h, err := blake2b.New(24, nil)
	if err != nil {
		t.Fatal(err)
	}
	h.Write(epk[:])
	h.Write(pub[:])
	var nonce [24]byte
	copy(nonce[:], h.Sum(nil))
	pt, ok := box.Open(nil, sealed[32:], &nonce, &epk, priv)
	if !ok {
		t.Fatal("release does not open as a libsodium sealed box")
	}
	return pt
}

// TestReleaseFormatAsDocumented checks a release against the layouts in
// release.go with hand-written decoding: the Ed25519 signature over the
// domain string and the wire bytes, the sealed box as libsodium defines it,
// and the payload fields.
func TestReleaseFormatAsDocumented(t *testing.T) {
	f := newFixture(t, 1, 2, nil)
	c := f.iccid(t, 0)
	r, err := f.e.Release(c, 0, f.A.id)
	if err != nil {
		t.Fatal(err)
	}
	wire := AppendRelease(nil, &r)
	// version(1)=1 len(1) ICCID index(1) len(1) operator len(2) sealed sig(64)
	i := 0
	if wire[i] != 1 || int(wire[i+1]) != len(c) || string(wire[i+2:i+2+len(c)]) != string(c) {
		t.Fatalf("wire header %x", wire[:24])
	}
	i += 2 + len(c)
	if wire[i] != 0 || int(wire[i+1]) != len(f.A.id) || string(wire[i+2:i+2+len(f.A.id)]) != string(f.A.id) {
		t.Fatalf("index/operator at %d: %x", i, wire[i:i+8])
	}
	i += 2 + len(f.A.id)
	n := int(binary.BigEndian.Uint16(wire[i:]))
	sealedBox := wire[i+2 : i+2+n]
	sig := wire[i+2+n:]
	if len(sig) != 64 {
		t.Fatalf("signature of %d bytes", len(sig))
	}
	msg := append([]byte("uiccsim escrow release v1\x00"), wire[:i+2+n]...)
	if !ed25519.Verify(f.e.PublicKey(), msg, sig) {
		t.Fatal("signature does not verify over the documented message")
	}
	pt := openSealedBoxByHand(t, sealedBox, f.A.pub, f.A.priv)
	// version(1)=1 len(1) ICCID index(1) len(1) operator pair
	j := 2 + len(c)
	if pt[0] != 1 || string(pt[2:j]) != string(c) || pt[j] != 0 || string(pt[j+2:j+2+len(f.A.id)]) != string(f.A.id) {
		t.Fatalf("payload header %x", pt[:j+2+len(f.A.id)])
	}
	p, err := keystore.ParsePair(pt[j+2+len(f.A.id):])
	if err != nil || !p.Equal(f.cardPair(t, c, 0)) {
		t.Fatalf("payload pair: %v", err)
	}
}

// TestBatchReleaseFormatAsDocumented does the same for a batch release.
func TestBatchReleaseFormatAsDocumented(t *testing.T) {
	f := newFixture(t, 2, 2, nil)
	rel, _, err := f.e.ReleaseBatch(f.A.id, []Request{{f.iccid(t, 1), 0}, {f.iccid(t, 0), 0}})
	if err != nil {
		t.Fatal(err)
	}
	wire := AppendBatchRelease(nil, &rel)
	// version(1)=1 len(1) operator count(4) len(4) sealed sig(64)
	o := 2 + len(f.A.id)
	if wire[0] != 1 || string(wire[2:o]) != string(f.A.id) || binary.BigEndian.Uint32(wire[o:]) != 2 {
		t.Fatalf("wire header %x", wire[:o+8])
	}
	n := int(binary.BigEndian.Uint32(wire[o+4:]))
	body := wire[:o+8+n]
	if !ed25519.Verify(f.e.PublicKey(), append([]byte("uiccsim escrow batch release v1\x00"), body...), wire[o+8+n:]) {
		t.Fatal("batch signature does not verify over the documented message")
	}
	pt := openSealedBoxByHand(t, wire[o+8:o+8+n], f.A.pub, f.A.priv)
	// version(1)=1 len(1) operator count(4) count*( len(1) ICCID index(1) len(2) pair )
	if pt[0] != 1 || string(pt[2:o]) != string(f.A.id) || binary.BigEndian.Uint32(pt[o:]) != 2 {
		t.Fatalf("payload header %x", pt[:o+4])
	}
	rest := pt[o+4:]
	for _, want := range []ICCID{f.iccid(t, 1), f.iccid(t, 0)} {
		l := int(rest[0])
		if string(rest[1:1+l]) != string(want) || rest[1+l] != 0 {
			t.Fatalf("entry for %s: %x", want, rest[:l+2])
		}
		pl := int(binary.BigEndian.Uint16(rest[2+l:]))
		p, err := keystore.ParsePair(rest[4+l : 4+l+pl])
		if err != nil || !p.Equal(f.cardPair(t, want, 0)) {
			t.Fatalf("entry for %s: pair %v", want, err)
		}
		rest = rest[4+l+pl:]
	}
	if len(rest) != 0 {
		t.Fatalf("%d trailing payload bytes", len(rest))
	}
}

package operator

import (
	"bytes"
	"errors"
	"path/filepath"
	"testing"

	"github.com/uiccsim/uiccsim/keystore/escrow"
)

func TestHandoverOpensOnlyForTheRecipientFromTheSender(t *testing.T) {
	w := newWorld(t, 3, 2)
	C := openOperator(t, w.e, filepath.Join(w.dir, "c.db"), Config{ID: "MNO-C", PLMN: "00103"})
	imsis, _ := w.B.AllocateIMSIs(3)
	h, err := w.A.SealHandover(w.B.ID(), w.B.PublicKey(), w.cards, imsis)
	if err != nil {
		t.Fatal(err)
	}
	wire := AppendHandover(nil, &h)
	for _, c := range w.cards {
		s, _ := w.A.Subscriber(c)
		if bytes.Contains(wire, s.Pair.K[:]) || bytes.Contains(wire, s.Pair.OPc[:]) ||
			bytes.Contains(wire, s.Pair.OTA[0].KIc.Bytes()) || bytes.Contains(wire, s.Pair.OTA[0].KID.Bytes()) {
			t.Fatalf("%s: a key travels in clear in the handover", c)
		}
	}
	parsed, err := ParseHandover(wire)
	if err != nil {
		t.Fatal(err)
	}
	subs, err := w.B.OpenHandover(&parsed, w.A.PublicKey())
	if err != nil {
		t.Fatal(err)
	}
	if len(subs) != 3 {
		t.Fatalf("%d records", len(subs))
	}
	for i, s := range subs {
		a, _ := w.A.Subscriber(w.cards[i])
		if s.ICCID != w.cards[i] || s.IMSI != imsis[i] || !s.Pair.Equal(a.Pair) || s.SEQ != a.SEQ {
			t.Fatalf("record %d: got %v, A holds %v with B's IMSI %s", i, s, a, imsis[i])
		}
	}

	// C cannot open B's handover, even claiming to be B.
	asC := parsed
	if _, err := C.OpenHandover(&asC, w.A.PublicKey()); !errors.Is(err, ErrHandover) {
		t.Fatalf("C opening B's handover: %v", err)
	}
	asC.To = "MNO-C"
	if _, err := C.OpenHandover(&asC, w.A.PublicKey()); !errors.Is(err, ErrHandover) {
		t.Fatalf("C opening B's handover relabelled: %v", err)
	}
	// A handover claimed to come from C does not open with C's key.
	if _, err := w.B.OpenHandover(&parsed, C.PublicKey()); !errors.Is(err, ErrHandover) {
		t.Fatalf("wrong sender key: %v", err)
	}
	// Any flipped bit of the box is detected.
	for _, i := range []int{0, len(parsed.Box) / 2, len(parsed.Box) - 1} {
		bad := parsed
		bad.Box = bytes.Clone(parsed.Box)
		bad.Box[i] ^= 1
		if _, err := w.B.OpenHandover(&bad, w.A.PublicKey()); !errors.Is(err, ErrHandover) {
			t.Fatalf("flipped byte %d: %v", i, err)
		}
	}
	// The clear header must match the sealed payload.
	relabelled := parsed
	relabelled.From = "MNO-X"
	if _, err := w.B.OpenHandover(&relabelled, w.A.PublicKey()); !errors.Is(err, ErrHandover) {
		t.Fatalf("relabelled sender: %v", err)
	}
}

func TestSealHandoverRefusesMismatchedLists(t *testing.T) {
	w := newWorld(t, 2, 2)
	if _, err := w.A.SealHandover(w.B.ID(), w.B.PublicKey(), w.cards, []string{"001020000000001"}); !errors.Is(err, ErrInvalid) {
		t.Fatalf("mismatched lists: %v", err)
	}
	unknown, _ := escrow.NewICCID("898821199999999999")
	if _, err := w.A.SealHandover(w.B.ID(), w.B.PublicKey(), []escrow.ICCID{unknown}, []string{"001020000000001"}); !errors.Is(err, ErrUnknownSubscriber) {
		t.Fatalf("unknown card: %v", err)
	}
}

func FuzzParseHandover(f *testing.F) {
	w := newWorld(f, 2, 2)
	imsis, _ := w.B.AllocateIMSIs(2)
	h, err := w.A.SealHandover(w.B.ID(), w.B.PublicKey(), w.cards, imsis)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(AppendHandover(nil, &h))
	f.Add([]byte{1, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		h, err := ParseHandover(b)
		if err != nil {
			return
		}
		if !bytes.Equal(AppendHandover(nil, &h), b) {
			t.Fatal("handover does not re-encode to its input")
		}
		// Anything but the real handover fails to open; nothing panics.
		_, _ = w.B.OpenHandover(&h, w.A.PublicKey())
	})
}

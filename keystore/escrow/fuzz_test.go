package escrow

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"testing"
	"time"

	"github.com/uiccsim/uiccsim/keystore"
	"golang.org/x/crypto/nacl/box"
)

// FuzzParseCard: the card record decoder never panics, accepts only records
// that keep the invariants, and is canonical.
func FuzzParseCard(f *testing.F) {
	f.Add(appendCard(nil, &Card{Pairs: 4, Active: 0, Owners: []OperatorID{"MNO-A"}}))
	f.Add(appendCard(nil, &Card{Pairs: 255, Active: 2, Owners: []OperatorID{"MNO-A", "MNO-B", "00101"}}))
	f.Add([]byte{1, 1, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := parseCard("8988211000000530082", b)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error %v does not wrap ErrMalformed", err)
			}
			return
		}
		if c.Pairs < 1 || c.Active >= c.Pairs || len(c.Owners) != c.Active+1 {
			t.Fatalf("invariants broken: %+v", c)
		}
		if again := appendCard(nil, &c); !bytes.Equal(again, b) {
			t.Fatalf("not canonical:\n in %x\nout %x", b, again)
		}
	})
}

// FuzzParseAudit: the audit entry decoder never panics and is canonical.
func FuzzParseAudit(f *testing.F) {
	f.Add(appendAudit(nil, &AuditEntry{Time: time.Unix(1, 2), Event: EventRelease, ICCID: "8988211000000530082",
		Index: 3, Operator: "MNO-B"}))
	f.Add(appendAudit(nil, &AuditEntry{Time: time.Unix(1, 2), Event: EventSwitch, Refused: true, Index: -1,
		Operator: "MNO-A", To: "MNO-C", Reason: "escrow: operator is not the recorded owner"}))
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := parseAudit(1, b)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error %v does not wrap ErrMalformed", err)
			}
			return
		}
		if again := appendAudit(nil, &a); !bytes.Equal(again, b) {
			t.Fatalf("not canonical:\n in %x\nout %x", b, again)
		}
		_ = a.String()
	})
}

// FuzzParsePayload: the decoder of an opened release never panics, and
// what it accepts is a valid pair of the index it names.
func FuzzParsePayload(f *testing.F) {
	p := keystore.Pair{Index: 1, OTA: []keystore.OTAKeySet{{KVN: 1, KIc: keystore.OTAKey{Alg: keystore.AlgAES128},
		KID: keystore.OTAKey{Alg: keystore.AlgAES128}}}}
	enc, err := keystore.AppendPair(nil, &p)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(appendPayload(nil, "8988211000000530082", 1, "MNO-B", enc))
	f.Add(appendPayload(nil, "", 0, "", nil))
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := parsePayload(b)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error %v does not wrap ErrMalformed", err)
			}
			return
		}
		if d.Pair.Index != d.Index || d.Pair.Validate() != nil {
			t.Fatalf("accepted %+v", d)
		}
	})
}

// FuzzOpenRelease feeds arbitrary wire bytes to ParseRelease and
// OpenRelease: neither panics, and only a release the escrow signed for
// this operator opens.
func FuzzOpenRelease(f *testing.F) {
	fx := newFixture(f, 1, 2, nil)
	r, err := fx.e.Release(fx.iccid(f, 0), 0, fx.A.id)
	if err != nil {
		f.Fatal(err)
	}
	escrowKey := fx.e.PublicKey()
	// The fuzz workers are other processes with their own fixture; they
	// check the corpus against a fixed escrow key and operator key.
	pub, priv, _ := box.GenerateKey(bytes.NewReader(make([]byte, 64)))
	f.Add(AppendRelease(nil, &r))
	f.Fuzz(func(t *testing.T, b []byte) {
		rel, err := ParseRelease(b)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error %v does not wrap ErrMalformed", err)
			}
			return
		}
		if !bytes.Equal(AppendRelease(nil, &rel), b) {
			t.Fatalf("not canonical: %x", b)
		}
		for _, k := range []ed25519.PublicKey{escrowKey, ed25519.PublicKey(make([]byte, 32))} {
			if _, err := OpenRelease(&rel, k, pub, priv); !errors.Is(err, ErrMalformed) {
				t.Fatalf("a release not sealed to this operator opened: %v", err)
			}
		}
		if d, err := OpenRelease(&rel, escrowKey, fx.A.pub, fx.A.priv); err == nil {
			if d.ICCID != rel.ICCID || d.Index != rel.Index || d.Operator != fx.A.id {
				t.Fatalf("opened release names %s/%d/%s", d.ICCID, d.Index, d.Operator)
			}
		}
	})
}

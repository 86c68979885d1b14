package escrow

import (
	"bytes"
	"errors"
	"testing"

	"github.com/uiccsim/uiccsim/keystore"
)

// TestReleaseBatchGrantsOnlyWhatTheOwnerMayHave switches half of a fleet to
// B and lets B ask for all of it: B receives exactly the reported half,
// the rest is refused card by card, and all of it is audited.
func TestReleaseBatchGrantsOnlyWhatTheOwnerMayHave(t *testing.T) {
	f := newFixture(t, 10, 3, nil)
	var reqs []Request
	for i := range 10 {
		c := f.iccid(t, i)
		if i%2 == 0 {
			if err := f.e.ReportSwitch(c, f.A.id, f.B.id, 1); err != nil {
				t.Fatal(err)
			}
		}
		reqs = append(reqs, Request{ICCID: c, Index: 1})
	}
	reqs = append(reqs, Request{ICCID: f.iccid(t, 0), Index: 0}) // retired
	before := 0
	for range f.e.Audit(1) {
		before++
	}
	rel, refusals, err := f.e.ReleaseBatch(f.B.id, reqs)
	if err != nil {
		t.Fatal(err)
	}
	if rel.Count != 5 || len(refusals) != 11 {
		t.Fatalf("%v, %d refusals", rel, len(refusals))
	}
	for i, rf := range refusals[:10] {
		if i%2 == 0 && rf != nil {
			t.Errorf("request %d (switched) refused: %v", i, rf)
		}
		if i%2 == 1 && !errors.Is(rf, ErrNotOwner) {
			t.Errorf("request %d (not switched) = %v, want ErrNotOwner", i, rf)
		}
	}
	if !errors.Is(refusals[10], ErrNotOwner) {
		t.Errorf("B asking for A's pair 0 = %v, want ErrNotOwner", refusals[10])
	}
	ds, err := OpenBatchRelease(&rel, f.e.PublicKey(), f.B.pub, f.B.priv)
	if err != nil {
		t.Fatal(err)
	}
	for j, d := range ds {
		if d.ICCID != f.iccid(t, 2*j) || d.Index != 1 || !d.Pair.Equal(f.cardPair(t, d.ICCID, 1)) {
			t.Errorf("delivery %d: card %s index %d is not the card's pair", j, d.ICCID, d.Index)
		}
	}
	after := 0
	for range f.e.Audit(1) {
		after++
	}
	if after-before != len(reqs) {
		t.Errorf("%d audit entries for %d requests", after-before, len(reqs))
	}
	// An unregistered operator is refused for every request and gets no box.
	rel, refusals, err = f.e.ReleaseBatch("MNO-X", reqs[:2])
	if err != nil || rel.Sealed != nil || !errors.Is(refusals[0], ErrUnknownOperator) || !errors.Is(refusals[1], ErrUnknownOperator) {
		t.Errorf("unregistered operator: %v %v %v", rel, refusals, err)
	}
}

func TestBatchReleaseWireFormat(t *testing.T) {
	f := newFixture(t, 3, 2, nil)
	rel, _, err := f.e.ReleaseBatch(f.A.id, []Request{{f.iccid(t, 0), 0}, {f.iccid(t, 2), 0}})
	if err != nil {
		t.Fatal(err)
	}
	wire := AppendBatchRelease(nil, &rel)
	back, err := ParseBatchRelease(wire)
	if err != nil {
		t.Fatal(err)
	}
	if ds, err := OpenBatchRelease(&back, f.e.PublicKey(), f.A.pub, f.A.priv); err != nil || len(ds) != 2 {
		t.Fatalf("after the wire: %d, %v", len(ds), err)
	}
	for n := range len(wire) {
		if _, err := ParseBatchRelease(wire[:n]); !errors.Is(err, ErrMalformed) {
			t.Fatalf("ParseBatchRelease of %d/%d bytes = %v", n, len(wire), err)
		}
	}
	// A single release's signature does not verify as a batch's (domains).
	single, err := f.e.Release(f.iccid(t, 1), 0, f.A.id)
	if err != nil {
		t.Fatal(err)
	}
	fake := BatchRelease{Operator: f.A.id, Count: 1, Sealed: single.Sealed, Sig: single.Sig}
	if _, err := OpenBatchRelease(&fake, f.e.PublicKey(), f.A.pub, f.A.priv); !errors.Is(err, ErrMalformed) {
		t.Errorf("single release accepted as a batch: %v", err)
	}
}

// FuzzParseBatchRelease: the wire decoder never panics and is canonical.
func FuzzParseBatchRelease(f *testing.F) {
	f.Add(AppendBatchRelease(nil, &BatchRelease{Operator: "MNO-B", Count: 2, Sealed: make([]byte, 100), Sig: make([]byte, 64)}))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := ParseBatchRelease(b)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error %v does not wrap ErrMalformed", err)
			}
			return
		}
		if !bytes.Equal(AppendBatchRelease(nil, &r), b) {
			t.Fatalf("not canonical: %x", b)
		}
	})
}

// FuzzParseBatchPayload: the decoder of an opened batch never panics and
// accepts only valid pairs of the indices named.
func FuzzParseBatchPayload(f *testing.F) {
	p := keystore.Pair{Index: 2}
	enc, _ := keystore.AppendPair(nil, &p)
	good := appendBatchHeader(nil, "MNO-B", 2)
	good = appendBatchEntry(good, "8988211000000530082", 2, enc)
	good = appendBatchEntry(good, "8988211000000430010", 2, enc)
	f.Add(good)
	f.Add(appendBatchHeader(nil, "MNO-B", 0))
	f.Add(appendBatchHeader(nil, "MNO-B", 0xffffffff))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, ds, err := parseBatchPayload(b)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error %v does not wrap ErrMalformed", err)
			}
			return
		}
		for _, d := range ds {
			if d.Pair.Index != d.Index || d.Pair.Validate() != nil {
				t.Fatalf("accepted %+v", d)
			}
		}
	})
}

// TestReportSwitchBatchAppliesTheRulesPerCard moves a fleet in one report:
// cards A owns move, a card B already owns is refused, a card at its last
// pair is refused as exhausted, and the refusals leave those cards as
// they were.
func TestReportSwitchBatchAppliesTheRulesPerCard(t *testing.T) {
	f := newFixture(t, 4, 2, nil)
	if err := f.e.ReportSwitch(f.iccid(t, 3), f.A.id, f.B.id, 1); err != nil {
		t.Fatal(err)
	}
	reqs := []Request{{f.iccid(t, 0), 1}, {f.iccid(t, 1), 1}, {f.iccid(t, 2), 0}, {f.iccid(t, 3), 1}}
	refusals, err := f.e.ReportSwitchBatch(f.A.id, f.C.id, reqs)
	if err != nil {
		t.Fatal(err)
	}
	want := []error{nil, nil, ErrBackward, ErrNotOwner}
	for i, w := range want {
		if (w == nil) != (refusals[i] == nil) || (w != nil && !errors.Is(refusals[i], w)) {
			t.Errorf("switch %d: %v, want %v", i, refusals[i], w)
		}
	}
	for i, owner := range []OperatorID{f.C.id, f.C.id, f.A.id, f.B.id} {
		if c, err := f.e.Card(f.iccid(t, i)); err != nil || c.Owner() != owner {
			t.Errorf("card %d owner %s, want %s (%v)", i, c.Owner(), owner, err)
		}
	}
	refusals, err = f.e.ReportSwitchBatch(f.C.id, f.A.id, []Request{{f.iccid(t, 0), 2}})
	if err != nil || !errors.Is(refusals[0], ErrExhausted) {
		t.Errorf("switch past the last pair: %v, %v", refusals, err)
	}
	refusals, err = f.e.ReportSwitchBatch(f.C.id, "MNO-X", reqs[:1])
	if err != nil || !errors.Is(refusals[0], ErrUnknownOperator) {
		t.Errorf("switch to an unregistered operator: %v, %v", refusals, err)
	}
}

package escrow

import (
	"crypto/ed25519"
	"errors"
	"strings"
	"testing"

	"github.com/uiccsim/uiccsim/keystore"
)

func TestPersonaliseRevealsPair0ToTheInitialOperatorOnly(t *testing.T) {
	f := newFixture(t, 0, 0, nil)
	iccids := testICCIDs(t, 100, 5)
	var loaded []ICCID
	rel, err := f.e.Personalise(Batch{ICCIDs: iccids, Pairs: 4, Initial: f.A.id, TxCards: 2}, func(c ICCID, l *keystore.List) error {
		loaded = append(loaded, c)
		f.cards[c] = keystore.AppendList(nil, l)
		if l.Len() != 4 || l.ActiveIndex() != 0 {
			t.Errorf("card %s loaded with %v", c, l)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if rel.Count != 5 || rel.Operator != f.A.id || len(loaded) != 5 {
		t.Fatalf("%v, %d cards loaded, want 5", rel, len(loaded))
	}
	ds, err := OpenBatchRelease(&rel, f.e.PublicKey(), f.A.pub, f.A.priv)
	if err != nil {
		t.Fatalf("A opens its release: %v", err)
	}
	seen := map[keystore.Key128]bool{}
	for i, d := range ds {
		if d.ICCID != iccids[i] || d.Index != 0 || d.Operator != f.A.id {
			t.Errorf("delivery %d: %s/%d/%s", i, d.ICCID, d.Index, d.Operator)
		}
		if want := f.cardPair(t, d.ICCID, 0); !d.Pair.Equal(want) {
			t.Errorf("card %s: released pair 0 is not the card's pair 0", d.ICCID)
		}
		for j := range 4 {
			p := f.cardPair(t, d.ICCID, j)
			if seen[p.K] || seen[p.OPc] {
				t.Fatalf("card %s pair %d repeats a key", d.ICCID, j)
			}
			seen[p.K], seen[p.OPc] = true, true
		}
	}
	if _, err := OpenBatchRelease(&rel, f.e.PublicKey(), f.B.pub, f.B.priv); !errors.Is(err, ErrMalformed) {
		t.Errorf("B opens A's release: %v", err)
	}
	// A release signed by anyone but the escrow is refused.
	other := ed25519.NewKeyFromSeed(make([]byte, 32)).Public().(ed25519.PublicKey)
	if _, err := OpenBatchRelease(&rel, other, f.A.pub, f.A.priv); !errors.Is(err, ErrMalformed) {
		t.Errorf("release checked against another escrow key: %v", err)
	}
	// A count that differs from the box's is refused.
	forged := rel
	forged.Count = 4
	if _, err := OpenBatchRelease(&forged, f.e.PublicKey(), f.A.pub, f.A.priv); !errors.Is(err, ErrMalformed) {
		t.Errorf("release with a changed count: %v", err)
	}
	// Single releases: a box cut from one and pasted into another is refused.
	r0, err := f.e.Release(iccids[0], 0, f.A.id)
	if err != nil {
		t.Fatal(err)
	}
	r1, err := f.e.Release(iccids[1], 0, f.A.id)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := OpenRelease(&r0, f.e.PublicKey(), f.B.pub, f.B.priv); !errors.Is(err, ErrMalformed) {
		t.Errorf("B opens A's single release: %v", err)
	}
	r0.Sealed = r1.Sealed
	if _, err := OpenRelease(&r0, f.e.PublicKey(), f.A.pub, f.A.priv); !errors.Is(err, ErrMalformed) {
		t.Errorf("spliced release: %v", err)
	}
}

// TestReleaseRules walks one card through TR 33.812 §5.3.2.2 steps 2, 6, 7
// and 9, trying at every state the requests the escrow must refuse.
func TestReleaseRules(t *testing.T) {
	f := newFixture(t, 2, 4, nil)
	card := f.iccid(t, 0)
	unknown := f.iccid(t, 50)
	D := newOperator(t, "MNO-D") // never registered

	type step struct {
		name string
		do   func() error
		want error // nil: must succeed
	}
	release := func(i int, op operator) func() error {
		return func() error {
			r, err := f.e.Release(card, i, op.id)
			if err != nil {
				return err
			}
			d, err := OpenRelease(&r, f.e.PublicKey(), op.pub, op.priv)
			if err != nil {
				t.Fatalf("%s cannot open its release of pair %d: %v", op.id, i, err)
			}
			if !d.Pair.Equal(f.cardPair(t, card, i)) {
				t.Fatalf("%s received a pair %d that is not the card's", op.id, i)
			}
			return nil
		}
	}
	report := func(from, to operator, i int) func() error {
		return func() error { return f.e.ReportSwitch(card, from.id, to.id, i) }
	}
	steps := []step{
		{"A obtains pair 0 at any time while it owns the card", release(0, f.A), nil},
		{"B cannot obtain pair 1 before A reports the switch", release(1, f.B), ErrNotOwner},
		{"A cannot obtain pair 1 either", release(1, f.A), ErrNotOwner},
		{"C cannot obtain pair 0", release(0, f.C), ErrNotOwner},
		{"unregistered D cannot obtain pair 0", release(0, D), ErrUnknownOperator},
		{"unknown card", func() error { _, err := f.e.Release(unknown, 0, f.A.id); return err }, ErrUnknownCard},
		{"switch of an unknown card", func() error { return f.e.ReportSwitch(unknown, f.A.id, f.B.id, 1) }, ErrUnknownCard},
		{"index beyond the list", release(4, f.A), ErrIndexOutOfRange},
		{"negative index", release(-1, f.A), ErrIndexOutOfRange},
		{"B cannot report a switch of A's card", report(f.B, f.B, 1), ErrNotOwner},
		{"switch to the active index", report(f.A, f.B, 0), ErrBackward},
		{"switch beyond the list", report(f.A, f.B, 4), ErrIndexOutOfRange},
		{"switch to an unregistered operator", report(f.A, D, 1), ErrUnknownOperator},
		{"A reports the switch to B at index 1", report(f.A, f.B, 1), nil},
		{"B obtains pair 1", release(1, f.B), nil},
		{"C cannot obtain pair 1", release(1, f.C), ErrNotOwner},
		{"A cannot obtain pair 1", release(1, f.A), ErrNotOwner},
		{"A cannot obtain pair 0 any more: retired", release(0, f.A), ErrRetired},
		{"B cannot obtain pair 0", release(0, f.B), ErrNotOwner},
		{"A is no longer the owner and cannot report", report(f.A, f.C, 2), ErrNotOwner},
		{"B cannot move the card backward", report(f.B, f.C, 0), ErrBackward},
		{"B cannot report the same index", report(f.B, f.C, 1), ErrBackward},
		{"C cannot obtain pair 2 before B reports", release(2, f.C), ErrNotOwner},
		{"B reports a switch to C, skipping to index 3", report(f.B, f.C, 3), nil},
		{"C obtains pair 3", release(3, f.C), nil},
		{"pair 2, skipped over, is retired", release(2, f.C), ErrNotOwner},
		{"B cannot obtain pair 1 any more", release(1, f.B), ErrRetired},
		{"the list is exhausted: no switch past the last pair", report(f.C, f.A, 4), ErrExhausted},
		{"exhausted: no wrap-around to index 0", report(f.C, f.A, 0), ErrBackward},
	}
	refusals := 0
	for _, s := range steps {
		err := s.do()
		switch {
		case s.want == nil && err != nil:
			t.Fatalf("%s: %v", s.name, err)
		case s.want != nil && !errors.Is(err, s.want):
			t.Fatalf("%s: err = %v, want %v", s.name, err, s.want)
		case s.want != nil:
			refusals++
			if !strings.Contains(err.Error(), string(card)) && !errors.Is(err, ErrUnknownCard) {
				t.Errorf("%s: error %q does not name the card", s.name, err)
			}
		}
	}
	c, err := f.e.Card(card)
	if err != nil || c.Active != 3 || c.Owner() != f.C.id || c.Owners[1] != f.B.id {
		t.Fatalf("card record: %+v, %v", c, err)
	}
	// The other card was never touched.
	if c2, _ := f.e.Card(f.iccid(t, 1)); c2.Active != 0 || c2.Owner() != f.A.id {
		t.Errorf("other card: %+v", c2)
	}
	// Every refusal (and every success) is in the audit log, in order.
	var audited, refused int
	for a, err := range f.e.Audit(1) {
		if err != nil {
			t.Fatal(err)
		}
		if a.Event == EventRelease || a.Event == EventSwitch {
			audited++
			if a.Refused {
				refused++
				if a.Reason == "" {
					t.Errorf("refused entry without reason: %v", a)
				}
			}
		}
	}
	if audited != len(steps) || refused != refusals {
		t.Errorf("audit log holds %d release/switch entries (%d refused), want %d (%d)", audited, refused, len(steps), refusals)
	}
	if n, err := f.e.Verify(); err != nil || n != 2 {
		t.Errorf("Verify = %d cards, %v", n, err)
	}
}

func TestRegisterOperatorRefusesAnotherKey(t *testing.T) {
	f := newFixture(t, 0, 0, nil)
	if err := f.e.RegisterOperator(f.A.id, f.A.pub); err != nil {
		t.Errorf("registering the same key again: %v", err)
	}
	if err := f.e.RegisterOperator(f.A.id, f.B.pub); !errors.Is(err, ErrOperatorExists) {
		t.Errorf("registering another key for A: %v, want ErrOperatorExists", err)
	}
	if err := f.e.RegisterOperator("bad id", f.A.pub); !errors.Is(err, ErrInvalid) {
		t.Errorf("bad operator ID: %v", err)
	}
}

func TestPersonaliseRefusals(t *testing.T) {
	f := newFixture(t, 3, 2, nil)
	tests := []struct {
		name string
		b    Batch
		want error
	}{
		{"zero pairs", Batch{ICCIDs: testICCIDs(t, 10, 1), Pairs: 0, Initial: f.A.id}, ErrInvalid},
		{"too many pairs", Batch{ICCIDs: testICCIDs(t, 10, 1), Pairs: keystore.MaxPairs + 1, Initial: f.A.id}, ErrInvalid},
		{"bad ICCID", Batch{ICCIDs: []ICCID{"8988211000000530083"}, Pairs: 2, Initial: f.A.id}, ErrInvalid},
		{"unregistered initial operator", Batch{ICCIDs: testICCIDs(t, 10, 1), Pairs: 2, Initial: "MNO-X"}, ErrUnknownOperator},
		{"duplicate ICCID", Batch{ICCIDs: testICCIDs(t, 2, 2), Pairs: 2, Initial: f.A.id}, ErrCardExists},
		{"duplicate KVN in profile", Batch{ICCIDs: testICCIDs(t, 10, 1), Pairs: 2, Initial: f.A.id,
			OTA: []OTAProfile{{1, keystore.AlgAES128, keystore.AlgAES128}, {1, keystore.AlgDES, keystore.AlgDES}}}, ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := f.e.Personalise(tt.b, nil); !errors.Is(err, tt.want) {
				t.Errorf("Personalise = %v, want %v", err, tt.want)
			}
		})
	}
	// A failing load aborts its transaction: no card of it is recorded.
	boom := errors.New("card reader unplugged")
	iccids := testICCIDs(t, 20, 4)
	n := 0
	rel, err := f.e.Personalise(Batch{ICCIDs: iccids, Pairs: 2, Initial: f.A.id, TxCards: 2}, func(ICCID, *keystore.List) error {
		if n++; n == 3 {
			return boom
		}
		return nil
	})
	if !errors.Is(err, boom) || rel.Count != 2 {
		t.Fatalf("Personalise with a failing load = %v, %v", rel, err)
	}
	if ds, err := OpenBatchRelease(&rel, f.e.PublicKey(), f.A.pub, f.A.priv); err != nil || len(ds) != 2 || ds[1].ICCID != iccids[1] {
		t.Fatalf("pairs 0 of the committed cards: %d, %v", len(ds), err)
	}
	for i, c := range iccids {
		_, err := f.e.Card(c)
		if (i < 2) != (err == nil) {
			t.Errorf("card %d after the aborted batch: %v", i, err)
		}
	}
	if cards, err := f.e.Verify(); err != nil || cards != 5 {
		t.Errorf("Verify = %d, %v; want 5 cards", cards, err)
	}
}

func TestReleaseWireFormatRoundTrip(t *testing.T) {
	f := newFixture(t, 1, 2, nil)
	r, err := f.e.Release(f.iccid(t, 0), 0, f.A.id)
	if err != nil {
		t.Fatal(err)
	}
	wire := AppendRelease(nil, &r)
	back, err := ParseRelease(wire)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := OpenRelease(&back, f.e.PublicKey(), f.A.pub, f.A.priv); err != nil {
		t.Fatalf("OpenRelease after the wire: %v", err)
	}
	for n := range len(wire) {
		if _, err := ParseRelease(wire[:n]); !errors.Is(err, ErrMalformed) {
			t.Fatalf("ParseRelease of %d/%d bytes = %v", n, len(wire), err)
		}
	}
	wire[2+len(r.ICCID)] = 1 // claim index 1
	tampered, err := ParseRelease(wire)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := OpenRelease(&tampered, f.e.PublicKey(), f.A.pub, f.A.priv); !errors.Is(err, ErrMalformed) {
		t.Errorf("release with a changed index opened: %v", err)
	}
}

func TestWrongMasterKeyCannotOpenTheEscrow(t *testing.T) {
	f := newFixture(t, 1, 2, nil)
	if err := f.e.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(f.path, testMaster(2), nil); err == nil {
		t.Fatal("escrow opened under another master key")
	}
}

func TestMalformedRequestsAreRejectedBeforeTheStore(t *testing.T) {
	f := newFixture(t, 1, 2, nil)
	c := f.iccid(t, 0)
	before, _ := f.e.AuditAnchor()
	for _, err := range []error{
		func() error { _, err := f.e.Release("8988211000000530083", 0, f.A.id); return err }(),
		func() error { _, err := f.e.Release(c, 0, "bad id"); return err }(),
		f.e.ReportSwitch("12345", f.A.id, f.B.id, 1),
		f.e.ReportSwitch(c, f.A.id, "", 1),
		func() error { _, _, err := f.e.ReleaseBatch(f.A.id, []Request{{"x", 0}}); return err }(),
	} {
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("err = %v, want ErrInvalid", err)
		}
	}
	if after, _ := f.e.AuditAnchor(); after != before {
		t.Errorf("malformed requests reached the audit log: %d → %d entries", before.Seq, after.Seq)
	}
	if c2, _ := f.e.Card(c); c2.Active != 0 || c2.Owner() != f.A.id {
		t.Errorf("card changed: %+v", c2)
	}
}

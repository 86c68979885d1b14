package procedure

import (
	"github.com/uiccsim/uiccsim/ota/scp80"

	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/keystore/escrow"
	"github.com/uiccsim/uiccsim/keystore/operator"
	"github.com/uiccsim/uiccsim/usim/client"
)

// TR 33.812 §5.3.2.2 end to end: A → B → C over a list of three pairs, then
// the list is exhausted and the fourth move is refused with 6A84.
func TestAlternative3bEndToEndUntilExhausted(t *testing.T) {
	w := newWorld(t, 6, 3, 4)
	A, B, C, D := w.ops[0], w.ops[1], w.ops[2], w.ops[3]
	for step, pair := range []struct{ from, to *operator.Operator }{{A, B}, {B, C}} {
		c, err := NewCampaign(Alt3b, pair.from, pair.to, w.e, w.iccids, Options{Verify: true})
		if err != nil {
			t.Fatal(err)
		}
		rounds := moveAll(t, c, w.dial)
		r := rounds[0]
		if len(r.Moved) != 6 || r.Releases != 6 || r.Verified != 6 || len(rounds) != 1 {
			t.Fatalf("step %d: moved %d, releases %d, verified %d in %d rounds", step, len(r.Moved), r.Releases, r.Verified, len(rounds))
		}
		for _, id := range w.iccids {
			if pair.from.Has(id) {
				t.Fatalf("step %d: %s still has %s", step, pair.from.ID(), id)
			}
			if idx, _ := pair.to.ActiveIndex(id); idx != step+1 {
				t.Fatalf("step %d: %s holds pair %d", step, pair.to.ID(), idx)
			}
			if got := w.devs[id].Card.KeyState().Active; got != step+1 {
				t.Fatalf("step %d: card on pair %d", step, got)
			}
			if w.devs[id].IMSI.String() != c.IMSI(id) {
				t.Fatalf("step %d: terminal reads IMSI %s after REFRESH, want %s", step, w.devs[id].IMSI, c.IMSI(id))
			}
			card, err := w.e.Card(id)
			if err != nil || card.Owner() != pair.to.ID() || card.Active != step+1 {
				t.Fatalf("step %d: escrow records %+v (%v)", step, card, err)
			}
		}
	}
	// The last pair is active: C → D is refused by every card, with 6A84
	// in the PoR, and the devices stay with C.
	c, err := NewCampaign(Alt3b, C, D, w.e, w.iccids, Options{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := c.Run(w.dial)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Moved) != 0 || r.Count(CauseExhausted) != 6 || !c.Done() {
		t.Fatalf("exhausted list: moved %d, exhausted %d, failures %v", len(r.Moved), r.Count(CauseExhausted), r.Failures)
	}
	for _, f := range r.Failures {
		if f.SW != 0x6A84 || !errors.Is(f.Err, ErrExhausted) {
			t.Fatalf("%s: SW %04X, %v; want 6A84 wrapping ErrExhausted", f.ICCID, uint16(f.SW), f.Err)
		}
	}
	for _, id := range w.iccids {
		if !C.Has(id) || D.Has(id) {
			t.Fatalf("%s left C after an exhausted switch", id)
		}
		cl := client.New(w.devs[id])
		if got, err := C.Attach(cl); err != nil || got != id {
			t.Fatalf("%s no longer attaches to C: %v", id, err)
		}
		if _, err := w.e.Release(id, 3, D.ID()); !errors.Is(err, escrow.ErrIndexOutOfRange) && !errors.Is(err, escrow.ErrNotOwner) {
			t.Fatalf("D obtained a pair beyond the list: %v", err)
		}
	}
}

// Devices offline during the campaign are not stranded: A hands a device to
// B only after its PoR confirmed; the others stay with A, still served, and
// move when retried.
func TestOfflineDevicesStayWithOldOperatorAndMoveOnRetry(t *testing.T) {
	for _, alt := range []Alternative{Alt3a, Alt3b} {
		t.Run(alt.String(), func(t *testing.T) {
			w := newWorld(t, 8, 3, 2)
			A, B := w.ops[0], w.ops[1]
			off := w.iccids[:3]
			for _, id := range off {
				w.offline[id] = true
			}
			var progress atomic.Int32
			c, err := NewCampaign(alt, A, B, w.e, w.iccids, Options{Verify: true, RotateKeys: true, Workers: 3,
				Progress: func() { progress.Add(1) }})
			if err != nil {
				t.Fatal(err)
			}
			r, err := c.Run(w.dial)
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Moved) != 5 || r.Count(CauseOffline) != 3 || len(c.Pending()) != 3 {
				t.Fatalf("first round: moved %d, offline %d, pending %d: %v", len(r.Moved), r.Count(CauseOffline), len(c.Pending()), r.Failures)
			}
			for _, id := range off {
				if !A.Has(id) || B.Has(id) {
					t.Fatalf("offline %s handed over before its PoR", id)
				}
				if alt == Alt3b {
					if card, _ := w.e.Card(id); card.Owner() != A.ID() || card.Active != 0 {
						t.Fatalf("offline %s reported to the escrow: %+v", id, card)
					}
					if _, err := w.e.Release(id, 1, B.ID()); !errors.Is(err, escrow.ErrNotOwner) {
						t.Fatalf("B obtained the pair of an unconfirmed card: %v", err)
					}
				}
				// Still served by A: not stranded.
				w.offline[id] = false
				if got, err := A.Attach(client.New(w.devs[id])); err != nil || got != id {
					t.Fatalf("offline %s no longer served by A: %v", id, err)
				}
			}
			r, err = c.Run(w.dial)
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Moved) != 3 || len(r.Failures) != 0 || !c.Done() || r.Verified != 3 {
				t.Fatalf("retry: moved %d, verified %d, failures %v", len(r.Moved), r.Verified, r.Failures)
			}
			if len(c.Moved()) != 8 || A.Len() != 0 || B.Len() != 8 {
				t.Fatalf("after retry: moved %d, A %d, B %d", len(c.Moved()), A.Len(), B.Len())
			}
			if progress.Load() != 8 {
				t.Fatalf("progress counted %d devices, want 8 (offline ones once, when reached)", progress.Load())
			}
		})
	}
}

// After a 3b switch A's old OTA keys and old K are useless against the
// card: AUTHENTICATE answers 9862, OTA answers PoR status 01.
func TestAfter3bOldKeysAreUseless(t *testing.T) {
	w := newWorld(t, 2, 2, 2)
	A, B := w.ops[0], w.ops[1]
	id := w.iccids[0]
	old, err := A.Subscriber(id)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := NewCampaign(Alt3b, A, B, w.e, w.iccids[:1], Options{})
	moveAll(t, c, w.dial)
	cl := client.New(w.devs[id])
	if _, err := cl.SelectUSIM(); err != nil {
		t.Fatal(err)
	}
	err = operator.AuthenticateWith(cl, &old)
	if !errors.Is(err, apdu.SWAuthIncorrectMAC) {
		t.Fatalf("AUTHENTICATE with A's old K: %v, want 9862", err)
	}
	// A's old OTA keys, even with a fresh counter: the card answers an
	// unsecured PoR with status 01 (RC/CC/DS failed) or 05 (ciphering
	// error; which one depends on the padding counter the wrong KIc
	// deciphers to) and runs nothing.
	sc, err := operator.ServerCard(&old.Pair.OTA[0], [3]byte{0xBF, 0xFF, 0x33})
	if err != nil {
		t.Fatal(err)
	}
	sc.Counter = 1 << 30
	before := w.devs[id].Card.KeyState()
	_, res, err := sc.Run(w.devs[id], [][]byte{{0x80, 0xCA, 0, 0, 0}})
	if err != nil {
		t.Fatal(err)
	}
	if !OldKeysRefused(res.PoR) || res.PoR.Status != scp80.StatusRCCCDSFailed {
		t.Fatalf("OTA with A's old keys: PoR status %02X secured %v, want 01 unsecured", byte(res.PoR.Status), res.PoR.Secured)
	}
	if w.devs[id].Card.KeyState() != before {
		t.Fatal("a refused OTA command changed the card")
	}
	// B's keys work.
	if got, err := B.Attach(cl); err != nil || got != id {
		t.Fatalf("B: %v", err)
	}
	// And A cannot obtain the pair B now uses.
	if _, err := w.e.Release(id, 1, A.ID()); !errors.Is(err, escrow.ErrNotOwner) {
		t.Fatalf("A obtained B's pair: %v", err)
	}
}

// An operator cannot obtain a pair it is not the recorded owner of: not
// before the switch is reported, not another operator's pair, not a pair
// the card moved past.
func TestOnlyTheRecordedOwnerObtainsAPair(t *testing.T) {
	w := newWorld(t, 1, 3, 3)
	A, B, C := w.ops[0], w.ops[1], w.ops[2]
	id := w.iccids[0]
	for _, who := range []*operator.Operator{B, C} {
		if _, err := w.e.Release(id, 1, who.ID()); !errors.Is(err, escrow.ErrNotOwner) {
			t.Fatalf("%s before any report: %v", who.ID(), err)
		}
	}
	// C cannot report a switch of a card it does not own.
	if err := w.e.ReportSwitch(id, C.ID(), C.ID(), 1); !errors.Is(err, escrow.ErrNotOwner) {
		t.Fatalf("C reporting A's card: %v", err)
	}
	c, _ := NewCampaign(Alt3b, A, B, w.e, w.iccids, Options{})
	moveAll(t, c, w.dial)
	if _, err := w.e.Release(id, 1, C.ID()); !errors.Is(err, escrow.ErrNotOwner) {
		t.Fatalf("C obtaining B's pair: %v", err)
	}
	if _, err := w.e.Release(id, 2, B.ID()); !errors.Is(err, escrow.ErrNotOwner) {
		t.Fatalf("B obtaining the next pair before a switch: %v", err)
	}
	if _, err := w.e.Release(id, 0, A.ID()); !errors.Is(err, escrow.ErrRetired) {
		t.Fatalf("A obtaining the pair the card moved past: %v", err)
	}
	rel, refusals, err := w.e.ReleaseBatch(C.ID(), []escrow.Request{{ICCID: id, Index: 1}})
	if err != nil || !errors.Is(refusals[0], escrow.ErrNotOwner) || rel.Count != 0 {
		t.Fatalf("C batch: %v %v count %d", err, refusals, rel.Count)
	}
}

// TR 33.812 §5.3.1.2 end to end: A rewrites EF_IMSI over RFM, the card
// resets by REFRESH, A hands K and the OTA keys to B sealed, B rotates the
// keys over OTA, and the device authenticates to B only; then B → C.
func TestAlternative3aEndToEndWithRotation(t *testing.T) {
	w := newWorld(t, 4, 1, 3)
	A, B, C := w.ops[0], w.ops[1], w.ops[2]
	for step, pair := range []struct{ from, to *operator.Operator }{{A, B}, {B, C}} {
		before := map[escrow.ICCID]operator.Subscriber{}
		for _, id := range w.iccids {
			before[id], _ = pair.from.Subscriber(id)
		}
		act := map[escrow.ICCID]int{}
		for _, id := range w.iccids {
			act[id] = w.devs[id].Activations
		}
		c, err := NewCampaign(Alt3a, pair.from, pair.to, nil, w.iccids, Options{RotateKeys: true, Verify: true})
		if err != nil {
			t.Fatal(err)
		}
		rounds := moveAll(t, c, w.dial)
		r := rounds[0]
		if len(r.Moved) != 4 || r.Rotated != 4 || r.Verified != 4 {
			t.Fatalf("step %d: moved %d rotated %d verified %d", step, len(r.Moved), r.Rotated, r.Verified)
		}
		for _, id := range w.iccids {
			d := w.devs[id]
			if d.IMSI.String() != c.IMSI(id) {
				t.Fatalf("step %d: device presents %s, want %s", step, d.IMSI, c.IMSI(id))
			}
			if d.Activations <= act[id] {
				t.Fatalf("step %d: the card was not reset by REFRESH", step)
			}
			now, _ := pair.to.Subscriber(id)
			if now.Pair.K.Equal(before[id].Pair.K) || now.Pair.OTA[0].KIc.Equal(before[id].Pair.OTA[0].KIc) {
				t.Fatalf("step %d: keys not rotated", step)
			}
		}
	}
}

// Without the optional rotation, 3a leaves the old operator's K valid on the
// card: the weakness the rotation of step 6 closes. The test shows both.
func TestAlternative3aWithoutRotationLeavesOldKValid(t *testing.T) {
	w := newWorld(t, 1, 1, 2)
	A, B := w.ops[0], w.ops[1]
	id := w.iccids[0]
	old, _ := A.Subscriber(id)
	c, _ := NewCampaign(Alt3a, A, B, nil, w.iccids, Options{Verify: true})
	moveAll(t, c, w.dial)
	cl := client.New(w.devs[id])
	if _, err := cl.SelectUSIM(); err != nil {
		t.Fatal(err)
	}
	s := old.Clone()
	s.SEQ += 1000
	if err := operator.AuthenticateWith(cl, &s); err != nil {
		t.Fatalf("old K without rotation: %v (3a transfers K, so A's copy still works)", err)
	}
	if f := Rotate(B, w.devs[id], id); f != nil {
		t.Fatal(f.Err)
	}
	s.SEQ += 1000
	if err := operator.AuthenticateWith(cl, &s); !errors.Is(err, apdu.SWAuthIncorrectMAC) {
		t.Fatalf("old K after rotation: %v, want 9862", err)
	}
	if got, err := B.Attach(cl); err != nil || got != id {
		t.Fatalf("B after rotation: %v", err)
	}
}

// After a 3b move, none of the stores read raw holds a key in clear: the
// escrow file, the old operator's file and the new operator's file, checked
// for K, OPc and the OTA keys of every pair of every card.
func TestStoresHoldNoKeyInClearAfterAMove(t *testing.T) {
	w := newWorld(t, 5, 3, 2)
	A, B := w.ops[0], w.ops[1]
	c, _ := NewCampaign(Alt3b, A, B, w.e, w.iccids, Options{})
	moveAll(t, c, w.dial)
	files := []string{filepath.Join(w.dir, "escrow.db"), A.Store().Path(), B.Store().Path()}
	var raws [][]byte
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		raws = append(raws, b)
	}
	checked := 0
	for _, id := range w.iccids {
		l := w.lists[id]
		for i := range l.Len() {
			p, err := l.Pair(i)
			if err != nil {
				t.Fatal(err)
			}
			secrets := [][]byte{p.K[:], p.OPc[:]}
			for j := range p.OTA {
				secrets = append(secrets, p.OTA[j].KIc.Bytes(), p.OTA[j].KID.Bytes())
			}
			for _, s := range secrets {
				for fi, raw := range raws {
					if bytes.Contains(raw, s) {
						t.Fatalf("%s pair %d: a key appears in clear in %s", id, i, filepath.Base(files[fi]))
					}
				}
				checked++
			}
		}
	}
	if checked != 5*3*4 {
		t.Fatalf("checked %d keys", checked)
	}
}

// A campaign larger than its batch runs the back office batch by batch in
// one Run: every device moves, each batch one escrow report and release.
func TestBackOfficeInBatches(t *testing.T) {
	for _, alt := range []Alternative{Alt3a, Alt3b} {
		t.Run(alt.String(), func(t *testing.T) {
			w := newWorld(t, 7, 2, 2)
			A, B := w.ops[0], w.ops[1]
			c, err := NewCampaign(alt, A, B, w.e, w.iccids, Options{Batch: 3, Verify: true})
			if err != nil {
				t.Fatal(err)
			}
			r, err := c.Run(w.dial)
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Moved) != 7 || r.Verified != 7 || len(r.Failures) != 0 || !c.Done() {
				t.Fatalf("moved %d verified %d failures %v", len(r.Moved), r.Verified, r.Failures)
			}
			if alt == Alt3b && r.Releases != 7 {
				t.Fatalf("%d releases", r.Releases)
			}
			if A.Len() != 0 || B.Len() != 7 {
				t.Fatalf("A %d, B %d", A.Len(), B.Len())
			}
		})
	}
}

// lossy passes commands to the device but loses the response of ENVELOPE
// number drop (counting from 1): the card carried the command out, the
// network never sees the PoR.
type lossy struct {
	apdu.Transport
	drop, n int
	before  bool // lose the command itself instead of its response
}

func (l *lossy) Transmit(dst, cmd []byte) ([]byte, error) {
	if l.before && len(cmd) > 1 && cmd[1] == 0xC2 && l.n+1 == l.drop {
		l.n++
		return dst, errUnreachable
	}
	rsp, err := l.Transport.Transmit(dst, cmd)
	if err == nil && len(cmd) > 1 && cmd[1] == 0xC2 {
		l.n++
		if l.n == l.drop {
			return dst, errUnreachable
		}
	}
	return rsp, err
}

// A SWITCH whose PoR is lost leaves the device pending with A; on the retry
// the device presents B's IMSI, which proves the switch (EF_IMSI changes
// only with the pair), so A reports it and the device reaches B instead of
// being stranded between A's dead keys and B's unreleased pair.
func TestSwitchWithLostPoRIsConfirmedByThePresentedIMSI(t *testing.T) {
	for _, before := range []bool{false, true} {
		t.Run(fmt.Sprintf("command lost %v", before), func(t *testing.T) { switchWithLostPoR(t, before) })
	}
}

// switchWithLostPoR loses SWITCH's PoR (before false: the card switched and
// the device presents B's IMSI) or the command itself (before true: the
// device still presents A's IMSI and the retry sends SWITCH again).
func switchWithLostPoR(t *testing.T, before bool) {
	w := newWorld(t, 2, 3, 2)
	A, B := w.ops[0], w.ops[1]
	id := w.iccids[0]
	lossyDev := &lossy{Transport: w.devs[id], drop: 1, before: before}
	dial := func(c escrow.ICCID) (apdu.Transport, error) {
		if c == id {
			return lossyDev, nil
		}
		return w.dial(c)
	}
	c, err := NewCampaign(Alt3b, A, B, w.e, w.iccids, Options{Verify: true})
	if err != nil {
		t.Fatal(err)
	}
	r, err := c.Run(dial)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Moved) != 1 || r.Count(CauseOffline) != 1 || !A.Has(id) {
		t.Fatalf("first round: moved %d, offline %d: %v", len(r.Moved), r.Count(CauseOffline), r.Failures)
	}
	if want := map[bool]int{false: 1, true: 0}[before]; w.devs[id].Card.KeyState().Active != want {
		t.Fatalf("after the lossy round the card is on pair %d, want %d", w.devs[id].Card.KeyState().Active, want)
	}
	// Sending SWITCH again under A's keys would be refused (01/05): the
	// retry must recognise the switch instead.
	r, err = c.Run(dial)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Moved) != 1 || len(r.Failures) != 0 || r.Verified != 1 || !c.Done() {
		t.Fatalf("retry: moved %d verified %d failures %v", len(r.Moved), r.Verified, r.Failures)
	}
	if A.Has(id) || !B.Has(id) {
		t.Fatal("device not handed to B")
	}
	// One SWITCH (two if the first was lost before the card), plus the
	// verification's probe under A's old keys.
	if want := map[bool]int{false: 2, true: 3}[before]; lossyDev.n != want {
		t.Fatalf("%d ENVELOPEs, want %d", lossyDev.n, want)
	}
	if card, _ := w.e.Card(id); card.Owner() != B.ID() || card.Active != 1 {
		t.Fatalf("escrow: %+v", card)
	}
}

// A REPLACE KEYS whose PoR is lost: the new operator keeps the keys it sent
// and, on the retry, asks the card for its state under them; the card
// answers under the new keys, so the record takes them — no second rotation,
// and the device is not lost between two key sets.
func TestRotationWithLostPoRIsConfirmedUnderTheNewKeys(t *testing.T) {
	for _, before := range []bool{false, true} {
		t.Run(fmt.Sprintf("command lost %v", before), func(t *testing.T) { rotationWithLostPoR(t, before) })
	}
}

// rotationWithLostPoR loses REPLACE KEYS' PoR (before false: the card took
// the keys, the state query under them proves it) or the command itself
// (before true: the state query is refused with 01/05 and a fresh REPLACE
// KEYS follows).
func rotationWithLostPoR(t *testing.T, before bool) {
	w := newWorld(t, 1, 1, 2)
	A, B := w.ops[0], w.ops[1]
	id := w.iccids[0]
	l := &lossy{Transport: w.devs[id], drop: 2, before: before} // 1: the RFM IMSI rewrite, 2: REPLACE KEYS
	dial := func(escrow.ICCID) (apdu.Transport, error) { return l, nil }
	old, _ := A.Subscriber(id)
	c, err := NewCampaign(Alt3a, A, B, nil, w.iccids, Options{RotateKeys: true})
	if err != nil {
		t.Fatal(err)
	}
	r, err := c.Run(dial)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Moved) != 1 || r.Rotated != 0 || r.Count(CauseRotation) != 1 || len(c.Unrotated()) != 1 {
		t.Fatalf("first round: moved %d rotated %d failures %v", len(r.Moved), r.Rotated, r.Failures)
	}
	r, err = c.Run(dial)
	if err != nil {
		t.Fatal(err)
	}
	if r.Rotated != 1 || len(r.Failures) != 0 || !c.Done() {
		t.Fatalf("retry: rotated %d failures %v", r.Rotated, r.Failures)
	}
	// Not lost: the state query confirms (3 ENVELOPEs). Lost: the query
	// is refused and a fresh REPLACE KEYS follows (4).
	if want := map[bool]int{false: 3, true: 4}[before]; l.n != want {
		t.Fatalf("%d ENVELOPEs, want %d", l.n, want)
	}
	now, _ := B.Subscriber(id)
	if now.Pair.K.Equal(old.Pair.K) {
		t.Fatal("B still holds the transferred K")
	}
	if err := Verify(A, B, w.devs[id], id, &old); err != nil {
		t.Fatal(err)
	}
}

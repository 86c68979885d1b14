package procedure

import (
	"errors"
	"fmt"
	"testing"

	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/keystore/cardapp"
	"github.com/uiccsim/uiccsim/keystore/escrow"
	"github.com/uiccsim/uiccsim/keystore/operator"
	"github.com/uiccsim/uiccsim/ota/scp80"
	"github.com/uiccsim/uiccsim/usim"
	"github.com/uiccsim/uiccsim/usim/client"
	"github.com/uiccsim/uiccsim/usim/ef"
)

// switchWith sends SWITCH to pair index with imsi under A's keys for id,
// with the SPI and counter given, and returns the PoR.
func switchWith(t *testing.T, w *world, id escrow.ICCID, spi scp80.SPI, counter uint64, index int, imsi string) scp80.Response {
	t.Helper()
	s, err := w.ops[0].Subscriber(id)
	if err != nil {
		t.Fatal(err)
	}
	sc, err := operator.ServerCard(&s.Pair.OTA[0], cardapp.TAR)
	if err != nil {
		t.Fatal(err)
	}
	sc.SPI, sc.Counter = spi, counter
	im, _ := ef.NewIMSI(imsi)
	script, err := SwitchScript(index, im)
	if err != nil {
		t.Fatal(err)
	}
	_, res, err := sc.Run(w.devs[id], script)
	if err != nil {
		t.Fatal(err)
	}
	return res.PoR
}

// The card refuses SWITCH packets that do not meet the key-management
// application's security, or that replay a counter, with the exact PoR
// status of ETSI TS 102 225 §5.1.2, and changes nothing.
func TestSwitchRefusalsAnswerExactPoRStatus(t *testing.T) {
	w := newWorld(t, 1, 3, 2)
	id := w.iccids[0]
	d := w.devs[id]
	before := d.Card.KeyState()
	cases := []struct {
		name    string
		spi     scp80.SPI
		counter uint64
		want    scp80.Status
	}{
		{"no ciphering: insufficient security level", scp80.NewSPI(scp80.SPIOptions{Integrity: scp80.CryptoChecksum,
			Counter: scp80.CounterHigher, PoR: scp80.PoRAlways, PoRIntegrity: scp80.CryptoChecksum}), 5, scp80.StatusInsufficientSecurity},
		{"no counter: insufficient security level", scp80.NewSPI(scp80.SPIOptions{Integrity: scp80.CryptoChecksum, Ciphered: true,
			PoR: scp80.PoRAlways, PoRIntegrity: scp80.CryptoChecksum, PoRCiphered: true}), 5, scp80.StatusInsufficientSecurity},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			por := switchWith(t, w, id, c.spi, c.counter, 1, "001020000000001")
			if por.Status != c.want {
				t.Fatalf("PoR status %02X, want %02X", byte(por.Status), byte(c.want))
			}
			if d.Card.KeyState() != before || d.IMSI.String() != w.imsi0[id] {
				t.Fatal("a refused SWITCH changed the card")
			}
		})
	}
	// A valid SWITCH with counter 9 is accepted; its replay is CNTR low.
	good := operator.SPI
	por := switchWith(t, w, id, good, 8, 1, "001020000000001")
	if por.Status != scp80.StatusOK || d.Card.KeyState().Active != 1 {
		t.Fatalf("valid SWITCH: PoR %02X, active %d", byte(por.Status), d.Card.KeyState().Active)
	}
	// The card now runs on pair 1, whose counter restarted; a replay under
	// pair 0's keys is refused for the keys, whatever the counter.
	por = switchWith(t, w, id, good, 8, 2, "001020000000002")
	if !OldKeysRefused(por) || d.Card.KeyState().Active != 1 {
		t.Fatalf("replay under the old keys: PoR %02X secured %v, active %d", byte(por.Status), por.Secured, d.Card.KeyState().Active)
	}
}

// Commands the key-management application runs and refuses travel as
// status words in a PoR OK: a move backward answers 6985, an index beyond
// the list 6A88; the campaign reports them as CauseRefused with the SW.
func TestSwitchCommandRefusalsAreReportedWithTheirStatusWord(t *testing.T) {
	w := newWorld(t, 1, 3, 2)
	A := w.ops[0]
	id := w.iccids[0]
	for _, c := range []struct {
		index int
		want  apdu.StatusWord
	}{{0, 0x6985}, {7, 0x6A88}} {
		s, _ := A.Subscriber(id)
		im, _ := ef.NewIMSI("001020000000009")
		script, _ := SwitchScript(c.index, im)
		res, err := A.RunOTA(w.devs[id], id, cardapp.TAR, script)
		f := Judge(id, 1, res, err)
		if f == nil || f.Cause != CauseRefused || f.SW != c.want || !errors.Is(f.Err, ErrRefused) {
			t.Fatalf("SWITCH to %d: %+v, want CauseRefused %04X", c.index, f, uint16(c.want))
		}
		if res.Result.PoR.Status != scp80.StatusOK {
			t.Fatalf("PoR status %02X, want 00", byte(res.Result.PoR.Status))
		}
		if w.devs[id].Card.KeyState().Active != 0 {
			t.Fatal("a refused SWITCH moved the card")
		}
		_ = s
	}
}

// A power loss at any persistent write of a SWITCH leaves the card wholly on
// the old subscription (IMSI, pair 0, A's keys authenticate) or wholly on
// the new one (B's IMSI, pair 1, pair 1's keys authenticate), never a mix.
// The card-level test, byte for byte over the whole store image and during
// recovery, is usim's TestTearingSwitch; this one drives the SWITCH the way
// the procedure sends it and checks the outcome as the operators see it.
func TestPowerLossDuringSwitchIsAllOrNothing(t *testing.T) {
	sawOld, sawNew := false, false
	for n := 0; n < 400; n++ {
		w := newWorld(t, 1, 2, 2)
		A := w.ops[0]
		id := w.iccids[0]
		oldSub, _ := A.Subscriber(id)
		newIMSI := "001020000000077"
		im, _ := ef.NewIMSI(newIMSI)
		script, _ := SwitchScript(1, im)
		card := w.devs[id].Card
		st := card.Store()
		st.FailAfter(n)
		_, _ = A.RunOTA(w.devs[id], id, cardapp.TAR, script)
		torn := st.Dead()
		st.FailAfter(-1)
		if err := st.Restart(); err != nil {
			t.Fatalf("write %d: restart: %v", n, err)
		}
		c2, err := usim.Open(st)
		if err != nil {
			t.Fatalf("write %d: reopen: %v", n, err)
		}
		term := usim.NewTerminal(c2)
		if err := term.Activate(); err != nil {
			t.Fatalf("write %d: activate: %v", n, err)
		}
		cl := client.New(term)
		if _, err := cl.SelectUSIM(); err != nil {
			t.Fatal(err)
		}
		ks := c2.KeyState()
		switch {
		case term.IMSI.String() == w.imsi0[id] && ks.Active == 0:
			sawOld = true
			s := oldSub.Clone()
			s.SEQ += 100
			if err := operator.AuthenticateWith(cl, &s); err != nil {
				t.Fatalf("write %d: old subscription does not authenticate with pair 0: %v", n, err)
			}
		case term.IMSI.String() == newIMSI && ks.Active == 1:
			sawNew = true
			p1, _ := w.lists[id].Pair(1)
			s := operator.Subscriber{ICCID: id, IMSI: newIMSI, Pair: p1.Clone()}
			if err := operator.AuthenticateWith(cl, &s); err != nil {
				t.Fatalf("write %d: new subscription does not authenticate with pair 1: %v", n, err)
			}
			if _, err := c2.SQNState(); err != nil {
				t.Fatal(err)
			}
		default:
			t.Fatalf("write %d: mixed state: IMSI %s, active pair %d", n, term.IMSI, ks.Active)
		}
		if !torn {
			if ks.Active != 1 {
				t.Fatalf("untorn SWITCH left pair %d active", ks.Active)
			}
			if !sawOld || !sawNew {
				t.Errorf("tearing never exercised both outcomes (old %v, new %v)", sawOld, sawNew)
			}
			t.Logf("SWITCH completes after %d persistent writes; every cut before left old or new", n)
			return
		}
	}
	t.Fatal(fmt.Sprint("SWITCH never completed within 400 writes"))
}

// Alternative 3a's RFM refusals, with the exact codes: a script naming a file
// the card does not have runs with PoR OK and answers 6A82 (CauseRefused); a
// replayed counter is PoR status 02 (CNTR low); a TAR the card does not
// serve is 09 (TAR unknown). None changes EF_IMSI.
func TestRFMRefusalsAnswerExactCodes(t *testing.T) {
	w := newWorld(t, 1, 1, 2)
	A := w.ops[0]
	id := w.iccids[0]
	d := w.devs[id]

	res, err := A.RunOTA(d, id, scp80.TARRFMUSIM, [][]byte{{0x00, 0xA4, 0x00, 0x0C, 0x02, 0x6F, 0x99}})
	f := Judge(id, 1, res, err)
	if f == nil || f.Cause != CauseRefused || f.SW != apdu.SWFileNotFound || res.Result.PoR.Status != scp80.StatusOK {
		t.Fatalf("unknown EF: %+v", f)
	}

	s, _ := A.Subscriber(id)
	sc, err := operator.ServerCard(&s.Pair.OTA[0], scp80.TARRFMUSIM)
	if err != nil {
		t.Fatal(err)
	}
	sc.Counter = s.Pair.OTA[0].Counter - 1 // the counter just used, again
	im, _ := ef.NewIMSI("001020000000005")
	_, r, err := sc.Run(d, IMSIScript(im))
	if err != nil || r.PoR.Status != scp80.StatusCounterLow {
		t.Fatalf("replayed counter: %v, PoR %02X, want 02", err, byte(r.PoR.Status))
	}

	res, err = A.RunOTA(d, id, scp80.TAR{0xB0, 0x00, 0x99}, IMSIScript(im))
	f = Judge(id, 2, res, err)
	if f == nil || f.Cause != CausePoR || f.Status != scp80.StatusTARUnknown || !errors.Is(f.Err, ErrPoR) {
		t.Fatalf("unknown TAR: %+v", f)
	}

	cl := client.New(d)
	got, err := cl.ReadIMSI()
	if err != nil || got.String() != w.imsi0[id] {
		t.Fatalf("EF_IMSI %v after refusals (%v), want %s", got, err, w.imsi0[id])
	}
}

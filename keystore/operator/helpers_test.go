package operator

import (
	"crypto/rand"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/uiccsim/uiccsim/keystore"
	"github.com/uiccsim/uiccsim/keystore/escrow"
	"github.com/uiccsim/uiccsim/keystore/sealed"
	"github.com/uiccsim/uiccsim/usim"
	"github.com/uiccsim/uiccsim/usim/client"
	"github.com/uiccsim/uiccsim/usim/profile"
)

func testMaster(t testing.TB) *sealed.MasterKey {
	t.Helper()
	var k sealed.MasterKey
	if _, err := rand.Read(k[:]); err != nil {
		t.Fatal(err)
	}
	return &k
}

// world is an escrow, operators A and B registered with it, and n cards
// personalised for A with pairs pairs each; A is onboarded with the cards.
type world struct {
	dir   string
	e     *escrow.Escrow
	A, B  *Operator
	cards []escrow.ICCID
	lists map[escrow.ICCID]*keystore.List // each card's list as the factory wrote it
}

func newWorld(t testing.TB, n, pairs int) *world {
	t.Helper()
	w := &world{dir: t.TempDir(), lists: map[escrow.ICCID]*keystore.List{}}
	var err error
	if w.e, err = escrow.Open(filepath.Join(w.dir, "escrow.db"), testMaster(t), &sealed.Options{NoSync: true}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = w.e.Close() })
	w.A = openOperator(t, w.e, filepath.Join(w.dir, "a.db"), Config{ID: "MNO-A", PLMN: "00101"})
	w.B = openOperator(t, w.e, filepath.Join(w.dir, "b.db"), Config{ID: "MNO-B", PLMN: "00102"})
	for i := range n {
		c, err := escrow.NewICCID(fmt.Sprintf("8988211%011d", i))
		if err != nil {
			t.Fatal(err)
		}
		w.cards = append(w.cards, c)
	}
	if n == 0 {
		return w
	}
	rel, err := w.e.Personalise(escrow.Batch{ICCIDs: w.cards, Pairs: pairs, Initial: w.A.ID()}, func(c escrow.ICCID, l *keystore.List) error {
		w.lists[c] = l.Clone()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	imsis, err := w.A.AllocateIMSIs(n)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.A.Onboard(&rel, imsis); err != nil {
		t.Fatal(err)
	}
	return w
}

func openOperator(t testing.TB, e *escrow.Escrow, path string, cfg Config) *Operator {
	t.Helper()
	o, err := Open(path, testMaster(t), cfg, &sealed.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = o.Close() })
	if err := o.Register(e); err != nil {
		t.Fatal(err)
	}
	return o
}

// card builds the emulated UICC of card iccid as the factory personalised
// it, with the IMSI operator A assigned, PIN1 disabled as on M2M devices.
func (w *world) card(t testing.TB, iccid escrow.ICCID, imsi string) *client.Client {
	t.Helper()
	p := profile.Default()
	p.ICCID = string(iccid)
	p.IMSI = imsi
	act := w.lists[iccid].Active()
	p.Auth.K = profile.Key128(act.K)
	opc := profile.Key128(act.OPc)
	p.Auth.OPc = &opc
	off := false
	p.PINs.PIN1.Enabled = &off
	c, err := usim.New(p)
	if err != nil {
		t.Fatal(err)
	}
	cl := client.New(c)
	if _, err := cl.SelectUSIM(); err != nil {
		t.Fatal(err)
	}
	return cl
}

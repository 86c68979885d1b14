package procedure

import (
	"crypto/rand"
	"errors"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/keystore"
	"github.com/uiccsim/uiccsim/keystore/escrow"
	"github.com/uiccsim/uiccsim/keystore/operator"
	"github.com/uiccsim/uiccsim/keystore/sealed"
	"github.com/uiccsim/uiccsim/usim"
)

var errUnreachable = errors.New("test: device not attached to any network")

// world is an escrow, operators MNO-A, MNO-B, ... registered with it, and a
// fleet personalised with pairs pairs per card, onboarded by MNO-A, each card
// behind an activated test terminal.
type world struct {
	dir     string
	e       *escrow.Escrow
	ops     []*operator.Operator
	iccids  []escrow.ICCID
	devs    map[escrow.ICCID]*usim.Terminal
	offline map[escrow.ICCID]bool
	lists   map[escrow.ICCID]*keystore.List // each card's list as the factory wrote it
	imsi0   map[escrow.ICCID]string         // the initial IMSIs
}

func newWorld(t testing.TB, n, pairs, operators int) *world {
	t.Helper()
	w := &world{dir: t.TempDir(), devs: map[escrow.ICCID]*usim.Terminal{}, offline: map[escrow.ICCID]bool{},
		lists: map[escrow.ICCID]*keystore.List{}, imsi0: map[escrow.ICCID]string{}}
	var err error
	if w.e, err = escrow.Open(filepath.Join(w.dir, "escrow.db"), master(t), &sealed.Options{NoSync: true}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = w.e.Close() })
	for i := range operators {
		id := escrow.OperatorID(fmt.Sprintf("MNO-%c", 'A'+i))
		o, err := operator.Open(filepath.Join(w.dir, string(id)+".db"), master(t),
			operator.Config{ID: id, PLMN: fmt.Sprintf("0010%d", i+1)}, &sealed.Options{NoSync: true})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = o.Close() })
		if err := o.Register(w.e); err != nil {
			t.Fatal(err)
		}
		w.ops = append(w.ops, o)
	}
	for i := range n {
		c, err := escrow.NewICCID(fmt.Sprintf("8988211%011d", i))
		if err != nil {
			t.Fatal(err)
		}
		w.iccids = append(w.iccids, c)
	}
	A := w.ops[0]
	imsis, err := A.AllocateIMSIs(n)
	if err != nil {
		t.Fatal(err)
	}
	imsiOf := map[escrow.ICCID]string{}
	for i, c := range w.iccids {
		imsiOf[c] = imsis[i]
	}
	rel, err := w.e.Personalise(escrow.Batch{ICCIDs: w.iccids, Pairs: pairs, Initial: A.ID()}, func(c escrow.ICCID, l *keystore.List) error {
		d, err := NewDevice(c, imsiOf[c], l)
		if err != nil {
			return err
		}
		w.devs[c] = d
		w.lists[c] = l.Clone()
		w.imsi0[c] = imsiOf[c]
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := A.Onboard(&rel, imsis); err != nil {
		t.Fatal(err)
	}
	if err := A.Sync(); err != nil {
		t.Fatal(err)
	}
	return w
}

func master(t testing.TB) *sealed.MasterKey {
	var k sealed.MasterKey
	if _, err := rand.Read(k[:]); err != nil {
		t.Fatal(err)
	}
	return &k
}

func (w *world) dial(id escrow.ICCID) (apdu.Transport, error) {
	if w.offline[id] {
		return nil, errUnreachable
	}
	d, ok := w.devs[id]
	if !ok {
		return nil, fmt.Errorf("no device %s", id)
	}
	return d, nil
}

// moveAll runs a campaign until nothing is left to retry (at most 5 rounds)
// and fails the test on any failure other than the allowed causes.
func moveAll(t testing.TB, c *Campaign, dial Dialer, allowed ...Cause) []Round {
	t.Helper()
	var rounds []Round
	for i := 0; i < 5 && !c.Done(); i++ {
		r, err := c.Run(dial)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range r.Failures {
			ok := false
			for _, a := range allowed {
				ok = ok || f.Cause == a
			}
			if !ok {
				t.Fatalf("round %d: %s: %v (%v)", i, f.ICCID, f.Cause, f.Err)
			}
		}
		rounds = append(rounds, r)
	}
	return rounds
}

package escrow

import (
	"errors"
	"sync"
	"testing"
)

// TestConcurrentSwitchesAndReleases runs switch reports and releases for
// many cards from many goroutines; every request is decided by the state
// it sees (no torn reads), B gets every pair it owns, and the audit log
// holds exactly one entry per request.
func TestConcurrentSwitchesAndReleases(t *testing.T) {
	const cards = 40
	f := newFixture(t, cards, 3, nil)
	var wg sync.WaitGroup
	errs := make(chan error, cards*4)
	for i := range cards {
		c := f.iccid(t, i)
		wg.Go(func() {
			if err := f.e.ReportSwitch(c, f.A.id, f.B.id, 1); err != nil {
				errs <- err
				return
			}
			r, err := f.e.Release(c, 1, f.B.id)
			if err != nil {
				errs <- err
				return
			}
			if _, err := OpenRelease(&r, f.e.PublicKey(), f.B.pub, f.B.priv); err != nil {
				errs <- err
			}
		})
		wg.Go(func() {
			// C races A's report: it must be refused whatever the order.
			if _, err := f.e.Release(c, 1, f.C.id); !errors.Is(err, ErrNotOwner) {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	n := 0
	for a, err := range f.e.Audit(1) {
		if err != nil {
			t.Fatal(err)
		}
		if a.Event == EventRelease || a.Event == EventSwitch {
			n++
		}
	}
	if n != cards*3 {
		t.Errorf("%d release/switch entries audited, want %d", n, cards*3)
	}
	if got, err := f.e.Verify(); err != nil || got != cards {
		t.Errorf("Verify = %d, %v", got, err)
	}
}

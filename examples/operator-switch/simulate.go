package main

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"time"

	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/keystore"
	"github.com/uiccsim/uiccsim/keystore/escrow"
	"github.com/uiccsim/uiccsim/keystore/operator"
	"github.com/uiccsim/uiccsim/keystore/procedure"
	"github.com/uiccsim/uiccsim/keystore/sealed"
	"github.com/uiccsim/uiccsim/usim"
)

// errSetup marks a failure before any device moved.
var errSetup = errors.New("setup")

// errUnreachable is what the dialer answers for a device that is offline.
var errUnreachable = errors.New("device not attached to any network")

// errPoRLost is what a lossy link answers instead of the PoR.
var errPoRLost = errors.New("link lost the response")

// fleet is one set of devices that moves with one alternative.
type fleet struct {
	alt     procedure.Alternative
	iccids  []escrow.ICCID
	devs    map[escrow.ICCID]*usim.Terminal
	mu      sync.Mutex
	offline map[escrow.ICCID]bool
	lossy   map[escrow.ICCID]*dropLink
}

func (f *fleet) dial(id escrow.ICCID) (apdu.Transport, error) {
	f.mu.Lock()
	off, l := f.offline[id], f.lossy[id]
	f.mu.Unlock()
	if off {
		return nil, errUnreachable
	}
	if l != nil {
		return l, nil
	}
	d, ok := f.devs[id]
	if !ok {
		return nil, fmt.Errorf("no device %s", id)
	}
	return d, nil
}

// dropLink is a device whose link loses the response to the first ENVELOPE
// after the card carried it out: the PoR never reaches the operator.
type dropLink struct {
	apdu.Transport
	dropped bool
}

func (d *dropLink) Transmit(dst, cmd []byte) ([]byte, error) {
	rsp, err := d.Transport.Transmit(dst, cmd)
	if err == nil && !d.dropped && len(cmd) > 1 && cmd[1] == 0xC2 {
		d.dropped = true
		return dst, errPoRLost
	}
	return rsp, err
}

// disturb marks, deterministically from a hash of (ICCID, step), a share of
// the fleet offline and another share whose first PoR is lost, and returns
// how many of each.
func (f *fleet) disturb(offShare, lostShare float64, step int) (offline, lost int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	clear(f.offline)
	clear(f.lossy)
	offLimit := uint64(offShare * (1 << 32))
	lostLimit := uint64(lostShare * (1 << 32))
	for _, id := range f.iccids {
		h := sha256.Sum256([]byte(fmt.Sprintf("%s/%d", id, step)))
		a := uint64(h[0])<<24 | uint64(h[1])<<16 | uint64(h[2])<<8 | uint64(h[3])
		b := uint64(h[4])<<24 | uint64(h[5])<<16 | uint64(h[6])<<8 | uint64(h[7])
		switch {
		case a < offLimit:
			f.offline[id] = true
			offline++
		case b < lostLimit:
			f.lossy[id] = &dropLink{Transport: f.devs[id]}
			lost++
		}
	}
	return offline, lost
}

// settle brings every device online on a clean link.
func (f *fleet) settle() {
	f.mu.Lock()
	clear(f.offline)
	clear(f.lossy)
	f.mu.Unlock()
}

// stepResult is one move of one fleet.
type stepResult struct {
	alt            procedure.Alternative
	from, to       escrow.OperatorID
	devices        int
	moved          int
	rotated        int
	verified       int
	releases       int
	rounds         int
	offlineFirst   int
	lostFirst      int
	failures       map[procedure.Cause]int
	firstFailure   map[procedure.Cause]string
	exhausted      int
	exhaustedSW    string
	bad            []escrow.ICCID // devices that failed for good (not offline, not exhausted)
	ota, back, ver time.Duration
	wall           time.Duration
}

// simulate builds the escrow, the operators and both fleets, runs every
// move, and returns the report.
func simulate(cfg config, pr *progress) (*report, error) {
	rep := &report{cfg: cfg, started: time.Now()}
	cpu0 := cpuTime()
	defer func() {
		if c := cpuTime(); c > 0 {
			rep.cpu = c - cpu0
		}
	}()
	opts := &sealed.Options{NoSync: !cfg.fsync}
	master, err := newMaster()
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errSetup, err)
	}
	t0 := time.Now()
	e, err := escrow.Open(filepath.Join(cfg.dir, "escrow.db"), master, opts)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errSetup, err)
	}
	defer e.Close()
	nops := cfg.pairs + 1 // A, B, ... one per pair, and one more for the exhausted move
	ops := make([]*operator.Operator, nops)
	for i := range ops {
		id := escrow.OperatorID(fmt.Sprintf("MNO-%c", 'A'+i))
		om, err := newMaster()
		if err != nil {
			return nil, fmt.Errorf("%w: %w", errSetup, err)
		}
		o, err := operator.Open(filepath.Join(cfg.dir, string(id)+".db"), om,
			operator.Config{ID: id, PLMN: fmt.Sprintf("001%02d", i+1)}, opts)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", errSetup, err)
		}
		defer o.Close()
		if err := o.Register(e); err != nil {
			return nil, fmt.Errorf("%w: %w", errSetup, err)
		}
		ops[i] = o
	}
	f3a, err := personalise(e, ops[0], procedure.Alt3a, "89882110", cfg.devices, 1)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errSetup, err)
	}
	f3b, err := personalise(e, ops[0], procedure.Alt3b, "89882120", cfg.devices, cfg.pairs)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errSetup, err)
	}
	rep.setup = time.Since(t0)

	type move struct {
		f        *fleet
		from, to int
		expect   procedure.Cause // 0: every device moves; CauseExhausted: none may
	}
	moves := []move{{f3a, 0, 1, 0}, {f3a, 1, 2, 0}}
	for i := 0; i+1 < cfg.pairs; i++ {
		moves = append(moves, move{f3b, i, i + 1, 0})
	}
	moves = append(moves, move{f3b, cfg.pairs - 1, cfg.pairs, procedure.CauseExhausted})
	pr.start(len(moves) * cfg.devices)
	for step, m := range moves {
		res, err := runMove(cfg, e, ops[m.from], ops[m.to], m.f, step, m.expect, pr)
		if res != nil {
			rep.steps = append(rep.steps, *res)
		}
		if err != nil {
			pr.done()
			return rep, err
		}
	}
	pr.done()
	rep.wall = time.Since(rep.started)

	// Who holds each device at the end: every 3a device MNO-C, every 3b
	// device the last owner of its list. A device anywhere else, or
	// nowhere, is lost.
	lost := map[escrow.ICCID]bool{}
	for _, st := range rep.steps {
		for _, id := range st.bad {
			lost[id] = true
		}
	}
	final3a, final3b := ops[2], ops[cfg.pairs-1]
	for _, chk := range []struct {
		f    *fleet
		want *operator.Operator
	}{{f3a, final3a}, {f3b, final3b}} {
		for _, id := range chk.f.iccids {
			holders := 0
			for _, o := range ops {
				if o.Has(id) {
					holders++
				}
			}
			if holders != 1 || !chk.want.Has(id) {
				lost[id] = true
			}
		}
	}
	rep.lost = len(lost)
	for ent, err := range e.Audit(1) {
		if err != nil {
			return rep, err
		}
		rep.audit++
		if ent.Event == escrow.EventRelease && !ent.Refused {
			rep.auditReleases++
		}
	}
	cards, err := e.Verify()
	if err != nil {
		return rep, fmt.Errorf("escrow verify: %w", err)
	}
	rep.escrowCards = cards
	return rep, nil
}

// personalise has the escrow generate n cards of pairs pairs for the
// initial operator (one batch, TR 33.812 §5.3.2.2 step 2), builds each
// card and its terminal, and onboards the operator with pair 0 of each.
func personalise(e *escrow.Escrow, initial *operator.Operator, alt procedure.Alternative, prefix string, n, pairs int) (*fleet, error) {
	f := &fleet{alt: alt, devs: make(map[escrow.ICCID]*usim.Terminal, n), offline: map[escrow.ICCID]bool{},
		lossy: map[escrow.ICCID]*dropLink{}}
	for i := range n {
		c, err := escrow.NewICCID(fmt.Sprintf("%s%010d", prefix, i))
		if err != nil {
			return nil, err
		}
		f.iccids = append(f.iccids, c)
	}
	imsis, err := initial.AllocateIMSIs(n)
	if err != nil {
		return nil, err
	}
	imsiOf := make(map[escrow.ICCID]string, n)
	for i, c := range f.iccids {
		imsiOf[c] = imsis[i]
	}
	rel, err := e.Personalise(escrow.Batch{ICCIDs: f.iccids, Pairs: pairs, Initial: initial.ID(), TxCards: 1024},
		func(c escrow.ICCID, l *keystore.List) error {
			d, err := procedure.NewDevice(c, imsiOf[c], l)
			if err != nil {
				return err
			}
			f.devs[c] = d
			return nil
		})
	if err != nil {
		return nil, err
	}
	if err := initial.Onboard(&rel, imsis); err != nil {
		return nil, err
	}
	return f, initial.Sync()
}

// runMove moves fleet f from one operator to the next: a first round with
// some devices offline, then retries with every device online.
func runMove(cfg config, e *escrow.Escrow, from, to *operator.Operator, f *fleet, step int, expect procedure.Cause, pr *progress) (*stepResult, error) {
	esc := e
	if f.alt == procedure.Alt3a {
		esc = nil
	}
	res := &stepResult{alt: f.alt, from: from.ID(), to: to.ID(), devices: len(f.iccids),
		failures: map[procedure.Cause]int{}, firstFailure: map[procedure.Cause]string{}}
	start := time.Now()
	c, err := procedure.NewCampaign(f.alt, from, to, esc, f.iccids, procedure.Options{
		RotateKeys: f.alt == procedure.Alt3a, Verify: true, Workers: cfg.workers, Progress: pr.add})
	if err != nil {
		return res, err
	}
	res.offlineFirst, res.lostFirst = f.disturb(cfg.offline, cfg.lost, step)
	for round := 0; round < 4 && !c.Done(); round++ {
		if round == 1 {
			f.settle()
		}
		r, err := c.Run(f.dial)
		res.rounds++
		res.moved += len(r.Moved)
		res.rotated += r.Rotated
		res.verified += r.Verified
		res.releases += r.Releases
		res.ota += r.OTA
		res.back += r.BackOffice
		res.ver += r.Verify
		for _, fl := range r.Failures {
			if fl.Cause == procedure.CauseExhausted {
				res.exhausted++
				res.exhaustedSW = fmt.Sprintf("%04X", uint16(fl.SW))
				continue
			}
			// Offline devices and pending rotations are retried: they
			// count only if they are still failing after the last round.
			if fl.Cause == procedure.CauseOffline || fl.Cause == procedure.CauseRotation {
				continue
			}
			res.failures[fl.Cause]++
			res.bad = append(res.bad, fl.ICCID)
			if _, ok := res.firstFailure[fl.Cause]; !ok {
				res.firstFailure[fl.Cause] = fl.Err.Error()
			}
		}
		if err != nil {
			return res, err
		}
	}
	f.settle()
	res.failures[procedure.CauseOffline] += len(c.Pending())
	res.failures[procedure.CauseRotation] += len(c.Unrotated())
	if expect == procedure.CauseExhausted && res.exhausted != len(f.iccids) {
		return res, fmt.Errorf("%s → %s: %d of %d cards reported exhaustion", from.ID(), to.ID(), res.exhausted, len(f.iccids))
	}
	res.wall = time.Since(start)
	return res, nil
}

func newMaster() (*sealed.MasterKey, error) {
	k, err := sealed.NewMasterKey()
	return &k, err
}

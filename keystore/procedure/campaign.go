package procedure

import (
	"fmt"
	"runtime"
	"sync"
	"time"

	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/keystore"
	"github.com/uiccsim/uiccsim/keystore/escrow"
	"github.com/uiccsim/uiccsim/keystore/operator"
	"github.com/uiccsim/uiccsim/ota/scp80"
)

// Alternative names a procedure of TR 33.812 §5.3.
type Alternative uint8

// The two procedures.
const (
	Alt3a Alternative = 1 // §5.3.1: IMSI change and key transfer between operators
	Alt3b Alternative = 2 // §5.3.2: pre-configured K/OTA key list on the UICC
)

// String returns "3a" or "3b".
func (a Alternative) String() string {
	switch a {
	case Alt3a:
		return "3a"
	case Alt3b:
		return "3b"
	}
	return fmt.Sprintf("Alternative(%d)", uint8(a))
}

// Dialer reaches a device by its ICCID: the terminal its UICC sits behind
// (ENVELOPEs reach the card, proactive REFRESH is carried out), or an error
// when the device is not attached to any network right now.
type Dialer func(escrow.ICCID) (apdu.Transport, error)

// Options tune a campaign.
type Options struct {
	// RotateKeys makes the new operator replace K, OPc and the OTA keys
	// over OTA after a 3a handover (TR 33.812 §5.3.1.2 step 6), so the old
	// operator's copy of the keys becomes useless.
	RotateKeys bool
	// Verify attaches every moved device to the new operator (AKA with
	// Milenage) and checks that the old operator no longer serves it and
	// that its old K is refused by the card (MAC failure 9862) wherever the
	// procedure replaced it (3b always; 3a with RotateKeys).
	Verify bool
	// Workers is how many devices are handled at once; 0 means GOMAXPROCS.
	Workers int
	// Batch is how many confirmed devices one back-office step takes: one
	// escrow transaction for their reports, one batch release, one
	// handover, one Sync per operator. 0 means DefaultBatch.
	Batch int
	// Progress, if set, is called (from the workers, concurrently) once
	// per device whose OTA step reached the card (confirmed or refused);
	// an offline device is counted when a later round reaches it.
	Progress func()
}

// DefaultBatch is the default Options.Batch: large enough that a commit
// (and its fsync) is paid by a thousand devices, small enough that a bbolt
// transaction stays a few hundred kilobytes.
const DefaultBatch = 1024

// Cause classifies a device's failure in a round.
type Cause uint8

// Failure causes.
const (
	CauseOffline   Cause = iota + 1 // no PoR: stays with the old operator, retried
	CausePoR                        // PoR status other than PoR OK
	CauseRefused                    // the command's status word was not 9000
	CauseExhausted                  // 3b: key-pair list exhausted (6A84)
	CauseEscrow                     // 3b: the escrow refused the report or the release
	CauseRotation                   // 3a: the new operator's key rotation did not confirm (retried)
	CauseVerify                     // the moved device failed verification
)

var causeNames = [...]string{"", "offline", "PoR refused", "command refused", "list exhausted", "escrow refused", "key rotation pending", "verification failed"}

// String names the cause.
func (c Cause) String() string {
	if int(c) < len(causeNames) && c != 0 {
		return causeNames[c]
	}
	return fmt.Sprintf("Cause(%d)", uint8(c))
}

// Failure is one device's failure in a round.
type Failure struct {
	ICCID  escrow.ICCID
	Cause  Cause
	Status scp80.Status    // the PoR status (CausePoR)
	SW     apdu.StatusWord // the card's status word (CauseRefused, CauseExhausted)
	Err    error
}

// Round is what one Run did.
type Round struct {
	Alternative Alternative
	From, To    escrow.OperatorID
	Attempted   int            // devices tried (pending at the start)
	Moved       []escrow.ICCID // now served by To
	Rotated     int            // 3a: devices whose keys To replaced
	Releases    int            // 3b: pairs the escrow released to To
	Verified    int            // moved devices that passed verification
	Failures    []Failure
	OTA         time.Duration // the per-device OTA phase
	BackOffice  time.Duration // escrow, handover, record stores
	Verify      time.Duration
}

// Count returns the number of failures of cause c.
func (r *Round) Count(c Cause) int {
	n := 0
	for i := range r.Failures {
		if r.Failures[i].Cause == c {
			n++
		}
	}
	return n
}

// Campaign moves a fleet from one operator to another with one alternative.
type Campaign struct {
	alt      Alternative
	from, to *operator.Operator
	escrow   *escrow.Escrow
	opts     Options

	imsi      map[escrow.ICCID]string // the IMSIs To delivered (3a step 3, 3b step 4)
	pending   []escrow.ICCID          // not yet confirmed by the card
	confirmed []escrow.Request        // confirmed by the card, back office not yet done (3b: the new index)
	release   []escrow.Request        // 3b: recorded at the escrow, not yet released to the new operator
	unrotated []escrow.ICCID          // 3a: moved, keys not yet rotated
	moved     []escrow.ICCID
	done      []escrow.ICCID // failed for good (exhausted, refused)

	mu       sync.Mutex
	sent     map[escrow.ICCID]bool           // 3b: a SWITCH went out and no PoR came back
	rotating map[escrow.ICCID]*keystore.Pair // 3a: a REPLACE KEYS went out and no PoR came back
}

// NewCampaign starts moving the devices iccids from operator from to
// operator to with alternative alt; e is the escrow (3b only). to allocates
// one IMSI per device, the list it delivers to from (TR 33.812 §5.3.1.2
// step 3, §5.3.2.2 step 4).
func NewCampaign(alt Alternative, from, to *operator.Operator, e *escrow.Escrow, iccids []escrow.ICCID, o Options) (*Campaign, error) {
	if alt != Alt3a && alt != Alt3b {
		return nil, fmt.Errorf("%w: alternative %v", ErrInvalid, alt)
	}
	if from == nil || to == nil || from.ID() == to.ID() {
		return nil, fmt.Errorf("%w: a campaign moves devices between two different operators", ErrInvalid)
	}
	if alt == Alt3b && e == nil {
		return nil, fmt.Errorf("%w: alternative 3b needs the escrow", ErrInvalid)
	}
	seen := make(map[escrow.ICCID]bool, len(iccids))
	for _, c := range iccids {
		if seen[c] {
			return nil, fmt.Errorf("%w: %s listed twice", ErrInvalid, c)
		}
		seen[c] = true
		if !from.Has(c) {
			return nil, fmt.Errorf("%w: %s is not a subscriber of %s", ErrInvalid, c, from.ID())
		}
	}
	imsis, err := to.AllocateIMSIs(len(iccids))
	if err != nil {
		return nil, err
	}
	c := &Campaign{alt: alt, from: from, to: to, escrow: e, opts: o,
		imsi: make(map[escrow.ICCID]string, len(iccids)), pending: append([]escrow.ICCID(nil), iccids...),
		sent: map[escrow.ICCID]bool{}, rotating: map[escrow.ICCID]*keystore.Pair{}}
	for i, id := range iccids {
		c.imsi[id] = imsis[i]
	}
	if c.opts.Workers <= 0 {
		c.opts.Workers = runtime.GOMAXPROCS(0)
	}
	if c.opts.Batch <= 0 {
		c.opts.Batch = DefaultBatch
	}
	return c, nil
}

// Pending returns the devices still with the old operator, to be retried.
func (c *Campaign) Pending() []escrow.ICCID { return append([]escrow.ICCID(nil), c.pending...) }

// Moved returns the devices now served by the new operator.
func (c *Campaign) Moved() []escrow.ICCID { return append([]escrow.ICCID(nil), c.moved...) }

// Failed returns the devices that failed for good: the card refused the
// command (exhausted list, refused SWITCH, security refusal) or the escrow
// refused the report or release. They are not retried.
func (c *Campaign) Failed() []escrow.ICCID { return append([]escrow.ICCID(nil), c.done...) }

// Unrotated returns the 3a devices moved whose keys were not yet replaced.
func (c *Campaign) Unrotated() []escrow.ICCID { return append([]escrow.ICCID(nil), c.unrotated...) }

// Done reports whether nothing is left to retry.
func (c *Campaign) Done() bool {
	return len(c.pending) == 0 && len(c.confirmed) == 0 && len(c.release) == 0 && len(c.unrotated) == 0
}

// IMSI returns the IMSI the new operator assigned to device iccid.
func (c *Campaign) IMSI(iccid escrow.ICCID) string { return c.imsi[iccid] }

// Run makes one pass over the pending devices: the OTA step on each (in
// parallel), then the back-office step for those whose PoR confirmed (in
// batches: one escrow transaction, one handover, one Sync per operator),
// then 3a's key rotation and the verification. Devices without a PoR stay
// pending with the old operator. The error reports a failure of the back
// office itself (an escrow or store error); the devices concerned stay
// queued for the next Run.
func (c *Campaign) Run(dial Dialer) (Round, error) {
	r := Round{Alternative: c.alt, From: c.from.ID(), To: c.to.ID(), Attempted: len(c.pending)}
	t0 := time.Now()
	c.otaPhase(dial, &r)
	t1 := time.Now()
	r.OTA = t1.Sub(t0)
	var moved []escrow.ICCID
	var old map[escrow.ICCID]operator.Subscriber
	var err error
	if c.opts.Verify {
		// The old operator's keys, kept in memory only until the
		// verification has shown them useless against the card.
		old = make(map[escrow.ICCID]operator.Subscriber, len(c.confirmed))
		for _, q := range c.confirmed {
			if s, e := c.from.Subscriber(q.ICCID); e == nil {
				old[q.ICCID] = s
			}
		}
	}
	defer func() {
		for id, s := range old {
			s.Wipe()
			delete(old, id)
		}
	}()
	moved, err = c.backOffice(&r)
	r.BackOffice = time.Since(t1)
	c.moved = append(c.moved, moved...)
	r.Moved = moved
	if err != nil {
		return r, err
	}
	if c.alt == Alt3a && c.opts.RotateKeys {
		t := time.Now()
		c.rotate(dial, &r)
		if err := c.to.Sync(); err != nil {
			return r, err
		}
		r.BackOffice += time.Since(t)
	}
	if c.opts.Verify {
		t := time.Now()
		c.verify(dial, moved, old, &r)
		r.Verify = time.Since(t)
	}
	return r, nil
}

// forEach runs fn on every item with the campaign's workers.
func (c *Campaign) forEach(n int, fn func(i int)) {
	w := min(c.opts.Workers, n)
	if w <= 1 {
		for i := range n {
			fn(i)
		}
		return
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	next := 0
	for range w {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= n {
					return
				}
				fn(i)
			}
		}()
	}
	wg.Wait()
}

// backOffice runs the back-office step of the alternative over the confirmed
// devices, Options.Batch at a time. On an error the devices not yet handled
// stay queued for the next Run.
func (c *Campaign) backOffice(r *Round) ([]escrow.ICCID, error) {
	all := c.confirmed
	c.confirmed = nil
	var moved []escrow.ICCID
	for first := true; first || len(all) > 0 || len(c.release) > 0; first = false {
		n := min(c.opts.Batch, len(all))
		c.confirmed = append(c.confirmed[:0], all[:n]...)
		all = all[n:]
		var m []escrow.ICCID
		var err error
		if c.alt == Alt3a {
			m, err = c.handover3a(r)
		} else {
			m, err = c.report3b(r)
		}
		moved = append(moved, m...)
		if err != nil {
			c.confirmed = append(c.confirmed, all...)
			return moved, err
		}
		if len(all) == 0 {
			break
		}
	}
	return moved, nil
}

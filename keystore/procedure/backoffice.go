package procedure

import (
	"fmt"

	"github.com/uiccsim/uiccsim/keystore/escrow"
	"github.com/uiccsim/uiccsim/keystore/operator"
)

// handover3a is TR 33.812 §5.3.1.2 step 5 for the devices whose PoR
// confirmed the IMSI change: A seals their records (new IMSI, K, OTA keys,
// AuC state) to B's key, the handover crosses in its wire form, B opens and
// adds them, A removes and wipes its copies. One handover, one Sync each.
func (c *Campaign) handover3a(r *Round) ([]escrow.ICCID, error) {
	if len(c.confirmed) == 0 {
		return nil, nil
	}
	ids := make([]escrow.ICCID, len(c.confirmed))
	imsis := make([]string, len(c.confirmed))
	for i, q := range c.confirmed {
		ids[i], imsis[i] = q.ICCID, c.imsi[q.ICCID]
	}
	h, err := c.from.SealHandover(c.to.ID(), c.to.PublicKey(), ids, imsis)
	if err != nil {
		return nil, fmt.Errorf("procedure 3a: %w", err)
	}
	wire := operator.AppendHandover(nil, &h)
	got, err := operator.ParseHandover(wire)
	if err != nil {
		return nil, fmt.Errorf("procedure 3a: %w", err)
	}
	subs, err := c.to.OpenHandover(&got, c.from.PublicKey())
	if err != nil {
		return nil, fmt.Errorf("procedure 3a: %w", err)
	}
	err = c.to.Add(subs...)
	for i := range subs {
		subs[i].Wipe()
	}
	if err != nil {
		return nil, fmt.Errorf("procedure 3a: %w", err)
	}
	if err := c.to.Sync(); err != nil {
		return nil, fmt.Errorf("procedure 3a: %w", err)
	}
	c.from.Remove(ids...)
	c.confirmed = c.confirmed[:0]
	if err := c.from.Sync(); err != nil {
		return ids, fmt.Errorf("procedure 3a: %w", err)
	}
	if c.opts.RotateKeys {
		c.unrotated = append(c.unrotated, ids...)
	}
	return ids, nil
}

// report3b is TR 33.812 §5.3.2.2 steps 6 and 7 for the devices whose PoR
// confirmed the SWITCH: A reports them to the escrow in one transaction and
// forgets their old keys; B obtains their pairs in one batch release, checks
// each is the ICCID and index A reported, and adds them with the IMSIs it
// delivered.
func (c *Campaign) report3b(r *Round) ([]escrow.ICCID, error) {
	if len(c.confirmed) > 0 {
		refusals, err := c.escrow.ReportSwitchBatch(c.from.ID(), c.to.ID(), c.confirmed)
		if err != nil {
			return nil, fmt.Errorf("procedure 3b: report: %w", err)
		}
		var gone []escrow.ICCID
		for i, q := range c.confirmed {
			if refusals[i] != nil {
				r.Failures = append(r.Failures, Failure{ICCID: q.ICCID, Cause: CauseEscrow,
					Err: fmt.Errorf("%w: %s: report of switch to %d: %w", ErrEscrow, q.ICCID, q.Index, refusals[i])})
				c.done = append(c.done, q.ICCID)
				continue
			}
			c.release = append(c.release, q)
			gone = append(gone, q.ICCID)
		}
		c.confirmed = c.confirmed[:0]
		// The card wiped the pair A held; so does A.
		c.from.Remove(gone...)
		if err := c.from.Sync(); err != nil {
			return nil, fmt.Errorf("procedure 3b: %w", err)
		}
	}
	if len(c.release) == 0 {
		return nil, nil
	}
	rel, refusals, err := c.escrow.ReleaseBatch(c.to.ID(), c.release)
	if err != nil {
		return nil, fmt.Errorf("procedure 3b: release: %w", err)
	}
	granted := make([]escrow.Request, 0, len(c.release))
	for i, q := range c.release {
		if refusals[i] != nil {
			r.Failures = append(r.Failures, Failure{ICCID: q.ICCID, Cause: CauseEscrow,
				Err: fmt.Errorf("%w: %s: release of pair %d: %w", ErrEscrow, q.ICCID, q.Index, refusals[i])})
			c.done = append(c.done, q.ICCID)
			continue
		}
		granted = append(granted, q)
	}
	c.release = c.release[:0]
	if len(granted) == 0 {
		return nil, nil
	}
	ds, err := c.to.OpenRelease(&rel)
	if err != nil {
		return nil, fmt.Errorf("procedure 3b: %w", err)
	}
	defer func() {
		for i := range ds {
			ds[i].Pair.Wipe()
		}
	}()
	if len(ds) != len(granted) {
		return nil, fmt.Errorf("%w: release of %d pairs for %d requests", ErrEscrow, len(ds), len(granted))
	}
	subs := make([]operator.Subscriber, 0, len(ds))
	moved := make([]escrow.ICCID, 0, len(ds))
	for i := range ds {
		d, q := &ds[i], granted[i]
		if d.ICCID != q.ICCID || d.Index != q.Index || d.Pair.Index != q.Index || d.Operator != c.to.ID() {
			r.Failures = append(r.Failures, Failure{ICCID: q.ICCID, Cause: CauseEscrow,
				Err: fmt.Errorf("%w: asked for %s pair %d, got %s pair %d", ErrEscrow, q.ICCID, q.Index, d.ICCID, d.Index)})
			c.done = append(c.done, q.ICCID)
			continue
		}
		subs = append(subs, operator.NewSubscriber(d, c.imsi[q.ICCID]))
		moved = append(moved, q.ICCID)
	}
	r.Releases += len(ds)
	err = c.to.Add(subs...)
	for i := range subs {
		subs[i].Wipe()
	}
	if err != nil {
		return nil, fmt.Errorf("procedure 3b: %w", err)
	}
	if err := c.to.Sync(); err != nil {
		return moved, fmt.Errorf("procedure 3b: %w", err)
	}
	return moved, nil
}

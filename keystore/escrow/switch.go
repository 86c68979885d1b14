package escrow

import (
	"errors"
	"fmt"

	"github.com/uiccsim/uiccsim/keystore"
	"github.com/uiccsim/uiccsim/keystore/sealed"
)

// ReportSwitch records, on behalf of the card's current owner from, that
// the card was switched to pair newIndex for operator to (TR 33.812
// §5.3.2.2 step 6, reported once the card's PoR confirmed the switch). From
// then on to is the only operator Release hands pair newIndex to. The pairs
// the card moved past are destroyed in the same transaction. Refused: a
// reporter that is not the current owner (ErrNotOwner), an unregistered
// new owner (ErrUnknownOperator), a move to the active index or back
// (ErrBackward), beyond the list (ErrIndexOutOfRange), or any move once the
// last pair is active (ErrExhausted). Every report and refusal is audited.
func (e *Escrow) ReportSwitch(iccid ICCID, from, to OperatorID, newIndex int) error {
	refusals, err := e.ReportSwitchBatch(from, to, []Request{{ICCID: iccid, Index: newIndex}})
	if err != nil {
		return err
	}
	return refusals[0]
}

// ReportSwitchBatch is ReportSwitch for many cards moved from one owner to
// another in one campaign (TR 33.812 §5.3.2.2 step 6: "a list of new IMSIs
// ... with the corresponding UICC IDs and the index values"), in one
// transaction: refusals[i] is nil if switch i was recorded, else why it
// was refused; every report and refusal is audited. err reports a failure
// of the escrow itself, in which case nothing is recorded.
func (e *Escrow) ReportSwitchBatch(from, to OperatorID, switches []Request) (refusals []error, err error) {
	if err := from.Validate(); err != nil {
		return nil, err
	}
	if err := to.Validate(); err != nil {
		return nil, err
	}
	for _, q := range switches {
		if _, err := ParseICCID(string(q.ICCID)); err != nil {
			return nil, err
		}
	}
	err = e.st.Update(func(tx *sealed.Tx) error {
		refusals = make([]error, len(switches))
		var s scratch
		_, unknownTo := operatorKey(tx, to)
		for i, q := range switches {
			if unknownTo != nil {
				refusals[i] = fmt.Errorf("switch of card %s to index %d: new owner: %w", q.ICCID, q.Index, unknownTo)
			} else {
				var err error
				if refusals[i], err = reportSwitch(tx, &s, q.ICCID, from, to, q.Index); err != nil {
					return err
				}
			}
			a := AuditEntry{Event: EventSwitch, ICCID: q.ICCID, Index: q.Index, Operator: from, To: to}
			if q.Index < 0 || q.Index >= keystore.MaxPairs {
				a.Index = -1
			}
			if refusals[i] != nil {
				a.Refused, a.Reason = true, refusals[i].Error()
			}
			if err := appendAuditTx(tx, &a, &s); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("escrow: switch of %d cards from %s to %s: %w", len(switches), from, to, err)
	}
	return refusals, nil
}

// reportSwitch applies the switch rules to one card in tx, with the
// buffers of s; the new owner is registered. A refusal is returned as
// refusal, a storage failure as err.
func reportSwitch(tx *sealed.Tx, s *scratch, iccid ICCID, from, to OperatorID, newIndex int) (refusal, err error) {
	c, refusal := readCard(tx, iccid, s, from, to)
	if refusal != nil {
		if errors.Is(refusal, ErrUnknownCard) {
			return refusal, nil
		}
		return nil, refusal
	}
	if c.Owner() != from {
		return fmt.Errorf("%w: %s reports a switch of card %s, whose current owner (index %d) is %s",
			ErrNotOwner, from, iccid, c.Active, c.Owner()), nil
	}
	switch {
	case newIndex < 0:
		return fmt.Errorf("%w: switch of card %s to index %d", ErrIndexOutOfRange, iccid, newIndex), nil
	case newIndex <= c.Active:
		return fmt.Errorf("%w: switch of card %s to index %d, active index is %d", ErrBackward, iccid, newIndex, c.Active), nil
	case c.Active == c.Pairs-1:
		return fmt.Errorf("%w: switch of card %s to index %d, its last pair %d is active", ErrExhausted, iccid, newIndex, c.Active), nil
	case newIndex >= c.Pairs:
		return fmt.Errorf("%w: switch of card %s to index %d, the card holds pairs 0..%d", ErrIndexOutOfRange, iccid, newIndex, c.Pairs-1), nil
	}
	for i := c.Active; i < newIndex; i++ {
		s.key = pairKey(s.key[:0], iccid, i)
		if err := tx.Delete(bucketPairs, s.key); err != nil {
			return nil, err
		}
	}
	for len(c.Owners) < newIndex {
		// Indices skipped over were never used; they keep no owner but the
		// encoding needs one per index, so they inherit the reporter.
		c.Owners = append(c.Owners, from)
	}
	c.Owners = append(c.Owners, to)
	c.Active = newIndex
	s.key = append(s.key[:0], iccid...)
	s.enc = appendCard(s.enc[:0], &c)
	return nil, tx.Put(bucketCards, s.key, kindCard, s.enc)
}

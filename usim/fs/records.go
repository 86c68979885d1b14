package fs

import (
	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/usim/jc"
)

// Record addressing modes, P2 b3..b1 (ETSI TS 102 221 §11.1.5.2 Table
// 11.11) and search modes (§11.1.7.2).
const (
	modeNext     = 0x02
	modePrevious = 0x03
	modeAbsolute = 0x04 // absolute, or current when P1=00
	modeForward  = 0x04 // SEARCH RECORD: simple search forward from P1
	modeBackward = 0x05 // SEARCH RECORD: simple search backward from P1
	modeEnhanced = 0x06 // SEARCH RECORD: enhanced search (search indication)

	// SWIncreaseMax is 9850, "INCREASE cannot be performed, max value
	// reached" (ETSI TS 102 221 §10.2.1.5).
	SWIncreaseMax apdu.StatusWord = 0x9850
)

// recordTarget decodes the EF of P2 b8..b4 (an SFI, or 0 for the current
// EF; 11111 is RFU) for the record commands.
func (f *FS) recordTarget(ch *chanState, p2 byte) (n Node, rec int, err error) {
	sfi := SFI(p2 >> 3)
	switch {
	case sfi == 0x1F:
		return NoNode, 0, apdu.SWIncorrectP1P2
	case sfi != 0:
		if n = f.bySFI(ch, sfi); n == NoNode {
			return NoNode, 0, apdu.SWFileNotFound
		}
		if n != ch.ef {
			return n, 0, nil
		}
		return n, ch.rec, nil
	case ch.ef == NoNode:
		return NoNode, 0, apdu.SWNoCurrentEF
	}
	return ch.ef, ch.rec, nil
}

// PickRecord computes the record a READ/UPDATE RECORD addresses and the record
// pointer afterwards (TS 102 221 §11.1.5.1): absolute and current leave the
// pointer alone; next and previous move it, wrapping on a cyclic EF and
// failing (6A83) at the ends of a linear fixed one.
// records is the EF's record count, cyclic whether it is a cyclic EF, mode
// P2 b3..b1 and rec the current record pointer (0: none). The terminal's
// commands and the RFM executor (package usim) both use it.
func PickRecord(records int, cyclic bool, mode, p1 byte, rec int) (target, pointer int, err error) {
	n := records
	switch mode {
	case modeAbsolute:
		if p1 == 0 {
			if rec == 0 {
				return 0, 0, apdu.SWRecordNotFound
			}
			return rec, rec, nil
		}
		if int(p1) > n || p1 == 0xFF {
			return 0, 0, apdu.SWRecordNotFound
		}
		return int(p1), rec, nil
	case modeNext, modePrevious:
		if p1 != 0 {
			return 0, 0, apdu.SWIncorrectP1P2
		}
		t := rec
		switch {
		case mode == modeNext && rec == 0:
			t = 1
		case mode == modeNext && rec == n:
			if !cyclic {
				return 0, 0, apdu.SWRecordNotFound
			}
			t = 1
		case mode == modeNext:
			t = rec + 1
		case rec == 0:
			t = n
		case rec == 1:
			if !cyclic {
				return 0, 0, apdu.SWRecordNotFound
			}
			t = n
		default:
			t = rec - 1
		}
		return t, t, nil
	}
	return 0, 0, apdu.SWIncorrectP1P2
}

// pick is PickRecord for a node of the tree.
func pick(x *node, mode, p1 byte, rec int) (target, pointer int, err error) {
	return PickRecord(x.nrec, x.structure == Cyclic, mode, p1, rec)
}

// readRecord is READ RECORD, ETSI TS 102 221 §11.1.5.
func (f *FS) readRecord(ctx *jc.Context, cmd *apdu.Command) error {
	if len(cmd.Data) != 0 {
		return apdu.SWWrongLength
	}
	ch := &f.ch[ctx.Channel()]
	n, rec, err := f.recordTarget(ch, cmd.P2)
	if err != nil {
		return err
	}
	if err := f.usable(n, false, AccessRead, cmd.INS); err != nil {
		return err
	}
	x := &f.nodes[n]
	t, ptr, err := pick(x, cmd.P2&0x07, cmd.P1, rec)
	if err != nil {
		return err
	}
	ctx.Out = append(ctx.Out, f.record(n, t)...)
	setEF(ch, n, x.parent)
	ch.rec = ptr
	if wantsExactly(cmd.Ne) && cmd.Ne > x.recLen {
		return apdu.SWWarningEOF
	}
	return nil
}

// updateRecord is UPDATE RECORD, ETSI TS 102 221 §11.1.6: the data must be
// one record long; a cyclic EF only takes PREVIOUS, which overwrites the
// oldest record and makes it record 1.
func (f *FS) updateRecord(ctx *jc.Context, cmd *apdu.Command) error {
	ch := &f.ch[ctx.Channel()]
	n, rec, err := f.recordTarget(ch, cmd.P2)
	if err != nil {
		return err
	}
	if err := f.usable(n, false, AccessUpdate, cmd.INS); err != nil {
		return err
	}
	x := &f.nodes[n]
	if len(cmd.Data) != x.recLen {
		return apdu.SWWrongLength
	}
	mode := cmd.P2 & 0x07
	if x.structure == Cyclic {
		if mode != modePrevious || cmd.P1 != 0 {
			return apdu.SWIncorrectP1P2
		}
		if err := f.pushCyclic(n, cmd.Data); err != nil {
			return err
		}
		setEF(ch, n, x.parent)
		ch.rec = 1
		return nil
	}
	t, ptr, err := pick(x, mode, cmd.P1, rec)
	if err != nil {
		return err
	}
	if err := f.writeRecord(n, t, cmd.Data); err != nil {
		return err
	}
	setEF(ch, n, x.parent)
	ch.rec = ptr
	return nil
}

// searchRecord is SEARCH RECORD, ETSI TS 102 221 §11.1.7, on the EF of
// P2 b8..b4 with the search of SearchRecords; the record pointer moves to
// the first record found. No match answers 6282.
func (f *FS) searchRecord(ctx *jc.Context, cmd *apdu.Command) error {
	ch := &f.ch[ctx.Channel()]
	n, rec, err := f.recordTarget(ch, cmd.P2)
	if err != nil {
		return err
	}
	if !SearchModeSupported(cmd.P2) {
		return apdu.SWIncorrectP1P2
	}
	if err := f.usable(n, false, AccessRead, cmd.INS); err != nil {
		return err
	}
	out, first, err := f.SearchRecords(ctx.Out, n, cmd.P1, cmd.P2, cmd.Data, rec)
	if err != nil && err != apdu.SWWarningEOF {
		return err
	}
	ctx.Out = out
	setEF(ch, n, f.nodes[n].parent)
	if first == 0 {
		return apdu.SWWarningEOF
	}
	ch.rec = first
	return nil
}

// increase is INCREASE, ETSI TS 102 221 §11.1.8: it adds the data (a
// big-endian number, right-aligned) to record 1 of the current cyclic EF,
// stores the sum as the new record 1 and answers sum ‖ added value; a
// carry out of the record answers 9850 and changes nothing.
func (f *FS) increase(ctx *jc.Context, cmd *apdu.Command) error {
	if cmd.P1 != 0 || cmd.P2 != 0 {
		return apdu.SWIncorrectP1P2
	}
	ch := &f.ch[ctx.Channel()]
	if ch.ef == NoNode {
		return apdu.SWNoCurrentEF
	}
	n := ch.ef
	x := &f.nodes[n]
	if x.structure != Cyclic {
		return apdu.SWCommandIncompatible
	}
	if err := f.usable(n, false, AccessUpdate, cmd.INS); err != nil {
		return err
	}
	if len(cmd.Data) < 1 || len(cmd.Data) > x.recLen {
		return apdu.SWWrongLength
	}
	start := len(ctx.Out)
	ctx.Out = append(ctx.Out, f.record(n, 1)...)
	sum := ctx.Out[start:]
	carry := 0
	for i := 1; i <= len(sum); i++ {
		v := int(sum[len(sum)-i]) + carry
		if i <= len(cmd.Data) {
			v += int(cmd.Data[len(cmd.Data)-i])
		}
		sum[len(sum)-i], carry = byte(v), v>>8
	}
	if carry != 0 {
		ctx.Out = ctx.Out[:start]
		return SWIncreaseMax
	}
	if err := f.pushCyclic(n, sum); err != nil {
		return err
	}
	ctx.Out = append(ctx.Out, cmd.Data...)
	ch.rec = 1
	return nil
}

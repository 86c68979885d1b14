package fs

import (
	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/usim/jc"
)

// binaryTarget decodes READ/UPDATE BINARY P1-P2 (ETSI TS 102 221 §11.1.3.2
// Table 11.10): b8 of P1 set means P1 b5..b1 is an SFI and P2 the offset
// (b7 b6 must be 0), otherwise P1 ‖ P2 is a 15-bit offset in the current EF.
func (f *FS) binaryTarget(ch *chanState, p1, p2 byte) (Node, int, error) {
	if p1&0x80 != 0 {
		if p1&0x60 != 0 || p1&0x1F == 0 {
			return NoNode, 0, apdu.SWIncorrectP1P2
		}
		n := f.bySFI(ch, SFI(p1&0x1F))
		if n == NoNode {
			return NoNode, 0, apdu.SWFileNotFound
		}
		return n, int(p2), nil
	}
	if ch.ef == NoNode {
		return NoNode, 0, apdu.SWNoCurrentEF
	}
	return ch.ef, int(p1)<<8 | int(p2), nil
}

// bySFI finds the EF with short file identifier s in the current DF
// (ETSI TS 102 221 §8.3).
func (f *FS) bySFI(ch *chanState, s SFI) Node {
	for _, c := range f.nodes[ch.df].children {
		if f.nodes[c].sfi == s && f.nodes[c].kind == KindEF {
			return c
		}
	}
	return NoNode
}

// usable checks the common preconditions of a command on EF n: structure
// (6981), life cycle (6283) and access rule (6982).
func (f *FS) usable(n Node, transparent bool, mode Access, ins byte) error {
	x := &f.nodes[n]
	if (x.structure == Transparent) != transparent {
		return apdu.SWCommandIncompatible
	}
	if !f.lcsi(n).Activated() {
		return apdu.SWWarningDeactivated
	}
	if !f.allowed(n, mode, ins) {
		return apdu.SWSecurityNotSatisfied
	}
	return nil
}

// setEF makes n the channel's current EF (an SFI reference does, ETSI TS
// 102 221 §8.3), resetting the record pointer when the EF changes.
func setEF(ch *chanState, n Node, parent Node) {
	if ch.ef != n {
		ch.rec = 0
	}
	ch.ef, ch.df = n, parent
}

// wantsExactly reports an Le that asks for exactly Ne bytes: not absent
// and not the "as many as available" 00 / 0000 (ISO/IEC 7816-4 §5.1).
func wantsExactly(ne int) bool { return ne != 0 && ne != apdu.MaxShortNe && ne != apdu.MaxNe }

// readBinary is READ BINARY, ETSI TS 102 221 §11.1.3: up to Ne bytes from
// the offset (Le=00, 0000 or no Le: as many as available, at most 256 for
// a short Le); an offset at or beyond the end answers 6B00, fewer bytes
// than an explicit Le answers them with 6282.
func (f *FS) readBinary(ctx *jc.Context, cmd *apdu.Command) error {
	if len(cmd.Data) != 0 {
		return apdu.SWWrongLength
	}
	ch := &f.ch[ctx.Channel()]
	n, off, err := f.binaryTarget(ch, cmd.P1, cmd.P2)
	if err != nil {
		return err
	}
	if err := f.usable(n, true, AccessRead, cmd.INS); err != nil {
		return err
	}
	c := f.content(n)
	if off >= len(c) {
		return apdu.SWWrongP1P2
	}
	ne := cmd.Ne
	if ne == 0 {
		ne = apdu.MaxShortNe
	}
	k := min(ne, len(c)-off)
	ctx.Out = append(ctx.Out, c[off:off+k]...)
	setEF(ch, n, f.nodes[n].parent)
	if k < ne && wantsExactly(cmd.Ne) {
		return apdu.SWWarningEOF
	}
	return nil
}

// updateBinary is UPDATE BINARY, ETSI TS 102 221 §11.1.4: offset at or
// beyond the end 6B00, data running past the end 6700.
func (f *FS) updateBinary(ctx *jc.Context, cmd *apdu.Command) error {
	if len(cmd.Data) == 0 {
		return apdu.SWWrongLength
	}
	ch := &f.ch[ctx.Channel()]
	n, off, err := f.binaryTarget(ch, cmd.P1, cmd.P2)
	if err != nil {
		return err
	}
	if err := f.usable(n, true, AccessUpdate, cmd.INS); err != nil {
		return err
	}
	x := &f.nodes[n]
	if off >= x.size {
		return apdu.SWWrongP1P2
	}
	if off+len(cmd.Data) > x.size {
		return apdu.SWWrongLength
	}
	if err := f.st.Write(x.ref, x.at+2+off, cmd.Data); err != nil {
		return err
	}
	setEF(ch, n, x.parent)
	return nil
}

package fs

import (
	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/usim/jc"
)

// SELECT P1 selection controls, ETSI TS 102 221 §11.1.1.2 Table 11.1.
const (
	selByFID      = 0x00 // DF, EF or MF by file identifier
	selChildDF    = 0x01 // child DF of the current DF
	selParent     = 0x03 // parent DF of the current DF
	selByName     = 0x04 // by DF name (AID): the runtime's job
	selPathFromMF = 0x08
	selPathFromDF = 0x09
)

// answerFCP decodes SELECT P2 for file selections (TS 102 221 Table 11.2):
// 04 returns the FCP, 0C nothing; 00 (ISO/IEC 7816-4 "FCI") is answered
// with the FCP as UICCs do.
func answerFCP(p2 byte) (bool, error) {
	switch p2 {
	case 0x04, 0x00:
		return true, nil
	case 0x0C:
		return false, nil
	}
	return false, apdu.SWIncorrectP1P2
}

// selectFile is SELECT by FID, child, parent and path (TS 102 221
// §11.1.1, §8.4). Failure leaves the current DF and EF as they were.
func (f *FS) selectFile(ctx *jc.Context, cmd *apdu.Command) error {
	fcp, err := answerFCP(cmd.P2)
	if err != nil {
		return err
	}
	ch := &f.ch[ctx.Channel()]
	d := cmd.Data
	target := NoNode
	switch cmd.P1 {
	case selByFID:
		if len(d) != 2 {
			return apdu.SWWrongLength
		}
		target = f.findFID(ch, fileID(d))
	case selChildDF:
		if len(d) != 2 {
			return apdu.SWWrongLength
		}
		if c, ok := f.Child(ch.df, fileID(d)); ok && f.nodes[c].kind.IsDF() {
			target = c
		}
	case selParent:
		if len(d) != 0 {
			return apdu.SWWrongLength
		}
		target = f.nodes[ch.df].parent
	case selPathFromMF, selPathFromDF:
		if len(d) == 0 || len(d)%2 != 0 {
			return apdu.SWWrongLength
		}
		target = f.findPath(ch, d, cmd.P1 == selPathFromMF)
	default:
		return apdu.SWIncorrectP1P2
	}
	if target == NoNode {
		return apdu.SWFileNotFound
	}
	return f.makeCurrent(ctx, ch, target, fcp)
}

// makeCurrent selects target on the channel and answers its FCP (6283
// when the file is deactivated, TS 102 221 §10.2.1.3).
func (f *FS) makeCurrent(ctx *jc.Context, ch *chanState, target Node, fcp bool) error {
	x := &f.nodes[target]
	if x.kind == KindEF {
		if ch.ef != target || ch.df != x.parent {
			ch.rec = 0
		}
		ch.df, ch.ef = x.parent, target
	} else {
		ch.df, ch.ef, ch.rec = target, NoNode, 0
		if x.kind == KindADF && ch.adf != target {
			old := ch.adf
			ch.adf = target
			f.endSession(old) // TS 102 221 §9.5.1: another application on the channel
		}
	}
	if fcp {
		ctx.Out = f.AppendFCP(ctx.Out, target)
	}
	if !f.lcsi(target).Activated() {
		return apdu.SWWarningDeactivated
	}
	return nil
}

func fileID(b []byte) FileID { return FileID(b[0])<<8 | FileID(b[1]) }

// findFID applies the file identifier search of ETSI TS 102 221 §8.4.1:
// the MF (3F00), the current application's ADF (7FFF or its FID), the
// current DF itself, its children, its parent, and the parent's child DFs.
func (f *FS) findFID(ch *chanState, fid FileID) Node {
	switch {
	case fid == FIDMF:
		return 0
	case fid == FIDCurrentADF:
		return ch.adf
	case f.nodes[ch.df].fid == fid:
		return ch.df
	}
	if c, ok := f.Child(ch.df, fid); ok {
		return c
	}
	if p := f.nodes[ch.df].parent; p != NoNode {
		if f.nodes[p].fid == fid {
			return p
		}
		if c, ok := f.Child(p, fid); ok && f.nodes[c].kind.IsDF() {
			return c
		}
	}
	if ch.adf != NoNode && f.nodes[ch.adf].fid == fid {
		return ch.adf
	}
	return NoNode
}

// findPath resolves a path (TS 102 221 §8.4.2): file identifiers from the
// MF (P1=08, the MF's own 3F00 left out; 7FFF first for the current ADF)
// or from the current DF (P1=09); every step but the last must be a DF.
func (f *FS) findPath(ch *chanState, d []byte, fromMF bool) Node {
	n := ch.df
	if fromMF {
		n = 0
		if fileID(d) == FIDMF {
			d = d[2:]
		} else if fileID(d) == FIDCurrentADF {
			if n = ch.adf; n == NoNode {
				return NoNode
			}
			d = d[2:]
		}
	}
	for len(d) > 0 {
		if !f.nodes[n].kind.IsDF() {
			return NoNode
		}
		c, ok := f.Child(n, fileID(d))
		if !ok {
			return NoNode
		}
		n, d = c, d[2:]
	}
	return n
}

// SelectADF makes application DF adf current on the context's channel, as
// SELECT by DF name does, and answers its FCP unless P2 asks for no data
// (0C). App.Select calls it.
func (f *FS) SelectADF(ctx *jc.Context, adf Node, p2 byte) error {
	if !f.valid(adf) || f.nodes[adf].kind != KindADF {
		return apdu.SWFileNotFound
	}
	fcp := p2&0x0C != 0x0C
	ch := &f.ch[ctx.Channel()]
	return f.makeCurrent(ctx, ch, adf, fcp)
}

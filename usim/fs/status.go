package fs

import (
	"crypto/rand"

	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/usim/jc"
)

// status is STATUS, ETSI TS 102 221 §11.1.2: P1 00/01/02 (application
// status indications), P2 00 the FCP of the current directory, 01 the DF
// name TLV (84) of the current application, 0C nothing.
func (f *FS) status(ctx *jc.Context, cmd *apdu.Command) error {
	if cmd.P1 > 0x02 {
		return apdu.SWIncorrectP1P2
	}
	if len(cmd.Data) != 0 {
		return apdu.SWWrongLength
	}
	ch := &f.ch[ctx.Channel()]
	switch cmd.P2 {
	case 0x00:
		ctx.Out = f.AppendFCP(ctx.Out, ch.df)
	case 0x01:
		if ch.adf == NoNode {
			return apdu.SWReferencedDataNotFound
		}
		aid := f.nodes[ch.adf].aid
		ctx.Out = append(ctx.Out, tagDFName, byte(aid.Len()))
		ctx.Out = aid.Append(ctx.Out)
	case 0x0C:
	default:
		return apdu.SWIncorrectP1P2
	}
	return nil
}

var zeros [apdu.MaxShortNe]byte

// getChallenge is GET CHALLENGE, ETSI TS 102 221 §11.1.15 (ISO/IEC 7816-4
// §7.5.3): Ne random bytes.
func (f *FS) getChallenge(ctx *jc.Context, cmd *apdu.Command) error {
	if cmd.P1 != 0 || cmd.P2 != 0 {
		return apdu.SWIncorrectP1P2
	}
	if len(cmd.Data) != 0 || cmd.Ne == 0 {
		return apdu.SWWrongLength
	}
	n := min(cmd.Ne, apdu.MaxShortNe)
	start := len(ctx.Out)
	ctx.Out = append(ctx.Out, zeros[:n]...)
	if _, err := rand.Read(ctx.Out[start:]); err != nil {
		ctx.Out = ctx.Out[:start]
		return apdu.SWTechnicalProblem
	}
	return nil
}

// activation is DEACTIVATE FILE (INS 04, §11.1.14) and ACTIVATE FILE
// (INS 44, §11.1.15): on the current EF when there is no data, else on the
// EF the data names (P1 as in SELECT: 00 FID, 08/09 path); on success it
// becomes the current EF.
func (f *FS) activation(ctx *jc.Context, cmd *apdu.Command, activate bool) error {
	if cmd.P2 != 0 {
		return apdu.SWIncorrectP1P2
	}
	ch := &f.ch[ctx.Channel()]
	target := ch.ef
	d := cmd.Data
	switch {
	case len(d) == 0:
		if cmd.P1 != 0 {
			return apdu.SWIncorrectP1P2
		}
		if target == NoNode {
			return apdu.SWNoCurrentEF
		}
	case cmd.P1 == selByFID:
		if len(d) != 2 {
			return apdu.SWWrongLength
		}
		target = f.findFID(ch, fileID(d))
	case cmd.P1 == selPathFromMF || cmd.P1 == selPathFromDF:
		if len(d)%2 != 0 {
			return apdu.SWWrongLength
		}
		target = f.findPath(ch, d, cmd.P1 == selPathFromMF)
	default:
		return apdu.SWIncorrectP1P2
	}
	if target == NoNode {
		return apdu.SWFileNotFound
	}
	x := &f.nodes[target]
	if x.kind != KindEF {
		return apdu.SWCommandIncompatible
	}
	mode, lcsi := AccessDeactivate, LCSIDeactivated
	if activate {
		mode, lcsi = AccessActivate, LCSIActivated
	}
	if !f.allowed(target, mode, cmd.INS) {
		return apdu.SWSecurityNotSatisfied
	}
	if f.lcsi(target) != lcsi {
		if err := f.st.Write(x.ref, x.at, []byte{byte(lcsi)}); err != nil {
			return err
		}
	}
	setEF(ch, target, x.parent)
	return nil
}

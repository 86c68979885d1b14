package usim

import (
	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/usim/fs"
)

// Instructions of ETSI TS 102 221 Table 10.5 the RFM application runs
// beyond SELECT, READ/UPDATE BINARY/RECORD and SEARCH RECORD: TS 102 226
// §7.1 (§5.1 in Release 6) lists them among the RFM commands.
const (
	insIncrease   = 0x32 // INCREASE, §11.1.8 (CLA '8X')
	insVerify     = 0x20 // VERIFY PIN, §11.1.9
	insDeactivate = 0x04 // DEACTIVATE FILE, §11.1.14
	insActivate   = 0x44 // ACTIVATE FILE, §11.1.15
)

// SWIncreaseMax is 9850, "INCREASE cannot be performed, max value
// reached" (TS 102 221 §10.2.1.5).
const SWIncreaseMax = fs.SWIncreaseMax

// isRFMIns reports an instruction the RFM executor implements.
func isRFMIns(ins byte) bool {
	switch ins {
	case 0xA4, 0xB0, 0xD6, 0xB2, 0xDC, 0xA2, insIncrease, insVerify, insDeactivate, insActivate:
		return true
	}
	return false
}

// pushRecord is UPDATE RECORD on cyclic EF n (TS 102 221 §11.1.6): only
// PREVIOUS with P1 00, which overwrites the oldest record and makes it
// record 1, where the record pointer then stands.
func (r *rfmExec) pushRecord(n fs.Node, c *apdu.Command) error {
	if c.P2&0x07 != 0x03 || c.P1 != 0 {
		return apdu.SWIncorrectP1P2
	}
	if err := r.fs.PushRecord(n, c.Data); err != nil {
		return apdu.SWTechnicalProblem
	}
	r.df, r.ef, r.rec = r.info(n).Parent, n, 1
	r.markChanged(n)
	return nil
}

// increase is INCREASE, TS 102 221 §11.1.8: the data, a big-endian number
// of 1 up to a record's length, is added to record 1 of the current cyclic
// EF; the sum becomes the new record 1 (the oldest overwritten) and the
// answer is sum ‖ added value. A carry out of the record answers 9850 and
// changes nothing.
func (r *rfmExec) increase(c *apdu.Command, dst []byte) ([]byte, error) {
	if c.P1 != 0 || c.P2 != 0 {
		return dst, apdu.SWIncorrectP1P2
	}
	n := r.ef
	if n == fs.NoNode {
		return dst, apdu.SWNoCurrentEF
	}
	i := r.info(n)
	if i.Structure != fs.Cyclic {
		return dst, apdu.SWCommandIncompatible
	}
	if err := r.usable(n, false, fs.AccessUpdate, c.INS); err != nil {
		return dst, err
	}
	if len(c.Data) < 1 || len(c.Data) > i.RecordLen {
		return dst, apdu.SWWrongLength
	}
	cur, err := r.fs.Record(n, 1)
	if err != nil {
		return dst, apdu.SWTechnicalProblem
	}
	start := len(dst)
	dst = append(dst, cur...)
	sum := dst[start:]
	carry := 0
	for k := 1; k <= len(sum); k++ {
		v := int(sum[len(sum)-k]) + carry
		if k <= len(c.Data) {
			v += int(c.Data[len(c.Data)-k])
		}
		sum[len(sum)-k], carry = byte(v), v>>8
	}
	if carry != 0 {
		return dst[:start], SWIncreaseMax
	}
	if err := r.fs.PushRecord(n, sum); err != nil {
		return dst[:start], apdu.SWTechnicalProblem
	}
	r.rec = 1
	r.markChanged(n)
	return append(dst, c.Data...), nil
}

// verify is VERIFY PIN, TS 102 221 §11.1.9, in the RFM application's
// context: without data it answers 9000 when the key's condition holds for
// the application (access domain, verified by this script, or a disabled
// PIN), 6983 when the PIN is blocked and 63Cx otherwise; with a value the
// card's retry counter counts it (fs.PresentPIN) and a right value holds
// for the rest of the script.
func (r *rfmExec) verify(c *apdu.Command) error {
	k := fs.KeyRef(c.P2)
	if c.P1 != 0 || !k.Valid() {
		return apdu.SWIncorrectP1P2
	}
	s, err := r.fs.PINState(k)
	if err != nil {
		return apdu.SWReferencedDataNotFound
	}
	if len(c.Data) == 0 {
		switch {
		case s.Tries == 0:
			return apdu.SWAuthMethodBlocked
		case r.Holds(k):
			return nil
		}
		return apdu.SWRetries(s.Tries)
	}
	if err := r.fs.PresentPIN(k, c.Data); err != nil {
		if sw, ok := err.(apdu.StatusWord); ok && sw.SW1() == 0x63 {
			r.verified[k] = false
		}
		return err
	}
	r.verified[k] = true
	return nil
}

// activation is DEACTIVATE FILE (TS 102 221 §11.1.14) and ACTIVATE FILE
// (§11.1.15): on the current EF without data, else on the EF the data
// names (P1 00 a FID, 08/09 a path from the MF / the current DF), which
// becomes the current EF. The access rule's DEACTIVATE / ACTIVATE mode
// must hold for the RFM application.
func (r *rfmExec) activation(c *apdu.Command, activate bool) error {
	if c.P2 != 0 {
		return apdu.SWIncorrectP1P2
	}
	n, d := r.ef, c.Data
	switch {
	case len(d) == 0:
		if c.P1 != 0 {
			return apdu.SWIncorrectP1P2
		}
		if n == fs.NoNode {
			return apdu.SWNoCurrentEF
		}
	case c.P1 == 0x00:
		if len(d) != 2 {
			return apdu.SWWrongLength
		}
		n = r.find(r.df, fs.FileID(d[0])<<8|fs.FileID(d[1]))
	case c.P1 == 0x08 || c.P1 == 0x09:
		if len(d)%2 != 0 {
			return apdu.SWWrongLength
		}
		n = r.findPath(d, c.P1 == 0x08)
	default:
		return apdu.SWIncorrectP1P2
	}
	if n == fs.NoNode {
		return apdu.SWFileNotFound
	}
	if r.info(n).Kind != fs.KindEF {
		return apdu.SWCommandIncompatible
	}
	mode := fs.AccessDeactivate
	if activate {
		mode = fs.AccessActivate
	}
	if !r.allowed(n, mode, c.INS) {
		return apdu.SWSecurityNotSatisfied
	}
	was := r.info(n).LCSI.Activated()
	if err := r.fs.SetActivated(n, activate); err != nil {
		return apdu.SWTechnicalProblem
	}
	r.setEF(n)
	if was != activate {
		r.markChanged(n) // the terminal's view of the file is stale too
	}
	return nil
}

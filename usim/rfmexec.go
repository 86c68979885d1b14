package usim

import (
	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/ota/engine"
	"github.com/uiccsim/uiccsim/usim/fs"
)

// rfmExec runs the commands of a remote file management script (ETSI TS
// 102 226 §5) on the card's file system with the RFM application's own
// context: its own current DF and EF, starting at the MF (RFM of the UICC)
// or at ADF.USIM (RFM of the USIM, 3GPP TS 31.116), and the access domain of
// TS 102 226 §8.2.1.3.2.3: the key references it holds, against which the
// EF_ARR rules (TS 102 221 §9.2.4) are evaluated. The terminal's channels
// and PIN status are neither used nor changed.
//
// Commands: SELECT by FID (search order of TS 102 221 §8.4.1), parent DF,
// DF name (the USIM ADF), path from the MF or the current DF (P2 04 answers
// the FCP, 0C nothing); READ/UPDATE BINARY (offset or SFI); READ/UPDATE
// RECORD (absolute, next, previous, current; SFI; on a cyclic EF UPDATE
// RECORD previous); SEARCH RECORD (simple and enhanced search);
// INCREASE (CLA 80); VERIFY PIN; DEACTIVATE and ACTIVATE FILE (rfmcmds.go).
// Anything else answers 6D00, as TS 102 226 §5 lets an RFM application
// refuse a command it does not implement. Writes go through fs.Write,
// fs.WriteRecord, fs.PushRecord and fs.SetActivated into the ENVELOPE
// command's store transaction.
//
// A VERIFY PIN of the script adds the key to the RFM application's
// security status until the script ends (begin); a wrong value counts on
// the card's retry counter and drops only that script verification, never
// the access domain nor the terminal's status.
type rfmExec struct {
	fs       *fs.FS
	start    fs.Node // MF or the USIM ADF
	adf      fs.Node // the USIM ADF (7FFF)
	access   [256]bool
	df, ef   fs.Node
	rec      int
	verified [256]bool // keys the script verified (VERIFY PIN)
	changed  []fs.Node // EFs changed by the script, each once
}

func newRFMExec(f *fs.FS, start, adf fs.Node, access []byte) *rfmExec {
	r := &rfmExec{fs: f, start: start, adf: adf}
	for _, k := range access {
		r.access[k] = true
	}
	r.begin()
	return r
}

// begin starts a new script: the start DF is current, no EF, nothing changed.
func (r *rfmExec) begin() {
	r.df, r.ef, r.rec = r.start, fs.NoNode, 0
	r.verified = [256]bool{}
	r.changed = r.changed[:0]
}

// Exec implements rfm.Executor.
func (r *rfmExec) Exec(cmd, dst []byte) []byte {
	c, err := apdu.ParseCommand(cmd)
	if err != nil {
		return appendSW(dst, apdu.SWWrongLength)
	}
	start := len(dst)
	out, err := r.exec(&c, dst)
	if err != nil {
		sw, ok := err.(apdu.StatusWord)
		if !ok {
			sw = apdu.SWTechnicalProblem
		}
		if sw.SW1() != 0x62 && sw.SW1() != 0x63 {
			out = dst[:start]
		}
		return appendSW(out, sw)
	}
	return appendSW(out, apdu.SWOK)
}

func appendSW(dst []byte, sw apdu.StatusWord) []byte { return append(dst, byte(sw>>8), byte(sw)) }

func (r *rfmExec) exec(c *apdu.Command, dst []byte) ([]byte, error) {
	// The class of TS 102 221 Table 10.5: INCREASE is an '8X' command,
	// the others '0X'.
	kind := c.Class().Kind()
	if kind != apdu.ClassInterindustry && kind != apdu.ClassProprietary {
		return dst, apdu.SWCLANotSupported
	}
	if known, prop := isRFMIns(c.INS), kind == apdu.ClassProprietary; known && prop != (c.INS == insIncrease) {
		return dst, apdu.SWCLANotSupported
	}
	switch c.INS {
	case insIncrease:
		return r.increase(c, dst)
	case insVerify:
		return dst, r.verify(c)
	case insDeactivate, insActivate:
		return dst, r.activation(c, c.INS == insActivate)
	case 0xA4:
		return r.selectFile(c, dst)
	case 0xB0, 0xD6:
		return r.binary(c, dst)
	case 0xB2, 0xDC:
		return r.record(c, dst)
	case 0xA2:
		return r.search(c, dst)
	}
	return dst, apdu.SWINSNotSupported
}

// info returns file n's description (zero Info for NoNode).
func (r *rfmExec) info(n fs.Node) fs.Info {
	i, _ := r.fs.Info(n)
	return i
}

// find applies the file identifier search of TS 102 221 §8.4.1 from DF
// df: the MF, the USIM ADF (7FFF or its FID), df itself, its children, its
// parent and the parent's child DFs.
func (r *rfmExec) find(df fs.Node, fid fs.FileID) fs.Node {
	switch {
	case fid == fs.FIDMF:
		return r.fs.MF()
	case fid == fs.FIDCurrentADF:
		return r.adf
	case r.info(df).FID == fid:
		return df
	}
	if n, ok := r.fs.Child(df, fid); ok {
		return n
	}
	if p := r.info(df).Parent; p != fs.NoNode {
		if r.info(p).FID == fid {
			return p
		}
		if n, ok := r.fs.Child(p, fid); ok && r.info(n).Kind.IsDF() {
			return n
		}
	}
	if r.adf != fs.NoNode && r.info(r.adf).FID == fid {
		return r.adf
	}
	return fs.NoNode
}

// findPath resolves a path (TS 102 221 §8.4.2) from the MF (its own 3F00
// left out; 7FFF first for the USIM ADF) or from the current DF; every
// step but the last must be a DF.
func (r *rfmExec) findPath(d []byte, fromMF bool) fs.Node {
	n := r.df
	if fromMF {
		n = r.fs.MF()
		switch fs.FileID(d[0])<<8 | fs.FileID(d[1]) {
		case fs.FIDMF:
			d = d[2:]
		case fs.FIDCurrentADF:
			if n = r.adf; n == fs.NoNode {
				return fs.NoNode
			}
			d = d[2:]
		}
	}
	for len(d) > 0 {
		if !r.info(n).Kind.IsDF() {
			return fs.NoNode
		}
		c, ok := r.fs.Child(n, fs.FileID(d[0])<<8|fs.FileID(d[1]))
		if !ok {
			return fs.NoNode
		}
		n, d = c, d[2:]
	}
	return n
}

// selectFile is SELECT, TS 102 221 §11.1.1, in the RFM context: by FID
// (P1 00), child DF (01), parent (03), DF name (04, the USIM ADF), path
// from the MF (08) or the current DF (09); P2 04 or 00 answers the FCP,
// 0C nothing. A deactivated file is selected with 6283.
func (r *rfmExec) selectFile(c *apdu.Command, dst []byte) ([]byte, error) {
	if c.P2 != 0x04 && c.P2 != 0x0C && c.P2 != 0x00 {
		return dst, apdu.SWIncorrectP1P2
	}
	n := fs.NoNode
	d := c.Data
	switch c.P1 {
	case 0x00, 0x01:
		if len(d) != 2 {
			return dst, apdu.SWWrongLength
		}
		fid := fs.FileID(d[0])<<8 | fs.FileID(d[1])
		if c.P1 == 0x00 {
			n = r.find(r.df, fid)
		} else if m, ok := r.fs.Child(r.df, fid); ok && r.info(m).Kind.IsDF() {
			n = m
		}
	case 0x03:
		if len(d) != 0 {
			return dst, apdu.SWWrongLength
		}
		n = r.info(r.df).Parent
	case 0x04:
		if r.adf != fs.NoNode && len(d) >= 5 && r.info(r.adf).AID.HasPrefix(d) {
			n = r.adf
		}
	case 0x08, 0x09:
		if len(d) == 0 || len(d)%2 != 0 {
			return dst, apdu.SWWrongLength
		}
		n = r.findPath(d, c.P1 == 0x08)
	default:
		return dst, apdu.SWIncorrectP1P2
	}
	if n == fs.NoNode {
		return dst, apdu.SWFileNotFound
	}
	i := r.info(n)
	if i.Kind.IsDF() {
		r.df, r.ef, r.rec = n, fs.NoNode, 0
	} else {
		if r.ef != n || r.df != i.Parent {
			r.rec = 0
		}
		r.df, r.ef = i.Parent, n
	}
	if c.P2 != 0x0C {
		dst = r.fs.AppendFCP(dst, n)
	}
	if !i.LCSI.Activated() {
		return dst, apdu.SWWarningDeactivated
	}
	return dst, nil
}

// bySFI finds the EF with short file identifier s in the current DF.
func (r *rfmExec) bySFI(s byte) fs.Node {
	for n := fs.Node(0); int(n) < r.fs.Files(); n++ {
		i := r.info(n)
		if i.Parent == r.df && i.Kind == fs.KindEF && byte(i.SFI) == s {
			return n
		}
	}
	return fs.NoNode
}

// usable checks structure (6981), life cycle (6283) and the access rule
// (6982) of EF n for mode.
func (r *rfmExec) usable(n fs.Node, transparent bool, mode fs.Access, ins byte) error {
	i := r.info(n)
	if (i.Structure == fs.Transparent) != transparent {
		return apdu.SWCommandIncompatible
	}
	if !i.LCSI.Activated() {
		return apdu.SWWarningDeactivated
	}
	if !r.allowed(n, mode, ins) {
		return apdu.SWSecurityNotSatisfied
	}
	return nil
}

// binary is READ BINARY / UPDATE BINARY, TS 102 221 §11.1.3 / §11.1.4.
func (r *rfmExec) binary(c *apdu.Command, dst []byte) ([]byte, error) {
	update := c.INS == 0xD6
	if update == (len(c.Data) == 0) {
		return dst, apdu.SWWrongLength
	}
	n, off := r.ef, int(c.P1)<<8|int(c.P2)
	if c.P1&0x80 != 0 {
		if c.P1&0x60 != 0 || c.P1&0x1F == 0 {
			return dst, apdu.SWIncorrectP1P2
		}
		if n = r.bySFI(c.P1 & 0x1F); n == fs.NoNode {
			return dst, apdu.SWFileNotFound
		}
		off = int(c.P2)
	} else if n == fs.NoNode {
		return dst, apdu.SWNoCurrentEF
	}
	mode := fs.AccessRead
	if update {
		mode = fs.AccessUpdate
	}
	if err := r.usable(n, true, mode, c.INS); err != nil {
		return dst, err
	}
	content, err := r.fs.Content(n)
	if err != nil {
		return dst, apdu.SWTechnicalProblem
	}
	if off >= len(content) {
		return dst, apdu.SWWrongP1P2
	}
	if !update {
		ne := c.Ne
		if ne == 0 {
			ne = apdu.MaxShortNe
		}
		k := min(ne, len(content)-off)
		dst = append(dst, content[off:off+k]...)
		r.setEF(n)
		if k < ne && wantsExactly(c.Ne) {
			return dst, apdu.SWWarningEOF
		}
		return dst, nil
	}
	if off+len(c.Data) > len(content) {
		return dst, apdu.SWWrongLength
	}
	if err := r.fs.Write(n, off, c.Data); err != nil {
		return dst, err
	}
	r.setEF(n)
	r.markChanged(n)
	return dst, nil
}

// record is READ RECORD / UPDATE RECORD, TS 102 221 §11.1.5 / §11.1.6,
// with the record pointer rules of §11.1.5.1: absolute (P1 00: the current
// record) leaves the pointer alone, next and previous move it and fail at
// the ends of a linear fixed EF (6A83). UPDATE RECORD of a cyclic EF takes
// only PREVIOUS (pushRecord).
func (r *rfmExec) record(c *apdu.Command, dst []byte) ([]byte, error) {
	update := c.INS == 0xDC
	if !update && len(c.Data) != 0 {
		return dst, apdu.SWWrongLength
	}
	n, rec, err := r.recordEF(c.P2)
	if err != nil {
		return dst, err
	}
	mode := fs.AccessRead
	if update {
		mode = fs.AccessUpdate
	}
	if err := r.usable(n, false, mode, c.INS); err != nil {
		return dst, err
	}
	i := r.info(n)
	if update && len(c.Data) != i.RecordLen {
		return dst, apdu.SWWrongLength
	}
	if update && i.Structure == fs.Cyclic {
		return dst, r.pushRecord(n, c)
	}
	t, ptr, err := fs.PickRecord(i.Records, i.Structure == fs.Cyclic, c.P2&0x07, c.P1, rec)
	if err != nil {
		return dst, err
	}
	if update {
		if err := r.fs.WriteRecord(n, t, c.Data); err != nil {
			return dst, err
		}
		r.markChanged(n)
	} else {
		b, err := r.fs.Record(n, t)
		if err != nil {
			return dst, apdu.SWRecordNotFound
		}
		dst = append(dst, b...)
	}
	r.df, r.ef, r.rec = i.Parent, n, ptr
	if !update && wantsExactly(c.Ne) && c.Ne > i.RecordLen {
		return dst, apdu.SWWarningEOF
	}
	return dst, nil
}

// recordEF resolves the EF a record command addresses (P2 b8..b4: SFI, or
// 00000 for the current EF; 11111 is RFU, TS 102 221 §11.1.5) and the
// record pointer that applies to it: the current one, or none when an SFI
// names another EF.
func (r *rfmExec) recordEF(p2 byte) (fs.Node, int, error) {
	n, rec := r.ef, r.rec
	switch sfi := p2 >> 3; {
	case sfi == 0x1F:
		return n, rec, apdu.SWIncorrectP1P2
	case sfi != 0:
		if n = r.bySFI(sfi); n == fs.NoNode {
			return n, rec, apdu.SWFileNotFound
		}
		if n != r.ef {
			rec = 0
		}
	case n == fs.NoNode:
		return n, rec, apdu.SWNoCurrentEF
	}
	return n, rec, nil
}

// search is SEARCH RECORD, TS 102 221 §11.1.7: the simple (P2 b3..b1 =
// 100, 101) and enhanced (110) searches of fs.SearchRecords, which the
// terminal's SEARCH RECORD runs too; the answer lists the records found,
// the record pointer moves to the first; no match answers 6282.
func (r *rfmExec) search(c *apdu.Command, dst []byte) ([]byte, error) {
	n, rec, err := r.recordEF(c.P2)
	if err != nil {
		return dst, err
	}
	if !fs.SearchModeSupported(c.P2) {
		return dst, apdu.SWIncorrectP1P2
	}
	if err := r.usable(n, false, fs.AccessRead, c.INS); err != nil {
		return dst, err
	}
	out, first, err := r.fs.SearchRecords(dst, n, c.P1, c.P2, c.Data, rec)
	if err != nil && err != apdu.SWWarningEOF {
		return dst, err
	}
	r.setEF(n)
	if first == 0 {
		return out, apdu.SWWarningEOF
	}
	r.rec = first
	return out, nil
}

// wantsExactly reports an explicit Le (not 00 / absent): fewer bytes
// answer 6282.
func wantsExactly(ne int) bool { return ne != 0 && ne != apdu.MaxShortNe && ne != apdu.MaxNe }

// setEF makes n the current EF (an SFI reference does, TS 102 221 §8.3),
// resetting the record pointer when the EF changes.
func (r *rfmExec) setEF(n fs.Node) {
	if r.ef != n {
		r.rec = 0
	}
	r.df, r.ef = r.info(n).Parent, n
}

func (r *rfmExec) markChanged(n fs.Node) {
	for _, m := range r.changed {
		if m == n {
			return
		}
	}
	r.changed = append(r.changed, n)
}

// path appends the full path of file n from the MF (3F00 … FID, an ADF
// written 7FFF), the File List form of TS 102 223 §8.18.
func (r *rfmExec) path(dst []byte, n fs.Node) []byte {
	var fids [8]fs.FileID
	k := 0
	for m := n; m != fs.NoNode && k < len(fids); m = r.info(m).Parent {
		i := r.info(m)
		fid := i.FID
		if i.Kind == fs.KindADF {
			fid = fs.FIDCurrentADF
		}
		fids[k] = fid
		k++
	}
	for k--; k >= 0; k-- {
		dst = append(dst, byte(fids[k]>>8), byte(fids[k]))
	}
	return dst
}

// refresh appends the REFRESH (TS 102 223 §6.6.13) for the files the last
// script changed, or returns nil when nothing changed or mode is none.
func (r *rfmExec) refresh(mode engine.RefreshMode, none bool, aid []byte) []byte {
	if none || len(r.changed) == 0 {
		return nil
	}
	var files [][]byte
	if mode == engine.RefreshFCN || mode == engine.RefreshNAAInitFCN {
		for _, n := range r.changed {
			files = append(files, r.path(nil, n))
		}
	}
	if mode == engine.RefreshUICCReset {
		aid = nil
	}
	b, err := engine.AppendRefresh(nil, 1, mode, files, aid)
	if err != nil {
		return nil
	}
	return b
}

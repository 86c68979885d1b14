package uicc

import (
	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/ota/engine"
	"github.com/uiccsim/uiccsim/usim/fs"
)

// rfmApp is an RFM application with the full access domain (TS 102 226
// §8.2.1.3.2.1, access domain 00): its scripts start at the MF (UICC RFM)
// or at ADF.USIM (USIM RFM), TS 102 226 §6, and run on the card's file
// system with their own current DF and EF, apart from the terminal's
// logical channels.
type rfmApp struct {
	fs         *fs.FS
	start, adf fs.Node
	refresh    *engine.RefreshMode
	aid        []byte
	pending    []byte
}

// Run implements engine.Application.
func (a *rfmApp) Run(dst, data []byte) []byte {
	x := &fileExec{fs: a.fs, df: a.start, ef: fs.NoNode, adf: a.adf}
	if a.refresh == nil {
		return engine.RFM{Exec: x}.Run(dst, data)
	}
	tr := &engine.ChangeTracker{Next: x}
	if a.start == a.adf {
		tr.Start = []byte{0x3F, 0x00, 0x7F, 0xFF}
	}
	dst = engine.RFM{Exec: tr}.Run(dst, data)
	a.pending = nil
	if len(tr.Changed) > 0 {
		var files [][]byte
		if *a.refresh == engine.RefreshFCN || *a.refresh == engine.RefreshNAAInitFCN {
			files = tr.Changed
		}
		a.pending, _ = engine.AppendRefresh(nil, 1, *a.refresh, files, a.aid)
	}
	return dst
}

// FollowUp implements engine.Follower.
func (a *rfmApp) FollowUp() []byte {
	p := a.pending
	a.pending = nil
	return p
}

// fileExec runs the file commands of ETSI TS 102 221 §11.1 that RFM
// scripts use — SELECT, READ/UPDATE BINARY, READ/UPDATE RECORD (absolute
// mode) — with full access rights. Other instructions answer 6D00.
type fileExec struct {
	fs          *fs.FS
	df, ef, adf fs.Node
}

// Exec implements rfm.Executor.
func (x *fileExec) Exec(cmd, dst []byte) []byte {
	c, err := apdu.ParseCommand(cmd)
	if err != nil {
		return sw(dst, apdu.SWWrongLength)
	}
	if c.Class().Kind() == apdu.ClassProprietary {
		return sw(dst, apdu.SWCLANotSupported)
	}
	switch c.INS {
	case 0xA4:
		return x.selectFile(dst, &c)
	case 0xB0, 0xD6:
		return x.binary(dst, &c)
	case 0xB2, 0xDC:
		return x.record(dst, &c)
	}
	return sw(dst, apdu.SWINSNotSupported)
}

func sw(dst []byte, s apdu.StatusWord) []byte { return append(dst, s.SW1(), s.SW2()) }

func fid(b []byte) fs.FileID { return fs.FileID(b[0])<<8 | fs.FileID(b[1]) }

// find resolves a file identifier from the current DF, TS 102 221 §8.4.1:
// the MF, the current ADF (7FFF), a child of the current DF, the current
// DF's parent, or a sibling of the current DF.
func (x *fileExec) find(id fs.FileID) fs.Node {
	switch id {
	case fs.FIDMF:
		return 0
	case fs.FIDCurrentADF:
		return x.adf
	}
	if n, ok := x.fs.Child(x.df, id); ok {
		return n
	}
	info, err := x.fs.Info(x.df)
	if err != nil || info.Parent == fs.NoNode {
		return fs.NoNode
	}
	if p, _ := x.fs.Info(info.Parent); p.FID == id {
		return info.Parent
	}
	if n, ok := x.fs.Child(info.Parent, id); ok {
		return n
	}
	return fs.NoNode
}

func (x *fileExec) selectFile(dst []byte, c *apdu.Command) []byte {
	target := fs.NoNode
	switch c.P1 {
	case 0x00:
		if len(c.Data) == 0 {
			target = 0
		} else if len(c.Data) == 2 {
			target = x.find(fid(c.Data))
		} else {
			return sw(dst, apdu.SWWrongLength)
		}
	case 0x03:
		if info, err := x.fs.Info(x.df); err == nil && info.Parent != fs.NoNode {
			target = info.Parent
		}
	case 0x04:
		if info, err := x.fs.Info(x.adf); err == nil && info.AID.HasPrefix(c.Data) && len(c.Data) >= 5 {
			target = x.adf
		}
	case 0x08, 0x09:
		if len(c.Data) == 0 || len(c.Data)%2 != 0 {
			return sw(dst, apdu.SWWrongLength)
		}
		n := x.df
		if c.P1 == 0x08 {
			n = 0
		}
		for i := 0; i < len(c.Data) && n != fs.NoNode; i += 2 {
			id := fid(c.Data[i:])
			if id == fs.FIDCurrentADF && i == 0 {
				n = x.adf
				continue
			}
			if next, ok := x.fs.Child(n, id); ok {
				n = next
			} else {
				n = fs.NoNode
			}
		}
		target = n
	default:
		return sw(dst, apdu.SWIncorrectP1P2)
	}
	if target == fs.NoNode {
		return sw(dst, apdu.SWFileNotFound)
	}
	info, err := x.fs.Info(target)
	if err != nil {
		return sw(dst, apdu.SWFileNotFound)
	}
	if info.Kind.IsDF() {
		x.df, x.ef = target, fs.NoNode
	} else {
		x.df, x.ef = info.Parent, target
	}
	if c.P2&0x0C == 0x0C {
		return sw(dst, apdu.SWOK)
	}
	return sw(x.fs.AppendFCP(dst, target), apdu.SWOK)
}

// bySFI finds the EF with short file identifier s under the current DF.
func (x *fileExec) bySFI(s byte) fs.Node {
	for n := fs.Node(0); int(n) < x.fs.Files(); n++ {
		if info, err := x.fs.Info(n); err == nil && info.Parent == x.df && info.Kind == fs.KindEF && byte(info.SFI) == s {
			return n
		}
	}
	return fs.NoNode
}

func (x *fileExec) binary(dst []byte, c *apdu.Command) []byte {
	n, off := x.ef, int(c.P1)<<8|int(c.P2)
	if c.P1&0x80 != 0 {
		if n = x.bySFI(c.P1 & 0x1F); n == fs.NoNode {
			return sw(dst, apdu.SWFileNotFound)
		}
		off = int(c.P2)
	}
	if n == fs.NoNode {
		return sw(dst, apdu.SWNoCurrentEF)
	}
	content, err := x.fs.Content(n)
	if err != nil {
		return sw(dst, apdu.SWCommandIncompatible)
	}
	if off > len(content) || (off == len(content) && c.INS == 0xB0) {
		return sw(dst, apdu.SWWrongP1P2)
	}
	if c.P1&0x80 != 0 {
		x.ef = n
	}
	if c.INS == 0xD6 {
		if off+len(c.Data) > len(content) {
			return sw(dst, apdu.SWWrongLength)
		}
		if err := x.fs.Write(n, off, c.Data); err != nil {
			return sw(dst, apdu.SWMemoryProblem)
		}
		return sw(dst, apdu.SWOK)
	}
	end := off + c.Ne
	if end > len(content) {
		return sw(append(dst, content[off:]...), apdu.SWWarningEOF)
	}
	return sw(append(dst, content[off:end]...), apdu.SWOK)
}

func (x *fileExec) record(dst []byte, c *apdu.Command) []byte {
	n := x.ef
	if s := c.P2 >> 3; s != 0 {
		if n = x.bySFI(s); n == fs.NoNode {
			return sw(dst, apdu.SWFileNotFound)
		}
	}
	if n == fs.NoNode {
		return sw(dst, apdu.SWNoCurrentEF)
	}
	if c.P2&7 != 0x04 || c.P1 == 0 {
		return sw(dst, apdu.SWIncorrectP1P2) // only the absolute mode of TS 102 221 §11.1.5
	}
	rec, err := x.fs.Record(n, int(c.P1))
	if err != nil {
		if _, cerr := x.fs.Content(n); cerr == nil {
			return sw(dst, apdu.SWCommandIncompatible)
		}
		return sw(dst, apdu.SWRecordNotFound)
	}
	x.ef = n
	if c.INS == 0xDC {
		if len(c.Data) != len(rec) {
			return sw(dst, apdu.SWWrongLength)
		}
		if err := x.fs.WriteRecord(n, int(c.P1), c.Data); err != nil {
			return sw(dst, apdu.SWMemoryProblem)
		}
		return sw(dst, apdu.SWOK)
	}
	return sw(append(dst, rec...), apdu.SWOK)
}

package engine

import (
	"bytes"

	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/ota/rfm"
)

// ChangeTracker wraps an RFM executor and records the full path (from
// 3F00) of every EF that a successful command changed: UPDATE BINARY,
// UPDATE RECORD, INCREASE, ACTIVATE FILE, DEACTIVATE FILE (ETSI TS 102 221
// §11.1). It follows SELECT by file identifier, by path from the MF or
// the current DF, of the parent DF, and by AID (the ADF, path 3F00 7FFF),
// telling DFs from EFs by the first octet of the file identifier as TS
// 102 221 §8.2 assigns them (3F MF, 7F first-level DF, 5F second-level DF;
// others EFs). Commands addressing an EF by short file identifier are not
// tracked.
type ChangeTracker struct {
	Next    rfm.Executor // the file system's APDU processor
	Changed [][]byte     // full paths of changed EFs, each once
	// Start is the path of the DF a script starts in (TS 102 226 §6: the
	// MF for UICC RFM, the ADF, 3F00 7FFF, for USIM RFM); nil means 3F00.
	Start []byte

	df []byte // current DF path, from 3F00
	ef []byte // current EF file identifier, nil if none
}

// Exec implements rfm.Executor.
func (c *ChangeTracker) Exec(cmd, dst []byte) []byte {
	start := len(dst)
	rsp := c.Next.Exec(cmd, dst)
	if len(rsp) < start+2 {
		return rsp
	}
	sw1, sw2 := rsp[len(rsp)-2], rsp[len(rsp)-1]
	if !(sw1 == 0x90 && sw2 == 0) && sw1 != 0x61 && sw1 != 0x9F && sw1 != 0x91 {
		return rsp
	}
	a, err := apdu.ParseCommand(cmd)
	if err != nil {
		return rsp
	}
	switch a.INS {
	case 0xA4:
		c.selected(a.P1, a.Data)
	case 0xD6, 0xDC, 0x32, 0x44, 0x04:
		if c.ef == nil || (a.INS == 0xD6 && a.P1&0x80 != 0) || (a.INS == 0xDC && a.P2>>3 != 0) {
			return rsp // no current EF, or addressed by short file identifier
		}
		p := append(append([]byte(nil), c.df...), c.ef...)
		for _, q := range c.Changed {
			if bytes.Equal(p, q) {
				return rsp
			}
		}
		c.Changed = append(c.Changed, p)
	}
	return rsp
}

func (c *ChangeTracker) selected(p1 byte, data []byte) {
	if len(c.df) == 0 {
		c.df = []byte{0x3F, 0x00}
		if len(c.Start) >= 2 {
			c.df = append([]byte(nil), c.Start...)
		}
	}
	switch p1 {
	case 0x00: // by file identifier
		if len(data) == 0 {
			c.df, c.ef = []byte{0x3F, 0x00}, nil
		} else if len(data) == 2 {
			c.step(data)
		}
	case 0x03: // parent DF
		if len(c.df) > 2 {
			c.df = c.df[:len(c.df)-2]
		}
		c.ef = nil
	case 0x04: // by DF name (AID): the ADF
		c.df, c.ef = []byte{0x3F, 0x00, 0x7F, 0xFF}, nil
	case 0x08, 0x09: // by path from the MF / from the current DF
		if p1 == 0x08 {
			c.df, c.ef = []byte{0x3F, 0x00}, nil
		}
		for i := 0; i+1 < len(data); i += 2 {
			c.step(data[i : i+2])
		}
	}
}

// step selects one file identifier relative to the current DF.
func (c *ChangeTracker) step(fid []byte) {
	switch {
	case fid[0] == 0x3F && fid[1] == 0x00:
		c.df, c.ef = []byte{0x3F, 0x00}, nil
	case fid[0] == 0x7F: // first-level DF (7FFF: the current ADF)
		c.df, c.ef = []byte{0x3F, 0x00, fid[0], fid[1]}, nil
	case fid[0] == 0x5F: // second-level DF under the first-level one
		if len(c.df) >= 4 {
			c.df = append(c.df[:4:4], fid...)
		}
		c.ef = nil
	default:
		c.ef = []byte{fid[0], fid[1]}
	}
}

// RefreshingRFM is an RFM application that, after a script changed files,
// queues a REFRESH (TS 102 223 §6.4.7) once the PoR is out, so that the
// terminal re-reads what OTA changed (EF_IMSI after an operator change).
// The file change modes carry the changed files; the others do not.
type RefreshingRFM struct {
	Exec rfm.Executor
	Mode RefreshMode
	AID  []byte // the NAA to refresh, optional

	pending []byte
}

// Run implements Application.
func (r *RefreshingRFM) Run(dst, data []byte) []byte {
	tr := &ChangeTracker{Next: r.Exec}
	dst = RFM{Exec: tr}.Run(dst, data)
	r.pending = nil
	if len(tr.Changed) > 0 {
		var files [][]byte
		if r.Mode.needsFiles() {
			files = tr.Changed
		}
		r.pending, _ = AppendRefresh(nil, 1, r.Mode, files, r.AID)
	}
	return dst
}

// FollowUp implements Follower: the REFRESH to queue, if any.
func (r *RefreshingRFM) FollowUp() []byte {
	p := r.pending
	r.pending = nil
	return p
}

// Follower is implemented by applications that queue a proactive command
// after the PoR of the packet they ran (RefreshingRFM's REFRESH).
type Follower interface {
	FollowUp() []byte
}

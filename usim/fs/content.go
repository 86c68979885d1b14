package fs

import (
	"fmt"

	"github.com/uiccsim/uiccsim/usim/jc"
)

// lcsi returns the life cycle status of n from its cell.
func (f *FS) lcsi(n Node) LCSI {
	x := &f.nodes[n]
	return LCSI(f.st.Bytes(x.ref)[x.at])
}

// content returns a read-only view of n's content bytes (records in
// physical order for a record EF).
func (f *FS) content(n Node) []byte {
	x := &f.nodes[n]
	return f.st.Bytes(x.ref)[x.at+2:]
}

// slot maps logical record i (1..nrec) of a record EF to its physical
// slot: for a cyclic EF record 1 is the newest, held in the slot the head
// byte names (ETSI TS 102 221 §8.1.2.3).
func (f *FS) slot(n Node, i int) int {
	x := &f.nodes[n]
	if x.structure != Cyclic {
		return i - 1
	}
	head := int(f.st.Bytes(x.ref)[x.at+1])
	return (head + i - 1) % x.nrec
}

// record returns a view of logical record i (1-based).
func (f *FS) record(n Node, i int) []byte {
	x := &f.nodes[n]
	s := f.slot(n, i) * x.recLen
	return f.content(n)[s : s+x.recLen : s+x.recLen]
}

// writeRecord writes logical record i through the store transaction.
func (f *FS) writeRecord(n Node, i int, data []byte) error {
	x := &f.nodes[n]
	return f.st.Write(x.ref, x.at+2+f.slot(n, i)*x.recLen, data)
}

// pushCyclic writes data as the new record 1 of a cyclic EF: the oldest
// slot is overwritten and becomes the head (ETSI TS 102 221 §11.1.6).
func (f *FS) pushCyclic(n Node, data []byte) error {
	x := &f.nodes[n]
	oldest := f.slot(n, x.nrec)
	if err := f.st.Write(x.ref, x.at+2+oldest*x.recLen, data); err != nil {
		return err
	}
	return f.st.Write(x.ref, x.at+1, []byte{byte(oldest)})
}

// Info describes a file for tools and tests.
type Info struct {
	Kind      Kind
	FID       FileID
	SFI       SFI
	Structure Structure // EFs only
	Size      int       // content bytes of an EF
	RecordLen int
	Records   int
	LCSI      LCSI
	ARR       ARRRef
	AID       jc.AID // ADFs only
	Name      string
	Parent    Node
}

func (f *FS) valid(n Node) bool { return n >= 0 && int(n) < len(f.nodes) }

// Info returns the description of file n.
func (f *FS) Info(n Node) (Info, error) {
	if !f.valid(n) {
		return Info{}, fmt.Errorf("%w: file %d", ErrNotFound, n)
	}
	x := &f.nodes[n]
	return Info{Kind: x.kind, FID: x.fid, SFI: x.sfi, Structure: x.structure, Size: x.size,
		RecordLen: x.recLen, Records: x.nrec, LCSI: f.lcsi(n), ARR: x.arr, AID: x.aid,
		Name: x.name, Parent: x.parent}, nil
}

// Files returns the number of files; nodes are 0 (the MF) .. Files()-1.
func (f *FS) Files() int { return len(f.nodes) }

// Child finds the file with identifier fid directly under DF parent.
func (f *FS) Child(parent Node, fid FileID) (Node, bool) {
	if !f.valid(parent) {
		return NoNode, false
	}
	for _, c := range f.nodes[parent].children {
		if f.nodes[c].fid == fid {
			return c, true
		}
	}
	return NoNode, false
}

// Lookup walks a path of file identifiers from DF start (e.g.
// Lookup(adf, 0x6F07)).
func (f *FS) Lookup(start Node, path ...FileID) (Node, bool) {
	n := start
	for _, fid := range path {
		var ok bool
		if n, ok = f.Child(n, fid); !ok {
			return NoNode, false
		}
	}
	return n, f.valid(n)
}

// ADF finds an application DF by its full AID.
func (f *FS) ADF(aid jc.AID) (Node, bool) {
	for i := range f.nodes {
		if f.nodes[i].kind == KindADF && f.nodes[i].aid == aid {
			return Node(i), true
		}
	}
	return NoNode, false
}

// Content returns a read-only view of a transparent EF's bytes (valid
// until the next write).
func (f *FS) Content(n Node) ([]byte, error) {
	if !f.valid(n) || f.nodes[n].kind != KindEF || f.nodes[n].structure != Transparent {
		return nil, fmt.Errorf("%w: transparent EF %d", ErrNotFound, n)
	}
	return f.content(n), nil
}

// Record returns a read-only view of logical record i (1-based; for a
// cyclic EF 1 is the newest) of a record EF.
func (f *FS) Record(n Node, i int) ([]byte, error) {
	if !f.valid(n) || f.nodes[n].kind != KindEF || f.nodes[n].structure == Transparent {
		return nil, fmt.Errorf("%w: record EF %d", ErrNotFound, n)
	}
	if i < 1 || i > f.nodes[n].nrec {
		return nil, fmt.Errorf("%w: record %d of %s", ErrNotFound, i, f.nodes[n].label())
	}
	return f.record(n, i), nil
}

// Write writes data at offset off of a transparent EF through the store
// (inside the command's transaction when called from a handler).
func (f *FS) Write(n Node, off int, data []byte) error {
	if _, err := f.Content(n); err != nil {
		return err
	}
	x := &f.nodes[n]
	if off < 0 || off+len(data) > x.size {
		return fmt.Errorf("%w: %d bytes at %d in %s of %d bytes", ErrBadSpec, len(data), off, x.label(), x.size)
	}
	return f.st.Write(x.ref, x.at+2+off, data)
}

// WriteRecord replaces logical record i of a record EF (data must be one
// record long).
func (f *FS) WriteRecord(n Node, i int, data []byte) error {
	if _, err := f.Record(n, i); err != nil {
		return err
	}
	if len(data) != f.nodes[n].recLen {
		return fmt.Errorf("%w: %d bytes for records of %d", ErrBadSpec, len(data), f.nodes[n].recLen)
	}
	return f.writeRecord(n, i, data)
}

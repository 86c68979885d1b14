package fs

import (
	"fmt"
	"strings"

	"github.com/uiccsim/uiccsim/usim/jc"
	"github.com/uiccsim/uiccsim/usim/store"
)

// Node is a handle to one file of an FS (an index; NoNode is none).
type Node int32

// NoNode is the absent file.
const NoNode Node = -1

// Options tune encodings that differ between real cards.
type Options struct {
	// Proprietary is the value of the proprietary information DO (tag A5,
	// ETSI TS 102 221 §11.1.1.4.6) put in MF, DF and ADF FCPs, e.g.
	// 80 01 71 (UICC characteristics) 87 01 01; nil leaves A5 out.
	Proprietary []byte
	// OmitEFPinStatus leaves the PIN status template DO (C6) out of EF
	// FCPs; by default EFs carry their DF's template, which some modems
	// need (TS 102 221 §11.1.1.3.2 makes it optional for EFs).
	OmitEFPinStatus bool
}

type node struct {
	kind      Kind
	fid       FileID
	sfi       SFI
	structure Structure
	shareable bool
	recLen    int
	nrec      int
	size      int // content bytes (recLen*nrec for record EFs)
	arr       ARRRef
	sec       secAttr // 8B long form, 8C or AB (secattr.go); zero: short 8B
	aid       jc.AID
	pins      []KeyRef
	name      string
	parent    Node
	children  []Node
	ref       store.Ref
	at        int // offset of the LCSI byte in the cell; head at+1, content at+2
}

type chanState struct {
	df, ef, adf Node
	rec         int // record pointer of ef: 1..n, 0 unset
}

// FS is a UICC file system (ETSI TS 102 221 §8) whose state lives in a
// store, plus the PINs of §9 and the per-channel current DF, EF and
// application. It is the jc.Base of a card runtime.
type FS struct {
	st       *store.Store
	opts     Options
	nodes    []node
	pins     []pin
	pinIdx   [256]int16
	verified [256]bool
	localIn  [256]Node // application session of a verified local key (security.go)
	ch       [jc.Channels]chanState
	saved    chanState // channel state before the last Process, for Undo
	savedCh  int
	curCh    int // channel of the command being processed

	remoteFull bool      // access domain of jc.RemoteChannel: full access
	remoteKeys [256]bool // …or these key references
}

const cellPrefix = "fs."

// New creates a file system holding only the MF described by mf (its FID
// is 3F00 whatever mf.FID says) in st. Build the rest with AddDF, AddADF,
// AddEF and AddPIN, then Attach it to a runtime.
func New(st *store.Store, mf Spec, o Options) (*FS, error) {
	f := &FS{st: st, opts: o}
	for i := range f.pinIdx {
		f.pinIdx[i] = -1
	}
	mf.FID = FIDMF
	if _, err := f.add(NoNode, KindMF, mf); err != nil {
		return nil, err
	}
	f.Reset()
	return f, nil
}

// MF returns the master file.
func (f *FS) MF() Node { return 0 }

// AddDF creates a DF under parent (the MF or a DF/ADF).
func (f *FS) AddDF(parent Node, s Spec) (Node, error) { return f.add(parent, KindDF, s) }

// AddADF creates an application DF, reachable by its AID (once installed in
// a runtime with App) and as 7FFF while it is the current application.
// Its parent for SELECT parent and paths is the MF, but it is not a child
// the MF's FID search can find (TS 102 221 §8.4.1).
func (f *FS) AddADF(s Spec) (Node, error) { return f.add(0, KindADF, s) }

// AddEF creates an elementary file under the DF or ADF parent.
func (f *FS) AddEF(parent Node, s Spec) (Node, error) { return f.add(parent, KindEF, s) }

func (f *FS) add(parent Node, k Kind, s Spec) (Node, error) {
	n, err := f.check(parent, k, s)
	if err != nil {
		return NoNode, err
	}
	meta := n.appendMeta(nil)
	lcsi := s.LCSI
	if lcsi == 0 {
		lcsi = LCSIActivated
	}
	n.at = 2 + len(meta)
	img := make([]byte, n.at+2+n.size)
	img[0], img[1] = byte(len(meta)>>8), byte(len(meta))
	copy(img[2:], meta)
	img[n.at] = byte(lcsi)
	content := img[n.at+2:]
	for i := range content {
		content[i] = 0xFF
	}
	copy(content, s.Data)
	err = f.st.Update(func() error {
		ref, err := f.st.Alloc(fmt.Sprintf("%s%d", cellPrefix, len(f.nodes)), len(img))
		if err != nil {
			return err
		}
		n.ref = ref
		return f.st.Write(ref, 0, img) // a fresh cell: no undo record
	})
	if err != nil {
		return NoNode, fmt.Errorf("fs: %s: %w", n.label(), err)
	}
	id := Node(len(f.nodes))
	f.nodes = append(f.nodes, n)
	if parent != NoNode && k != KindADF {
		f.nodes[parent].children = append(f.nodes[parent].children, id)
	}
	return id, nil
}

// trim reallocates the node table and each DF's child list at their
// length, dropping the spare capacity append's doubling left while the
// tree was built (a card's tree is built once and then only read).
func (f *FS) trim() {
	if cap(f.nodes) > len(f.nodes) {
		f.nodes = append(make([]node, 0, len(f.nodes)), f.nodes...)
	}
	for i := range f.nodes {
		if c := f.nodes[i].children; cap(c) > len(c) {
			f.nodes[i].children = append(make([]Node, 0, len(c)), c...)
		}
	}
}

// check validates a Spec against TS 102 221 §8 and the existing tree.
func (f *FS) check(parent Node, k Kind, s Spec) (node, error) {
	n := node{kind: k, fid: s.FID, sfi: s.SFI, shareable: !s.NotShareable, arr: s.ARR,
		pins: append([]KeyRef(nil), s.PINs...), name: s.Name, parent: parent}
	bad := func(format string, a ...any) (node, error) {
		return node{}, fmt.Errorf("%w: %s: %s", ErrBadSpec, n.label(), fmt.Sprintf(format, a...))
	}
	if len(s.Name) > 255 {
		return bad("name longer than 255 bytes")
	}
	sec, err := specSecAttr(s)
	if err != nil {
		return bad("%v", err)
	}
	n.sec = sec
	if k != KindMF {
		if parent < 0 || int(parent) >= len(f.nodes) || !f.nodes[parent].kind.IsDF() {
			return bad("parent is not a DF")
		}
		if s.FID == FIDMF || s.FID == FIDCurrentADF || s.FID == FIDInvalid {
			return bad("file identifier %s is reserved", s.FID)
		}
		if k != KindADF {
			for _, c := range f.nodes[parent].children {
				if f.nodes[c].fid == s.FID {
					return bad("file identifier already used in %s", f.nodes[parent].label())
				}
			}
		}
	}
	if k == KindADF {
		aid, err := jc.NewAID(s.AID)
		if err != nil {
			return bad("AID: %v", err)
		}
		for i := range f.nodes {
			if f.nodes[i].kind == KindADF && f.nodes[i].aid == aid {
				return bad("AID %s already used", aid)
			}
		}
		n.aid = aid
	} else if len(s.AID) != 0 {
		return bad("only an ADF has an AID")
	}
	if k != KindEF {
		if s.SFI != 0 || s.Size != 0 || s.Records != 0 || len(s.Data) != 0 {
			return bad("a %s has no SFI, size, records or data", k)
		}
		if len(s.PINs) > 16 {
			return bad("%d PINs in the status template (16 at most)", len(s.PINs))
		}
		return n, nil
	}
	if len(s.PINs) != 0 {
		return bad("an EF lists no PINs (its DF's template is used)")
	}
	if s.SFI > 30 {
		return bad("SFI %d outside 1..30", s.SFI)
	}
	if s.SFI != 0 {
		for _, c := range f.nodes[parent].children {
			if f.nodes[c].sfi == s.SFI {
				return bad("%s already used by %s", s.SFI, f.nodes[c].label())
			}
		}
	}
	n.structure = s.Structure
	if n.structure == 0 {
		n.structure = Transparent
	}
	switch n.structure {
	case Transparent:
		if s.Size < 1 || s.Size > 0xFFFF || s.RecordLen != 0 || s.Records != 0 {
			return bad("transparent size %d outside 1..65535 (or record fields set)", s.Size)
		}
		n.size = s.Size
	case LinearFixed, Cyclic:
		if s.RecordLen < 1 || s.RecordLen > 255 || s.Records < 1 || s.Records > 254 || s.Size != 0 {
			return bad("%d records of %d bytes outside 1..254 × 1..255 (or Size set)", s.Records, s.RecordLen)
		}
		n.recLen, n.nrec, n.size = s.RecordLen, s.Records, s.RecordLen*s.Records
	default:
		return bad("structure %d", s.Structure)
	}
	if len(s.Data) > n.size {
		return bad("%d bytes of data for %d bytes of file", len(s.Data), n.size)
	}
	return n, nil
}

func (n *node) label() string {
	if n.name != "" {
		return fmt.Sprintf("%s %s (%s)", n.kind, n.fid, n.name)
	}
	return fmt.Sprintf("%s %s", n.kind, n.fid)
}

// appendMeta encodes the immutable description persisted before the
// file's state in its cell: kind parent(2) fid(2) sfi structure shareable
// recLen(2) nrec(2) size(4) arrFID(2) arrRec aidLen aid npins pins nameLen name
// [secTag secLen sec].
func (n *node) appendMeta(b []byte) []byte {
	sh := byte(0)
	if n.shareable {
		sh = 1
	}
	b = append(b, byte(n.kind), byte(uint16(n.parent)>>8), byte(uint16(n.parent)),
		byte(n.fid>>8), byte(n.fid), byte(n.sfi), byte(n.structure), sh,
		byte(n.recLen>>8), byte(n.recLen), byte(n.nrec>>8), byte(n.nrec),
		byte(n.size>>24), byte(n.size>>16), byte(n.size>>8), byte(n.size),
		byte(n.arr.FID>>8), byte(n.arr.FID), n.arr.Record, byte(n.aid.Len()))
	b = n.aid.Append(b)
	b = append(b, byte(len(n.pins)))
	for _, p := range n.pins {
		b = append(b, byte(p))
	}
	b = append(b, byte(len(n.name)))
	b = append(b, n.name...)
	if n.sec.tag != 0 { // optional trailer: tag len value
		b = append(b, n.sec.tag, byte(len(n.sec.val)))
		b = append(b, n.sec.val...)
	}
	return b
}

// Open rebuilds a file system from a store holding one (after
// store.LoadFile or ParseImage): the tree, contents, life cycle states and
// PINs come back as they were; volatile state starts as after reset.
func Open(st *store.Store, o Options) (*FS, error) {
	f := &FS{st: st, opts: o}
	for i := range f.pinIdx {
		f.pinIdx[i] = -1
	}
	for r := store.Ref(1); int(r) <= st.Cells(); r++ {
		name := st.Name(r)
		switch {
		case strings.HasPrefix(name, cellPrefix):
			if err := f.openNode(r); err != nil {
				return nil, err
			}
		case strings.HasPrefix(name, pinPrefix):
			if err := f.openPIN(r); err != nil {
				return nil, err
			}
		}
	}
	if len(f.nodes) == 0 || f.nodes[0].kind != KindMF {
		return nil, fmt.Errorf("%w: no MF", ErrCorrupt)
	}
	f.Reset()
	return f, nil
}

func (f *FS) openNode(r store.Ref) error {
	b := f.st.Bytes(r)
	fail := func(what string) error {
		return fmt.Errorf("%w: cell %q: %s", ErrCorrupt, f.st.Name(r), what)
	}
	if len(b) < 2 {
		return fail("too short")
	}
	m := int(b[0])<<8 | int(b[1])
	if m < 21 || 2+m+2 > len(b) {
		return fail("bad metadata length")
	}
	meta := b[2 : 2+m]
	n := node{kind: Kind(meta[0]), parent: Node(int16(uint16(meta[1])<<8 | uint16(meta[2]))),
		fid: FileID(meta[3])<<8 | FileID(meta[4]), sfi: SFI(meta[5]), structure: Structure(meta[6]),
		shareable: meta[7] == 1, recLen: int(meta[8])<<8 | int(meta[9]), nrec: int(meta[10])<<8 | int(meta[11]),
		size: int(meta[12])<<24 | int(meta[13])<<16 | int(meta[14])<<8 | int(meta[15]),
		arr:  ARRRef{FileID(meta[16])<<8 | FileID(meta[17]), meta[18]}, ref: r, at: 2 + m}
	rest := meta[19:]
	take := func() []byte {
		if len(rest) < 1 || int(rest[0]) > len(rest)-1 {
			return nil
		}
		v := rest[1 : 1+int(rest[0])]
		rest = rest[1+int(rest[0]):]
		return v
	}
	if aid := take(); len(aid) > 0 {
		a, err := jc.NewAID(aid)
		if err != nil {
			return fail(err.Error())
		}
		n.aid = a
	}
	for _, p := range take() {
		n.pins = append(n.pins, KeyRef(p))
	}
	n.name = string(take())
	if len(rest) > 0 {
		tag := rest[0]
		rest = rest[1:]
		v := take()
		if v == nil || len(rest) != 0 || !validSecAttr(tag, v, n.arr) {
			return fail("bad security attribute")
		}
		n.sec = secAttr{tag: tag, val: append([]byte(nil), v...)}
	}
	id := Node(len(f.nodes))
	switch {
	case n.kind < KindMF || n.kind > KindEF:
		return fail("bad kind")
	case (n.kind == KindMF) != (id == 0):
		return fail("MF must be the first file")
	case n.kind != KindMF && (n.parent < 0 || n.parent >= id || !f.nodes[n.parent].kind.IsDF()):
		return fail("bad parent")
	case n.kind == KindMF && n.parent != NoNode:
		return fail("the MF has a parent")
	case n.at+2+n.size != len(b):
		return fail("content size does not match the cell")
	case (n.kind == KindADF) != !n.aid.IsZero():
		return fail("an ADF, and only an ADF, has an AID")
	case n.kind != KindEF && (n.size != 0 || n.sfi != 0 || n.structure != 0):
		return fail("a directory with EF attributes")
	case n.kind == KindEF && (n.structure < Transparent || n.structure > Cyclic || n.sfi > 30):
		return fail("bad structure or SFI")
	case n.kind == KindEF && n.structure != Transparent &&
		(n.recLen < 1 || n.recLen > 255 || n.nrec < 1 || n.nrec > 254 || n.recLen*n.nrec != n.size):
		return fail("record geometry does not match the size")
	case n.kind == KindEF && n.structure == Transparent && (n.size < 1 || n.size > 0xFFFF):
		return fail("bad transparent size")
	case n.kind == KindEF && len(n.pins) != 0:
		return fail("an EF with PINs")
	}
	if n.structure == Cyclic && int(b[n.at+1]) >= n.nrec {
		return fail("cyclic head outside the records")
	}
	f.nodes = append(f.nodes, n)
	if n.kind != KindMF && n.kind != KindADF {
		f.nodes[n.parent].children = append(f.nodes[n.parent].children, id)
	}
	return nil
}

// Reset clears the volatile state as after an answer-to-reset: every
// channel at the MF without application, no PIN verified (jc.Base).
func (f *FS) Reset() {
	for i := range f.ch {
		f.ch[i] = chanState{df: 0, ef: NoNode, adf: NoNode}
	}
	f.verified = [256]bool{}
}

// OpenChannel sets up channel ch opened from channel from (jc.Base, TS
// 102 221 §11.1.17): from the basic channel the MF is current, from
// another channel its current DF and application.
func (f *FS) OpenChannel(ch, from int) {
	if from != 0 {
		f.ch[ch] = chanState{df: f.ch[from].df, ef: NoNode, adf: f.ch[from].adf}
		return
	}
	f.ch[ch] = chanState{df: 0, ef: NoNode, adf: NoNode}
}

// CloseChannel forgets channel ch (jc.Base), ending its application
// session.
func (f *FS) CloseChannel(ch int) {
	adf := f.ch[ch].adf
	f.ch[ch] = chanState{df: 0, ef: NoNode, adf: NoNode}
	if adf != NoNode {
		f.endSession(adf)
	}
}

// Undo restores channel ch to its state before the last Process (jc.Base).
func (f *FS) Undo(ch int) {
	if ch == f.savedCh {
		f.ch[ch] = f.saved
	}
}

// SetRemoteAccess sets the access domain of commands run on
// jc.RemoteChannel (remote file management, ETSI TS 102 226 §8.2.1.3.2.1:
// full access, or access with the rights of the given key references such
// as ADM1). Remote commands do not use the terminal's PIN verifications;
// NEVER stays never. The default grants nothing beyond ALWAYS and disabled
// PINs.
func (f *FS) SetRemoteAccess(full bool, keys ...KeyRef) {
	f.remoteFull = full
	f.remoteKeys = [256]bool{}
	for _, k := range keys {
		f.remoteKeys[k] = true
	}
}

// Current returns channel ch's current DF and EF (NoNode when none, or
// for a channel number outside 0..jc.RemoteChannel).
func (f *FS) Current(ch int) (df, ef Node) {
	if ch < 0 || ch >= len(f.ch) {
		return NoNode, NoNode
	}
	return f.ch[ch].df, f.ch[ch].ef
}

package store

import (
	"errors"
	"fmt"
	"slices"
)

// Sentinel errors; test with errors.Is.
var (
	// ErrPowerLost reports an injected power loss: the store refuses every
	// mutation until Restart (tearing tests, see FailAfter).
	ErrPowerLost = errors.New("store: power lost")
	// ErrBadRef reports a Ref that names no cell.
	ErrBadRef = errors.New("store: no such cell")
	// ErrOutOfRange reports a write outside its cell.
	ErrOutOfRange = errors.New("store: write outside the cell")
	// ErrJournalFull reports a transaction whose undo records exceed the
	// journal (Java Card TransactionException.BUFFER_FULL).
	ErrJournalFull = errors.New("store: transaction journal full")
	// ErrNoTransaction reports Commit or Abort without Begin
	// (TransactionException.NOT_IN_PROGRESS).
	ErrNoTransaction = errors.New("store: no transaction in progress")
	// ErrTooDeep reports more than MaxDepth nested Begin calls.
	ErrTooDeep = errors.New("store: transactions nested too deeply")
	// ErrExists reports Alloc of a name already allocated.
	ErrExists = errors.New("store: cell name already allocated")
	// ErrBadImage reports an image that does not parse; the wrapping error
	// says what and where.
	ErrBadImage = errors.New("store: malformed image")
)

// Ref addresses one cell of a Store. The zero Ref is never valid.
type Ref uint32

// MaxDepth is the deepest nesting of Begin: level 1 is the command's
// transaction, the others are applet savepoints.
const MaxDepth = 4

// DefaultJournalSize is the journal capacity in bytes when Options leaves
// it 0: room for the undo records of any single command (writes to cells
// allocated in the same transaction need none).
const DefaultJournalSize = 16 << 10

// cellStep is how many cells the cell table grows by when it is full.
const cellStep = 8

// MaxCellSize bounds one cell (and a single Write) in bytes.
const MaxCellSize = 1 << 20

// Journal record kinds.
const (
	recWrite byte = 'W' // undo: copy old bytes back into a cell
	recAlloc byte = 'A' // undo: drop cells allocated since
)

// recHeader is kind(1) ‖ ref(4) ‖ off(4) ‖ len(4).
const recHeader = 13

// Options configure a new Store.
type Options struct {
	// JournalSize is the undo journal capacity in bytes (default 16 KiB).
	JournalSize int
}

type cell struct {
	name string
	data []byte
}

// Store is the card's persistent memory. It is not safe for concurrent use;
// the card runtime serializes commands.
type Store struct {
	// Persistent part: cells[1:], journal bytes and the record count jn.
	// The journal holds jcap bytes; jr keeps only its first len(jr), grown
	// on demand by journal (the bytes past len(jr) are zero), so a card
	// carries a buffer the size of its largest transaction, not of jcap.
	cells []cell
	jr    []byte
	jcap  int
	jn    int

	// Volatile part.
	jused  int // bytes of jr holding the jn valid records
	depth  int
	save   [MaxDepth]int // record counts at each Begin
	saveB  [MaxDepth]int // journal bytes at each Begin
	saveC  [MaxDepth]int // cell count at each Begin
	writes uint64
	limit  uint64 // with armed: writes allowed before the power loss
	armed  bool
	dead   bool
}

// New returns an empty store.
func New(o Options) *Store {
	n := o.JournalSize
	if n <= 0 {
		n = DefaultJournalSize
	}
	return &Store{cells: make([]cell, 1, cellStep), jcap: n}
}

// persist accounts for one persistent write and reports whether it may
// happen; on an injected power loss it kills the store.
func (s *Store) persist() error {
	if s.dead {
		return ErrPowerLost
	}
	if s.armed && s.writes >= s.limit {
		s.dead = true
		s.armed = false
		return ErrPowerLost
	}
	s.writes++
	return nil
}

// FailAfter arms a power loss after n more persistent writes: writes 1..n
// happen, write n+1 does not and the store is dead until Restart. A
// negative n disarms.
func (s *Store) FailAfter(n int) {
	s.armed = n >= 0
	if n >= 0 {
		s.limit = s.writes + uint64(n)
	}
}

// Writes returns the number of persistent writes performed so far.
func (s *Store) Writes() uint64 { return s.writes }

// Dead reports whether an injected power loss has happened and Restart has
// not yet run.
func (s *Store) Dead() bool { return s.dead }

// Restart is the power-up after a loss or reset: it forgets volatile state
// and rolls back an incomplete transaction from the journal (the recovery
// writes are persistent writes too, and can be torn).
func (s *Store) Restart() error {
	s.dead = false
	s.depth = 0
	return s.recover()
}

// recover undoes every valid journal record, newest first, then clears the
// record count. Undo writes are idempotent, so a cut anywhere in here is
// recovered by running recover again.
func (s *Store) recover() error {
	s.jused = journalBytes(s.jr, s.jn)
	// A record written but never counted (cut between steps 1 and 2) is
	// no record: erase it with the rest of the unused journal.
	clear(s.jr[s.jused:])
	return s.undoTo(0, 0)
}

// undoTo applies the journal records above record count n (journal byte
// offset b) in reverse order and truncates the journal to them.
func (s *Store) undoTo(n, b int) error {
	if s.jn == n {
		return nil
	}
	// Collect record offsets above b walking forward (records are
	// variable-length); at most jn-n of them, found without allocating by
	// re-walking from b for each one (journals are short).
	for k := s.jn; k > n; k-- {
		off := b
		for i := n; i < k-1; i++ {
			off += recHeader + int(be32(s.jr[off+9:]))
		}
		if err := s.undoRecord(off); err != nil {
			return err
		}
	}
	if err := s.persist(); err != nil {
		return err
	}
	s.jn = n
	clear(s.jr[b:s.jused]) // the undone records' old bytes are dead now
	s.jused = b
	return nil
}

func (s *Store) undoRecord(off int) error {
	kind := s.jr[off]
	ref := int(be32(s.jr[off+1:]))
	at := int(be32(s.jr[off+5:]))
	n := int(be32(s.jr[off+9:]))
	switch kind {
	case recWrite:
		if ref >= len(s.cells) || at+n > len(s.cells[ref].data) {
			return nil // cell already dropped by a newer alloc record
		}
		if err := s.persist(); err != nil {
			return err
		}
		copy(s.cells[ref].data[at:at+n], s.jr[off+recHeader:off+recHeader+n])
	case recAlloc:
		if len(s.cells) > ref {
			if err := s.persist(); err != nil {
				return err
			}
			for i := ref; i < len(s.cells); i++ {
				clear(s.cells[i].data) // no dropped cell keeps its bytes
			}
			clear(s.cells[ref:])
			s.cells = s.cells[:ref]
		}
	}
	return nil
}

// journalBytes returns the bytes taken by the first n records of jr.
func journalBytes(jr []byte, n int) int {
	off := 0
	for range n {
		off += recHeader + int(be32(jr[off+9:]))
	}
	return off
}

// journal appends one undo record and makes it valid (two persistent
// writes: the record, then the count).
func (s *Store) journal(kind byte, ref Ref, at int, old []byte) error {
	need := recHeader + len(old)
	if s.jused+need > s.jcap {
		return fmt.Errorf("%w: record of %d bytes, %d of %d used", ErrJournalFull, need, s.jused, s.jcap)
	}
	if s.jused+need > len(s.jr) {
		s.growJournal(s.jused + need)
	}
	if err := s.persist(); err != nil {
		return err
	}
	r := s.jr[s.jused : s.jused+need]
	r[0] = kind
	put32(r[1:], uint32(ref))
	put32(r[5:], uint32(at))
	put32(r[9:], uint32(len(old)))
	copy(r[recHeader:], old)
	if err := s.persist(); err != nil {
		return err
	}
	s.jn++
	s.jused += need
	return nil
}

// growJournal extends jr to at least n bytes (at most jcap), doubling so
// that a card reaches its high-water mark in a few steps and then never
// allocates again. The new bytes are zero, as the journal's unused part is.
func (s *Store) growJournal(n int) {
	n = min(max(n, 2*len(s.jr), 256), s.jcap)
	jr := make([]byte, n)
	copy(jr, s.jr)
	s.jr = jr
}

// Begin starts a transaction, or a nested savepoint inside one.
func (s *Store) Begin() error {
	if s.dead {
		return ErrPowerLost
	}
	if s.depth == MaxDepth {
		return fmt.Errorf("%w: depth %d", ErrTooDeep, s.depth)
	}
	s.save[s.depth] = s.jn
	s.saveB[s.depth] = s.jused
	s.saveC[s.depth] = len(s.cells)
	s.depth++
	return nil
}

// Commit ends the innermost Begin. At the outermost level it writes the
// commit record (record count 0), one persistent write, after which every
// write of the transaction is durable, and erases the journal bytes the
// transaction used; a transaction without writes costs nothing. A nested Commit keeps its writes under the enclosing transaction.
func (s *Store) Commit() error {
	if s.dead {
		return ErrPowerLost
	}
	if s.depth == 0 {
		return ErrNoTransaction
	}
	if s.depth > 1 {
		s.depth--
		return nil
	}
	if s.jn > 0 {
		if err := s.persist(); err != nil {
			return err
		}
		s.jn = 0
		// The old bytes of the committed writes (e.g. the key list a
		// SWITCH replaced) are erased with the commit record: see
		// "Journal residue" in the package doc.
		clear(s.jr[:s.jused])
		s.jused = 0
	}
	s.depth = 0
	return nil
}

// Abort undoes every write since the innermost Begin and ends it.
func (s *Store) Abort() error {
	if s.dead {
		return ErrPowerLost
	}
	if s.depth == 0 {
		return ErrNoTransaction
	}
	s.depth--
	return s.undoTo(s.save[s.depth], s.saveB[s.depth])
}

// Depth returns the current transaction nesting depth (0: none).
func (s *Store) Depth() int { return s.depth }

// Update runs f as one transaction (Begin, then Commit if f returns nil
// or Abort if it fails); inside an open transaction it just runs f.
func (s *Store) Update(f func() error) error { return s.atomically(f) }

// atomically runs f as its own transaction when none is open.
func (s *Store) atomically(f func() error) error {
	if s.depth > 0 {
		return f()
	}
	if err := s.Begin(); err != nil {
		return err
	}
	if err := f(); err != nil {
		if aerr := s.Abort(); aerr != nil && !errors.Is(err, ErrPowerLost) {
			return errors.Join(err, aerr)
		}
		return err
	}
	return s.Commit()
}

// Alloc creates a zero-filled cell of size bytes under name (names are for
// finding cells again after an image restore: Lookup). Inside a
// transaction an Abort removes it; outside it is its own transaction.
func (s *Store) Alloc(name string, size int) (Ref, error) {
	if size < 0 || size > MaxCellSize {
		return 0, fmt.Errorf("%w: size %d for %q", ErrOutOfRange, size, name)
	}
	if len(name) > 255 {
		return 0, fmt.Errorf("%w: name of %d bytes", ErrOutOfRange, len(name))
	}
	if name != "" {
		if _, ok := s.Lookup(name); ok {
			return 0, fmt.Errorf("%w: %q", ErrExists, name)
		}
	}
	var ref Ref
	err := s.atomically(func() error {
		ref = Ref(len(s.cells))
		if err := s.journal(recAlloc, ref, 0, nil); err != nil {
			return err
		}
		if err := s.persist(); err != nil {
			return err
		}
		if len(s.cells) == cap(s.cells) {
			// Grow by a step, not by doubling: a card allocates its
			// few dozen cells once, and the table then stays that size.
			cells := make([]cell, len(s.cells), len(s.cells)+cellStep)
			copy(cells, s.cells)
			s.cells = cells
		}
		s.cells = append(s.cells, cell{name: name, data: make([]byte, size)})
		return nil
	})
	if err != nil {
		return 0, err
	}
	return ref, nil
}

// Lookup finds a cell by the name given to Alloc. It scans all cells: use
// it at start-up, not per command.
func (s *Store) Lookup(name string) (Ref, bool) {
	for i := 1; i < len(s.cells); i++ {
		if s.cells[i].name == name {
			return Ref(i), true
		}
	}
	return 0, false
}

// Cells returns the number of allocated cells.
func (s *Store) Cells() int { return len(s.cells) - 1 }

// Name returns the name a cell was allocated under.
func (s *Store) Name(r Ref) string {
	if r == 0 || int(r) >= len(s.cells) {
		return ""
	}
	return s.cells[r].name
}

// Bytes returns a read-only view of the cell's current contents, or nil for
// a bad Ref. The view is valid until the next write to the cell; callers
// must not modify it (its capacity is clipped so append copies).
func (s *Store) Bytes(r Ref) []byte {
	if r == 0 || int(r) >= len(s.cells) {
		return nil
	}
	d := s.cells[r].data
	return d[:len(d):len(d)]
}

// Len returns the size of the cell, or 0 for a bad Ref.
func (s *Store) Len(r Ref) int {
	if r == 0 || int(r) >= len(s.cells) {
		return 0
	}
	return len(s.cells[r].data)
}

func (s *Store) check(r Ref, off, n int) error {
	if s.dead {
		return ErrPowerLost
	}
	if r == 0 || int(r) >= len(s.cells) {
		return fmt.Errorf("%w: ref %d", ErrBadRef, r)
	}
	if off < 0 || n < 0 || off+n > len(s.cells[r].data) {
		return fmt.Errorf("%w: %d bytes at %d in %q of %d bytes", ErrOutOfRange, n, off, s.cells[r].name, len(s.cells[r].data))
	}
	return nil
}

// Write copies data into cell r at offset off. Inside a transaction the old
// bytes are journaled first (three persistent writes: undo record, record
// count, data); outside one the write is its own transaction (four). A
// cell allocated since the innermost Begin needs no undo record (aborting
// drops it whole), so initialising a new cell costs one write.
func (s *Store) Write(r Ref, off int, data []byte) error {
	if err := s.check(r, off, len(data)); err != nil {
		return err
	}
	if s.depth == 0 {
		return s.atomically(func() error { return s.write(r, off, data) })
	}
	return s.write(r, off, data)
}

func (s *Store) write(r Ref, off int, data []byte) error {
	dst := s.cells[r].data[off : off+len(data)]
	if int(r) < s.saveC[s.depth-1] {
		if err := s.journal(recWrite, r, off, dst); err != nil {
			return err
		}
	}
	if err := s.persist(); err != nil {
		return err
	}
	copy(dst, data)
	return nil
}

// WriteThrough writes data at once and outside any transaction: one
// persistent write that no Abort undoes, as Java Card updates an OwnerPIN
// try counter. Keep it to small fields (one atomic write) and do not mix
// it with journaled writes to the same bytes in one transaction.
func (s *Store) WriteThrough(r Ref, off int, data []byte) error {
	if err := s.check(r, off, len(data)); err != nil {
		return err
	}
	if err := s.persist(); err != nil {
		return err
	}
	copy(s.cells[r].data[off:], data)
	return nil
}

// AppendMemory appends every byte of persistent memory the store holds:
// each cell's data, then the whole journal buffer including its unused
// part. It is for residue audits (a SWITCH must leave no old key anywhere,
// 3GPP TR 33.812 §5.3.2.2), not a serialization: use AppendImage for that.
func (s *Store) AppendMemory(dst []byte) []byte {
	for i := 1; i < len(s.cells); i++ {
		dst = append(dst, s.cells[i].data...)
	}
	dst = append(dst, s.jr...)
	n := len(dst)
	dst = slices.Grow(dst, s.jcap-len(s.jr))[:n+s.jcap-len(s.jr)]
	clear(dst[n:]) // the journal's part jr has not grown to yet
	return dst
}

func be32(b []byte) uint32 {
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

func put32(b []byte, v uint32) {
	b[0], b[1], b[2], b[3] = byte(v>>24), byte(v>>16), byte(v>>8), byte(v)
}

package apdufuzz

import (
	"bytes"
	"fmt"

	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/usim/jc"
	"github.com/uiccsim/uiccsim/usim/store"
)

// Target is the card under test: any apdu.Transport (ISO/IEC 7816-3
// exchanges plus reset). A jc.Runtime, the usim card, a PC/SC reader and a
// hand-written APDU handler all qualify. The fuzzer learns more from the
// optional interfaces a target may also implement:
//
//   - StoreHolder (jc.Runtime has it): persistent state to compare and
//     power loss to inject;
//   - Snapshotter: persistent state to compare, for targets without a
//     store;
//   - AppletLister (jc.Runtime has it): the AIDs to SELECT when
//     Config.AIDs is empty.
type Target interface {
	apdu.Transport
}

// StoreHolder is a target whose persistent state lives in one
// usim/store.Store: the fuzzer compares its cells around rejected commands
// and resets, and injects power loss (store.Store.FailAfter).
type StoreHolder interface {
	Store() *store.Store
}

// Snapshotter is a target without a store that can still show its
// persistent state: AppendState appends a canonical encoding of it to dst
// (two calls on an unchanged card must append equal bytes).
type Snapshotter interface {
	AppendState(dst []byte) []byte
}

// AppletLister is a target that names its installed applications, as
// jc.Runtime does; their AIDs become the fuzzer's SELECT targets.
type AppletLister interface {
	Applets() []jc.AID
}

// state reads and compares a target's persistent state without
// allocating in steady state.
type state struct {
	st     *store.Store
	snap   Snapshotter
	exempt []string

	buf    []byte // the state before the current command
	valid  bool
	writes uint64 // st.Writes() when buf was taken
}

func (s *state) init(t Target, exempt []string) {
	*s = state{buf: s.buf[:0], exempt: exempt}
	if h, ok := t.(StoreHolder); ok {
		s.st = h.Store()
	}
	if s.st == nil {
		s.snap, _ = t.(Snapshotter)
	}
}

func (s *state) available() bool { return s.st != nil || s.snap != nil }

// take records the current state, reusing the last record when the store
// has not been written since.
func (s *state) take() {
	switch {
	case s.st != nil:
		if s.valid && s.st.Writes() == s.writes {
			return
		}
		s.buf = appendStore(s.buf[:0], s.st)
		s.writes = s.st.Writes()
	case s.snap != nil:
		s.buf = s.snap.AppendState(s.buf[:0])
	default:
		return
	}
	s.valid = true
}

// invalidate forgets the record (the state may have changed unseen).
func (s *state) invalidate() { s.valid = false }

// appendStore encodes every cell: namelen(1) ‖ name ‖ len(4) ‖ data.
func appendStore(dst []byte, st *store.Store) []byte {
	for r := store.Ref(1); int(r) <= st.Cells(); r++ {
		name := st.Name(r)
		b := st.Bytes(r)
		dst = append(dst, byte(len(name)))
		dst = append(dst, name...)
		dst = append32(dst, len(b))
		dst = append(dst, b...)
	}
	return dst
}

// diff compares the recorded state with the current one and describes the
// first difference, or returns "" when they are equal. With exempt set,
// cells named in s.exempt are skipped (write-through PIN try counters,
// which a torn command may legitimately leave changed).
func (s *state) diff(exempt bool) string {
	if !s.valid {
		return ""
	}
	if s.st == nil {
		if s.snap == nil {
			return ""
		}
		// Snapshotter: compare encodings.
		old := s.buf
		cur := s.snap.AppendState(old[len(old):])
		if bytes.Equal(old, cur) {
			return ""
		}
		i := 0
		for i < len(old) && i < len(cur) && old[i] == cur[i] {
			i++
		}
		return fmt.Sprintf("state differs at byte %d of %d (was %d bytes): %s",
			i, len(cur), len(old), excerpt(old, cur, i))
	}
	if s.st.Writes() == s.writes {
		return ""
	}
	b := s.buf
	r := store.Ref(1)
	for ; len(b) > 0; r++ {
		nl := int(b[0])
		name := string(b[1 : 1+nl])
		b = b[1+nl:]
		n := be32(b)
		old := b[4 : 4+n]
		b = b[4+n:]
		if int(r) > s.st.Cells() {
			return fmt.Sprintf("cell %q was removed (%d cells left)", name, s.st.Cells())
		}
		if s.st.Name(r) != name {
			return fmt.Sprintf("cell %d was %q, is %q", r, name, s.st.Name(r))
		}
		if exempt && s.isExempt(name) {
			continue
		}
		cur := s.st.Bytes(r)
		if !bytes.Equal(old, cur) {
			if len(old) != len(cur) {
				return fmt.Sprintf("cell %q changed size %d → %d", name, len(old), len(cur))
			}
			i := 0
			for old[i] == cur[i] {
				i++
			}
			return fmt.Sprintf("cell %q changed at byte %d: %s", name, i, excerpt(old, cur, i))
		}
	}
	if int(r)-1 != s.st.Cells() {
		return fmt.Sprintf("cells added: %d → %d (first new %q)", int(r)-1, s.st.Cells(), s.st.Name(r))
	}
	return ""
}

func (s *state) isExempt(name string) bool {
	for _, e := range s.exempt {
		if e == name {
			return true
		}
	}
	return false
}

// excerpt shows up to 8 bytes from i on both sides.
func excerpt(old, cur []byte, i int) string {
	cut := func(b []byte) []byte {
		if i >= len(b) {
			return nil
		}
		return b[i:min(len(b), i+8)]
	}
	return fmt.Sprintf("% X → % X", cut(old), cut(cur))
}

package sealed

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"

	"golang.org/x/crypto/chacha20poly1305"
)

// Stop, returned by the callback of ForEach or ReadLog, ends the walk
// early without an error.
var Stop = errors.New("sealed: stop iteration")

const tagLen = chacha20poly1305.Overhead

// logHead is the sealed record "head/<log>" of the meta bucket: the last
// sequence number and the tag of its entry.
//
//	seq(8, big-endian) tag(16)
type logHead struct {
	seq uint64
	tag [tagLen]byte
}

func (t *Tx) headKey(log string) []byte {
	return append([]byte("head/"), log...)
}

// readHead returns the log's head; a log never appended to has seq 0 and a
// zero tag.
func (t *Tx) readHead(log string) (logHead, error) {
	if h, ok := t.heads[log]; ok {
		return *h, nil
	}
	var h logHead
	meta := t.tx.Bucket(metaBucket)
	key := t.headKey(log)
	v := meta.Get(key)
	if v == nil {
		return h, nil
	}
	var buf [8 + tagLen]byte
	pt, err := t.open(buf[:0], v, kindMeta, metaBucket, key, nil)
	if err != nil {
		return h, err
	}
	if len(pt) != 8+tagLen {
		return h, fmt.Errorf("%w: head of log %q is %d bytes", ErrCorrupt, log, len(pt))
	}
	h.seq = binary.BigEndian.Uint64(pt)
	copy(h.tag[:], pt[8:])
	return h, nil
}

// Append adds plaintext as the next entry of the append-only log, sealed as
// kind, and returns its sequence number (the first is 1). The entry's
// additional data binds its sequence number and the previous entry's tag,
// and the log's sealed head moves to it in the same transaction. No method
// rewrites or removes an entry.
func (t *Tx) Append(log string, kind Kind, plaintext []byte) (uint64, error) {
	name, err := t.bucketName(logPrefix, log)
	if err != nil {
		return 0, err
	}
	b, err := t.bucket(logPrefix, log, name, true)
	if err != nil {
		return 0, fmt.Errorf("sealed: log %s: %w", name, err)
	}
	_, known := t.heads[log]
	h, err := t.readHead(log)
	if err != nil {
		return 0, err
	}
	seq := h.seq + 1
	var kb [8]byte
	key := binary.BigEndian.AppendUint64(kb[:0], seq)
	if !known {
		// First append of this transaction: no entry may lie beyond the
		// sealed head. Later appends of the transaction follow the entries
		// it wrote itself, so the check is made once.
		if last, _ := b.b.Cursor().Last(); last != nil && (len(last) != 8 || binary.BigEndian.Uint64(last) > h.seq) {
			return 0, fmt.Errorf("%w: log %s already holds entry %x beyond its head %d", ErrCorrupt, name, last, h.seq)
		}
	}
	blob, err := t.seal(make([]byte, 0, BlobOverhead+len(plaintext)), kind, name, key, h.tag[:], plaintext)
	if err != nil {
		return 0, err
	}
	if err := b.b.Put(key, blob); err != nil {
		return 0, fmt.Errorf("sealed: append to %s: %w", name, err)
	}
	if err := b.b.SetSequence(seq); err != nil {
		return 0, err
	}
	// The head moves in the transaction's cache; Update writes it once,
	// sealed, before the commit.
	if t.heads == nil {
		t.heads = map[string]*logHead{}
	}
	nh := t.heads[log]
	if nh == nil {
		nh = new(logHead)
		t.heads[log] = nh
	}
	nh.seq = seq
	copy(nh.tag[:], blob[len(blob)-tagLen:])
	return seq, nil
}

// flushHeads writes the sealed head of every log appended to in the
// transaction; Update calls it after fn succeeded, before the commit.
func (t *Tx) flushHeads() error {
	for log, h := range t.heads {
		head := binary.BigEndian.AppendUint64(make([]byte, 0, 8+tagLen), h.seq)
		head = append(head, h.tag[:]...)
		hkey := t.headKey(log)
		hblob, err := t.seal(make([]byte, 0, BlobOverhead+len(head)), kindMeta, metaBucket, hkey, nil, head)
		if err != nil {
			return err
		}
		if err := t.tx.Bucket(metaBucket).Put(hkey, hblob); err != nil {
			return fmt.Errorf("sealed: head of log %s: %w", log, err)
		}
	}
	return nil
}

// LogLen returns the number of entries in the log, from its sealed head.
func (t *Tx) LogLen(log string) (uint64, error) {
	h, err := t.readHead(log)
	return h.seq, err
}

// ReadLog opens the entries of log from sequence number from (1 is the
// first) in order, each of which must be of kind, and calls fn with its
// sequence number and plaintext (reused, valid only during the call).
// Returning Stop from fn ends the walk without error. Each entry is checked
// against the tag of the one before it; a walk that reaches the end also
// checks that the last entry is the log's head, so a removed, reordered,
// replaced or truncated entry fails with ErrCorrupt.
func (t *Tx) ReadLog(log string, kind Kind, from uint64, fn func(seq uint64, plaintext []byte) error) error {
	return t.walkLog(log, kind, false, from, fn)
}

// verifyLog walks a whole log, opening every entry under the kind its blob
// names.
func (t *Tx) verifyLog(log string) error {
	return t.walkLog(log, 0, true, 1, func(uint64, []byte) error { return nil })
}

func (t *Tx) walkLog(log string, kind Kind, anyKind bool, from uint64, fn func(seq uint64, plaintext []byte) error) error {
	name, err := t.bucketName(logPrefix, log)
	if err != nil {
		return err
	}
	h, err := t.readHead(log)
	if err != nil {
		return err
	}
	b := t.tx.Bucket(name)
	if b == nil {
		if h.seq != 0 {
			return fmt.Errorf("%w: log %s is missing, its head says %d entries", ErrCorrupt, name, h.seq)
		}
		return nil
	}
	if from == 0 {
		from = 1
	}
	if from-1 > h.seq {
		return nil
	}
	var prev [tagLen]byte
	var key [8]byte
	if from > 1 {
		binary.BigEndian.PutUint64(key[:], from-1)
		v := b.Get(key[:])
		if len(v) < BlobOverhead {
			return fmt.Errorf("%w: log %s entry %d missing", ErrCorrupt, name, from-1)
		}
		copy(prev[:], v[len(v)-tagLen:])
	}
	binary.BigEndian.PutUint64(key[:], from)
	c := b.Cursor()
	var buf []byte
	seq := from - 1
	for k, v := c.Seek(key[:]); k != nil; k, v = c.Next() {
		seq++
		binary.BigEndian.PutUint64(key[:], seq)
		if !bytes.Equal(k, key[:]) {
			return fmt.Errorf("%w: log %s: entry %d missing, found key %x", ErrCorrupt, name, seq, k)
		}
		want := kind
		if anyKind && len(v) > 1 {
			want = Kind(v[1])
		}
		pt, err := t.open(buf[:0], v, want, name, k, prev[:])
		if err != nil {
			return fmt.Errorf("log entry %d: %w", seq, err)
		}
		buf = pt
		copy(prev[:], v[len(v)-tagLen:])
		if err := fn(seq, pt); err != nil {
			if err == Stop {
				return nil
			}
			return err
		}
	}
	if seq != h.seq {
		return fmt.Errorf("%w: log %s ends at entry %d, its head says %d", ErrCorrupt, name, seq, h.seq)
	}
	if prev != h.tag {
		return fmt.Errorf("%w: log %s: last entry %d is not the head", ErrCorrupt, name, seq)
	}
	return nil
}

// Anchor pins a log at one entry: its sequence number and the tag of its
// sealed value, which the next entry's additional data chains to. A party
// that keeps an anchor outside the file can later check that the log still
// holds that entry unchanged and everything after it (CheckAnchor), which
// detects a truncated log or a file rolled back to an older copy — what
// the chain alone cannot.
type Anchor struct {
	Seq uint64
	Tag [tagLen]byte
}

// Head returns the anchor of the log's last entry (Seq 0 for an empty log).
func (t *Tx) Head(log string) (Anchor, error) {
	if _, err := t.bucketName(logPrefix, log); err != nil {
		return Anchor{}, err
	}
	h, err := t.readHead(log)
	return Anchor{Seq: h.seq, Tag: h.tag}, err
}

// CheckAnchor reports whether the log still holds entry a.Seq with tag
// a.Tag and a valid chain from it to the head, opening every later entry
// (of any kind). It wraps ErrCorrupt if not.
func (t *Tx) CheckAnchor(log string, a Anchor) error {
	name, err := t.bucketName(logPrefix, log)
	if err != nil {
		return err
	}
	if a.Seq == 0 {
		return t.verifyLog(log)
	}
	b := t.tx.Bucket(name)
	var key [8]byte
	binary.BigEndian.PutUint64(key[:], a.Seq)
	var v []byte
	if b != nil {
		v = b.Get(key[:])
	}
	if len(v) < BlobOverhead || !bytes.Equal(v[len(v)-tagLen:], a.Tag[:]) {
		return fmt.Errorf("%w: log %s no longer holds anchored entry %d", ErrCorrupt, name, a.Seq)
	}
	return t.walkLog(log, 0, true, a.Seq+1, func(uint64, []byte) error { return nil })
}

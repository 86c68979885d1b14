package store

import (
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
)

// imageMagic opens every card image (format version 1).
const imageMagic = "UICCIMG1"

// maxImageCells bounds the number of cells an image may declare.
const maxImageCells = 1 << 16

// AppendImage appends the store's persistent state to dst:
//
//	"UICCIMG1" ‖ ncells(4) ‖ { namelen(1) ‖ name ‖ size(4) ‖ data }*
//	‖ journal capacity(4) ‖ record count(4) ‖ journal bytes(4) ‖ records
//	‖ CRC-32/IEEE of everything before (4)
//
// The journal is included as it is, so an image taken while a transaction
// is open restores to the state before that transaction (ParseImage
// recovers). Integers are big-endian.
func (s *Store) AppendImage(dst []byte) []byte {
	start := len(dst)
	dst = append(dst, imageMagic...)
	dst = append32(dst, uint32(len(s.cells)-1))
	for _, c := range s.cells[1:] {
		dst = append(dst, byte(len(c.name)))
		dst = append(dst, c.name...)
		dst = append32(dst, uint32(len(c.data)))
		dst = append(dst, c.data...)
	}
	used := journalBytes(s.jr, s.jn)
	dst = append32(dst, uint32(s.jcap))
	dst = append32(dst, uint32(s.jn))
	dst = append32(dst, uint32(used))
	dst = append(dst, s.jr[:used]...)
	return append32(dst, crc32.ChecksumIEEE(dst[start:]))
}

// reader walks an image without allocating (cryptobyte style).
type reader struct {
	b   []byte
	off int
	err error
}

func (r *reader) fail(what string) {
	if r.err == nil {
		r.err = fmt.Errorf("%w: %s at byte %d", ErrBadImage, what, r.off)
	}
}

func (r *reader) bytes(n int, what string) []byte {
	if r.err != nil {
		return nil
	}
	if n < 0 || n > len(r.b)-r.off {
		r.fail(fmt.Sprintf("%s needs %d bytes, %d left", what, n, len(r.b)-r.off))
		return nil
	}
	v := r.b[r.off : r.off+n]
	r.off += n
	return v
}

func (r *reader) u32(what string) int {
	v := r.bytes(4, what)
	if v == nil {
		return 0
	}
	return int(be32(v))
}

func (r *reader) u8(what string) int {
	v := r.bytes(1, what)
	if v == nil {
		return 0
	}
	return int(v[0])
}

// ParseImage rebuilds a store from an image made by AppendImage and runs
// the power-up recovery (an incomplete transaction is rolled back). Any
// defect — bad magic, checksum, length, journal record — is an error
// wrapping ErrBadImage that says what and at which byte.
func ParseImage(b []byte) (*Store, error) {
	if len(b) < len(imageMagic)+4 {
		return nil, fmt.Errorf("%w: %d bytes is too short", ErrBadImage, len(b))
	}
	body, sum := b[:len(b)-4], be32(b[len(b)-4:])
	if crc32.ChecksumIEEE(body) != sum {
		return nil, fmt.Errorf("%w: checksum mismatch", ErrBadImage)
	}
	r := &reader{b: body}
	if string(r.bytes(len(imageMagic), "magic")) != imageMagic {
		return nil, fmt.Errorf("%w: magic is not %q", ErrBadImage, imageMagic)
	}
	n := r.u32("cell count")
	if n > maxImageCells || n > len(body) {
		r.fail(fmt.Sprintf("cell count %d", n))
	}
	s := &Store{}
	if r.err == nil {
		s.cells = make([]cell, 1, n+1)
	}
	for i := 0; i < n && r.err == nil; i++ {
		name := r.bytes(r.u8("name length"), "cell name")
		size := r.u32("cell size")
		if size > MaxCellSize {
			r.fail(fmt.Sprintf("cell %d size %d exceeds %d", i+1, size, MaxCellSize))
		}
		data := r.bytes(size, "cell data")
		if r.err == nil {
			s.cells = append(s.cells, cell{name: string(name), data: append([]byte(nil), data...)})
		}
	}
	jcap := r.u32("journal capacity")
	jn := r.u32("journal record count")
	used := r.u32("journal length")
	recs := r.bytes(used, "journal records")
	if r.err != nil {
		return nil, r.err
	}
	if jcap > 16<<20 || used > jcap {
		return nil, fmt.Errorf("%w: journal of %d bytes in capacity %d", ErrBadImage, used, jcap)
	}
	if r.off != len(body) {
		return nil, fmt.Errorf("%w: %d trailing bytes at byte %d", ErrBadImage, len(body)-r.off, r.off)
	}
	if err := checkJournal(s.cells, recs, jn); err != nil {
		return nil, err
	}
	s.jr = append([]byte(nil), recs...) // grows on demand up to jcap
	s.jcap = jcap
	s.jn = jn
	if err := s.recover(); err != nil {
		return nil, err
	}
	return s, nil
}

// checkJournal verifies that exactly jn well-formed records fill recs and
// that undoing them stays inside the cells they name (allowing for cells
// that later alloc records will remove, which are checked against the
// cells present in the image).
func checkJournal(cells []cell, recs []byte, jn int) error {
	off := 0
	for i := 0; i < jn; i++ {
		if len(recs)-off < recHeader {
			return fmt.Errorf("%w: journal record %d truncated at byte %d", ErrBadImage, i, off)
		}
		kind := recs[off]
		ref := int(be32(recs[off+1:]))
		at := int(be32(recs[off+5:]))
		n := int(be32(recs[off+9:]))
		if n > len(recs)-off-recHeader {
			return fmt.Errorf("%w: journal record %d claims %d bytes", ErrBadImage, i, n)
		}
		switch kind {
		case recWrite:
			if ref == 0 || ref >= len(cells) || at > len(cells[ref].data) || n > len(cells[ref].data)-at {
				return fmt.Errorf("%w: journal record %d writes outside cell %d", ErrBadImage, i, ref)
			}
		case recAlloc:
			if ref == 0 || n != 0 {
				return fmt.Errorf("%w: journal record %d is a bad alloc record", ErrBadImage, i)
			}
		default:
			return fmt.Errorf("%w: journal record %d has kind %#x", ErrBadImage, i, kind)
		}
		off += recHeader + n
	}
	if off != len(recs) {
		return fmt.Errorf("%w: %d journal bytes after %d records", ErrBadImage, len(recs)-off, jn)
	}
	return nil
}

// SaveFile writes the image to path atomically: a temporary file in the
// same directory is written and fsynced, then renamed over path and the
// directory fsynced, so a crash leaves either the old or the new image.
func (s *Store) SaveFile(path string) error {
	img := s.AppendImage(nil)
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("store: save %s: %w", path, err)
	}
	tmp := f.Name()
	defer os.Remove(tmp) // no-op after a successful rename
	if _, err := f.Write(img); err != nil {
		f.Close()
		return fmt.Errorf("store: save %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("store: save %s: fsync: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("store: save %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("store: save %s: %w", path, err)
	}
	if d, err := os.Open(dir); err == nil {
		err = d.Sync()
		d.Close()
		if err != nil {
			return fmt.Errorf("store: save %s: fsync dir: %w", path, err)
		}
	}
	return nil
}

// LoadFile reads an image written by SaveFile (see ParseImage).
func LoadFile(path string) (*Store, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("store: load: %w", err)
	}
	s, err := ParseImage(b)
	if err != nil {
		return nil, fmt.Errorf("store: load %s: %w", path, err)
	}
	return s, nil
}

func append32(b []byte, v uint32) []byte {
	return append(b, byte(v>>24), byte(v>>16), byte(v>>8), byte(v))
}

package tlv

import "strconv"

// Builder appends TLV objects to a byte slice, in the style of
// cryptobyte.Builder. Constructed objects take a function that writes the
// content; the Builder then fixes up the length field, choosing the
// shortest form (ETSI TS 101 220 §7.1.2). The first error (an invalid tag, a
// value too long for its length field) is kept, stops all further writes
// and is returned by Bytes.
type Builder struct {
	buf []byte
	err error
}

// NewBuilder returns a Builder that appends to buf.
func NewBuilder(buf []byte) *Builder { return &Builder{buf: buf} }

// Bytes returns the bytes built so far, or the first error.
func (b *Builder) Bytes() ([]byte, error) {
	if b.err != nil {
		return nil, b.err
	}
	return b.buf, nil
}

// Err returns the first error, or nil.
func (b *Builder) Err() error { return b.err }

func (b *Builder) setErr(sentinel error, reason string) {
	if b.err == nil {
		b.err = &Error{Offset: len(b.buf), Reason: reason, Err: sentinel}
	}
}

// AddBytes appends raw bytes to the current value.
func (b *Builder) AddBytes(v []byte) {
	if b.err == nil {
		b.buf = append(b.buf, v...)
	}
}

// AddUint8 appends one byte.
func (b *Builder) AddUint8(v uint8) {
	if b.err == nil {
		b.buf = append(b.buf, v)
	}
}

// AddUint16 appends a big-endian 16-bit value.
func (b *Builder) AddUint16(v uint16) {
	if b.err == nil {
		b.buf = append(b.buf, byte(v>>8), byte(v))
	}
}

// AddUint24 appends a big-endian 24-bit value.
func (b *Builder) AddUint24(v uint32) {
	if b.err == nil {
		b.buf = append(b.buf, byte(v>>16), byte(v>>8), byte(v))
	}
}

// AddBER appends a BER-TLV object with tag t whose value is whatever f
// appends (ETSI TS 101 220 §7.1). f receives the same Builder.
func (b *Builder) AddBER(t Tag, f func(b *Builder)) {
	if b.err != nil {
		return
	}
	if !t.Valid() {
		b.setErr(ErrInvalidTag, "BER-TLV tag "+hexTag(uint32(t), t.Len())+" is not a valid 1–3 byte tag (ISO/IEC 8825-1 §8.1.2)")
		return
	}
	start := len(b.buf)
	b.buf = t.AppendTag(b.buf)
	b.fixup(start, 3, f)
}

// AddBERBytes appends a primitive (or pre-encoded constructed) BER-TLV
// object with tag t and value v.
func (b *Builder) AddBERBytes(t Tag, v []byte) {
	b.AddBER(t, func(b *Builder) { b.AddBytes(v) })
}

// AddComprehension appends a COMPREHENSION-TLV object (ETSI TS 102 223
// Annex C) with tag value t, the comprehension-required flag cr and value
// v of at most 255 bytes.
func (b *Builder) AddComprehension(t CTag, cr bool, v []byte) {
	b.AddComprehensionFunc(t, cr, func(b *Builder) { b.AddBytes(v) })
}

// AddComprehensionFunc is AddComprehension with the value written by f.
func (b *Builder) AddComprehensionFunc(t CTag, cr bool, f func(b *Builder)) {
	if b.err != nil {
		return
	}
	if !t.Valid() {
		b.setErr(ErrInvalidTag, "COMPREHENSION-TLV tag value "+strconv.Itoa(int(t))+" outside 1–32767 (ETSI TS 101 220 §7.1.1.2)")
		return
	}
	start := len(b.buf)
	b.buf = t.AppendTag(b.buf, cr)
	b.fixup(start, 1, f)
}

// fixup writes a one-byte length placeholder, runs f, then rewrites the
// length in its shortest form with at most maxExtra bytes after '8x',
// moving the value up when the length needs more than one byte.
func (b *Builder) fixup(start, maxExtra int, f func(*Builder)) {
	lenPos := len(b.buf)
	b.buf = append(b.buf, 0)
	f(b)
	if b.err != nil {
		return
	}
	n := len(b.buf) - lenPos - 1
	var extra int
	switch {
	case n < 0x80:
		b.buf[lenPos] = byte(n)
		return
	case n <= 0xFF:
		extra = 1
	case n <= 0xFFFF:
		extra = 2
	case n <= 0xFFFFFF:
		extra = 3
	default:
		extra = 4
	}
	if extra > maxExtra {
		b.buf = b.buf[:start]
		b.setErr(ErrTooLong, "value of "+strconv.Itoa(n)+" bytes exceeds the length field's range")
		return
	}
	for range extra {
		b.buf = append(b.buf, 0)
	}
	copy(b.buf[lenPos+1+extra:], b.buf[lenPos+1:lenPos+1+n])
	b.buf[lenPos] = 0x80 | byte(extra)
	for i := range extra {
		b.buf[lenPos+1+i] = byte(n >> (8 * (extra - 1 - i)))
	}
}

// AppendLength appends a BER-TLV length field for n in its shortest form,
// ETSI TS 101 220 §7.1.2. n must be 0..0xFFFFFF.
func AppendLength(dst []byte, n int) []byte {
	switch {
	case n < 0x80:
		return append(dst, byte(n))
	case n <= 0xFF:
		return append(dst, 0x81, byte(n))
	case n <= 0xFFFF:
		return append(dst, 0x82, byte(n>>8), byte(n))
	}
	return append(dst, 0x83, byte(n>>16), byte(n>>8), byte(n))
}

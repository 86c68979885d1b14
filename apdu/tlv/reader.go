package tlv

// Reader walks encoded TLV data in the style of cryptobyte.String: each
// read consumes bytes from the front and reports success as a bool. Values
// alias the input; no read allocates. After the first failed read the
// Reader stays failed and Err returns an *Error with the reason and the
// byte offset counted from the start of the outermost input, also for
// Readers over nested values.
type Reader struct {
	b   []byte
	off int // offset of b[0] in the outermost input
	err *Error
}

// NewReader returns a Reader over b.
func NewReader(b []byte) Reader { return Reader{b: b} }

// Empty reports whether all bytes have been consumed.
func (r *Reader) Empty() bool { return len(r.b) == 0 }

// Len returns the number of unread bytes.
func (r *Reader) Len() int { return len(r.b) }

// Bytes returns the unread bytes (aliased, not copied).
func (r *Reader) Bytes() []byte { return r.b }

// Offset returns the position of the next unread byte in the outermost
// input.
func (r *Reader) Offset() int { return r.off }

// Err returns the error of the first failed read, or nil.
func (r *Reader) Err() error {
	if r.err == nil {
		return nil
	}
	return r.err
}

func (r *Reader) fail(at int, sentinel error, reason string) bool {
	if r.err == nil {
		r.err = &Error{Offset: r.off + at, Reason: reason, Err: sentinel}
	}
	return false
}

func (r *Reader) advance(n int) {
	r.b = r.b[n:]
	r.off += n
}

func (r *Reader) sub(start, n int) Reader {
	return Reader{b: r.b[start : start+n : start+n], off: r.off + start}
}

// SkipPadding consumes the '00' and 'FF' bytes that ISO/IEC 7816-4
// §5.2.2.1 allows before, between and after BER-TLV objects (erased parts
// of records, the unused tail of an EF_DIR or EF_ARR record).
func (r *Reader) SkipPadding() {
	if r.err != nil {
		return
	}
	i := 0
	for i < len(r.b) && (r.b[i] == 0x00 || r.b[i] == 0xFF) {
		i++
	}
	r.advance(i)
}

// berHeader decodes the tag and length fields at the front of r.b and
// returns the tag, the header size and the value length.
func (r *Reader) berHeader() (Tag, int, int, bool) {
	b := r.b
	if r.err != nil {
		return 0, 0, 0, false
	}
	if len(b) == 0 {
		return 0, 0, 0, r.fail(0, ErrTruncated, "BER-TLV tag expected, no bytes left")
	}
	f := b[0]
	if f == 0x00 || f == 0xFF {
		return 0, 0, 0, r.fail(0, ErrInvalidTag, "'00'/'FF' is padding, not a BER-TLV tag (ISO/IEC 7816-4 §5.2.2.1)")
	}
	tag := Tag(f)
	i := 1
	if f&0x1F == 0x1F { // ISO/IEC 8825-1 §8.1.2.4: subsequent bytes follow
		if len(b) < 2 {
			return 0, 0, 0, r.fail(1, ErrTruncated, "multi-byte BER-TLV tag cut short")
		}
		if b[1] == 0x80 {
			return 0, 0, 0, r.fail(1, ErrInvalidTag, "BER-TLV tag number with a leading zero 7-bit group (ISO/IEC 8825-1 §8.1.2.4.2)")
		}
		tag = tag<<8 | Tag(b[1])
		i = 2
		if b[1]&0x80 != 0 {
			if len(b) < 3 {
				return 0, 0, 0, r.fail(2, ErrTruncated, "three-byte BER-TLV tag cut short")
			}
			if b[2]&0x80 != 0 {
				return 0, 0, 0, r.fail(2, ErrInvalidTag, "BER-TLV tag longer than 3 bytes (ETSI TS 101 220 §7.1.1)")
			}
			tag = tag<<8 | Tag(b[2])
			i = 3
		} else if b[1] < 0x1F {
			return 0, 0, 0, r.fail(1, ErrInvalidTag, "tag number below 31 in the multi-byte form (ISO/IEC 8825-1 §8.1.2.2)")
		}
	}
	n, ln, ok := r.length(i, 3)
	if !ok {
		return 0, 0, 0, false
	}
	return tag, i + ln, n, true
}

// length decodes the length field at r.b[i:], ETSI TS 101 220 §7.1.2:
// '00'–'7F', '81' '80'–'FF', '82' '0100'–'FFFF', '83' '010000'–'FFFFFF',
// allowing at most maxExtra bytes after the first. It checks that the
// value fits.
func (r *Reader) length(i, maxExtra int) (n, size int, ok bool) {
	b := r.b
	if len(b) <= i {
		return 0, 0, r.fail(i, ErrTruncated, "length field expected, no bytes left")
	}
	l := b[i]
	if l < 0x80 {
		n, size = int(l), 1
	} else {
		extra := int(l & 0x7F)
		switch {
		case l == 0x80:
			return 0, 0, r.fail(i, ErrInvalidLength, "indefinite length '80' is not allowed (ETSI TS 101 220 §7.1.2)")
		case extra > maxExtra:
			if maxExtra == 1 {
				return 0, 0, r.fail(i, ErrInvalidLength, "COMPREHENSION-TLV length must be 1 byte or '81 xx' (ETSI TS 102 223 Annex C)")
			}
			return 0, 0, r.fail(i, ErrInvalidLength, "length field longer than '83 xx xx xx' (ETSI TS 101 220 §7.1.2)")
		case len(b) < i+1+extra:
			return 0, 0, r.fail(i, ErrTruncated, "length field cut short")
		}
		for j := 0; j < extra; j++ {
			n = n<<8 | int(b[i+1+j])
		}
		if n < 0x80 || (extra > 1 && b[i+1] == 0) {
			return 0, 0, r.fail(i, ErrInvalidLength, "length not in its shortest form (ETSI TS 101 220 §7.1.2)")
		}
		size = 1 + extra
	}
	if len(b)-i-size < n {
		return 0, 0, r.fail(i, ErrTruncated, "value runs past the end of the enclosing data")
	}
	return n, size, true
}

// ReadBER reads one BER-TLV object (ETSI TS 101 220 §7.1) and sets *tag
// and *value, a Reader over its value field. A constructed value is walked
// by reading from *value.
func (r *Reader) ReadBER(tag *Tag, value *Reader) bool {
	t, h, n, ok := r.berHeader()
	if !ok {
		return false
	}
	*tag = t
	*value = r.sub(h, n)
	r.advance(h + n)
	return true
}

// ReadBERBytes is ReadBER with the value returned as bytes.
func (r *Reader) ReadBERBytes(tag *Tag, value *[]byte) bool {
	var v Reader
	if !r.ReadBER(tag, &v) {
		return false
	}
	*value = v.b
	return true
}

// ReadBERElement reads one BER-TLV object and sets *element to all of its
// bytes: tag, length and value.
func (r *Reader) ReadBERElement(tag *Tag, element *[]byte) bool {
	t, h, n, ok := r.berHeader()
	if !ok {
		return false
	}
	*tag = t
	*element = r.b[: h+n : h+n]
	r.advance(h + n)
	return true
}

// PeekBERTag sets *tag to the tag of the next BER-TLV object without
// consuming it.
func (r *Reader) PeekBERTag(tag *Tag) bool {
	t, _, _, ok := r.berHeader()
	if ok {
		*tag = t
	}
	return ok
}

// ReadExpectBER reads one BER-TLV object that must have tag want.
func (r *Reader) ReadExpectBER(want Tag, value *Reader) bool {
	var t Tag
	if !r.PeekBERTag(&t) {
		return false
	}
	if t != want {
		return r.fail(0, ErrUnexpectedTag, "expected BER-TLV tag "+hexTag(uint32(want), want.Len())+", found "+hexTag(uint32(t), t.Len()))
	}
	return r.ReadBER(&t, value)
}

// FindBER searches the remaining sibling objects, skipping padding, for
// the first one with tag want and sets *value to it. It does not consume
// from r and does not descend into constructed values. It returns false
// when no such object precedes the end or the first malformed object.
func (r *Reader) FindBER(want Tag, value *Reader) bool {
	if r.err != nil {
		return false
	}
	s := Reader{b: r.b, off: r.off}
	for {
		s.SkipPadding()
		if s.Empty() {
			return false
		}
		var t Tag
		var v Reader
		if !s.ReadBER(&t, &v) {
			return false
		}
		if t == want {
			*value = v
			return true
		}
	}
}

// ReadComprehension reads one COMPREHENSION-TLV object (ETSI TS 102 223
// Annex C, ETSI TS 101 220 §7.1.1.2) and sets *tag, *cr (the "comprehension
// required" flag) and *value.
func (r *Reader) ReadComprehension(tag *CTag, cr *bool, value *Reader) bool {
	t, c, h, n, ok := r.compHeader()
	if !ok {
		return false
	}
	*tag, *cr = t, c
	*value = r.sub(h, n)
	r.advance(h + n)
	return true
}

// ReadComprehensionBytes is ReadComprehension with the value as bytes.
func (r *Reader) ReadComprehensionBytes(tag *CTag, cr *bool, value *[]byte) bool {
	var v Reader
	if !r.ReadComprehension(tag, cr, &v) {
		return false
	}
	*value = v.b
	return true
}

// ReadExpectComprehension reads one COMPREHENSION-TLV object that must
// have tag value want (either CR setting) and sets *value.
func (r *Reader) ReadExpectComprehension(want CTag, value *Reader) bool {
	t, _, h, n, ok := r.compHeader()
	if !ok {
		return false
	}
	if t != want {
		return r.fail(0, ErrUnexpectedTag, "expected COMPREHENSION-TLV tag "+want.String()+", found "+t.String())
	}
	*value = r.sub(h, n)
	r.advance(h + n)
	return true
}

// FindComprehension searches the remaining sibling objects for the first
// one with tag value want (either CR setting) and sets *value and *cr. It
// does not consume from r.
func (r *Reader) FindComprehension(want CTag, cr *bool, value *Reader) bool {
	if r.err != nil {
		return false
	}
	s := Reader{b: r.b, off: r.off}
	for !s.Empty() {
		var t CTag
		var c bool
		var v Reader
		if !s.ReadComprehension(&t, &c, &v) {
			return false
		}
		if t == want {
			*value, *cr = v, c
			return true
		}
	}
	return false
}

func (r *Reader) compHeader() (CTag, bool, int, int, bool) {
	b := r.b
	if r.err != nil {
		return 0, false, 0, 0, false
	}
	if len(b) == 0 {
		return 0, false, 0, 0, r.fail(0, ErrTruncated, "COMPREHENSION-TLV tag expected, no bytes left")
	}
	var t CTag
	var cr bool
	i := 1
	switch f := b[0]; {
	case f == 0x00 || f == 0x80 || f == 0xFF:
		return 0, false, 0, 0, r.fail(0, ErrInvalidTag, "'00', '80' and 'FF' are not COMPREHENSION-TLV tags (ETSI TS 101 220 §7.1.1.2)")
	case f == 0x7F:
		if len(b) < 3 {
			return 0, false, 0, 0, r.fail(0, ErrTruncated, "three-byte COMPREHENSION-TLV tag cut short")
		}
		cr = b[1]&0x80 != 0
		t = CTag(b[1]&0x7F)<<8 | CTag(b[2])
		if t < 0x7F {
			return 0, false, 0, 0, r.fail(1, ErrInvalidTag, "tag value below '7F' in the three-byte format (single-byte format required)")
		}
		i = 3
	default:
		cr = f&0x80 != 0
		t = CTag(f & 0x7F)
	}
	n, ln, ok := r.length(i, 1)
	if !ok {
		return 0, false, 0, 0, false
	}
	return t, cr, i + ln, n, true
}

// ReadUint8 reads one byte.
func (r *Reader) ReadUint8(out *uint8) bool {
	if r.err != nil {
		return false
	}
	if len(r.b) < 1 {
		return r.fail(0, ErrTruncated, "1 more byte expected")
	}
	*out = r.b[0]
	r.advance(1)
	return true
}

// ReadUint16 reads a big-endian 16-bit value.
func (r *Reader) ReadUint16(out *uint16) bool {
	if r.err != nil {
		return false
	}
	if len(r.b) < 2 {
		return r.fail(0, ErrTruncated, "2 more bytes expected")
	}
	*out = uint16(r.b[0])<<8 | uint16(r.b[1])
	r.advance(2)
	return true
}

// ReadUint24 reads a big-endian 24-bit value.
func (r *Reader) ReadUint24(out *uint32) bool {
	if r.err != nil {
		return false
	}
	if len(r.b) < 3 {
		return r.fail(0, ErrTruncated, "3 more bytes expected")
	}
	*out = uint32(r.b[0])<<16 | uint32(r.b[1])<<8 | uint32(r.b[2])
	r.advance(3)
	return true
}

// ReadBytes reads n bytes into *out (aliased).
func (r *Reader) ReadBytes(out *[]byte, n int) bool {
	if r.err != nil {
		return false
	}
	if n < 0 || len(r.b) < n {
		return r.fail(0, ErrTruncated, "more bytes expected than remain")
	}
	*out = r.b[:n:n]
	r.advance(n)
	return true
}

// Skip consumes n bytes.
func (r *Reader) Skip(n int) bool {
	var b []byte
	return r.ReadBytes(&b, n)
}

package ef

// tlvReader walks a sequence of BER-TLV data objects with one- or two-byte
// tags and definite lengths (ISO/IEC 7816-4 §5.2, the coding TS 102 221
// §11.1.1.3 and §9.2 use) without allocating.
type tlvReader struct {
	b   []byte
	off int // offset of b[0] in the original input, for errors
}

// next returns the next data object. ok is false at the end of input or at
// 'FF'/'00' padding (ISO/IEC 7816-4 §5.2: FF and 00 are not tags but
// padding). err is non-nil for a truncated object.
func (r *tlvReader) next() (tag uint16, val []byte, start int, ok bool, err string) {
	if len(r.b) == 0 || r.b[0] == 0xFF || r.b[0] == 0x00 {
		return 0, nil, r.off, false, ""
	}
	start = r.off
	b := r.b
	i := 0
	tag = uint16(b[i])
	i++
	if b[0]&0x1F == 0x1F { // two-byte tag
		if i >= len(b) {
			return 0, nil, start, false, "truncated tag"
		}
		tag = tag<<8 | uint16(b[i])
		if b[i]&0x80 != 0 {
			return 0, nil, start, false, "tag longer than two bytes"
		}
		i++
	}
	if i >= len(b) {
		return 0, nil, start, false, "missing length"
	}
	n := int(b[i])
	i++
	switch {
	case n < 0x80:
	case n == 0x81:
		if i >= len(b) {
			return 0, nil, start, false, "truncated length"
		}
		n = int(b[i])
		i++
	case n == 0x82:
		if i+1 >= len(b) {
			return 0, nil, start, false, "truncated length"
		}
		n = int(b[i])<<8 | int(b[i+1])
		i += 2
	default:
		return 0, nil, start, false, "unsupported length coding"
	}
	if n > len(b)-i {
		return 0, nil, start, false, "value runs past the end"
	}
	val = b[i : i+n : i+n]
	r.b = b[i+n:]
	r.off += i + n
	return tag, val, start, true, ""
}

// appendTLV appends tag (one byte) ‖ length ‖ value using the shortest
// BER length form.
func appendTLV(dst []byte, tag byte, val []byte) []byte {
	dst = append(dst, tag)
	dst = appendLen(dst, len(val))
	return append(dst, val...)
}

func appendLen(dst []byte, n int) []byte {
	switch {
	case n < 0x80:
		return append(dst, byte(n))
	case n <= 0xFF:
		return append(dst, 0x81, byte(n))
	default:
		return append(dst, 0x82, byte(n>>8), byte(n))
	}
}

package ef

import "strconv"

// ICCIDLen is the size of EF_ICCID, TS 102 221 §13.2.
const ICCIDLen = 10

// ICCID is the Integrated Circuit Card Identifier (ITU-T E.118): up to 20
// decimal digits, the last normally a Luhn check digit. Build one with
// NewICCID, NewICCIDWithLuhn or ParseICCID.
type ICCID struct{ digits string }

// NewICCID validates s as an ICCID: 1 to 20 decimal digits. It does not
// require a valid check digit (cards in the field carry bad ones); see
// ICCID.LuhnValid.
func NewICCID(s string) (ICCID, error) {
	if !isDigits(s) {
		return ICCID{}, invalid("EF_ICCID", "iccid", "not a decimal digit string: "+strconv.Quote(s))
	}
	if len(s) > 2*ICCIDLen {
		return ICCID{}, invalid("EF_ICCID", "iccid", "digit count "+strconv.Itoa(len(s))+" exceeds 20")
	}
	return ICCID{s}, nil
}

// NewICCIDWithLuhn appends the Luhn check digit to payload (up to 19 digits)
// and returns the ICCID.
func NewICCIDWithLuhn(payload string) (ICCID, error) {
	if len(payload) > 2*ICCIDLen-1 {
		return ICCID{}, invalid("EF_ICCID", "iccid", "payload of "+strconv.Itoa(len(payload))+" digits leaves no room for the check digit")
	}
	c, ok := Luhn(payload)
	if !ok || payload == "" {
		return ICCID{}, invalid("EF_ICCID", "iccid", "not a decimal digit string: "+strconv.Quote(payload))
	}
	return NewICCID(payload + string('0'+c))
}

// String returns the digits.
func (c ICCID) String() string { return c.digits }

// IsZero reports whether c is the zero value.
func (c ICCID) IsZero() bool { return c.digits == "" }

// LuhnValid reports whether the last digit is the Luhn check digit.
func (c ICCID) LuhnValid() bool { return LuhnValid(c.digits) }

// Append appends the 10 bytes of EF_ICCID (TS 102 221 §13.2): the digits in
// swapped BCD, 'F' filling unused nibbles.
func (c ICCID) Append(dst []byte) []byte {
	start := len(dst)
	dst = appendSwappedBCD(dst, c.digits, decNibble)
	return PadFF(dst, start+ICCIDLen)
}

// ParseICCID decodes EF_ICCID (TS 102 221 §13.2). Digits end at the first
// 'F' nibble; any digit after a filler is an error.
func ParseICCID(b []byte) (ICCID, error) {
	const f = "EF_ICCID"
	if len(b) > ICCIDLen {
		if !allFF(b[ICCIDLen:]) {
			return ICCID{}, malformed(f, "iccid", ICCIDLen, "longer than 10 bytes")
		}
		b = b[:ICCIDLen]
	}
	if len(b) == 0 {
		return ICCID{}, malformed(f, "iccid", 0, "content is empty")
	}
	if allFF(b) {
		return ICCID{}, empty(f)
	}
	var buf [2 * ICCIDLen]byte
	n := 0
	done := false
	for k, x := range b {
		for _, nib := range [2]byte{x & 0xF, x >> 4} {
			switch {
			case nib == 0xF:
				done = true
			case done:
				return ICCID{}, malformed(f, "iccid", k, "digit after 'F' filler")
			case nib > 9:
				return ICCID{}, malformed(f, "iccid", k, "non-decimal nibble "+strconv.FormatUint(uint64(nib), 16))
			default:
				buf[n] = '0' + nib
				n++
			}
		}
	}
	return ICCID{string(buf[:n])}, nil
}

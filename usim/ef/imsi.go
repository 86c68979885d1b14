package ef

import "strconv"

// IMSILen is the size of EF_IMSI, TS 31.102 §4.2.2.
const IMSILen = 9

// MaxIMSIDigits is the longest IMSI, TS 23.003 §2.2.
const MaxIMSIDigits = 15

// IMSI is an International Mobile Subscriber Identity (TS 23.003 §2.2): 6 to
// 15 decimal digits, MCC ‖ MNC ‖ MSIN. The zero value is not a valid IMSI;
// build one with NewIMSI or ParseIMSI.
type IMSI struct{ digits string }

// NewIMSI validates s as an IMSI: 6 to 15 decimal digits (TS 23.003 §2.2;
// the 6-digit floor is MCC + 2-digit MNC + at least one MSIN digit).
func NewIMSI(s string) (IMSI, error) {
	if !isDigits(s) {
		return IMSI{}, invalid("EF_IMSI", "imsi", "not a decimal digit string: "+strconv.Quote(s))
	}
	if len(s) > MaxIMSIDigits {
		return IMSI{}, invalid("EF_IMSI", "imsi", "digit count "+strconv.Itoa(len(s))+" exceeds 15")
	}
	if len(s) < 6 {
		return IMSI{}, invalid("EF_IMSI", "imsi", "digit count "+strconv.Itoa(len(s))+" below 6")
	}
	return IMSI{s}, nil
}

// String returns the digits.
func (i IMSI) String() string { return i.digits }

// IsZero reports whether i is the zero value (no IMSI).
func (i IMSI) IsZero() bool { return i.digits == "" }

// MCC returns the first three digits, the Mobile Country Code.
func (i IMSI) MCC() string {
	if len(i.digits) < 3 {
		return ""
	}
	return i.digits[:3]
}

// MNC returns the Mobile Network Code, whose length (2 or 3) is not part of
// the IMSI but of EF_AD byte 4 (TS 31.102 §4.2.18).
func (i IMSI) MNC(mncLen int) string {
	if mncLen != 2 && mncLen != 3 || len(i.digits) < 3+mncLen {
		return ""
	}
	return i.digits[3 : 3+mncLen]
}

// PLMN returns the home PLMN of the IMSI given the MNC length from EF_AD.
func (i IMSI) PLMN(mncLen int) (PLMN, error) {
	return NewPLMN(i.MCC(), i.MNC(mncLen))
}

// Append appends the 9 bytes of EF_IMSI (TS 31.102 §4.2.2): the length in
// bytes of the IMSI field, then the IMSI as a TS 24.008 §10.5.1.4 mobile
// identity — digit 1 in the high nibble of the first byte above the parity
// bit (1 for an odd digit count) and type 001, the remaining digits swapped
// BCD — with unused bytes 'FF'. A zero IMSI appends 9 bytes 'FF'.
func (i IMSI) Append(dst []byte) []byte {
	start := len(dst)
	if i.digits == "" {
		return PadFF(dst, start+IMSILen)
	}
	d := i.digits
	n := len(d)
	dst = append(dst, byte((n+2)/2))
	parity := byte(0x1)
	if n%2 == 1 {
		parity = 0x9
	}
	dst = append(dst, decNibble(d[0])<<4|parity)
	dst = appendSwappedBCD(dst, d[1:], decNibble)
	return PadFF(dst, start+IMSILen)
}

// ParseIMSI decodes EF_IMSI (TS 31.102 §4.2.2). It checks the length byte,
// the identity type (001 = IMSI) and the parity bit against the digit count,
// and accepts the content with or without its 'FF' padding.
func ParseIMSI(b []byte) (IMSI, error) {
	const f = "EF_IMSI"
	if len(b) == 0 {
		return IMSI{}, malformed(f, "length", 0, "content is empty")
	}
	if b[0] == 0xFF && allFF(b) {
		return IMSI{}, empty(f)
	}
	l := int(b[0])
	if l < 1 || l > IMSILen-1 {
		return IMSI{}, malformed(f, "length", 0, "IMSI length "+strconv.Itoa(l)+" not in 1..8")
	}
	if len(b) < 1+l {
		return IMSI{}, malformed(f, "imsi", len(b), "length byte says "+strconv.Itoa(l)+" bytes, "+strconv.Itoa(len(b)-1)+" present")
	}
	if b[1]&0x7 != 0x1 {
		return IMSI{}, malformed(f, "type of identity", 1, "low bits "+strconv.Itoa(int(b[1]&7))+", want 001 (IMSI)")
	}
	odd := b[1]&0x8 != 0
	var buf [2 * IMSILen]byte
	n := 0
	buf[n] = b[1] >> 4
	n++
	for k := 2; k <= l; k++ {
		buf[n] = b[k] & 0xF
		buf[n+1] = b[k] >> 4
		n += 2
	}
	// A final 'F' nibble is the filler of an even digit count.
	if buf[n-1] == 0xF {
		n--
	}
	if n < 6 {
		return IMSI{}, malformed(f, "imsi", 1, "digit count "+strconv.Itoa(n)+" below 6")
	}
	for k := 0; k < n; k++ {
		if buf[k] > 9 {
			return IMSI{}, malformed(f, "imsi", 1+(k+1)/2, "non-decimal nibble "+strconv.FormatUint(uint64(buf[k]), 16))
		}
		buf[k] += '0'
	}
	if (n%2 == 1) != odd {
		return IMSI{}, malformed(f, "parity", 1, "parity bit does not match "+strconv.Itoa(n)+" digits")
	}
	if n > MaxIMSIDigits {
		return IMSI{}, malformed(f, "imsi", 1, "digit count "+strconv.Itoa(n)+" exceeds 15")
	}
	return IMSI{string(buf[:n])}, nil
}

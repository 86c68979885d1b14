package ef

import "strconv"

// PLMN is a Public Land Mobile Network identity, MCC ‖ MNC, held in its
// 3-byte coding of TS 24.008 §10.5.1.3 (figure 10.5.3): byte 1 = MCC digit 2
// ‖ MCC digit 1, byte 2 = MNC digit 3 ‖ MCC digit 3, byte 3 = MNC digit 2 ‖
// MNC digit 1, with MNC digit 3 = 'F' for a 2-digit MNC. 'FFFFFF' is the
// unused entry of PLMN lists (TS 31.102 §4.2.16). The zero PLMN is "000-00"
// with a 3-digit MNC "000", so use NewPLMN or ParsePLMN.
type PLMN [3]byte

// EmptyPLMN is the unused-entry value 'FFFFFF'.
var EmptyPLMN = PLMN{0xFF, 0xFF, 0xFF}

// NewPLMN builds a PLMN from a 3-digit MCC and a 2- or 3-digit MNC.
func NewPLMN(mcc, mnc string) (PLMN, error) {
	if len(mcc) != 3 || !isDigits(mcc) {
		return PLMN{}, invalid("PLMN", "mcc", "want 3 digits, got "+strconv.Quote(mcc))
	}
	if (len(mnc) != 2 && len(mnc) != 3) || !isDigits(mnc) {
		return PLMN{}, invalid("PLMN", "mnc", "want 2 or 3 digits, got "+strconv.Quote(mnc))
	}
	m3 := byte(0xF)
	if len(mnc) == 3 {
		m3 = mnc[2] - '0'
	}
	return PLMN{
		(mcc[1]-'0')<<4 | (mcc[0] - '0'),
		m3<<4 | (mcc[2] - '0'),
		(mnc[1]-'0')<<4 | (mnc[0] - '0'),
	}, nil
}

// IsEmpty reports whether p is the unused entry 'FFFFFF'.
func (p PLMN) IsEmpty() bool { return p == EmptyPLMN }

// MCC returns the 3-digit Mobile Country Code, "" if a nibble is not a digit.
func (p PLMN) MCC() string {
	d := [3]byte{p[0] & 0xF, p[0] >> 4, p[1] & 0xF}
	return digitsOf(d[:])
}

// MNC returns the 2- or 3-digit Mobile Network Code, "" if invalid.
func (p PLMN) MNC() string {
	if p[1]>>4 == 0xF {
		return digitsOf([]byte{p[2] & 0xF, p[2] >> 4})
	}
	return digitsOf([]byte{p[2] & 0xF, p[2] >> 4, p[1] >> 4})
}

func digitsOf(nibs []byte) string {
	var b [3]byte
	for i, n := range nibs {
		if n > 9 {
			return ""
		}
		b[i] = '0' + n
	}
	return string(b[:len(nibs)])
}

// String formats p as "MCC-MNC" (e.g. "262-01"), "empty" for 'FFFFFF' and
// the hex bytes for any other invalid coding.
func (p PLMN) String() string {
	if p.IsEmpty() {
		return "empty"
	}
	mcc, mnc := p.MCC(), p.MNC()
	if mcc == "" || mnc == "" {
		return "invalid PLMN " + hexString(p[:])
	}
	return mcc + "-" + mnc
}

// Append appends the 3 bytes of p.
func (p PLMN) Append(dst []byte) []byte { return append(dst, p[0], p[1], p[2]) }

// ParsePLMN decodes the 3-byte PLMN coding of TS 24.008 §10.5.1.3. It
// accepts 'FFFFFF' (EmptyPLMN) and otherwise requires decimal MCC digits
// and an MNC of two digits plus 'F' or of three digits.
func ParsePLMN(b []byte) (PLMN, error) {
	if len(b) < 3 {
		return PLMN{}, malformed("PLMN", "", len(b), "want 3 bytes, got "+strconv.Itoa(len(b)))
	}
	p := PLMN{b[0], b[1], b[2]}
	if p.IsEmpty() {
		return p, nil
	}
	if p.MCC() == "" {
		return PLMN{}, malformed("PLMN", "mcc", 0, "non-decimal digit in "+hexString(b[:3]))
	}
	if p.MNC() == "" {
		return PLMN{}, malformed("PLMN", "mnc", 1, "non-decimal digit in "+hexString(b[:3]))
	}
	return p, nil
}

const hexDigits = "0123456789ABCDEF"

func hexString(b []byte) string {
	s := make([]byte, 2*len(b))
	for i, c := range b {
		s[2*i] = hexDigits[c>>4]
		s[2*i+1] = hexDigits[c&0xF]
	}
	return string(s)
}

package ef

import "strconv"

// DialNumberLen is the fixed part of an ADN-like record after its alpha
// identifier (TS 51.011 §10.5.1, TS 31.102 §4.2.26 / §4.4.2.3).
const DialNumberLen = 14

// MaxDialDigits is the longest number a record holds without an EXT record.
const MaxDialDigits = 20

// TypeOfNumber is bits b7..b5 of the TON/NPI byte (TS 24.008 §10.5.4.7).
type TypeOfNumber uint8

// Types of number of TS 24.008 §10.5.4.7.
const (
	TONUnknown         TypeOfNumber = 0
	TONInternational   TypeOfNumber = 1
	TONNational        TypeOfNumber = 2
	TONNetworkSpecific TypeOfNumber = 3
	TONDedicatedAccess TypeOfNumber = 4
)

// String names the type of number.
func (t TypeOfNumber) String() string {
	switch t {
	case TONUnknown:
		return "unknown"
	case TONInternational:
		return "international"
	case TONNational:
		return "national"
	case TONNetworkSpecific:
		return "network specific"
	case TONDedicatedAccess:
		return "dedicated access"
	}
	return "reserved " + strconv.Itoa(int(t))
}

// NumberingPlan is bits b4..b1 of the TON/NPI byte (TS 24.008 §10.5.4.7).
type NumberingPlan uint8

// Numbering plans of TS 24.008 §10.5.4.7.
const (
	NPIUnknown  NumberingPlan = 0
	NPIISDN     NumberingPlan = 1 // ISDN/telephony, ITU-T E.164
	NPIData     NumberingPlan = 3 // ITU-T X.121
	NPITelex    NumberingPlan = 4 // ITU-T F.69
	NPINational NumberingPlan = 8
	NPIPrivate  NumberingPlan = 9
)

// String names the numbering plan.
func (n NumberingPlan) String() string {
	switch n {
	case NPIUnknown:
		return "unknown"
	case NPIISDN:
		return "ISDN/telephony (E.164)"
	case NPIData:
		return "data (X.121)"
	case NPITelex:
		return "telex (F.69)"
	case NPINational:
		return "national"
	case NPIPrivate:
		return "private"
	}
	return "reserved " + strconv.Itoa(int(n))
}

// DialNumber is an ADN-like record: EF_MSISDN (TS 31.102 §4.2.26, coded as
// EF_ADN of TS 51.011 §10.5.1), also EF_ADN, EF_FDN, EF_SDN. Number holds
// the BCD digits 0-9 and the extended characters '*' (A), '#' (B), 'p'
// (C, DTMF control digit separator) and '?' (D, wild value).
type DialNumber struct {
	Alpha  string
	TON    TypeOfNumber
	NPI    NumberingPlan
	Number string
	CCP    byte // capability/configuration identifier, 'FF' = none
	Ext    byte // extension record identifier, 'FF' = none
}

// String renders the record for people, e.g. "+4917279119183 (Eigene Rufnummer)".
func (d DialNumber) String() string {
	s := d.Number
	if d.TON == TONInternational {
		s = "+" + s
	}
	if d.Alpha != "" {
		s += " (" + strconv.Quote(d.Alpha) + ")"
	}
	return s
}

func dialNibble(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c == '*':
		return 0xA, true
	case c == '#':
		return 0xB, true
	case c == 'p':
		return 0xC, true
	case c == '?':
		return 0xD, true
	}
	return 0, false
}

const dialChars = "0123456789*#p?"

// Append appends one record of recLen bytes (alpha identifier of
// recLen-14 bytes, then TS 51.011 §10.5.1's 14 bytes): alpha padded with
// 'FF', BCD/SSC length (TON/NPI byte + number bytes), TON/NPI with b8 = 1,
// number in swapped BCD padded with 'F', CCP and EXT identifiers. A record
// with no number and no alpha is all 'FF'. Errors wrap ErrInvalid.
func (d DialNumber) Append(dst []byte, recLen int) ([]byte, error) {
	const f = "EF_MSISDN"
	start := len(dst)
	if recLen < DialNumberLen {
		return dst, invalid(f, "record length", strconv.Itoa(recLen)+" below 14")
	}
	alphaLen := recLen - DialNumberLen
	dst, err := AppendAlpha(dst, d.Alpha)
	if err != nil {
		return dst[:start], err
	}
	if len(dst)-start > alphaLen {
		return dst[:start], invalid(f, "alpha identifier", "coded alpha is "+strconv.Itoa(len(dst)-start)+" bytes, record has room for "+strconv.Itoa(alphaLen))
	}
	dst = PadFF(dst, start+alphaLen)
	if len(d.Number) > MaxDialDigits {
		return dst[:start], invalid(f, "number", strconv.Itoa(len(d.Number))+" digits exceed 20 (EXT records not supported)")
	}
	for i := 0; i < len(d.Number); i++ {
		if _, ok := dialNibble(d.Number[i]); !ok {
			return dst[:start], invalid(f, "number", "character "+strconv.QuoteRune(rune(d.Number[i]))+" is not one of "+dialChars)
		}
	}
	if d.Number == "" && d.TON == 0 && d.NPI == 0 {
		dst = append(dst, 0xFF, 0xFF)
	} else {
		dst = append(dst, byte(1+(len(d.Number)+1)/2), 0x80|byte(d.TON&7)<<4|byte(d.NPI&0xF))
	}
	numStart := len(dst)
	dst = appendSwappedBCD(dst, d.Number, func(c byte) byte { n, _ := dialNibble(c); return n })
	dst = PadFF(dst, numStart+10)
	return append(dst, d.CCP, d.Ext), nil
}

// ParseDialNumber decodes one ADN-like record (TS 51.011 §10.5.1); the
// record length is len(b). An all-'FF' record gives ErrEmpty.
func ParseDialNumber(b []byte) (DialNumber, error) {
	const f = "EF_MSISDN"
	if len(b) < DialNumberLen {
		return DialNumber{}, malformed(f, "record", len(b), "record of "+strconv.Itoa(len(b))+" bytes, want at least 14")
	}
	if allFF(b) {
		return DialNumber{}, empty(f)
	}
	a := len(b) - DialNumberLen
	alpha, err := ParseAlpha(b[:a])
	if err != nil {
		return DialNumber{}, malformed(f, "alpha identifier", 0, err.Error())
	}
	d := DialNumber{Alpha: alpha, CCP: b[a+12], Ext: b[a+13]}
	l := int(b[a])
	if l == 0xFF {
		return d, nil
	}
	if l < 1 || l > 11 {
		return DialNumber{}, malformed(f, "length of BCD number", a, "value "+strconv.Itoa(l)+" not in 1..11")
	}
	d.TON = TypeOfNumber(b[a+1] >> 4 & 7)
	d.NPI = NumberingPlan(b[a+1] & 0xF)
	num := b[a+2 : a+1+l]
	var buf [MaxDialDigits]byte
	n := 0
	for k, x := range num {
		for j, nib := range [2]byte{x & 0xF, x >> 4} {
			if nib == 0xF {
				if k != len(num)-1 || j != 1 {
					return DialNumber{}, malformed(f, "number", a+2+k, "'F' filler before the last nibble")
				}
				continue
			}
			if nib == 0xE {
				return DialNumber{}, malformed(f, "number", a+2+k, "RFU nibble E")
			}
			buf[n] = dialChars[nib]
			n++
		}
	}
	d.Number = string(buf[:n])
	return d, nil
}

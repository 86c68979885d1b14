package sms

import "strings"

// TON is the type of number of a TS 23.040 §9.1.2.5 Type-of-Address octet
// (bits 6..4).
type TON uint8

// Types of number, TS 23.040 §9.1.2.5.
const (
	TONUnknown         TON = 0
	TONInternational   TON = 1
	TONNational        TON = 2
	TONNetworkSpecific TON = 3
	TONSubscriber      TON = 4
	TONAlphanumeric    TON = 5 // GSM 7-bit default alphabet, TS 23.038
	TONAbbreviated     TON = 6
	TONReserved        TON = 7
)

var tonNames = [...]string{"unknown", "international", "national", "network specific",
	"subscriber", "alphanumeric", "abbreviated", "reserved"}

func (t TON) String() string {
	if int(t) < len(tonNames) {
		return tonNames[t]
	}
	return "TON(" + hex2(byte(t)) + ")"
}

// NPI is the numbering plan identification of a TS 23.040 §9.1.2.5
// Type-of-Address octet (bits 3..0).
type NPI uint8

// Numbering plans, TS 23.040 §9.1.2.5.
const (
	NPIUnknown  NPI = 0
	NPIISDN     NPI = 1 // ISDN/telephone numbering plan, E.164/E.163
	NPIData     NPI = 3 // X.121
	NPITelex    NPI = 4
	NPISCSpec1  NPI = 5 // service centre specific plan 1
	NPISCSpec2  NPI = 6
	NPINational NPI = 8
	NPIPrivate  NPI = 9
	NPIERMES    NPI = 10
	NPIReserved NPI = 15
)

func (n NPI) String() string {
	switch n {
	case NPIUnknown:
		return "unknown"
	case NPIISDN:
		return "ISDN/telephone (E.164)"
	case NPIData:
		return "data (X.121)"
	case NPITelex:
		return "telex"
	case NPISCSpec1:
		return "service centre specific 1"
	case NPISCSpec2:
		return "service centre specific 2"
	case NPINational:
		return "national"
	case NPIPrivate:
		return "private"
	case NPIERMES:
		return "ERMES"
	}
	return "NPI(" + hex2(byte(n)) + ")"
}

// Address is a TP-OA / TP-DA address field, TS 23.040 §9.1.2.5: the
// Address-Length octet (number of useful semi-octets), the Type-of-Address
// octet and the Address-Value. For every TON but alphanumeric the value is
// BCD semi-octets, low nibble first, with an F filler; Digits holds them as
// characters 0-9 * # a b c (semi-octet values A..E). For TONAlphanumeric the
// value is GSM 7-bit packed text kept as raw octets in Alpha (Digits empty).
type Address struct {
	TON    TON
	NPI    NPI
	Digits string
	Alpha  []byte
}

// maxAddressDigits is the limit of §9.1.2.5: the address value is at most
// 10 octets, i.e. 20 semi-octets.
const maxAddressDigits = 20

func (a Address) String() string {
	if a.TON == TONAlphanumeric {
		return "alphanumeric(" + hexString(a.Alpha) + ")"
	}
	p := ""
	if a.TON == TONInternational {
		p = "+"
	}
	return p + a.Digits + " (TON " + a.TON.String() + ", NPI " + a.NPI.String() + ")"
}

// TOA returns the Type-of-Address octet, TS 23.040 §9.1.2.5: bit 7 set,
// TON in bits 6..4, NPI in bits 3..0.
func (a Address) TOA() byte { return 0x80 | byte(a.TON&7)<<4 | byte(a.NPI&0x0f) }

func digitNibble(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c == '*':
		return 0xA, true
	case c == '#':
		return 0xB, true
	case c == 'a' || c == 'A':
		return 0xC, true
	case c == 'b' || c == 'B':
		return 0xD, true
	case c == 'c' || c == 'C':
		return 0xE, true
	}
	return 0, false
}

const nibbleDigits = "0123456789*#abc"

// AppendAddress appends the TS 23.040 §9.1.2.5 encoding of a (Address-Length,
// Type-of-Address, Address-Value).
func AppendAddress(dst []byte, a Address) ([]byte, error) {
	if a.TON == TONAlphanumeric {
		if len(a.Alpha) > 10 {
			return dst, errAt(ErrLength, "Address-Value", -1, "alphanumeric address longer than 10 octets")
		}
		// Length counts useful semi-octets of the packed 7-bit value.
		dst = append(dst, byte(2*len(a.Alpha)), a.TOA())
		return append(dst, a.Alpha...), nil
	}
	if len(a.Digits) > maxAddressDigits {
		return dst, errAt(ErrLength, "Address-Value", -1, "more than 20 digits")
	}
	for i := 0; i < len(a.Digits); i++ {
		if _, ok := digitNibble(a.Digits[i]); !ok {
			return dst, errAt(ErrInvalid, "Address-Value", -1, "digit "+strconvQuote(a.Digits[i])+" is not a semi-octet")
		}
	}
	if a.NPI > 15 || a.TON > 7 {
		return dst, errAt(ErrInvalid, "Type-of-Address", -1, "TON or NPI out of range")
	}
	dst = append(dst, byte(len(a.Digits)), a.TOA())
	return appendSemiOctets(dst, a.Digits), nil
}

// AppendSemiOctets appends digits (0-9 * # a b c) as BCD semi-octets, low
// nibble first, with an F filler when their number is odd: the
// Address-Value of TS 23.040 §9.1.2.5 and the dialling number of an
// ADDRESS data object, TS 102 223 §8.1.
func AppendSemiOctets(dst []byte, digits string) ([]byte, error) {
	for i := 0; i < len(digits); i++ {
		if _, ok := digitNibble(digits[i]); !ok {
			return dst, errAt(ErrInvalid, "semi-octets", -1, "digit "+strconvQuote(digits[i])+" is not a semi-octet")
		}
	}
	return appendSemiOctets(dst, digits), nil
}

// ParseSemiOctets decodes BCD semi-octets, low nibble first; an F is
// allowed only as the very last semi-octet (the filler).
func ParseSemiOctets(v []byte) (string, error) {
	n := 2 * len(v)
	if n > 0 && v[len(v)-1]>>4 == 0xF {
		n--
	}
	return parseDigits(v, n)
}

// parseDigits reads n semi-octets of v; an odd n needs the F filler.
func parseDigits(v []byte, n int) (string, error) {
	var sb strings.Builder
	sb.Grow(n)
	for i := 0; i < n; i++ {
		nib := v[i/2] & 0x0f
		if i%2 == 1 {
			nib = v[i/2] >> 4
		}
		if nib == 0xF {
			return "", errAt(ErrInvalid, "semi-octets", i/2, "filler F inside the useful semi-octets")
		}
		sb.WriteByte(nibbleDigits[nib])
	}
	if n%2 == 1 && v[n/2]>>4 != 0xF {
		return "", errAt(ErrInvalid, "semi-octets", n/2, "odd length without F filler")
	}
	return sb.String(), nil
}

func appendSemiOctets(dst []byte, digits string) []byte {
	for i := 0; i < len(digits); i += 2 {
		lo, _ := digitNibble(digits[i])
		hi := byte(0xF)
		if i+1 < len(digits) {
			hi, _ = digitNibble(digits[i+1])
		}
		dst = append(dst, hi<<4|lo)
	}
	return dst
}

// ParseAddress decodes a TS 23.040 §9.1.2.5 address field at the start of b
// and returns it with the number of octets it used. Digits is a fresh string;
// Alpha aliases b.
func ParseAddress(b []byte) (Address, int, error) {
	if len(b) < 2 {
		return Address{}, 0, errAt(ErrTruncated, "Address-Length", 0, "need length and type-of-address octets")
	}
	n := int(b[0])
	toa := b[1]
	if toa&0x80 == 0 {
		return Address{}, 0, errAt(ErrInvalid, "Type-of-Address", 1, "bit 7 must be 1")
	}
	a := Address{TON: TON(toa >> 4 & 7), NPI: NPI(toa & 0x0f)}
	if n > maxAddressDigits {
		return Address{}, 0, errAt(ErrLength, "Address-Length", 0, "more than 20 semi-octets")
	}
	octets := (n + 1) / 2
	if len(b) < 2+octets {
		return Address{}, 0, errAt(ErrTruncated, "Address-Value", 2, "fewer octets than Address-Length announces")
	}
	v := b[2 : 2+octets]
	if a.TON == TONAlphanumeric {
		a.Alpha = v
		return a, 2 + octets, nil
	}
	digits, err := parseDigits(v, n)
	if err != nil {
		return Address{}, 0, shift(err, 2, "")
	}
	a.Digits = digits
	return a, 2 + octets, nil
}

func hex2(b byte) string {
	const h = "0123456789ABCDEF"
	return string([]byte{h[b>>4], h[b&15]})
}

func hexString(b []byte) string {
	const h = "0123456789ABCDEF"
	out := make([]byte, 2*len(b))
	for i, c := range b {
		out[2*i], out[2*i+1] = h[c>>4], h[c&15]
	}
	return string(out)
}

func strconvQuote(c byte) string { return "'" + string(rune(c)) + "'" }

package ef

import (
	"strconv"
	"strings"
)

// ECCCategory is the emergency service category byte of an EF_ECC record
// (TS 31.102 §4.2.21, coded per TS 24.008 §10.5.4.33).
type ECCCategory byte

// Emergency service category bits, TS 24.008 §10.5.4.33.
const (
	ECCPolice         ECCCategory = 0x01
	ECCAmbulance      ECCCategory = 0x02
	ECCFireBrigade    ECCCategory = 0x04
	ECCMarineGuard    ECCCategory = 0x08
	ECCMountainRescue ECCCategory = 0x10
	ECCManualECall    ECCCategory = 0x20
	ECCAutomaticECall ECCCategory = 0x40
)

var eccNames = [...]string{"police", "ambulance", "fire brigade", "marine guard", "mountain rescue", "manually initiated eCall", "automatically initiated eCall"}

// String lists the categories, e.g. "police|ambulance".
func (c ECCCategory) String() string {
	var p []string
	for i, n := range eccNames {
		if c&(1<<i) != 0 {
			p = append(p, n)
		}
	}
	if p == nil {
		return "none"
	}
	return strings.Join(p, "|")
}

// ECC is one EF_ECC record (TS 31.102 §4.2.21, FID 6FB7, SFI 01): a 3-byte
// emergency call code in swapped BCD ('F' padded, up to 6 digits), an
// optional alpha identifier and the service category byte.
type ECC struct {
	Code     string
	Alpha    string
	Category ECCCategory
}

// String renders the record, e.g. `112 "Emergency" police`.
func (e ECC) String() string {
	s := e.Code
	if e.Alpha != "" {
		s += " " + strconv.Quote(e.Alpha)
	}
	return s + " " + e.Category.String()
}

// Append appends one record of recLen bytes (≥ 4): code, alpha padded to
// recLen-4 bytes, category. Errors wrap ErrInvalid.
func (e ECC) Append(dst []byte, recLen int) ([]byte, error) {
	const f = "EF_ECC"
	if recLen < 4 {
		return dst, invalid(f, "record length", strconv.Itoa(recLen)+" below 4")
	}
	if len(e.Code) < 1 || len(e.Code) > 6 || !isDigits(e.Code) {
		return dst, invalid(f, "code", "want 1 to 6 digits, got "+strconv.Quote(e.Code))
	}
	start := len(dst)
	dst = appendSwappedBCD(dst, e.Code, decNibble)
	dst = PadFF(dst, start+3)
	a := len(dst)
	dst, err := AppendAlpha(dst, e.Alpha)
	if err != nil {
		return dst[:start], err
	}
	if len(dst)-a > recLen-4 {
		return dst[:start], invalid(f, "alpha identifier", "does not fit in "+strconv.Itoa(recLen-4)+" bytes")
	}
	dst = PadFF(dst, a+recLen-4)
	return append(dst, byte(e.Category)), nil
}

// ParseECC decodes one EF_ECC record; the record length is len(b). A record
// whose code is 'FFFFFF' is unused (ErrEmpty).
func ParseECC(b []byte) (ECC, error) {
	const f = "EF_ECC"
	if len(b) < 4 {
		return ECC{}, malformed(f, "record", len(b), "want at least 4 bytes")
	}
	if b[0] == 0xFF && b[1] == 0xFF && b[2] == 0xFF {
		return ECC{}, empty(f)
	}
	var buf [6]byte
	n := 0
	done := false
	for k := 0; k < 3; k++ {
		for _, nib := range [2]byte{b[k] & 0xF, b[k] >> 4} {
			switch {
			case nib == 0xF:
				done = true
			case done || nib > 9:
				return ECC{}, malformed(f, "code", k, "bad BCD nibble "+strconv.FormatUint(uint64(nib), 16))
			default:
				buf[n] = '0' + nib
				n++
			}
		}
	}
	alpha, err := ParseAlpha(b[3 : len(b)-1])
	if err != nil {
		return ECC{}, malformed(f, "alpha identifier", 3, err.Error())
	}
	return ECC{Code: string(buf[:n]), Alpha: alpha, Category: ECCCategory(b[len(b)-1])}, nil
}

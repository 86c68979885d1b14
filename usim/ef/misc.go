package ef

import (
	"strconv"
	"strings"
)

// ACC is EF_ACC, the access control classes (TS 31.102 §4.2.15, FID 6F78,
// SFI 06): 2 bytes, class n is bit n of the 16-bit big-endian value
// (byte 2 b1 = class 0, byte 1 b8 = class 15).
type ACC uint16

// Has reports whether class n (0–15) is allocated.
func (a ACC) Has(n int) bool { return n >= 0 && n < 16 && a&(1<<n) != 0 }

// Append appends the 2 bytes.
func (a ACC) Append(dst []byte) []byte { return append(dst, byte(a>>8), byte(a)) }

// String lists the classes, e.g. "ACC0|ACC15".
func (a ACC) String() string {
	var p []string
	for n := 0; n < 16; n++ {
		if a.Has(n) {
			p = append(p, "ACC"+strconv.Itoa(n))
		}
	}
	if p == nil {
		return "none"
	}
	return strings.Join(p, "|")
}

// ParseACC decodes EF_ACC.
func ParseACC(b []byte) (ACC, error) {
	if len(b) < 2 {
		return 0, malformed("EF_ACC", "", len(b), "want 2 bytes")
	}
	return ACC(b[0])<<8 | ACC(b[1]), nil
}

// StartHFN is EF_START-HFN (TS 31.102 §4.2.51, FID 6F5B, SFI 0F): the
// 20-bit START values for the CS and PS domains, each in 3 bytes.
type StartHFN struct{ CS, PS uint32 }

// Append appends the 6 bytes.
func (s StartHFN) Append(dst []byte) []byte {
	return append(dst, byte(s.CS>>16), byte(s.CS>>8), byte(s.CS), byte(s.PS>>16), byte(s.PS>>8), byte(s.PS))
}

// ParseStartHFN decodes EF_START-HFN.
func ParseStartHFN(b []byte) (StartHFN, error) {
	if len(b) < 6 {
		return StartHFN{}, malformed("EF_START-HFN", "", len(b), "want 6 bytes")
	}
	return StartHFN{be24(b), be24(b[3:])}, nil
}

// Threshold is EF_THRESHOLD (TS 31.102 §4.2.52, FID 6F5C, SFI 10): the
// maximum value of START, 3 bytes.
type Threshold uint32

// Append appends the 3 bytes.
func (t Threshold) Append(dst []byte) []byte { return append(dst, byte(t>>16), byte(t>>8), byte(t)) }

// ParseThreshold decodes EF_THRESHOLD.
func ParseThreshold(b []byte) (Threshold, error) {
	if len(b) < 3 {
		return 0, malformed("EF_THRESHOLD", "", len(b), "want 3 bytes")
	}
	return Threshold(be24(b)), nil
}

func be24(b []byte) uint32 { return uint32(b[0])<<16 | uint32(b[1])<<8 | uint32(b[2]) }

// Languages is EF_PL (TS 102 221 §13.5, FID 2F05) or EF_LI (TS 31.102
// §4.2.1, FID 6F05, SFI 02): 2-byte ISO 639 language codes in priority
// order, "" for an unused 'FFFF' entry.
type Languages []string

// Append appends the codes, 'FFFF' for "", padded to n entries. A code
// that is not two ASCII letters gives an error wrapping ErrInvalid.
func (l Languages) Append(dst []byte, n int) ([]byte, error) {
	start := len(dst)
	for _, c := range l {
		if c == "" {
			dst = append(dst, 0xFF, 0xFF)
			continue
		}
		if len(c) != 2 || !isLower(c[0]) || !isLower(c[1]) {
			return dst[:start], invalid("EF_PL", "language", "want a 2-letter ISO 639 code, got "+strconv.Quote(c))
		}
		dst = append(dst, c[0], c[1])
	}
	for i := len(l); i < n; i++ {
		dst = append(dst, 0xFF, 0xFF)
	}
	return dst, nil
}

func isLower(c byte) bool { return c >= 'a' && c <= 'z' }

// ParseLanguages decodes EF_PL / EF_LI. Codes are default-alphabet letters
// (which coincide with ASCII for a–z).
func ParseLanguages(b []byte) (Languages, error) {
	if len(b)%2 != 0 {
		return nil, malformed("EF_PL", "", len(b), "odd length")
	}
	out := make(Languages, 0, len(b)/2)
	for i := 0; i < len(b); i += 2 {
		if b[i] == 0xFF && b[i+1] == 0xFF {
			out = append(out, "")
			continue
		}
		if !isLower(b[i]|0x20) || !isLower(b[i+1]|0x20) {
			return nil, malformed("EF_PL", "language", i, "not two letters: "+hexString(b[i:i+2]))
		}
		out = append(out, string([]byte{b[i] | 0x20, b[i+1] | 0x20}))
	}
	return out, nil
}

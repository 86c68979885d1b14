package atr

import (
	"errors"
	"strconv"
)

// Sentinel errors; every *Error wraps ErrMalformed, a wrong TCK also
// ErrChecksum.
var (
	// ErrMalformed reports bytes that are not an ATR of ISO/IEC 7816-3 §8.
	ErrMalformed = errors.New("atr: malformed")
	// ErrChecksum reports a TCK that does not make T0..TCK XOR to zero
	// (ISO/IEC 7816-3 §8.2.5).
	ErrChecksum = errors.New("atr: TCK check failed")
)

// Error says what was wrong with an ATR and at which byte.
type Error struct {
	Offset int    // index of the offending byte
	Reason string // what was expected
	Err    error  // ErrMalformed or ErrChecksum
}

// Error gives the sentinel, the byte offset and the reason.
func (e *Error) Error() string {
	return e.Err.Error() + " at byte " + strconv.Itoa(e.Offset) + ": " + e.Reason
}

// Unwrap returns the sentinel and ErrMalformed.
func (e *Error) Unwrap() []error {
	if e.Err == ErrMalformed {
		return []error{ErrMalformed}
	}
	return []error{e.Err, ErrMalformed}
}

// MaxLen is the longest ATR: TS and at most 32 further bytes (ISO/IEC
// 7816-3 §8.2.1).
const MaxLen = 33

// Convention is the initial character TS (ISO/IEC 7816-3 §8.1).
type Convention byte

// The two conventions, as TS reads once decoded.
const (
	Direct  Convention = 0x3B // direct convention: logic one is high, LSB first
	Inverse Convention = 0x3F // inverse convention: logic one is low, MSB first
)

// String names the convention of ISO/IEC 7816-3 §8.1.
func (c Convention) String() string {
	switch c {
	case Direct:
		return "direct convention"
	case Inverse:
		return "inverse convention"
	}
	return "invalid TS " + hex2(byte(c))
}

// Protocol is a transmission protocol type T (ISO/IEC 7816-3 §8.2.3): 0 and
// 1 are the half-duplex protocols of §10 and §11; 15 is not a protocol but
// announces global interface bytes.
type Protocol uint8

// String writes the protocol as ISO/IEC 7816-3 does: "T=0".
func (p Protocol) String() string { return "T=" + strconv.Itoa(int(p)) }

// ProtocolSet is a set of protocol types, bit T for T=0..14.
type ProtocolSet uint16

// Has reports whether p is in the set.
func (s ProtocolSet) Has(p Protocol) bool { return p < 16 && s&(1<<p) != 0 }

// String lists the set, e.g. "T=0, T=1".
func (s ProtocolSet) String() string {
	out := ""
	for p := Protocol(0); p < 15; p++ {
		if s.Has(p) {
			if out != "" {
				out += ", "
			}
			out += p.String()
		}
	}
	if out == "" {
		return "none"
	}
	return out
}

// Presence bits of an interface-byte group: the Yi nibble of T0 or TDi-1
// shifted down (ISO/IEC 7816-3 §8.2.3: b5 TA, b6 TB, b7 TC, b8 TD).
const (
	HasTA uint8 = 1 << iota
	HasTB
	HasTC
	HasTD
)

// Group is one group of interface bytes TAi TBi TCi TDi (ISO/IEC 7816-3
// §8.2.3). Present says which are there. T is the low nibble of TDi: the
// protocol type to which the next group's bytes refer; the high nibble of
// TDi is the next group's Present and is not stored.
type Group struct {
	Present    uint8 // HasTA | HasTB | HasTC | HasTD
	TA, TB, TC byte
	T          Protocol // valid when Present&HasTD != 0
}

// ATR is a decoded answer-to-reset. Groups[0] is group 1 (TA1..TD1); it is
// present, possibly empty, in every parsed ATR. Historical aliases the
// parsed input.
type ATR struct {
	TS         Convention
	Groups     []Group
	Historical []byte // at most 15 bytes
	TCK        byte   // check byte; meaningful when TCKRequired()
}

// Parse decodes an ATR per ISO/IEC 7816-3 §8. It checks TS, that every
// interface byte announced by T0 and the TDi is there, that exactly K
// historical bytes follow, and that TCK is present (and correct) if and
// only if a protocol other than T=0 is indicated (§8.2.5).
func Parse(b []byte) (ATR, error) {
	var a ATR
	if len(b) < 2 {
		return a, &Error{len(b), "TS and T0 expected, have " + strconv.Itoa(len(b)) + " bytes", ErrMalformed}
	}
	if len(b) > MaxLen {
		return a, &Error{MaxLen, "ATR longer than 33 bytes (ISO/IEC 7816-3 §8.2.1)", ErrMalformed}
	}
	a.TS = Convention(b[0])
	if a.TS != Direct && a.TS != Inverse {
		return a, &Error{0, "TS must be '3B' (direct) or '3F' (inverse), not " + hex2(b[0]), ErrMalformed}
	}
	y := b[1] >> 4
	k := int(b[1] & 0x0F)
	i := 2
	tckNeeded := false
	var groups [MaxLen]Group
	n := 0
	names := [4]string{"TA", "TB", "TC", "TD"}
	for {
		g := Group{Present: y}
		var fields [4]byte
		for bit := 0; bit < 4; bit++ {
			if y&(1<<bit) == 0 {
				continue
			}
			if i >= len(b) {
				return ATR{}, &Error{i, names[bit] + strconv.Itoa(n+1) + " announced but the ATR ends", ErrMalformed}
			}
			fields[bit] = b[i]
			i++
		}
		g.TA, g.TB, g.TC = fields[0], fields[1], fields[2]
		if y&HasTD != 0 {
			g.T = Protocol(fields[3] & 0x0F)
			if g.T != 0 {
				tckNeeded = true
			}
			y = fields[3] >> 4
		}
		groups[n] = g
		n++
		if g.Present&HasTD == 0 {
			break
		}
	}
	a.Groups = append(make([]Group, 0, n), groups[:n]...)
	if len(b) < i+k {
		return ATR{}, &Error{len(b), strconv.Itoa(k) + " historical bytes announced by T0, " + strconv.Itoa(len(b)-i) + " present", ErrMalformed}
	}
	a.Historical = b[i : i+k : i+k]
	i += k
	if !tckNeeded {
		if i != len(b) {
			return ATR{}, &Error{i, "bytes after the historical bytes, but TCK must be absent when only T=0 is indicated (ISO/IEC 7816-3 §8.2.5)", ErrMalformed}
		}
		return a, nil
	}
	if i == len(b) {
		return ATR{}, &Error{i, "TCK missing; it is mandatory when a protocol other than T=0 is indicated (ISO/IEC 7816-3 §8.2.5)", ErrMalformed}
	}
	if i+1 != len(b) {
		return ATR{}, &Error{i + 1, strconv.Itoa(len(b)-i-1) + " trailing bytes after TCK", ErrMalformed}
	}
	a.TCK = b[i]
	if x := xor(b[1:]); x != 0 {
		return ATR{}, &Error{i, "TCK " + hex2(a.TCK) + " wrong, expected " + hex2(a.TCK^x), ErrChecksum}
	}
	return a, nil
}

func xor(b []byte) byte {
	var x byte
	for _, c := range b {
		x ^= c
	}
	return x
}

// TCKRequired reports whether the ATR carries TCK: some TDi indicates a
// protocol other than T=0 (ISO/IEC 7816-3 §8.2.5).
func (a *ATR) TCKRequired() bool {
	for _, g := range a.Groups {
		if g.Present&HasTD != 0 && g.T != 0 {
			return true
		}
	}
	return false
}

// Append encodes the ATR and appends it to dst, computing T0, the Y
// nibbles of every TDi and TCK (ISO/IEC 7816-3 §8.2). Every group but the
// last must have TD and the last must not; at most 15 historical bytes; at
// most 33 bytes in all. An empty Groups means no interface bytes.
func (a *ATR) Append(dst []byte) ([]byte, error) {
	if a.TS != Direct && a.TS != Inverse {
		return dst, &Error{0, "TS must be '3B' or '3F'", ErrMalformed}
	}
	if len(a.Historical) > 15 {
		return dst, &Error{1, "more than 15 historical bytes", ErrMalformed}
	}
	groups := a.Groups
	if len(groups) == 0 {
		groups = []Group{{}}
	}
	for j, g := range groups {
		last := j == len(groups)-1
		if g.Present > 0x0F || (g.Present&HasTD != 0) == last || g.T > 15 {
			return dst, &Error{1, "group " + strconv.Itoa(j+1) + ": TD must be present in every group but the last", ErrMalformed}
		}
	}
	start := len(dst)
	dst = append(dst, byte(a.TS), groups[0].Present<<4|byte(len(a.Historical)))
	for j, g := range groups {
		if g.Present&HasTA != 0 {
			dst = append(dst, g.TA)
		}
		if g.Present&HasTB != 0 {
			dst = append(dst, g.TB)
		}
		if g.Present&HasTC != 0 {
			dst = append(dst, g.TC)
		}
		if g.Present&HasTD != 0 {
			dst = append(dst, groups[j+1].Present<<4|byte(g.T))
		}
	}
	dst = append(dst, a.Historical...)
	if a.TCKRequired() {
		dst = append(dst, xor(dst[start+1:]))
	}
	if len(dst)-start > MaxLen {
		return dst[:start], &Error{MaxLen, "encoded ATR longer than 33 bytes", ErrMalformed}
	}
	return dst, nil
}

// Bytes returns the encoded ATR, or nil if it cannot be encoded.
func (a *ATR) Bytes() []byte {
	b, err := a.Append(nil)
	if err != nil {
		return nil
	}
	return b
}

// Interface returns interface byte X ('A', 'B', 'C' or 'D') of group i
// (1-based), e.g. Interface('A', 1) for TA1, and whether it is present.
func (a *ATR) Interface(x byte, i int) (byte, bool) {
	if i < 1 || i > len(a.Groups) {
		return 0, false
	}
	g := a.Groups[i-1]
	switch x {
	case 'A':
		return g.TA, g.Present&HasTA != 0
	case 'B':
		return g.TB, g.Present&HasTB != 0
	case 'C':
		return g.TC, g.Present&HasTC != 0
	case 'D':
		if g.Present&HasTD == 0 || i >= len(a.Groups) {
			return 0, false
		}
		return a.Groups[i].Present<<4 | byte(g.T), true
	}
	return 0, false
}

// Protocols returns the protocols offered: the T of every TDi other than
// 15, or T=0 alone when TD1 is absent (ISO/IEC 7816-3 §8.2.3).
func (a *ATR) Protocols() ProtocolSet {
	var s ProtocolSet
	for _, g := range a.Groups {
		if g.Present&HasTD != 0 && g.T != 15 {
			s |= 1 << g.T
		}
	}
	if s == 0 {
		s = 1 // T=0 by default
	}
	return s
}

// GroupFor returns the first group of interface bytes specific to
// protocol t: group i ≥ 3 where TDi-1 indicates t (ISO/IEC 7816-3 §8.2.3).
// For t = 15 these are the global bytes (class indicator, clock stop).
func (a *ATR) GroupFor(t Protocol) (Group, bool) {
	for j := 2; j < len(a.Groups); j++ {
		if a.Groups[j-1].T == t {
			return a.Groups[j], true
		}
	}
	return Group{}, false
}

package ef

import (
	"strconv"
	"unicode/utf8"
)

// Alpha fields (SPN, alpha identifiers of ADN-like records, ECC) are coded
// per TS 31.102 Annex A / TS 102 221 Annex A: either the SMS default
// alphabet of TS 23.038 §6.2.1 with b8 = 0 (one character per byte), or
// one of three UCS2 forms introduced by '80', '81' or '82'. Unused bytes are
// 'FF'.

// gsm7 is the TS 23.038 §6.2.1 default alphabet, index = septet.
var gsm7 = [128]rune{
	'@', '£', '$', '¥', 'è', 'é', 'ù', 'ì', 'ò', 'Ç', '\n', 'Ø', 'ø', '\r', 'Å', 'å',
	'Δ', '_', 'Φ', 'Γ', 'Λ', 'Ω', 'Π', 'Ψ', 'Σ', 'Θ', 'Ξ', 0x1B, 'Æ', 'æ', 'ß', 'É',
	' ', '!', '"', '#', '¤', '%', '&', '\'', '(', ')', '*', '+', ',', '-', '.', '/',
	'0', '1', '2', '3', '4', '5', '6', '7', '8', '9', ':', ';', '<', '=', '>', '?',
	'¡', 'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L', 'M', 'N', 'O',
	'P', 'Q', 'R', 'S', 'T', 'U', 'V', 'W', 'X', 'Y', 'Z', 'Ä', 'Ö', 'Ñ', 'Ü', '§',
	'¿', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o',
	'p', 'q', 'r', 's', 't', 'u', 'v', 'w', 'x', 'y', 'z', 'ä', 'ö', 'ñ', 'ü', 'à',
}

// gsm7Ext is the default alphabet extension table of TS 23.038 §6.2.1.1,
// reached through the escape septet 1B.
var gsm7Ext = map[byte]rune{
	0x0A: '\f', 0x14: '^', 0x28: '{', 0x29: '}', 0x2F: '\\',
	0x3C: '[', 0x3D: '~', 0x3E: ']', 0x40: '|', 0x65: '€',
}

var gsm7Rev, gsm7ExtRev map[rune]byte

func init() {
	gsm7Rev = make(map[rune]byte, 128)
	for i, r := range gsm7 {
		if i != 0x1B {
			gsm7Rev[r] = byte(i)
		}
	}
	gsm7ExtRev = make(map[rune]byte, len(gsm7Ext))
	for k, r := range gsm7Ext {
		gsm7ExtRev[r] = k
	}
}

// AppendAlpha appends s coded as an alpha field of TS 31.102 Annex A: the
// SMS default alphabet (with its extension table) when every character has
// a septet, otherwise UCS2 with the '80' prefix. It does not pad.
// Characters outside the Basic Multilingual Plane cannot be coded and give
// an error wrapping ErrInvalid.
func AppendAlpha(dst []byte, s string) ([]byte, error) {
	if !utf8.ValidString(s) {
		return dst, invalid("alpha", "", "not valid UTF-8")
	}
	gsm := true
	for _, r := range s {
		if _, ok := gsm7Rev[r]; ok {
			continue
		}
		if _, ok := gsm7ExtRev[r]; ok {
			continue
		}
		gsm = false
		break
	}
	if gsm {
		for _, r := range s {
			if c, ok := gsm7Rev[r]; ok {
				dst = append(dst, c)
			} else {
				dst = append(dst, 0x1B, gsm7ExtRev[r])
			}
		}
		return dst, nil
	}
	dst = append(dst, 0x80)
	for _, r := range s {
		if r > 0xFFFF || r == 0xFFFF {
			return dst, invalid("alpha", "", "character "+strconv.QuoteRune(r)+" outside UCS2")
		}
		dst = append(dst, byte(r>>8), byte(r))
	}
	return dst, nil
}

// ParseAlpha decodes an alpha field of TS 31.102 Annex A (default alphabet,
// or UCS2 forms '80', '81', '82'), stopping at 'FF' padding.
func ParseAlpha(b []byte) (string, error) {
	if len(b) == 0 || b[0] == 0xFF {
		return "", nil
	}
	switch b[0] {
	case 0x80:
		b = b[1:]
		out := make([]rune, 0, len(b)/2)
		for i := 0; i+1 < len(b); i += 2 {
			u := rune(b[i])<<8 | rune(b[i+1])
			if u == 0xFFFF {
				break
			}
			out = append(out, u)
		}
		return string(out), nil
	case 0x81, 0x82:
		hdr := 3
		if b[0] == 0x82 {
			hdr = 4
		}
		if len(b) < hdr {
			return "", malformed("alpha", "UCS2 header", len(b), "truncated")
		}
		n := int(b[1])
		var base rune
		if b[0] == 0x81 {
			base = rune(b[2]) << 7
		} else {
			base = rune(b[2])<<8 | rune(b[3])
		}
		if n > len(b)-hdr {
			return "", malformed("alpha", "UCS2 length", 1, strconv.Itoa(n)+" characters, "+strconv.Itoa(len(b)-hdr)+" bytes present")
		}
		out := make([]rune, 0, n)
		for _, c := range b[hdr : hdr+n] {
			if c&0x80 != 0 {
				out = append(out, base+rune(c&0x7F))
			} else {
				out = append(out, gsm7[c])
			}
		}
		return string(out), nil
	}
	out := make([]rune, 0, len(b))
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c == 0xFF {
			break
		}
		if c&0x80 != 0 {
			return "", malformed("alpha", "", i, "byte "+strconv.FormatUint(uint64(c), 16)+" has b8 set in default-alphabet coding")
		}
		if c == 0x1B && i+1 < len(b) {
			if r, ok := gsm7Ext[b[i+1]]; ok {
				out = append(out, r)
				i++
				continue
			}
		}
		out = append(out, gsm7[c])
	}
	return string(out), nil
}

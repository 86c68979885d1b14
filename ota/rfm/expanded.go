package rfm

import (
	"fmt"
)

// Tags of the expanded format, ETSI TS 101 220 §7.2 and TS 102 226 §5.2.
const (
	TagCommandScript           = 0xAA // Command Scripting template, definite length
	TagResponseScript          = 0xAB // Response Scripting template, definite length
	TagCommandScriptIndefinite = 0xAE // Command Scripting template, indefinite length
	TagResponseIndefinite      = 0xAF // Response Scripting template, indefinite length
	TagCAPDU                   = 0x22 // C-APDU TLV
	TagRAPDU                   = 0x23 // R-APDU TLV
	TagImmediateAction         = 0x81 // Immediate Action TLV (command) / response (response)
	TagErrorAction             = 0x82 // Error Action TLV
	TagScriptChaining          = 0x83 // Script Chaining TLV (command) / response (response)
	TagExecuted                = 0x80 // Number of executed C-APDUs TLV (response)
	TagBadFormat               = 0x90 // Bad format TLV (response)
)

// Bad format codes of the Bad format TLV, TS 102 226 §5.2.2.
const (
	BadFormatUnknownTag    = 0x01 // unknown tag found
	BadFormatWrongLength   = 0x02 // wrong length found
	BadFormatLengthMissing = 0x03 // length not found
)

// Item is one TLV of a Command Scripting template: a C-APDU (22), an
// immediate action (81), an error action (82) or script chaining (83).
type Item struct {
	Tag   byte
	Value []byte
}

// CAPDU is a C-APDU item.
func CAPDU(cmd []byte) Item { return Item{TagCAPDU, cmd} }

func (it Item) String() string {
	name := map[byte]string{TagCAPDU: "C-APDU", TagImmediateAction: "immediate action",
		TagErrorAction: "error action", TagScriptChaining: "script chaining"}[it.Tag]
	if name == "" {
		name = fmt.Sprintf("tag %02X", it.Tag)
	}
	return fmt.Sprintf("%s % X", name, it.Value)
}

// appendLen appends a BER definite length (ISO/IEC 8825-1 §8.1.3, as
// TS 101 220 §7.1.1 limits it: 1, 2 or 3 octets).
func appendLen(dst []byte, n int) []byte {
	switch {
	case n < 0x80:
		return append(dst, byte(n))
	case n <= 0xFF:
		return append(dst, 0x81, byte(n))
	}
	return append(dst, 0x82, byte(n>>8), byte(n))
}

func lenLen(n int) int {
	switch {
	case n < 0x80:
		return 1
	case n <= 0xFF:
		return 2
	}
	return 3
}

// readLen reads a BER definite length at b[0]; 0x80 (indefinite) is
// reported as -1.
func readLen(b []byte) (n, size int, code byte) {
	if len(b) == 0 {
		return 0, 0, BadFormatLengthMissing
	}
	switch {
	case b[0] < 0x80:
		return int(b[0]), 1, 0
	case b[0] == 0x80:
		return -1, 1, 0
	case b[0] == 0x81 && len(b) >= 2 && b[1] >= 0x80:
		return int(b[1]), 2, 0
	case b[0] == 0x82 && len(b) >= 3 && b[1] != 0:
		return int(b[1])<<8 | int(b[2]), 3, 0
	case b[0] == 0x81 || b[0] == 0x82:
		if len(b) < int(b[0]-0x80)+1 {
			return 0, 0, BadFormatLengthMissing
		}
	}
	return 0, 0, BadFormatWrongLength
}

// AppendExpanded appends a Command Scripting template, TS 102 226 §5.2.1:
// AA with a definite length, or AE 80 ... 00 00 when indefinite.
func AppendExpanded(dst []byte, indefinite bool, items ...Item) ([]byte, error) {
	n := 0
	for _, it := range items {
		if len(it.Value) > 0xFFFF {
			return dst, fmt.Errorf("%w: item over 65535 octets", ErrFormat)
		}
		n += 1 + lenLen(len(it.Value)) + len(it.Value)
	}
	if indefinite {
		dst = append(dst, TagCommandScriptIndefinite, 0x80)
	} else {
		if n > 0xFFFF {
			return dst, fmt.Errorf("%w: script over 65535 octets", ErrFormat)
		}
		dst = appendLen(append(dst, TagCommandScript), n)
	}
	for _, it := range items {
		dst = appendLen(append(dst, it.Tag), len(it.Value))
		dst = append(dst, it.Value...)
	}
	if indefinite {
		dst = append(dst, 0, 0)
	}
	return dst, nil
}

// ExpandedScript is the content of a checked Command Scripting template;
// walk it with Next.
type ExpandedScript []byte

// FormatError is a malformed expanded script: the Bad format code the
// response reports, and where.
type FormatError struct {
	Code   byte // BadFormatUnknownTag, BadFormatWrongLength, BadFormatLengthMissing
	Offset int
}

func (e *FormatError) Error() string {
	what := map[byte]string{BadFormatUnknownTag: "unknown tag", BadFormatWrongLength: "wrong length",
		BadFormatLengthMissing: "length not found"}[e.Code]
	return fmt.Sprintf("%v: %s at octet %d", ErrFormat, what, e.Offset)
}

func (e *FormatError) Unwrap() error { return ErrFormat }

// ParseExpanded checks a Command Scripting template (AA definite or AE
// indefinite, TS 102 226 §5.2.1) and returns its content. It also reports
// whether the template was indefinite, which the response mirrors (AF).
func ParseExpanded(b []byte) (ExpandedScript, bool, error) {
	if len(b) < 2 {
		return nil, false, &FormatError{BadFormatLengthMissing, 0}
	}
	var body []byte
	indef := false
	switch b[0] {
	case TagCommandScript:
		n, sz, code := readLen(b[1:])
		if code != 0 || n < 0 {
			return nil, false, &FormatError{nz(code, BadFormatWrongLength), 1}
		}
		if 1+sz+n != len(b) {
			return nil, false, &FormatError{BadFormatWrongLength, 1}
		}
		body = b[1+sz:]
	case TagCommandScriptIndefinite:
		if b[1] != 0x80 || len(b) < 4 || b[len(b)-2] != 0 || b[len(b)-1] != 0 {
			return nil, false, &FormatError{BadFormatWrongLength, 1}
		}
		body, indef = b[2:len(b)-2], true
	default:
		return nil, false, &FormatError{BadFormatUnknownTag, 0}
	}
	off := len(b) - len(body)
	if indef {
		off = 2
	}
	for rest := body; len(rest) > 0; {
		switch rest[0] {
		case TagCAPDU, TagImmediateAction, TagErrorAction, TagScriptChaining:
		default:
			return nil, false, &FormatError{BadFormatUnknownTag, off}
		}
		n, sz, code := readLen(rest[1:])
		if code != 0 || n < 0 {
			return nil, false, &FormatError{nz(code, BadFormatWrongLength), off + 1}
		}
		if 1+sz+n > len(rest) {
			return nil, false, &FormatError{BadFormatWrongLength, off + 1}
		}
		rest = rest[1+sz+n:]
		off += 1 + sz + n
	}
	return ExpandedScript(body), indef, nil
}

func nz(code, def byte) byte {
	if code == 0 {
		return def
	}
	return code
}

// Next returns the first item and the rest; ok is false at the end.
func (s ExpandedScript) Next() (it Item, rest ExpandedScript, ok bool) {
	if len(s) < 2 {
		return Item{}, nil, false
	}
	n, sz, code := readLen(s[1:])
	if code != 0 || n < 0 || 1+sz+n > len(s) {
		return Item{}, nil, false
	}
	return Item{s[0], s[1+sz : 1+sz+n]}, s[1+sz+n:], true
}

// RunExpanded executes the C-APDUs of a Command Scripting template with ex
// and appends the Response Scripting template of TS 102 226 §5.2.2: AB (or
// AF 80 .. 00 00 for an indefinite script) holding the number of executed
// C-APDUs (80 01 n) and one R-APDU TLV (23) per executed C-APDU, stopping
// after the first failing one. A malformed script is answered with the
// Bad format TLV (90 01 code) and no command runs. Immediate action, error
// action and script chaining TLVs are accepted and skipped: they ask for
// proactive behaviour outside the file system.
func RunExpanded(dst []byte, script []byte, ex Executor) ([]byte, error) {
	body, indef, perr := ParseExpanded(script)
	start := len(dst)
	if indef {
		dst = append(dst, TagResponseIndefinite, 0x80)
	} else {
		dst = append(dst, TagResponseScript, 0, 0, 0) // length patched below
	}
	content := len(dst)
	dst = append(dst, TagExecuted, 1, 0)
	n := 0
	if perr != nil {
		fe := perr.(*FormatError)
		dst = append(dst, TagBadFormat, 1, fe.Code)
	} else {
		for s := body; len(s) > 0; {
			it, rest, _ := s.Next()
			s = rest
			if it.Tag != TagCAPDU {
				continue
			}
			// R-APDU TLV: 23, 3 length octets reserved, then the R-APDU.
			hdr := len(dst)
			rsp := ex.Exec(it.Value, append(dst, TagRAPDU, 0, 0, 0))
			if len(rsp) < hdr+4+2 {
				rsp = append(rsp[:hdr+4], 0x6F, 0x00)
			}
			dst = packTLV(rsp, hdr)
			n++
			sw := uint16(dst[len(dst)-2])<<8 | uint16(dst[len(dst)-1])
			if !Continues(sw) || n == 255 {
				break
			}
		}
	}
	dst[content+2] = byte(n)
	if indef {
		return append(dst, 0, 0), perr
	}
	// Patch AB's length into its three reserved octets and close the gap.
	return packTLV(dst, start), perr
}

// packTLV rewrites the 3 length octets reserved after the tag at b[at] to
// the minimal length form for the value after them, moving the value left.
func packTLV(b []byte, at int) []byte {
	vstart := at + 4
	n := len(b) - vstart
	ll := lenLen(n)
	appendLen(b[at+1:at+1], n) // writes the ll length octets in place
	copy(b[at+1+ll:], b[vstart:])
	return b[:at+1+ll+n]
}

// RAPDU is one R-APDU TLV of a Response Scripting template.
type RAPDU struct {
	Data []byte
	SW   uint16
}

// ExpandedResponse is a decoded Response Scripting template, TS 102 226
// §5.2.2.
type ExpandedResponse struct {
	Executed        int     // number of executed C-APDUs (TLV 80)
	Responses       []RAPDU // R-APDU TLVs (23) in order
	BadFormat       byte    // Bad format code (TLV 90), 0 if absent
	ImmediateAction []byte  // Immediate Action Response TLV (81), if present
	ScriptChaining  []byte  // Script Chaining Response TLV (83), if present
}

// Last returns the last R-APDU, if any.
func (r *ExpandedResponse) Last() (RAPDU, bool) {
	if len(r.Responses) == 0 {
		return RAPDU{}, false
	}
	return r.Responses[len(r.Responses)-1], true
}

// ParseExpandedResponse decodes a Response Scripting template (AB definite
// or AF indefinite), TS 102 226 §5.2.2. Data slices alias b.
func ParseExpandedResponse(b []byte) (ExpandedResponse, error) {
	var r ExpandedResponse
	if len(b) < 2 {
		return r, fmt.Errorf("%w: response template too short", ErrFormat)
	}
	var body []byte
	switch b[0] {
	case TagResponseScript:
		n, sz, code := readLen(b[1:])
		if code != 0 || n < 0 || 1+sz+n != len(b) {
			return r, fmt.Errorf("%w: AB length does not match the %d octets", ErrFormat, len(b))
		}
		body = b[1+sz:]
	case TagResponseIndefinite:
		if b[1] != 0x80 || len(b) < 4 || b[len(b)-2] != 0 || b[len(b)-1] != 0 {
			return r, fmt.Errorf("%w: AF template not closed by 00 00", ErrFormat)
		}
		body = b[2 : len(b)-2]
	default:
		return r, fmt.Errorf("%w: tag %02X is not a Response Scripting template", ErrFormat, b[0])
	}
	seen := false
	for s := ExpandedScript(body); len(s) > 0; {
		it, rest, ok := s.Next()
		if !ok {
			return r, fmt.Errorf("%w: bad TLV at octet %d", ErrFormat, len(b)-len(s))
		}
		s = rest
		switch it.Tag {
		case TagExecuted:
			if len(it.Value) != 1 {
				return r, fmt.Errorf("%w: number of executed C-APDUs has %d octets", ErrFormat, len(it.Value))
			}
			r.Executed, seen = int(it.Value[0]), true
		case TagRAPDU:
			if len(it.Value) < 2 {
				return r, fmt.Errorf("%w: R-APDU without status word", ErrFormat)
			}
			v := it.Value
			r.Responses = append(r.Responses, RAPDU{v[:len(v)-2], uint16(v[len(v)-2])<<8 | uint16(v[len(v)-1])})
		case TagBadFormat:
			if len(it.Value) != 1 || it.Value[0] == 0 {
				return r, fmt.Errorf("%w: bad format TLV must hold one non-zero code", ErrFormat)
			}
			r.BadFormat = it.Value[0]
		case TagImmediateAction:
			r.ImmediateAction = it.Value
		case TagScriptChaining:
			r.ScriptChaining = it.Value
		default:
			return r, fmt.Errorf("%w: unknown tag %02X in the response", ErrFormat, it.Tag)
		}
	}
	if !seen {
		return r, fmt.Errorf("%w: number of executed C-APDUs (80) missing", ErrFormat)
	}
	return r, nil
}

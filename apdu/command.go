package apdu

import "fmt"

// Case is the form of a command APDU, ISO/IEC 7816-3 §12.1.2 Table 12.
type Case uint8

// The seven cases of ISO/IEC 7816-3 §12.1.2.
const (
	Case1  Case = 1 // no data, no Le
	Case2S Case = 2 // short Le
	Case3S Case = 3 // short Lc and data
	Case4S Case = 4 // short Lc, data and Le
	Case2E Case = 5 // extended Le
	Case3E Case = 6 // extended Lc and data
	Case4E Case = 7 // extended Lc, data and Le
)

var caseNames = [...]string{"", "case 1", "case 2S", "case 3S", "case 4S", "case 2E", "case 3E", "case 4E"}

// String names the case as ISO/IEC 7816-3 does ("case 4S").
func (c Case) String() string {
	if int(c) < len(caseNames) && c != 0 {
		return caseNames[c]
	}
	return "case(" + itoa(int(c)) + ")"
}

// Extended reports whether the case uses the extended length fields.
func (c Case) Extended() bool { return c >= Case2E }

// MaxNe is the largest expected length, Le = 0000 in extended form
// (ISO/IEC 7816-3 §12.1.3).
const MaxNe = 65536

// MaxShortNe is the largest expected length in short form, Le = 00.
const MaxShortNe = 256

// Command is a command APDU, ISO/IEC 7816-3 §12.1 and ISO/IEC 7816-4 §5.1.
//
// Nc is len(Data). Ne is the maximum number of response data bytes expected:
// 0 when the command has no Le field, 1..256 for a short Le (Le=00 is 256),
// 1..65536 for an extended Le (Le=0000 is 65536). A Command returned by
// ParseCommand aliases the parsed bytes.
type Command struct {
	CLA, INS, P1, P2 byte
	Data             []byte
	Ne               int
	// Extended forces the extended-length form even when Nc ≤ 255 and
	// Ne ≤ 256. ParseCommand sets it when the input used extended lengths.
	Extended bool
}

// Case returns the command's form: the case that Append will produce.
func (c *Command) Case() Case {
	ext := c.Extended || len(c.Data) > 255 || c.Ne > MaxShortNe
	switch {
	case len(c.Data) == 0 && c.Ne == 0:
		return Case1
	case len(c.Data) == 0 && !ext:
		return Case2S
	case len(c.Data) == 0:
		return Case2E
	case c.Ne == 0 && !ext:
		return Case3S
	case c.Ne == 0:
		return Case3E
	case !ext:
		return Case4S
	default:
		return Case4E
	}
}

// Nc returns the number of command data bytes.
func (c *Command) Nc() int { return len(c.Data) }

// Class decodes the command's class byte.
func (c *Command) Class() CLA { return CLA(c.CLA) }

// ParseCommand decodes a command APDU per ISO/IEC 7816-3 §12.1.3. The result
// aliases b; no memory is allocated on success. Every byte sequence that
// fits none of the seven cases is rejected with a *ParseError wrapping
// ErrMalformed whose Offset points at the offending byte: a header shorter
// than 4 bytes, an Lc that disagrees with the number of bytes that follow,
// trailing bytes after Le, an extended Lc followed by a short Le, an
// extended Lc of 0000, and a lone 00 (extended marker) without its two
// length bytes.
func ParseCommand(b []byte) (Command, error) {
	var c Command
	if len(b) < 4 {
		return c, &ParseError{len(b), "header needs 4 bytes, have " + itoa(len(b)), ErrMalformed}
	}
	c.CLA, c.INS, c.P1, c.P2 = b[0], b[1], b[2], b[3]
	body := b[4:]
	switch {
	case len(body) == 0: // case 1
		return c, nil
	case len(body) == 1: // case 2S
		c.Ne = shortLen(body[0])
		return c, nil
	case body[0] != 0: // case 3S or 4S
		lc := int(body[0])
		switch n := len(body) - 1; {
		case n == lc:
			c.Data = body[1:]
		case n == lc+1:
			c.Data = body[1 : 1+lc]
			c.Ne = shortLen(body[1+lc])
		case n < lc:
			return Command{}, &ParseError{4, fmt.Sprintf("short Lc=%d announces %d data bytes but only %d follow", lc, lc, n), ErrMalformed}
		default:
			return Command{}, &ParseError{6 + lc, fmt.Sprintf("%d trailing bytes after short Lc=%d, data and Le", n-lc-1, lc), ErrMalformed}
		}
		return c, nil
	}
	// body[0] == 0 and at least two body bytes: extended form.
	c.Extended = true
	if len(body) < 3 {
		return Command{}, &ParseError{4, fmt.Sprintf("extended length marker 00 needs 2 more length bytes, have %d", len(body)-1), ErrMalformed}
	}
	n := int(body[1])<<8 | int(body[2])
	if len(body) == 3 { // case 2E
		c.Ne = extLen(n)
		return c, nil
	}
	if n == 0 {
		return Command{}, &ParseError{5, "extended Lc=0000 is not allowed before data", ErrMalformed}
	}
	switch rest := len(body) - 3; {
	case rest == n:
		c.Data = body[3:]
	case rest == n+2:
		c.Data = body[3 : 3+n]
		c.Ne = extLen(int(body[3+n])<<8 | int(body[4+n]))
	case rest == n+1:
		return Command{}, &ParseError{7 + n, "extended Lc followed by a short (1-byte) Le", ErrMalformed}
	case rest < n:
		return Command{}, &ParseError{5, fmt.Sprintf("extended Lc=%d announces %d data bytes but only %d follow", n, n, rest), ErrMalformed}
	default:
		return Command{}, &ParseError{9 + n, fmt.Sprintf("%d trailing bytes after extended Lc=%d, data and Le", rest-n-2, n), ErrMalformed}
	}
	return c, nil
}

func shortLen(b byte) int {
	if b == 0 {
		return MaxShortNe
	}
	return int(b)
}

func extLen(n int) int {
	if n == 0 {
		return MaxNe
	}
	return n
}

// Append encodes the command per ISO/IEC 7816-3 §12.1.3 and appends it to
// dst. It chooses the short form unless Extended is set or the lengths need
// the extended one. ParseCommand of the result gives back the same command.
func (c *Command) Append(dst []byte) ([]byte, error) {
	if len(c.Data) > 65535 {
		return dst, fmt.Errorf("%w: Nc=%d exceeds 65535", ErrTooLong, len(c.Data))
	}
	if c.Ne < 0 || c.Ne > MaxNe {
		return dst, fmt.Errorf("%w: Ne=%d outside 0..65536", ErrTooLong, c.Ne)
	}
	dst = append(dst, c.CLA, c.INS, c.P1, c.P2)
	switch c.Case() {
	case Case1:
	case Case2S:
		dst = append(dst, byte(c.Ne))
	case Case3S:
		dst = append(dst, byte(len(c.Data)))
		dst = append(dst, c.Data...)
	case Case4S:
		dst = append(dst, byte(len(c.Data)))
		dst = append(dst, c.Data...)
		dst = append(dst, byte(c.Ne))
	case Case2E:
		dst = append(dst, 0, byte(c.Ne>>8), byte(c.Ne))
	case Case3E:
		dst = append(dst, 0, byte(len(c.Data)>>8), byte(len(c.Data)))
		dst = append(dst, c.Data...)
	case Case4E:
		dst = append(dst, 0, byte(len(c.Data)>>8), byte(len(c.Data)))
		dst = append(dst, c.Data...)
		dst = append(dst, byte(c.Ne>>8), byte(c.Ne))
	}
	return dst, nil
}

// Bytes returns the encoded command; it panics only if the lengths cannot be
// encoded, which Append reports as an error.
func (c *Command) Bytes() []byte {
	b, err := c.Append(make([]byte, 0, 9+len(c.Data)))
	if err != nil {
		panic(err)
	}
	return b
}

// String renders the command as hex of its header, Lc/data and Le, e.g.
// "00A40004 02 3F00 00".
func (c Command) String() string {
	s := fmt.Sprintf("%02X%02X%02X%02X", c.CLA, c.INS, c.P1, c.P2)
	if len(c.Data) > 0 {
		s += fmt.Sprintf(" Lc=%d %X", len(c.Data), c.Data)
	}
	if c.Ne > 0 {
		s += fmt.Sprintf(" Ne=%d", c.Ne)
	}
	return s
}

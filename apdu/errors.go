package apdu

import "errors"

// Sentinel errors wrapped by the parsers and builders of this package; test
// with errors.Is.
var (
	// ErrMalformed reports a command APDU whose bytes fit none of the seven
	// cases of ISO/IEC 7816-3 §12.1.3.
	ErrMalformed = errors.New("apdu: malformed command APDU")
	// ErrTooLong reports a body too long for the chosen encoding (Nc > 65535,
	// Ne > 65536, or Nc > 255 / Ne > 256 in short form).
	ErrTooLong = errors.New("apdu: field too long")
	// ErrShortResponse reports a response APDU without its two status bytes.
	ErrShortResponse = errors.New("apdu: response shorter than SW1 SW2")
)

// ParseError says what was wrong with a command APDU and at which byte.
type ParseError struct {
	Offset int    // index of the offending byte in the input
	Reason string // what the parser expected
	Err    error  // the sentinel, ErrMalformed or ErrTooLong
}

// Error gives the sentinel, the byte offset and the reason.
func (e *ParseError) Error() string {
	return e.Err.Error() + " at byte " + itoa(e.Offset) + ": " + e.Reason
}

// Unwrap returns the sentinel, for errors.Is.
func (e *ParseError) Unwrap() error { return e.Err }

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	neg := n < 0
	if neg {
		n = -n
	}
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}

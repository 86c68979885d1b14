package tlv

import (
	"errors"
	"strconv"
)

// Sentinel errors; test with errors.Is. Every decoding *Error wraps
// ErrMalformed and one of ErrTruncated, ErrInvalidTag, ErrInvalidLength and
// ErrUnexpectedTag; a Builder's length overflow wraps ErrTooLong alone.
var (
	// ErrMalformed is wrapped by every decoding error of this package.
	ErrMalformed = errors.New("tlv: malformed")
	// ErrTruncated reports a tag, length or value running past the end of
	// its enclosing data.
	ErrTruncated = errors.New("tlv: truncated")
	// ErrInvalidTag reports a tag field that breaks ISO/IEC 8825-1 §8.1.2
	// (BER-TLV) or ETSI TS 101 220 §7.1.1.2 (COMPREHENSION-TLV).
	ErrInvalidTag = errors.New("tlv: invalid tag")
	// ErrInvalidLength reports a length field outside ETSI TS 101 220
	// §7.1.2: indefinite, longer than the form allows, or not minimal.
	ErrInvalidLength = errors.New("tlv: invalid length")
	// ErrUnexpectedTag reports an object whose tag is not the one the
	// caller required (ReadExpectBER, ReadExpectComprehension).
	ErrUnexpectedTag = errors.New("tlv: unexpected tag")
	// ErrTooLong reports a value too long for the length field the
	// encoding allows (Builder).
	ErrTooLong = errors.New("tlv: value too long")
)

// Error describes a malformed TLV object: what was wrong and where.
type Error struct {
	Offset int    // byte offset in the outermost input where the problem starts
	Reason string // what the decoder expected
	Err    error  // the sentinel: ErrTruncated, ErrInvalidTag, ...
}

// Error gives the sentinel, the byte offset and the reason.
func (e *Error) Error() string {
	return e.Err.Error() + " at byte " + strconv.Itoa(e.Offset) + ": " + e.Reason
}

// Unwrap returns the specific sentinel and ErrMalformed, so that errors.Is
// matches either.
func (e *Error) Unwrap() []error {
	if e.Err == ErrTooLong {
		return []error{e.Err}
	}
	return []error{e.Err, ErrMalformed}
}

package sms

import (
	"errors"
	"strconv"
)

// Sentinel errors wrapped by every parser and builder of this package.
var (
	// ErrTruncated reports input that ends before a field the TPDU needs.
	ErrTruncated = errors.New("sms: truncated")
	// ErrLength reports a length field (TP-UDL, UDHL, IEDL, address length)
	// inconsistent with the octets present, or data too long for one TPDU.
	ErrLength = errors.New("sms: length mismatch")
	// ErrInvalid reports a field whose value the specification does not allow
	// (wrong TP-MTI, a non-BCD time stamp digit, a bad concatenation IE).
	ErrInvalid = errors.New("sms: invalid value")
)

// Error says which field was wrong and at which octet of the input.
type Error struct {
	Field  string // the TS 23.040 field name, e.g. "TP-UDL"
	Offset int    // octet offset in the parsed input, -1 when building
	Reason string
	Err    error // one of the sentinels
}

func (e *Error) Error() string {
	s := e.Err.Error() + ": " + e.Field
	if e.Offset >= 0 {
		s += " at octet " + strconv.Itoa(e.Offset)
	}
	if e.Reason != "" {
		s += ": " + e.Reason
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

func errAt(sentinel error, field string, off int, reason string) error {
	return &Error{Field: field, Offset: off, Reason: reason, Err: sentinel}
}

package ef

import (
	"errors"
	"strconv"
)

// Sentinel errors; test with errors.Is.
var (
	// ErrMalformed reports EF content that does not follow its clause.
	ErrMalformed = errors.New("ef: malformed content")
	// ErrEmpty reports EF content that is erased or unset (all 'FF'), which
	// the specs use for "no value" (e.g. an empty EF_MSISDN record).
	ErrEmpty = errors.New("ef: empty content")
	// ErrInvalid reports a value that cannot be encoded (e.g. a 16-digit IMSI).
	ErrInvalid = errors.New("ef: invalid value")
)

// Error says which file and field was wrong, at which byte offset when known,
// and wraps ErrMalformed, ErrEmpty or ErrInvalid.
type Error struct {
	File   string // e.g. "EF_IMSI"
	Field  string // e.g. "length"
	Offset int    // byte offset in the content, -1 when not applicable
	Reason string
	Err    error
}

// Error formats "FILE: field at byte N: reason (sentinel)".
func (e *Error) Error() string {
	s := e.File
	if e.Field != "" {
		s += ": " + e.Field
	}
	if e.Offset >= 0 {
		s += " at byte " + strconv.Itoa(e.Offset)
	}
	if e.Reason != "" {
		s += ": " + e.Reason
	}
	return s + " (" + e.Err.Error() + ")"
}

// Unwrap returns the sentinel.
func (e *Error) Unwrap() error { return e.Err }

func malformed(file, field string, off int, reason string) error {
	return &Error{File: file, Field: field, Offset: off, Reason: reason, Err: ErrMalformed}
}

func invalid(file, field, reason string) error {
	return &Error{File: file, Field: field, Offset: -1, Reason: reason, Err: ErrInvalid}
}

func empty(file string) error {
	return &Error{File: file, Offset: -1, Reason: "erased (all FF)", Err: ErrEmpty}
}

// allFF reports whether b is non-empty and every byte is 'FF'.
func allFF(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	for _, c := range b {
		if c != 0xFF {
			return false
		}
	}
	return true
}

// trimFF returns b without its trailing 'FF' padding.
func trimFF(b []byte) []byte {
	for len(b) > 0 && b[len(b)-1] == 0xFF {
		b = b[:len(b)-1]
	}
	return b
}

// PadFF appends n-len(content) bytes 'FF' after content to fill a record or
// file of n bytes (the unused-byte value of TS 102 221 §8 and TS 31.102
// Annex A); content longer than n is returned unchanged.
func PadFF(dst []byte, n int) []byte {
	for len(dst) < n {
		dst = append(dst, 0xFF)
	}
	return dst
}

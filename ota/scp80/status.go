package scp80

import (
	"errors"
	"strconv"
)

// Status is the Response Status Code of a PoR, TS 102 225 §5.1.2 table 5.
// It implements error so that a failure to open a command carries the
// status the PoR must report (errors.As / StatusOf).
type Status byte

// Response status codes, TS 102 225 §5.1.2.
const (
	StatusOK                   Status = 0x00 // PoR OK
	StatusRCCCDSFailed         Status = 0x01 // RC/CC/DS failed
	StatusCounterLow           Status = 0x02 // CNTR low
	StatusCounterHigh          Status = 0x03 // CNTR high
	StatusCounterBlocked       Status = 0x04 // CNTR blocked
	StatusCipheringError       Status = 0x05 // ciphering error
	StatusUnidentifiedSecurity Status = 0x06 // unidentified security error
	StatusInsufficientMemory   Status = 0x07 // insufficient memory to process incoming message
	StatusMoreTime             Status = 0x08 // this status code "more time" should be used if the RE needs more time
	StatusTARUnknown           Status = 0x09 // TAR unknown
	StatusInsufficientSecurity Status = 0x0A // insufficient security level
	StatusDataBySMSSubmit      Status = 0x0B // actual response data to be sent using SMS-SUBMIT (TS 31.115)
	statusFirstReserved        Status = 0x0C
)

var statusNames = [...]string{
	"PoR OK", "RC/CC/DS failed", "CNTR low", "CNTR high", "CNTR blocked", "ciphering error",
	"unidentified security error", "insufficient memory to process incoming message", "more time",
	"TAR unknown", "insufficient security level", "actual response data to be sent using SMS-SUBMIT",
}

func (s Status) String() string {
	if s < statusFirstReserved {
		return statusNames[s] + " (" + hexs([]byte{byte(s)}) + ")"
	}
	return "reserved status " + hexs([]byte{byte(s)})
}

// Error is String, so that a Status prints the same as value and as error.
func (s Status) Error() string { return s.String() }

// Error says what was wrong with a packet, where, and which PoR status
// reports it.
type Error struct {
	Status Status // the PoR status code a receiving entity answers
	Field  string // the TS 102 225 field, e.g. "CHL"
	Offset int    // octet offset in the packet, -1 when not applicable
	Reason string
	Err    error // a sentinel: ErrMalformed, ErrUnsupported, ErrKey, or nil
}

func (e *Error) Error() string {
	s := "scp80: " + e.Field
	if e.Offset >= 0 {
		s += " at octet " + strconv.Itoa(e.Offset)
	}
	s += ": " + e.Reason + " (PoR status " + e.Status.String() + ")"
	return s
}

// Unwrap returns the Status and the sentinel, so errors.Is matches both.
func (e *Error) Unwrap() []error {
	if e.Err != nil {
		return []error{e.Status, e.Err}
	}
	return []error{e.Status}
}

// Sentinels wrapped (besides a Status) by the package's errors.
var (
	// ErrMalformed: a length or header field is inconsistent.
	ErrMalformed = errors.New("scp80: malformed packet")
	// ErrUnsupported: DS, a proprietary or reserved algorithm, DES-ECB.
	ErrUnsupported = errors.New("scp80: unsupported security option")
	// ErrKey: a key is missing, of the wrong length, or for another algorithm.
	ErrKey = errors.New("scp80: key unusable")
)

// StatusOf returns the PoR status an error from this package calls for:
// StatusOK for nil, StatusUnidentifiedSecurity for foreign errors.
func StatusOf(err error) Status {
	if err == nil {
		return StatusOK
	}
	var s Status
	if errors.As(err, &s) {
		return s
	}
	return StatusUnidentifiedSecurity
}

func fail(st Status, sentinel error, field string, off int, reason string) error {
	return &Error{Status: st, Field: field, Offset: off, Reason: reason, Err: sentinel}
}

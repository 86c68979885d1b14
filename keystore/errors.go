package keystore

import "errors"

// Sentinel errors of the package; every error returned wraps one of them and
// can be tested with errors.Is.
var (
	// ErrExhausted reports a switch requested while the active pair is the
	// last of the list: TR 33.812 §5.3.2.2 step 9, "until the list of unused
	// K/OTA key pairs is exhausted".
	ErrExhausted = errors.New("keystore: key pair list exhausted")
	// ErrBackward reports a move to the active index or an earlier one; the
	// list of TR 33.812 §5.3.2.2 step 5 only moves to a later pair.
	ErrBackward = errors.New("keystore: index does not move forward")
	// ErrIndexOutOfRange reports an index outside the list.
	ErrIndexOutOfRange = errors.New("keystore: index out of range")
	// ErrInvalid reports a pair or key set that breaks a rule of this
	// package (index order, algorithm, key version number, counter range).
	ErrInvalid = errors.New("keystore: invalid key material")
	// ErrMalformed reports an encoding that cannot be parsed: unknown
	// version, truncated field, trailing bytes, or an invalid value.
	ErrMalformed = errors.New("keystore: malformed encoding")
	// ErrWiped reports access to a pair that was left behind and wiped.
	ErrWiped = errors.New("keystore: key pair wiped")
)

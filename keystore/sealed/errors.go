package sealed

import "errors"

// Sentinel errors; every error of the package wraps one of them (or an
// error of bbolt or the operating system) and names the bucket and key.
var (
	// ErrNotFound reports a key absent from its bucket.
	ErrNotFound = errors.New("sealed: record not found")
	// ErrCorrupt reports a record that fails to parse or to authenticate:
	// tampered, moved to another key, or of another kind than expected.
	ErrCorrupt = errors.New("sealed: record corrupt or tampered")
	// ErrWrongKey reports a master key that does not open the store.
	ErrWrongKey = errors.New("sealed: wrong master key")
	// ErrBadName reports an empty or over-long bucket name or key.
	ErrBadName = errors.New("sealed: bad bucket name or key")
)

package milenage

import "errors"

// Sentinel errors wrapped by this package; test with errors.Is.
var (
	// ErrMACFailure reports an AUTN whose MAC-A does not verify
	// (TS 33.102 §6.3.3: the USIM answers "user authentication reject",
	// on the card SW 9862).
	ErrMACFailure = errors.New("milenage: MAC failure")
	// ErrSyncFailure reports an AUTN whose MAC-A verifies but whose SQN is not
	// acceptable (TS 33.102 §6.3.3, Annex C.2); the USIM answers with AUTS.
	ErrSyncFailure = errors.New("milenage: synchronisation failure")
	// ErrInvalidAUTS reports an AUTS whose MAC-S does not verify at the
	// HE/AuC (TS 33.102 §6.3.5).
	ErrInvalidAUTS = errors.New("milenage: AUTS MAC-S does not verify")
	// ErrLength reports an input of the wrong length.
	ErrLength = errors.New("milenage: wrong length")
	// ErrParam reports a configuration parameter out of range.
	ErrParam = errors.New("milenage: parameter out of range")
	// ErrSQNExhausted reports a sequence number that cannot be advanced
	// without leaving the 48-bit SQN space (TS 33.102 Annex C.1.1).
	ErrSQNExhausted = errors.New("milenage: sequence numbers exhausted")
	// ErrState reports a persisted SQN state that does not parse.
	ErrState = errors.New("milenage: bad SQN state")
)

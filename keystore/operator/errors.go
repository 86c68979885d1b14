package operator

import "errors"

// Sentinel errors; every error of the package wraps one of them (or an error
// of the escrow, the sealed store, the card client or the OTA server) and
// names the subscriber.
var (
	// ErrUnknownSubscriber reports an ICCID the operator holds no record
	// for: never onboarded, or handed over to another operator.
	ErrUnknownSubscriber = errors.New("operator: unknown subscriber")
	// ErrSubscriberExists reports an onboarding of an ICCID already held.
	ErrSubscriberExists = errors.New("operator: subscriber already exists")
	// ErrAuthRejected reports a card that refused the network's AUTN:
	// MAC failure, SW 9862 (TS 33.102 §6.3.3, TS 31.102 §7.1.2.1), the
	// answer a card gives an operator that does not hold its K.
	ErrAuthRejected = errors.New("operator: card rejected the network (MAC failure)")
	// ErrAuthFailed reports a RES that does not match XRES (TS 33.102
	// §6.3.4), or a card that keeps answering synchronisation failures.
	ErrAuthFailed = errors.New("operator: subscriber authentication failed")
	// ErrMalformed reports a stored record or a handover that does not
	// decode.
	ErrMalformed = errors.New("operator: malformed record")
	// ErrInvalid reports an argument that breaks a rule of the package
	// (IMSI, PLMN, key set).
	ErrInvalid = errors.New("operator: invalid argument")
	// ErrHandover reports a sealed handover that does not open: not
	// addressed to this operator, not from the claimed sender, or altered.
	ErrHandover = errors.New("operator: handover does not open")
)

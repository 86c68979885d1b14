package escrow

import (
	"errors"

	"github.com/uiccsim/uiccsim/keystore"
)

// Sentinel errors; every error of the package wraps one of them and names
// the ICCID, index and operators involved. Refusals of Release and
// ReportSwitch are also written to the audit log.
var (
	// ErrNotOwner reports an operator asking for a pair, or reporting a
	// switch, for a card index it is not the recorded owner of — including
	// an index no switch has been reported to yet (TR 33.812 §5.3.2.2
	// step 7).
	ErrNotOwner = errors.New("escrow: operator is not the recorded owner")
	// ErrUnknownCard reports an ICCID the escrow never personalised.
	ErrUnknownCard = errors.New("escrow: unknown card")
	// ErrUnknownOperator reports an operator that has not registered a key.
	ErrUnknownOperator = errors.New("escrow: unknown operator")
	// ErrRetired reports a pair the card has moved past: the escrow
	// destroyed it at the switch, as the card wiped it.
	ErrRetired = errors.New("escrow: key pair retired")
	// ErrCardExists reports a batch that would personalise an ICCID twice.
	ErrCardExists = errors.New("escrow: card already personalised")
	// ErrOperatorExists reports a registration that would replace an
	// operator's key with another one.
	ErrOperatorExists = errors.New("escrow: operator already registered with another key")
	// ErrInvalid reports a malformed ICCID, operator ID or batch.
	ErrInvalid = errors.New("escrow: invalid argument")
	// ErrMalformed reports a stored record or a release that does not
	// decode.
	ErrMalformed = errors.New("escrow: malformed record")

	// ErrIndexOutOfRange is keystore.ErrIndexOutOfRange: an index beyond
	// the card's list.
	ErrIndexOutOfRange = keystore.ErrIndexOutOfRange
	// ErrExhausted is keystore.ErrExhausted: a switch reported for a card
	// whose last pair is active (TR 33.812 §5.3.2.2 step 9).
	ErrExhausted = keystore.ErrExhausted
	// ErrBackward is keystore.ErrBackward: a switch to the active index or
	// an earlier one.
	ErrBackward = keystore.ErrBackward
)

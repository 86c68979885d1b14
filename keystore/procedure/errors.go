package procedure

import (
	"errors"

	"github.com/uiccsim/uiccsim/keystore"
)

// Sentinel errors; every per-device failure wraps one of them.
var (
	// ErrOffline reports a device that could not be reached or answered
	// no verifiable PoR: it stays with the old operator and is retried.
	ErrOffline = errors.New("procedure: device offline (no proof of receipt)")
	// ErrPoR reports a PoR whose status is not "PoR OK" (ETSI TS 102 225
	// §5.1.2): the card refused the secured packet.
	ErrPoR = errors.New("procedure: card refused the secured packet")
	// ErrRefused reports a command the card ran and refused (a status word
	// other than 9000 in the PoR's response data).
	ErrRefused = errors.New("procedure: card refused the command")
	// ErrExhausted is keystore.ErrExhausted: the card's key-pair list has
	// no pair left (TR 33.812 §5.3.2.2 step 9, SW 6A84 in the PoR).
	ErrExhausted = keystore.ErrExhausted
	// ErrEscrow reports an escrow refusal (not the recorded owner, a
	// retired pair, ...).
	ErrEscrow = errors.New("procedure: escrow refused")
	// ErrVerify reports a device that did not authenticate to its new
	// operator, or still authenticated with its old operator's keys.
	ErrVerify = errors.New("procedure: verification failed")
	// ErrInvalid reports a campaign that cannot start (unknown device,
	// same operator twice, no escrow for 3b).
	ErrInvalid = errors.New("procedure: invalid campaign")
)

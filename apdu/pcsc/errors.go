package pcsc

import (
	"errors"
	"fmt"
)

// Sentinel errors; every error of this package wraps one of them (and, for
// PC/SC failures, the scard.Error with the SCARD_E_/SCARD_W_ code of PC/SC
// part 5 §3.1.4 / pcsc-lite's pcsclite.h). Test with errors.Is.
var (
	// ErrNoCGO reports a binary built without cgo, which PC/SC needs.
	ErrNoCGO = errors.New("uiccsim built without cgo: PC/SC needs cgo and libpcsclite")
	// ErrNoService reports that the PC/SC resource manager (pcscd) is not
	// running: SCARD_E_NO_SERVICE, SCARD_E_SERVICE_STOPPED.
	ErrNoService = errors.New("pcsc: PC/SC service (pcscd) not running")
	// ErrNoReader reports an unknown or unavailable reader, or no reader at
	// all: SCARD_E_UNKNOWN_READER, SCARD_E_READER_UNAVAILABLE,
	// SCARD_E_NO_READERS_AVAILABLE.
	ErrNoReader = errors.New("pcsc: no such reader")
	// ErrNoCard reports an empty reader: SCARD_E_NO_SMARTCARD.
	ErrNoCard = errors.New("pcsc: no card in reader")
	// ErrCardRemoved reports a card removed since it was connected:
	// SCARD_W_REMOVED_CARD.
	ErrCardRemoved = errors.New("pcsc: card removed")
	// ErrCardReset reports a card reset by another application since it was
	// connected: SCARD_W_RESET_CARD. Reset the card (or reconnect) to go on.
	ErrCardReset = errors.New("pcsc: card was reset")
	// ErrCardUnresponsive reports a card that does not answer its reset or is
	// unpowered: SCARD_W_UNRESPONSIVE_CARD, SCARD_W_UNPOWERED_CARD.
	ErrCardUnresponsive = errors.New("pcsc: card unresponsive or unpowered")
	// ErrTimeout reports a wait that ran out: SCARD_E_TIMEOUT.
	ErrTimeout = errors.New("pcsc: timeout")
	// ErrShortCommand reports a command APDU shorter than CLA INS P1 P2
	// (ISO/IEC 7816-3 §12.1.2); such a command is never sent.
	ErrShortCommand = errors.New("pcsc: command APDU shorter than its 4-byte header")
	// ErrClosed reports use of a Card or Context after Close.
	ErrClosed = errors.New("pcsc: use of closed handle")
	// ErrPCSC wraps every other PC/SC failure.
	ErrPCSC = errors.New("pcsc: PC/SC failure")
)

// Protocol is a transmission protocol of ISO/IEC 7816-3 as PC/SC part 5
// names them (SCARD_PROTOCOL_T0, SCARD_PROTOCOL_T1).
type Protocol uint32

// The protocols Connect may ask for.
const (
	T0  Protocol = 1       // character protocol T=0, ISO/IEC 7816-3 §10
	T1  Protocol = 2       // block protocol T=1, ISO/IEC 7816-3 §11
	Any Protocol = T0 | T1 // let the reader and card choose
)

// String names the protocol as ISO/IEC 7816-3 writes it ("T=0").
func (p Protocol) String() string {
	switch p {
	case T0:
		return "T=0"
	case T1:
		return "T=1"
	case Any:
		return "T=0|T=1"
	case 0:
		return "undefined"
	}
	return fmt.Sprintf("protocol(%#x)", uint32(p))
}

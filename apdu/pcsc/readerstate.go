package pcsc

import (
	"fmt"
	"strings"
)

// ReaderState is what pcscd knows about one reader without connecting to
// its card: the dwEventState flags and rgbAtr of SCARD_READERSTATE that
// SCardGetStatusChange fills in (PC/SC part 5 §3.1.3; flag values of
// pcsc-lite's pcsclite.h).
type ReaderState struct {
	// Name is the reader's name as SCardListReaders gives it.
	Name string
	// Present reports a card in the reader (SCARD_STATE_PRESENT).
	Present bool
	// Mute reports a card that did not answer its reset
	// (SCARD_STATE_MUTE); it has no usable ATR.
	Mute bool
	// InUse reports a card that some application is connected to in
	// shared mode (SCARD_STATE_INUSE).
	InUse bool
	// Exclusive reports a card that some application is connected to in
	// exclusive mode (SCARD_STATE_EXCLUSIVE); Connect fails until it lets
	// go.
	Exclusive bool
	// Unavailable reports a reader whose state pcscd cannot give
	// (SCARD_STATE_UNAVAILABLE).
	Unavailable bool
	// ATR is the card's answer-to-reset (ISO/IEC 7816-3 §8) as the reader
	// last read it; nil when no card is present.
	ATR []byte
}

// String describes the state in one line: the reader, then "empty" or
// "card" with its ATR in hex and its use, e.g.
// `"Virtual PCD 00 00": card, in use, ATR 3B9F96...`.
func (s ReaderState) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%q: ", s.Name)
	switch {
	case s.Unavailable:
		b.WriteString("unavailable")
	case !s.Present:
		b.WriteString("empty")
	case s.Mute:
		b.WriteString("card, mute")
	default:
		b.WriteString("card")
	}
	if s.Exclusive {
		b.WriteString(", in exclusive use")
	} else if s.InUse {
		b.WriteString(", in use")
	}
	if len(s.ATR) > 0 {
		fmt.Fprintf(&b, ", ATR %X", s.ATR)
	}
	return b.String()
}

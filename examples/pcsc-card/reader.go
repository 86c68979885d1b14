package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/uiccsim/uiccsim/apdu/pcsc"
)

// errNoCard reports that no reader holds a usable card; its message tells
// how to see the example work anyway.
var errNoCard = errors.New("no card to drive")

// emulateHint is what the example says when it finds no card.
const emulateHint = "run with -emulate to serve uiccsim's built-in USIM to vpcd and drive it over PC/SC like a physical card:\n" +
	"  go run ./examples/pcsc-card -emulate"

// chooseReader picks the reader to use from pcscd's reader states
// (SCardGetStatusChange, PC/SC part 5 §3.1.3): the one named want, which
// must hold a card, or else the first holding a card that answered its
// reset (not mute).
func chooseReader(states []pcsc.ReaderState, want string) (pcsc.ReaderState, error) {
	if len(states) == 0 {
		return pcsc.ReaderState{}, fmt.Errorf("%w: pcscd knows no reader\n%s", errNoCard, emulateHint)
	}
	var list strings.Builder
	for _, s := range states {
		fmt.Fprintf(&list, "\n  %v", s)
	}
	if want != "" {
		for _, s := range states {
			if s.Name != want {
				continue
			}
			switch {
			case !s.Present:
				return s, fmt.Errorf("%w: reader %q is empty\n%s", errNoCard, want, emulateHint)
			case s.Mute:
				return s, fmt.Errorf("%w: the card in reader %q does not answer its reset (mute)", errNoCard, want)
			}
			return s, nil
		}
		return pcsc.ReaderState{}, fmt.Errorf("%w: %q: %w; readers:%s", errNoCard, want, pcsc.ErrNoReader, list.String())
	}
	for _, s := range states {
		if s.Present && !s.Mute {
			return s, nil
		}
	}
	return pcsc.ReaderState{}, fmt.Errorf("%w: no PC/SC reader holds a card; readers:%s\n%s", errNoCard, list.String(), emulateHint)
}

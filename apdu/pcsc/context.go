//go:build cgo

package pcsc

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/ebfe/scard"
)

// Context is a PC/SC resource-manager context, SCardEstablishContext of
// PC/SC part 5 §3.1.1 with scope SCARD_SCOPE_SYSTEM. It is safe for
// concurrent use.
//
// No call holds the context while pcscd makes it wait. pcsc-lite serializes
// the calls on one SCARDCONTEXT (its client library locks the context for
// the whole call), and pcscd holds SCardConnect back for as long as another
// application keeps the card in a transaction (SCardBeginTransaction). So
// the calls that can block — Connect and the waits — each run on a PC/SC
// context of their own, and Readers and ReaderStates, which pcscd answers at
// once, use the shared one: listing readers never waits for a card that
// another program holds.
type Context struct {
	mu    sync.Mutex
	ctx   *scard.Context
	waits map[*scard.Context]struct{} // contexts of running waits; Close cancels them
}

// Open establishes a PC/SC context with the local pcscd. It fails with
// ErrNoService when pcscd is not running.
func Open() (*Context, error) {
	c, err := scard.EstablishContext()
	if err != nil {
		return nil, wrap("establish context", "", err)
	}
	return &Context{ctx: c, waits: map[*scard.Context]struct{}{}}, nil
}

// Readers lists the readers pcscd knows (SCardListReaders, PC/SC part 5
// §3.1.2). No reader at all is an empty list, not an error.
func (c *Context) Readers() ([]string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ctx == nil {
		return nil, ErrClosed
	}
	return c.readers()
}

func (c *Context) readers() ([]string, error) {
	rs, err := c.ctx.ListReaders()
	if errors.Is(err, scard.ErrNoReadersAvailable) {
		return nil, nil
	}
	if err != nil {
		return nil, wrap("list readers", "", err)
	}
	return rs, nil
}

// ReaderStates lists every reader with the state pcscd keeps for it: card
// presence, whether an application uses it, and the card's ATR
// (SCardGetStatusChange, PC/SC part 5 §3.1.3, asked with
// SCARD_STATE_UNAWARE and a zero timeout, so it answers at once). It
// connects to no card, so it neither disturbs nor waits for a card that
// another application holds. No reader at all is an empty list.
func (c *Context) ReaderStates() ([]ReaderState, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ctx == nil {
		return nil, ErrClosed
	}
	// A reader may leave between the listing and the status query
	// (a vpcd slot, a USB reader pulled out): list again.
	for attempt := 0; ; attempt++ {
		names, err := c.readers()
		if err != nil || len(names) == 0 {
			return nil, err
		}
		states := make([]scard.ReaderState, len(names))
		for i, n := range names {
			states[i] = scard.ReaderState{Reader: n, CurrentState: scard.StateUnaware}
		}
		err = c.ctx.GetStatusChange(states, 0)
		if (errors.Is(err, scard.ErrUnknownReader) || errors.Is(err, scard.ErrReaderUnavailable)) && attempt < 3 {
			continue
		}
		if err != nil {
			return nil, wrap("get reader states", "", err)
		}
		out := make([]ReaderState, len(states))
		for i, s := range states {
			out[i] = readerState(s)
		}
		return out, nil
	}
}

// readerState converts a reader state of SCardGetStatusChange into a
// ReaderState.
func readerState(s scard.ReaderState) ReaderState {
	ev := s.EventState
	r := ReaderState{
		Name:        s.Reader,
		Present:     ev&scard.StatePresent != 0,
		Mute:        ev&scard.StateMute != 0,
		InUse:       ev&scard.StateInuse != 0,
		Exclusive:   ev&scard.StateExclusive != 0,
		Unavailable: ev&scard.StateUnavailable != 0,
	}
	if r.Present && len(s.Atr) > 0 {
		r.ATR = append([]byte(nil), s.Atr...)
	}
	return r
}

// WaitCard waits until reader exists and holds a card that is not mute
// (SCardGetStatusChange, PC/SC part 5 §3.1.3, state SCARD_STATE_PRESENT
// without SCARD_STATE_MUTE), or until timeout passes (ErrTimeout). Close
// ends a running wait with ErrClosed.
func (c *Context) WaitCard(reader string, timeout time.Duration) error {
	return c.wait(reader, timeout, true)
}

// WaitEmpty waits until reader exists and holds no card
// (SCARD_STATE_EMPTY), or until timeout passes (ErrTimeout). Close ends a
// running wait with ErrClosed.
func (c *Context) WaitEmpty(reader string, timeout time.Duration) error {
	return c.wait(reader, timeout, false)
}

// wait runs on a PC/SC context of its own, registered in c.waits so that
// Close can cancel it (SCardCancel, PC/SC part 5 §3.1.3).
func (c *Context) wait(reader string, timeout time.Duration, present bool) error {
	c.mu.Lock()
	if c.ctx == nil {
		c.mu.Unlock()
		return ErrClosed
	}
	own, err := scard.EstablishContext()
	if err != nil {
		c.mu.Unlock()
		return wrap("establish context", reader, err)
	}
	c.waits[own] = struct{}{}
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		delete(c.waits, own)
		c.mu.Unlock()
		own.Release()
	}()

	deadline := time.Now().Add(timeout)
	states := []scard.ReaderState{{Reader: reader, CurrentState: scard.StateUnaware}}
	for {
		// SCardCancel stops a GetStatusChange in progress only; a Close
		// that came between two of them is seen here.
		c.mu.Lock()
		closed := c.ctx == nil
		c.mu.Unlock()
		if closed {
			return fmt.Errorf("pcsc: waiting for reader %q: %w", reader, ErrClosed)
		}
		err := own.GetStatusChange(states, max(0, min(time.Until(deadline), 250*time.Millisecond)))
		switch {
		case err == nil:
			ev := states[0].EventState
			if present && ev&scard.StatePresent != 0 && ev&scard.StateMute == 0 {
				return nil
			}
			if !present && ev&scard.StateEmpty != 0 {
				return nil
			}
			states[0].CurrentState = ev &^ scard.StateChanged
		case errors.Is(err, scard.ErrTimeout):
		case errors.Is(err, scard.ErrCancelled):
			return fmt.Errorf("pcsc: waiting for reader %q: %w", reader, ErrClosed)
		case errors.Is(err, scard.ErrUnknownReader), errors.Is(err, scard.ErrReaderUnavailable):
			// The reader may not exist yet (pcscd still starting its driver).
			states[0].CurrentState = scard.StateUnaware
			time.Sleep(max(0, min(time.Until(deadline), 20*time.Millisecond)))
		default:
			return wrap("wait for reader state", reader, err)
		}
		if time.Now().After(deadline) {
			what := "a card"
			if !present {
				what = "no card"
			}
			return fmt.Errorf("pcsc: waiting %v for %s in %q: %w", timeout, what, reader, ErrTimeout)
		}
	}
}

// Close releases the context (SCardReleaseContext) and cancels the waits
// running on it. Cards connected through it have PC/SC contexts of their
// own and stay usable until their own Close.
func (c *Context) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ctx == nil {
		return ErrClosed
	}
	for w := range c.waits {
		w.Cancel()
	}
	err := c.ctx.Release()
	c.ctx = nil
	if err != nil {
		return wrap("release context", "", err)
	}
	return nil
}

// wrap turns a PC/SC error into one wrapping this package's sentinel for
// it and the original scard.Error.
func wrap(op, reader string, err error) error {
	var code scard.Error
	if !errors.As(err, &code) {
		return fmt.Errorf("pcsc: %s: %w: %w", op, ErrPCSC, err)
	}
	where := ""
	if reader != "" {
		where = fmt.Sprintf(" %q", reader)
	}
	return fmt.Errorf("pcsc: %s%s: %w (%w, %#08x)", op, where, sentinel(code), err, uint32(code))
}

// sentinel maps a PC/SC return code (pcsc-lite pcsclite.h, PC/SC part 5)
// to this package's sentinel error.
func sentinel(code scard.Error) error {
	switch code {
	case scard.ErrNoService, scard.ErrServiceStopped:
		return ErrNoService
	case scard.ErrUnknownReader, scard.ErrReaderUnavailable, scard.ErrNoReadersAvailable:
		return ErrNoReader
	case scard.ErrNoSmartcard:
		return ErrNoCard
	case scard.ErrRemovedCard:
		return ErrCardRemoved
	case scard.ErrResetCard:
		return ErrCardReset
	case scard.ErrUnresponsiveCard, scard.ErrUnpoweredCard:
		return ErrCardUnresponsive
	case scard.ErrTimeout:
		return ErrTimeout
	}
	return ErrPCSC
}

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
// concurrent use; calls are serialized, so a WaitCard or WaitEmpty holds
// the context until it returns.
type Context struct {
	mu  sync.Mutex
	ctx *scard.Context
}

// Open establishes a PC/SC context with the local pcscd. It fails with
// ErrNoService when pcscd is not running.
func Open() (*Context, error) {
	c, err := scard.EstablishContext()
	if err != nil {
		return nil, wrap("establish context", "", err)
	}
	return &Context{ctx: c}, nil
}

// Readers lists the readers pcscd knows (SCardListReaders, PC/SC part 5
// §3.1.2). No reader at all is an empty list, not an error.
func (c *Context) Readers() ([]string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ctx == nil {
		return nil, ErrClosed
	}
	rs, err := c.ctx.ListReaders()
	if errors.Is(err, scard.ErrNoReadersAvailable) {
		return nil, nil
	}
	if err != nil {
		return nil, wrap("list readers", "", err)
	}
	return rs, nil
}

// WaitCard waits until reader exists and holds a card that is not mute
// (SCardGetStatusChange, PC/SC part 5 §3.1.3, state SCARD_STATE_PRESENT
// without SCARD_STATE_MUTE), or until timeout passes (ErrTimeout).
func (c *Context) WaitCard(reader string, timeout time.Duration) error {
	return c.wait(reader, timeout, true)
}

// WaitEmpty waits until reader exists and holds no card
// (SCARD_STATE_EMPTY), or until timeout passes (ErrTimeout).
func (c *Context) WaitEmpty(reader string, timeout time.Duration) error {
	return c.wait(reader, timeout, false)
}

func (c *Context) wait(reader string, timeout time.Duration, present bool) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ctx == nil {
		return ErrClosed
	}
	deadline := time.Now().Add(timeout)
	states := []scard.ReaderState{{Reader: reader, CurrentState: scard.StateUnaware}}
	for {
		err := c.ctx.GetStatusChange(states, max(0, min(time.Until(deadline), 250*time.Millisecond)))
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

// Close releases the context (SCardReleaseContext). Cards connected
// through it must be closed first.
func (c *Context) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ctx == nil {
		return ErrClosed
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

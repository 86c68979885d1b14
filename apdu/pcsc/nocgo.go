//go:build !cgo

package pcsc

import "time"

// Context is a PC/SC resource-manager context (SCardEstablishContext). In a
// build without cgo it cannot be created.
type Context struct{}

// Open establishes a PC/SC context. Without cgo it returns ErrNoCGO.
func Open() (*Context, error) { return nil, ErrNoCGO }

// Readers lists the readers known to pcscd. Without cgo it returns ErrNoCGO.
func (*Context) Readers() ([]string, error) { return nil, ErrNoCGO }

// Connect connects to the card in reader. Without cgo it returns ErrNoCGO.
func (*Context) Connect(string, Protocol) (*Card, error) { return nil, ErrNoCGO }

// WaitCard waits for a card in reader. Without cgo it returns ErrNoCGO.
func (*Context) WaitCard(string, time.Duration) error { return ErrNoCGO }

// Close releases the context. Without cgo it returns ErrNoCGO.
func (*Context) Close() error { return ErrNoCGO }

// Card is a connection to the card in one reader. In a build without cgo it
// cannot be created.
type Card struct{}

// Dial connects to the card in reader. Without cgo it returns ErrNoCGO.
func Dial(string, Protocol) (*Card, error) { return nil, ErrNoCGO }

// Transmit exchanges one APDU. Without cgo it returns ErrNoCGO.
func (*Card) Transmit(dst, _ []byte) ([]byte, error) { return dst, ErrNoCGO }

// Reset resets the card. Without cgo it returns ErrNoCGO.
func (*Card) Reset(bool) ([]byte, error) { return nil, ErrNoCGO }

// ATR returns the card's answer-to-reset. Without cgo it returns ErrNoCGO.
func (*Card) ATR() ([]byte, error) { return nil, ErrNoCGO }

// Protocol returns the active protocol; without cgo there is none.
func (*Card) Protocol() Protocol { return 0 }

// Reader returns the reader's name; without cgo there is none.
func (*Card) Reader() string { return "" }

// Close disconnects. Without cgo it returns ErrNoCGO.
func (*Card) Close() error { return ErrNoCGO }

// WaitEmpty waits for an empty reader. Without cgo it returns ErrNoCGO.
func (*Context) WaitEmpty(string, time.Duration) error { return ErrNoCGO }

// ReaderStates lists the readers with their state. Without cgo it returns
// ErrNoCGO.
func (*Context) ReaderStates() ([]ReaderState, error) { return nil, ErrNoCGO }

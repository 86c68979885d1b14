//go:build cgo

package pcsc

import (
	"errors"
	"testing"

	"github.com/ebfe/scard"
)

func TestPCSCErrorsWrapSentinels(t *testing.T) {
	tests := []struct {
		code scard.Error
		want error
	}{
		{scard.ErrNoService, ErrNoService},
		{scard.ErrServiceStopped, ErrNoService},
		{scard.ErrUnknownReader, ErrNoReader},
		{scard.ErrReaderUnavailable, ErrNoReader},
		{scard.ErrNoReadersAvailable, ErrNoReader},
		{scard.ErrNoSmartcard, ErrNoCard},
		{scard.ErrRemovedCard, ErrCardRemoved},
		{scard.ErrResetCard, ErrCardReset},
		{scard.ErrUnresponsiveCard, ErrCardUnresponsive},
		{scard.ErrUnpoweredCard, ErrCardUnresponsive},
		{scard.ErrTimeout, ErrTimeout},
		{scard.ErrSharingViolation, ErrPCSC},
	}
	for _, tc := range tests {
		err := wrap("transmit", "Virtual PCD 00 00", tc.code)
		if !errors.Is(err, tc.want) {
			t.Errorf("%v: %v does not wrap %v", uint32(tc.code), err, tc.want)
		}
		var code scard.Error
		if !errors.As(err, &code) || code != tc.code {
			t.Errorf("%v: original scard.Error not kept in %v", uint32(tc.code), err)
		}
	}
	if err := wrap("open", "", errors.New("other")); !errors.Is(err, ErrPCSC) {
		t.Errorf("non-PC/SC error %v does not wrap ErrPCSC", err)
	}
}

func TestConnectRefusesUnknownProtocol(t *testing.T) {
	var ctx Context
	for _, p := range []Protocol{0, 4, Any | 8} {
		if _, err := ctx.Connect("Virtual PCD 00 00", p); !errors.Is(err, ErrPCSC) {
			t.Errorf("Connect(%v): err = %v, want ErrPCSC", p, err)
		}
	}
}

func TestShortCommandsAreRefusedBeforeTheReader(t *testing.T) {
	// A zero Card has no PC/SC handle: reaching SCardTransmit would fail
	// differently (or, in the scard bindings, panic on an empty command).
	var c Card
	for _, cmd := range [][]byte{nil, {}, {0x00}, {0x00, 0xA4, 0x00}} {
		if _, err := c.Transmit(nil, cmd); !errors.Is(err, ErrShortCommand) {
			t.Errorf("Transmit(%X): err = %v, want ErrShortCommand", cmd, err)
		}
	}
}

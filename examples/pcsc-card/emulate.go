package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/uiccsim/uiccsim/apdu/pcsc"
	"github.com/uiccsim/uiccsim/apdu/vpcd"
	"github.com/uiccsim/uiccsim/usim"
	"github.com/uiccsim/uiccsim/usim/profile"
)

// vpcdReaders names the reader pcscd makes of each port of Debian's
// /etc/reader.conf.d/vpcd (FRIENDLYNAME "Virtual PCD", CHANNELID 0x8C7B:
// the driver's first slot listens on 35963, its second on 35964).
var vpcdReaders = map[string]string{
	"35963": "Virtual PCD 00 00",
	"35964": "Virtual PCD 00 01",
}

// cardWait bounds the wait for the emulated card to appear in its reader.
const cardWait = 10 * time.Second

// emulated is the built-in USIM being served to vpcd.
type emulated struct {
	reader string
	pin1   string // the profile's PIN1, used when -pin is not given
	stop   func() error
}

// emulate builds the built-in USIM (usim.New(profile.Default())), serves
// it to the vpcd at cfg.vpcd (package apdu/vpcd) and returns once pcscd
// reports it present in its reader. From then on the card is reached only
// through PC/SC, as a physical card is.
func emulate(ctx *pcsc.Context, cfg config, w io.Writer) (*emulated, error) {
	reader := cfg.reader
	if reader == "" {
		_, port, err := net.SplitHostPort(cfg.vpcd)
		if err != nil {
			return nil, fmt.Errorf("-vpcd %q: %v", cfg.vpcd, err)
		}
		if reader = vpcdReaders[port]; reader == "" {
			return nil, fmt.Errorf("-vpcd %q: no known vpcd reader listens on port %s; name it with -reader", cfg.vpcd, port)
		}
	}
	states, err := ctx.ReaderStates()
	if err != nil {
		return nil, err
	}
	st, listed := findReader(states, reader)
	switch {
	case !listed:
		return nil, fmt.Errorf("pcscd offers no reader %q for the emulated card: install vsmartcard's vpcd driver "+
			"(apt-get install vsmartcard-vpcd) and restart pcscd", reader)
	case st.Present:
		return nil, fmt.Errorf("reader %q already holds a card (another program serves it to vpcd): "+
			"drive it without -emulate (-reader %q), or stop that program", reader, reader)
	}

	p := profile.Default()
	card, err := usim.New(p)
	if err != nil {
		return nil, err
	}
	sctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	srv := vpcd.NewServer(card, vpcd.WithAddr(cfg.vpcd), vpcd.WithBackoff(10*time.Millisecond, 500*time.Millisecond))
	go func() { done <- srv.Serve(sctx) }()
	stop := func() error {
		cancel()
		err := <-done
		if cerr := card.Close(); err == nil {
			err = cerr
		}
		// Leave the reader as it was found: wait until pcscd has seen the
		// card go (its presence poll, pcsc-lite PCSCLITE_STATUS_POLL_RATE).
		if werr := ctx.WaitEmpty(reader, cardWait); err == nil {
			err = werr
		}
		return err
	}
	if err := ctx.WaitCard(reader, cardWait); err != nil {
		stop()
		return nil, fmt.Errorf("the emulated card served to vpcd at %s did not appear in %q: %w "+
			"(is that vpcd reader listening on that address?)", cfg.vpcd, reader, err)
	}
	fmt.Fprintf(w, "%-9s uiccsim's built-in USIM (profile.Default: ICCID %s, IMSI %s) served to vpcd at %s\n",
		"emulating", p.ICCID, p.IMSI, cfg.vpcd)
	return &emulated{reader: reader, pin1: string(p.PINs.PIN1.Value), stop: stop}, nil
}

// findReader returns the state of the reader named name.
func findReader(states []pcsc.ReaderState, name string) (pcsc.ReaderState, bool) {
	for _, s := range states {
		if s.Name == name {
			return s, true
		}
	}
	return pcsc.ReaderState{}, false
}

package main

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/apdu/pcsc"
	"github.com/uiccsim/uiccsim/usim"
	"github.com/uiccsim/uiccsim/usim/client"
	"github.com/uiccsim/uiccsim/usim/ef"
)

// cardFlags are the flags of every command that talks to a card: a PC/SC
// reader, or a card image worked on in-process, and the PINs to present.
type cardFlags struct {
	reader string
	image  string
	pin    string
	adm    string
}

func addCardFlags(fs *flagSet) *cardFlags {
	cf := &cardFlags{}
	fs.StringVar(&cf.reader, "reader", "", "PC/SC reader `NAME` (or a unique part of it); default: the only reader holding a card")
	fs.StringVar(&cf.image, "image", "", "work on the emulated card saved in image `FILE` (see \"serve --image\") instead of a reader; changes are saved back")
	fs.StringVar(&cf.pin, "pin", "", "PIN1 `DIGITS` to verify first (TS 102 221 §9.5.1, key reference 01)")
	fs.StringVar(&cf.adm, "adm", "", "ADM1 key to verify first: 8 `DIGITS`, or 16 hex digits (key reference 0A)")
	return cf
}

// session is an open card: the client on it and what to do when done.
type session struct {
	cl     *client.Client
	t      apdu.Transport
	reader string // reader name, or "image FILE"
	atr    []byte
	done   func() error
}

// open connects to the card the flags name.
func (cf *cardFlags) open() (*session, error) {
	if cf.image != "" {
		if cf.reader != "" {
			return nil, usagef("give --reader or --image, not both")
		}
		card, err := usim.OpenImage(cf.image)
		if err != nil {
			if errors.Is(err, os.ErrNotExist) {
				return nil, envf("%v", err)
			}
			return nil, envf("opening card image %s: %v", cf.image, err)
		}
		atr, err := card.Reset(true)
		if err != nil {
			card.Close()
			return nil, envf("resetting card image: %v", err)
		}
		s := &session{cl: client.New(card), t: card, reader: "image " + cf.image, atr: atr}
		// The image is saved whatever happened: a card keeps what it did
		// (a failed VERIFY costs a try), and its store makes every command
		// atomic, so the saved state is always one the card could be in.
		s.done = func() error {
			return errors.Join(card.SaveImage(cf.image), card.Close())
		}
		return s, nil
	}
	ctx, err := pcsc.Open()
	if err != nil {
		return nil, pcscErr(err)
	}
	reader, err := chooseReader(ctx, cf.reader)
	ctx.Close()
	if err != nil {
		return nil, err
	}
	card, err := connect(reader, connectWait)
	if err != nil {
		return nil, err
	}
	atr, err := card.ATR()
	if err != nil {
		card.Close()
		return nil, pcscErr(err)
	}
	s := &session{cl: client.New(card), t: card, reader: reader, atr: atr}
	s.done = card.Close
	return s, nil
}

// connectWait bounds how long a command waits for a reader whose card
// another program holds in a transaction.
const connectWait = 10 * time.Second

// connect connects to the card in reader through a PC/SC context of its own
// (pcsc.Dial), giving up after wait: pcsc-lite's SCardConnect blocks for as
// long as another program holds the card in a transaction
// (SCardBeginTransaction), and a tool must not hang on that.
func connect(reader string, wait time.Duration) (*pcsc.Card, error) {
	type result struct {
		card *pcsc.Card
		err  error
	}
	ch := make(chan result, 1)
	abandoned := make(chan struct{})
	go func() {
		c, err := pcsc.Dial(reader, pcsc.Any)
		select {
		case ch <- result{c, err}:
		case <-abandoned:
			if c != nil {
				c.Close()
			}
		}
	}()
	select {
	case r := <-ch:
		if r.err != nil {
			return nil, pcscErr(r.err)
		}
		return r.card, nil
	case <-time.After(wait):
		close(abandoned)
		return nil, envf("reader %q: the card is busy (another program holds it in a transaction) after %v", reader, wait)
	}
}

// close ends the session, saving an image card.
func (s *session) close() error {
	if err := s.done(); err != nil {
		return envf("closing card: %v", err)
	}
	return nil
}

// verify presents the PINs given on the command line: PIN1 after selecting
// ADF.USIM (its PIN, TS 31.102 §4.2), ADM1 as well.
func (s *session) verify(cf *cardFlags) error {
	if cf.pin != "" {
		if _, err := s.cl.SelectUSIM(); err != nil {
			return cardErr("selecting ADF.USIM", err)
		}
		if err := s.cl.VerifyPIN(ef.KeyPIN1, cf.pin); err != nil {
			return cardErr("verifying PIN1", err)
		}
	}
	if cf.adm != "" {
		block, err := admBlock(cf.adm)
		if err != nil {
			return usagef("--adm: %v", err)
		}
		if err := s.cl.Verify(ef.KeyADM1, block); err != nil {
			return cardErr("verifying ADM1", err)
		}
	}
	return nil
}

// admBlock codes an ADM key: 8 digits as ASCII (like a PIN, TS 102 221
// §9.5.1) or 16 hex digits as 8 raw bytes.
func admBlock(s string) ([8]byte, error) {
	var b [8]byte
	if len(s) == 16 {
		raw, err := parseHex(s)
		if err == nil {
			copy(b[:], raw)
			return b, nil
		}
	}
	if len(s) < 4 || len(s) > 8 {
		return b, fmt.Errorf("want 4..8 digits or 16 hex digits")
	}
	return client.PINBlock(s)
}

// cardErr explains a failed card operation: a status word refusal is exit
// 1, a transport failure exit 3.
func cardErr(what string, err error) error {
	var sw apdu.StatusWord
	if errors.As(err, &sw) {
		msg := fmt.Sprintf("%s: the card answered %v", what, sw)
		if n, ok := sw.Retries(); ok {
			msg = fmt.Sprintf("%s: wrong value, %d tries left (%04X)", what, n, uint16(sw))
		}
		switch sw {
		case apdu.SWSecurityNotSatisfied:
			msg += "; give --pin (PIN1) or --adm (ADM1)"
		case apdu.SWAuthMethodBlocked:
			msg += "; the PIN is blocked: unblock it with its PUK"
		}
		return &exitError{exitNo, errors.New(msg)}
	}
	return envf("%s: %v", what, err)
}

// pcscErr turns a PC/SC failure into an environment error with a hint.
func pcscErr(err error) error {
	switch {
	case errors.Is(err, pcsc.ErrNoCGO):
		return envf("%v (rebuild with CGO_ENABLED=1, or use --image)", err)
	case errors.Is(err, pcsc.ErrNoService):
		return envf("%v: start it (pcscd -f) or install it (apt-get install pcscd)", err)
	}
	return envf("%v", err)
}

// chooseReader picks the reader named (exactly, or by a unique substring),
// or the only reader holding a card; otherwise it lists the choices.
func chooseReader(ctx *pcsc.Context, name string) (string, error) {
	readers, err := ctx.Readers()
	if err != nil {
		return "", pcscErr(err)
	}
	if len(readers) == 0 {
		return "", envf("no PC/SC reader found; is a reader plugged in, or vpcd installed (apt-get install vsmartcard-vpcd)?")
	}
	if name != "" {
		var match []string
		for _, r := range readers {
			if r == name {
				return r, nil
			}
			if strings.Contains(strings.ToLower(r), strings.ToLower(name)) {
				match = append(match, r)
			}
		}
		switch len(match) {
		case 1:
			return match[0], nil
		case 0:
			return "", usagef("no reader matches %q; readers:\n%s", name, listReaders(readers))
		}
		return "", usagef("%q matches several readers; give more of the name:\n%s", name, listReaders(match))
	}
	var withCard []string
	for _, r := range readers {
		if ctx.WaitCard(r, 0) == nil {
			withCard = append(withCard, r)
		}
	}
	switch len(withCard) {
	case 1:
		return withCard[0], nil
	case 0:
		return "", envf("no card in any reader (start \"uiccsim serve\" or insert a card); readers:\n%s", listReaders(readers))
	}
	return "", usagef("several readers hold a card; choose one with --reader:\n%s", listReaders(withCard))
}

func listReaders(rs []string) string {
	var b strings.Builder
	for i, r := range rs {
		fmt.Fprintf(&b, "  %d: %s\n", i, r)
	}
	return strings.TrimRight(b.String(), "\n")
}

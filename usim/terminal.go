package usim

import (
	"errors"
	"fmt"

	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/ota/engine"
	"github.com/uiccsim/uiccsim/usim/client"
	"github.com/uiccsim/uiccsim/usim/ef"
)

// DefaultTerminalProfile is the TERMINAL PROFILE (ETSI TS 102 223 §5.2)
// the test terminal sends: byte 1 profile download and SMS-PP data
// download (b1, b2), byte 2 command result (b1), byte 3 REFRESH (b8),
// byte 4 SEND SHORT MESSAGE (b2).
var DefaultTerminalProfile = []byte{0x03, 0x01, 0x80, 0x02}

// ErrTerminal reports a card that broke the proactive protocol as the
// test terminal sees it; the wrapping error says what.
var ErrTerminal = errors.New("usim: terminal")

// Proactive command types the test terminal knows (TS 102 223 §9.4).
const (
	typeRefresh  = 0x01
	typeSendSM   = 0x13
	insFetch     = 0x12
	insTermResp  = 0x14
	insTermProf  = 0x10
	resultOK     = 0x00
	resultBeyond = 0x30 // command beyond terminal's capabilities (§8.12)
)

// Terminal is a test terminal (the ME of ETSI TS 102 223) in front of a
// Card. Activate powers the card up the way a device does — cold reset,
// TERMINAL PROFILE, SELECT ADF.USIM, VERIFY PIN1 when it is enabled, READ
// EF_IMSI — and every 91xx the card answers is followed by FETCH: a REFRESH
// (§6.4.7) is carried out (UICC reset: a new activation; NAA initialisation
// and file change notification: re-selection of the USIM and a re-read of
// EF_IMSI) and acknowledged with TERMINAL RESPONSE; a SEND SHORT MESSAGE is
// held for the network.
//
// A Terminal is also the apdu.Transport an OTA server (package ota/server)
// talks through, as the network reaches a card through the device: it
// passes ENVELOPE, GET RESPONSE, FETCH and TERMINAL RESPONSE on, hands the
// held SEND SHORT MESSAGEs to the server's FETCH (announcing them with
// 91xx), and carries out every other proactive command itself, answering
// the server 9000 for them.
type Terminal struct {
	Card *Card
	// PIN1 is presented when PIN1 is enabled (default "1234", the
	// default profile's).
	PIN1 string
	// Profile is the TERMINAL PROFILE; nil means DefaultTerminalProfile.
	Profile []byte

	// IMSI is EF_IMSI as read at the last activation or REFRESH.
	IMSI ef.IMSI
	// Activations counts card activations (the first and every UICC
	// reset).
	Activations int
	// Refreshes lists the REFRESH commands carried out, oldest first.
	Refreshes []engine.Refresh

	cl      *client.Client
	outbox  [][]byte // SEND SHORT MESSAGEs for the network
	pending int      // proactive bytes the card announced (91xx) not fetched yet
	buf     []byte
}

// NewTerminal returns a terminal in front of c; call Activate.
func NewTerminal(c *Card) *Terminal {
	t := &Terminal{Card: c, PIN1: "1234"}
	t.cl = client.New(cardPort{t})
	return t
}

// cardPort is the terminal's own link to the card: it notes every 91xx
// so the terminal fetches what the card announced.
type cardPort struct{ t *Terminal }

func (p cardPort) Transmit(dst, cmd []byte) ([]byte, error) {
	start := len(dst)
	rsp, err := p.t.Card.Transmit(dst, cmd)
	if err == nil && len(rsp) >= start+2 && rsp[len(rsp)-2] == 0x91 {
		p.t.pending = int(rsp[len(rsp)-1])
		rsp[len(rsp)-2], rsp[len(rsp)-1] = 0x90, 0x00
	}
	return rsp, err
}
func (p cardPort) Reset(cold bool) ([]byte, error) { return p.t.Card.Reset(cold) }
func (p cardPort) Close() error                    { return p.t.Card.Close() }

// Activate powers the card up as a device does and reads EF_IMSI.
func (t *Terminal) Activate() error {
	t.outbox, t.pending = nil, 0
	if _, err := t.Card.Reset(true); err != nil {
		return err
	}
	t.Activations++
	prof := t.Profile
	if prof == nil {
		prof = DefaultTerminalProfile
	}
	if _, sw, err := t.cl.Exchange(apdu.Command{CLA: 0x80, INS: insTermProf, Data: prof}); err != nil || sw != apdu.SWOK {
		return fmt.Errorf("%w: TERMINAL PROFILE answered %v (%v)", ErrTerminal, sw, err)
	}
	if err := t.initNAA(); err != nil {
		return err
	}
	return t.poll()
}

// initNAA selects ADF.USIM, verifies PIN1 if enabled and reads EF_IMSI.
func (t *Terminal) initNAA() error {
	if _, err := t.cl.SelectUSIM(); err != nil {
		return fmt.Errorf("%w: select USIM: %v", ErrTerminal, err)
	}
	if _, verified, err := t.cl.PINStatus(ef.KeyRef(0x01)); err == nil && !verified && t.PIN1 != "" {
		if err := t.cl.VerifyPIN(ef.KeyRef(0x01), t.PIN1); err != nil {
			return fmt.Errorf("%w: verify PIN1: %v", ErrTerminal, err)
		}
	}
	imsi, err := t.cl.ReadIMSI()
	if err != nil {
		return fmt.Errorf("%w: read EF_IMSI: %v", ErrTerminal, err)
	}
	t.IMSI = imsi
	return nil
}

// Client returns the terminal's client for further commands to the card
// (AUTHENTICATE, reads) on the USIM selected at activation.
func (t *Terminal) Client() *client.Client { return t.cl }

// Authenticate runs AUTHENTICATE in 3G context (TS 31.102 §7.1.2) as the
// device does for the network, then serves any proactive command.
func (t *Terminal) Authenticate(rand, autn [16]byte) (client.AuthResult, error) {
	r, err := t.cl.Authenticate(rand, autn)
	if err != nil {
		return r, err
	}
	return r, t.poll()
}

// Poll fetches and carries out the proactive commands the card announced.
func (t *Terminal) Poll() error { return t.poll() }

// poll serves 91xx: FETCH, then carry out; SEND SHORT MESSAGE is held for
// the network (its TERMINAL RESPONSE comes from there).
func (t *Terminal) poll() error {
	for i := 0; t.pending > 0 && len(t.outbox) == 0; i++ {
		if i == 16 {
			return fmt.Errorf("%w: more than 16 proactive commands in a row", ErrTerminal)
		}
		n := t.pending
		t.pending = 0
		rsp, err := t.Card.Transmit(t.buf[:0], []byte{0x80, insFetch, 0x00, 0x00, byte(n)})
		if err != nil {
			return err
		}
		t.buf = rsp
		data, sw, err := apdu.ParseResponse(rsp)
		if err != nil || (sw != apdu.SWOK && sw.SW1() != 0x91) {
			return fmt.Errorf("%w: FETCH answered %v (%v)", ErrTerminal, sw, err)
		}
		if sw.SW1() == 0x91 {
			t.pending = int(sw.SW2()) // another command waits behind this one
		}
		cmd := append([]byte(nil), data...)
		details, err := proactiveDetails(cmd)
		if err != nil {
			return err
		}
		switch details[1] {
		case typeSendSM:
			t.outbox = append(t.outbox, cmd)
		case typeRefresh:
			if err := t.refresh(cmd, details); err != nil {
				return err
			}
		default:
			if err := t.terminalResponse(details, resultBeyond); err != nil {
				return err
			}
		}
	}
	return nil
}

// refresh carries out REFRESH, TS 102 223 §6.4.7.
func (t *Terminal) refresh(cmd, details []byte) error {
	r, err := engine.ParseRefresh(cmd)
	if err != nil {
		return fmt.Errorf("%w: REFRESH: %v", ErrTerminal, err)
	}
	t.Refreshes = append(t.Refreshes, r)
	if r.Mode == engine.RefreshUICCReset {
		// §6.4.7: the terminal resets the UICC; no TERMINAL RESPONSE.
		return t.Activate()
	}
	if err := t.initNAA(); err != nil {
		return err
	}
	return t.terminalResponse(details, resultOK)
}

// terminalResponse sends TERMINAL RESPONSE (TS 102 223 §6.8): command
// details, device identities terminal → UICC, result.
func (t *Terminal) terminalResponse(details []byte, result byte) error {
	data := []byte{0x81, 0x03, details[0], details[1], details[2], 0x82, 0x02, 0x82, 0x81, 0x83, 0x01, result}
	_, sw, err := t.cl.Exchange(apdu.Command{CLA: 0x80, INS: insTermResp, Data: data})
	if err != nil || sw != apdu.SWOK {
		return fmt.Errorf("%w: TERMINAL RESPONSE answered %v (%v)", ErrTerminal, sw, err)
	}
	return nil
}

// proactiveDetails returns the command details (number, type, qualifier)
// of a proactive command: D0 L { 81 03 … }, TS 102 223 §6.6 and §8.6.
func proactiveDetails(cmd []byte) ([]byte, error) {
	b := cmd
	if len(b) < 2 || b[0] != 0xD0 {
		return nil, fmt.Errorf("%w: fetched data is not a proactive command (D0)", ErrTerminal)
	}
	i := 2
	if b[1] == 0x81 {
		i = 3
	}
	if len(b) < i+5 || b[i]&0x7F != 0x01 || b[i+1] != 3 {
		return nil, fmt.Errorf("%w: proactive command without command details", ErrTerminal)
	}
	return b[i+2 : i+5], nil
}

// Transmit passes a network command (ENVELOPE, GET RESPONSE, FETCH,
// TERMINAL RESPONSE) to the card and serves the proactive commands it
// announces (apdu.Transport); see Terminal.
func (t *Terminal) Transmit(dst, cmd []byte) ([]byte, error) {
	if len(cmd) >= 2 && cmd[1] == insFetch && len(t.outbox) > 0 {
		m := t.outbox[0]
		t.outbox = t.outbox[1:]
		return append(append(dst, m...), 0x90, 0x00), nil
	}
	start := len(dst)
	rsp, err := cardPort{t}.Transmit(dst, cmd)
	if err != nil {
		return rsp, err
	}
	if err := t.poll(); err != nil {
		return rsp[:start], err
	}
	if len(t.outbox) > 0 && len(rsp) >= start+2 && rsp[len(rsp)-2] == 0x90 && rsp[len(rsp)-1] == 0 {
		rsp[len(rsp)-2], rsp[len(rsp)-1] = 0x91, byte(len(t.outbox[0]))
	}
	return rsp, nil
}

// Reset activates the card again and returns its ATR (apdu.Transport).
func (t *Terminal) Reset(cold bool) ([]byte, error) {
	if err := t.Activate(); err != nil {
		return nil, err
	}
	return append([]byte(nil), t.Card.Runtime().ATR()...), nil
}

// Close powers the card off (apdu.Transport).
func (t *Terminal) Close() error { return t.Card.Close() }

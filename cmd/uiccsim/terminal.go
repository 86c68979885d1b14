package main

import (
	"fmt"

	"github.com/uiccsim/uiccsim/apdu"
)

// Proactive command types of TS 102 223 §9.4 the terminal tells apart.
const (
	proactiveRefresh  = 0x01
	proactiveSendSM   = 0x13
	refreshUICCReset  = 0x04 // REFRESH qualifier, TS 102 223 §8.6
	resultOK          = 0x00 // command performed successfully, §8.12
	resultBeyondME    = 0x30 // command beyond terminal's capabilities, §8.12
	maxProactiveChain = 16
)

// proactiveTerminal stands between the OTA server and the card as the
// device does (TS 102 223 §6): after a 91xx it FETCHes the pending
// proactive command; a SEND SHORT MESSAGE (the PoR going to the network,
// TS 31.115 §4.4) is held and handed to the server's own FETCH, announced
// with the card's 91xx; a REFRESH is carried out (a UICC reset resets the
// card, §6.4.7, other modes are acknowledged since nothing is cached); any
// other command is answered "beyond terminal's capabilities". The server
// then sees what it would see from a device: the PoR in the ENVELOPE
// response, or a SEND SHORT MESSAGE to fetch.
type proactiveTerminal struct {
	tr   apdu.Transport
	held [][]byte // SEND SHORT MESSAGEs waiting for the server's FETCH
	// done lists the proactive commands carried out, for the report.
	done []string
}

// Transmit implements apdu.Transport.
func (p *proactiveTerminal) Transmit(dst, cmd []byte) ([]byte, error) {
	if len(cmd) >= 4 && cmd[0]&0xF0 == 0x80 && cmd[1] == 0x12 && len(p.held) > 0 {
		// The server's FETCH gets the SEND SHORT MESSAGE held for it.
		c := p.held[0]
		p.held = p.held[1:]
		dst = append(dst, c...)
		if len(p.held) > 0 {
			return append(dst, 0x91, byte(len(p.held[0]))), nil
		}
		return append(dst, 0x90, 0x00), nil
	}
	n := len(dst)
	rsp, err := p.tr.Transmit(dst, cmd)
	if err != nil {
		return rsp, err
	}
	return p.serve(rsp, n)
}

// serve handles 91xx at the end of rsp[n:] until the card has nothing more
// for the terminal, and returns the response the server should see.
func (p *proactiveTerminal) serve(rsp []byte, n int) ([]byte, error) {
	for range maxProactiveChain {
		if len(rsp)-n < 2 || rsp[len(rsp)-2] != 0x91 || len(p.held) > 0 {
			return rsp, nil
		}
		f, err := p.tr.Transmit(nil, []byte{0x80, 0x12, 0x00, 0x00, rsp[len(rsp)-1]})
		if err != nil {
			return rsp, fmt.Errorf("FETCH: %w", err)
		}
		data, sw, err := apdu.ParseResponse(f)
		if err != nil || sw != apdu.SWOK {
			return rsp, fmt.Errorf("FETCH answered %v (%v)", sw, err)
		}
		details := commandDetails(data)
		if details == nil {
			return rsp, fmt.Errorf("fetched data %X is not a proactive command", data)
		}
		var trailer []byte
		switch {
		case details[1] == proactiveSendSM:
			p.held = append(p.held, append([]byte(nil), data...))
			return rsp, nil
		case details[1] == proactiveRefresh && details[2] == refreshUICCReset:
			// §6.4.7: the terminal resets the UICC; no TERMINAL RESPONSE.
			if _, err := p.tr.Reset(false); err != nil {
				return rsp, fmt.Errorf("REFRESH (UICC reset): %w", err)
			}
			p.done = append(p.done, "REFRESH (UICC reset): card reset")
			trailer = []byte{0x90, 0x00}
		default:
			result := byte(resultBeyondME)
			what := fmt.Sprintf("proactive command type %02X: answered beyond terminal's capabilities", details[1])
			if details[1] == proactiveRefresh {
				result = resultOK
				what = fmt.Sprintf("REFRESH (qualifier %02X): acknowledged", details[2])
			}
			// TERMINAL RESPONSE (TS 102 223 §6.8): command details,
			// device identities terminal → UICC, result.
			tr := append([]byte{0x80, 0x14, 0x00, 0x00, 12, 0x81, 0x03}, details...)
			tr = append(tr, 0x82, 0x02, 0x82, 0x81, 0x83, 0x01, result)
			r, err := p.tr.Transmit(nil, tr)
			if err != nil || len(r) < 2 {
				return rsp, fmt.Errorf("TERMINAL RESPONSE: %X %v", r, err)
			}
			p.done = append(p.done, what)
			trailer = r[len(r)-2:]
		}
		rsp = append(rsp[:len(rsp)-2], trailer...)
	}
	return rsp, nil
}

// commandDetails returns the 3-byte command details (number, type,
// qualifier; TS 102 223 §8.6) of a proactive command 'D0', or nil.
func commandDetails(b []byte) []byte {
	if len(b) < 2 || b[0] != 0xD0 {
		return nil
	}
	if b[1] == 0x81 { // two-byte length, TS 102 223 Annex C
		if len(b) < 3 {
			return nil
		}
		b = b[3:]
	} else {
		b = b[2:]
	}
	// Command details: tag 01 (81 with comprehension required), length 3.
	if len(b) >= 5 && b[0]&0x7F == 0x01 && b[1] == 0x03 {
		return b[2:5]
	}
	return nil
}

// Reset implements apdu.Transport.
func (p *proactiveTerminal) Reset(cold bool) ([]byte, error) { return p.tr.Reset(cold) }

// Close implements apdu.Transport; the session closes the card.
func (p *proactiveTerminal) Close() error { return nil }

// Package t0 carries command APDUs to a card that speaks T=0 the way
// physical UICCs and PC/SC tools do: the procedure bytes of ISO/IEC 7816-3
// §10.3.3 that a T=0 reader driver hands up unchanged (61xx "more data",
// 6Cxx "wrong Le, exact length xx") and the GSM SIM's 9Fxx (3GPP TS 51.011
// §9.4.1) are followed with GET RESPONSE or a resent command, so the caller
// sees one complete response APDU per command, as on T=1.
//
// The mapping of command APDUs to T=0 command TPDUs is ISO/IEC 7816-3
// §12.2: a case 4S command is sent without its Le (as case 3S, §12.2.5),
// and its response data is fetched with GET RESPONSE (ISO/IEC 7816-4
// §7.6.1, INS C0) on the command's logical channel. A warning 62xx/63xx to
// the case-3 part of a case-4 command is followed with GET RESPONSE Le=00,
// as ETSI TS 102 221 §7.3.1.1 has the terminal do and as pySim does
// (shared/notes/pc-sc-tool-startup.md); the warning is kept as the final
// status word.
package t0

import (
	"errors"
	"fmt"

	"github.com/uiccsim/uiccsim/apdu"
)

// InsGetResponse is the instruction byte of GET RESPONSE, ISO/IEC 7816-4
// §7.6.1 and ETSI TS 102 221 §11.1.15.
const InsGetResponse = 0xC0

// MaxRounds bounds the exchanges of one Transmit (command, GET RESPONSEs
// and 6Cxx resends): enough for 65536 bytes in 256-byte chunks plus
// resends, and a stop for a card that never ends its procedure.
const MaxRounds = 260

// ErrProcedure reports a card whose T=0 procedure does not end: more than
// MaxRounds exchanges, or more than apdu.MaxNe response bytes.
var ErrProcedure = errors.New("t0: card's GET RESPONSE procedure does not end")

// Transport wraps a card reached through T=0 and is itself an
// apdu.Transport. It is not safe for concurrent use.
type Transport struct {
	inner apdu.Transport
	resp  []byte  // one response TPDU from inner
	cmd   [5]byte // a GET RESPONSE or a 6Cxx resend
}

// New wraps inner, a card whose transport hands T=0 procedure bytes
// (61xx, 6Cxx, 9Fxx) up as status words, e.g. a pcsc.Card on T=0.
func New(inner apdu.Transport) *Transport {
	return &Transport{inner: inner, resp: make([]byte, 0, 258)}
}

// Reset resets the wrapped card (ISO/IEC 7816-3 §6.2).
func (t *Transport) Reset(cold bool) ([]byte, error) { return t.inner.Reset(cold) }

// Close closes the wrapped card.
func (t *Transport) Close() error { return t.inner.Close() }

// getResponseCLA returns the class byte of the GET RESPONSE that fetches
// the answer to a command of class cla: 'A0' for GSM SIM commands (3GPP
// TS 51.011 §9.2.18), otherwise the interindustry class of the command's
// logical channel (ISO/IEC 7816-4 §5.4.1, ETSI TS 102 221 §10.1.1).
func getResponseCLA(cla apdu.CLA) byte {
	if cla.Kind() == apdu.ClassGSM {
		return 0xA0
	}
	return byte(apdu.CLA(0x00).WithChannel(cla.Channel()))
}

// Transmit sends one command APDU and appends the complete response APDU
// (all data ‖ final SW1 SW2) to dst, following the card's T=0 procedure:
//
//   - 61xx and 9Fxx: GET RESPONSE with Le = xx on the command's channel;
//     the data of every chunk is concatenated (ISO/IEC 7816-3 §10.3.3,
//     §12.2.3 case 2S, §12.2.5 case 4S; 3GPP TS 51.011 §9.4.1);
//   - 6Cxx: the same command again with P3 = xx, once per command
//     (ISO/IEC 7816-3 §10.3.3, §12.2.3);
//   - 62xx/63xx without data to a case-4 command: GET RESPONSE with Le = 00,
//     and the warning is the final status word when that yields data
//     (ETSI TS 102 221 §7.3.1.1).
//
// Case 4S commands are sent without Le. A command shorter than its 4-byte
// header (ISO/IEC 7816-3 §12.1.2) is refused with apdu.ErrMalformed and
// never reaches the card. Other commands that do not parse, and
// extended-length commands (which T=0 carries only in ENVELOPEs, §12.2.6),
// are passed through unchanged.
func (t *Transport) Transmit(dst, cmd []byte) ([]byte, error) {
	if len(cmd) < 4 {
		return dst, fmt.Errorf("t0: %w: command of %d bytes, shorter than CLA INS P1 P2", apdu.ErrMalformed, len(cmd))
	}
	c, err := apdu.ParseCommand(cmd)
	if err != nil || c.Case().Extended() {
		return t.passThrough(dst, cmd)
	}
	send := cmd
	case4 := c.Case() == apdu.Case4S
	if case4 {
		send = cmd[:len(cmd)-1] // ISO/IEC 7816-3 §12.2.5: no Le on T=0
	}
	grCLA := getResponseCLA(c.Class())
	start := len(dst)
	var warning apdu.StatusWord
	resent := false
	sendHasData := len(c.Data) > 0 // 6Cxx means nothing to a TPDU with data
	for round := 0; ; round++ {
		if round >= MaxRounds || len(dst)-start > apdu.MaxNe {
			return dst[:start], fmt.Errorf("%w: %d exchanges, %d bytes for command %X", ErrProcedure, round, len(dst)-start, cmd[:4])
		}
		r, err := t.inner.Transmit(t.resp[:0], send)
		if cap(r) > cap(t.resp) {
			t.resp = r[:0]
		}
		if err != nil {
			return dst[:start], err
		}
		if len(r) < 2 {
			return dst[:start], fmt.Errorf("t0: %w: %d bytes to command %X", apdu.ErrShortResponse, len(r), send[:4])
		}
		data, sw1, sw2 := r[:len(r)-2], r[len(r)-2], r[len(r)-1]
		switch {
		case sw1 == 0x61 || sw1 == 0x9F:
			dst = append(dst, data...)
			send = t.getResponse(grCLA, sw2)
			resent, sendHasData = false, false
			continue
		case sw1 == 0x6C && !resent && len(data) == 0 && !sendHasData:
			// Wrong Le: the same command TPDU with P3 = SW2.
			send = t.withP3(send, sw2)
			resent = true
			continue
		case (sw1 == 0x62 || sw1 == 0x63) && case4 && round == 0 && len(data) == 0:
			warning = apdu.StatusWord(sw1)<<8 | apdu.StatusWord(sw2)
			send = t.getResponse(grCLA, 0x00)
			resent, sendHasData = false, false
			continue
		}
		dst = append(dst, data...)
		if warning != 0 {
			switch {
			case sw1 == 0x90 && sw2 == 0x00:
				sw1, sw2 = warning.SW1(), warning.SW2()
			case len(dst) == start:
				// GET RESPONSE yielded nothing: the warning is the answer.
				sw1, sw2 = warning.SW1(), warning.SW2()
			}
		}
		return append(dst, sw1, sw2), nil
	}
}

// passThrough sends cmd unchanged and checks that the answer has at least
// SW1 SW2.
func (t *Transport) passThrough(dst, cmd []byte) ([]byte, error) {
	r, err := t.inner.Transmit(dst, cmd)
	if err != nil {
		return dst, err
	}
	if len(r)-len(dst) < 2 {
		return dst, fmt.Errorf("t0: %w: %d bytes to command %X", apdu.ErrShortResponse, len(r)-len(dst), cmd[:4])
	}
	return r, nil
}

// getResponse builds GET RESPONSE (ISO/IEC 7816-4 §7.6.1) with Le = le in
// the Transport's command buffer.
func (t *Transport) getResponse(cla, le byte) []byte {
	t.cmd = [5]byte{cla, InsGetResponse, 0x00, 0x00, le}
	return t.cmd[:]
}

// withP3 copies the header of a case 1 or 2 command TPDU into the
// Transport's command buffer with P3 = p3 (ISO/IEC 7816-3 §10.3.3, 6Cxx).
func (t *Transport) withP3(tpdu []byte, p3 byte) []byte {
	copy(t.cmd[:4], tpdu[:4])
	t.cmd[4] = p3
	return t.cmd[:]
}

var _ apdu.Transport = (*Transport)(nil)

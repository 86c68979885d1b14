package client

import (
	"errors"
	"fmt"

	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/usim/ef"
)

// ErrProtocol reports a response that breaks the transmission rules (too
// many GET RESPONSE rounds, a response without status word).
var ErrProtocol = errors.New("client: protocol error")

// CommandError is a card's refusal of a command: the operation, the
// command header and the status word, which it wraps.
type CommandError struct {
	Op  string // e.g. "SELECT 6F07"
	SW  apdu.StatusWord
	INS byte
}

// Error says which operation the card refused and with which status word.
func (e *CommandError) Error() string { return "client: " + e.Op + ": " + e.SW.String() }

// Unwrap returns the status word, so errors.Is(err, apdu.SWFileNotFound).
func (e *CommandError) Unwrap() error { return e.SW }

// maxRounds bounds GET RESPONSE / 6Cxx rounds per command.
const maxRounds = 64

// Client sends typed commands to one card. It is not safe for concurrent
// use.
type Client struct {
	t   apdu.Transport
	cmd []byte // command encoding buffer
	raw []byte // transport response buffer
	out []byte // accumulated response data
	// CLA is the class byte of the commands (0x00 for TS 102 221 commands;
	// channel bits are added by WithChannel).
	CLA     byte
	usimAID []byte
}

// New returns a client on t.
func New(t apdu.Transport) *Client {
	// cmd, raw and out grow on first use to the largest exchange and are
	// then reused, so a steady-state Exchange allocates nothing.
	return &Client{t: t}
}

// Transport returns the transport the client uses.
func (c *Client) Transport() apdu.Transport { return c.t }

// Exchange sends cmd and returns the complete response data and the final
// status word, following 61xx/9Fxx with GET RESPONSE and 6Cxx with a
// resend (TS 102 221 §7.3.1.1.4, §10.2). The data aliases the client's
// buffer and is valid until the next call. err reports transport or
// protocol failures only; the status word is the card's answer.
func (c *Client) Exchange(cmd apdu.Command) ([]byte, apdu.StatusWord, error) {
	c.out = c.out[:0]
	cur := cmd
	for round := 0; round < maxRounds; round++ {
		var err error
		c.cmd, err = cur.Append(c.cmd[:0])
		if err != nil {
			return nil, 0, fmt.Errorf("client: encoding %02X %02X: %w", cmd.CLA, cmd.INS, err)
		}
		c.raw, err = c.t.Transmit(c.raw[:0], c.cmd)
		if err != nil {
			return nil, 0, fmt.Errorf("client: transmit %02X %02X: %w", cmd.CLA, cmd.INS, err)
		}
		data, sw, err := apdu.ParseResponse(c.raw)
		if err != nil {
			return nil, 0, fmt.Errorf("%w: %v", ErrProtocol, err)
		}
		if s1 := sw.SW1(); s1&0xF0 != 0x60 && s1&0xF0 != 0x90 || s1 == 0x60 {
			// ISO/IEC 7816-3 §10.3.3: SW1 is '6X' (not '60') or '9X'.
			return nil, 0, fmt.Errorf("%w: status word %04X is not a valid SW1 SW2", ErrProtocol, uint16(sw))
		}
		c.out = append(c.out, data...)
		switch sw.SW1() {
		case 0x61, 0x9F:
			// Response bytes available: GET RESPONSE on the same logical
			// channel, interindustry class (TS 102 221 §10.1.6, §10.1.1).
			cur = apdu.Command{CLA: byte(apdu.CLA(0).WithChannel(apdu.CLA(cmd.CLA).Channel())), INS: 0xC0, Ne: ne(sw.SW2())}
			if cmd.CLA == 0xA0 { // GSM class (TS 51.011)
				cur.CLA = 0xA0
			}
			continue
		case 0x6C:
			// Wrong Le: resend the command just sent with Le = SW2.
			cur.Ne = ne(sw.SW2())
			continue
		}
		return c.out, sw, nil
	}
	return nil, 0, fmt.Errorf("%w: more than %d GET RESPONSE/6Cxx rounds for %02X %02X", ErrProtocol, maxRounds, cmd.CLA, cmd.INS)
}

func ne(b byte) int {
	if b == 0 {
		return 256
	}
	return int(b)
}

// do runs Exchange and turns every status word but 9000 and 91xx/92xx
// into a *CommandError naming the operation (opOf).
func (c *Client) do(cmd apdu.Command) ([]byte, error) {
	data, sw, err := c.Exchange(cmd)
	if err != nil {
		return nil, err
	}
	if !sw.OK() {
		return nil, &CommandError{Op: opOf(&cmd), SW: sw, INS: cmd.INS}
	}
	return data, nil
}

// opOf names a refused command for CommandError.Op ("SELECT 6F07", "READ
// BINARY at 0", "VERIFY PIN1", ...). It runs only on refusal, so a
// successful command formats no text.
func opOf(cmd *apdu.Command) string {
	switch cmd.INS {
	case 0xA4:
		if cmd.P1 == 0x04 {
			return fmt.Sprintf("SELECT AID %X", cmd.Data)
		}
		if len(cmd.Data) == 2 {
			return fmt.Sprintf("SELECT %04X", uint16(cmd.Data[0])<<8|uint16(cmd.Data[1]))
		}
		return fmt.Sprintf("SELECT %X", cmd.Data)
	case 0xB0:
		return fmt.Sprintf("READ BINARY at %d", int(cmd.P1)<<8|int(cmd.P2))
	case 0xB2:
		return fmt.Sprintf("READ RECORD %d", cmd.P1)
	case 0x20:
		return "VERIFY " + ef.KeyRef(cmd.P2).String()
	case 0x88:
		switch cmd.P2 {
		case 0x81:
			return "AUTHENTICATE 3G"
		case 0x80:
			return "AUTHENTICATE GSM"
		}
		return fmt.Sprintf("AUTHENTICATE P2=%02X", cmd.P2)
	}
	return fmt.Sprintf("%02X %02X %02X %02X", cmd.CLA, cmd.INS, cmd.P1, cmd.P2)
}

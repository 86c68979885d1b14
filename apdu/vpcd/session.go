package vpcd

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/uiccsim/uiccsim/apdu"
)

// session is the state of one connection to vpcd. Its buffers are allocated
// once, so a frame costs no allocation in the serve loop.
type session struct {
	card apdu.Transport
	logf func(format string, args ...any)
	hdr  [2]byte
	in   []byte // one received payload, up to MaxPayload
	out  []byte // the frame being answered: 2 length bytes ‖ payload
	atr  []byte // the ATR of the last power-on or reset
}

func newSession(card apdu.Transport, logf func(string, ...any)) *session {
	return &session{
		card: card,
		logf: logf,
		in:   make([]byte, MaxPayload),
		out:  make([]byte, 0, 2+MaxPayload),
		atr:  make([]byte, 0, 33),
	}
}

// run answers frames from rw until the connection fails or ends. qa, when
// not nil, arms TCP_QUICKACK before every read.
func (s *session) run(rw io.ReadWriter, qa *quickAcker) error {
	for {
		p, err := readFrame(rw, &s.hdr, s.in, qa)
		if err != nil {
			return err
		}
		frame, answer, err := s.handle(p)
		if err != nil {
			return err
		}
		if !answer {
			continue
		}
		if _, err := rw.Write(frame); err != nil {
			return fmt.Errorf("vpcd: writing answer: %w", err)
		}
	}
}

// handle processes one payload from vpcd and returns the frame to answer,
// if any. A card that fails (an error, or a response too long for a frame)
// is an ErrCardFailed error: the server then drops the connection, which
// vpcd takes as card removal. (A zero-length answer does not work: Debian's
// vpcd 0.8 then blocks in recv(2) of zero bytes, and with it pcscd's
// SCardTransmit, until the card sends something more.)
func (s *session) handle(p []byte) (frame []byte, answer bool, err error) {
	switch len(p) {
	case 0:
		return nil, false, nil // not part of the protocol; nothing to answer
	case 1:
		return s.control(Control(p[0]))
	}
	out, err := s.card.Transmit(s.out[:2], p)
	if err == nil && len(out) < 2+2 {
		err = fmt.Errorf("%w: %d bytes", apdu.ErrShortResponse, len(out)-2)
	}
	if err == nil && len(out)-2 > MaxPayload {
		err = fmt.Errorf("%w: response of %d bytes", ErrFrameTooLong, len(out)-2)
	}
	if err != nil {
		return nil, false, fmt.Errorf("%w: command %X: %w", ErrCardFailed, p[:min(len(p), 5)], err)
	}
	if cap(out) > cap(s.out) {
		s.out = out[:0] // the card grew the buffer; keep the larger one
	}
	binary.BigEndian.PutUint16(out[:2], uint16(len(out)-2))
	return out, true, nil
}

// control carries out a vpcd control message. Only GetATR is answered; a
// card that cannot give an ATR is an ErrCardFailed error.
func (s *session) control(c Control) (frame []byte, answer bool, err error) {
	switch c {
	case PowerOff:
		if po, ok := s.card.(apdu.PowerOffer); ok {
			if err := po.PowerOff(); err != nil {
				s.logf("vpcd: power off: %v", err)
			}
		}
		// The ATR is kept: vpcd polls presence with get ATR, also while
		// the card is unpowered, and that poll must not power it on.
		return nil, false, nil
	case PowerOn, Reset:
		atr, err := s.card.Reset(c == PowerOn)
		if err != nil {
			s.logf("vpcd: %v: %v", c, err)
			s.atr = s.atr[:0]
			return nil, false, nil
		}
		s.atr = append(s.atr[:0], atr...)
		return nil, false, nil
	case GetATR:
		if len(s.atr) == 0 {
			// vpcd polls presence with get ATR from the moment the card
			// connects, before any power-on: power the card on once to
			// learn its ATR.
			atr, err := s.card.Reset(true)
			if err != nil {
				return nil, false, fmt.Errorf("%w: power on for get ATR: %w", ErrCardFailed, err)
			}
			if len(atr) == 0 {
				return nil, false, fmt.Errorf("%w: power on for get ATR: empty ATR", ErrCardFailed)
			}
			s.atr = append(s.atr[:0], atr...)
		}
		out, err := AppendFrame(s.out[:0], s.atr)
		if err != nil {
			return nil, false, fmt.Errorf("%w: ATR: %w", ErrCardFailed, err)
		}
		return out, true, nil
	}
	s.logf("vpcd: ignoring unknown %v", c)
	return nil, false, nil
}

// errClosed reports whether err is the end of a connection rather than a
// protocol fault.
func errClosed(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, ErrTruncated)
}

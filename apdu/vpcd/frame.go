package vpcd

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// MaxPayload is the largest frame payload the 2-byte length field of the
// vpcd protocol can carry.
const MaxPayload = 0xFFFF

// Sentinel errors of the frame codec; test with errors.Is.
var (
	// ErrFrameTooLong reports a payload longer than MaxPayload or longer than
	// the caller's buffer.
	ErrFrameTooLong = errors.New("vpcd: frame too long")
	// ErrTruncated reports a connection that ended inside a frame.
	ErrTruncated = errors.New("vpcd: truncated frame")
)

// Control is the 1-byte payload of a vpcd control frame (vsmartcard vpcd
// protocol: VPCD_CTRL_OFF, VPCD_CTRL_ON, VPCD_CTRL_RESET, VPCD_CTRL_ATR).
type Control byte

// The control messages vpcd sends to the card.
const (
	PowerOff Control = 0x00 // remove power: answer nothing
	PowerOn  Control = 0x01 // apply power (cold reset): answer nothing
	Reset    Control = 0x02 // warm reset: answer nothing
	GetATR   Control = 0x04 // answer the card's ATR in one frame
)

// String names the control message as the vpcd protocol does.
func (c Control) String() string {
	switch c {
	case PowerOff:
		return "power off"
	case PowerOn:
		return "power on"
	case Reset:
		return "reset"
	case GetATR:
		return "get ATR"
	}
	return fmt.Sprintf("control(%02X)", byte(c))
}

// ReadFrame reads one vpcd frame from r into buf and returns the payload,
// which aliases buf. hdr is scratch space for the 2-byte length, passed in
// so that a caller reading many frames does not allocate. A payload longer
// than buf is an ErrFrameTooLong error (the payload is not consumed); a
// stream that ends inside a frame is ErrTruncated; a clean end of stream
// before a frame begins is io.EOF.
func ReadFrame(r io.Reader, hdr *[2]byte, buf []byte) ([]byte, error) {
	return readFrame(r, hdr, buf, nil)
}

// readFrame is ReadFrame arming qa, when not nil, before each of its two
// reads: Debian's vpcd sends the length and the payload as two segments.
func readFrame(r io.Reader, hdr *[2]byte, buf []byte, qa *quickAcker) ([]byte, error) {
	if qa != nil {
		if err := qa.arm(); err != nil {
			return nil, fmt.Errorf("vpcd: setting TCP_QUICKACK: %w", err)
		}
	}
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		if err == io.ErrUnexpectedEOF {
			return nil, fmt.Errorf("%w: 1 of 2 length bytes", ErrTruncated)
		}
		return nil, err
	}
	n := int(binary.BigEndian.Uint16(hdr[:]))
	if n > len(buf) {
		return nil, fmt.Errorf("%w: length %d exceeds buffer of %d", ErrFrameTooLong, n, len(buf))
	}
	if qa != nil && n > 0 {
		if err := qa.arm(); err != nil {
			return nil, fmt.Errorf("vpcd: setting TCP_QUICKACK: %w", err)
		}
	}
	if _, err := io.ReadFull(r, buf[:n]); err != nil {
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return nil, fmt.Errorf("%w: payload of %d bytes cut short", ErrTruncated, n)
		}
		return nil, err
	}
	return buf[:n], nil
}

// AppendFrame appends payload as one vpcd frame (2-byte big-endian length,
// then the payload) to dst.
func AppendFrame(dst, payload []byte) ([]byte, error) {
	if len(payload) > MaxPayload {
		return dst, fmt.Errorf("%w: payload of %d bytes", ErrFrameTooLong, len(payload))
	}
	dst = binary.BigEndian.AppendUint16(dst, uint16(len(payload)))
	return append(dst, payload...), nil
}

//go:build cgo

package pcsc

// #cgo pkg-config: libpcsclite
// #include <winscard.h>
import "C"

import (
	"fmt"
	"sync"
	"unsafe"

	"github.com/ebfe/scard"
	"github.com/uiccsim/uiccsim/apdu"
)

// maxResponse is the largest response APDU: 65536 data bytes (extended
// Le = 0000, ISO/IEC 7816-3 §12.1.3) plus SW1 SW2, rounded up to pcsc-lite's
// MAX_BUFFER_SIZE_EXTENDED.
const maxResponse = 4 + 3 + (1 << 16) + 3 + 2

// Card is a connection to the card in one reader, in share mode
// SCARD_SHARE_SHARED (SCardConnect, PC/SC part 5 §3.1.4), on a PC/SC
// context of its own. It implements apdu.Transport and is safe for
// concurrent use; each Transmit is one SCardTransmit.
type Card struct {
	mu     sync.Mutex
	sctx   *scard.Context // the connection's own context, released by Close
	card   *scard.Card
	reader string
	proto  Protocol // protocols asked for on (re)connect

	// State of SCardTransmit, allocated once per connection so a Transmit
	// allocates nothing. C memory layouts, no Go pointers inside.
	sendPCI C.SCARD_IO_REQUEST
	recvPCI C.SCARD_IO_REQUEST
	rlen    C.DWORD
	rbuf    []byte
}

// Dial connects to the card in reader with protocol proto, as
// Context.Connect does, without a Context of the caller's.
func Dial(reader string, proto Protocol) (*Card, error) {
	return connect(reader, proto)
}

// Connect connects to the card in reader (SCardConnect, PC/SC part 5
// §3.1.4) in shared mode with protocol proto (T0, T1 or Any).
//
// pcscd holds SCardConnect back while another application keeps the card
// in a transaction (SCardBeginTransaction), so Connect may block that long;
// it does so on a PC/SC context of its own and holds nothing of c, so the
// other calls on c (Readers, ReaderStates, other Connects) go on meanwhile.
func (c *Context) Connect(reader string, proto Protocol) (*Card, error) {
	if err := checkProtocol(reader, proto); err != nil {
		return nil, err
	}
	c.mu.Lock()
	closed := c.ctx == nil
	c.mu.Unlock()
	if closed {
		return nil, ErrClosed
	}
	return connect(reader, proto)
}

func checkProtocol(reader string, proto Protocol) error {
	if proto&Any == 0 || proto&^Any != 0 {
		return fmt.Errorf("pcsc: connect %q: %w: protocol %v", reader, ErrPCSC, proto)
	}
	return nil
}

// connect establishes a PC/SC context for one connection and connects to
// the card in reader through it.
func connect(reader string, proto Protocol) (*Card, error) {
	if err := checkProtocol(reader, proto); err != nil {
		return nil, err
	}
	ctx, err := scard.EstablishContext()
	if err != nil {
		return nil, wrap("establish context", reader, err)
	}
	sc, err := ctx.Connect(reader, scard.ShareShared, scard.Protocol(proto))
	if err != nil {
		ctx.Release()
		return nil, wrap("connect", reader, err)
	}
	if m := (*scardCard)(unsafe.Pointer(sc)); m.handle == 0 || m.activeProtocol != sc.ActiveProtocol() {
		sc.Disconnect(scard.LeaveCard)
		ctx.Release()
		return nil, fmt.Errorf("pcsc: connect %q: %w: github.com/ebfe/scard's Card layout is not the one this package mirrors", reader, ErrPCSC)
	}
	return &Card{sctx: ctx, card: sc, reader: reader, proto: proto, rbuf: make([]byte, maxResponse)}, nil
}

// scardCard mirrors the layout of scard.Card (a handle and the active
// protocol) to reach the SCARDHANDLE that scard does not export, so that
// Transmit can call SCardTransmit with a reused buffer. The two array
// declarations below stop compilation if the pinned scard version ever
// changes that layout's size, and Connect checks at run time that the
// mirrored protocol field reads what ActiveProtocol says.
type scardCard struct {
	handle         uintptr
	activeProtocol scard.Protocol
}

var (
	_ [unsafe.Sizeof(scard.Card{}) - unsafe.Sizeof(scardCard{})]struct{}
	_ [unsafe.Sizeof(scardCard{}) - unsafe.Sizeof(scard.Card{})]struct{}
)

func (c *Card) handle() C.SCARDHANDLE {
	return C.SCARDHANDLE((*scardCard)(unsafe.Pointer(c.card)).handle)
}

// Transmit sends one command APDU (SCardTransmit, PC/SC part 5 §3.1.5) and
// appends the response APDU (data ‖ SW1 SW2) to dst. Commands shorter than
// 4 bytes are refused with ErrShortCommand and never reach the reader. On
// T=0 the reader driver carries the command as-is: the 61xx/6Cxx procedure
// of ISO/IEC 7816-3 §10.3.3 is left to the caller (see apdu/t0).
func (c *Card) Transmit(dst, cmd []byte) ([]byte, error) {
	if len(cmd) < 4 {
		return dst, fmt.Errorf("pcsc: transmit to %q: %w: %d bytes", c.reader, ErrShortCommand, len(cmd))
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.card == nil {
		return dst, ErrClosed
	}
	p := c.card.ActiveProtocol()
	if p != scard.ProtocolT0 && p != scard.ProtocolT1 {
		return dst, fmt.Errorf("pcsc: transmit to %q: %w: no T=0/T=1 protocol active (%#x)", c.reader, ErrPCSC, uint32(p))
	}
	c.sendPCI.dwProtocol = C.DWORD(p)
	c.sendPCI.cbPciLength = C.sizeof_SCARD_IO_REQUEST
	c.rlen = C.DWORD(len(c.rbuf))
	r := C.SCardTransmit(c.handle(), &c.sendPCI, (*C.BYTE)(unsafe.Pointer(&cmd[0])), C.DWORD(len(cmd)),
		&c.recvPCI, (*C.BYTE)(unsafe.Pointer(&c.rbuf[0])), &c.rlen)
	if r != C.SCARD_S_SUCCESS {
		return dst, wrap("transmit", c.reader, scard.Error(r))
	}
	n := int(c.rlen)
	if n < 2 || n > len(c.rbuf) {
		return dst, fmt.Errorf("pcsc: transmit to %q: %w: %d response bytes", c.reader, apdu.ErrShortResponse, n)
	}
	return append(dst, c.rbuf[:n]...), nil
}

// Reset resets the card and returns its new ATR: cold = SCardReconnect with
// SCARD_UNPOWER_CARD (power cycle, ISO/IEC 7816-3 §6.2.2), warm =
// SCARD_RESET_CARD (ISO/IEC 7816-3 §6.2.3). The ATR comes from SCardStatus.
func (c *Card) Reset(cold bool) ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.card == nil {
		return nil, ErrClosed
	}
	disp := scard.ResetCard
	if cold {
		disp = scard.UnpowerCard
	}
	if err := c.card.Reconnect(scard.ShareShared, scard.Protocol(c.proto), disp); err != nil {
		return nil, wrap("reset", c.reader, err)
	}
	return c.atr()
}

// ATR returns the card's current answer-to-reset (SCardStatus, PC/SC part 5
// §3.1.6; ISO/IEC 7816-3 §8).
func (c *Card) ATR() ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.card == nil {
		return nil, ErrClosed
	}
	return c.atr()
}

func (c *Card) atr() ([]byte, error) {
	st, err := c.card.Status()
	if err != nil {
		return nil, wrap("status", c.reader, err)
	}
	return append([]byte(nil), st.Atr...), nil
}

// Protocol returns the protocol negotiated with the card.
func (c *Card) Protocol() Protocol {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.card == nil {
		return 0
	}
	return Protocol(c.card.ActiveProtocol())
}

// Reader returns the name of the card's reader.
func (c *Card) Reader() string { return c.reader }

// Close disconnects, leaving the card powered (SCardDisconnect with
// SCARD_LEAVE_CARD), and releases the connection's PC/SC context.
func (c *Card) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.card == nil {
		return ErrClosed
	}
	err := c.card.Disconnect(scard.LeaveCard)
	c.card = nil
	if err != nil {
		err = wrap("disconnect", c.reader, err)
	}
	if rerr := c.sctx.Release(); rerr != nil && err == nil {
		err = wrap("release context", c.reader, rerr)
	}
	c.sctx = nil
	return err
}

var _ apdu.Transport = (*Card)(nil)

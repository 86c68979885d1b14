package apdufuzz

import (
	"bytes"
	"encoding/binary"

	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/usim/jc"
	"github.com/uiccsim/uiccsim/usim/store"
)

// Test applets. goodAID names a well-behaved applet; every broken one is
// installed alone under badAID.
var (
	goodAID = jc.MustAID("F0000000010001")
	pinAID  = jc.MustAID("F0000000010002")
	badAID  = jc.MustAID("F00000000100FF")
)

// Instructions of the test applets (any class; 10, 12, 14 and C2 of class
// 80 belong to the runtime's toolkit plumbing).
const (
	insGet   = 0x30 // case 2: the 4-byte counter
	insAdd   = 0x32 // case 3: add the 1-byte datum to the counter
	insEcho  = 0x34 // case 4: answer the data back
	insBytes = 0x36 // case 2: answer 2×P1 bytes 00 01 02 … (up to 510)
	insNext  = 0x38 // case 2: count up and answer the 4-byte counter
)

// good is a well-behaved applet: it checks case, lengths and parameters
// and keeps a 4-byte counter in the store.
type good struct{ ref store.Ref }

func newGood(st *store.Store, name string) *good {
	ref, err := st.Alloc(name, 4)
	if err != nil {
		panic(err)
	}
	return &good{ref}
}

func (a *good) Select(ctx *jc.Context, cmd *apdu.Command) error { return nil }
func (a *good) Deselect(ctx *jc.Context)                        {}

func (a *good) Process(ctx *jc.Context, cmd *apdu.Command) error {
	st := ctx.Store()
	switch cmd.INS {
	case insGet:
		if cmd.P1 != 0 || cmd.P2 != 0 {
			return apdu.SWIncorrectP1P2
		}
		if len(cmd.Data) != 0 {
			return apdu.SWWrongLength
		}
		ctx.Out = append(ctx.Out, st.Bytes(a.ref)...)
		return nil
	case insAdd:
		if cmd.P1 != 0 || cmd.P2 != 0 {
			return apdu.SWIncorrectP1P2
		}
		if len(cmd.Data) != 1 || cmd.Ne != 0 {
			return apdu.SWWrongLength
		}
		v := binary.BigEndian.Uint32(st.Bytes(a.ref)) + uint32(cmd.Data[0])
		return st.Write(a.ref, 0, binary.BigEndian.AppendUint32(nil, v))
	case insEcho:
		ctx.Out = append(ctx.Out, cmd.Data...)
		return nil
	case insBytes:
		if len(cmd.Data) != 0 {
			return apdu.SWWrongLength
		}
		for i := range 2 * int(cmd.P1) {
			ctx.Out = append(ctx.Out, byte(i))
		}
		return nil
	case insNext:
		if len(cmd.Data) != 0 || cmd.Ne == 0 {
			return apdu.SWWrongLength
		}
		v := binary.BigEndian.Uint32(st.Bytes(a.ref)) + 1
		b := binary.BigEndian.AppendUint32(nil, v)
		if err := st.Write(a.ref, 0, b); err != nil {
			return err
		}
		ctx.Out = append(ctx.Out, b...)
		return nil
	}
	return apdu.SWINSNotSupported
}

// newRuntime returns a fresh jc runtime with the given applets installed
// by install.
func newRuntime(t1 bool, install func(rt *jc.Runtime)) func() Target {
	return func() Target {
		rt := jc.New(jc.Options{T1: t1})
		install(rt)
		return rt
	}
}

// pinApplet keeps a PIN (key reference 01) and its PUK the way ETSI TS
// 102 221 §11.1.9 and §11.1.13 describe: 8-byte values, try counters
// written through (decremented before the comparison), 63Cx on failure,
// 6983 once blocked, empty data asking for the counter. The bug flags
// break it on purpose.
type pinApplet struct {
	pin, puk, tries store.Ref // tries: [PIN tries, PUK tries]
	verified        [jc.MaxChannels]bool

	decrementTwice    bool // a failure costs two tries
	acceptWhenBlocked bool // the right PIN passes at 0 tries
}

const (
	pinMax = 3
	pukMax = 10
)

var (
	testPIN = []byte("1234\xFF\xFF\xFF\xFF")
	testPUK = []byte("87654321")
)

func newPINApplet(st *store.Store) *pinApplet {
	a := &pinApplet{}
	var err error
	if a.pin, err = st.Alloc("pin.value", 8); err != nil {
		panic(err)
	}
	if a.puk, err = st.Alloc("puk.value", 8); err != nil {
		panic(err)
	}
	if a.tries, err = st.Alloc("pin.tries", 2); err != nil {
		panic(err)
	}
	st.Write(a.pin, 0, testPIN)
	st.Write(a.puk, 0, testPUK)
	st.Write(a.tries, 0, []byte{pinMax, pukMax})
	return a
}

func (a *pinApplet) Select(ctx *jc.Context, cmd *apdu.Command) error {
	a.verified[ctx.Channel()] = false
	return nil
}

func (a *pinApplet) Deselect(ctx *jc.Context) { a.verified[ctx.Channel()] = false }

// present checks value against cell ref with try counter i.
func (a *pinApplet) present(ctx *jc.Context, ref store.Ref, i int, max byte, value []byte) error {
	st := ctx.Store()
	left := st.Bytes(a.tries)[i]
	if left == 0 && !a.acceptWhenBlocked {
		return apdu.SWAuthMethodBlocked
	}
	dec := byte(1)
	if a.decrementTwice {
		dec = 2
	}
	if left >= dec {
		if err := st.WriteThrough(a.tries, i, []byte{left - dec}); err != nil {
			return err
		}
	}
	if !bytes.Equal(st.Bytes(ref), value) {
		return apdu.SWRetries(int(st.Bytes(a.tries)[i]))
	}
	return st.WriteThrough(a.tries, i, []byte{max})
}

func (a *pinApplet) Process(ctx *jc.Context, cmd *apdu.Command) error {
	if cmd.Class().Kind() != apdu.ClassInterindustry {
		return apdu.SWCLANotSupported
	}
	if cmd.INS != 0x20 && cmd.INS != 0x2C {
		return apdu.SWINSNotSupported
	}
	if cmd.P1 != 0 || cmd.P2 != 0x01 {
		return apdu.SWIncorrectP1P2
	}
	st := ctx.Store()
	if cmd.Ne != 0 {
		return apdu.SWWrongLength
	}
	switch cmd.INS {
	case 0x20: // VERIFY PIN
		switch len(cmd.Data) {
		case 0:
			if a.verified[ctx.Channel()] {
				return nil
			}
			return apdu.SWRetries(int(st.Bytes(a.tries)[0]))
		case 8:
		default:
			return apdu.SWWrongLength
		}
		if err := a.present(ctx, a.pin, 0, pinMax, cmd.Data); err != nil {
			return err
		}
		a.verified[ctx.Channel()] = true
		return nil
	default: // UNBLOCK PIN
		switch len(cmd.Data) {
		case 0:
			return apdu.SWRetries(int(st.Bytes(a.tries)[1]))
		case 16:
		default:
			return apdu.SWWrongLength
		}
		if err := a.present(ctx, a.puk, 1, pukMax, cmd.Data[:8]); err != nil {
			return err
		}
		if err := st.Write(a.pin, 0, cmd.Data[8:]); err != nil {
			return err
		}
		if err := st.WriteThrough(a.tries, 0, []byte{pinMax}); err != nil {
			return err
		}
		a.verified[ctx.Channel()] = true
		return nil
	}
}

// handler is a hand-written APDU handler without the runtime: fn answers
// each parsed command; its state is a byte slice it may change.
type handler struct {
	fn      func(h *handler, c *apdu.Command) ([]byte, apdu.StatusWord)
	state   []byte
	onReset func(h *handler)
}

func (h *handler) Transmit(dst, cmd []byte) ([]byte, error) {
	c, err := apdu.ParseCommand(cmd)
	if err != nil {
		return append(dst, 0x67, 0x00), nil
	}
	data, sw := h.fn(h, &c)
	return apdu.AppendResponse(dst, data, sw), nil
}

func (h *handler) Reset(cold bool) ([]byte, error) {
	if h.onReset != nil {
		h.onReset(h)
	}
	return []byte{0x3B, 0x00}, nil
}

func (h *handler) Close() error { return nil }

func (h *handler) AppendState(dst []byte) []byte { return append(dst, h.state...) }

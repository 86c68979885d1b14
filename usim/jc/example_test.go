package jc_test

import (
	"fmt"

	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/usim/jc"
	"github.com/uiccsim/uiccsim/usim/store"
)

// hello is a minimal applet: INS 01 answers "hi", INS 02 counts in a
// persistent cell, anything else is refused with 6D00.
type hello struct{ counter store.Ref }

func (h *hello) Select(ctx *jc.Context, cmd *apdu.Command) error { return nil }
func (h *hello) Deselect(ctx *jc.Context)                        {}
func (h *hello) Process(ctx *jc.Context, cmd *apdu.Command) error {
	switch cmd.INS {
	case 0x01:
		ctx.Out = append(ctx.Out, 'h', 'i')
		return nil
	case 0x02:
		st := ctx.Store()
		n := st.Bytes(h.counter)[0] + 1
		if err := st.Write(h.counter, 0, []byte{n}); err != nil {
			return err
		}
		ctx.Out = append(ctx.Out, n)
		return nil
	}
	return apdu.SWINSNotSupported // the ISOException idiom
}

func Example() {
	rt := jc.New(jc.Options{T1: true})
	ref, _ := rt.Store().Alloc("hello.counter", 1)
	rt.Install(jc.MustAID("F0010203040506"), &hello{counter: ref})
	rt.Reset(true)
	for _, cmd := range [][]byte{
		{0x00, 0xA4, 0x04, 0x0C, 0x05, 0xF0, 0x01, 0x02, 0x03, 0x04}, // partial AID
		{0x80, 0x01, 0x00, 0x00, 0x00},
		{0x80, 0x02, 0x00, 0x00, 0x01},
		{0x80, 0x02, 0x00, 0x00, 0x01},
		{0x80, 0x03, 0x00, 0x00},
	} {
		r, _ := rt.Transmit(nil, cmd)
		fmt.Printf("% X\n", r)
	}
	// Output:
	// 90 00
	// 68 69 90 00
	// 01 90 00
	// 02 90 00
	// 6D 00
}

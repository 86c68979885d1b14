package jc

import "github.com/uiccsim/uiccsim/apdu"

// manageChannel is MANAGE CHANNEL, ETSI TS 102 221 §11.1.17: P1=00 with
// P2=00 opens a channel the card assigns and answers its number (channels
// 1..3 first, 4..19 only after a TERMINAL CAPABILITY announcing extended
// logical channels; none left: 6A81); P1=80 closes channel P2 (01..13).
// The basic channel cannot be closed. A channel opened from the basic
// channel starts at the MF with no application; one opened from another
// channel inherits that channel's application and current DF.
func (rt *Runtime) manageChannel(ctx *Context, c *apdu.Command) error {
	if len(c.Data) != 0 {
		return apdu.SWWrongLength
	}
	switch c.P1 {
	case 0x00:
		if c.P2 != 0 {
			return apdu.SWIncorrectP1P2 // values 01..13 are for closing only
		}
		if !rt.t1 && c.Ne > 1 && c.Ne != apdu.MaxShortNe {
			return apdu.StatusWord(0x6C01) // T=0: the answer is one byte
		}
		last := 3
		if rt.extendedChannels {
			last = MaxChannels - 1
		}
		n := 0
		for i := 1; i <= last; i++ {
			if !rt.ch[i].open {
				n = i
				break
			}
		}
		if n == 0 {
			return apdu.SWFunctionNotSupported // no channel left
		}
		from := ctx.channel
		rt.ch[n] = channel{open: true, app: -1}
		if from != 0 {
			rt.ch[n].app = rt.ch[from].app
		}
		if rt.base != nil {
			rt.base.OpenChannel(n, from)
		}
		ctx.Out = append(ctx.Out, byte(n))
		return nil
	case 0x80:
		n := int(c.P2)
		if n == 0 || n >= MaxChannels || !rt.ch[n].open {
			return apdu.SWIncorrectP1P2
		}
		rt.closeChannel(ctx, n)
		return nil
	}
	return apdu.SWIncorrectP1P2
}

// terminalCapability is TERMINAL CAPABILITY, ETSI TS 102 221 §11.1.19:
// a terminal capability template (A9) whose extended logical channels DO
// (81) lets the card open channels 4..19 (§11.1.19.2.2); other DOs are
// acknowledged. The announcement lasts until reset.
func (rt *Runtime) terminalCapability(c *apdu.Command) error {
	if c.P1 != 0 || c.P2 != 0 {
		return apdu.SWIncorrectP1P2
	}
	d := c.Data
	if len(d) < 2 || d[0] != 0xA9 || int(d[1]) != len(d)-2 {
		return apdu.SWWrongLength
	}
	ext := false
	for v := d[2:]; len(v) > 0; {
		if len(v) < 2 || int(v[1]) > len(v)-2 {
			return apdu.SWIncorrectDataField
		}
		ext = ext || v[0] == 0x81
		v = v[2+int(v[1]):]
	}
	rt.extendedChannels = rt.extendedChannels || ext
	return nil
}

func (rt *Runtime) closeChannel(ctx *Context, n int) {
	if app := rt.ch[n].app; app >= 0 {
		saved := ctx.channel
		ctx.channel = n
		rt.apps[app].applet.Deselect(ctx)
		ctx.channel = saved
	}
	rt.ch[n] = channel{app: -1}
	if rt.base != nil {
		rt.base.CloseChannel(n)
	}
}

// OpenChannels returns the numbers of the open logical channels.
func (rt *Runtime) OpenChannels() []int {
	var r []int
	for i := range rt.ch {
		if rt.ch[i].open {
			r = append(r, i)
		}
	}
	return r
}

package jc

import "github.com/uiccsim/uiccsim/apdu"

// manageChannel is MANAGE CHANNEL, ETSI TS 102 221 §11.1.17: P1=00 opens
// (P2=00: the card assigns and answers the channel number; P2=01..13: that
// channel), P1=80 closes channel P2. A channel opened from the basic channel
// starts at the MF with no application; one opened from another channel
// inherits that channel's application and current DF.
func (rt *Runtime) manageChannel(ctx *Context, c *apdu.Command) error {
	if len(c.Data) != 0 {
		return apdu.SWWrongLength
	}
	switch c.P1 {
	case 0x00:
		if c.P2 == 0 && !rt.t1 && c.Ne > 1 && c.Ne != apdu.MaxShortNe {
			return apdu.StatusWord(0x6C01) // T=0: the answer is one byte
		}
		n := int(c.P2)
		if n == 0 {
			for i := 1; i < MaxChannels; i++ {
				if !rt.ch[i].open {
					n = i
					break
				}
			}
			if n == 0 {
				return apdu.SWFunctionNotSupported // no channel left
			}
		} else if n >= MaxChannels || rt.ch[n].open {
			return apdu.SWIncorrectP1P2
		}
		from := ctx.channel
		rt.ch[n] = channel{open: true, app: -1}
		if from != 0 {
			rt.ch[n].app = rt.ch[from].app
		}
		if rt.base != nil {
			rt.base.OpenChannel(n, from)
		}
		if c.P2 == 0 {
			ctx.Out = append(ctx.Out, byte(n))
		}
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

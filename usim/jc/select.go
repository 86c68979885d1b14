package jc

import "github.com/uiccsim/uiccsim/apdu"

// SELECT P2 fields for selection by DF name, ETSI TS 102 221 §11.1.1.2
// Table 11.2 and ISO/IEC 7816-4 §7.1.1 Table 40.
const (
	p2Occurrence  = 0x03 // b2 b1: 00 first/only, 01 last, 10 next, 11 previous
	p2Response    = 0x0C // b4 b3: 00 FCI (answered as FCP), 01 FCP, 11 no data
	p2Session     = 0x60 // b7 b6: 00 activation, 10 termination (TS 102 221)
	p2NoData      = 0x0C
	p2Termination = 0x40
)

// selectAID performs SELECT by DF name (P1=04): full or right-truncated
// AIDs, first/last/next/previous occurrence, application session
// activation and termination (ETSI TS 102 221 §11.1.1, §8.5.2).
func (rt *Runtime) selectAID(ctx *Context, c *apdu.Command) error {
	p2 := c.P2
	if p2&0x80 != 0 || p2&0x10 != 0 || p2&p2Response == 0x08 ||
		(p2&p2Session != 0 && p2&p2Session != p2Termination) {
		return apdu.SWIncorrectP1P2
	}
	if len(c.Data) < 1 || len(c.Data) > 16 {
		return apdu.SWWrongLength
	}
	ch := &rt.ch[ctx.channel]
	if p2&p2Session == p2Termination {
		if ch.app < 0 || !rt.apps[ch.app].aid.HasPrefix(c.Data) {
			return apdu.SWFileNotFound
		}
		rt.apps[ch.app].applet.Deselect(ctx)
		ch.app = -1
		return nil
	}
	i := rt.findAID(c.Data, ch.app, p2&p2Occurrence)
	if i < 0 {
		return apdu.SWFileNotFound
	}
	if err := rt.apps[i].applet.Select(ctx, c); err != nil {
		return err
	}
	if ch.app >= 0 && ch.app != i {
		rt.apps[ch.app].applet.Deselect(ctx)
	}
	ch.app = i
	if p2&p2Response == p2NoData {
		ctx.Out = ctx.Out[:0]
	}
	return nil
}

// findAID returns the installed applet matching the (possibly partial)
// name for the occurrence asked, relative to the current application cur,
// or -1.
func (rt *Runtime) findAID(name []byte, cur int, occ byte) int {
	n := len(rt.apps)
	match := func(i int) bool { return rt.apps[i].aid.HasPrefix(name) }
	curMatches := cur >= 0 && match(cur)
	switch occ {
	case 0x00: // first or only
		for i := range n {
			if match(i) {
				return i
			}
		}
	case 0x01: // last
		for i := n - 1; i >= 0; i-- {
			if match(i) {
				return i
			}
		}
	case 0x02: // next
		start := 0
		if curMatches {
			start = cur + 1
		}
		for i := start; i < n; i++ {
			if match(i) {
				return i
			}
		}
	case 0x03: // previous
		start := n - 1
		if curMatches {
			start = cur - 1
		}
		for i := start; i >= 0; i-- {
			if match(i) {
				return i
			}
		}
	}
	return -1
}

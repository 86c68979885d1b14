package jc

import (
	"fmt"

	"github.com/uiccsim/uiccsim/apdu"
)

// MaxProactive is the number of proactive commands that may wait for FETCH.
const MaxProactive = 8

// EnvelopeFunc handles the data of an ENVELOPE (ETSI TS 102 221 §11.2.2,
// ETSI TS 102 223 §7): SMS-PP data download, menu selection, event
// download… It may answer data (ctx.Out) and queue proactive commands.
type EnvelopeFunc func(ctx *Context, data []byte) error

// TerminalResponseFunc handles a TERMINAL RESPONSE (ETSI TS 102 221
// §11.2.4) to the proactive command fetched last.
type TerminalResponseFunc func(ctx *Context, data []byte) error

// proactive is the card application toolkit plumbing of ETSI TS 102 221
// §7.4.2 and §11.2: the TERMINAL PROFILE, the queue of proactive commands
// announced by 91xx and delivered by FETCH, and the ENVELOPE and TERMINAL
// RESPONSE hooks.
type proactive struct {
	profile    []byte
	queue      [MaxProactive][]byte
	qn         int
	envelopeFn EnvelopeFunc
	termRespFn TerminalResponseFunc
}

func (p *proactive) reset() {
	p.profile = p.profile[:0]
	for i := range p.qn {
		p.queue[i] = p.queue[i][:0]
	}
	p.qn = 0
}

// SetEnvelopeHandler installs the ENVELOPE hook (nil: ENVELOPE answers 6D00).
func (rt *Runtime) SetEnvelopeHandler(f EnvelopeFunc) { rt.envelopeFn = f }

// SetTerminalResponseHandler installs the TERMINAL RESPONSE hook (nil:
// TERMINAL RESPONSE is acknowledged with 9000).
func (rt *Runtime) SetTerminalResponseHandler(f TerminalResponseFunc) { rt.termRespFn = f }

// TerminalProfile returns the last TERMINAL PROFILE data since reset (not
// a copy).
func (rt *Runtime) TerminalProfile() []byte { return rt.profile }

// Enqueue queues a proactive command (a BER-TLV, tag D0, ETSI TS 102 223
// §6.6) for FETCH; the next command ending 9000 answers 91xx instead.
func (rt *Runtime) Enqueue(cmd []byte) error {
	if len(cmd) == 0 || len(cmd) > 255 {
		return fmt.Errorf("jc: proactive command of %d bytes (1..255)", len(cmd))
	}
	if rt.qn == MaxProactive {
		return ErrQueueFull
	}
	rt.queue[rt.qn] = append(rt.queue[rt.qn][:0], cmd...)
	rt.qn++
	return nil
}

// Pending returns the number of proactive commands waiting for FETCH.
func (rt *Runtime) Pending() int { return rt.qn }

// proactiveSW is 9000, or 91xx when a proactive command of xx bytes waits
// (ETSI TS 102 221 §10.2.1.1).
func (rt *Runtime) proactiveSW() apdu.StatusWord {
	if rt.qn == 0 {
		return apdu.SWOK
	}
	return apdu.StatusWord(0x9100 | len(rt.queue[0]))
}

func (rt *Runtime) terminalProfile(c *apdu.Command) error {
	if c.P1 != 0 || c.P2 != 0 {
		return apdu.SWIncorrectP1P2
	}
	if len(c.Data) == 0 {
		return apdu.SWWrongLength
	}
	rt.profile = append(rt.profile[:0], c.Data...)
	return nil
}

// fetch is FETCH, ETSI TS 102 221 §11.2.3: it delivers the oldest queued
// proactive command when Le is its length (or 00), else answers 6Cxx and
// keeps it; with nothing queued it answers 6985.
func (rt *Runtime) fetch(ctx *Context, c *apdu.Command) error {
	if c.P1 != 0 || c.P2 != 0 {
		return apdu.SWIncorrectP1P2
	}
	if len(c.Data) != 0 {
		return apdu.SWWrongLength
	}
	if rt.qn == 0 {
		return apdu.SWConditionsNotSatisfied
	}
	cmd := rt.queue[0]
	if ok := c.Ne == 0 || c.Ne == len(cmd) || (rt.t1 && c.Ne > len(cmd)) ||
		(!rt.t1 && c.Ne == apdu.MaxShortNe); !ok {
		return apdu.StatusWord(0x6C00 | len(cmd))
	}
	ctx.Out = append(ctx.Out, cmd...)
	first := rt.queue[0]
	copy(rt.queue[:], rt.queue[1:rt.qn])
	rt.qn--
	rt.queue[rt.qn] = first[:0]
	return nil
}

func (rt *Runtime) terminalResponse(ctx *Context, c *apdu.Command) error {
	if c.P1 != 0 || c.P2 != 0 {
		return apdu.SWIncorrectP1P2
	}
	if len(c.Data) == 0 {
		return apdu.SWWrongLength
	}
	if rt.termRespFn == nil {
		return nil
	}
	return rt.termRespFn(ctx, c.Data)
}

func (rt *Runtime) envelope(ctx *Context, c *apdu.Command) error {
	if c.P1 != 0 || c.P2 != 0 {
		return apdu.SWIncorrectP1P2
	}
	if len(c.Data) == 0 {
		return apdu.SWWrongLength
	}
	if rt.envelopeFn == nil {
		return apdu.SWINSNotSupported
	}
	return rt.envelopeFn(ctx, c.Data)
}

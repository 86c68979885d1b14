package apdufuzz

import (
	"fmt"
	"runtime/debug"
	"strconv"

	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/usim/jc"
)

// session is one decoded APDU session against one fresh target.
type session struct {
	cfg   *Config
	t     Target
	state state
	in    input
	log   transcript
	aids  [][]byte

	open  [jc.MaxChannels]bool
	pend  pending
	redo  redo
	pins  pinModel
	armed bool // a power loss is armed
	v     *Violation

	cmd, data, resp, tmp []byte
}

// pending is an announced 61xx: GET RESPONSE with Le=want on channel ch
// must return want bytes.
type pending struct {
	ok   bool
	ch   int
	want int
}

// redo is an announced 6Cxx: the command in cmd resent with Le=want must
// return want bytes.
type redo struct {
	ok     bool
	want   int
	cmd    []byte
	expect int // >0 while the resent command is in flight
}

func (s *session) init(cfg *Config, t Target, data []byte) {
	s.cfg, s.t, s.v, s.armed = cfg, t, nil, false
	s.in = input{b: data}
	s.log.reset()
	s.state.init(t, cfg.TornExempt)
	s.aids = append(s.aids[:0], cfg.AIDs...)
	if len(s.aids) == 0 {
		if l, ok := t.(AppletLister); ok {
			for _, a := range l.Applets() {
				s.aids = append(s.aids, a.Bytes())
			}
		}
	}
	s.pins = pinModel{}
	s.forget()
}

// forget drops the volatile model after a reset: only the basic channel
// is open and nothing waits for GET RESPONSE.
func (s *session) forget() {
	s.open = [jc.MaxChannels]bool{0: true}
	s.pend = pending{}
	s.redo.ok, s.redo.expect = false, 0
}

func (s *session) fail(inv Invariant, format string, args ...any) {
	if s.v != nil {
		return
	}
	s.v = &Violation{Invariant: inv, Step: s.log.n, Detail: fmt.Sprintf(format, args...), Transcript: s.log.String()}
}

// run plays the whole input and returns the first violation.
func (s *session) run() *Violation {
	defer s.t.Close()
	s.reset(true)
	for steps := 0; s.v == nil && s.in.more() && steps < s.cfg.MaxSteps; steps++ {
		s.step()
	}
	return s.v
}

// transmit calls the target, turning a panic into a violation.
func (s *session) transmit(cmd []byte) (resp []byte, err error, ok bool) {
	defer func() {
		if r := recover(); r != nil {
			s.fail(NoPanic, "Transmit panicked: %v\n%s", r, debug.Stack())
			ok = false
		}
	}()
	resp, err = s.t.Transmit(s.resp[:0], cmd)
	return resp, err, true
}

func (s *session) doReset(cold bool) (atr []byte, err error, ok bool) {
	defer func() {
		if r := recover(); r != nil {
			s.fail(NoPanic, "Reset panicked: %v\n%s", r, debug.Stack())
			ok = false
		}
	}()
	atr, err = s.t.Reset(cold)
	return atr, err, true
}

func resetName(cold bool) []byte {
	if cold {
		return []byte("cold")
	}
	return []byte("warm")
}

// reset resets the card and checks that persistent state did not move.
func (s *session) reset(cold bool) {
	s.state.take()
	s.log.add(recReset, resetName(cold), nil)
	at := len(s.log.b) - 4
	atr, err, ok := s.doReset(cold)
	if !ok {
		return
	}
	s.log.setLast(at, atr)
	if err != nil {
		s.fail(ExchangeOK, "reset failed: %v", err)
		return
	}
	if d := s.state.diff(false); d != "" {
		s.fail(ResetUnchanged, "%s", d)
	}
	s.forget()
}

// send transmits one command APDU and checks every per-exchange
// invariant. It reports whether the card lost power during it.
func (s *session) send(cmd []byte) (lost bool) {
	c, perr := apdu.ParseCommand(cmd)
	malformed := perr != nil
	expect := s.redo.expect
	s.redo.expect = 0
	s.state.take()
	s.log.add(recCommand, cmd, nil)
	at := len(s.log.b) - 4
	resp, err, ok := s.transmit(cmd)
	if !ok {
		return false
	}
	if resp != nil {
		s.resp = resp[:0]
	}
	s.log.setLast(at, resp)
	if st := s.state.st; st != nil && st.Dead() {
		if err == nil {
			s.fail(PowerLossRecovered, "the card answered %X after losing power", resp)
		} else if !s.armed {
			s.fail(ExchangeOK, "store dead without an injected power loss: %v", err)
		}
		return true
	}
	if err != nil {
		s.fail(ExchangeOK, "Transmit failed: %v", err)
		return false
	}
	if len(resp) < 2 {
		s.fail(ValidSW, "response of %d bytes has no status word", len(resp))
		return false
	}
	data := resp[:len(resp)-2]
	sw := apdu.StatusWord(resp[len(resp)-2])<<8 | apdu.StatusWord(resp[len(resp)-1])
	s1 := sw.SW1()
	if !(s1 >= 0x61 && s1 <= 0x6F || s1 >= 0x90 && s1 <= 0x9F) {
		s.fail(ValidSW, "SW %04X: SW1 must be 61–6F or 90–9F", uint16(sw))
		return false
	}
	if len(data) > 0 && !carriesData(sw) {
		s.fail(DataWithSW, "%d data bytes with SW %04X", len(data), uint16(sw))
		return false
	}
	if malformed {
		if len(data) > 0 {
			s.fail(MalformedRejected, "malformed APDU (%v) answered %d data bytes", perr, len(data))
			return false
		}
		if !rejected(sw) {
			s.fail(MalformedRejected, "malformed APDU (%v) answered %04X, not an error", perr, uint16(sw))
			return false
		}
		if d := s.state.diff(false); d != "" {
			s.fail(MalformedRejected, "malformed APDU (%v) answered %04X but %s", perr, uint16(sw), d)
		}
		return false
	}
	if len(data) > c.Ne {
		if c.Ne == 0 {
			s.fail(WithinNe, "%d data bytes for a %s command (no Le)", len(data), c.Case())
		} else {
			s.fail(WithinNe, "%d data bytes for Ne=%d", len(data), c.Ne)
		}
		return false
	}
	ch := c.Class().Channel()
	if s.pend.ok && isGetResponse(&c) && ch == s.pend.ch && c.Ne == s.pend.want {
		if len(data) != c.Ne || !(sw.OK() || s1 == 0x61) {
			s.fail(GetResponseKept, "61%02X announced %d bytes, GET RESPONSE with Le=%02X answered %d bytes and %04X",
				byte(s.pend.want), s.pend.want, byte(c.Ne), len(data), uint16(sw))
			return false
		}
	}
	if want := expect; want > 0 {
		if len(data) != want || !(sw.OK() || s1 == 0x61 || s1 == 0x62 || s1 == 0x63) {
			s.fail(WrongLeKept, "6C%02X announced %d bytes, the command resent with Le=%02X answered %d bytes and %04X",
				byte(want), want, byte(want), len(data), uint16(sw))
			return false
		}
	}
	s.redo.ok = false
	if s1 == 0x6C {
		want := int(sw.SW2())
		if want == 0 {
			want = apdu.MaxShortNe
		}
		s.redo.ok, s.redo.want = true, want
		s.redo.cmd = append(s.redo.cmd[:0], cmd...)
	}
	s.pend.ok = false
	if s1 == 0x61 {
		want := int(sw.SW2())
		if want == 0 {
			want = apdu.MaxShortNe
		}
		s.pend = pending{ok: true, ch: ch, want: want}
	}
	if rejected(sw) {
		if d := s.state.diff(false); d != "" {
			s.fail(RejectedUnchanged, "answered %04X but %s", uint16(sw), d)
			return false
		}
	}
	s.track(&c, data, sw)
	return false
}

// isGetResponse reports GET RESPONSE, ISO/IEC 7816-4 §7.6.1 (INS C0,
// P1-P2 0000, no data).
func isGetResponse(c *apdu.Command) bool {
	return c.INS == 0xC0 && c.P1 == 0 && c.P2 == 0 && len(c.Data) == 0 &&
		c.Class().Kind() == apdu.ClassInterindustry
}

// carriesData reports the status words that may follow response data:
// SW1 61, 62, 63 or 90–9F (ETSI TS 102 221 §10.2).
func carriesData(sw apdu.StatusWord) bool {
	s1 := sw.SW1()
	return s1 == 0x61 || s1 == 0x62 || s1 == 0x63 || s1 >= 0x90 && s1 <= 0x9F
}

// rejected reports a status word after which persistent memory must be as
// before: 64xx (execution error, state unchanged) and 66xx–6Fxx (checking
// errors), ISO/IEC 7816-4 §5.6 Table 5. 65xx (state changed) is excluded.
func rejected(sw apdu.StatusWord) bool {
	s1 := sw.SW1()
	return s1 == 0x64 || s1 >= 0x66 && s1 <= 0x6F
}

// track updates the volatile model: open channels (MANAGE CHANNEL, ETSI TS
// 102 221 §11.1.17) and PIN counters.
func (s *session) track(c *apdu.Command, data []byte, sw apdu.StatusWord) {
	if s.cfg.PINs {
		if msg := s.pins.observe(c, sw); msg != "" {
			s.fail(PINCounters, "%s", msg)
			return
		}
	}
	if c.INS != 0x70 || c.Class().Kind() != apdu.ClassInterindustry || !sw.OK() {
		return
	}
	switch c.P1 {
	case 0x00:
		n := int(c.P2)
		if n == 0 && len(data) == 1 {
			n = int(data[0])
		}
		if n > 0 && n < jc.MaxChannels {
			s.open[n] = true
		}
	case 0x80:
		if n := int(c.P2); n > 0 && n < jc.MaxChannels {
			s.open[n] = false
		}
	}
}

// powerLoss arms a power loss after n persistent writes, sends one
// command (decoded, or raw as in Config.Scripts), and when the card died restarts it — possibly cutting power
// again after m writes of the recovery — and checks it holds the state
// from before.
func (s *session) powerLoss() {
	st := s.state.st
	n := int(s.in.u8())
	if n < 0xC0 {
		n %= 8 // most commands write a few times
	} else {
		n %= 64
	}
	recut, m := s.in.u8()&3 == 0, int(s.in.u8()%4)
	raw := s.in.u8()&0x80 != 0
	s.tmp = strconv.AppendInt(s.tmp[:0], int64(n), 10)
	s.log.add(recPowerLoss, s.tmp, nil)
	s.state.take()
	st.FailAfter(n)
	s.armed = true
	var cmd []byte
	if raw {
		cmd = s.rawBytes()
	} else {
		cmd = s.build()
	}
	lost := s.send(cmd)
	st.FailAfter(-1)
	s.armed = false
	if !lost || s.v != nil {
		return
	}
	if c, err := apdu.ParseCommand(cmd); err == nil {
		s.pins.torn(&c)
	}
	for try := 0; ; try++ {
		if try == 0 && recut {
			s.tmp = strconv.AppendInt(s.tmp[:0], int64(m), 10)
			s.log.add(recPowerLoss, s.tmp, nil)
			st.FailAfter(m)
		}
		s.log.add(recReset, []byte("cold, restart after the power loss"), nil)
		at := len(s.log.b) - 4
		atr, err, ok := s.doReset(true)
		st.FailAfter(-1)
		if !ok {
			return
		}
		s.log.setLast(at, atr)
		if err == nil {
			break
		}
		if try > 0 || !st.Dead() {
			s.fail(PowerLossRecovered, "restart failed: %v", err)
			return
		}
	}
	if d := s.state.diff(true); d != "" {
		s.fail(PowerLossRecovered, "after restart %s", d)
	}
	s.state.invalidate()
	s.forget()
}

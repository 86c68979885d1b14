package apdufuzz

import (
	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/usim/jc"
)

// input hands out the fuzzer's bytes; past the end it yields zeros.
type input struct {
	b   []byte
	off int
}

func (in *input) more() bool { return in.off < len(in.b) }

func (in *input) u8() byte {
	if in.off >= len(in.b) {
		return 0
	}
	c := in.b[in.off]
	in.off++
	return c
}

func (in *input) u16() int { return int(in.u8())<<8 | int(in.u8()) }

// Step opcodes: the first byte of every step, taken modulo opCount.
const (
	opCommand     = 0 // 0..5: a well-formed command
	opPIN         = 6 // a PIN command (Config.PINs), else a command
	opSelect      = 7 // 7, 8: SELECT by DF name of a target AID
	opManage      = 9
	opGetResponse = 10
	opMalformed   = 11
	opChain       = 12
	opReset       = 13
	opPowerLoss   = 14 // (Config.PowerLoss and a StoreHolder), else a command
	opRaw         = 15 // raw bytes: a length, then the APDU as it is
	opCount       = 16
)

// step decodes and plays one step.
func (s *session) step() {
	switch op := s.in.u8() % opCount; op {
	case opPIN:
		if s.cfg.PINs {
			s.pin()
			return
		}
		s.send(s.build())
	case opSelect, opSelect + 1:
		s.selectAID()
	case opManage:
		s.manage()
	case opGetResponse:
		s.getResponse()
	case opMalformed:
		s.malformed()
	case opChain:
		s.chain()
	case opReset:
		s.reset(s.in.u8()&1 == 0)
	case opPowerLoss:
		if s.cfg.PowerLoss && s.state.st != nil {
			s.powerLoss()
			return
		}
		s.send(s.build())
	case opRaw:
		s.raw()
	default:
		s.send(s.build())
	}
}

// raw sends up to 255 input bytes as they are: the seeds of
// Config.Scripts, which the fuzzer then mutates byte by byte.
func (s *session) raw() { s.send(s.rawBytes()) }

func (s *session) rawBytes() []byte {
	n := int(s.in.u8())
	b := s.cmd[:0]
	for range n {
		b = append(b, s.in.u8())
	}
	s.cmd = b
	return b
}

// channel picks a logical channel: mostly an open one (as the session
// model knows them), sometimes any of 0..19 to reach closed ones.
func (s *session) channel() int {
	b := s.in.u8()
	if b >= 0xE0 {
		return int(b) % jc.MaxChannels
	}
	n := 0
	for _, o := range s.open {
		if o {
			n++
		}
	}
	k := int(b) % n
	for i, o := range s.open {
		if o {
			if k == 0 {
				return i
			}
			k--
		}
	}
	return 0
}

// class picks a class byte from Config.CLA re-coded for channel ch (ETSI
// TS 102 221 §10.1.1), or rarely any byte at all (GSM A0, PPS FF, RFU).
func (s *session) class(ch int) byte {
	b := s.in.u8()
	if b >= 0xF8 {
		return s.in.u8()
	}
	return byte(apdu.CLA(s.cfg.CLA[int(b)%len(s.cfg.CLA)]).WithChannel(ch))
}

// ins picks an instruction: mostly one of Config.INS.
func (s *session) ins() byte {
	b := s.in.u8()
	if len(s.cfg.INS) > 0 && b < 0xC0 {
		return s.cfg.INS[int(b)%len(s.cfg.INS)]
	}
	return s.in.u8()
}

// param picks P1 or P2: one input byte as it is, so that a single
// mutation of the coverage-guided fuzzer reaches any value.
func (s *session) param() byte { return s.in.u8() }

// bodyInput is how many data bytes come from the input; longer data
// fields are filled up with a counting pattern, so that a long command
// does not eat the rest of the session.
const bodyInput = 32

// body returns n bytes of command data, or one of Config.Secrets.
func (s *session) body(n int) []byte {
	if len(s.cfg.Secrets) > 0 {
		if b := s.in.u8(); b < 0x60 {
			return s.cfg.Secrets[int(b)%len(s.cfg.Secrets)]
		}
	}
	s.data = s.data[:0]
	for i := range n {
		if i < bodyInput {
			s.data = append(s.data, s.in.u8())
		} else {
			s.data = append(s.data, byte(i))
		}
	}
	return s.data
}

// caseTable weights the seven cases of ISO/IEC 7816-3 §12.1.2, short
// forms more often.
var caseTable = [...]apdu.Case{
	apdu.Case1, apdu.Case2S, apdu.Case3S, apdu.Case4S,
	apdu.Case2S, apdu.Case3S, apdu.Case4S, apdu.Case1,
	apdu.Case2E, apdu.Case3E, apdu.Case4E, apdu.Case2S,
}

// shape fills Data, Ne and Extended of c for a case taken from the input.
func (s *session) shape(c *apdu.Command) {
	k := caseTable[int(s.in.u8())%len(caseTable)]
	c.Data, c.Ne, c.Extended = nil, 0, k.Extended()
	if k == apdu.Case3S || k == apdu.Case4S || k == apdu.Case3E || k == apdu.Case4E {
		// Nc: 1..16 mostly, else any short length, or (extended) up to
		// MaxData.
		n := int(s.in.u8())
		switch {
		case k.Extended():
			n = (n<<8|int(s.in.u8()))%s.cfg.MaxData + 1
		case n < 0xC0:
			n = 1 + n%16
		default:
			n = max(1, int(s.in.u8()))
		}
		c.Data = s.body(n)
		if !k.Extended() && len(c.Data) > 255 {
			c.Extended = true
		}
	}
	switch k {
	case apdu.Case2S, apdu.Case4S:
		c.Ne = int(s.in.u8())
		if c.Ne == 0 {
			c.Ne = apdu.MaxShortNe
		}
	case apdu.Case2E, apdu.Case4E:
		c.Ne = s.in.u16()
		if c.Ne == 0 {
			c.Ne = apdu.MaxNe
		}
	}
}

// encode appends c to s.cmd's buffer and returns the bytes.
func (s *session) encode(c *apdu.Command) []byte {
	b, err := c.Append(s.cmd[:0])
	if err != nil { // lengths out of range cannot happen with shape's bounds
		c.Data, c.Ne, c.Extended = nil, 0, false
		b, _ = c.Append(s.cmd[:0])
	}
	s.cmd = b
	return b
}

// build decodes a well-formed command: channel, class, INS, P1, P2, case.
func (s *session) build() []byte {
	ch := s.channel()
	c := apdu.Command{CLA: s.class(ch), INS: s.ins(), P1: s.param(), P2: s.param()}
	s.shape(&c)
	return s.encode(&c)
}

// selectP2 are the SELECT by DF name options of ETSI TS 102 221
// §11.1.1.2 Table 11.2: FCP, FCI, no data; first, last, next, previous
// occurrence; session termination.
var selectP2 = [...]byte{0x04, 0x00, 0x0C, 0x04, 0x02, 0x01, 0x03, 0x44, 0x4C, 0x40, 0x0C, 0x04}

// selectAID sends SELECT by DF name (ISO/IEC 7816-4 §7.1.1, P1=04) of a
// target AID, full or right-truncated, on some channel.
func (s *session) selectAID() {
	if len(s.aids) == 0 {
		s.send(s.build())
		return
	}
	aid := s.aids[int(s.in.u8())%len(s.aids)]
	n := len(aid)
	if b := s.in.u8(); b >= 0xC0 {
		n = 1 + int(b)%len(aid)
	}
	p2 := selectP2[int(s.in.u8())%len(selectP2)]
	ch := s.channel()
	c := apdu.Command{CLA: byte(apdu.CLA(0).WithChannel(ch)), INS: 0xA4, P1: 0x04, P2: p2, Data: aid[:n]}
	if s.in.u8()&1 == 0 {
		c.Ne = apdu.MaxShortNe
	}
	s.send(s.encode(&c))
}

// manage sends MANAGE CHANNEL (ETSI TS 102 221 §11.1.17): open with the
// card choosing the number (Le=01), open a given number (refused by a
// UICC), close; or TERMINAL CAPABILITY (§11.1.19) announcing the extended
// logical channels (DO 81) that let a UICC open channels 4..19.
func (s *session) manage() {
	b := s.in.u8()
	ch := s.channel()
	c := apdu.Command{CLA: byte(apdu.CLA(0).WithChannel(ch)), INS: 0x70}
	switch b % 5 {
	case 0, 1:
		c.Ne = 1
	case 2:
		c.P2 = 1 + s.in.u8()%(jc.MaxChannels-1)
	case 3:
		c.P1 = 0x80
		c.P2 = byte(s.channel())
	case 4:
		c = apdu.Command{CLA: byte(apdu.CLA(0x80).WithChannel(ch)), INS: 0xAA, Data: terminalCapability}
	}
	s.send(s.encode(&c))
}

// terminalCapability is a terminal capability template (A9) with the
// extended logical channels terminal support DO (81, empty), ETSI TS 102
// 221 §11.1.19.2.
var terminalCapability = []byte{0xA9, 0x02, 0x81, 0x00}

// getResponse sends GET RESPONSE (ISO/IEC 7816-4 §7.6.1), mostly for what
// the last 61xx announced; after 6Cxx it mostly resends the refused
// command with Le=xx instead, as a T=0 terminal does (ISO/IEC 7816-3
// §12.2.3, case 2S.3).
func (s *session) getResponse() {
	b := s.in.u8()
	if s.redo.ok && b < 0xC0 {
		s.in.u8() // keep the step's width
		s.in.u8()
		s.resend()
		return
	}
	ch, ne := s.channel(), int(s.in.u8())
	if ne == 0 {
		ne = apdu.MaxShortNe
	}
	if s.pend.ok && b < 0xC0 {
		ch, ne = s.pend.ch, s.pend.want
	}
	c := apdu.Command{CLA: byte(apdu.CLA(0).WithChannel(ch)), INS: 0xC0, Ne: ne}
	s.send(s.encode(&c))
}

// resend sends the command refused with 6Cxx again with Le=xx.
func (s *session) resend() {
	c, err := apdu.ParseCommand(s.redo.cmd)
	if err != nil {
		return
	}
	c.Ne = s.redo.want
	c.Extended = c.Extended && len(c.Data) > 255
	b := s.encode(&c)
	s.redo.expect = s.redo.want
	s.send(b)
}

// malformed sends the bytes of a well-formed command broken one way
// (ISO/IEC 7816-3 §12.1.3 defines the seven valid forms): truncated,
// trailing bytes, a wrong Lc, an extended Lc with a short Le, an extended
// Lc of 0000, a lone extended marker, or a few random bytes. Some
// mutations still parse; those are checked as well-formed commands.
func (s *session) malformed() {
	b := s.build()
	mode := s.in.u8() % 7
	a := [4]byte{s.in.u8(), s.in.u8(), s.in.u8(), s.in.u8()}
	switch mode {
	case 0: // truncated
		b = b[:int(a[0])%len(b)]
	case 1: // one to three trailing bytes
		b = append(b, a[1:2+a[0]%3]...)
	case 2: // Lc disagrees with the data
		switch {
		case len(b) > 7 && b[4] == 0: // extended Lc
			b[6] ^= 1 + a[0]%0x7F
		case len(b) > 5:
			b[4] ^= 1 + a[0]%0x7F
		default:
			b = append(b[:4], 1+a[0]%0x7F)
		}
	case 3: // extended Lc followed by a short Le
		b = append(b[:4], 0x00, 0x00, 0x02, a[0], a[1], a[2])
	case 4: // extended Lc 0000
		b = append(b[:4], 0x00, 0x00, 0x00, a[0])
	case 5: // extended marker with one length byte, or none
		b = append(b[:4], 0x00, a[0])[:5+int(a[1]%2)]
	case 6: // up to three random bytes, the empty APDU included
		b = append(b[:0], a[1:1+a[0]%4]...)
	}
	s.cmd = b
	s.send(b)
}

// chain sends a command chain (ISO/IEC 7816-4 §5.3.3): two to four
// commands with one header, CLA b5 set on all but the last.
func (s *session) chain() {
	n := 2 + int(s.in.u8()%3)
	ch := s.channel()
	cla := s.class(ch)
	ins, p1, p2 := s.ins(), s.param(), s.param()
	for i := 0; i < n && s.v == nil; i++ {
		c := apdu.Command{CLA: cla, INS: ins, P1: p1, P2: p2}
		if i < n-1 && cla != 0xA0 {
			c.CLA |= 0x10
		}
		s.shape(&c)
		if s.send(s.encode(&c)) {
			return
		}
	}
}

// pinINS are the PIN commands of ETSI TS 102 221 §11.1.9–§11.1.13:
// VERIFY, CHANGE, DISABLE, ENABLE and UNBLOCK PIN.
var pinINS = [...]byte{0x20, 0x20, 0x24, 0x26, 0x28, 0x2C}

// pin sends a PIN command on a key reference of Config.PINRefs, with
// empty data (a retry counter query), a secret, two secrets (old‖new,
// PUK‖new) or random data.
func (s *session) pin() {
	ins := pinINS[int(s.in.u8())%len(pinINS)]
	ref := s.cfg.PINRefs[int(s.in.u8())%len(s.cfg.PINRefs)]
	ch := s.channel()
	c := apdu.Command{CLA: byte(apdu.CLA(0).WithChannel(ch)), INS: ins, P2: ref}
	switch s.in.u8() % 4 {
	case 0: // empty: retry counter
	case 1:
		c.Data = s.body(8)
	case 2:
		a := s.body(8)
		s.tmp = append(s.tmp[:0], a...)
		s.tmp = append(s.tmp, s.body(8)...)
		c.Data = s.tmp
	case 3:
		c.Data = s.body(int(s.in.u8() % 20))
	}
	s.send(s.encode(&c))
}

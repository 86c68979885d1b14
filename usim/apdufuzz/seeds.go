package apdufuzz

import (
	"testing"

	"github.com/uiccsim/uiccsim/apdu"
)

// seed writes fuzz inputs that decode into chosen steps: the inverse of
// decode.go for the choices it needs.
type seed struct {
	b   []byte
	cfg *Config
}

func (s *seed) op(o byte) { s.b = append(s.b, o) }

// param encodes P1/P2 v as param() reads it.
func (s *seed) param(v byte) { s.b = append(s.b, v) }

// caseIndex is k's first index in caseTable.
func caseIndex(k apdu.Case) byte {
	for i, c := range caseTable {
		if c == k {
			return byte(i)
		}
	}
	return 0
}

// body encodes command data: secret index sec (< 0: the bytes d).
func (s *seed) body(sec int, d []byte) {
	if len(s.cfg.Secrets) > 0 {
		if sec >= 0 {
			s.b = append(s.b, byte(sec))
			return
		}
		s.b = append(s.b, 0xFF)
	}
	s.b = append(s.b, d...)
}

// command encodes a well-formed command on open channel index chIdx with
// class index cla (into Config.CLA), instruction ins, case k, data d or
// secret number sec, and Le le.
func (s *seed) command(chIdx, cla byte, ins byte, p1, p2 byte, k apdu.Case, sec int, d []byte, le int) {
	s.op(opCommand)
	s.b = append(s.b, chIdx, cla)
	s.ins(ins)
	s.param(p1)
	s.param(p2)
	s.shape(k, sec, d, le)
}

// ins encodes instruction x as ins() reads it.
func (s *seed) ins(x byte) {
	for i, y := range s.cfg.INS {
		if x == y && i < 0xC0 {
			s.b = append(s.b, byte(i))
			return
		}
	}
	s.b = append(s.b, 0xC0, x)
}

func (s *seed) shape(k apdu.Case, sec int, d []byte, le int) {
	s.b = append(s.b, caseIndex(k))
	n := len(d)
	if sec >= 0 && sec < len(s.cfg.Secrets) {
		n = len(s.cfg.Secrets[sec])
	}
	switch k {
	case apdu.Case3S, apdu.Case4S:
		if n >= 1 && n <= 16 {
			s.b = append(s.b, byte(n-1))
		} else {
			s.b = append(s.b, 0xFF, byte(n))
		}
		s.body(sec, d)
	case apdu.Case3E, apdu.Case4E:
		s.b = append(s.b, byte((n-1)>>8), byte(n-1))
		s.body(sec, d)
	}
	switch k {
	case apdu.Case2S, apdu.Case4S:
		s.b = append(s.b, byte(le))
	case apdu.Case2E, apdu.Case4E:
		s.b = append(s.b, byte(le>>8), byte(le))
	}
}

// selectAID encodes SELECT by DF name of AID i (full), P2 index p2i, on
// open channel index chIdx, case 4.
func (s *seed) selectAID(i int, p2i, chIdx byte) {
	s.op(opSelect)
	s.b = append(s.b, byte(i), 0x00, p2i, chIdx, 0x00)
}

// SeedInputs returns the seed corpus for this Fuzzer's configuration:
// a bare reset; SELECT of each AID followed by every instruction of
// Config.INS in cases 1, 2S (Le 00 and 01), 3S and 4S (with a secret when
// there are any), each followed by GET RESPONSE or the resent command; the same on a second logical channel opened and
// closed by MANAGE CHANNEL; each malformed encoding; a command chain;
// resets; PIN presentations (Config.PINs); power loss at the first writes
// of each instruction (Config.PowerLoss); and each of Config.Scripts.
func (fz *Fuzzer) SeedInputs() [][]byte {
	cfg := &fz.cfg
	var out [][]byte
	out = append(out, []byte{})
	nAID := max(1, min(len(fz.aidsHint()), 4))
	sec := -1
	if len(cfg.Secrets) > 0 {
		sec = 0
	}
	four := []byte{0x00, 0x00, 0x00, 0x01}
	ins := cfg.INS
	if len(ins) == 0 {
		ins = []byte{0xCA, 0xB0}
	}
	for a := range nAID {
		s := seed{cfg: cfg}
		s.selectAID(a, 0, 0)
		s.op(opGetResponse)
		s.b = append(s.b, 0x00, 0x00, 0x00)
		for _, x := range ins {
			s.command(0, 0, x, 0, 0, apdu.Case1, -1, nil, 0)
			s.command(0, 0, x, 0, 0, apdu.Case2S, -1, nil, 0)
			s.op(opGetResponse)
			s.b = append(s.b, 0x00, 0x00, 0x00)
			s.command(0, 1, x, 0, 0, apdu.Case2S, -1, nil, 1) // a T=0 card may say 6Cxx…
			s.op(opGetResponse)                               // …and the command is resent
			s.b = append(s.b, 0x00, 0x00, 0x00)
			s.command(0, 1, x, 0, 0, apdu.Case3S, sec, four, 0)
			s.command(0, 1, x, 0, 0, apdu.Case4S, sec, four, 0)
			s.op(opGetResponse)
			s.b = append(s.b, 0x00, 0x00, 0x00)
		}
		out = append(out, s.b)
	}
	// A second logical channel.
	s := seed{cfg: cfg}
	s.op(opManage)
	s.b = append(s.b, 0x00, 0x00)
	s.selectAID(0, 0, 1)
	for _, x := range ins {
		s.command(1, 1, x, 0, 0, apdu.Case2S, -1, nil, 0)
		s.command(1, 1, x, 0, 0, apdu.Case3E, sec, four, 0)
	}
	s.op(opManage)
	s.b = append(s.b, 0x03, 0x00, 0x01)
	out = append(out, s.b)
	// Channels 4..19: TERMINAL CAPABILITY, then open five channels and
	// use the last (open index 5: channel 5) with class 41.
	s = seed{cfg: cfg}
	s.op(opManage)
	s.b = append(s.b, 0x04, 0x00)
	for range 5 {
		s.op(opManage)
		s.b = append(s.b, 0x00, 0x00)
	}
	s.selectAID(0, 0, 5)
	for _, x := range ins {
		s.command(5, 0, x, 0, 0, apdu.Case2S, -1, nil, 0)
	}
	out = append(out, s.b)
	// Malformed encodings, a chain, resets.
	s = seed{cfg: cfg}
	s.selectAID(0, 2, 0)
	for mode := range byte(7) {
		s.op(opMalformed)
		s.b = append(s.b, 0x00, 0x01)
		s.ins(ins[0])
		s.param(0)
		s.param(0)
		s.shape(apdu.Case4S, -1, four, 0)
		s.b = append(s.b, mode, 0x03, 0x05, 0x07, 0x09) // mode, its 4 arguments
	}
	s.op(opChain)
	s.b = append(s.b, 0x01, 0x00, 0x01)
	s.ins(ins[0])
	s.b = append(s.b, 0x00, 0x00)
	for range 3 {
		s.shape(apdu.Case3S, -1, four, 0)
	}
	s.op(opReset)
	s.b = append(s.b, 0x01)
	s.op(opReset)
	s.b = append(s.b, 0x00)
	out = append(out, s.b)
	if cfg.PINs {
		s = seed{cfg: cfg}
		s.selectAID(0, 0, 0)
		pin := func(insIdx, ref, mode byte, data ...byte) {
			s.op(opPIN)
			s.b = append(s.b, insIdx, ref, 0x00, mode)
			s.b = append(s.b, data...)
		}
		wrong := []byte{0x39, 0x39, 0x39, 0x39, 0xFF, 0xFF, 0xFF, 0xFF}
		if len(cfg.Secrets) > 0 {
			wrong = append([]byte{0xFF}, wrong...)
		}
		pin(0, 0, 0) // VERIFY: retry counter query
		if len(cfg.Secrets) > 0 {
			pin(0, 0, 1, 0x00) // VERIFY the first secret
		}
		for range 4 { // wrong PIN until blocked, with a query between
			pin(0, 0, 1, wrong...)
			pin(0, 0, 0)
		}
		pin(5, 0, 0) // UNBLOCK: retry counter query
		if len(cfg.Secrets) > 1 {
			pin(5, 0, 2, 0x01, 0x00) // UNBLOCK with the second secret, new PIN the first
			pin(0, 0, 0)
		}
		out = append(out, s.b)
	}
	if cfg.PowerLoss {
		for _, n := range []byte{0, 1, 2, 3, 4, 5, 7, 10} {
			s = seed{cfg: cfg}
			for a := range nAID {
				s.selectAID(a, 2, 0)
				for _, x := range ins {
					for _, d := range [][]byte{{0x01}, four} {
						for cla := range byte(min(2, len(cfg.CLA))) {
							s.op(opPowerLoss)
							s.b = append(s.b, n, 0x01, 0x00, 0x00) // cut after n writes, none in the restart; decoded command
							s.b = append(s.b, 0x00, cla)
							s.ins(x)
							s.param(0)
							s.param(0)
							s.shape(apdu.Case3S, -1, d, 0)
						}
					}
				}
			}
			out = append(out, s.b)
		}
	}
	for _, script := range cfg.Scripts {
		s = seed{cfg: cfg}
		for _, c := range script {
			if len(c) <= 255 {
				s.op(opRaw)
				s.b = append(s.b, byte(len(c)))
				s.b = append(s.b, c...)
			}
		}
		out = append(out, s.b)
		if !cfg.PowerLoss {
			continue
		}
		// The script with a power loss armed before every command.
		for _, n := range []byte{1, 2, 3, 5} {
			s = seed{cfg: cfg}
			for _, c := range script {
				if len(c) <= 255 {
					s.op(opPowerLoss)
					s.b = append(s.b, n, 0x01, 0x00, 0x80, byte(len(c)))
					s.b = append(s.b, c...)
				}
			}
			out = append(out, s.b)
		}
	}
	return out
}

// Seeds adds SeedInputs to f's seed corpus.
func (fz *Fuzzer) Seeds(f *testing.F) {
	for _, b := range fz.SeedInputs() {
		f.Add(b)
	}
}

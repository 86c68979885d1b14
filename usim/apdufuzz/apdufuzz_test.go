package apdufuzz

import (
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/usim/jc"
	"github.com/uiccsim/uiccsim/usim/store"
)

var testINS = []byte{insGet, insAdd, insEcho, insBytes, insNext, 0x20, 0x2C}

// wellBehaved is a runtime with the good applet and the PIN applet.
func wellBehaved(t1 bool) func() Target {
	return newRuntime(t1, func(rt *jc.Runtime) {
		rt.Install(goodAID, newGood(rt.Store(), "good"))
		rt.Install(pinAID, newPINApplet(rt.Store()))
	})
}

func wellBehavedConfig() Config {
	return Config{
		INS:        testINS,
		Secrets:    [][]byte{testPIN, testPUK, {0x01}},
		PowerLoss:  true,
		PINs:       true,
		TornExempt: []string{"pin.tries"},
	}
}

// randomInputs returns n pseudo-random inputs (fixed seed) of up to 400
// bytes.
func randomInputs(seed uint64, n int) [][]byte {
	r := rand.New(rand.NewPCG(seed, 7))
	out := make([][]byte, n)
	for i := range out {
		b := make([]byte, 16+r.IntN(384))
		for j := range b {
			b[j] = byte(r.Uint32())
		}
		out[i] = b
	}
	return out
}

// play runs one session and returns it (for its transcript).
func play(fz *Fuzzer, data []byte) *session {
	s := new(session)
	s.init(&fz.cfg, fz.newCard(), data)
	s.run()
	return s
}

func TestWellBehavedRuntimePasses(t *testing.T) {
	for _, t1 := range []bool{false, true} {
		fz := New(wellBehaved(t1), wellBehavedConfig())
		inputs := append(fz.SeedInputs(), randomInputs(1, 3000)...)
		restarts := 0
		for _, in := range inputs {
			s := play(fz, in)
			if s.v != nil {
				t.Fatalf("T=1 %v: %v", t1, s.v)
			}
			restarts += strings.Count(s.log.String(), "restart after the power loss")
		}
		if restarts < 1 {
			t.Errorf("T=1 %v: only %d power-loss restarts in %d sessions", t1, restarts, len(inputs))
		}
	}
}

// TestSeedsReachTheirTargets checks that the seed corpus decodes into
// what SeedInputs promises: SELECT of the AID, every instruction, a
// second channel, malformed APDUs, a PIN blocked and unblocked, torn
// commands.
func TestSeedsReachTheirTargets(t *testing.T) {
	cfg := wellBehavedConfig()
	cfg.AIDs = [][]byte{pinAID.Bytes(), goodAID.Bytes()}
	fz := New(wellBehaved(false), cfg)
	var all strings.Builder
	for _, in := range fz.SeedInputs() {
		s := play(fz, in)
		if s.v != nil {
			t.Fatal(s.v)
		}
		all.WriteString(s.log.String())
	}
	got := all.String()
	for _, want := range []string{
		"> 00A4040407" + pinAID.String() + "00", // SELECT the PIN applet
		"> 0070000001", "< 019000",              // MANAGE CHANNEL open
		"> 01A40404",            // SELECT on channel 1
		"> 00708001",            // MANAGE CHANNEL close
		"(malformed)", "< 6884", // chaining refused
		"< 63C3", "< 63C2", "< 63C1", "< 63C0", "< 6983", // PIN blocked
		"> 002C000110" + "3837363534333231" + "31323334FFFFFFFF" + "  (case 3S, channel 0)\n       < 9000", // UNBLOCK
		"restart after the power loss",
		"> 8030000001  (case 2S, channel 0)\n       < 6C04", "> 8030000004  (case 2S, channel 0)\n       < 000000009000",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("seed transcripts lack %q", want)
		}
	}
}

// s is a seed writer for crafted inputs.
func crafted(cfg Config) *seed {
	c := cfg.withDefaults()
	return &seed{cfg: &c}
}

func TestViolationsAreCaught(t *testing.T) {
	onlyBad := func(mk func(st *store.Store) jc.Applet) func() Target {
		return newRuntime(false, func(rt *jc.Runtime) { rt.Install(badAID, mk(rt.Store())) })
	}
	cfg := Config{INS: []byte{insGet, insAdd, insEcho}}
	tests := []struct {
		name   string
		card   func() Target
		cfg    Config
		input  func(s *seed) // crafted input after the initial reset
		want   Invariant
		detail string
		// deep: reaching the bug takes a sequence uniform random input
		// seldom forms (the coverage-guided fuzzer does); skip the random
		// search.
		deep bool
	}{
		{
			name: "applet panics on P1=42",
			card: onlyBad(func(*store.Store) jc.Applet {
				return &funcApplet{process: func(ctx *jc.Context, c *apdu.Command) error {
					if c.P1 == 0x42 {
						panic("P1 42 not handled")
					}
					return nil
				}}
			}),
			cfg: cfg,
			input: func(s *seed) {
				s.selectAID(0, 0, 0)
				s.command(0, 1, insGet, 0x42, 0, apdu.Case2S, -1, nil, 4)
			},
			want: NoPanic, detail: "P1 42 not handled",
		},
		{
			name: "handler answers data with 6A82",
			card: handlerCard(func(h *handler, c *apdu.Command) ([]byte, apdu.StatusWord) {
				return []byte{0x01, 0x02}, apdu.SWFileNotFound
			}),
			cfg:   cfg,
			input: func(s *seed) { s.command(0, 0, insGet, 0, 0, apdu.Case2S, -1, nil, 2) },
			want:  DataWithSW, detail: "2 data bytes with SW 6A82",
		},
		{
			name: "handler answers more than Ne",
			card: handlerCard(func(h *handler, c *apdu.Command) ([]byte, apdu.StatusWord) {
				return []byte{1, 2, 3, 4}, apdu.SWOK
			}),
			cfg:   cfg,
			input: func(s *seed) { s.command(0, 0, insGet, 0, 0, apdu.Case2S, -1, nil, 2) },
			want:  WithinNe, detail: "4 data bytes for Ne=2",
		},
		{
			name: "handler answers data without Le",
			card: handlerCard(func(h *handler, c *apdu.Command) ([]byte, apdu.StatusWord) {
				return []byte{1}, apdu.SWOK
			}),
			cfg:   cfg,
			input: func(s *seed) { s.command(0, 0, insAdd, 0, 0, apdu.Case3S, -1, []byte{5}, 0) },
			want:  WithinNe, detail: "1 data bytes for a case 3S command (no Le)",
		},
		{
			name: "applet answers SW 6000",
			card: onlyBad(func(*store.Store) jc.Applet {
				return &funcApplet{process: func(*jc.Context, *apdu.Command) error { return apdu.StatusWord(0x6000) }}
			}),
			cfg:   cfg,
			input: func(s *seed) { s.selectAID(0, 0, 0); s.command(0, 0, insAdd, 0, 0, apdu.Case1, -1, nil, 0) },
			want:  ValidSW, detail: "SW 6000",
		},
		{
			name: "applet writes through then fails",
			card: onlyBad(func(st *store.Store) jc.Applet { return writeThenFail(st, true) }),
			cfg:  cfg,
			input: func(s *seed) {
				s.selectAID(0, 0, 0)
				s.command(0, 1, insAdd, 0, 0, apdu.Case3S, -1, []byte{7}, 0)
			},
			want: RejectedUnchanged, detail: `answered 6985 but cell "bad" changed at byte 0: 00 00 → 07 00`,
		},
		{
			name: "handler changes state then answers an error",
			card: handlerCard(func(h *handler, c *apdu.Command) ([]byte, apdu.StatusWord) {
				h.state = append(h.state, c.INS)
				return nil, apdu.SWIncorrectDataField
			}),
			cfg:   cfg,
			input: func(s *seed) { s.command(0, 0, insAdd, 0, 0, apdu.Case1, -1, nil, 0) },
			want:  RejectedUnchanged, detail: "answered 6A80 but state differs at byte 0",
		},
		{
			name: "handler commits then answers 6Cxx",
			card: handlerCard(func(h *handler, c *apdu.Command) ([]byte, apdu.StatusWord) {
				h.state = append(h.state, 1) // a counter moved…
				if c.Ne != 4 {
					return nil, 0x6C04 // …and the terminal will send it again
				}
				return []byte{0, 0, 0, byte(len(h.state))}, apdu.SWOK
			}),
			cfg:   cfg,
			input: func(s *seed) { s.command(0, 0, insGet, 0, 0, apdu.Case2S, -1, nil, 1) },
			want:  RejectedUnchanged, detail: "answered 6C04 but state differs",
		},
		{
			name: "handler breaks its 61xx promise",
			card: handlerCard(func(h *handler, c *apdu.Command) ([]byte, apdu.StatusWord) {
				if c.INS == 0xC0 {
					return make([]byte, 8), apdu.SWOK
				}
				return nil, 0x6110
			}),
			cfg: cfg,
			input: func(s *seed) {
				s.command(0, 0, insGet, 0, 0, apdu.Case1, -1, nil, 0)
				s.op(opGetResponse)
				s.b = append(s.b, 0x00, 0x00, 0x00)
			},
			want: GetResponseKept, detail: "6110 announced 16 bytes, GET RESPONSE with Le=10 answered 8 bytes",
		},
		{
			name: "handler breaks its 6Cxx promise",
			card: handlerCard(func(h *handler, c *apdu.Command) ([]byte, apdu.StatusWord) {
				if c.Ne != 4 {
					return nil, 0x6C04
				}
				return []byte{1, 2}, apdu.SWOK
			}),
			cfg: cfg,
			input: func(s *seed) {
				s.command(0, 0, insGet, 0, 0, apdu.Case2S, -1, nil, 1)
				s.op(opGetResponse)
				s.b = append(s.b, 0x00, 0x00, 0x00)
			},
			want: WrongLeKept, detail: "6C04 announced 4 bytes, the command resent with Le=04 answered 2 bytes and 9000",
		},
		{
			name: "handler accepts a malformed APDU",
			card: func() Target {
				return rawCard(func(cmd []byte) []byte { return []byte{0x90, 0x00} })
			},
			cfg: cfg,
			input: func(s *seed) {
				s.op(opMalformed)
				s.b = append(s.b, 0x00, 0x00)
				s.ins(insGet)
				s.param(0)
				s.param(0)
				s.shape(apdu.Case1, -1, nil, 0)
				s.b = append(s.b, 1, 1, 0xAA, 0xBB, 0) // mode 1: trailing AA BB
			},
			want: MalformedRejected, detail: "answered 9000, not an error",
		},
		{
			name: "reset changes persistent state",
			card: func() Target {
				h := &handler{fn: func(h *handler, c *apdu.Command) ([]byte, apdu.StatusWord) { return nil, apdu.SWOK }}
				h.onReset = func(h *handler) { h.state = append(h.state, 0xEE) }
				return h
			},
			cfg:   cfg,
			input: func(s *seed) { s.op(opReset); s.b = append(s.b, 0x01) },
			want:  ResetUnchanged, detail: "state differs at byte 0 of 1 (was 0 bytes):  → EE",
		},
		{
			name: "transport fails",
			card: func() Target {
				return &failing{}
			},
			cfg:   cfg,
			input: func(s *seed) { s.command(0, 0, insGet, 0, 0, apdu.Case1, -1, nil, 0) },
			want:  ExchangeOK, detail: "reader unplugged",
		},
		{
			name: "applet updates outside the transaction",
			card: onlyBad(writeThenSucceed),
			cfg:  Config{INS: []byte{insAdd}, PowerLoss: true},
			input: func(s *seed) {
				s.selectAID(0, 0, 0)
				s.op(opPowerLoss)
				s.b = append(s.b, 1, 0x01, 0x00, 0x00) // cut after 1 write, none in the restart
				s.b = append(s.b, 0x00, 0x00)
				s.ins(insAdd)
				s.param(0)
				s.param(0)
				s.shape(apdu.Case3S, -1, []byte{9}, 0)
			},
			want: PowerLossRecovered, detail: `after restart cell "bad" changed at byte 0: 00 00 → 09 00`,
		},
		{
			name: "card answers after losing power",
			card: func() Target { return newSwallower() },
			cfg:  Config{INS: []byte{insAdd}, PowerLoss: true},
			input: func(s *seed) {
				s.op(opPowerLoss)
				s.b = append(s.b, 2, 0x01, 0x00, 0x00) // cut after 2 writes
				s.b = append(s.b, 0x00, 0x00)
				s.ins(insAdd)
				s.param(0)
				s.param(0)
				s.shape(apdu.Case3S, -1, []byte{9}, 0)
			},
			want: PowerLossRecovered, detail: "the card answered 9000 after losing power",
		},
		{
			name: "PIN failure costs two tries",
			card: onlyBad(func(st *store.Store) jc.Applet {
				a := newPINApplet(st)
				a.decrementTwice = true
				return a
			}),
			cfg: Config{INS: []byte{0x20}, PINs: true, PINRefs: []byte{0x01}},
			input: func(s *seed) {
				s.selectAID(0, 0, 0)
				s.op(opPIN)
				s.b = append(s.b, 0, 0, 0, 0) // VERIFY 01, empty: 63C3
				s.op(opPIN)
				s.b = append(s.b, 0, 0, 0, 1, 0x39, 0x39, 0x39, 0x39, 0x39, 0x39, 0x39, 0x39)
			},
			want: PINCounters, detail: "failed VERIFY PIN 01 left 1 tries, the counter was 3",
		},
		{
			name: "blocked PIN still accepted",
			card: onlyBad(func(st *store.Store) jc.Applet {
				a := newPINApplet(st)
				a.acceptWhenBlocked = true
				return a
			}),
			cfg: Config{INS: []byte{0x20}, PINs: true, PINRefs: []byte{0x01}, Secrets: [][]byte{testPIN}},
			input: func(s *seed) {
				s.selectAID(0, 0, 0)
				for range 3 {
					s.op(opPIN)
					s.b = append(s.b, 0, 0, 0, 1, 0xFF, 0x39, 0x39, 0x39, 0x39, 0x39, 0x39, 0x39, 0x39)
				}
				s.op(opPIN)
				s.b = append(s.b, 0, 0, 0, 1, 0x00) // the right PIN
			},
			want: PINCounters, detail: "VERIFY PIN 01 succeeded with its counter at 0 (blocked)",
			deep: true,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fz := New(tc.card, tc.cfg)
			s := crafted(tc.cfg)
			tc.input(s)
			err := fz.Check(s.b)
			var v *Violation
			if !errors.As(err, &v) {
				t.Fatalf("crafted input %X: no violation (err %v)", s.b, err)
			}
			if v.Invariant != tc.want || !strings.Contains(v.Detail, tc.detail) {
				t.Fatalf("got %v\nwant %v with detail containing %q", v, tc.want, tc.detail)
			}
			if !strings.Contains(v.Error(), "transcript") || !strings.Contains(v.Error(), tc.want.String()) {
				t.Fatalf("message lacks invariant or transcript: %v", v)
			}
			if tc.deep {
				return
			}
			// The decoder finds it by chance too.
			for i, in := range randomInputs(uint64(len(tc.name)), 20000) {
				if err := fz.Check(in); errors.As(err, &v) && v.Invariant == tc.want {
					t.Logf("random input %d found it", i)
					return
				}
			}
			t.Errorf("20000 random inputs did not find %v", tc.want)
		})
	}
}

// TestRuntimeRollsBackFailedCommand is the journaled twin of "applet
// writes through then fails": the runtime undoes the write, so the same
// input passes.
func TestRuntimeRollsBackFailedCommand(t *testing.T) {
	cfg := Config{INS: []byte{insAdd}}
	s := crafted(cfg)
	s.selectAID(0, 0, 0)
	s.command(0, 1, insAdd, 0, 0, apdu.Case3S, -1, []byte{7}, 0)
	card := newRuntime(false, func(rt *jc.Runtime) { rt.Install(badAID, writeThenFail(rt.Store(), false)) })
	if err := Check(card, s.b, cfg); err != nil {
		t.Fatal(err)
	}
	sess := play(New(card, cfg), s.b)
	if !strings.Contains(sess.log.String(), "< 6985") {
		t.Fatalf("the failing command did not run:\n%s", sess.log.String())
	}
}

// TestRuntimeRegressions replays what this package found in usim/jc
// before it was fixed: on T=0 a case-2 command that writes was committed
// before the runtime answered 6Cxx (so the terminal's resend ran it
// twice), and a case-2E command answered more than 256 bytes but fewer
// than Ne panicked (slice bounds out of range).
func TestRuntimeRegressions(t *testing.T) {
	cfg := Config{INS: []byte{insNext, insBytes}}
	s := crafted(cfg)
	s.selectAID(0, 0, 0)
	s.command(0, 1, insNext, 0, 0, apdu.Case2S, -1, nil, 2) // 6C04, nothing written
	s.op(opGetResponse)                                     // resent with Le=04
	s.b = append(s.b, 0x00, 0x00, 0x00)
	s.command(0, 1, insBytes, 0x82, 0, apdu.Case2E, -1, nil, 9884) // 260 bytes for Ne=9884
	s.op(opGetResponse)
	s.b = append(s.b, 0x00, 0x00, 0x00)
	card := newRuntime(false, func(rt *jc.Runtime) { rt.Install(goodAID, newGood(rt.Store(), "good")) })
	sess := play(New(card, cfg), s.b)
	if sess.v != nil {
		t.Fatal(sess.v)
	}
	got := sess.log.String()
	for _, want := range []string{
		"> 8038000002  (case 2S, channel 0)\n       < 6C04",
		"> 8038000004  (case 2S, channel 0)\n       < 000000019000", // counted once
		"> 8036820000269C  (case 2E, channel 0)\n       < 000102",
		"FCFDFEFF6104  (", "> 00C0000004  (case 2S, channel 0)\n       < 000102039000", // 256, then the last 4
	} {
		if !strings.Contains(got, want) {
			t.Errorf("transcript lacks %q:\n%s", want, got)
		}
	}
}

// funcApplet is an applet made of a function.
type funcApplet struct {
	process func(ctx *jc.Context, c *apdu.Command) error
}

func (a *funcApplet) Select(*jc.Context, *apdu.Command) error        { return nil }
func (a *funcApplet) Deselect(*jc.Context)                           {}
func (a *funcApplet) Process(ctx *jc.Context, c *apdu.Command) error { return a.process(ctx, c) }

// badCell allocates the broken applets' 2-byte cell "bad".
func badCell(st *store.Store) store.Ref {
	r, err := st.Alloc("bad", 2)
	if err != nil {
		panic(err)
	}
	return r
}

// writeThenFail writes the datum (through, or journaled) and answers 6985.
func writeThenFail(st *store.Store, through bool) jc.Applet {
	ref := badCell(st)
	return &funcApplet{process: func(ctx *jc.Context, c *apdu.Command) error {
		if c.INS != insAdd || len(c.Data) == 0 {
			return apdu.SWINSNotSupported
		}
		write := st.Write
		if through {
			write = st.WriteThrough
		}
		if err := write(ref, 0, c.Data[:1]); err != nil {
			return err
		}
		return apdu.SWConditionsNotSatisfied
	}}
}

// writeThenSucceed updates its 2-byte cell with two writes through: not
// atomic.
func writeThenSucceed(st *store.Store) jc.Applet {
	ref := badCell(st)
	return &funcApplet{process: func(ctx *jc.Context, c *apdu.Command) error {
		if c.INS != insAdd || len(c.Data) == 0 {
			return apdu.SWINSNotSupported
		}
		if err := st.WriteThrough(ref, 0, c.Data[:1]); err != nil {
			return err
		}
		return st.WriteThrough(ref, 1, c.Data[:1])
	}}
}

func handlerCard(fn func(h *handler, c *apdu.Command) ([]byte, apdu.StatusWord)) func() Target {
	return func() Target { return &handler{fn: fn} }
}

// rawCard answers every byte string with fn, parsing nothing.
type rawCard func(cmd []byte) []byte

func (r rawCard) Transmit(dst, cmd []byte) ([]byte, error) { return append(dst, r(cmd)...), nil }
func (r rawCard) Reset(bool) ([]byte, error)               { return []byte{0x3B, 0x00}, nil }
func (r rawCard) Close() error                             { return nil }

// failing is a reader whose card is gone.
type failing struct{}

var errUnplugged = errors.New("reader unplugged")

func (failing) Transmit(dst, cmd []byte) ([]byte, error) { return dst, errUnplugged }
func (failing) Reset(bool) ([]byte, error)               { return []byte{0x3B, 0x00}, nil }
func (failing) Close() error                             { return nil }

// swallower is a hand-made card on a store that ignores the store's errors
// and answers 9000 even when the power is gone.
type swallower struct {
	st  *store.Store
	ref store.Ref
}

func newSwallower() *swallower {
	st := store.New(store.Options{JournalSize: 256})
	return &swallower{st: st, ref: badCell(st)}
}

func (w *swallower) Store() *store.Store { return w.st }

func (w *swallower) Transmit(dst, cmd []byte) ([]byte, error) {
	c, err := apdu.ParseCommand(cmd)
	if err != nil {
		return append(dst, 0x67, 0x00), nil
	}
	if c.INS == insAdd && len(c.Data) > 0 {
		w.st.Write(w.ref, 0, c.Data[:1]) // error ignored: the bug
	}
	return append(dst, 0x90, 0x00), nil
}

func (w *swallower) Reset(bool) ([]byte, error) {
	if err := w.st.Restart(); err != nil {
		return nil, err
	}
	return []byte{0x3B, 0x00}, nil
}

func (w *swallower) Close() error { return nil }

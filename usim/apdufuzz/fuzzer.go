package apdufuzz

import (
	"sync"
	"testing"
)

// Config tunes the sessions a Fuzzer decodes. The zero Config works: it
// fuzzes with random instructions and the target's own applets' AIDs.
type Config struct {
	// AIDs are the application identifiers SELECT by DF name aims at
	// (full and right-truncated). Empty: the target's Applets() when it is
	// an AppletLister (jc.Runtime is).
	AIDs [][]byte
	// INS are the instruction codes of the applet under test; most
	// generated commands use one of them.
	INS []byte
	// CLA are the class bytes (in their channel-0 form) of generated
	// commands, re-coded for each channel. Empty: 00 (interindustry) and
	// 80 (proprietary), ETSI TS 102 221 §10.1.1.
	CLA []byte
	// Secrets are command data fields tried verbatim now and then: PINs,
	// PUKs, keys, well-formed amounts. Empty entries are ignored.
	Secrets [][]byte
	// Scripts are command sequences a real terminal sends (a start-up,
	// a PIN dance, a transaction), each a list of raw command APDUs of at
	// most 255 bytes; SeedInputs turns each into a seed the fuzzer mutates.
	Scripts [][][]byte
	// MaxSteps bounds the steps of one session (default 64).
	MaxSteps int
	// MaxData bounds the generated Nc of extended cases (default 300).
	MaxData int
	// PowerLoss lets sessions cut power after a chosen persistent write of
	// a command and check the recovery (targets that are StoreHolders).
	PowerLoss bool
	// PINs checks PIN and PUK retry counters (ETSI TS 102 221
	// §11.1.9–§11.1.13) and makes sessions send PIN commands on PINRefs.
	PINs bool
	// PINRefs are the key references for PIN commands. Empty: 01 (PIN
	// Appl 1), 81 (second PIN Appl 1), 11 (universal PIN), 0A (ADM1),
	// ETSI TS 102 221 §9.5.1 Table 9.3.
	PINRefs []byte
	// TornExempt names store cells that a command cut by a power loss may
	// leave changed: PIN try counters written through before the PIN is
	// compared (store.Store.WriteThrough, JCRE §7.2). Rejected commands
	// and resets must still leave them alone.
	TornExempt []string
}

func (c Config) withDefaults() Config {
	if len(c.CLA) == 0 {
		c.CLA = []byte{0x00, 0x80}
	}
	if c.MaxSteps <= 0 {
		c.MaxSteps = 64
	}
	if c.MaxData <= 0 {
		c.MaxData = 300
	}
	c.MaxData = min(c.MaxData, 65535)
	if len(c.PINRefs) == 0 {
		c.PINRefs = []byte{0x01, 0x81, 0x11, 0x0A}
	}
	var sec [][]byte
	for _, s := range c.Secrets {
		if len(s) > 0 {
			sec = append(sec, s)
		}
	}
	c.Secrets = sec
	return c
}

// Fuzzer decodes fuzz inputs into APDU sessions against fresh targets.
// It is safe for concurrent use (each call gets its own session buffers).
type Fuzzer struct {
	newCard func() Target
	cfg     Config
	pool    sync.Pool
}

// New returns a Fuzzer that plays each input against newCard(), a fresh
// card in its initial persistent state (powered or not: every session
// starts with a cold reset).
func New(newCard func() Target, cfg Config) *Fuzzer {
	fz := &Fuzzer{newCard: newCard, cfg: cfg.withDefaults()}
	fz.pool.New = func() any { return new(session) }
	return fz
}

// Check plays data as one session and returns the first broken invariant
// as a *Violation, or nil.
func (fz *Fuzzer) Check(data []byte) error {
	s := fz.pool.Get().(*session)
	s.init(&fz.cfg, fz.newCard(), data)
	v := s.run()
	s.t, s.state.st, s.state.snap = nil, nil, nil
	fz.pool.Put(s)
	if v == nil {
		return nil
	}
	return v
}

// Fuzz is the fuzz function: f.Fuzz(fz.Fuzz). It fails t with the
// violation's invariant, step and transcript.
func (fz *Fuzzer) Fuzz(t *testing.T, data []byte) {
	t.Helper()
	if err := fz.Check(data); err != nil {
		t.Fatal(err)
	}
}

// Run plays data against newCard() under cfg and fails t at the first
// broken invariant; call it from inside f.Fuzz.
func Run(t testing.TB, newCard func() Target, data []byte, cfg Config) {
	t.Helper()
	if err := New(newCard, cfg).Check(data); err != nil {
		t.Fatal(err)
	}
}

// Check plays data against newCard() under cfg and returns the first
// broken invariant as a *Violation, or nil.
func Check(newCard func() Target, data []byte, cfg Config) error {
	return New(newCard, cfg).Check(data)
}

// Fuzz adds the seed corpus and runs the fuzz target: a whole fuzz test in
// one line, apdufuzz.Fuzz(f, newCard, cfg).
func Fuzz(f *testing.F, newCard func() Target, cfg Config) {
	fz := New(newCard, cfg)
	fz.Seeds(f)
	f.Fuzz(fz.Fuzz)
}

// aidsHint returns the AIDs sessions will select: Config.AIDs, else those
// of a card made for the purpose.
func (fz *Fuzzer) aidsHint() [][]byte {
	if len(fz.cfg.AIDs) > 0 {
		return fz.cfg.AIDs
	}
	t := fz.newCard()
	defer t.Close()
	var out [][]byte
	if l, ok := t.(AppletLister); ok {
		for _, a := range l.Applets() {
			out = append(out, a.Bytes())
		}
	}
	return out
}

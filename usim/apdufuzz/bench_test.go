package apdufuzz

import (
	"strings"
	"testing"

	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/usim/jc"
)

// nullCard answers 9000 to everything and remembers nothing: what is left
// of a session's cost is the helper's own.
type nullCard struct{}

func (nullCard) Transmit(dst, cmd []byte) ([]byte, error) { return append(dst, 0x90, 0x00), nil }
func (nullCard) Reset(bool) ([]byte, error)               { return nil, nil }
func (nullCard) Close() error                             { return nil }

// benchInputs are sessions of well-formed commands mostly (malformed ones
// would end a session against nullCard, which accepts them).
func benchInputs(fz *Fuzzer) (inputs [][]byte, apdus int) {
	for _, in := range randomInputs(11, 64) {
		s := play(fz, in)
		if s.v != nil {
			continue
		}
		inputs = append(inputs, in)
		apdus += strings.Count(s.log.String(), "\n       < ")
	}
	return inputs, apdus
}

func benchmarkSessions(b *testing.B, fz *Fuzzer) {
	inputs, apdus := benchInputs(fz)
	if apdus == 0 {
		b.Fatal("no session passes")
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, in := range inputs {
			if err := fz.Check(in); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*apdus), "ns/apdu")
	b.ReportMetric(float64(apdus), "apdus/op")
}

// BenchmarkOverheadPerAPDU is the helper's own cost: decoding, checking,
// recording, against a card that does nothing.
func BenchmarkOverheadPerAPDU(b *testing.B) {
	card := nullCard{}
	benchmarkSessions(b, New(func() Target { return card }, Config{INS: []byte{0x30, 0x32}, CLA: []byte{0x00}}))
}

// BenchmarkRuntimePerAPDU is a whole session against a fresh jc runtime
// with the good applet, store comparisons and power loss included.
func BenchmarkRuntimePerAPDU(b *testing.B) {
	benchmarkSessions(b, New(newRuntime(false, func(rt *jc.Runtime) {
		rt.Install(goodAID, newGood(rt.Store(), "good"))
	}), Config{INS: []byte{insGet, insAdd, insEcho, insBytes}, PowerLoss: true}))
}

// BenchmarkSend is one checked exchange in steady state: it must not
// allocate.
func BenchmarkSend(b *testing.B) {
	rt := newRuntime(false, func(rt *jc.Runtime) { rt.Install(goodAID, newGood(rt.Store(), "good")) })()
	fz := New(func() Target { return rt }, Config{})
	s := new(session)
	s.init(&fz.cfg, rt, nil)
	s.reset(true)
	sel := apdu.Command{INS: 0xA4, P1: 0x04, Data: goodAID.Bytes()}
	s.send(sel.Bytes())
	get := (&apdu.Command{CLA: 0x80, INS: insGet, Ne: 4}).Bytes()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s.log.reset()
		s.send(get)
	}
	if s.v != nil {
		b.Fatal(s.v)
	}
}

// BenchmarkFullCardPerAPDU is a whole session against a freshly built
// UICC/USIM (default profile), PIN checks and power loss included.
func BenchmarkFullCardPerAPDU(b *testing.B) {
	benchmarkSessions(b, New(fullCard(b), fullCardConfig(b)))
}

package apdufuzz

import (
	"testing"

	"github.com/uiccsim/uiccsim/apdu"
)

// recorder answers 9000 to well-formed commands and 6700 to malformed ones
// and tallies what it saw.
type recorder struct {
	cases     map[apdu.Case]int
	channels  map[int]int
	chained   int
	malformed int
	resets    map[bool]int
	ins       map[byte]int
}

func newRecorder() *recorder {
	return &recorder{cases: map[apdu.Case]int{}, channels: map[int]int{}, resets: map[bool]int{}, ins: map[byte]int{}}
}

func (r *recorder) Transmit(dst, cmd []byte) ([]byte, error) {
	c, err := apdu.ParseCommand(cmd)
	if err != nil {
		r.malformed++
		return append(dst, 0x67, 0x00), nil
	}
	r.cases[c.Case()]++
	if k := c.Class().Kind(); k == apdu.ClassInterindustry || k == apdu.ClassProprietary {
		r.channels[c.Class().Channel()]++
	}
	if c.Class().Chained() {
		r.chained++
	}
	r.ins[c.INS]++
	return append(dst, 0x90, 0x00), nil
}

func (r *recorder) Reset(cold bool) ([]byte, error) { r.resets[cold]++; return []byte{0x3B, 0x00}, nil }
func (r *recorder) Close() error                    { return nil }

// TestSessionsCoverTheAPDUSpace decodes random inputs and checks that the
// sessions reach every case of ISO/IEC 7816-3 §12.1.2, every logical
// channel 0..19, chained classes, malformed encodings, both resets and the
// configured instructions.
func TestSessionsCoverTheAPDUSpace(t *testing.T) {
	r := newRecorder()
	fz := New(func() Target { return r }, Config{INS: []byte{0xB0, 0xD6}, AIDs: [][]byte{goodAID.Bytes()}})
	for _, in := range randomInputs(21, 2000) {
		fz.Check(in) // violations (a 9000 to everything) do not matter here
	}
	for k := apdu.Case1; k <= apdu.Case4E; k++ {
		if r.cases[k] == 0 {
			t.Errorf("no %v", k)
		}
	}
	for ch := range 20 {
		if r.channels[ch] == 0 {
			t.Errorf("no command on channel %d", ch)
		}
	}
	if r.chained == 0 || r.malformed == 0 || r.resets[true] == 0 || r.resets[false] == 0 {
		t.Errorf("chained %d, malformed %d, resets %v", r.chained, r.malformed, r.resets)
	}
	for _, ins := range []byte{0xB0, 0xD6, 0xA4, 0x70, 0xC0, 0xAA} {
		if r.ins[ins] == 0 {
			t.Errorf("no INS %02X", ins)
		}
	}
	if r.ins[0xB0] < r.ins[0x42]*4 {
		t.Errorf("configured INS B0 seen %d times, a random one (42) %d: no bias", r.ins[0xB0], r.ins[0x42])
	}
}

// TestPINModel feeds the model sequences of answers and checks which ones
// it refuses.
func TestPINModel(t *testing.T) {
	verify := func(data ...byte) *apdu.Command { return &apdu.Command{INS: 0x20, P2: 0x01, Data: data} }
	unblock := func(data ...byte) *apdu.Command { return &apdu.Command{INS: 0x2C, P2: 0x01, Data: data} }
	pin := []byte{1, 2, 3, 4, 5, 6, 7, 8}
	type ex struct {
		c  *apdu.Command
		sw apdu.StatusWord
	}
	tests := []struct {
		name string
		seq  []ex
		bad  int // index of the answer the model must refuse; -1: none
	}{
		{"failures count down by one to blocked", []ex{
			{verify(), 0x63C3}, {verify(pin...), 0x63C2}, {verify(pin...), 0x63C1}, {verify(), 0x63C1},
			{verify(pin...), 0x63C0}, {verify(pin...), apdu.SWAuthMethodBlocked},
		}, -1},
		{"a success resets, then anything goes down from the maximum", []ex{
			{verify(pin...), 0x63C2}, {verify(pin...), apdu.SWOK}, {verify(pin...), 0x63C9},
		}, -1},
		{"a failure may not cost two", []ex{{verify(), 0x63C3}, {verify(pin...), 0x63C1}}, 1},
		{"a failure must cost one", []ex{{verify(pin...), 0x63C2}, {verify(pin...), 0x63C2}}, 1},
		{"a query may not move the counter", []ex{{verify(), 0x63C3}, {verify(), 0x63C2}}, 1},
		{"an error answer may not move it either", []ex{
			{verify(), 0x63C3}, {verify(1, 2), apdu.SWWrongLength}, {verify(), 0x63C2},
		}, 2},
		{"blocked is never a success", []ex{{verify(pin...), 0x63C0}, {verify(pin...), apdu.SWOK}}, 1},
		{"6983 only at zero", []ex{{verify(), 0x63C1}, {verify(pin...), apdu.SWAuthMethodBlocked}}, 1},
		{"UNBLOCK resets the PIN", []ex{
			{verify(pin...), 0x63C0}, {unblock(), 0x63CA}, {unblock(append(pin, pin...)...), apdu.SWOK}, {verify(), 0x63C3},
		}, -1},
		{"PUK failures count down too", []ex{{unblock(), 0x63CA}, {unblock(append(pin, pin...)...), 0x63C8}}, 1},
		{"other instructions are not PIN commands", []ex{
			{verify(), 0x63C3}, {&apdu.Command{INS: 0xB0, P2: 0x01}, 0x63C1}, {verify(), 0x63C3},
		}, -1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var m pinModel
			for i, e := range tc.seq {
				msg := m.observe(e.c, e.sw)
				if (msg != "") != (i == tc.bad) {
					t.Fatalf("answer %d (%04X): model says %q", i, uint16(e.sw), msg)
				}
				if msg != "" {
					return
				}
			}
		})
	}
}

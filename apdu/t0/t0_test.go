package t0

import (
	"bytes"
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"github.com/uiccsim/uiccsim/apdu"
)

func h(s string) []byte {
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		panic(err)
	}
	return b
}

// step is one exchange a scripted card expects: the command TPDU it must
// receive and the response TPDU it answers.
type step struct{ want, answer string }

// scriptedCard is a test double of a T=0 card: it checks every command
// TPDU against its script and answers the scripted response.
type scriptedCard struct {
	t      *testing.T
	script []step
	n      int
	err    error // returned instead of the next answer when set
}

func (c *scriptedCard) Transmit(dst, cmd []byte) ([]byte, error) {
	if c.err != nil {
		return dst, c.err
	}
	if c.n >= len(c.script) {
		c.t.Fatalf("unexpected command %X after the script ended", cmd)
	}
	st := c.script[c.n]
	c.n++
	if !bytes.Equal(cmd, h(st.want)) {
		c.t.Fatalf("exchange %d: card received %X, want %s", c.n, cmd, st.want)
	}
	return append(dst, h(st.answer)...), nil
}

func (c *scriptedCard) Reset(bool) ([]byte, error) {
	return h("3B9F96801F878031E073FE211B674A4C753034054BA9"), nil
}
func (c *scriptedCard) Close() error { return nil }

func TestTransmitFollowsT0Procedure(t *testing.T) {
	chunk256 := strings.Repeat("AB", 256)
	tests := []struct {
		name   string
		cmd    string
		script []step
		want   string
	}{
		{
			name:   "case 2 answered directly",
			cmd:    "00B000000A",
			script: []step{{"00B000000A", "0102030405060708090A 9000"}},
			want:   "0102030405060708090A9000",
		},
		{
			name:   "case 1 of 4 bytes is sent as-is",
			cmd:    "80F20000",
			script: []step{{"80F20000", "9000"}},
			want:   "9000",
		},
		{
			name: "case 4 is sent without Le and 61xx fetched with GET RESPONSE",
			cmd:  "00A40004023F0000",
			script: []step{
				{"00A40004023F00", "6104"},
				{"00C0000004", "62028201 9000"},
			},
			want: "620282019000",
		},
		{
			name: "61xx chunks are concatenated, 6100 asks for 256",
			cmd:  "00B0000000",
			script: []step{
				{"00B0000000", "6100"},
				{"00C0000000", chunk256 + "6102"},
				{"00C0000002", "CDEF 9000"},
			},
			want: chunk256 + "CDEF9000",
		},
		{
			name: "9Fxx of a GSM SIM is fetched with CLA A0",
			cmd:  "A0A40000023F00",
			script: []step{
				{"A0A40000023F00", "9F03"},
				{"A0C0000003", "112233 9000"},
			},
			want: "1122339000",
		},
		{
			name: "6Cxx resends the command with P3 = xx",
			cmd:  "80F2000000",
			script: []step{
				{"80F2000000", "6C03"},
				{"80F2000003", "AABBCC 9000"},
			},
			want: "AABBCC9000",
		},
		{
			name: "6Cxx to a case-1 command adds P3",
			cmd:  "00CA9F7F",
			script: []step{
				{"00CA9F7F", "6C02"},
				{"00CA9F7F02", "0102 9000"},
			},
			want: "01029000",
		},
		{
			name: "6Cxx is followed only once",
			cmd:  "80F2000000",
			script: []step{
				{"80F2000000", "6C03"},
				{"80F2000003", "6C04"},
			},
			want: "6C04",
		},
		{
			name: "6Cxx to GET RESPONSE resends the GET RESPONSE",
			cmd:  "00A40004023F0000",
			script: []step{
				{"00A40004023F00", "6120"},
				{"00C0000020", "6C02"},
				{"00C0000002", "8201 9000"},
			},
			want: "82019000",
		},
		{
			name: "6Cxx to a command with data is returned as-is",
			cmd:  "00D6000002AABB",
			script: []step{
				{"00D6000002AABB", "6C02"},
			},
			want: "6C02",
		},
		{
			name: "GET RESPONSE uses the command's logical channel",
			cmd:  "01A40004023F0000",
			script: []step{
				{"01A40004023F00", "6102"},
				{"01C0000002", "8201 9000"},
			},
			want: "82019000",
		},
		{
			name: "proprietary class on channel 1 gets an interindustry GET RESPONSE",
			cmd:  "81F2000000",
			script: []step{
				{"81F2000000", "6102"},
				{"01C0000002", "8201 9000"},
			},
			want: "82019000",
		},
		{
			name: "further interindustry channel 5 keeps its coding",
			cmd:  "41A40004023F0000",
			script: []step{
				{"41A40004023F00", "6101"},
				{"41C0000001", "82 9000"},
			},
			want: "829000",
		},
		{
			name: "warning to a case-4 command fetches data with Le=00 and keeps the warning",
			cmd:  "00A4040410A0000000871002FFFFFFFF890709000000",
			script: []step{
				{"00A4040410A0000000871002FFFFFFFF8907090000", "6283"},
				{"00C0000000", "6F038201 9000"},
			},
			want: "6F0382016283",
		},
		{
			name: "warning with nothing to fetch is the answer",
			cmd:  "0020000108313233343536373800",
			script: []step{
				{"00200001083132333435363738", "63C2"},
				{"00C0000000", "6F00"},
			},
			want: "63C2",
		},
		{
			name: "warning to a case-3 command is returned as-is",
			cmd:  "00DC0104021234",
			script: []step{
				{"00DC0104021234", "6281"},
			},
			want: "6281",
		},
		{
			name: "error status ends the exchange",
			cmd:  "00A40004022F0500",
			script: []step{
				{"00A40004022F05", "6A82"},
			},
			want: "6A82",
		},
		{
			name: "extended command passes through unchanged",
			cmd:  "00B00000000100",
			script: []step{
				{"00B00000000100", "6D00"},
			},
			want: "6D00",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			card := &scriptedCard{t: t, script: tc.script}
			got, err := New(card).Transmit([]byte{0xEE}, h(tc.cmd))
			if err != nil {
				t.Fatalf("Transmit: %v", err)
			}
			if want := append([]byte{0xEE}, h(tc.want)...); !bytes.Equal(got, want) {
				t.Fatalf("Transmit = %X, want %X", got, want)
			}
			if card.n != len(card.script) {
				t.Fatalf("card saw %d of %d scripted exchanges", card.n, len(card.script))
			}
		})
	}
}

// loopCard answers every command with 61FF: a procedure that never ends.
type loopCard struct{ n int }

func (c *loopCard) Transmit(dst, _ []byte) ([]byte, error) {
	c.n++
	return append(dst, 0x61, 0xFF), nil
}
func (c *loopCard) Reset(bool) ([]byte, error) { return nil, nil }
func (c *loopCard) Close() error               { return nil }

func TestEndlessProcedureIsCut(t *testing.T) {
	card := &loopCard{}
	got, err := New(card).Transmit([]byte{0xEE}, h("00B0000000"))
	if !errors.Is(err, ErrProcedure) {
		t.Fatalf("err = %v, want ErrProcedure", err)
	}
	if !bytes.Equal(got, []byte{0xEE}) {
		t.Fatalf("dst = %X, want it unchanged on error", got)
	}
	if card.n != MaxRounds {
		t.Fatalf("card saw %d exchanges, want %d", card.n, MaxRounds)
	}
}

func TestCardErrorsPropagate(t *testing.T) {
	broken := errors.New("reader unplugged")
	card := &scriptedCard{t: t, err: broken}
	got, err := New(card).Transmit([]byte{0xEE}, h("00A40004023F0000"))
	if !errors.Is(err, broken) || !bytes.Equal(got, []byte{0xEE}) {
		t.Fatalf("Transmit = %X, %v; want dst unchanged and the card's error", got, err)
	}
	short := &scriptedCard{t: t, script: []step{{"00B0000001", "90"}}}
	if _, err := New(short).Transmit(nil, h("00B0000001")); !errors.Is(err, apdu.ErrShortResponse) {
		t.Fatalf("1-byte response: err = %v, want apdu.ErrShortResponse", err)
	}
}

func TestShortCommandsNeverReachTheCard(t *testing.T) {
	card := &scriptedCard{t: t} // an empty script fails on any command
	for _, cmd := range [][]byte{nil, {0x00}, {0x00, 0xA4, 0x00}} {
		if _, err := New(card).Transmit(nil, cmd); !errors.Is(err, apdu.ErrMalformed) {
			t.Errorf("Transmit(%X): err = %v, want apdu.ErrMalformed", cmd, err)
		}
	}
}

func TestResetAndCloseReachTheCard(t *testing.T) {
	card := &scriptedCard{t: t}
	atr, err := New(card).Reset(true)
	if err != nil || !bytes.Equal(atr, h("3B9F96801F878031E073FE211B674A4C753034054BA9")) {
		t.Fatalf("Reset = %X, %v", atr, err)
	}
	if err := New(card).Close(); err != nil {
		t.Fatal(err)
	}
}

// chunkCard answers a case-3 command with 61 Lc and GET RESPONSE with the
// command's data, without allocating: a T=0 echo.
type chunkCard struct{ pending []byte }

func (c *chunkCard) Transmit(dst, cmd []byte) ([]byte, error) {
	if cmd[1] == InsGetResponse {
		dst = append(dst, c.pending...)
		return append(dst, 0x90, 0x00), nil
	}
	c.pending = append(c.pending[:0], cmd[5:]...)
	return append(dst, 0x61, byte(len(c.pending))), nil
}
func (c *chunkCard) Reset(bool) ([]byte, error) { return nil, nil }
func (c *chunkCard) Close() error               { return nil }

func TestTransmitDoesNotAllocate(t *testing.T) {
	tr := New(&chunkCard{pending: make([]byte, 0, 256)})
	cmd := h("80EE000004CAFEF00D00")
	dst := make([]byte, 0, 64)
	want := h("CAFEF00D9000")
	allocs := testing.AllocsPerRun(100, func() {
		r, err := tr.Transmit(dst[:0], cmd)
		if err != nil || !bytes.Equal(r, want) {
			t.Fatalf("Transmit = %X, %v", r, err)
		}
	})
	if allocs != 0 {
		t.Fatalf("%v allocations per case-4 command with GET RESPONSE, want 0", allocs)
	}
}

func BenchmarkTransmitCase4GetResponse(b *testing.B) {
	tr := New(&chunkCard{pending: make([]byte, 0, 256)})
	cmd := h("80EE000004CAFEF00D00")
	dst := make([]byte, 0, 64)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := tr.Transmit(dst[:0], cmd); err != nil {
			b.Fatal(err)
		}
	}
}

// fuzzCard answers from a fuzzed stream of length-prefixed response TPDUs
// and records that every command it gets is a well-formed short APDU.
type fuzzCard struct {
	t     *testing.T
	first []byte // the command given to the helper
	in    []byte
	calls int
}

func (c *fuzzCard) Transmit(dst, cmd []byte) ([]byte, error) {
	c.calls++
	if c.calls > MaxRounds {
		c.t.Fatalf("%d exchanges for one command", c.calls)
	}
	if len(cmd) < 4 {
		c.t.Fatalf("command of %d bytes sent to the card", len(cmd))
	}
	// Every TPDU is the command itself (maybe without its Le), a GET
	// RESPONSE, or a 6Cxx resend of a header with a new P3.
	switch {
	case bytes.HasPrefix(c.first, cmd):
	case len(cmd) == 5 && cmd[1] == InsGetResponse && cmd[2] == 0 && cmd[3] == 0:
	case len(cmd) == 5 && bytes.Equal(cmd[:4], c.first[:4]):
	default:
		c.t.Fatalf("card got %X, which is neither %X, a GET RESPONSE nor a resend", cmd, c.first)
	}
	if len(c.in) == 0 {
		return append(dst, 0x90, 0x00), nil
	}
	n := int(c.in[0])
	c.in = c.in[1:]
	if n > len(c.in) {
		n = len(c.in)
	}
	dst = append(dst, c.in[:n]...)
	c.in = c.in[n:]
	return dst, nil
}
func (c *fuzzCard) Reset(bool) ([]byte, error) { return nil, nil }
func (c *fuzzCard) Close() error               { return nil }

// FuzzTransmit drives the T=0 helper with fuzzed commands and a card that
// answers fuzzed procedure bytes: it must never panic, must end, and must
// return either an error with dst untouched or a response ending in SW1 SW2.
func FuzzTransmit(f *testing.F) {
	f.Add(h("00A40004023F0000"), []byte{2, 0x61, 0x04, 6, 0x62, 0x02, 0x82, 0x01, 0x90, 0x00})
	f.Add(h("80F2000000"), []byte{2, 0x6C, 0x03, 5, 0xAA, 0xBB, 0xCC, 0x90, 0x00})
	f.Add(h("A0A40000023F00"), []byte{2, 0x9F, 0x03, 5, 0x11, 0x22, 0x33, 0x90, 0x00})
	f.Add(h("00A4040410A0000000871002FFFFFFFF8907090000"), []byte{2, 0x62, 0x83, 2, 0x6F, 0x00})
	f.Add(h("00B0000000"), []byte{2, 0x61, 0x00, 1, 0x61})
	f.Fuzz(func(t *testing.T, cmd, script []byte) {
		card := &fuzzCard{t: t, first: cmd, in: script}
		dst := []byte{0xEE}
		got, err := New(card).Transmit(dst, cmd)
		if err != nil {
			if !bytes.Equal(got, dst) {
				t.Fatalf("error %v but dst changed to %X", err, got)
			}
			return
		}
		if len(got) < 3 || got[0] != 0xEE {
			t.Fatalf("response %X lacks dst prefix or SW1 SW2", got)
		}
	})
}

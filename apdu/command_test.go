package apdu

import (
	"bytes"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
)

func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatalf("bad hex %q: %v", s, err)
	}
	return b
}

// seq returns n bytes 00, 01, 02, ... for long data fields.
func seq(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i)
	}
	return b
}

// The seven cases of ISO/IEC 7816-3 §12.1.3, with the boundary values of Nc
// and Ne that the short and extended forms can carry.
var caseTests = []struct {
	name string
	in   string
	want Command
	cas  Case
}{
	{"case 1 STATUS-like header only", "80F20000",
		Command{CLA: 0x80, INS: 0xF2}, Case1},
	{"case 2S Le=01", "00B0000001",
		Command{INS: 0xB0, Ne: 1}, Case2S},
	{"case 2S Le=FF", "00B00000FF",
		Command{INS: 0xB0, Ne: 255}, Case2S},
	{"case 2S Le=00 means 256", "00B0000000",
		Command{INS: 0xB0, Ne: 256}, Case2S},
	{"case 3S SELECT MF by FID", "00A40004023F00",
		Command{INS: 0xA4, P2: 0x04, Data: []byte{0x3F, 0x00}}, Case3S},
	{"case 3S Lc=FF", "00D60000FF" + hex.EncodeToString(seq(255)),
		Command{INS: 0xD6, Data: seq(255)}, Case3S},
	{"case 4S SELECT MF with Le=00", "00A40004023F0000",
		Command{INS: 0xA4, P2: 0x04, Data: []byte{0x3F, 0x00}, Ne: 256}, Case4S},
	{"case 4S AUTHENTICATE 3G context", "008800812210" + strings.Repeat("11", 16) + "10" + strings.Repeat("22", 16) + "00",
		Command{INS: 0x88, P2: 0x81, Data: append(append(append([]byte{0x10}, bytes.Repeat([]byte{0x11}, 16)...), 0x10), bytes.Repeat([]byte{0x22}, 16)...), Ne: 256}, Case4S},
	{"case 4S Lc=01 Le=01", "80100000" + "01AA01",
		Command{CLA: 0x80, INS: 0x10, Data: []byte{0xAA}, Ne: 1}, Case4S},
	{"case 2E Le=0001", "00B00000000001",
		Command{INS: 0xB0, Ne: 1, Extended: true}, Case2E},
	{"case 2E Le=0100 (256 in extended form)", "00B00000000100",
		Command{INS: 0xB0, Ne: 256, Extended: true}, Case2E},
	{"case 2E Le=0101", "00B00000000101",
		Command{INS: 0xB0, Ne: 257, Extended: true}, Case2E},
	{"case 2E Le=0000 means 65536", "00B00000000000",
		Command{INS: 0xB0, Ne: 65536, Extended: true}, Case2E},
	{"case 3E Lc=0001", "00D6000000000133",
		Command{INS: 0xD6, Data: []byte{0x33}, Extended: true}, Case3E},
	{"case 3E Lc=0100", "00D6000000" + "0100" + hex.EncodeToString(seq(256)),
		Command{INS: 0xD6, Data: seq(256), Extended: true}, Case3E},
	{"case 4E Lc=0002 Le=0000", "00A4000400" + "00023F00" + "0000",
		Command{INS: 0xA4, P2: 0x04, Data: []byte{0x3F, 0x00}, Ne: 65536, Extended: true}, Case4E},
	{"case 4E Lc=0101 Le=0200", "80E2000000" + "0101" + hex.EncodeToString(seq(257)) + "0200",
		Command{CLA: 0x80, INS: 0xE2, Data: seq(257), Ne: 512, Extended: true}, Case4E},
}

func TestParseCommandSevenCases(t *testing.T) {
	for _, tc := range caseTests {
		t.Run(tc.name, func(t *testing.T) {
			in := mustHex(t, tc.in)
			got, err := ParseCommand(in)
			if err != nil {
				t.Fatalf("ParseCommand(%s): %v", tc.in, err)
			}
			w := tc.want
			if got.CLA != w.CLA || got.INS != w.INS || got.P1 != w.P1 || got.P2 != w.P2 ||
				!bytes.Equal(got.Data, w.Data) || got.Ne != w.Ne || got.Extended != w.Extended {
				t.Fatalf("ParseCommand(%s) = %+v, want %+v", tc.in, got, w)
			}
			if got.Nc() != len(w.Data) {
				t.Errorf("Nc = %d, want %d", got.Nc(), len(w.Data))
			}
			if c := got.Case(); c != tc.cas {
				t.Errorf("Case() = %v, want %v", c, tc.cas)
			}
			if got.Case().Extended() != w.Extended {
				t.Errorf("Case().Extended() = %v, want %v", got.Case().Extended(), w.Extended)
			}
		})
	}
}

func TestAppendCommandSevenCases(t *testing.T) {
	for _, tc := range caseTests {
		t.Run(tc.name, func(t *testing.T) {
			want := mustHex(t, tc.in)
			c := tc.want
			got, err := c.Append(nil)
			if err != nil {
				t.Fatalf("Append: %v", err)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("Append = %X, want %X", got, want)
			}
			if !bytes.Equal(c.Bytes(), want) {
				t.Fatalf("Bytes = %X, want %X", c.Bytes(), want)
			}
			// Build then parse gives back the same bytes.
			p, err := ParseCommand(got)
			if err != nil {
				t.Fatalf("ParseCommand(Append) = %v", err)
			}
			again, _ := p.Append([]byte{0xEE})
			if again[0] != 0xEE || !bytes.Equal(again[1:], want) {
				t.Fatalf("Append(ParseCommand(x)) = %X, want EE‖%X", again, want)
			}
		})
	}
}

// Append picks the extended form by itself when the lengths need it
// (ISO/IEC 7816-3 §12.1.3: Nc > 255 or Ne > 256).
func TestAppendChoosesExtendedWhenNeeded(t *testing.T) {
	tests := []struct {
		name string
		c    Command
		want string
		cas  Case
	}{
		{"Ne=257 forces 2E", Command{INS: 0xB0, Ne: 257}, "00B00000000101", Case2E},
		{"Ne=65536 forces 2E 0000", Command{INS: 0xB0, Ne: MaxNe}, "00B00000000000", Case2E},
		{"Nc=256 forces 3E", Command{INS: 0xD6, Data: seq(256)}, "00D6000000" + "0100" + hex.EncodeToString(seq(256)), Case3E},
		{"Nc=1 Ne=300 forces 4E", Command{INS: 0x88, Data: []byte{1}, Ne: 300}, "008800000000010101" + "2C", Case4E},
		{"Nc=0 Ne=0 Extended stays case 1", Command{INS: 0x70, Extended: true}, "00700000", Case1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.c.Append(nil)
			if err != nil {
				t.Fatal(err)
			}
			if want := mustHex(t, tc.want); !bytes.Equal(got, want) {
				t.Fatalf("Append = %X, want %X", got, want)
			}
			if tc.c.Case() != tc.cas {
				t.Fatalf("Case = %v, want %v", tc.c.Case(), tc.cas)
			}
		})
	}
}

func TestAppendRejectsUnencodableLengths(t *testing.T) {
	tests := []struct {
		name string
		c    Command
	}{
		{"Nc=65536", Command{Data: make([]byte, 65536)}},
		{"Ne=65537", Command{Ne: 65537}},
		{"Ne negative", Command{Ne: -1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dst := []byte{1, 2}
			got, err := tc.c.Append(dst)
			if !errors.Is(err, ErrTooLong) {
				t.Fatalf("err = %v, want ErrTooLong", err)
			}
			if !bytes.Equal(got, dst) {
				t.Fatalf("Append changed dst on error: %X", got)
			}
		})
	}
}

// Every byte string that fits none of the seven cases is refused, with an
// error that names the problem and the byte where it was found.
func TestParseCommandRejectsMalformed(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		offset int
		reason string
	}{
		{"empty", "", 0, "header needs 4 bytes, have 0"},
		{"header of 3 bytes", "00A404", 3, "header needs 4 bytes, have 3"},
		{"short Lc larger than data", "00A40004053F00", 4, "short Lc=5 announces 5 data bytes but only 2 follow"},
		{"short Lc=2 with data, Le and a trailing byte", "00A40004023F000000", 8, "1 trailing bytes after short Lc=2, data and Le"},
		{"short Lc=1 with 3 bytes after data", "00A4000401AA000000", 7, "2 trailing bytes"},
		{"6-byte 00 body: marker and one byte", "00B000000001", 4, "extended length marker 00 needs 2 more length bytes, have 1"},
		{"6-byte 00 00 body", "00B000000000", 4, "extended length marker 00 needs 2 more length bytes, have 1"},
		{"extended Lc=0000 with data", "00D60000000000AA", 5, "extended Lc=0000 is not allowed"},
		{"extended Lc=0000 followed by Le", "00D600000000000000", 5, "extended Lc=0000 is not allowed"},
		{"extended Lc with short Le", "00A4000400" + "00023F00" + "00", 9, "extended Lc followed by a short (1-byte) Le"},
		{"extended Lc larger than data", "00D6000000" + "0005" + "0102", 5, "extended Lc=5 announces 5 data bytes but only 2 follow"},
		{"extended Lc, data, Le and trailing bytes", "00A4000400" + "00023F00" + "0000" + "9000", 11, "2 trailing bytes after extended Lc=2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseCommand(mustHex(t, tc.in))
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("ParseCommand(%s) err = %v, want *ParseError", tc.in, err)
			}
			if !errors.Is(err, ErrMalformed) {
				t.Errorf("error %v does not wrap ErrMalformed", err)
			}
			if pe.Offset != tc.offset {
				t.Errorf("Offset = %d, want %d (%v)", pe.Offset, tc.offset, err)
			}
			if !strings.Contains(pe.Reason, tc.reason) {
				t.Errorf("Reason = %q, want it to contain %q", pe.Reason, tc.reason)
			}
			if !strings.Contains(err.Error(), "at byte ") {
				t.Errorf("Error() = %q does not say where", err.Error())
			}
		})
	}
}

func TestCaseString(t *testing.T) {
	want := map[Case]string{Case1: "case 1", Case2S: "case 2S", Case3S: "case 3S", Case4S: "case 4S",
		Case2E: "case 2E", Case3E: "case 3E", Case4E: "case 4E", 0: "case(0)", 9: "case(9)"}
	for c, s := range want {
		if c.String() != s {
			t.Errorf("Case(%d).String() = %q, want %q", c, c.String(), s)
		}
	}
}

func TestCommandString(t *testing.T) {
	c, err := ParseCommand(mustHex(t, "00A40004023F0000"))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.String(), "00A40004 Lc=2 3F00 Ne=256"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}

// The parse result aliases its input: no copy is made (package doc).
func TestParseCommandAliasesInput(t *testing.T) {
	in := mustHex(t, "00A40004023F00")
	c, err := ParseCommand(in)
	if err != nil {
		t.Fatal(err)
	}
	in[5] = 0x7F
	if c.Data[0] != 0x7F {
		t.Fatal("Data does not alias the input")
	}
}

func FuzzParseCommand(f *testing.F) {
	for _, tc := range caseTests {
		f.Add(mustHex(f, tc.in))
	}
	for _, s := range []string{"", "00", "00A404", "00B000000001", "00D60000000000AA",
		"00A4000400" + "00023F00" + "00", "00A40004023F000000", "A0C000000F", "0070800100"} {
		f.Add(mustHex(f, s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		c, err := ParseCommand(in)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || !errors.Is(err, ErrMalformed) {
				t.Fatalf("error %v is not a *ParseError wrapping ErrMalformed", err)
			}
			if pe.Offset < 0 || pe.Offset > len(in) {
				t.Fatalf("Offset %d outside input of %d bytes", pe.Offset, len(in))
			}
			return
		}
		out, err := c.Append(nil)
		if err != nil {
			t.Fatalf("Append of parsed %X: %v", in, err)
		}
		if !bytes.Equal(out, in) {
			t.Fatalf("round trip: parsed %X, Append gave %X", in, out)
		}
		if c.Ne < 0 || c.Ne > MaxNe || len(c.Data) > 65535 {
			t.Fatalf("out of range: Nc=%d Ne=%d", len(c.Data), c.Ne)
		}
	})
}

func BenchmarkParseCommand(b *testing.B) {
	in := mustHex(b, "008800812210"+strings.Repeat("11", 16)+"10"+strings.Repeat("22", 16)+"00")
	b.ReportAllocs()
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		c, err := ParseCommand(in)
		if err != nil || c.Ne != 256 {
			b.Fatal(err)
		}
	}
}

func BenchmarkAppendCommand(b *testing.B) {
	c := Command{INS: 0xA4, P2: 0x04, Data: []byte{0x3F, 0x00}, Ne: 256}
	buf := make([]byte, 0, 64)
	b.ReportAllocs()
	for b.Loop() {
		var err error
		buf, err = c.Append(buf[:0])
		if err != nil {
			b.Fatal(err)
		}
	}
}

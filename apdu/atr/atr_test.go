package atr

import (
	"bytes"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
)

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatalf("bad hex %q: %v", s, err)
	}
	return b
}

// Real ATRs, each listed in pcsc-tools' smartcard_list.txt; the expected
// fields were worked out by hand from ISO/IEC 7816-3 §8 (and agree with
// ATR_analysis, see TestAgainstATRAnalysis).
var realATRs = []struct {
	name       string
	hex        string
	ts         Convention
	protocols  ProtocolSet
	fi, di     int
	historical string
	tck        bool
	groups     int
}{
	{"sysmoUSIM-SJS1", "3B9F96801FC78031A073BE21136743200718000001A5",
		Direct, 1 << 0, 512, 32, "8031A073BE21136743200718000001", true, 3},
	{"T=0 UICC (3B9F96801F87...)", "3B9F96801F878031E073FE211B674A4C753034054BA9",
		Direct, 1 << 0, 512, 32, "8031E073FE211B674A4C753034054B", true, 3},
	{"NXP PN65o secure element, T=0 and T=1", "3B8A800100 31C173C84000009000 90",
		Direct, 1<<0 | 1<<1, 372, 1, "0031C173C840000090 00", true, 3},
	{"Schlumberger Multiflex 3k, T=0 by default", "3B021450",
		Direct, 1 << 0, 372, 1, "1450", false, 1},
	{"Gemalto IDPrime .NET, TA1 only", "3B169641737472 6964",
		Direct, 1 << 0, 512, 32, "41737472 6964", false, 1},
	{"Gemplus MCOS 16K, inverse convention", "3F6C000024A03000FF00000100049000",
		Inverse, 1 << 0, 372, 1, "24A03000FF00000100049000", false, 1},
	{"Oberthur ID-One Cosmo, T=0 and T=15", "3BDB9600801F030031C06477E30300829000C1",
		Direct, 1 << 0, 512, 32, "0031C06477E30300829000", true, 3},
	{"D-Trust multicard, T=1 and T=15", "3BD818FF81B1FE451F03806404 1AB4038105 61",
		Direct, 1 << 1, 372, 12, "806404 1AB4038105", true, 4},
}

func TestParseRealATRs(t *testing.T) {
	for _, tc := range realATRs {
		t.Run(tc.name, func(t *testing.T) {
			in := unhex(t, tc.hex)
			a, err := Parse(in)
			if err != nil {
				t.Fatalf("Parse(%X): %v", in, err)
			}
			if a.TS != tc.ts {
				t.Errorf("TS = %v", a.TS)
			}
			if a.Protocols() != tc.protocols {
				t.Errorf("Protocols = %v, want %v", a.Protocols(), tc.protocols)
			}
			fi, _, di, ok := a.FiDi()
			if !ok || fi != tc.fi || di != tc.di {
				t.Errorf("FiDi = %d/%d %v, want %d/%d", fi, di, ok, tc.fi, tc.di)
			}
			if !bytes.Equal(a.Historical, unhex(t, tc.historical)) {
				t.Errorf("historical = %X, want %s", a.Historical, tc.historical)
			}
			if a.TCKRequired() != tc.tck {
				t.Errorf("TCKRequired = %v", a.TCKRequired())
			}
			if tc.tck && a.TCK != in[len(in)-1] {
				t.Errorf("TCK = %02X", a.TCK)
			}
			if len(a.Groups) != tc.groups {
				t.Errorf("%d groups, want %d", len(a.Groups), tc.groups)
			}
			out, err := a.Append(nil)
			if err != nil || !bytes.Equal(out, in) {
				t.Fatalf("Append = %X, %v; want %X", out, err, in)
			}
			// Building from the struct with a zeroed TCK recomputes it.
			a.TCK = 0
			if out, _ := a.Append(nil); !bytes.Equal(out, in) {
				t.Fatalf("Append recomputing TCK = %X", out)
			}
		})
	}
}

// The sysmoUSIM-SJS1 ATR decoded byte by byte.
func TestSysmoUSIMFields(t *testing.T) {
	a, err := Parse(unhex(t, "3B9F96801FC78031A073BE21136743200718000001A5"))
	if err != nil {
		t.Fatal(err)
	}
	if ta1, ok := a.Interface('A', 1); !ok || ta1 != 0x96 {
		t.Errorf("TA1 = %02X %v", ta1, ok)
	}
	if td1, ok := a.Interface('D', 1); !ok || td1 != 0x80 {
		t.Errorf("TD1 = %02X %v", td1, ok)
	}
	if td2, ok := a.Interface('D', 2); !ok || td2 != 0x1F {
		t.Errorf("TD2 = %02X %v", td2, ok)
	}
	if _, ok := a.Interface('B', 1); ok {
		t.Error("TB1 reported present")
	}
	if _, ok := a.Interface('D', 3); ok {
		t.Error("TD3 reported present")
	}
	if _, ok := a.Interface('X', 1); ok {
		t.Error("TX1 reported present")
	}
	if _, ok := a.Interface('A', 9); ok {
		t.Error("TA9 reported present")
	}
	xi, ui, ok := a.ClockStopAndClasses()
	if !ok || xi != ClockStopAny || ui != ClassA|ClassB|ClassC {
		t.Errorf("TA3 = %v, %v, %v", xi, ui, ok)
	}
	if _, _, _, ok := a.SpecificMode(); ok {
		t.Error("no TA2, but specific mode reported")
	}
	_, fmax, _, _ := a.FiDi()
	if fmax != 5000 {
		t.Errorf("fmax = %d kHz, want 5000", fmax)
	}
	want := "ATR 3B 9F 96 80 1F C7 80 31 A0 73 BE 21 13 67 43 20 07 18 00 00 01 A5: TS=3B direct convention; " +
		"T0=9F Y1=1001 K=15 historical bytes; TA1=96 (Fi=512, Di=32, 16 cycles/ETU, fmax 5 MHz); " +
		"TD1=80 Y2=1000 T=0; TD2=1F Y3=0001 T=15 (global interface bytes follow); " +
		"TA3=C7 (clock stop with no preference, classes A (5 V), B (3 V), C (1.8 V)); " +
		"historical bytes 80 31 A0 73 BE 21 13 67 43 20 07 18 00 00 01 [category 80, COMPACT-TLV: card service data A0, " +
		"card capabilities BE 21 13 (4 logical channels, assigned by the card), pre-issuing data 43 20 07 18 00 00 01]; TCK=A5 (correct checksum); protocols offered: T=0."
	if s := a.String(); s != want {
		t.Errorf("String() =\n%s\nwant\n%s", s, want)
	}
}

func TestSpecificModeTA2(t *testing.T) {
	// TA1=11, TD1=90 (TA2 follows, T=0), TA2=81: specific mode T=1, cannot
	// change, parameters from TA1; TD for T=1 makes TCK mandatory.
	a := ATR{TS: Direct, Groups: []Group{
		{Present: HasTA | HasTD, TA: 0x11, T: 0},
		{Present: HasTA | HasTD, TA: 0x81, T: 1},
		{},
	}}
	b, err := a.Append(nil)
	if err != nil {
		t.Fatal(err)
	}
	// T0=90, TA1=11, TD1=90, TA2=81, TD2=01, TCK = 90^11^90^81^01 = 91.
	if want := unhex(t, "3B9011908101 91"); !bytes.Equal(b, want) {
		t.Fatalf("Append = %X, want %X", b, want)
	}
	p, err := Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	proto, canChange, implicit, ok := p.SpecificMode()
	if !ok || proto != 1 || canChange || implicit {
		t.Errorf("SpecificMode = %v %v %v %v", proto, canChange, implicit, ok)
	}
	if !strings.Contains(p.String(), "TA2=81 (specific mode T=1, cannot change mode, parameters from TA1)") {
		t.Errorf("String() = %s", p.String())
	}
}

// ISO/IEC 7816-3 §8.3 Tables 7 and 8.
func TestFiDiTables(t *testing.T) {
	tests := []struct {
		ta1         byte
		fi, fmax, d int
		ok          bool
	}{
		{0x11, 372, 5000, 1, true}, {0x01, 372, 4000, 1, true}, {0x13, 372, 5000, 4, true},
		{0x18, 372, 5000, 12, true}, {0x94, 512, 5000, 8, true}, {0x95, 512, 5000, 16, true},
		{0x96, 512, 5000, 32, true}, {0x97, 512, 5000, 64, true}, {0xA9, 768, 7500, 20, true},
		{0xD6, 2048, 20000, 32, true}, {0x61, 1860, 20000, 1, true},
		{0x71, 0, 0, 1, false}, {0x10, 372, 5000, 0, false}, {0xE1, 0, 0, 1, false},
	}
	for _, tc := range tests {
		a := ATR{TS: Direct, Groups: []Group{{Present: HasTA, TA: tc.ta1}}}
		fi, fmax, d, ok := a.FiDi()
		if fi != tc.fi || fmax != tc.fmax || d != tc.d || ok != tc.ok {
			t.Errorf("TA1=%02X: Fi=%d fmax=%d Di=%d ok=%v", tc.ta1, fi, fmax, d, ok)
		}
		if tc.ok {
			if fi%d == 0 && !strings.Contains(a.String(), "cycles/ETU") {
				t.Errorf("TA1=%02X: %s", tc.ta1, a.String())
			}
		} else if !strings.Contains(a.String(), "RFU value") {
			t.Errorf("TA1=%02X: String does not flag RFU: %s", tc.ta1, a.String())
		}
	}
	var none ATR
	if fi, fmax, d, ok := none.FiDi(); fi != 372 || fmax != 5000 || d != 1 || !ok {
		t.Error("defaults without TA1 are not Fd=372, Dd=1")
	}
}

func TestParseRejects(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		sentinel error
		offset   int
		reason   string
	}{
		{"empty", "", ErrMalformed, 0, "TS and T0 expected"},
		{"TS only", "3B", ErrMalformed, 1, "TS and T0 expected"},
		{"bad TS", "3C00", ErrMalformed, 0, "TS must be '3B'"},
		{"raw inverse TS not decoded", "0300", ErrMalformed, 0, "TS must be"},
		{"TA1 missing", "3B10", ErrMalformed, 2, "TA1 announced"},
		{"TD1 chain cut", "3B8081", ErrMalformed, 3, "TD2 announced"},
		{"historical bytes missing", "3B0314", ErrMalformed, 3, "3 historical bytes announced by T0, 1 present"},
		{"TCK where only T=0", "3B021450AA", ErrMalformed, 4, "TCK must be absent"},
		{"TCK missing with T=1", "3B8001", ErrMalformed, 3, "TCK missing"},
		{"wrong TCK", "3B9F96801FC78031A073BE21136743200718000001A4", ErrChecksum, 21, "TCK A4 wrong, expected A5"},
		{"trailing bytes after TCK", "3B9F96801FC78031A073BE21136743200718000001A500", ErrMalformed, 22, "1 trailing bytes after TCK"},
		{"longer than 33 bytes", "3B" + strings.Repeat("00", 33), ErrMalformed, 33, "longer than 33"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(unhex(t, tc.in))
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %v, want *Error", err)
			}
			if !errors.Is(err, tc.sentinel) || !errors.Is(err, ErrMalformed) {
				t.Errorf("%v does not wrap %v and ErrMalformed", err, tc.sentinel)
			}
			if e.Offset != tc.offset {
				t.Errorf("Offset = %d, want %d (%v)", e.Offset, tc.offset, err)
			}
			if !strings.Contains(e.Reason, tc.reason) {
				t.Errorf("Reason %q lacks %q", e.Reason, tc.reason)
			}
		})
	}
}

func TestAppendRejects(t *testing.T) {
	tests := []struct {
		name string
		a    ATR
	}{
		{"bad TS", ATR{TS: 0x3C}},
		{"16 historical bytes", ATR{TS: Direct, Historical: make([]byte, 16)}},
		{"TD in the last group", ATR{TS: Direct, Groups: []Group{{Present: HasTD}}}},
		{"no TD before a further group", ATR{TS: Direct, Groups: []Group{{Present: HasTA}, {}}}},
		{"Present beyond 4 bits", ATR{TS: Direct, Groups: []Group{{Present: 0x10}}}},
		{"T beyond 15", ATR{TS: Direct, Groups: []Group{{Present: HasTD, T: 16}, {}}}},
		{"too long", ATR{TS: Direct, Historical: make([]byte, 15), Groups: []Group{
			{Present: 15, T: 1}, {Present: 15, T: 1}, {Present: 15, T: 1}, {Present: 15, T: 1}, {}}}},
	}
	for _, tc := range tests {
		dst := []byte{0xEE}
		out, err := tc.a.Append(dst)
		if !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: err = %v", tc.name, err)
		}
		if !bytes.Equal(out, dst) {
			t.Errorf("%s: dst changed to %X", tc.name, out)
		}
		if tc.a.Bytes() != nil {
			t.Errorf("%s: Bytes() not nil", tc.name)
		}
		if !strings.HasPrefix(tc.a.String(), "invalid ATR") {
			t.Errorf("%s: String() = %s", tc.name, tc.a.String())
		}
	}
}

func TestBuildUICCATR(t *testing.T) {
	// A UICC ATR as ETSI TS 102 221 §6.3 requires: T=0, T=15 with the class
	// indicator; built from fields, TCK computed.
	a := ATR{
		TS: Direct,
		Groups: []Group{
			{Present: HasTA | HasTD, TA: 0x96, T: 0},
			{Present: HasTD, T: 15},
			{Present: HasTA, TA: 0xC7},
		},
		Historical: unhex(t, "8031A073BE21136743200718000001"),
	}
	got := a.Bytes()
	if want := unhex(t, "3B9F96801FC78031A073BE21136743200718000001A5"); !bytes.Equal(got, want) {
		t.Fatalf("Bytes = %X, want %X", got, want)
	}
}

func TestStrings(t *testing.T) {
	if Direct.String() != "direct convention" || Inverse.String() != "inverse convention" || Convention(1).String() != "invalid TS 01" {
		t.Error("Convention.String")
	}
	if s := ProtocolSet(0).String(); s != "none" {
		t.Error(s)
	}
	if s := ProtocolSet(3).String(); s != "T=0, T=1" {
		t.Error(s)
	}
	if s := Classes(0).String(); s != "no class" {
		t.Error(s)
	}
	if s := Classes(0x42).String(); s != "B (3 V), RFU bits 40" {
		t.Error(s)
	}
	for xi, s := range []string{"clock stop not supported", "clock stop in state L", "clock stop in state H", "clock stop with no preference"} {
		if ClockStop(xi).String() != s {
			t.Error(ClockStop(xi).String())
		}
	}
}

func FuzzParseATR(f *testing.F) {
	for _, tc := range realATRs {
		f.Add(unhex(f, tc.hex))
	}
	for _, s := range []string{"", "3B", "3B00", "3F00", "3BF0", "3B8081", "3B80010102", "3B021450AA"} {
		f.Add(unhex(f, s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		a, err := Parse(in)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || !errors.Is(err, ErrMalformed) || e.Offset < 0 || e.Offset > len(in) {
				t.Fatalf("bad error %v", err)
			}
			return
		}
		out, err := a.Append(nil)
		if err != nil || !bytes.Equal(out, in) {
			t.Fatalf("round trip %X -> %X, %v", in, out, err)
		}
		_ = a.String()
		a.FiDi()
		a.SpecificMode()
		a.ClockStopAndClasses()
	})
}

func BenchmarkParseATR(b *testing.B) {
	in := unhex(b, "3B9F96801FC78031A073BE21136743200718000001A5")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(in); err != nil {
			b.Fatal(err)
		}
	}
}

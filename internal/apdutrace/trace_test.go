package apdutrace

import (
	"encoding/hex"
	"strings"
	"testing"
)

func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestDescribeSession walks the pySim-shell start-up sequence of
// shared/notes/pc-sc-tool-startup.md plus the USIM reads and AKA a modem
// does, checking each line names what the specifications name.
func TestDescribeSession(t *testing.T) {
	var tr Tracer
	for _, step := range []struct{ cmd, resp, want string }{
		{"00A40004023F0000", "621A8202782183023F00 9000", "SELECT MF (3F00): by FID, return FCP → 9000 (normal ending), 10 bytes"},
		{"00A40004022F0000", "6A82", "SELECT EF.DIR (2F00): by FID, return FCP → 6A82 (file or application not found)"},
		{"00A4040410A0000005591010FFFFFFFF890000010000", "6A82", "SELECT ISD-R (A0000005591010FFFFFFFF8900000100): by AID, return FCP → 6A82"},
		{"00CA005A00", "6A88", "GET DATA → 6A88"},
		{"00B2010426", "61 9000", "READ RECORD record 1 (absolute), 38 bytes → 9000"},
		{"00A4040409A00000015141434C0000", "6A82", "SELECT ARA-M (A00000015141434C00): by AID"},
		{"00A4040410A0000000871002FFFFFFFF8907090000", "9000", "SELECT ADF.USIM (A0000000871002FFFFFFFF8907090000): by AID, return FCP → 9000"},
		{"00A40004026F07", "6120", "SELECT EF.IMSI (6F07): by FID, return FCP → 6120"},
		{"00C0000020", "00 9000", "GET RESPONSE 32 bytes → 9000"},
		{"00B0000009", "089910070000000010 9000", "READ BINARY offset 0, 9 bytes → 9000 (normal ending), 9 bytes"},
		{"00B0830000", "9000", "READ BINARY EF.AD (SFI 03), offset 0, 256 bytes"},
		{"00B201C400", "9000", "READ RECORD EF.EPSNSC (SFI 18), record 1 (absolute)"},
		{"0020000108 31323334FFFFFFFF", "63C2", "VERIFY PIN PIN1 (key reference 01) → 63C2 (verification failed, 2 retries left)"},
		{"0020000A00", "63C3", "VERIFY PIN ADM1 (key reference 0A), retry counter query"},
		{"002C008110 0000000000000000 3132333435363738", "9000", "UNBLOCK PIN PIN2 (key reference 81)"},
		{"008800812210" + strings.Repeat("00", 16) + "10" + strings.Repeat("11", 16) + "00", "DB08" + strings.Repeat("22", 8) + "9000", "AUTHENTICATE 3G context, successful (RES, CK, IK)"},
		{"008800812210" + strings.Repeat("00", 16) + "10" + strings.Repeat("11", 16) + "00", "DC0E" + strings.Repeat("33", 14) + "9000", "AUTHENTICATE 3G context, synchronisation failure (AUTS)"},
		{"0088008011" + "10" + strings.Repeat("00", 16), "9862", "AUTHENTICATE GSM context → 9862"},
		{"80F2000000", "9000", "STATUS no indication, return FCP of current DF/ADF → 9000"},
		{"80F20001", "9000", "STATUS no indication, return DF name"},
		{"80F2400000", "9000", "GET STATUS"},
		{"0070000001", "01 9000", "MANAGE CHANNEL open, card assigned channel 1"},
		{"01A4000C023F00", "9000", "[channel 1] SELECT MF (3F00): by FID, no data returned"},
		{"0070800100", "9000", "MANAGE CHANNEL close channel 1"},
		{"80C2000009D1070202838102060100", "9000", "ENVELOPE SMS-PP download"},
		{"8012000010", "D00E8103012100 9000", "FETCH DISPLAY TEXT"},
		{"801400000C810301210082028281830100", "9000", "TERMINAL RESPONSE to DISPLAY TEXT"},
		{"A0A40000027F20", "9F16", "SELECT DF.GSM (7F20): by FID → 9F16"},
		{"A0A40000026F07", "9F0F", "SELECT EF.IMSI (6F07)"},
		{"A088000010" + strings.Repeat("00", 16), "9000", "RUN GSM ALGORITHM 16 data bytes"},
		{"00A40804047FFF6F07", "9000", "SELECT ADF (current application) (7FFF)/EF.IMSI (6F07): by path from MF, return FCP"},
		{"00A4000C027F10", "9000", "SELECT DF.TELECOM (7F10): by FID, no data returned"},
		{"00A4000C026F40", "9000", "SELECT EF.MSISDN (6F40)"},
		{"00E00000", "9000", "CREATE FILE → 9000"},
		{"80E60C00", "9000", "INSTALL"},
		{"00A4", "", "malformed C-APDU 00a4"},
		{"00FF0000", "6D00", "CLA 00 INS FF → 6D00 (instruction code not supported or invalid)"},
	} {
		got := tr.Describe(mustHex(t, step.cmd), mustHex(t, step.resp)).String()
		if !strings.HasPrefix(got, step.want) {
			t.Errorf("%s / %s:\n got %q\nwant %q...", step.cmd, step.resp, got, step.want)
		}
	}
}

// TestFailedSelectKeepsDirectory checks that a SELECT the card refused does
// not move the tracer, as it does not move the card (TS 102 221 §11.1.1.1).
func TestFailedSelectKeepsDirectory(t *testing.T) {
	var tr Tracer
	tr.Describe(mustHex(t, "00A4040407A0000000871002"), mustHex(t, "9000"))
	tr.Describe(mustHex(t, "00A40004027F20"), mustHex(t, "6A82"))
	if got := tr.Describe(mustHex(t, "00A40004026F38"), mustHex(t, "9000")).Detail; !strings.HasPrefix(got, "EF.UST") {
		t.Errorf("after refused SELECT 7F20, 6F38 is %q, want EF.UST", got)
	}
	tr.Reset()
	if got := tr.Describe(mustHex(t, "00A40004026F38"), mustHex(t, "9000")).Detail; strings.HasPrefix(got, "EF.UST") {
		t.Errorf("after Reset, 6F38 is still named %q", got)
	}
}

func TestDescriptionsNeverShowPINs(t *testing.T) {
	var tr Tracer
	for _, c := range []string{"002000010831323334FFFFFFFF", "0024000110 31323334FFFFFFFF 35363738FFFFFFFF", "002C0001103132333435363738 31323334FFFFFFFF", "80D8000004 31323334"} {
		got := tr.Describe(mustHex(t, c), mustHex(t, "9000")).String()
		if strings.Contains(strings.ToLower(got), "3132") || strings.Contains(got, "1234") {
			t.Errorf("%s: description %q shows the secret", c, got)
		}
	}
}

func TestCommandNameByClass(t *testing.T) {
	for _, tc := range []struct {
		cla, ins, p1 byte
		want         string
	}{
		{0x00, 0xE4, 0, "DELETE FILE"},
		{0x80, 0xE4, 0, "DELETE"},
		{0x80, 0xF2, 0x00, "STATUS"},
		{0x80, 0xF2, 0x80, "GET STATUS"},
		{0xA0, 0x88, 0, "RUN GSM ALGORITHM"},
		{0x00, 0x88, 0, "AUTHENTICATE"},
		{0x80, 0x78, 0, "GET IDENTITY"},
		{0x40, 0xB0, 0, "READ BINARY"}, // further interindustry channel 4
		{0xFF, 0xA4, 0, ""},            // PPS, not a command
	} {
		if got := CommandName(tc.cla, tc.ins, tc.p1); got != tc.want {
			t.Errorf("%02X %02X: %q, want %q", tc.cla, tc.ins, got, tc.want)
		}
	}
}

func TestAIDName(t *testing.T) {
	for _, tc := range []struct{ aid, want string }{
		{"A0000000871002FFFFFFFF8907090000", "ADF.USIM"},
		{"A0000000871002", "ADF.USIM"},
		{"A0000000871004", "ADF.ISIM"},
		{"A000000087", ""}, // RID alone: too short to tell
		{"A000000003000000", "ISD"},
		{"D276000085", ""},
	} {
		if got, _ := AIDName(mustHex(t, tc.aid)); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.aid, got, tc.want)
		}
	}
}

func FuzzDescribe(f *testing.F) {
	f.Add(mustHex(f, "00A40004023F0000"), mustHex(f, "9000"))
	f.Add(mustHex(f, "00A40804047FFF6F07"), mustHex(f, "9000"))
	f.Add(mustHex(f, "8012000010"), mustHex(f, "D0819000"))
	f.Add(mustHex(f, "801400000C810301210082028281830100"), mustHex(f, "9000"))
	f.Add(mustHex(f, "0088008122"), mustHex(f, "DB9000"))
	f.Add([]byte{}, []byte{0x90})
	f.Fuzz(func(t *testing.T, c, r []byte) {
		var tr Tracer
		e := tr.Describe(c, r)
		if e.Command == "" {
			t.Fatalf("no command name for %x", c)
		}
		_ = e.String()
		tr.Describe(c, r)
	})
}

func BenchmarkDescribe(b *testing.B) {
	c := mustHex(b, "00A40004026F07")
	r := mustHex(b, "9000")
	b.ReportAllocs()
	var tr Tracer
	for b.Loop() {
		tr.Describe(c, r)
	}
}

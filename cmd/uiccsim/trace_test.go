package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/uiccsim/uiccsim/internal/apdutrace"
)

// startupTrace is the pySim-shell start-up of shared/notes/pc-sc-tool-startup.md
// in the line forms "uiccsim trace" accepts.
const startupTrace = `# pySim-shell start-up
00A40004023F0000 621A820278218302 3F00 9000
00 A4 00 04 02 2F 00 00 | 62 1A 90 00
> 00A4040410A0000005591010FFFFFFFF890000010000
< 6A82
RESET
00A40004027F20
6A82
00A4040407A0000000871002 -> 9000
00A40004026F07 => 9000
00B0000009	089910070000000010 9000
0020000108 31323334FFFFFFFF 63C2
`

func TestTraceDecodesEveryLineForm(t *testing.T) {
	r := runBin(t, startupTrace, "trace")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	want := []string{
		"SELECT MF (3F00): by FID, return FCP → 9000 (normal ending), 10 bytes",
		"SELECT EF.DIR (2F00): by FID, return FCP → 9000 (normal ending), 2 bytes",
		"SELECT ISD-R (A0000005591010FFFFFFFF8900000100): by AID, return FCP → 6A82 (file or application not found)",
		"SELECT DF.GSM (7F20): by FID, return FCP → 6A82 (file or application not found)",
		"SELECT ADF.USIM (A0000000871002): by AID, return FCP → 9000 (normal ending)",
		"SELECT EF.IMSI (6F07): by FID, return FCP → 9000 (normal ending)",
		"READ BINARY offset 0, 9 bytes → 9000 (normal ending), 9 bytes",
		"VERIFY PIN PIN1 (key reference 01) → 63C2 (verification failed, 2 retries left)",
	}
	got := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(got) != len(want) {
		t.Fatalf("%d lines, want %d:\n%s", len(got), len(want), r.stdout)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("line %d:\n got %q\nwant %q", i+1, got[i], want[i])
		}
	}
}

func TestTraceReadsFilesAndPrintsJSON(t *testing.T) {
	f := filepath.Join(t.TempDir(), "session.txt")
	if err := os.WriteFile(f, []byte("00A40004026F07 6A82\n80F2000000 9000\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var got []traceLine
	mustJSON(t, &got, "trace", f)
	if len(got) != 2 {
		t.Fatalf("%d entries, want 2: %+v", len(got), got)
	}
	if got[0].Source != f+":1" || got[0].Command != "SELECT" || got[0].SW != "6A82" || got[0].CAPDU != "00A40004026F07" {
		t.Errorf("entry 1: %+v", got[0])
	}
	if got[1].Command != "STATUS" || got[1].Detail != "no indication, return FCP of current DF/ADF" {
		t.Errorf("entry 2: %+v", got[1])
	}
	hexOut := mustRun(t, "trace", "--hex", f)
	if !strings.Contains(hexOut, f+":2  80F2000000  9000\nSTATUS") {
		t.Errorf("--hex output lacks the raw pair:\n%s", hexOut)
	}
}

func TestTraceRejectsBadInput(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"00A4000402 zz\n", "stdin:1: token 2: not hex"},
		{"\n\n< 9000\n", "stdin:3: response 9000 without a command"},
		{"00A4000402\n>\n", "stdin:2: marker without hex"}, {"00A4 | \n", "stdin:1: token 2: not hex"},
	} {
		r := runBin(t, tc.in, "trace")
		if r.code != exitUsage || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("%q: exit %d stderr %q, want exit 2 saying %q", tc.in, r.code, r.stderr, tc.want)
		}
	}
	r := runBin(t, "", "trace", filepath.Join(t.TempDir(), "missing.txt"))
	if r.code != exitEnv || !strings.Contains(r.stderr, "no such file") {
		t.Errorf("missing file: exit %d stderr %q, want exit 3", r.code, r.stderr)
	}
}

// FuzzDecodeStream feeds arbitrary text to the trace reader: it must never
// panic, and every pair it accepts is described.
func FuzzDecodeStream(f *testing.F) {
	f.Add(startupTrace)
	f.Add("00A4000402 zz\n")
	f.Add("> 00\n< \nRESET\n00B0000009 | 9000\n")
	f.Add("00 A4 00 04 02 3F 00 62 1A 90 00\n")
	f.Fuzz(func(t *testing.T, in string) {
		var tr apdutrace.Tracer
		n := 0
		err := decodeStream(strings.NewReader(in), "fuzz", &tr, func(l traceLine) {
			n++
			if l.Command == "" || l.CAPDU == "" {
				t.Fatalf("empty description %+v", l)
			}
		})
		if err != nil && exitCode(err) != exitUsage && exitCode(err) != exitEnv {
			t.Fatalf("error %v with exit %d", err, exitCode(err))
		}
	})
}

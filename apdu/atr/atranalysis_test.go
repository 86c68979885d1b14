package atr

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// requireTool skips when name is not installed, loudly, unless
// UICCSIM_REQUIRE_SYSTEM=1, which makes a missing tool a failure.
func requireTool(t *testing.T, name, why string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err == nil {
		return p
	}
	msg := "SKIPPING: " + name + " not installed (Debian package pcsc-tools); " + why
	if os.Getenv("UICCSIM_REQUIRE_SYSTEM") == "1" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

var (
	ansi     = regexp.MustCompile(`\x1b\[[0-9;]*m`)
	reTS     = regexp.MustCompile(`^\+ TS = ([0-9A-F]{2}) --> (Direct|Inverse) Convention`)
	reFiDi   = regexp.MustCompile(`TA\(1\) = [0-9A-F]{2} --> Fi=(\d+), Di=(\d+)`)
	reProto  = regexp.MustCompile(`TD\((\d+)\) = [0-9A-F]{2} --> .*Protocol T = (\d+)`)
	reHist   = regexp.MustCompile(`^\+ Historical bytes: ([0-9A-F ]+)$`)
	reTCK    = regexp.MustCompile(`^\+ TCK = ([0-9A-F]{2}) (\(correct checksum\)|WRONG CHECKSUM)`)
	reATRhex = regexp.MustCompile(`^3[BF]( [0-9A-F]{2})+$`)
	reCat    = regexp.MustCompile(`^\s+Category indicator byte: ([0-9A-F]{2})`)
	reCTLV   = regexp.MustCompile(`^\s+Tag: ([0-9A-F]), len: ([0-9A-F])`)
)

type analysis struct {
	ts        string
	fi, di    int
	protocols []int
	hist      string
	tck       string // "", "correct", "wrong"
	category  string
	compact   []string // "tag/len" of each COMPACT-TLV object
	errors    bool
}

// analyse runs pcsc-tools' ATR_analysis, an independent Perl decoder of
// ISO/IEC 7816-3 ATRs, with a private HOME whose fresh, empty card list
// keeps it from fetching the list over the network.
func analyse(t *testing.T, tool, home, atr string) analysis {
	t.Helper()
	cmd := exec.Command(tool, atr)
	cmd.Env = append(os.Environ(), "HOME="+home)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("ATR_analysis %s: %v\n%s", atr, err, out)
	}
	var a analysis
	for _, line := range strings.Split(ansi.ReplaceAllString(string(out), ""), "\n") {
		line = strings.TrimRight(line, " ")
		if m := reTS.FindStringSubmatch(line); m != nil {
			a.ts = m[1]
		}
		if m := reFiDi.FindStringSubmatch(line); m != nil {
			a.fi, _ = strconv.Atoi(m[1])
			a.di, _ = strconv.Atoi(m[2])
		}
		if m := reProto.FindStringSubmatch(line); m != nil {
			p, _ := strconv.Atoi(m[2])
			a.protocols = append(a.protocols, p)
		}
		if m := reHist.FindStringSubmatch(line); m != nil {
			a.hist = m[1]
		}
		if m := reTCK.FindStringSubmatch(line); m != nil {
			a.tck = map[bool]string{true: "correct", false: "wrong"}[m[2] == "(correct checksum)"]
		}
		if m := reCat.FindStringSubmatch(line); m != nil {
			a.category = m[1]
		}
		if m := reCTLV.FindStringSubmatch(line); m != nil {
			a.compact = append(a.compact, m[1]+"/"+m[2])
		}
		if strings.Contains(line, "ERROR") || strings.Contains(line, "Truncating") {
			a.errors = true
		}
	}
	return a
}

// sampleATRs returns every step-th literal ATR of pcsc-tools'
// smartcard_list.txt (real cards), plus the ATRs of realATRs.
func sampleATRs(t *testing.T, step int) []string {
	var out []string
	for _, tc := range realATRs {
		out = append(out, spaced(unhex(t, tc.hex)))
	}
	f, err := os.Open("/usr/share/pcsc/smartcard_list.txt")
	if err != nil {
		t.Fatalf("pcsc-tools card list: %v", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		if !reATRhex.MatchString(sc.Text()) {
			continue
		}
		if n%step == 0 {
			out = append(out, sc.Text())
		}
		n++
	}
	return out
}

func spaced(b []byte) string { return hexSpaced(b) }

// TestAgainstATRAnalysis decodes real ATRs with Parse and with pcsc-tools'
// ATR_analysis and compares convention, Fi/Di, the TDi protocol chain,
// historical bytes and the TCK verdict.
func TestAgainstATRAnalysis(t *testing.T) {
	tool := requireTool(t, "ATR_analysis", "the differential ATR test needs an independent decoder")
	home := t.TempDir()
	if err := os.MkdirAll(filepath.Join(home, ".cache"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(home, ".cache", "smartcard_list.txt"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	atrs := sampleATRs(t, 60)
	accepted, compared := 0, 0
	for _, s := range atrs {
		in := unhex(t, s)
		ours, err := Parse(in)
		theirs := analyse(t, tool, home, s)
		if err != nil {
			switch {
			case errors.Is(err, ErrChecksum):
				if theirs.tck != "wrong" {
					t.Errorf("%s: we say %v, ATR_analysis says TCK %q", s, err, theirs.tck)
				}
			case theirs.errors || theirs.tck == "wrong":
				t.Logf("%s: rejected (%v); ATR_analysis objects too", s, err)
			default:
				// ATR_analysis does not enforce the TCK presence rule of
				// ISO/IEC 7816-3 §8.2.5; the spec wins.
				t.Logf("%s: rejected (%v); ATR_analysis does not object", s, err)
			}
			continue
		}
		accepted++
		if theirs.errors || theirs.tck == "wrong" {
			t.Errorf("%s: accepted, but ATR_analysis reports a problem", s)
			continue
		}
		if theirs.ts != hex2(byte(ours.TS)) {
			t.Errorf("%s: TS %s vs %02X", s, theirs.ts, byte(ours.TS))
		}
		if _, present := ours.Interface('A', 1); present {
			fi, _, di, _ := ours.FiDi()
			if fi != theirs.fi || di != theirs.di {
				t.Errorf("%s: Fi/Di %d/%d, ATR_analysis %d/%d", s, fi, di, theirs.fi, theirs.di)
			}
		}
		var chain []int
		for _, g := range ours.Groups {
			if g.Present&HasTD != 0 {
				chain = append(chain, int(g.T))
			}
		}
		if !equalInts(chain, theirs.protocols) {
			t.Errorf("%s: TD protocols %v, ATR_analysis %v", s, chain, theirs.protocols)
		}
		if spaced(ours.Historical) != theirs.hist {
			t.Errorf("%s: historical %q, ATR_analysis %q", s, spaced(ours.Historical), theirs.hist)
		}
		if want := map[bool]string{true: "correct", false: ""}[ours.TCKRequired()]; theirs.tck != want {
			t.Errorf("%s: TCK required %v, ATR_analysis TCK %q", s, ours.TCKRequired(), theirs.tck)
		}
		h, err := ParseHistorical(ours.Historical)
		if len(ours.Historical) == 0 || err != nil {
			continue
		}
		if hex2(h.Category) != theirs.category {
			t.Errorf("%s: category %02X, ATR_analysis %s", s, h.Category, theirs.category)
		}
		if h.Category == CategoryCompact || h.Category == CategoryCompactStatus {
			var compact []string
			for _, o := range h.Objects {
				compact = append(compact, fmt.Sprintf("%X/%X", o.Tag, len(o.Value)))
			}
			if strings.Join(compact, " ") != strings.Join(theirs.compact, " ") {
				t.Errorf("%s: COMPACT-TLV %v, ATR_analysis %v", s, compact, theirs.compact)
			}
			compared++
		}
	}
	t.Logf("%d ATRs compared, %d accepted, %d with COMPACT-TLV historical bytes", len(atrs), accepted, compared)
	if compared < 10 {
		t.Errorf("only %d ATRs with COMPACT-TLV historical bytes compared", compared)
	}
	if accepted < len(atrs)*3/4 {
		t.Errorf("only %d of %d real ATRs accepted", accepted, len(atrs))
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

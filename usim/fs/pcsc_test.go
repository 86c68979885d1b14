package fs

import (
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/uiccsim/uiccsim/internal/pcsctest"
	"github.com/uiccsim/uiccsim/internal/systest"
)

var openscReceived = regexp.MustCompile(`Received \(SW1=0x([0-9A-Fa-f]{2}), SW2=0x([0-9A-Fa-f]{2})\)`)

// openscAnswers parses every "Received" block of an opensc-tool run into
// data ‖ SW hex strings.
func openscAnswers(out string) []string {
	var r []string
	lines := strings.Split(out, "\n")
	for i, l := range lines {
		m := openscReceived.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		var b strings.Builder
		for _, dl := range lines[i+1:] {
			if strings.TrimSpace(dl) == "" || strings.HasPrefix(dl, "Sending:") {
				break
			}
			hexPart := dl
			if j := strings.Index(dl, "  "); j >= 0 {
				hexPart = dl[:j]
			}
			for _, f := range strings.Fields(hexPart) {
				if len(f) != 2 {
					break
				}
				b.WriteString(strings.ToUpper(f))
			}
		}
		r = append(r, b.String()+strings.ToUpper(m[1]+m[2]))
	}
	return r
}

// Through the real pcscd and vpcd, OpenSC (an independent T=0 client that
// fetches 61xx data with GET RESPONSE by itself) sees on the T=0 card
// exactly what the same card answers in-process on T=1.
func TestOpenSCThroughPCSCD(t *testing.T) {
	tool := systest.LookPath(t, "opensc-tool")
	script := []string{
		"00A40004023F0000", "00A40004022F0000", "00B2010423", "00B2020423",
		"00A4040410A0000005591010FFFFFFFF8900000100", "00A404040CA0000000871002FF49FF058900",
		"00A40004026F0700", "00B0000009", "00B0000901", "80F2000000", "80F2000100",
		"0020008100", "002000810835363738FFFFFFFF", "00A40004026F3C00", "00B2010404",
		"00A2010402AABB00", "0084000008",
	}
	ref := buildCard(t, Options{})
	ref.rt.SetT1(true)
	var want []string
	for _, s := range script {
		want = append(want, ref.xfer(t, s))
	}
	c := buildCard(t, Options{})
	reader := pcsctest.Serve(t, c.rt)
	args := []string{"-r", reader}
	for _, s := range script {
		args = append(args, "-s", s)
	}
	out, err := exec.Command(tool, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("opensc-tool: %v\n%s", err, out)
	}
	got := openscAnswers(string(out))
	if len(got) != len(script) {
		t.Fatalf("%d answers for %d commands:\n%s", len(got), len(script), out)
	}
	for i, s := range script {
		if s == "0084000008" { // random: compare the shape only
			if len(got[i]) != len(want[i]) || !strings.HasSuffix(got[i], "9000") {
				t.Errorf("GET CHALLENGE: %s", got[i])
			}
			continue
		}
		if got[i] != want[i] {
			t.Errorf("%s:\n opensc (T=0) %s\n in-process (T=1) %s", s, got[i], want[i])
		}
	}
}

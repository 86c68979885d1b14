package main

import (
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/uiccsim/uiccsim/internal/pcsctest"
	"github.com/uiccsim/uiccsim/internal/systest"
)

// TestPurseThroughPCSC serves the purse to vpcd and drives it with
// opensc-tool through pcscd — an independent PC/SC client — as README.md
// shows. opensc-tool keeps the card connected for all its -s commands, so
// one run is one session.
func TestPurseThroughPCSC(t *testing.T) {
	tool := systest.LookPath(t, "opensc-tool")
	rt, err := NewCard()
	if err != nil {
		t.Fatal(err)
	}
	reader := pcsctest.Serve(t, rt)
	steps := []struct{ cmd, data, sw string }{
		{selectPurse, "", "9000"},
		{"805200000400000064", "", "9000"},
		{"8050000004", "00000064", "9000"},
		{"80540000040000001E", "", "6982"},
		{verifyWrong, "", "63C2"},
		{verify1234, "", "9000"},
		{"80540000040000001E", "", "9000"},
		{"8050000004", "00000046", "9000"},
	}
	args := []string{"-r", reader}
	for _, s := range steps {
		args = append(args, "-s", s.cmd)
	}
	out, err := exec.Command(tool, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("opensc-tool: %v\n%s", err, out)
	}
	got := openscResponses(string(out))
	if len(got) != len(steps) {
		t.Fatalf("opensc-tool gave %d responses for %d commands:\n%s", len(got), len(steps), out)
	}
	for i, s := range steps {
		if got[i] != [2]string{s.data, s.sw} {
			t.Errorf("%s: got data %q SW %s, want %q %s", s.cmd, got[i][0], got[i][1], s.data, s.sw)
		}
	}
}

var receivedRE = regexp.MustCompile(`^Received \(SW1=0x([0-9A-Fa-f]{2}), SW2=0x([0-9A-Fa-f]{2})\)`)

// openscResponses reads opensc-tool's "Received (SW1=0x90, SW2=0x00):"
// lines and the hex dump lines ("00 00 00 64 ....") after each.
func openscResponses(out string) [][2]string {
	var r [][2]string
	lines := strings.Split(out, "\n")
	for i := 0; i < len(lines); i++ {
		m := receivedRE.FindStringSubmatch(lines[i])
		if m == nil {
			continue
		}
		var data strings.Builder
		for i+1 < len(lines) && !strings.HasPrefix(lines[i+1], "Sending") && strings.TrimSpace(lines[i+1]) != "" {
			i++
			hexPart, _, _ := strings.Cut(lines[i], "  ")
			for _, f := range strings.Fields(hexPart) {
				if len(f) == 2 {
					data.WriteString(strings.ToUpper(f))
				}
			}
		}
		r = append(r, [2]string{data.String(), strings.ToUpper(m[1] + m[2])})
	}
	return r
}

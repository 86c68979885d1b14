package client_test

import (
	"github.com/uiccsim/uiccsim/usim/client"

	"bytes"
	"encoding/hex"
	"fmt"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/uiccsim/uiccsim/internal/systest"
	"github.com/uiccsim/uiccsim/usim/ef"
)

var openscReceived = regexp.MustCompile(`^Received \(SW1=0x([0-9A-Fa-f]{2}), SW2=0x([0-9A-Fa-f]{2})\)`)

// openscResponses parses the "Received (SW1=.., SW2=..)" blocks that
// `opensc-tool -s` prints, one per command, into data ‖ SW1 SW2. The data
// lines are a hex dump: up to 16 two-digit groups, then an ASCII column.
func openscResponses(out string) ([][]byte, error) {
	var r [][]byte
	lines := strings.Split(out, "\n")
	for i, l := range lines {
		m := openscReceived.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		var data []byte
		for _, dl := range lines[i+1:] {
			if strings.TrimSpace(dl) == "" || strings.HasPrefix(dl, "Sending:") || openscReceived.MatchString(dl) {
				break
			}
			b, ok := dumpLine(dl)
			if !ok {
				return nil, fmt.Errorf("opensc-tool output line %d: %q is not a hex dump line", i+2, dl)
			}
			data = append(data, b...)
		}
		sw, err := hex.DecodeString(m[1] + m[2])
		if err != nil {
			return nil, err
		}
		r = append(r, append(data, sw...))
	}
	return r, nil
}

// dumpLine decodes one line of OpenSC's hex dump: n groups "XX " (n ≤ 16),
// optional padding, then an ASCII column of exactly n characters, which
// may itself look like hex ("12") or hold spaces. The largest n that fits
// wins.
func dumpLine(l string) ([]byte, bool) {
	for n := 16; n >= 1; n-- {
		if len(l) < 3*n-1 {
			continue
		}
		b := make([]byte, 0, n)
		for k := 0; k < n; k++ {
			g := l[3*k : 3*k+2]
			v, err := hex.DecodeString(g)
			if err != nil || (3*k+2 < len(l) && l[3*k+2] != ' ') {
				b = nil
				break
			}
			b = append(b, v...)
		}
		if b == nil {
			continue
		}
		rest := l[min(len(l), 3*n):]
		if len(rest) >= n && strings.TrimLeft(rest[:len(rest)-n], " ") == "" {
			return b, true
		}
	}
	return nil, false
}

// OpenSC's opensc-tool, an independent PC/SC client with its own T=0
// handling (it fetches 61xx data with GET RESPONSE itself), reads
// EF.ICCID from the served default card: the bytes are the profile's
// ICCID coded as TS 102 221 §13.2 says (BCD, low nibble first, F-padded),
// and decode back to it.
func TestOpenSCReadsICCID(t *testing.T) {
	tool := systest.LookPath(t, "opensc-tool")
	pc, p := serveDefault(t)
	reader := pc.Reader()
	// opensc-tool needs the reader for itself only while it runs; the
	// apdu/pcsc connection is shared, so both may stay connected.
	out, err := exec.Command(tool, "-r", reader,
		"-s", "00A40004023F0000", "-s", "00A40004022FE200", "-s", "00B000000A").CombinedOutput()
	if err != nil {
		t.Fatalf("opensc-tool: %v\n%s", err, out)
	}
	got, err := openscResponses(string(out))
	if err != nil || len(got) != 3 {
		t.Fatalf("%d responses (%v) for 3 commands:\n%s", len(got), err, out)
	}
	// OpenSC fetched the 61xx data itself: the FCPs are the card's exact
	// templates (startup_test.go).
	for i, fcp := range []string{fcpMF, fcpICCID} {
		if want := client.HexT(t, fcp+"9000"); !bytes.Equal(got[i], want) {
			t.Fatalf("SELECT %d: %X, want %X\n%s", i, got[i], want, out)
		}
	}
	want := append(client.HexT(t, bcdSwapped(p.ICCID)), 0x90, 0x00)
	if !bytes.Equal(got[2], want) {
		t.Fatalf("READ BINARY: %X, want %X\n%s", got[2], want, out)
	}
	iccid, err := ef.ParseICCID(got[2][:10])
	if err != nil || iccid.String() != p.ICCID {
		t.Fatalf("ICCID %v %v, want %s", iccid, err, p.ICCID)
	}
	if testing.Verbose() {
		t.Logf("opensc-tool output:\n%s", out)
	}
}

func TestOpenSCResponsesParsesHexDumps(t *testing.T) {
	out := `Using reader with a card: Virtual PCD 00 00
Sending: 00 A4 00 04 02 3F 00
Received (SW1=0x90, SW2=0x00):
62 29 82 02 78 21 83 02 3F 00 A5 0C 80 01 71 83 b)..x!..?.....q.
04 00 03 A7 38 87 01 01 8A 01 05                ....8......
Sending: 00 A4 00 04 02 7F 20
Received (SW1=0x6A, SW2=0x82)
Sending: 00 B0 00 00 02
Received (SW1=0x90, SW2=0x00):
31 32                                           12
Sending: 00 B0 00 00 10
Received (SW1=0x90, SW2=0x00):
31 32 31 32 31 32 31 32 31 32 31 32 31 32 31 32 1212121212121212
`
	got, err := openscResponses(out)
	want := [][]byte{client.HexT(t, "6229820278218302 3F00A50C80017183 0400 03A7388701018A01059000"), client.HexT(t, "6A82"),
		client.HexT(t, "31329000"), client.HexT(t, "31323132313231323132313231323132 9000")}
	if err != nil || len(got) != len(want) {
		t.Fatalf("got %X, %v; want %X", got, err, want)
	}
	for i := range want {
		if !bytes.Equal(got[i], want[i]) {
			t.Errorf("response %d: %X, want %X", i, got[i], want[i])
		}
	}
	if _, err := openscResponses("Received (SW1=0x90, SW2=0x00):\nZZ 00  ..\n"); err == nil {
		t.Errorf("a non-hex dump line was accepted")
	}
}

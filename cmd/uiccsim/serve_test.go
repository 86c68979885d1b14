package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/uiccsim/uiccsim/internal/pcsctest"
	"github.com/uiccsim/uiccsim/internal/systest"
)

// syncBuffer collects a child's output while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// served is a "uiccsim serve" child process behind the real pcscd + vpcd.
type served struct {
	reader string
	port   int
	out    *syncBuffer
	cmd    *exec.Cmd
	done   chan error
	// stopped is set by stop; a server not stopped is killed at cleanup.
	stopped *bool
}

// startServe takes a free vpcd slot of the machine's pcscd (started if
// needed, internal/pcsctest), runs "uiccsim serve --vpcd 127.0.0.1:PORT"
// with args and waits until pcscd sees the card. The slot is held until the
// test ends; the server is stopped with SIGINT by stop or at the end.
func startServe(t *testing.T, args ...string) *served {
	t.Helper()
	ctx := pcsctest.EnsurePCSCD(t)
	slot := pcsctest.TakeSlot(t, ctx)
	return serveOn(t, slot.Reader, slot.Port, args...)
}

// restart starts another server on the slot s used (after s.stop).
func (s *served) restart(t *testing.T, args ...string) *served {
	t.Helper()
	return serveOn(t, s.reader, s.port, args...)
}

func serveOn(t *testing.T, reader string, port int, args ...string) *served {
	t.Helper()
	ctx := pcsctest.EnsurePCSCD(t)
	s := &served{reader: reader, port: port, out: &syncBuffer{}, done: make(chan error, 1)}
	s.cmd = exec.Command(bin, append([]string{"serve", "--vpcd", fmt.Sprintf("127.0.0.1:%d", port)}, args...)...)
	s.cmd.Stdout, s.cmd.Stderr = s.out, s.out
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { s.done <- s.cmd.Wait() }()
	stopped := false
	t.Cleanup(func() {
		if !stopped {
			s.cmd.Process.Kill()
		}
	})
	s.stopped = &stopped
	if err := ctx.WaitCard(reader, 15*time.Second); err != nil {
		t.Fatalf("pcscd never saw the served card in %q: %v\nserve output:\n%s", reader, err, s.out.String())
	}
	return s
}

// stop sends SIGINT, as Ctrl-C does, and checks the clean shutdown.
func (s *served) stop(t *testing.T) string {
	t.Helper()
	*s.stopped = true
	s.cmd.Process.Signal(syscall.SIGINT)
	select {
	case err := <-s.done:
		if err != nil {
			t.Errorf("serve after SIGINT: %v\n%s", err, s.out.String())
		}
	case <-time.After(15 * time.Second):
		s.cmd.Process.Kill()
		t.Fatalf("serve did not stop on SIGINT:\n%s", s.out.String())
	}
	// pcscd notices the card is gone a moment later; wait so that a
	// restart on this slot is not mistaken for the old card.
	if err := pcsctest.EnsurePCSCD(t).WaitEmpty(s.reader, 10*time.Second); err != nil {
		t.Errorf("reader %q not empty after serve stopped: %v", s.reader, err)
	}
	out := s.out.String()
	if !strings.Contains(out, "uiccsim: stopped") && !strings.Contains(out, `{"event":"stopped"`) {
		t.Errorf("serve did not report a clean stop:\n%s", out)
	}
	return out
}

// TestServeToPCSCTools serves the default card and reads it with pcsc_scan
// and opensc-tool, then plays the pySim-shell start-up of
// shared/notes/pc-sc-tool-startup.md through pcscd + vpcd with opensc-tool,
// and checks the -v trace names what was sent.
func TestServeToPCSCTools(t *testing.T) {
	opensc := systest.LookPath(t, "opensc-tool")
	scan := systest.LookPath(t, "pcsc_scan")
	s := startServe(t, "-v")
	const atrHex = "3B 9F 96 80 1F C7 80 31 A0 73 BE 21 13 67 43 20 07 18 00 00 01 A5"

	out, err := exec.Command("timeout", "20", scan, "-c").CombinedOutput()
	if err != nil || !strings.Contains(string(out), s.reader) || !strings.Contains(string(out), atrHex) {
		t.Errorf("pcsc_scan -c: %v\n%s", err, out)
	}
	out, err = exec.Command(opensc, "-r", s.reader, "-a").CombinedOutput()
	if err != nil || !strings.Contains(strings.ToUpper(string(out)), strings.ReplaceAll(atrHex, " ", ":")) {
		t.Errorf("opensc-tool -a: %v\n%s", err, out)
	}

	steps := []struct{ apdu, sw string }{
		{"00A40004023F0000", "90 00"},
		{"00A40004022F0000", "90 00"},
		{"00A4040410A0000005591010FFFFFFFF890000010000", "6A 82"},
		{"00A40004023F0000", "90 00"},
		{"00A40004027F20", "6A 82"},
		{"00A40004027F25", "6A 82"},
		{"00A40004022F0000", "90 00"},
		{"00B2010420", "90 00"},
		{"00A4040407A000000087100400", "6A 82"},
		{"00A4040409A00000015141434C0000", "6A 82"},
		{"00A4040408A00000000300000000", "6A 82"},
		{"80F2000000", "90 00"},
		{"00A40004022FE200", "90 00"},
		{"00B000000A", "90 00"},
	}
	args := []string{"-r", s.reader, "-c", "default"}
	for _, st := range steps {
		args = append(args, "-s", st.apdu)
	}
	out, err = exec.Command(opensc, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("opensc-tool: %v\n%s", err, out)
	}
	re := regexp.MustCompile(`Received \(SW1=0x([0-9A-Fa-f]{2}), SW2=0x([0-9A-Fa-f]{2})\)`)
	got := re.FindAllStringSubmatch(string(out), -1)
	if len(got) != len(steps) {
		t.Fatalf("%d answers for %d commands:\n%s", len(got), len(steps), out)
	}
	for i, st := range steps {
		if sw := strings.ToUpper(got[i][1] + " " + got[i][2]); sw != st.sw {
			t.Errorf("%s: SW %s, want %s", st.apdu, sw, st.sw)
		}
	}
	// EF.DIR's FCP carries file size (80) and descriptor (82) so that tools
	// can count its records; EF.ICCID reads back the profile's ICCID.
	if !strings.Contains(string(out), "98 00 01 01 21 43 65 87 09 F4") {
		t.Errorf("EF.ICCID content missing from opensc-tool output:\n%s", out)
	}
	trace := s.stop(t)
	for _, want := range []string{
		"SELECT EF.DIR (2F00): by FID, return FCP",
		"SELECT ISD-R (A0000005591010FFFFFFFF8900000100): by AID, return FCP → 6A82",
		"READ RECORD record 1 (absolute), 32 bytes → 9000",
		"STATUS no indication, return FCP of current DF/ADF",
		"READ BINARY offset 0, 10 bytes → 9000 (normal ending), 10 bytes",
		"cold reset, ATR 3B9F",
	} {
		if !strings.Contains(trace, want) {
			t.Errorf("serve -v trace lacks %q:\n%s", want, trace)
		}
	}
}

// TestCardCommandsThroughPCSC runs readers, info, read, write and auth
// against "uiccsim serve" through pcscd + vpcd, then restarts the server
// from its image and checks the card kept its SQN and PIN counter.
func TestCardCommandsThroughPCSC(t *testing.T) {
	img := filepath.Join(t.TempDir(), "card.img")
	s := startServe(t, "--image", img)

	var readers []readerInfo
	mustJSON(t, &readers, "readers")
	found := false
	for _, r := range readers {
		if r.Name == s.reader {
			found = r.Card && strings.HasPrefix(r.ATR, "3B9F96801FC7")
		}
	}
	if !found {
		t.Errorf("readers: %q not listed with its card: %+v", s.reader, readers)
	}

	var info infoResult
	mustJSON(t, &info, "info", "--reader", s.reader, "--pin", "1234")
	if info.Reader != s.reader || info.IMSI != "001010123456789" || info.ICCID != "8900101012345678904" || info.PINs["PIN1"].Retries != 3 {
		t.Errorf("info: %+v", info)
	}
	out := mustRun(t, "read", "--reader", s.reader, "--pin", "1234", "ADF.USIM/EF.IMSI")
	if !strings.Contains(out, "decoded  001010123456789") {
		t.Errorf("read IMSI:\n%s", out)
	}
	out = mustRun(t, "write", "--reader", s.reader, "--pin", "1234", "--adm", "88888888", "ADF.USIM/EF.SPN", "lab card")
	if !strings.Contains(out, `"lab card"`) {
		t.Errorf("write SPN:\n%s", out)
	}
	var auth authResult
	mustJSON(t, &auth, "auth", "--reader", s.reader, "--pin", "1234", "--k", testK, "--opc", testOPc, "--gsm")
	if len(auth.Attempts) != 1 || !auth.Checks["RES"] || !auth.Checks["CK"] || !auth.Checks["IK"] || !auth.Checks["GSM SRES"] {
		t.Errorf("auth: %+v", auth)
	}
	var ex []apduExchange
	mustJSON(t, &ex, "apdu", "--reader", s.reader, "00A40004023F0000", "00A40004022FE200", "00B000000A")
	if len(ex) != 3 || ex[0].SW != "9000" || ex[2].Response != "980001012143658709F4" {
		t.Errorf("apdu over PC/SC (T=0 GET RESPONSE): %+v", ex)
	}
	if r := runBin(t, "", "info", "--reader", s.reader, "--pin", "9999"); r.code != exitNo {
		t.Errorf("wrong PIN: exit %d", r.code)
	}
	// Without --reader: our card is present, so either it is the only one
	// (and chosen) or several readers hold cards and the user must choose.
	r := runBin(t, "", "info")
	switch r.code {
	case 0:
		if !strings.Contains(r.stdout, s.reader) {
			t.Errorf("default reader is not ours:\n%s", r.stdout)
		}
	case exitUsage:
		if !strings.Contains(r.stderr, "several readers hold a card") || !strings.Contains(r.stderr, s.reader) {
			t.Errorf("no clear reader list: %s", r.stderr)
		}
	default:
		t.Errorf("info without --reader: exit %d %s", r.code, r.stderr)
	}
	if r := runBin(t, "", "info", "--reader", "no such reader"); r.code != exitUsage || !strings.Contains(r.stderr, s.reader) {
		t.Errorf("unknown reader: exit %d, %q does not list the readers", r.code, r.stderr)
	}
	s.stop(t)

	// Restart from the image: SQN 32 was used, the SPN written, one PIN
	// try spent.
	prof := filepath.Join(t.TempDir(), "card.json")
	mustRun(t, "profile", "new", prof)
	s = s.restart(t, "--image", img, "--profile", prof)
	mustJSON(t, &info, "info", "--reader", s.reader)
	if info.PINs["PIN1"].Retries != 2 {
		t.Errorf("PIN1 retries after restart: %+v", info.PINs)
	}
	auth = authResult{}
	mustJSON(t, &auth, "auth", "--reader", s.reader, "--pin", "1234", "--k", testK, "--opc", testOPc)
	if len(auth.Attempts) != 2 || auth.Attempts[0].SQNMS == nil || *auth.Attempts[0].SQNMS != 32 {
		t.Errorf("the card forgot its SQN across restarts: %+v", auth.Attempts)
	}
	out = mustRun(t, "read", "--reader", s.reader, "--pin", "1234", "ADF.USIM/EF.SPN")
	if !strings.Contains(out, `"lab card"`) {
		t.Errorf("SPN after restart:\n%s", out)
	}
	if log := s.stop(t); !strings.Contains(log, "restored from image; --profile ignored") {
		t.Errorf("serve did not say it restored the image:\n%s", log)
	}
}

// TestServeJSONEvents checks that "serve --json -v" writes one JSON object
// per line.
func TestServeJSONEvents(t *testing.T) {
	s := startServe(t, "--json", "-v")
	mustRun(t, "read", "--reader", s.reader, "EF.ICCID")
	log := s.stop(t)
	events := map[string]int{}
	for _, l := range strings.Split(strings.TrimSpace(log), "\n") {
		var ev map[string]any
		if err := json.Unmarshal([]byte(l), &ev); err != nil {
			t.Fatalf("not a JSON line: %q (%v)", l, err)
		}
		events[fmt.Sprint(ev["event"])]++
		if ev["event"] == "apdu" && ev["command"] == nil {
			t.Errorf("apdu event without command: %s", l)
		}
	}
	if events["serving"] != 1 || events["stopped"] != 1 || events["apdu"] == 0 || events["reset"] == 0 {
		t.Errorf("events %v", events)
	}
}

func TestServeUsage(t *testing.T) {
	if r := runBin(t, "", "serve", "extra"); r.code != exitUsage {
		t.Errorf("exit %d", r.code)
	}
	bad := filepath.Join(t.TempDir(), "bad.json")
	os.WriteFile(bad, []byte(`{"imsi": "1"}`), 0o600)
	if r := runBin(t, "", "serve", "--profile", bad); r.code != exitNo || !strings.Contains(r.stderr, "profile") {
		t.Errorf("invalid profile: exit %d %q", r.code, r.stderr)
	}
}

// TestServeStopsCleanlyWithoutVPCD starts serve where no vpcd listens: it
// says so once, keeps retrying, writes its image, and stops on SIGINT with
// exit 0.
func TestServeStopsCleanlyWithoutVPCD(t *testing.T) {
	img := filepath.Join(t.TempDir(), "card.img")
	out := &syncBuffer{}
	cmd := exec.Command(bin, "serve", "--vpcd", "127.0.0.1:1", "--image", img)
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(out.String(), "retrying until vpcd is there") && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(500 * time.Millisecond) // several retries
	cmd.Process.Signal(syscall.SIGINT)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("serve: %v\n%s", err, out.String())
	}
	log := out.String()
	if strings.Count(log, "connection refused") != 1 || !strings.Contains(log, "uiccsim: stopped, card saved to "+img) {
		t.Errorf("serve output:\n%s", log)
	}
	if _, err := os.Stat(img); err != nil {
		t.Errorf("image not written: %v", err)
	}
}

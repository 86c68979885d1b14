package pcsc_test

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/apdu/pcsc"
	"github.com/uiccsim/uiccsim/apdu/t0"
	"github.com/uiccsim/uiccsim/apdu/vpcd"
	"github.com/uiccsim/uiccsim/internal/pcsctest"
	"github.com/uiccsim/uiccsim/internal/systest"
)

// testATR is the ATR of a UICC (TS=3B, T0=9F, TA1=96, T=0 and T=15 offered,
// 15 historical bytes, TCK=A9) served by the test card.
var testATR = mustHex("3B9F96801F878031E073FE211B674A4C753034054BA9")

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

// echoCard is a tiny deterministic card: SELECT (A4) answers 9000, INS EE
// echoes its command data with 9000, INS E0 answers Ne bytes counting up
// from 00 with 9000, INS E6 behaves as a T=0 card does with a case-4
// command (answers 61xx and hands its data back through GET RESPONSE), any
// other INS answers 6D00. It counts power events and commands.
type echoCard struct {
	mu                    sync.Mutex
	cold, warm, off, cmds int
	last                  []byte
	pending               []byte
}

func (c *echoCard) Transmit(dst, cmd []byte) ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.cmds++
	c.last = append(c.last[:0], cmd...)
	cm, err := apdu.ParseCommand(cmd)
	if err != nil {
		return apdu.AppendResponse(dst, nil, apdu.SWWrongLength), nil
	}
	switch cm.INS {
	case 0xA4:
		return apdu.AppendResponse(dst, nil, apdu.SWOK), nil
	case 0xEE:
		return apdu.AppendResponse(dst, cm.Data, apdu.SWOK), nil
	case 0xE6:
		c.pending = append(c.pending[:0], cm.Data...)
		return append(dst, 0x61, byte(len(c.pending))), nil
	case 0xC0:
		n := min(cm.Ne, len(c.pending))
		dst = append(dst, c.pending[:n]...)
		c.pending = c.pending[n:]
		return append(dst, 0x90, 0x00), nil
	case 0xE0:
		for i := 0; i < cm.Ne; i++ {
			dst = append(dst, byte(i))
		}
		return append(dst, 0x90, 0x00), nil
	}
	return apdu.AppendResponse(dst, nil, apdu.SWINSNotSupported), nil
}

func (c *echoCard) Reset(cold bool) ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if cold {
		c.cold++
	} else {
		c.warm++
	}
	return testATR, nil
}

func (c *echoCard) PowerOff() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.off++
	return nil
}

func (c *echoCard) Close() error { return nil }

type counts struct{ cold, warm, off, cmds int }

func (c *echoCard) counts() counts {
	c.mu.Lock()
	defer c.mu.Unlock()
	return counts{c.cold, c.warm, c.off, c.cmds}
}

func TestThroughPCSCD(t *testing.T) {
	card := &echoCard{}
	reader := pcsctest.Serve(t, card)
	c, err := pcsc.Dial(reader, pcsc.Any)
	if err != nil {
		t.Fatalf("Dial(%q): %v", reader, err)
	}
	t.Cleanup(func() { c.Close() })

	t.Run("ATR read with SCardStatus is the card's", func(t *testing.T) {
		atr, err := c.ATR()
		if err != nil || !bytes.Equal(atr, testATR) {
			t.Fatalf("ATR = %X, %v; want %X", atr, err, testATR)
		}
		if p := c.Protocol(); p != pcsc.T0 && p != pcsc.T1 {
			t.Fatalf("Protocol = %v", p)
		}
	})

	exchanges := []struct {
		name     string
		cmd, rsp string
	}{
		{"SELECT MF answers 9000", "00A40004023F00", "9000"},
		{"case-1 APDU of 4 bytes crosses as-is", "00A40000", "9000"},
		{"echo returns the data", "80EE000005DEADBEEF01", "DEADBEEF019000"},
		{"unknown INS answers 6D00", "0010000000", "6D00"},
	}
	for _, ex := range exchanges {
		t.Run("apdu/pcsc "+ex.name, func(t *testing.T) {
			got, err := c.Transmit(nil, mustHex(ex.cmd))
			if err != nil || !bytes.Equal(got, mustHex(ex.rsp)) {
				t.Fatalf("Transmit(%s) = %X, %v; want %s", ex.cmd, got, err, ex.rsp)
			}
			card.mu.Lock()
			last := append([]byte(nil), card.last...)
			card.mu.Unlock()
			if !bytes.Equal(last, mustHex(ex.cmd)) {
				t.Fatalf("card received %X, want %s", last, ex.cmd)
			}
		})
	}

	t.Run("Transmit appends to dst", func(t *testing.T) {
		got, err := c.Transmit([]byte{0xAA}, mustHex("80EE0000020102"))
		if err != nil || !bytes.Equal(got, mustHex("AA01029000")) {
			t.Fatalf("Transmit = %X, %v", got, err)
		}
	})

	t.Run("short commands never reach the card", func(t *testing.T) {
		before := card.counts().cmds
		for _, cmd := range [][]byte{nil, {0x00}, {0x00, 0xA4, 0x00}} {
			if _, err := c.Transmit(nil, cmd); !errors.Is(err, pcsc.ErrShortCommand) {
				t.Fatalf("Transmit(%X) err = %v, want ErrShortCommand", cmd, err)
			}
		}
		if after := card.counts().cmds; after != before {
			t.Fatalf("card saw %d commands from short Transmits", after-before)
		}
	})

	t.Run("warm reset reaches the card as vpcd reset", func(t *testing.T) {
		before := card.counts()
		atr, err := c.Reset(false)
		if err != nil || !bytes.Equal(atr, testATR) {
			t.Fatalf("Reset(warm) = %X, %v", atr, err)
		}
		after := card.counts()
		if after.warm != before.warm+1 || after.cold != before.cold {
			t.Fatalf("warm reset: counts %+v → %+v, want one warm reset", before, after)
		}
	})

	t.Run("cold reset powers the card off and on", func(t *testing.T) {
		before := card.counts()
		atr, err := c.Reset(true)
		if err != nil || !bytes.Equal(atr, testATR) {
			t.Fatalf("Reset(cold) = %X, %v", atr, err)
		}
		after := card.counts()
		if after.off <= before.off || after.cold <= before.cold {
			t.Fatalf("cold reset: counts %+v → %+v, want power off and power on", before, after)
		}
		if got, err := c.Transmit(nil, mustHex("00A40004023F00")); err != nil || !bytes.Equal(got, mustHex("9000")) {
			t.Fatalf("after cold reset: %X, %v", got, err)
		}
	})

	t.Run("t0 over apdu/pcsc follows 61xx with GET RESPONSE", func(t *testing.T) {
		before := card.counts().cmds
		got, err := t0.New(c).Transmit(nil, mustHex("80E6000004CAFEF00D00"))
		if err != nil || !bytes.Equal(got, mustHex("CAFEF00D9000")) {
			t.Fatalf("t0 Transmit = %X, %v", got, err)
		}
		card.mu.Lock()
		last := append([]byte(nil), card.last...)
		card.mu.Unlock()
		if n := card.counts().cmds - before; n != 2 || !bytes.Equal(last, mustHex("00C0000004")) {
			t.Fatalf("card saw %d commands ending with %X, want the case-3 command then 00C0000004", n, last)
		}
	})

	t.Run("opensc-tool reaches the same card", func(t *testing.T) {
		tool := systest.LookPath(t, "opensc-tool")
		for _, ex := range []struct{ cmd, data, sw string }{
			{"80EE000004CAFEF00D", "CAFEF00D", "9000"},
			{"80E0000010", "000102030405060708090A0B0C0D0E0F", "9000"},
			{"00A40004022F00", "", "9000"},
			{"0010000000", "", "6D00"},
		} {
			data, sw := openscTool(t, tool, reader, ex.cmd)
			if data != ex.data || sw != ex.sw {
				t.Fatalf("opensc-tool -s %s: data %q sw %s, want %q %s", ex.cmd, data, sw, ex.data, ex.sw)
			}
		}
		if atr := openscATR(t, tool, reader); !bytes.Equal(atr, testATR) {
			t.Fatalf("opensc-tool -a: ATR %X, want %X", atr, testATR)
		}
	})

	t.Run("opensc-tool resets reach the card", func(t *testing.T) {
		tool := systest.LookPath(t, "opensc-tool")
		for _, kind := range []string{"warm", "cold"} {
			before := card.counts()
			out, err := exec.Command(tool, "-r", reader, "--reset="+kind).CombinedOutput()
			if err != nil {
				t.Fatalf("opensc-tool --reset %s: %v\n%s", kind, err, out)
			}
			after := card.counts()
			t.Logf("opensc-tool --reset %s: %+v → %+v", kind, before, after)
			switch kind {
			case "warm":
				if after.warm <= before.warm {
					t.Fatalf("warm reset did not reach the card: %+v → %+v", before, after)
				}
			case "cold":
				if after.off <= before.off || after.cold <= before.cold {
					t.Fatalf("cold reset did not power-cycle the card: %+v → %+v", before, after)
				}
			}
		}
		// Our own handle saw the card reset under it: PC/SC says so once,
		// then a Reset brings it back.
		if _, err := c.Transmit(nil, mustHex("00A40004023F00")); !errors.Is(err, pcsc.ErrCardReset) {
			t.Fatalf("Transmit after another client's reset: err = %v, want ErrCardReset", err)
		}
		if _, err := c.Reset(false); err != nil {
			t.Fatalf("Reset after ErrCardReset: %v", err)
		}
		if got, err := c.Transmit(nil, mustHex("00A40004023F00")); err != nil || !bytes.Equal(got, mustHex("9000")) {
			t.Fatalf("after Reset: %X, %v", got, err)
		}
	})
}

// openscATR reads the card's ATR with `opensc-tool -r reader -a`, which
// prints it as colon-separated hex.
func openscATR(t *testing.T, tool, reader string) []byte {
	t.Helper()
	out, err := exec.Command(tool, "-r", reader, "-a").CombinedOutput()
	if err != nil {
		t.Fatalf("opensc-tool -a: %v\n%s", err, out)
	}
	for _, l := range strings.Split(string(out), "\n") {
		l = strings.TrimSpace(l)
		if b, err := hex.DecodeString(strings.ReplaceAll(l, ":", "")); err == nil && len(b) >= 2 {
			return b
		}
	}
	t.Fatalf("opensc-tool -a printed no ATR:\n%s", out)
	return nil
}

var openscSW = regexp.MustCompile(`Received \(SW1=0x([0-9A-Fa-f]{2}), SW2=0x([0-9A-Fa-f]{2})\)`)

// openscTool sends one APDU with `opensc-tool -r reader -s APDU` and parses
// the status word and response data from its output.
func openscTool(t *testing.T, tool, reader, cmdHex string) (data, sw string) {
	t.Helper()
	out, err := exec.Command(tool, "-r", reader, "-s", cmdHex).CombinedOutput()
	if err != nil {
		t.Fatalf("opensc-tool: %v\n%s", err, out)
	}
	lines := strings.Split(string(out), "\n")
	for i, l := range lines {
		m := openscSW.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		sw = strings.ToUpper(m[1] + m[2])
		// Data follows as hex-dump lines: "CA FE F0 0D  ....".
		var b strings.Builder
		for _, dl := range lines[i+1:] {
			if strings.TrimSpace(dl) == "" {
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
		return b.String(), sw
	}
	t.Fatalf("opensc-tool output has no status word:\n%s", out)
	return "", ""
}

func benchRoundTrip(b *testing.B, wrapT0 bool, opts ...vpcd.Option) {
	reader := pcsctest.Serve(b, &echoCard{}, opts...)
	c, err := pcsc.Dial(reader, pcsc.Any)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { c.Close() })
	var tr apdu.Transport = c
	cmd := mustHex("80EE000004CAFEF00D")
	if wrapT0 {
		tr = t0.New(c)
		cmd = mustHex("80E6000004CAFEF00D00") // two exchanges: 6104, GET RESPONSE
	}
	buf := make([]byte, 0, 64)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r, err := tr.Transmit(buf[:0], cmd)
		if err != nil || len(r) != 6 {
			b.Fatalf("Transmit = %X, %v", r, err)
		}
	}
}

// BenchmarkRoundTripPCSCD measures one APDU from apdu/pcsc through pcscd
// and vpcd to a card served by apdu/vpcd and back, with and without
// TCP_QUICKACK on the card's socket, and a case-4 command through apdu/t0
// (command + GET RESPONSE: two round trips).
func BenchmarkRoundTripPCSCD(b *testing.B) {
	b.Run("quickack", func(b *testing.B) { benchRoundTrip(b, false) })
	b.Run("no-quickack", func(b *testing.B) { benchRoundTrip(b, false, vpcd.WithQuickAck(false)) })
	b.Run("t0-quickack", func(b *testing.B) { benchRoundTrip(b, true) })
}

func ExampleDial() {
	c, err := pcsc.Dial("Virtual PCD 00 00", pcsc.Any)
	if err != nil {
		fmt.Println(errors.Is(err, pcsc.ErrNoService) || errors.Is(err, pcsc.ErrNoReader) ||
			errors.Is(err, pcsc.ErrNoCard) || errors.Is(err, pcsc.ErrNoCGO))
		return
	}
	defer c.Close()
	rsp, err := c.Transmit(nil, []byte{0x00, 0xA4, 0x00, 0x04, 0x02, 0x3F, 0x00})
	fmt.Printf("%X %v\n", rsp, err)
}

func TestReaderListedAndCardRemoval(t *testing.T) {
	served := pcsctest.Start(t, &echoCard{})
	ctx, err := pcsc.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer ctx.Close()
	readers, err := ctx.Readers()
	if err != nil || !slices.Contains(readers, served.Reader) {
		t.Fatalf("Readers = %q, %v; want it to list %q", readers, err, served.Reader)
	}
	c, err := ctx.Connect(served.Reader, pcsc.Any)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if got, err := c.Transmit(nil, mustHex("00A40004023F00")); err != nil || !bytes.Equal(got, mustHex("9000")) {
		t.Fatalf("before removal: %X, %v", got, err)
	}
	served.Remove()
	if _, err := c.Transmit(nil, mustHex("00A40004023F00")); !errors.Is(err, pcsc.ErrCardRemoved) {
		t.Fatalf("Transmit after removal: err = %v, want ErrCardRemoved", err)
	}
	if _, err := ctx.Connect(served.Reader, pcsc.Any); !errors.Is(err, pcsc.ErrNoCard) {
		t.Fatalf("Connect to the empty reader: err = %v, want ErrNoCard", err)
	}
	if _, err := ctx.Connect("No Such Reader 00 00", pcsc.Any); !errors.Is(err, pcsc.ErrNoReader) {
		t.Fatalf("Connect to an unknown reader: err = %v, want ErrNoReader", err)
	}
}

// brokenCard fails every command, as a bridged physical card that was
// pulled out would.
type brokenCard struct{ echoCard }

func (c *brokenCard) Transmit(dst, cmd []byte) ([]byte, error) {
	c.mu.Lock()
	c.cmds++
	c.mu.Unlock()
	return dst, errors.New("card pulled out")
}

func TestFailingCardLooksRemoved(t *testing.T) {
	card := &brokenCard{}
	reader := pcsctest.Serve(t, card, vpcd.WithLogf(t.Logf))
	c, err := pcsc.Dial(reader, pcsc.Any)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	// vpcd drops the card; its driver reports a 0-byte response, which
	// Transmit refuses.
	if _, err := c.Transmit(nil, mustHex("00A40004023F00")); !errors.Is(err, apdu.ErrShortResponse) {
		t.Fatalf("Transmit to a failing card: err = %v, want apdu.ErrShortResponse", err)
	}
	// pcscd sees the card leave; the handle then refers to a removed card.
	ctx, err := pcsc.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer ctx.Close()
	if err := ctx.WaitEmpty(reader, 5*time.Second); err != nil {
		t.Fatalf("reader never emptied after the card failed: %v", err)
	}
	_, err = c.Transmit(nil, mustHex("00A40004023F00"))
	t.Logf("second Transmit: %v", err)
	if !errors.Is(err, pcsc.ErrCardRemoved) && !errors.Is(err, pcsc.ErrCardReset) {
		t.Fatalf("second Transmit: err = %v, want ErrCardRemoved or ErrCardReset", err)
	}
	if n := card.counts().cmds; n != 1 {
		t.Fatalf("card saw %d commands, want 1", n)
	}
}

package jc

import (
	"bytes"
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/usim/store"
)

// counter is a test applet: INS 01 adds P1 to a persistent counter and
// answers it, INS 02 writes then fails (to check rollback), INS 03 answers
// P1 bytes, INS 04 aborts an applet transaction, INS 05 queues a proactive
// command.
type counter struct {
	name     string
	ref      store.Ref
	selected []int
	log      *[]string
}

func (a *counter) Select(ctx *Context, cmd *apdu.Command) error {
	*a.log = append(*a.log, "select "+a.name)
	ctx.Out = append(ctx.Out, 0x6F, 0x00)
	return nil
}

func (a *counter) Deselect(ctx *Context) { *a.log = append(*a.log, "deselect "+a.name) }

func (a *counter) Process(ctx *Context, cmd *apdu.Command) error {
	st := ctx.Store()
	switch cmd.INS {
	case 0x01:
		v := st.Bytes(a.ref)[0] + cmd.P1
		if err := st.Write(a.ref, 0, []byte{v}); err != nil {
			return err
		}
		ctx.Out = append(ctx.Out, v)
		return nil
	case 0x02:
		if err := st.Write(a.ref, 0, []byte{0xEE}); err != nil {
			return err
		}
		return apdu.SWConditionsNotSatisfied
	case 0x03:
		for i := range int(cmd.P1) {
			ctx.Out = append(ctx.Out, byte(i))
		}
		return nil
	case 0x04:
		ctx.BeginTransaction()
		st.Write(a.ref, 0, []byte{0x77})
		return ctx.AbortTransaction()
	case 0x05:
		return ctx.Runtime().Enqueue([]byte{0xD0, 0x03, 0x81, 0x01, 0x01})
	case 0x06: // 600 bytes
		for i := range 600 {
			ctx.Out = append(ctx.Out, byte(i))
		}
		return nil
	}
	return apdu.SWINSNotSupported
}

func newTestRuntime(t *testing.T) (*Runtime, *[]string) {
	t.Helper()
	rt := New(Options{})
	log := &[]string{}
	for _, x := range []struct{ name, aid string }{
		{"A1", "A0000000871002FF49FF0589"},
		{"A2", "A0000000871002FF49FF0590"},
		{"B", "A0000000871004FF49FF0589"},
	} {
		ref, err := rt.Store().Alloc(x.name, 1)
		if err != nil {
			t.Fatal(err)
		}
		if err := rt.Install(MustAID(x.aid), &counter{name: x.name, ref: ref, log: log}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := rt.Reset(true); err != nil {
		t.Fatal(err)
	}
	return rt, log
}

func hx(s string) []byte {
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		panic(err)
	}
	return b
}

func xfer(t *testing.T, rt *Runtime, cmd string) string {
	t.Helper()
	r, err := rt.Transmit(nil, hx(cmd))
	if err != nil {
		t.Fatalf("%s: %v", cmd, err)
	}
	return strings.ToUpper(hex.EncodeToString(r))
}

type step struct{ cmd, want string }

func run(t *testing.T, rt *Runtime, steps []step) {
	t.Helper()
	for _, s := range steps {
		if got := xfer(t, rt, s.cmd); got != strings.ReplaceAll(s.want, " ", "") {
			t.Fatalf("%s: got %s, want %s", s.cmd, got, s.want)
		}
	}
}

func TestSelectByAIDFullAndPartial(t *testing.T) {
	rt, log := newTestRuntime(t)
	run(t, rt, []step{
		{"00A4040410A0000005591010FFFFFFFF8900000100 00", "6A82"}, // eUICC ISD-R probe
		{"00A404040CA0000000871002FF49FF0589", "6102"},            // full AID, T=0 case 3
		{"00C0000002", "6F00 9000"},
		{"00A4040407A0000000871002", "6102"},     // partial: first occurrence is A1
		{"00A4040207A0000000871002", "6102"},     // next occurrence: A2
		{"00A4040207A0000000871002", "6A82"},     // no further occurrence
		{"00A4040107A0000000871002", "6102"},     // last occurrence: A2
		{"00A4040307A0000000871002", "6102"},     // previous: A1
		{"00A4040C07A0000000871004", "9000"},     // P2=0C: no data
		{"00A4040807A0000000871004", "6A86"},     // P2 b4b3=10 (FMD) not supported
		{"00A40404", "6700"},                     // no AID
		{"00A4044C07A0000000871004", "9000"},     // terminate the session of B
		{"00A4044C07A0000000871004", "6A82"},     // nothing left to terminate
		{"80A4040407A0000000871004", "6E00"},     // proprietary class
		{"A0A4000002 3F00", "6E00"},              // GSM class: a UICC refuses
		{"00A404040AA00000015141434C00", "6700"}, // Lc says 10 but 9 bytes follow: malformed
	})
	want := "select A1,select A1,select A2,deselect A1,select A2,select A1,deselect A2,select B,deselect A1,deselect B"
	if got := strings.Join(*log, ","); got != want {
		t.Fatalf("hooks:\n got %s\nwant %s", got, want)
	}
}

func TestT0AndT1ResponseRules(t *testing.T) {
	rt, _ := newTestRuntime(t)
	run(t, rt, []step{
		{"00A404040CA0000000871002FF49FF0589", "6102"},
		{"00030500", "6105"},          // case 1 (4 bytes, as vpcd passes it) with data → 61xx
		{"00C0000003", "000102 6102"}, // partial GET RESPONSE
		{"00C0000005", "6C02"},        // Le too long → 6Cxx, data kept
		{"00C0000002", "0304 9000"},
		{"00C0000002", "6985"},            // nothing left
		{"0003050005", "0001020304 9000"}, // case 2 with the right Le: direct
		{"0003050003", "6C05"},            // wrong Le
		{"0003050000", "0001020304 9000"}, // Le=00 → 256: what is available
		{"00030500", "6105"},
		{"00C0000000", "0001020304 9000"}, // Le=00: what is available
		{"0003050001AA00", "6105"},        // case 4 on T=0 → 61xx
		{"0003000000", "9000"},
		{"0003050101AA", "6105"}, // case 3
		{"0009000000", "6D00"},   // another command drops the kept data…
		{"00C0000005", "6985"},   // …so GET RESPONSE has nothing
	})
	rt.SetT1(true)
	run(t, rt, []step{
		{"0003050000", "0001020304 9000"}, // Le=00 → 256: all of it
		{"0003050003", "000102 6102"},     // more than Ne → 61xx
		{"00C0000000", "0304 9000"},
		{"00030500", "9000"}, // no Le → no data
	})
}

func TestTransactionPerCommand(t *testing.T) {
	rt, _ := newTestRuntime(t)
	run(t, rt, []step{
		{"00A404040CA0000000871002FF49FF0589", "6102"},
		{"0001050001", "05 9000"},
		{"0002000000", "6985"}, // wrote EE then failed: rolled back
		{"0001010001", "06 9000"},
		{"0004000000", "9000"}, // applet savepoint aborted
		{"0001000001", "06 9000"},
	})
	// Power loss in the middle of a command: mute, then recovery.
	st := rt.Store()
	st.FailAfter(2) // journal record + count, the data write is lost
	if _, err := rt.Transmit(nil, hx("0001010001")); !errors.Is(err, ErrMute) {
		t.Fatalf("torn command: %v", err)
	}
	if _, err := rt.Transmit(nil, hx("0001010001")); !errors.Is(err, ErrNoPower) {
		t.Fatalf("after the loss: %v", err)
	}
	if _, err := rt.Reset(true); err != nil {
		t.Fatal(err)
	}
	run(t, rt, []step{
		{"00A404040CA0000000871002FF49FF0589", "6102"},
		{"0001000001", "06 9000"},
	})
}

func TestManageChannel(t *testing.T) {
	rt, _ := newTestRuntime(t)
	run(t, rt, []step{
		{"0070000001", "01 9000"},
		{"01A404040CA0000000871004FF49FF0589", "6102"}, // B on channel 1
		{"0001020001", "6D00"},                         // channel 0 has no applet nor base
		{"0101020001", "02 9000"},
		{"0170000001", "02 9000"}, // opened from channel 1: inherits B
		{"0201010001", "03 9000"},
		{"0070000400", "6A86"}, // P2 01..13 only for closing (§11.1.17.2)
		{"0070000000", "03 9000"},
		{"0070000000", "6A81"},         // 1..3 used, no extended channels announced
		{"80AA000004A9028100", "9000"}, // TERMINAL CAPABILITY: extended logical channels
		{"0070000000", "04 9000"},
		{"4001010001", "6D00"}, // no application on 4 (opened from 0), no base
		{"0070800100", "9000"},
		{"0101010001", "6881"},    // closed
		{"0070000000", "01 9000"}, // reassigned
		{"0070800000", "6A86"},    // basic channel cannot close
		{"0070800500", "6A86"},    // not open
		{"0070010000", "6A86"},
		{"5301010001", "6881"}, // channel 19 not open
		{"80AA000004A9038100", "6700"},
		{"80AA000004A9028201", "6A80"},
		{"80AA000004B9028100", "6700"},
	})
	if _, err := rt.Reset(false); err != nil {
		t.Fatal(err)
	}
	run(t, rt, []step{
		{"0070000000", "01 9000"},
		{"0070000000", "02 9000"},
		{"0070000000", "03 9000"},
		{"0070000000", "6A81"}, // the announcement ended with the reset
	})
}

func TestProactive(t *testing.T) {
	rt, _ := newTestRuntime(t)
	run(t, rt, []step{
		{"8010000003FFFFFF", "9000"},
		{"80120000 00", "6985"},
		{"00A404040CA0000000871002FF49FF0589", "6102"},
		{"0005000000", "9105"},
		{"00C0000000", "6985"},
		{"80120000 03", "6C05"},
		{"80120000 05", "D003810101 9000"},
		{"0001000001", "00 9000"},
		{"0005000000", "9105"},
		{"00030200", "6102"},
		{"00C0000002", "0001 9105"},  // 91xx after GET RESPONSE
		{"8014000003010203", "9105"}, // still one queued
		{"8012000005", "D003810101 9000"},
		{"80C2000003D10100", "6D00"},
	})
	if !bytes.Equal(rt.TerminalProfile(), []byte{0xFF, 0xFF, 0xFF}) {
		t.Fatal("terminal profile not kept")
	}
	var env []byte
	rt.SetEnvelopeHandler(func(ctx *Context, data []byte) error {
		env = append(env[:0], data...)
		ctx.Out = append(ctx.Out, 0xAB)
		return nil
	})
	run(t, rt, []step{{"80C2000003D10100", "6101"}})
	if !bytes.Equal(env, []byte{0xD1, 0x01, 0x00}) {
		t.Fatalf("envelope got % X", env)
	}
	for range MaxProactive {
		if err := rt.Enqueue([]byte{0xD0, 0x00}); err != nil {
			t.Fatal(err)
		}
	}
	if err := rt.Enqueue([]byte{0xD0, 0x00}); !errors.Is(err, ErrQueueFull) {
		t.Fatalf("queue overflow: %v", err)
	}
	if _, err := rt.Reset(false); err != nil || rt.Pending() != 0 {
		t.Fatal("reset keeps the proactive session")
	}
}

func TestATRAndPower(t *testing.T) {
	rt := New(Options{})
	if _, err := rt.Transmit(nil, hx("00A40004023F00")); !errors.Is(err, ErrNoPower) {
		t.Fatalf("before reset: %v", err)
	}
	atr, err := rt.Reset(true)
	if err != nil {
		t.Fatal(err)
	}
	if atr[0] != 0x3B {
		t.Fatalf("TS % X", atr[0])
	}
	var x byte
	for _, b := range atr[1:] {
		x ^= b
	}
	if x != 0 {
		t.Fatalf("TCK check: %02X", x)
	}
	// T=0 first: TD1 protocol nibble 0.
	if atr[3]&0x0F != 0 {
		t.Fatal("first offered protocol is not T=0")
	}
	rt.PowerOff()
	if _, err := rt.Transmit(nil, hx("00A40004023F00")); !errors.Is(err, ErrNoPower) {
		t.Fatal("powered off card answered")
	}
}

func TestAID(t *testing.T) {
	a := MustAID("A0000000871002FF49FF0589")
	if a.String() != "A0000000871002FF49FF0589" || a.Len() != 12 {
		t.Fatal(a)
	}
	if a.RID() != [5]byte{0xA0, 0, 0, 0, 0x87} || !bytes.Equal(a.PIX(), hx("1002FF49FF0589")) {
		t.Fatal("RID/PIX")
	}
	if !a.HasPrefix(hx("A000000087")) || a.HasPrefix(hx("A000000088")) || !a.Equal(a.Bytes()) {
		t.Fatal("matching")
	}
	for _, bad := range []string{"A0000000", strings.Repeat("A0", 17), "zz"} {
		if _, err := ParseAIDHex(bad); !errors.Is(err, ErrBadAID) {
			t.Fatalf("%s: %v", bad, err)
		}
	}
}

// A case-2 command answered 6Cxx on T=0 is refused: its writes are
// rolled back before the terminal resends it with the right Le.
func TestWrongLeRollsBack(t *testing.T) {
	rt, _ := newTestRuntime(t)
	run(t, rt, []step{
		{"00A404040CA0000000871002FF49FF0589", "6102"},
		{"0001010002", "6C01"}, // counter written, then refused
		{"0001010001", "01 9000"},
		{"0001010000", "02 9000"}, // Le=00: what is available
		{"0070000002", "6C01"},    // MANAGE CHANNEL open: one byte
		{"0070000001", "01 9000"}, // …and channel 1 is the first free one
	})
}

func TestClassByteErrors(t *testing.T) {
	rt, _ := newTestRuntime(t)
	run(t, rt, []step{
		{"0CA404040CA0000000871002FF49FF0589", "6882"}, // secure messaging
		{"10A404040CA0000000871002FF49FF0589", "6884"}, // chaining
		{"20A4040C023F00", "6E00"},                     // '2X' is RFU
		{"FFA4040C023F00", "6E00"},
		{"01A4040C023F00", "6881"}, // channel 1 not open
		{"40A4040C023F00", "6881"}, // channel 4 not open
		{"00", "6700"},             // shorter than a header
	})
}

func TestAppletTransactionMisuse(t *testing.T) {
	rt, _ := newTestRuntime(t)
	ctx := &rt.ctx
	rt.st.Begin() // the command's transaction
	if err := ctx.CommitTransaction(); !errors.Is(err, store.ErrNoTransaction) {
		t.Fatalf("commit without an applet transaction: %v", err)
	}
	if err := ctx.AbortTransaction(); !errors.Is(err, store.ErrNoTransaction) {
		t.Fatalf("abort without an applet transaction: %v", err)
	}
	if rt.st.Depth() != 1 {
		t.Fatalf("the command's transaction was ended: depth %d", rt.st.Depth())
	}
	rt.st.Abort()
}

// Exec runs card-internal commands (remote APDUs) on the remote channel,
// as a savepoint of the enclosing command.
func TestExec(t *testing.T) {
	rt, _ := newTestRuntime(t)
	var got []string
	rt.SetEnvelopeHandler(func(ctx *Context, data []byte) error {
		for _, c := range []string{
			"00A404000CA0000000871002FF49FF0589", // on the remote channel
			"0001050001",                         // counter A1 += 5
			"0002000000",                         // write then fail: only this one rolls back
			"0001010001",
			"00C0000000", // terminal-only
			"80C2000001AA",
			"A0A4000000",
		} {
			r, err := ctx.Runtime().Exec(nil, hx(c))
			if err != nil {
				return err
			}
			got = append(got, strings.ToUpper(hex.EncodeToString(r)))
		}
		return nil
	})
	run(t, rt, []step{{"80C2000001D1", "9000"}})
	want := "6F009000,059000,6985,069000,6D00,6D00,6E00"
	if s := strings.Join(got, ","); s != want {
		t.Fatalf("remote answers\n got %s\nwant %s", s, want)
	}
	// Channel 0 saw nothing of it: no application selected there.
	run(t, rt, []step{{"0001000001", "6D00"}})
	// The remote writes committed with the ENVELOPE.
	run(t, rt, []step{
		{"00A404040CA0000000871002FF49FF0589", "6102"},
		{"0001000001", "06 9000"},
	})
	// A failing envelope takes the remote writes with it.
	rt.SetEnvelopeHandler(func(ctx *Context, data []byte) error {
		ctx.Runtime().Exec(nil, hx("0001010001"))
		return apdu.SWConditionsNotSatisfied
	})
	run(t, rt, []step{
		{"80C2000001D1", "6985"},
		{"0001000001", "06 9000"},
	})
}

func TestTransmitFromAHandlerIsRefused(t *testing.T) {
	rt, _ := newTestRuntime(t)
	var inner error
	rt.SetEnvelopeHandler(func(ctx *Context, data []byte) error {
		_, inner = ctx.Runtime().Transmit(nil, hx("00A4040C0CA0000000871002FF49FF0589"))
		return inner
	})
	run(t, rt, []step{{"80C2000001D1", "6F00"}})
	if inner == nil {
		t.Fatal("nested Transmit accepted")
	}
	run(t, rt, []step{{"00A4040C0CA0000000871002FF49FF0589", "9000"}}) // the runtime is usable again
}

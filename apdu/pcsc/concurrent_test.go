//go:build cgo

package pcsc_test

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/ebfe/scard"
	"github.com/uiccsim/uiccsim/apdu/pcsc"
	"github.com/uiccsim/uiccsim/internal/pcsctest"
)

// within runs f and fails the test if it has not returned after d: a call
// that hangs is the failure these tests look for, and must not hang the
// test binary with it.
func within[T any](t *testing.T, d time.Duration, what string, f func() (T, error)) T {
	t.Helper()
	type result struct {
		v   T
		err error
	}
	ch := make(chan result, 1)
	go func() {
		v, err := f()
		ch <- result{v, err}
	}()
	select {
	case r := <-ch:
		if r.err != nil {
			t.Fatalf("%s: %v", what, r.err)
		}
		return r.v
	case <-time.After(d):
		t.Fatalf("%s did not return within %v", what, d)
	}
	panic("unreachable")
}

// holdTransaction connects to reader with the scard bindings directly — as
// another program would — and begins a transaction
// (SCardBeginTransaction); end ends it, and the test's end does too.
func holdTransaction(t *testing.T, reader string) (end func()) {
	t.Helper()
	other, err := scard.EstablishContext()
	if err != nil {
		t.Fatal(err)
	}
	card, err := other.Connect(reader, scard.ShareShared, scard.ProtocolAny)
	if err != nil {
		other.Release()
		t.Fatalf("other program's connect: %v", err)
	}
	if err := card.BeginTransaction(); err != nil {
		t.Fatalf("other program's SCardBeginTransaction: %v", err)
	}
	ended := false
	end = func() {
		if ended {
			return
		}
		ended = true
		if err := card.EndTransaction(scard.LeaveCard); err != nil {
			t.Errorf("SCardEndTransaction: %v", err)
		}
		card.Disconnect(scard.LeaveCard)
		other.Release()
	}
	t.Cleanup(end)
	return end
}

func TestConnectWaitingForATransactionHoldsNothing(t *testing.T) {
	reader := pcsctest.Serve(t, &echoCard{})
	ctx, err := pcsc.Open()
	if err != nil {
		t.Fatal(err)
	}
	// Cleanups run last-in first-out: should the test fail while a Connect
	// is blocked, the transaction ends (letting the Connect go) before the
	// Context closes.
	t.Cleanup(func() { ctx.Close() })
	end := holdTransaction(t, reader)

	// pcscd holds SCardConnect back while the transaction lasts.
	type connected struct {
		c   *pcsc.Card
		err error
	}
	blocked := make(chan connected, 2)
	for range 2 {
		go func() {
			c, err := ctx.Connect(reader, pcsc.Any)
			blocked <- connected{c, err}
		}()
	}
	select {
	case r := <-blocked:
		t.Fatalf("Connect returned (%v) while another program held the card in a transaction; pcscd was expected to hold it back", r.err)
	case <-time.After(300 * time.Millisecond):
	}

	// Meanwhile everything else on the same Context answers at once.
	readers := within(t, 2*time.Second, "Readers during a blocked Connect", ctx.Readers)
	if !slices.Contains(readers, reader) {
		t.Fatalf("Readers = %q, want %q listed", readers, reader)
	}
	states := within(t, 2*time.Second, "ReaderStates during a blocked Connect", ctx.ReaderStates)
	st, ok := findState(states, reader)
	if !ok || !st.Present || !st.InUse || !bytes.Equal(st.ATR, testATR) {
		t.Fatalf("ReaderStates during the transaction: %v (found %v), want the card present, in use, ATR %X", st, ok, testATR)
	}
	within(t, 2*time.Second, "WaitCard during a blocked Connect", func() (struct{}, error) {
		return struct{}{}, ctx.WaitCard(reader, time.Second)
	})

	// When the transaction ends, both Connects go through and work.
	end()
	for i := range 2 {
		select {
		case r := <-blocked:
			if r.err != nil {
				t.Fatalf("Connect %d after the transaction ended: %v", i, r.err)
			}
			got, err := r.c.Transmit(nil, mustHex("00A40004023F00"))
			r.c.Close()
			if err != nil || !bytes.Equal(got, mustHex("9000")) {
				t.Fatalf("Transmit on Connect %d: %X, %v", i, got, err)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("Connect %d still blocked 5 s after the transaction ended", i)
		}
	}
}

func findState(states []pcsc.ReaderState, reader string) (pcsc.ReaderState, bool) {
	for _, s := range states {
		if s.Name == reader {
			return s, true
		}
	}
	return pcsc.ReaderState{}, false
}

// stateOf polls ReaderStates until want accepts reader's state or 3 s pass
// (pcscd updates its reader state from its polling thread).
func stateOf(t *testing.T, ctx *pcsc.Context, reader string, what string, want func(pcsc.ReaderState) bool) pcsc.ReaderState {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for {
		states, err := ctx.ReaderStates()
		if err != nil {
			t.Fatalf("ReaderStates: %v", err)
		}
		st, ok := findState(states, reader)
		if ok && want(st) {
			return st
		}
		if time.Now().After(deadline) {
			t.Fatalf("ReaderStates = %v; want %q %s", states, reader, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestReaderStatesThroughPCSCD(t *testing.T) {
	served := pcsctest.Start(t, &echoCard{})
	reader := served.Reader
	ctx, err := pcsc.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer ctx.Close()

	st := stateOf(t, ctx, reader, "with the card present and unused", func(s pcsc.ReaderState) bool {
		return s.Present && !s.InUse && !s.Exclusive
	})
	if !bytes.Equal(st.ATR, testATR) || st.Mute || st.Unavailable {
		t.Fatalf("state of the served card: %v, want ATR %X, not mute", st, testATR)
	}
	if want := `"` + reader + `": card, ATR ` + "3B9F96801F878031E073FE211B674A4C753034054BA9"; st.String() != want {
		t.Errorf("String() = %s, want %s", st, want)
	}

	c, err := ctx.Connect(reader, pcsc.Any)
	if err != nil {
		t.Fatal(err)
	}
	atr, err := c.ATR()
	if err != nil || !bytes.Equal(atr, st.ATR) {
		t.Fatalf("SCardStatus ATR %X, %v differs from the reader state's %X", atr, err, st.ATR)
	}
	stateOf(t, ctx, reader, "in use by a shared connection", func(s pcsc.ReaderState) bool {
		return s.Present && s.InUse && !s.Exclusive
	})
	c.Close()
	stateOf(t, ctx, reader, "unused after Close", func(s pcsc.ReaderState) bool { return s.Present && !s.InUse })

	other, err := scard.EstablishContext()
	if err != nil {
		t.Fatal(err)
	}
	defer other.Release()
	excl, err := other.Connect(reader, scard.ShareExclusive, scard.ProtocolAny)
	if err != nil {
		t.Fatalf("exclusive connect: %v", err)
	}
	st = stateOf(t, ctx, reader, "in exclusive use", func(s pcsc.ReaderState) bool { return s.Present && s.Exclusive })
	if !bytes.Equal(st.ATR, testATR) {
		t.Fatalf("ATR while in exclusive use: %X, want %X", st.ATR, testATR)
	}
	excl.Disconnect(scard.LeaveCard)

	served.Remove()
	st = stateOf(t, ctx, reader, "empty", func(s pcsc.ReaderState) bool { return !s.Present })
	if st.ATR != nil || st.InUse {
		t.Fatalf("empty reader: %v, want no ATR, not in use", st)
	}
	if want := `"` + reader + `": empty`; st.String() != want {
		t.Errorf("String() = %s, want %s", st, want)
	}

	ctx.Close()
	if _, err := ctx.ReaderStates(); !errors.Is(err, pcsc.ErrClosed) {
		t.Fatalf("ReaderStates after Close: %v, want ErrClosed", err)
	}
}

func TestCloseEndsAWaitAndReadersDoNotWaitForIt(t *testing.T) {
	served := pcsctest.Start(t, &echoCard{})
	served.Remove() // the slot stays held, and empty
	ctx, err := pcsc.Open()
	if err != nil {
		t.Fatal(err)
	}
	waited := make(chan error, 1)
	go func() { waited <- ctx.WaitCard(served.Reader, time.Minute) }()
	time.Sleep(100 * time.Millisecond)
	readers := within(t, 2*time.Second, "Readers during a WaitCard", ctx.Readers)
	if !slices.Contains(readers, served.Reader) {
		t.Fatalf("Readers = %q, want %q listed", readers, served.Reader)
	}
	if err := ctx.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	select {
	case err := <-waited:
		if !errors.Is(err, pcsc.ErrClosed) {
			t.Fatalf("WaitCard ended by Close: %v, want ErrClosed", err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("WaitCard still waiting 2 s after Close")
	}
}

// ExampleContext_ReaderStates lists the readers with the ATR of the card
// in each, without connecting to any card: a reader whose card another
// program holds in a transaction is listed all the same.
func ExampleContext_ReaderStates() {
	ctx, err := pcsc.Open()
	if err != nil {
		fmt.Println(err)
		return
	}
	defer ctx.Close()
	states, err := ctx.ReaderStates()
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range states {
		fmt.Println(s) // e.g. "Virtual PCD 00 00": card, in use, ATR 3B9F96...
	}
}

// BenchmarkReaderStates measures one listing of every reader with its state
// and ATR (SCardListReaders + SCardGetStatusChange) against pcscd.
func BenchmarkReaderStates(b *testing.B) {
	pcsctest.Serve(b, &echoCard{})
	ctx, err := pcsc.Open()
	if err != nil {
		b.Fatal(err)
	}
	defer ctx.Close()
	b.ReportAllocs()
	for b.Loop() {
		states, err := ctx.ReaderStates()
		if err != nil || len(states) == 0 {
			b.Fatalf("ReaderStates = %v, %v", states, err)
		}
	}
}

// BenchmarkConnect measures Connect and Close of a shared connection,
// each on its own PC/SC context (SCardEstablishContext, SCardConnect,
// SCardDisconnect, SCardReleaseContext).
func BenchmarkConnect(b *testing.B) {
	reader := pcsctest.Serve(b, &echoCard{})
	ctx, err := pcsc.Open()
	if err != nil {
		b.Fatal(err)
	}
	defer ctx.Close()
	b.ReportAllocs()
	for b.Loop() {
		c, err := ctx.Connect(reader, pcsc.Any)
		if err != nil {
			b.Fatal(err)
		}
		c.Close()
	}
}

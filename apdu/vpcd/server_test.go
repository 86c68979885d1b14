package vpcd

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uiccsim/uiccsim/apdu"
)

// testATR is a UICC ATR (T=0 and T=1 offered, TA1=96) used by the tests.
var testATR = []byte{0x3B, 0x9F, 0x96, 0x80, 0x1F, 0x87, 0x80, 0x31, 0xE0, 0x73, 0xFE, 0x21, 0x1B, 0x67, 0x4A, 0x4C, 0x75, 0x30, 0x34, 0x05, 0x4B, 0xA9}

var errCardBroken = errors.New("test card broken")

// testCard is a tiny deterministic card: SELECT (A4) answers 9000, INS EE
// echoes its data with 9000, anything else answers 6D00. It counts resets.
type testCard struct {
	mu               sync.Mutex
	cold, warm, off  int
	broken           bool
	transmits        int
	lastCommandBytes []byte
}

func (c *testCard) Transmit(dst, cmd []byte) ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.transmits++
	if c.broken {
		return dst, errCardBroken
	}
	cm, err := apdu.ParseCommand(cmd)
	if err != nil {
		return apdu.AppendResponse(dst, nil, apdu.SWWrongLength), nil
	}
	switch cm.INS {
	case 0xA4:
		return apdu.AppendResponse(dst, nil, apdu.SWOK), nil
	case 0xEE:
		return apdu.AppendResponse(dst, cm.Data, apdu.SWOK), nil
	}
	return apdu.AppendResponse(dst, nil, apdu.SWINSNotSupported), nil
}

func (c *testCard) Reset(cold bool) ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if cold {
		c.cold++
	} else {
		c.warm++
	}
	return testATR, nil
}

func (c *testCard) PowerOff() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.off++
	return nil
}

func (c *testCard) Close() error { return nil }

func (c *testCard) counts() (cold, warm, off int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.cold, c.warm, c.off
}

// fakeVPCD plays vpcd's side of the protocol on a loopback listener.
type fakeVPCD struct {
	t  testing.TB
	ln net.Listener
}

func newFakeVPCD(t testing.TB) *fakeVPCD {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	return &fakeVPCD{t: t, ln: ln}
}

func (v *fakeVPCD) accept() net.Conn {
	v.t.Helper()
	v.ln.(*net.TCPListener).SetDeadline(time.Now().Add(10 * time.Second))
	c, err := v.ln.Accept()
	if err != nil {
		v.t.Fatalf("card did not connect: %v", err)
	}
	v.t.Cleanup(func() { c.Close() })
	c.SetDeadline(time.Now().Add(10 * time.Second))
	return c
}

func send(t testing.TB, c net.Conn, payload ...byte) {
	t.Helper()
	f, _ := AppendFrame(nil, payload)
	if _, err := c.Write(f); err != nil {
		t.Fatal(err)
	}
}

func recv(t testing.TB, c net.Conn) []byte {
	t.Helper()
	var hdr [2]byte
	p, err := ReadFrame(c, &hdr, make([]byte, MaxPayload))
	if err != nil {
		t.Fatalf("reading card's answer: %v", err)
	}
	return p
}

// startServer serves card in the background; stop cancels Serve and
// returns its result (idempotent, also run at cleanup).
func startServer(t *testing.T, card apdu.Transport, opts ...Option) (stop func() error) {
	ctx, cancel := context.WithCancel(context.Background())
	ch := make(chan error, 1)
	go func() { ch <- NewServer(card, opts...).Serve(ctx) }()
	var once sync.Once
	var err error
	stop = func() error {
		once.Do(func() {
			cancel()
			select {
			case err = <-ch:
			case <-time.After(5 * time.Second):
				err = errors.New("Serve did not return within 5s of cancel")
			}
		})
		return err
	}
	t.Cleanup(func() { stop() })
	return stop
}

func TestServerAnswersVPCD(t *testing.T) {
	v := newFakeVPCD(t)
	card := &testCard{}
	startServer(t, card, WithAddr(v.ln.Addr().String()))
	c := v.accept()

	steps := []struct {
		name    string
		payload []byte
		want    []byte // nil: no answer expected
	}{
		{name: "power on answers nothing", payload: []byte{0x01}},
		{name: "get ATR answers the ATR", payload: []byte{0x04}, want: testATR},
		{name: "SELECT answers 9000", payload: []byte{0x00, 0xA4, 0x00, 0x04, 0x02, 0x3F, 0x00}, want: []byte{0x90, 0x00}},
		{name: "case-1 APDU of 4 bytes is answered", payload: []byte{0x00, 0xA4, 0x00, 0x00}, want: []byte{0x90, 0x00}},
		{name: "echo returns data", payload: []byte{0x80, 0xEE, 0x00, 0x00, 0x03, 0xDE, 0xAD, 0x01}, want: []byte{0xDE, 0xAD, 0x01, 0x90, 0x00}},
		{name: "unknown INS answers 6D00", payload: []byte{0x00, 0x10, 0x00, 0x00, 0x00}, want: []byte{0x6D, 0x00}},
		{name: "reset answers nothing", payload: []byte{0x02}},
		{name: "unknown control byte answers nothing", payload: []byte{0x03}},
		{name: "power off answers nothing", payload: []byte{0x00}},
		{name: "get ATR after power off answers the ATR without powering on", payload: []byte{0x04}, want: testATR},
		{name: "power on after power off", payload: []byte{0x01}},
		{name: "get ATR after power on", payload: []byte{0x04}, want: testATR},
	}
	for _, st := range steps {
		send(t, c, st.payload...)
		if st.want == nil {
			continue
		}
		if got := recv(t, c); !bytes.Equal(got, st.want) {
			t.Fatalf("%s: answer %X, want %X", st.name, got, st.want)
		}
	}
	// Every control message was handled before the final get ATR's answer:
	// two power-ons, one reset, one power off; get ATR polls reset nothing.
	if cold, warm, off := card.counts(); cold != 2 || warm != 1 || off != 1 {
		t.Fatalf("cold=%d warm=%d off=%d, want 2 1 1", cold, warm, off)
	}
}

func TestFirstGetATRPowersTheCardOn(t *testing.T) {
	v := newFakeVPCD(t)
	card := &testCard{}
	startServer(t, card, WithAddr(v.ln.Addr().String()))
	c := v.accept()
	for i := 0; i < 3; i++ { // vpcd's presence polls
		send(t, c, 0x04)
		if got := recv(t, c); !bytes.Equal(got, testATR) {
			t.Fatalf("poll %d: ATR %X", i, got)
		}
	}
	if cold, warm, off := card.counts(); cold != 1 || warm != 0 || off != 0 {
		t.Fatalf("cold=%d warm=%d off=%d after three polls, want one power-on", cold, warm, off)
	}
}

func TestCardFailureDropsTheConnection(t *testing.T) {
	tests := []struct {
		name    string
		card    apdu.Transport
		payload []byte
	}{
		{"failing Transmit", &testCard{broken: true}, []byte{0x00, 0xA4, 0x00, 0x04, 0x02, 0x3F, 0x00}},
		{"failing power-on for get ATR", failingResetCard{}, []byte{0x04}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := newFakeVPCD(t)
			var logged []string
			var mu sync.Mutex
			startServer(t, tc.card, WithAddr(v.ln.Addr().String()), WithBackoff(time.Millisecond, time.Millisecond),
				WithLogf(func(format string, args ...any) {
					mu.Lock()
					logged = append(logged, fmt.Sprintf(format, args...))
					mu.Unlock()
				}))
			c := v.accept()
			send(t, c, tc.payload...)
			var hdr [2]byte
			if p, err := ReadFrame(c, &hdr, make([]byte, 64)); err != io.EOF {
				t.Fatalf("after the card failed: frame %X, err %v; want the connection closed (io.EOF)", p, err)
			}
			v.accept() // the server comes back: the card may recover
			mu.Lock()
			defer mu.Unlock()
			if len(logged) == 0 || !strings.Contains(logged[0], ErrCardFailed.Error()) {
				t.Fatalf("log %q does not report the card failure", logged)
			}
		})
	}
}

// failingResetCard cannot be powered on.
type failingResetCard struct{ staticCard }

func (failingResetCard) Reset(bool) ([]byte, error) { return nil, errCardBroken }

func TestServerReconnectsWhenVPCDDrops(t *testing.T) {
	v := newFakeVPCD(t)
	card := &testCard{}
	connects := make(chan struct{}, 4)
	startServer(t, card, WithAddr(v.ln.Addr().String()), WithBackoff(time.Millisecond, 10*time.Millisecond),
		WithOnConnect(func() { connects <- struct{}{} }))
	c := v.accept()
	send(t, c, 0x04)
	if got := recv(t, c); !bytes.Equal(got, testATR) {
		t.Fatalf("first connection: ATR %X", got)
	}
	c.Close() // vpcd drops the card
	c2 := v.accept()
	send(t, c2, 0x80, 0xEE, 0x00, 0x00, 0x01, 0x42)
	if got := recv(t, c2); !bytes.Equal(got, []byte{0x42, 0x90, 0x00}) {
		t.Fatalf("after reconnect: answer %X", got)
	}
	if n := len(connects); n != 2 {
		t.Fatalf("OnConnect called %d times, want 2", n)
	}
}

func TestServeStopsOnCancel(t *testing.T) {
	t.Run("while connected", func(t *testing.T) {
		v := newFakeVPCD(t)
		stop := startServer(t, &testCard{}, WithAddr(v.ln.Addr().String()))
		v.accept()
		if err := stop(); err != nil {
			t.Fatalf("Serve = %v, want nil after cancel", err)
		}
	})
	t.Run("while vpcd is absent", func(t *testing.T) {
		ln, _ := net.Listen("tcp", "127.0.0.1:0")
		addr := ln.Addr().String()
		ln.Close() // nobody listens here now
		stop := startServer(t, &testCard{}, WithAddr(addr), WithBackoff(time.Hour, time.Hour))
		time.Sleep(20 * time.Millisecond)
		if err := stop(); err != nil {
			t.Fatalf("Serve = %v, want nil after cancel", err)
		}
	})
}

func TestServeWithoutCard(t *testing.T) {
	if err := Serve(context.Background(), DefaultAddr, nil); !errors.Is(err, ErrNoCard) {
		t.Fatalf("Serve(nil card) = %v, want ErrNoCard", err)
	}
}

// staticCard answers every command with 9000 without allocating.
type staticCard struct{}

func (staticCard) Transmit(dst, cmd []byte) ([]byte, error) { return append(dst, 0x90, 0x00), nil }
func (staticCard) Reset(bool) ([]byte, error)               { return testATR, nil }
func (staticCard) Close() error                             { return nil }

func TestSessionDoesNotAllocatePerAPDU(t *testing.T) {
	s := newSession(staticCard{}, func(string, ...any) {})
	var stream []byte
	stream, _ = AppendFrame(stream, []byte{0x00, 0xA4, 0x00, 0x04, 0x02, 0x3F, 0x00})
	stream, _ = AppendFrame(stream, []byte{0x04})
	r := bytes.NewReader(stream)
	rw := struct {
		io.Reader
		io.Writer
	}{r, io.Discard}
	allocs := testing.AllocsPerRun(100, func() {
		r.Reset(stream)
		if err := s.run(&rw, nil); err != io.EOF {
			t.Fatalf("run = %v, want io.EOF at the end of the stream", err)
		}
	})
	if allocs != 0 {
		t.Fatalf("%v allocations per APDU + get ATR, want 0", allocs)
	}
}

// FuzzSession feeds garbage vpcd streams to a session: it must never panic,
// and everything it writes must be well-formed frames.
func FuzzSession(f *testing.F) {
	seed := func(payloads ...[]byte) []byte {
		var b []byte
		for _, p := range payloads {
			b, _ = AppendFrame(b, p)
		}
		return b
	}
	f.Add(seed([]byte{1}, []byte{4}, []byte{0x00, 0xA4, 0x00, 0x04, 0x02, 0x3F, 0x00}, []byte{2}, []byte{0}))
	f.Add(seed([]byte{0x80, 0xEE, 0x00, 0x00, 0x02, 0x01, 0x02, 0x00}, []byte{}, []byte{7}))
	f.Add([]byte{0xFF, 0xFF, 0x00})
	f.Fuzz(func(t *testing.T, in []byte) {
		var out bytes.Buffer
		rw := struct {
			io.Reader
			io.Writer
		}{bytes.NewReader(in), &out}
		s := newSession(&testCard{}, func(string, ...any) {})
		if err := s.run(&rw, nil); err == nil {
			t.Fatal("run returned nil at the end of its input")
		}
		var hdr [2]byte
		buf := make([]byte, MaxPayload)
		for out.Len() > 0 {
			if _, err := ReadFrame(&out, &hdr, buf); err != nil {
				t.Fatalf("session wrote a malformed frame: %v", err)
			}
		}
	})
}

// BenchmarkSessionAPDU measures the server's own cost per command frame:
// read, dispatch to a card, write the answer (in memory, no socket).
func BenchmarkSessionAPDU(b *testing.B) {
	s := newSession(staticCard{}, func(string, ...any) {})
	frame, _ := AppendFrame(nil, []byte{0x00, 0xA4, 0x00, 0x04, 0x02, 0x3F, 0x00})
	r := bytes.NewReader(frame)
	rw := struct {
		io.Reader
		io.Writer
	}{r, io.Discard}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		r.Reset(frame)
		if err := s.run(&rw, nil); err != io.EOF {
			b.Fatal(err)
		}
	}
}

// BenchmarkServeLoopback measures one APDU round trip between a fake vpcd
// and a Server over loopback TCP, with TCP_QUICKACK armed before each read.
func BenchmarkServeLoopback(b *testing.B) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- NewServer(staticCard{}, WithAddr(ln.Addr().String())).Serve(ctx) }()
	defer func() { cancel(); <-done }()
	c, err := ln.Accept()
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	// Written as vpcd does: length and payload in two writes.
	hdrOut := []byte{0x00, 0x07}
	apduOut := []byte{0x00, 0xA4, 0x00, 0x04, 0x02, 0x3F, 0x00}
	var hdr [2]byte
	buf := make([]byte, 16)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c.Write(hdrOut)
		c.Write(apduOut)
		if p, err := ReadFrame(c, &hdr, buf); err != nil || len(p) != 2 {
			b.Fatalf("answer %X, %v", p, err)
		}
	}
}

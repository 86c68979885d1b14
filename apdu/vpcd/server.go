package vpcd

import (
	"context"
	"errors"
	"fmt"
	"net"
	"syscall"
	"time"

	"github.com/uiccsim/uiccsim/apdu"
)

// DefaultAddr is where vpcd listens for the card of its first reader
// ("Virtual PCD 00 00"); the second reader's card connects to port 35964.
const DefaultAddr = "127.0.0.1:35963"

// ErrNoCard reports a Server created without a card.
var ErrNoCard = errors.New("vpcd: no card to serve")

// ErrCardFailed reports a card whose Transmit or Reset failed, or whose
// response does not fit a frame. The server drops the connection and stays
// away for at least CardFailedPause, so pcscd sees the card removed, then
// connects again.
var ErrCardFailed = errors.New("vpcd: card failed")

// CardFailedPause is the least time the server stays disconnected after
// ErrCardFailed: longer than pcscd's card presence poll (pcsc-lite
// PCSCLITE_STATUS_POLL_RATE, 400 ms), so that pcscd notices the removal
// instead of finding the card back at its next poll.
const CardFailedPause = time.Second

// Server connects a card to vpcd and answers vpcd's frames, reconnecting
// with exponential backoff whenever vpcd is absent or drops the connection.
type Server struct {
	card       apdu.Transport
	addr       string
	minBackoff time.Duration
	maxBackoff time.Duration
	quickAck   bool
	logf       func(format string, args ...any)
	onConnect  func()
}

// Option configures a Server.
type Option func(*Server)

// WithAddr sets vpcd's address (default DefaultAddr).
func WithAddr(addr string) Option { return func(s *Server) { s.addr = addr } }

// WithBackoff sets the first and the largest wait between connection
// attempts (default 50 ms doubling up to 2 s).
func WithBackoff(first, max time.Duration) Option {
	return func(s *Server) { s.minBackoff, s.maxBackoff = first, max }
}

// WithQuickAck turns the per-read TCP_QUICKACK on or off (default on). Off
// exists to measure what it saves: through pcscd 1.9.9 and Debian's vpcd an
// APDU round trip measured 0.26–0.48 ms with it and 69–73 ms without
// (BenchmarkRoundTripPCSCD in apdu/pcsc).
func WithQuickAck(on bool) Option { return func(s *Server) { s.quickAck = on } }

// WithLogf sends the server's diagnostics (connection losses, card errors)
// to logf; by default they are discarded.
func WithLogf(logf func(format string, args ...any)) Option {
	return func(s *Server) { s.logf = logf }
}

// WithOnConnect calls f each time a connection to vpcd is established.
func WithOnConnect(f func()) Option { return func(s *Server) { s.onConnect = f } }

// NewServer returns a Server for card with the given options.
func NewServer(card apdu.Transport, opts ...Option) *Server {
	s := &Server{
		card:       card,
		addr:       DefaultAddr,
		minBackoff: 50 * time.Millisecond,
		maxBackoff: 2 * time.Second,
		quickAck:   true,
		logf:       func(string, ...any) {},
	}
	for _, o := range opts {
		o(s)
	}
	if s.minBackoff <= 0 {
		s.minBackoff = time.Millisecond
	}
	if s.maxBackoff < s.minBackoff {
		s.maxBackoff = s.minBackoff
	}
	return s
}

// Serve connects card to the vpcd at addr and serves it until ctx is
// cancelled; see Server.Serve.
func Serve(ctx context.Context, addr string, card apdu.Transport) error {
	return NewServer(card, WithAddr(addr)).Serve(ctx)
}

// Serve connects to vpcd, answers its frames, and reconnects with backoff
// when vpcd is not listening or drops the connection. It returns nil once
// ctx is cancelled, and an error only when the Server cannot work at all.
// The card is not closed.
func (s *Server) Serve(ctx context.Context) error {
	if s.card == nil {
		return ErrNoCard
	}
	sess := newSession(s.card, s.logf)
	var d net.Dialer
	backoff := s.minBackoff
	for {
		conn, err := d.DialContext(ctx, "tcp", s.addr)
		if err == nil {
			if s.onConnect != nil {
				s.onConnect()
			}
			start := time.Now()
			err = s.serveConn(ctx, conn, sess)
			if time.Since(start) > s.maxBackoff {
				backoff = s.minBackoff // a session that lasted: vpcd was fine
			}
		}
		if ctx.Err() != nil {
			return nil
		}
		wait := backoff
		if errors.Is(err, ErrCardFailed) {
			wait = max(wait, CardFailedPause)
		}
		s.logf("vpcd: %s: %v; retrying in %v", s.addr, err, wait)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
		backoff = min(2*backoff, s.maxBackoff)
	}
}

// serveConn runs one session on conn and closes it; cancelling ctx closes
// the connection to unblock the read.
func (s *Server) serveConn(ctx context.Context, conn net.Conn, sess *session) error {
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	defer conn.Close()
	var qa *quickAcker
	if s.quickAck && quickAckSupported {
		if sc, ok := conn.(syscall.Conn); ok {
			raw, err := sc.SyscallConn()
			if err != nil {
				return fmt.Errorf("vpcd: raw socket: %w", err)
			}
			qa = newQuickAcker(raw)
		}
	}
	err := sess.run(conn, qa)
	if errClosed(err) {
		return fmt.Errorf("vpcd closed the connection: %w", err)
	}
	return err
}

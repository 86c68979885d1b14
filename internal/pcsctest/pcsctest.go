// Package pcsctest serves a card through the real PC/SC stack for tests:
// pcscd with the vsmartcard vpcd driver, a vpcd slot, and apdu/vpcd.
//
// Serve(t, card) makes sure a pcscd runs, takes a free vpcd slot, serves
// card on it and returns the reader name once pcscd reports the card
// present; every PC/SC client (apdu/pcsc, opensc-tool, pySim) then reaches
// card through that reader. Under a plain `go test` a missing pcscd, vpcd
// driver or cgo skips the test loudly; with UICCSIM_REQUIRE_SYSTEM=1 it
// fails it (internal/systest).
//
// # Sharing between test binaries
//
// `go test ./...` runs the test binaries of several packages at once, and
// there is one pcscd per machine (/run/pcscd). Two locks in /tmp keep them
// apart:
//
//   - /tmp/uiccsim-pcscd.lock (exclusive, held only while checking and
//     starting): the first binary that finds no pcscd answering starts one;
//     the others wait on the lock and then find it answering.
//   - /tmp/uiccsim-vpcd-PORT.lock (exclusive, held for the whole test): one
//     card per vpcd slot. A test waits for a free slot.
//
// The pcscd a test starts is detached (its own session, output to
// /tmp/uiccsim-pcscd.log) and started with -x, pcscd's auto-exit after 60 s
// without clients. It is never killed by a test: a test binary cannot know
// whether another binary still uses the daemon, and killing a shared daemon
// under a running test is exactly the race the locks exist to prevent. The
// daemon outlives the test run by a minute and then exits by itself; any
// pcscd that already runs (systemd's, a developer's) is reused as it is.
//
// Only Debian's two vpcd readers are used. A second reader.conf.d entry for
// libifdvpcd (pcscd -c DIR) does add two reader names, but the driver keeps
// one global context per slot number: pcscd loads it once ("Reusing already
// loaded driver"), the second entry's IFDHCreateChannel overwrites the first
// one's sockets, and "Virtual PCD 00 00" and "Virtual PCD B 00 00" then both
// show the card of port 35965 while nothing serves 35963 (measured with
// pcsc-lite 1.9.9 and vsmartcard-vpcd 0.8: strace shows all four polling
// threads selecting on the last two listening sockets).
package pcsctest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/apdu/pcsc"
	"github.com/uiccsim/uiccsim/apdu/vpcd"
	"github.com/uiccsim/uiccsim/internal/systest"
)

// Paths and timings of the shared test infrastructure.
const (
	// Socket is where pcsc-lite's pcscd listens for clients.
	Socket = "/run/pcscd/pcscd.comm"
	// Driver is Debian's vsmartcard vpcd reader driver.
	Driver = "/usr/lib/pcsc/drivers/serial/libifdvpcd.so"
	// LogFile receives the output of a pcscd started by this package.
	LogFile = "/tmp/uiccsim-pcscd.log"

	startLock   = "/tmp/uiccsim-pcscd.lock"
	slotLockFmt = "/tmp/uiccsim-vpcd-%d.lock"
	startWait   = 15 * time.Second
	slotWait    = 3 * time.Minute
	cardWait    = 15 * time.Second
)

// Slot is one vpcd reader: the TCP port its card connects to and the name
// pcscd gives the reader (FRIENDLYNAME, then the driver's slot numbers).
type Slot struct {
	Port   int
	Reader string
}

// Slots lists the vpcd readers of Debian's /etc/reader.conf.d/vpcd
// (CHANNELID 0x8C7B = 35963; the driver's second slot listens on the next
// port), in the order Serve tries them.
var Slots = []Slot{
	{35963, "Virtual PCD 00 00"},
	{35964, "Virtual PCD 00 01"},
}

// EnsurePCSCD makes sure a pcscd answers on Socket, starting one if none
// does (see the package documentation), and returns a PC/SC context that is
// released when the test ends. Missing system parts skip or fail the test
// through internal/systest.
func EnsurePCSCD(t testing.TB) *pcsc.Context {
	t.Helper()
	if ctx, err := pcsc.Open(); errors.Is(err, pcsc.ErrNoCGO) {
		systest.Missing(t, "cgo: "+err.Error())
	} else if err == nil {
		t.Cleanup(func() { ctx.Close() })
		return ctx
	}
	bin := systest.LookPath(t, "pcscd")
	_, err := os.Stat(Driver)
	systest.Require(t, "vsmartcard vpcd driver "+Driver+" (apt-get install vsmartcard-vpcd)", err == nil)

	unlock := lockFile(t, startLock, syscall.LOCK_EX)
	defer unlock()
	// Another test binary may have started pcscd while this one waited.
	if ctx, err := pcsc.Open(); err == nil {
		t.Cleanup(func() { ctx.Close() })
		return ctx
	}
	logf, err := os.OpenFile(LogFile, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		t.Fatalf("pcsctest: %v", err)
	}
	defer logf.Close()
	cmd := exec.Command(bin, "-f", "-x")
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		systest.Missing(t, fmt.Sprintf("cannot start %s: %v", bin, err))
	}
	go cmd.Wait() // reap it should it exit while this binary runs
	t.Logf("pcsctest: started %s -f -x (pid %d, log %s)", bin, cmd.Process.Pid, LogFile)
	deadline := time.Now().Add(startWait)
	for {
		ctx, err := pcsc.Open()
		if err == nil {
			t.Cleanup(func() { ctx.Close() })
			return ctx
		}
		if time.Now().After(deadline) {
			systest.Missing(t, fmt.Sprintf("pcscd started but not answering on %s after %v: %v (see %s)", Socket, startWait, err, LogFile))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// lockFile takes flock(2) lock how on path, waiting for it, and returns the
// function that releases it.
func lockFile(t testing.TB, path string, how int) (unlock func()) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o666)
	if err != nil {
		t.Fatalf("pcsctest: lock file: %v", err)
	}
	for {
		err = syscall.Flock(int(f.Fd()), how)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		f.Close()
		t.Fatalf("pcsctest: flock %s: %v", path, err)
	}
	return func() { f.Close() }
}

// tryLock takes an exclusive flock(2) on path without waiting.
func tryLock(path string) (unlock func(), ok bool) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o666)
	if err != nil {
		return nil, false
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, false
	}
	return func() { f.Close() }, true
}

// TakeSlot waits for a vpcd slot that pcscd offers, that no other test
// holds and that has no card in it, and holds it until the test ends.
func TakeSlot(t testing.TB, ctx *pcsc.Context) Slot {
	t.Helper()
	readers, err := ctx.Readers()
	if err != nil {
		t.Fatalf("pcsctest: %v", err)
	}
	offered := map[string]bool{}
	for _, r := range readers {
		offered[r] = true
	}
	deadline := time.Now().Add(slotWait)
	for {
		any := false
		for _, s := range Slots {
			if !offered[s.Reader] {
				continue
			}
			any = true
			unlock, ok := tryLock(fmt.Sprintf(slotLockFmt, s.Port))
			if !ok {
				continue
			}
			// A card that some other program serves makes the slot busy.
			if err := ctx.WaitEmpty(s.Reader, 2*time.Second); err != nil {
				t.Logf("pcsctest: %s (port %d) is not empty, trying another slot: %v", s.Reader, s.Port, err)
				unlock()
				continue
			}
			t.Cleanup(unlock)
			return s
		}
		if !any {
			systest.Missing(t, fmt.Sprintf("pcscd offers no vpcd reader (readers: %q; apt-get install vsmartcard-vpcd)", readers))
		}
		if time.Now().After(deadline) {
			t.Fatalf("pcsctest: no free vpcd slot after %v", slotWait)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Served is a card being served on a vpcd slot by Start.
type Served struct {
	// Reader is the PC/SC name of the reader holding the card.
	Reader string
	// Slot is the vpcd slot in use.
	Slot Slot

	t      testing.TB
	ctx    *pcsc.Context
	cancel context.CancelFunc
	done   chan error
	once   sync.Once
}

// Remove takes the card out of the reader: it stops serving, and waits
// until pcscd reports the reader empty. The slot stays held until the test
// ends. Remove is idempotent and also runs when the test ends.
func (s *Served) Remove() {
	s.once.Do(func() {
		s.cancel()
		if err := <-s.done; err != nil {
			s.t.Errorf("pcsctest: vpcd server: %v", err)
		}
		if err := s.ctx.WaitEmpty(s.Reader, cardWait); err != nil {
			s.t.Logf("pcsctest: %s did not empty after the card left: %v", s.Reader, err)
		}
	})
}

// Start serves card on a free vpcd slot of a running (or newly started)
// pcscd and returns once pcscd reports the card present. opts are passed to
// vpcd.NewServer (the address is the slot's). When the test ends the card
// is removed and the slot released; card itself is not closed.
func Start(t testing.TB, card apdu.Transport, opts ...vpcd.Option) *Served {
	t.Helper()
	ctx := EnsurePCSCD(t)
	slot := TakeSlot(t, ctx)
	srvCtx, cancel := context.WithCancel(context.Background())
	s := &Served{Reader: slot.Reader, Slot: slot, t: t, ctx: ctx, cancel: cancel, done: make(chan error, 1)}
	opts = append(opts, vpcd.WithAddr(fmt.Sprintf("127.0.0.1:%d", slot.Port)),
		vpcd.WithBackoff(10*time.Millisecond, 500*time.Millisecond))
	srv := vpcd.NewServer(card, opts...)
	go func() { s.done <- srv.Serve(srvCtx) }()
	t.Cleanup(s.Remove)
	if err := ctx.WaitCard(slot.Reader, cardWait); err != nil {
		t.Fatalf("pcsctest: card served on port %d never appeared in %q: %v", slot.Port, slot.Reader, err)
	}
	return s
}

// Serve is Start for tests that need only the reader name.
func Serve(t testing.TB, card apdu.Transport, opts ...vpcd.Option) (reader string) {
	t.Helper()
	return Start(t, card, opts...).Reader
}

package escrow

import (
	"bufio"
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/uiccsim/uiccsim/keystore"
	"github.com/uiccsim/uiccsim/keystore/sealed"
	"golang.org/x/crypto/nacl/box"
)

// Environment of the crash child (the test binary re-executed by
// TestCrashMidTransaction; TestMain dispatches to crashChild).
const (
	envCrashPath  = "UICCSIM_ESCROW_CRASH_PATH"
	envCrashStart = "UICCSIM_ESCROW_CRASH_START"
	crashBatch    = 400 // cards per transaction: one big transaction each
	crashPairs    = 4
)

// TestMain runs the crash child when the environment asks for it, and the
// tests otherwise.
func TestMain(m *testing.M) {
	if path := os.Getenv(envCrashPath); path != "" {
		crashChild(path)
		return
	}
	os.Exit(m.Run())
}

// crashChild is the child process of TestCrashMidTransaction. It
// personalises batches of crashBatch cards, each batch in a single
// transaction, forever, printing "begin N" from inside each transaction
// and "last N" from inside each transaction and "commit N" after it,
// until it is killed.
func crashChild(path string) {
	fail := func(err error) {
		fmt.Fprintln(os.Stderr, "crash child:", err)
		os.Exit(3)
	}
	start, err := strconv.Atoi(os.Getenv(envCrashStart))
	if err != nil {
		fail(err)
	}
	e, err := Open(path, testMaster(7), nil) // fsync on: the production setting
	if err != nil {
		fail(err)
	}
	// The same operator key in every round: derived from a fixed seed.
	pub, _, err := box.GenerateKey(bytes.NewReader(make([]byte, 64)))
	if err != nil {
		fail(err)
	}
	if err := e.RegisterOperator("MNO-A", pub); err != nil {
		fail(err)
	}
	out := bufio.NewWriter(os.Stdout)
	for gen := 0; ; gen++ {
		loaded := 0
		iccids := make([]ICCID, crashBatch)
		for i := range iccids {
			if iccids[i], err = NewICCID(fmt.Sprintf("898821100%010d", start+gen*crashBatch+i)); err != nil {
				fail(err)
			}
		}
		_, err := e.Personalise(Batch{ICCIDs: iccids, Pairs: crashPairs, Initial: "MNO-A", TxCards: crashBatch},
			func(ICCID, *keystore.List) error {
				// "begin": the transaction is being built; "last": the last
				// card is loaded, bbolt's commit comes next.
				switch loaded++; loaded {
				case 1:
					fmt.Fprintf(out, "begin %d\n", gen)
				case crashBatch:
					fmt.Fprintf(out, "last %d\n", gen)
				}
				return out.Flush()
			})
		if err != nil {
			fail(err)
		}
		fmt.Fprintf(out, "commit %d\n", gen)
		_ = out.Flush()
	}
}

// TestCrashMidTransaction re-executes the test binary as a child that
// writes to the escrow in big transactions, kills it with SIGKILL at a
// random moment inside a transaction (while it builds the transaction, or
// while bbolt writes and syncs it), reopens the file, and checks that it is
// consistent and holds exactly the committed batches — the old state or
// the new one, never a mix. Several rounds run on the same file.
func TestCrashMidTransaction(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test re-executes the test binary; skipped with -short")
	}
	path := filepath.Join(t.TempDir(), "crash.db")
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
	cards := 0
	for round := range 8 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashMidTransaction$", "-test.count=1")
		cmd.Env = append(os.Environ(), envCrashPath+"="+path, envCrashStart+"="+strconv.Itoa(cards))
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Batch 0 runs whole and is timed: its build (begin → last) and its
		// commit window (last → commit: bbolt writes pages, fsyncs, writes
		// the meta page, fsyncs; then the release is sealed). In batch
		// killAt, even rounds kill at a random point of the build, odd
		// rounds at a random point of the commit window.
		killAt := 1 + rng.IntN(2)
		inCommit := round%2 == 1
		var begun, last time.Time
		var build, window, delay time.Duration
		committed := 0
		killed := false
		kill := func(d time.Duration) {
			delay = d
			time.Sleep(d)
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			killed = true
		}
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			word, n, _ := strings.Cut(sc.Text(), " ")
			gen, _ := strconv.Atoi(n)
			switch {
			case word == "commit":
				committed = gen + 1
				if gen == 0 {
					window = time.Since(last)
				}
			case gen == 0 && word == "begin":
				begun = time.Now()
			case gen == 0 && word == "last":
				last = time.Now()
				build = last.Sub(begun)
			case killed || gen != killAt:
			case word == "begin" && !inCommit:
				kill(time.Duration(rng.Int64N(int64(build) + 1)))
			case word == "last" && inCommit:
				kill(time.Duration(rng.Int64N(int64(window) + 1)))
			}
		}
		werr := cmd.Wait()
		if !killed {
			t.Fatalf("round %d: child ended before the kill: %v\n%s", round, werr, stderr.String())
		}
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
			t.Fatalf("round %d: child was not killed by SIGKILL: %v\n%s", round, werr, stderr.String())
		}

		e, err := Open(path, testMaster(7), &sealed.Options{Timeout: 5 * time.Second})
		if err != nil {
			t.Fatalf("round %d: reopening after the kill: %v", round, err)
		}
		n, err := e.Verify()
		if err != nil {
			_ = e.Close()
			t.Fatalf("round %d: escrow inconsistent after the kill: %v", round, err)
		}
		// The batch being written when the kill came either landed whole
		// (the commit finished before "commit" was read) or not at all.
		old, new := cards+committed*crashBatch, cards+(committed+1)*crashBatch
		if n != old && n != new {
			_ = e.Close()
			t.Fatalf("round %d: %d cards after the kill, want %d (old state) or %d (new state)", round, n, old, new)
		}
		var audited int
		for a, err := range e.Audit(1) {
			if err != nil {
				t.Fatalf("round %d: audit log: %v", round, err)
			}
			if a.Event == EventPersonalise {
				audited++
			}
		}
		if audited != n {
			t.Fatalf("round %d: %d personalisations audited for %d cards", round, audited, n)
		}
		phase := map[bool]string{false: "build", true: "commit window"}[inCommit]
		t.Logf("round %d: build %v, commit window %v; killed %v into the %s of batch %d; %d batches seen committed, file holds %d cards (%s state)",
			round, build, window, delay, phase, killAt, committed, n, map[bool]string{true: "new", false: "old"}[n == new])
		if err := e.Close(); err != nil {
			t.Fatal(err)
		}
		cards = n
	}
}

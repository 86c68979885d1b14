// Command operator-switch runs the remote operator change of 3GPP TR 33.812
// over a fleet of emulated M2M devices, end to end and in one process:
//
//	go run ./examples/operator-switch              # 1,000 devices, no flags needed
//	go run ./examples/operator-switch -devices 20 -offline 10% -fsync
//
// Each device is an emulated UICC (package usim) behind a test terminal,
// personalised by the UICC manufacturer's escrow (package keystore/escrow)
// with an indexed list of K/OTA key pairs and attached to operator MNO-A.
// Two fleets move:
//
//   - alternative 3a (§5.3.1): MNO-A rewrites EF_IMSI over OTA RFM with an
//     IMSI from MNO-B, the card resets by REFRESH, MNO-A hands K and the OTA
//     keys to MNO-B sealed to MNO-B's X25519 key, MNO-B replaces them over
//     OTA; then MNO-B → MNO-C the same way;
//   - alternative 3b (§5.3.2): MNO-A sends SWITCH (MNO-B's IMSI, next index)
//     to the card's key-management application, reports the switch to the
//     escrow only once the card's PoR confirmed it, MNO-B fetches pair i
//     from the escrow by ICCID and index (one batch release); then MNO-B →
//     MNO-C and on until the card's list is exhausted, which every card
//     reports (SW 6A84) instead of wrapping around.
//
// After every move each device attaches to its new operator (AKA with
// Milenage), the old operator no longer serves it, and — wherever the keys
// changed — the card refuses the old operator's K (9862) and OTA keys. Some
// devices are offline on the first attempt of each move (-offline): they
// stay with the old operator and are retried; on the links of some others
// the first PoR is lost after the card carried the command out (-lost): the
// retry recognises the switch by the IMSI the device presents, or the key
// rotation by a state query under the new keys. The program prints a short
// report and exits 1 if any device is lost.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// config is the command line.
type config struct {
	devices  int
	pairs    int
	offline  float64 // fraction, 0..1
	lost     float64 // fraction whose first PoR is lost, 0..1
	fsync    bool
	workers  int
	dir      string
	progress bool // force the progress bar (default: only on a terminal)
}

// run is the program; it returns the exit status (0 all devices moved, 1
// a device lost, 2 bad usage or setup failure).
func run(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("operator-switch", flag.ContinueOnError)
	fl.SetOutput(stderr)
	var cfg config
	var offline, lost string
	fl.IntVar(&cfg.devices, "devices", 1000, "number of M2M devices in each fleet")
	fl.IntVar(&cfg.pairs, "pairs", 4, "K/OTA key pairs per 3b card (the list allows pairs-1 moves)")
	fl.StringVar(&offline, "offline", "2%", "share of devices offline on the first attempt of each move, e.g. 2% or 0.02")
	fl.StringVar(&lost, "lost", "1%", "share of devices whose first PoR is lost on the way back (the card carried the command out)")
	fl.BoolVar(&cfg.fsync, "fsync", false, "fsync every bbolt commit of the escrow and operator stores (default off: commits stay atomic against a crash of the process but not of the machine)")
	fl.IntVar(&cfg.workers, "workers", runtime.GOMAXPROCS(0), "devices handled at once")
	fl.StringVar(&cfg.dir, "dir", "", "directory for the escrow and operator stores (default: a temporary one, removed at exit)")
	if err := fl.Parse(args); err != nil {
		return 2
	}
	var err error
	if cfg.offline, err = parseShare(offline); err != nil {
		fmt.Fprintf(stderr, "operator-switch: -offline: %v\n", err)
		return 2
	}
	if cfg.lost, err = parseShare(lost); err != nil {
		fmt.Fprintf(stderr, "operator-switch: -lost: %v\n", err)
		return 2
	}
	if cfg.devices < 1 || cfg.devices > 1_000_000 {
		fmt.Fprintln(stderr, "operator-switch: -devices must be 1..1000000")
		return 2
	}
	if cfg.pairs < 2 || cfg.pairs > 20 {
		fmt.Fprintln(stderr, "operator-switch: -pairs must be 2..20")
		return 2
	}
	if cfg.dir == "" {
		d, err := os.MkdirTemp("", "operator-switch-")
		if err != nil {
			fmt.Fprintln(stderr, "operator-switch:", err)
			return 2
		}
		defer os.RemoveAll(d)
		cfg.dir = d
	} else if err := os.MkdirAll(cfg.dir, 0o700); err != nil {
		fmt.Fprintln(stderr, "operator-switch:", err)
		return 2
	}
	cfg.dir = filepath.Clean(cfg.dir)
	rep, err := simulate(cfg, newProgress(stderr))
	if err != nil {
		fmt.Fprintln(stderr, "operator-switch:", err)
		if errors.Is(err, errSetup) {
			return 2
		}
	}
	if rep != nil {
		rep.print(stdout)
	}
	if err != nil || rep == nil || rep.lost > 0 {
		return 1
	}
	return 0
}

// parseShare reads "2%", "0.5%" or "0.02".
func parseShare(s string) (float64, error) {
	s = strings.TrimSpace(s)
	pct := strings.HasSuffix(s, "%")
	v, err := strconv.ParseFloat(strings.TrimSuffix(s, "%"), 64)
	if err != nil {
		return 0, err
	}
	if pct {
		v /= 100
	}
	if v < 0 || v > 1 {
		return 0, fmt.Errorf("%s is not a share between 0 and 100%%", s)
	}
	return v, nil
}

// perDevice formats d spread over n devices.
func perDevice(d time.Duration, n int) string {
	if n == 0 {
		return "-"
	}
	us := float64(d.Nanoseconds()) / float64(n) / 1e3
	if us >= 1000 {
		return fmt.Sprintf("%.2f ms", us/1000)
	}
	return fmt.Sprintf("%.1f µs", us)
}

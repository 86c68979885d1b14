package main

import (
	"bytes"
	"strings"
	"testing"
)

// The README's main-job command, run in-process with a small fleet: every
// device of both alternatives moves, the 3b list ends exhausted with 6A84,
// offline devices are retried, and no device is lost.
func TestOperatorSwitchSmallFleet(t *testing.T) {
	var out, errb bytes.Buffer
	code := run([]string{"-devices", "20", "-offline", "10%", "-pairs", "3"}, &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out.String(), errb.String())
	}
	s := out.String()
	for _, want := range []string{
		"3a  A→B                  20",
		"3a  B→C                  20",
		"3b  A→B                  20",
		"3b  B→C                  20",
		"list exhausted: 20 of 20 cards answered SWITCH with SW 6A84",
		"failures by cause: none",
		"devices lost: 0",
		"fsync off",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("report lacks %q:\n%s", want, s)
		}
	}
	// Not a terminal: periodic lines at most, never a redrawn bar.
	if strings.Contains(errb.String(), "\r") {
		t.Errorf("progress bar drawn on a non-terminal: %q", errb.String())
	}
}

func TestOperatorSwitchWithFsync(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"-devices", "5", "-offline", "0", "-fsync", "-pairs", "2"}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s %s", code, out.String(), errb.String())
	}
	if !strings.Contains(out.String(), "fsync on") || !strings.Contains(out.String(), "devices lost: 0") {
		t.Fatalf("report:\n%s", out.String())
	}
}

func TestOperatorSwitchRejectsBadFlags(t *testing.T) {
	for _, args := range [][]string{{"-devices", "0"}, {"-offline", "150%"}, {"-lost", "x"}, {"-pairs", "1"}, {"-nosuchflag"}} {
		var out, errb bytes.Buffer
		if code := run(args, &out, &errb); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}

func TestParseShare(t *testing.T) {
	for in, want := range map[string]float64{"2%": 0.02, "0.5%": 0.005, "0.02": 0.02, "0": 0, "100%": 1} {
		got, err := parseShare(in)
		if err != nil || got != want {
			t.Errorf("parseShare(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"x", "-1%", "2"} {
		if _, err := parseShare(in); err == nil {
			t.Errorf("parseShare(%q) accepted", in)
		}
	}
}

// The structured result of the same run: offline devices and devices whose
// first PoR was lost stayed with the old operator on the first round and
// moved on the retry; every move
// verified every device; the escrow released one pair per 3b move.
func TestSimulateRetriesOfflineDevices(t *testing.T) {
	cfg := config{devices: 30, pairs: 3, offline: 0.2, lost: 0.2, workers: 2, dir: t.TempDir()}
	rep, err := simulate(cfg, newProgress(&bytes.Buffer{}))
	if err != nil {
		t.Fatal(err)
	}
	if rep.lost != 0 || len(rep.steps) != 5 {
		t.Fatalf("lost %d, %d steps", rep.lost, len(rep.steps))
	}
	retried, lost := 0, 0
	for i, s := range rep.steps {
		last := i == len(rep.steps)-1
		if s.offlineFirst+s.lostFirst > 0 && s.rounds < 2 {
			t.Errorf("step %d: %d offline, %d PoRs lost, but %d round", i, s.offlineFirst, s.lostFirst, s.rounds)
		}
		retried += s.offlineFirst
		lost += s.lostFirst
		switch {
		case last:
			if s.exhausted != 30 || s.moved != 0 || s.exhaustedSW != "6A84" {
				t.Errorf("exhausted move: %+v", s)
			}
		default:
			if s.moved != 30 || s.verified != 30 {
				t.Errorf("step %d: moved %d verified %d", i, s.moved, s.verified)
			}
			if s.alt.String() == "3b" && s.releases != 30 {
				t.Errorf("step %d: %d releases", i, s.releases)
			}
			if s.alt.String() == "3a" && s.rotated != 30 {
				t.Errorf("step %d: %d rotated", i, s.rotated)
			}
		}
	}
	if retried == 0 || lost == 0 {
		t.Fatalf("20%% offline and 20%% lost PoRs selected %d and %d devices", retried, lost)
	}
}

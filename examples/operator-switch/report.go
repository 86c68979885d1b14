package main

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/uiccsim/uiccsim/keystore/procedure"
)

// report is what the program prints.
type report struct {
	cfg           config
	started       time.Time
	setup, wall   time.Duration
	steps         []stepResult
	lost          int
	audit         int
	auditReleases int
	escrowCards   int
	cpu           time.Duration // process CPU time (user + system), where the OS reports it
}

func (r *report) print(w io.Writer) {
	c := r.cfg
	sync := "fsync off (bbolt NoSync: commits atomic against a process crash, not a power cut; -fsync turns it on)"
	if c.fsync {
		sync = "fsync on (every bbolt commit is fsynced; the stores commit once per batch)"
	}
	fmt.Fprintf(w, "uiccsim operator-switch — 3GPP TR 33.812 alternatives 3a and 3b, pure emulation\n")
	fmt.Fprintf(w, "fleet: %d devices per alternative, %d K/OTA pairs per 3b card; on each move's first attempt %.1f%% offline and %.1f%% lose their first PoR; %d workers\n",
		c.devices, c.pairs, c.offline*100, c.lost*100, c.workers)
	fmt.Fprintf(w, "stores: %s\n", sync)
	fmt.Fprintf(w, "setup: %v (escrow personalisation, %d emulated cards + terminals, onboarding at MNO-A)\n\n",
		r.setup.Round(time.Millisecond), 2*c.devices)
	fmt.Fprintf(w, "%-3s %-15s %7s %7s %8s %8s %8s %8s %6s %11s %11s\n",
		"alt", "move", "moved", "offline", "PoR lost", "rotated", "verified", "releases", "rounds", "per device", "wall")
	var moved, releases int
	causes := map[procedure.Cause]int{}
	first := map[procedure.Cause]string{}
	for _, s := range r.steps {
		move := fmt.Sprintf("%s→%s", strings.TrimPrefix(string(s.from), "MNO-"), strings.TrimPrefix(string(s.to), "MNO-"))
		movedCol := fmt.Sprintf("%d", s.moved)
		if s.exhausted > 0 {
			movedCol = "-"
		}
		rot := "-"
		if s.alt == procedure.Alt3a {
			rot = fmt.Sprint(s.rotated)
		}
		fmt.Fprintf(w, "%-3s %-15s %7s %7d %8d %8s %8d %8d %6d %11s %11v\n", s.alt, move, movedCol, s.offlineFirst, s.lostFirst, rot,
			s.verified, s.releases, s.rounds, perDevice(s.wall, s.devices), s.wall.Round(time.Millisecond))
		if s.exhausted > 0 {
			fmt.Fprintf(w, "    list exhausted: %d of %d cards answered SWITCH with SW %s (TR 33.812 §5.3.2.2 step 9); they stay with %s\n",
				s.exhausted, s.devices, s.exhaustedSW, s.from)
		}
		moved += s.moved
		releases += s.releases
		for k, v := range s.failures {
			causes[k] += v
			if msg, ok := s.firstFailure[k]; ok {
				if _, seen := first[k]; !seen {
					first[k] = msg
				}
			}
		}
	}
	var ota, back, ver time.Duration
	n := 0
	for _, s := range r.steps {
		ota, back, ver = ota+s.ota, back+s.back, ver+s.ver
		n += s.devices
	}
	fmt.Fprintf(w, "\ntime per device and move: OTA %s, back office %s (escrow, handover, sealed stores), verification %s\n",
		perDevice(ota, n), perDevice(back, n), perDevice(ver, n))
	fmt.Fprintf(w, "device moves: %d; escrow releases to new owners: %d in batch releases (audit log: %d entries, %d of them releases; escrow file verified, %d cards)\n",
		moved, releases, r.audit, r.auditReleases, r.escrowCards)
	fmt.Fprintf(w, "offline devices and lost PoRs retried: every such device moved on a later round unless listed below\n")
	if len(causes) == 0 || total(causes) == 0 {
		fmt.Fprintf(w, "failures by cause: none\n")
	} else {
		fmt.Fprintf(w, "failures by cause (after retries):\n")
		keys := make([]procedure.Cause, 0, len(causes))
		for k := range causes {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
		for _, k := range keys {
			if causes[k] == 0 {
				continue
			}
			fmt.Fprintf(w, "  %-22s %d", k, causes[k])
			if msg := first[k]; msg != "" {
				fmt.Fprintf(w, "  (e.g. %s)", msg)
			}
			fmt.Fprintln(w)
		}
	}
	if r.cpu > 0 {
		fmt.Fprintf(w, "total %v wall, %v CPU; devices lost: %d\n", r.wall.Round(time.Millisecond), r.cpu.Round(time.Millisecond), r.lost)
		return
	}
	fmt.Fprintf(w, "total %v; devices lost: %d\n", r.wall.Round(time.Millisecond), r.lost)
}

func total(m map[procedure.Cause]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

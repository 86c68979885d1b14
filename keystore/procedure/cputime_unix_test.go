//go:build unix

package procedure

import (
	"syscall"
	"time"
)

// cpuTime is the process's user + system CPU time (getrusage(2)): on a
// shared machine the work a benchmark did, where wall time also counts
// waiting for a core.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

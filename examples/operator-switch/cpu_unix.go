//go:build unix

package main

import (
	"syscall"
	"time"
)

// cpuTime returns the process's user + system CPU time (getrusage(2)), which
// shows the work done when the machine is shared and wall time is not.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

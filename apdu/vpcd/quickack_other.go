//go:build !linux

package vpcd

import "syscall"

// quickAckSupported reports whether this platform has TCP_QUICKACK; only
// Linux has it.
const quickAckSupported = false

// quickAcker does nothing where TCP_QUICKACK does not exist.
type quickAcker struct{}

func newQuickAcker(syscall.RawConn) *quickAcker { return &quickAcker{} }

func (*quickAcker) arm() error { return nil }

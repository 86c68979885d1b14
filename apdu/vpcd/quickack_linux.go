//go:build linux

package vpcd

import "syscall"

// quickAckSupported reports whether this platform has TCP_QUICKACK.
const quickAckSupported = true

// quickAcker sets TCP_QUICKACK (Linux tcp(7)) on one socket. The kernel
// clears the flag by itself after a while, so the server arms it before
// every read. fn is bound once so that arming allocates nothing.
type quickAcker struct {
	raw syscall.RawConn
	err error
	fn  func(fd uintptr)
}

func newQuickAcker(raw syscall.RawConn) *quickAcker {
	q := &quickAcker{raw: raw}
	q.fn = q.set
	return q
}

func (q *quickAcker) set(fd uintptr) {
	q.err = syscall.SetsockoptInt(int(fd), syscall.IPPROTO_TCP, syscall.TCP_QUICKACK, 1)
}

// arm turns TCP_QUICKACK on for the next read.
func (q *quickAcker) arm() error {
	if err := q.raw.Control(q.fn); err != nil {
		return err
	}
	return q.err
}

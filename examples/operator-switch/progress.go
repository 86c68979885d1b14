package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"
)

// progress shows how many device moves are done: a redrawn bar on a
// terminal, a line every second otherwise (so logs stay readable).
type progress struct {
	w        io.Writer
	tty      bool
	mu       sync.Mutex
	total, n int
	last     time.Time
	began    time.Time
}

func newProgress(w io.Writer) *progress {
	p := &progress{w: w}
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			p.tty = true
		}
	}
	return p
}

func (p *progress) start(total int) {
	p.mu.Lock()
	p.total, p.n, p.began, p.last = total, 0, time.Now(), time.Now()
	p.mu.Unlock()
}

// add counts one device's OTA step.
func (p *progress) add() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.n++
	now := time.Now()
	switch {
	case p.tty && (now.Sub(p.last) >= 50*time.Millisecond || p.n == p.total):
		p.last = now
		const width = 40
		fill := width * p.n / max(p.total, 1)
		fmt.Fprintf(p.w, "\r[%s%s] %3d%% %d/%d devices × moves", strings.Repeat("#", fill), strings.Repeat(".", width-fill),
			100*p.n/max(p.total, 1), p.n, p.total)
	case !p.tty && now.Sub(p.last) >= time.Second:
		p.last = now
		fmt.Fprintf(p.w, "progress: %d/%d devices × moves (%.0f%%) after %v\n", p.n, p.total,
			100*float64(p.n)/float64(max(p.total, 1)), now.Sub(p.began).Round(time.Millisecond))
	}
}

func (p *progress) done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.tty {
		fmt.Fprintln(p.w)
	}
}

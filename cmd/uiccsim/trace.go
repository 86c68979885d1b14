package main

import (
	"bufio"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/uiccsim/uiccsim/internal/apdutrace"
)

func init() {
	register(&command{
		name:     "trace",
		summary:  "decode a hex APDU stream into command names, file names and status word meanings",
		synopsis: "[--hex] [FILE...]",
		example: `printf '00A40004023F0000 9000\n00A40004022FE200 6A82\n' | uiccsim trace
uiccsim trace --hex session.txt`,
		setup: setupTrace,
	})
}

// traceLine is the JSON form of one decoded pair.
type traceLine struct {
	Source string `json:"source"` // file:line of the command
	CAPDU  string `json:"capdu"`
	RAPDU  string `json:"rapdu,omitempty"`
	SW     string `json:"sw,omitempty"`
	apdutrace.Entry
}

func setupTrace(e *env, fs *flagSet) func([]string) error {
	showHex := fs.Bool("hex", false, "print the command and response hex above each decoded line")
	return func(args []string) error {
		var tr apdutrace.Tracer
		var out []traceLine
		emit := func(l traceLine) {
			if e.json {
				out = append(out, l)
				return
			}
			if *showHex {
				fmt.Fprintf(e.stdout, "%s  %s  %s\n", l.Source, l.CAPDU, l.RAPDU)
			}
			fmt.Fprintln(e.stdout, l.Entry.String())
		}
		if len(args) == 0 {
			args = []string{"-"}
		}
		for _, name := range args {
			r, closeFn, err := openInput(e, name)
			if err != nil {
				return err
			}
			err = decodeStream(r, displayName(name), &tr, emit)
			closeFn()
			if err != nil {
				return err
			}
		}
		if e.json {
			if out == nil {
				out = []traceLine{}
			}
			return e.emitJSON(out)
		}
		return nil
	}
}

func displayName(name string) string {
	if name == "-" {
		return "stdin"
	}
	return name
}

func openInput(e *env, name string) (io.Reader, func(), error) {
	if name == "-" {
		return e.stdin, func() {}, nil
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, nil, envf("%v", err)
	}
	return f, func() { f.Close() }, nil
}

// decodeStream reads an APDU trace and describes each pair. Accepted line
// forms (blank lines and text after '#' are ignored):
//
//	00A40004023F0000 9000          command and response on one line
//	00 A4 00 04 02 3F00 | 90 00    the same with '|', '->', '=>' or a tab between
//	> 00A40004023F0000             direction markers '>'/'<' (or C:/R:)
//	00A40004023F0000               a command line followed by its response line
//	RESET                          the card was reset (forget the selection)
func decodeStream(r io.Reader, name string, tr *apdutrace.Tracer, emit func(traceLine)) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	var pending []byte
	var pendingAt string
	flush := func(resp []byte) {
		l := traceLine{Source: pendingAt, CAPDU: strings.ToUpper(hex.EncodeToString(pending))}
		l.Entry = tr.Describe(pending, resp)
		if len(resp) > 0 {
			l.RAPDU = strings.ToUpper(hex.EncodeToString(resp))
		}
		if len(resp) >= 2 {
			l.SW = fmt.Sprintf("%04X", uint16(l.Entry.SW))
		}
		emit(l)
		pending = nil
	}
	n := 0
	for sc.Scan() {
		n++
		at := fmt.Sprintf("%s:%d", name, n)
		line := sc.Text()
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if u := strings.ToUpper(line); u == "RESET" || u == "ATR" || strings.HasPrefix(u, "RESET ") || strings.HasPrefix(u, "ATR ") {
			if pending != nil {
				flush(nil)
			}
			tr.Reset()
			continue
		}
		cmd, resp, dir, err := splitTraceLine(line, pending != nil)
		if err != nil {
			return usagef("%s: %v", at, err)
		}
		switch {
		case cmd != nil && resp != nil:
			if pending != nil {
				flush(nil)
			}
			pending, pendingAt = cmd, at
			flush(resp)
		case dir == '<' || (dir == 0 && pending != nil):
			if pending == nil {
				return usagef("%s: response %X without a command before it", at, cmd)
			}
			flush(cmd)
		default:
			if pending != nil {
				flush(nil)
			}
			pending, pendingAt = cmd, at
		}
	}
	if err := sc.Err(); err != nil {
		return envf("reading %s: %v", name, err)
	}
	if pending != nil {
		flush(nil)
	}
	return nil
}

// splitTraceLine decodes one non-empty line. It returns both cmd and resp
// for a pair on one line, or a single value in cmd with dir '>' or '<' when
// marked, 0 when not. expectResp says a command is waiting for its response,
// so an unmarked line without a separator is that response.
func splitTraceLine(line string, expectResp bool) (cmd, resp []byte, dir byte, err error) {
	for _, sep := range []string{"|", "->", "=>", "→", "\t"} {
		if a, b, ok := strings.Cut(line, sep); ok && strings.TrimSpace(a) != "" && strings.TrimSpace(b) != "" {
			if cmd, err = parseHexItem(a); err != nil {
				return nil, nil, 0, fmt.Errorf("command: %v", err)
			}
			if resp, err = parseHexItem(b); err != nil {
				return nil, nil, 0, fmt.Errorf("response: %v", err)
			}
			return cmd, resp, 0, nil
		}
	}
	f := strings.Fields(line)
	switch strings.ToUpper(f[0]) {
	case ">", "C:", "C-APDU:", "CMD:":
		dir, f = '>', f[1:]
	case "<", "R:", "R-APDU:", "RSP:", "RESP:":
		dir, f = '<', f[1:]
	}
	if len(f) == 0 {
		return nil, nil, 0, fmt.Errorf("marker without hex")
	}
	var v []byte
	var bounds []int // byte offsets where a whitespace-separated token ends
	for i, tok := range f {
		b, err := parseHexItem(tok)
		if err != nil {
			return nil, nil, 0, fmt.Errorf("token %d: %v", i+1, err)
		}
		v = append(v, b...)
		bounds = append(bounds, len(v))
	}
	if dir != 0 || expectResp || len(f) < 2 {
		return v, nil, dir, nil
	}
	if k := commandLength(v, bounds); k > 0 {
		return v[:k], v[k:], 0, nil
	}
	return v, nil, 0, nil
}

// commandLength finds where the command ends in a line holding a command
// and its response separated only by spaces, or returns 0 when it is not
// such a line. The candidates are the lengths a T=0 TPDU can have (ISO/IEC
// 7816-3 §12.2: header and P3 = Le for case 2, header, P3 = Lc and data,
// optionally followed by Le as logged by some tools); a candidate must end
// on a token boundary and leave at least SW1 SW2. Instructions that read
// (case 2) prefer the short form.
func commandLength(v []byte, bounds []int) int {
	if len(v) < 7 {
		return 0
	}
	p3 := int(v[4])
	cands := []int{6 + p3, 5 + p3, 5}
	switch v[1] {
	case 0xB0, 0xB2, 0xC0, 0x12, 0xF2, 0x84, 0xCA, 0xCB:
		cands = []int{5, 6 + p3, 5 + p3}
	}
	for _, k := range cands {
		if len(v)-k < 2 {
			continue
		}
		for _, b := range bounds {
			if b == k {
				return k
			}
		}
	}
	return 0
}

func parseHexItem(s string) ([]byte, error) {
	b, err := parseHex(strings.TrimSpace(s))
	if err != nil {
		return nil, err
	}
	if len(b) == 0 {
		return nil, fmt.Errorf("empty")
	}
	return b, nil
}

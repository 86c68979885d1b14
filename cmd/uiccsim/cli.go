package main

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/uiccsim/uiccsim/apdu"
)

// Exit codes, documented in the package comment and in "uiccsim help".
const (
	exitOK    = 0 // success
	exitNo    = 1 // the card or the check said no
	exitUsage = 2 // bad command line
	exitEnv   = 3 // reader, file or I/O failure
)

// env is what a command runs with: its standard streams and the global flags.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	json           bool
	cmd            string
}

// exitError carries the exit code an error maps to.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// usagef reports a bad command line (exit 2).
func usagef(format string, a ...any) error {
	return &exitError{exitUsage, fmt.Errorf(format, a...)}
}

// refusedf reports that the card or a check said no (exit 1).
func refusedf(format string, a ...any) error {
	return &exitError{exitNo, fmt.Errorf(format, a...)}
}

// envf reports an environment failure (exit 3).
func envf(format string, a ...any) error {
	return &exitError{exitEnv, fmt.Errorf(format, a...)}
}

// exitCode maps an error to the documented exit code: a status word from the
// card is a refusal, anything unclassified an environment failure.
func exitCode(err error) int {
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	var sw apdu.StatusWord
	if errors.As(err, &sw) {
		return exitNo
	}
	return exitEnv
}

// fail prints err (if any) the way the output mode asks and returns its exit
// code: "uiccsim <cmd>: <message>" on stderr, or with --json the object
// {"error": message, "exit": code} on stdout.
func (e *env) fail(err error) int {
	code := exitCode(err)
	if err == nil || errors.Is(err, errSilent) {
		return code
	}
	if e.json {
		e.emitJSON(struct {
			Error string `json:"error"`
			Exit  int    `json:"exit"`
		}{err.Error(), code})
		return code
	}
	prefix := "uiccsim"
	if e.cmd != "" {
		prefix += " " + e.cmd
	}
	fmt.Fprintf(e.stderr, "%s: %v\n", prefix, err)
	return code
}

// emitJSON writes v as one indented JSON document on stdout.
func (e *env) emitJSON(v any) error {
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return envf("writing JSON: %w", err)
	}
	return nil
}

// output prints v as JSON under --json, or calls human otherwise.
func (e *env) output(v any, human func(w io.Writer)) error {
	if e.json {
		return e.emitJSON(v)
	}
	human(e.stdout)
	return nil
}

var errHelp = errors.New("help requested")

// errSilent marks a failure whose report the command already printed (as
// JSON); fail returns its exit code without printing anything more.
var errSilent = errors.New("failure already reported")

// flagSet is a standard library flag.FlagSet that accepts flags anywhere
// between the positional arguments and knows the command it belongs to.
type flagSet struct {
	*flag.FlagSet
	cmd *command
}

func newFlagSet(e *env, c *command) *flagSet {
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.BoolVar(&e.json, "json", e.json, "print one JSON document instead of the human-readable form")
	return &flagSet{FlagSet: fs, cmd: c}
}

// parse parses args, letting flags follow positional arguments ("read
// EF.IMSI --reader X"); "--" ends flag parsing. Errors are usage errors.
func (fs *flagSet) parse(args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, errHelp
			}
			return nil, usagef("%v (see \"uiccsim %s -h\")", err, fs.cmd.name)
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if rest[0] == "--" {
			return append(pos, rest[1:]...), nil
		}
		// fs.Parse stops at the first non-flag; a preceding "--" was consumed
		// by it, in which case everything left is positional.
		if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// usage writes the command's synopsis, flags and example.
func (fs *flagSet) usage(w io.Writer) {
	c := fs.cmd
	fmt.Fprintf(w, "Usage: uiccsim %s %s\n\n%s\n\nFlags:\n", c.name, c.synopsis, c.summary)
	fs.VisitAll(func(f *flag.Flag) {
		typ, help := flag.UnquoteUsage(f)
		head := "  --" + f.Name
		if typ != "" {
			head += " " + typ
		}
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" {
			help += fmt.Sprintf(" (default %s)", f.DefValue)
		}
		fmt.Fprintf(w, "%-26s %s\n", head, help)
	})
	fmt.Fprintf(w, "\nExample:\n")
	for _, l := range strings.Split(strings.TrimSpace(c.example), "\n") {
		fmt.Fprintf(w, "  %s\n", strings.TrimSpace(l))
	}
	fmt.Fprintf(w, "\nExit codes: 0 ok, 1 the card or the check said no, 2 usage, 3 environment.\n")
}

// hexValue is a flag.Value holding bytes given in hex; spaces and colons are
// ignored, and want (when not 0) is the exact length in bytes.
type hexValue struct {
	b    []byte
	want int
	set  bool
}

func (h *hexValue) String() string {
	if h == nil {
		return ""
	}
	return hex.EncodeToString(h.b)
}

func (h *hexValue) Set(s string) error {
	b, err := parseHex(s)
	if err != nil {
		return err
	}
	if h.want != 0 && len(b) != h.want {
		return fmt.Errorf("want %d bytes (%d hex digits), got %d bytes", h.want, 2*h.want, len(b))
	}
	h.b, h.set = b, true
	return nil
}

// hexFlag registers a hex flag of exactly n bytes (any length when n is 0).
func (fs *flagSet) hexFlag(name string, n int, usage string) *hexValue {
	h := &hexValue{want: n}
	fs.Var(h, name, usage)
	return h
}

// parseHex decodes hex, ignoring spaces, tabs and colons between digits.
func parseHex(s string) ([]byte, error) {
	clean := strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', ':':
			return -1
		}
		return r
	}, s)
	b, err := hex.DecodeString(clean)
	if err != nil {
		return nil, fmt.Errorf("not hex: %q", s)
	}
	return b, nil
}

// jsonLine encodes v as one compact JSON line (JSON Lines, for streams of
// events such as "serve --json").
func jsonLine(v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

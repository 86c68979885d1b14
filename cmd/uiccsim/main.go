package main

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// command is one subcommand: its name, a one-line summary for "uiccsim help",
// the argument synopsis and an example for "-h", and the function running it.
type command struct {
	name     string
	summary  string
	synopsis string // after "uiccsim <name> "
	example  string // one or more lines, each a full shell command
	// setup registers the command's flags on fs and returns the function that
	// runs it with the positional arguments left after flag parsing.
	setup func(e *env, fs *flagSet) func(args []string) error
}

// commands lists every subcommand, registered by the init functions of the
// files that implement them.
var commands = map[string]*command{}

func register(c *command) { commands[c.name] = c }

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run executes one uiccsim invocation and returns its exit code.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr}
	// Global flags come before the command name.
	for len(args) > 0 && strings.HasPrefix(args[0], "-") {
		switch args[0] {
		case "-json", "--json":
			e.json = true
		case "-h", "-help", "--help":
			printHelp(stdout)
			return exitOK
		default:
			return e.fail(usagef("unknown global flag %s (global flags: --json)", args[0]))
		}
		args = args[1:]
	}
	if len(args) == 0 {
		printHelp(stderr)
		return exitUsage
	}
	name := args[0]
	if name == "help" {
		if len(args) == 1 {
			printHelp(stdout)
			return exitOK
		}
		c, ok := commands[args[1]]
		if !ok {
			return e.fail(usagef("help: unknown command %q; run \"uiccsim help\" for the list", args[1]))
		}
		fs := newFlagSet(e, c)
		c.setup(e, fs)
		fs.usage(stdout)
		return exitOK
	}
	c, ok := commands[name]
	if !ok {
		return e.fail(usagef("unknown command %q; run \"uiccsim help\" for the list", name))
	}
	e.cmd = name
	fs := newFlagSet(e, c)
	runFn := c.setup(e, fs)
	pos, err := fs.parse(args[1:])
	if err != nil {
		if err == errHelp {
			fs.usage(stdout)
			return exitOK
		}
		return e.fail(err)
	}
	return e.fail(runFn(pos))
}

// printHelp writes the command list.
func printHelp(w io.Writer) {
	fmt.Fprintln(w, "uiccsim: serve, inspect, authenticate and decode UICC/USIM cards (emulated or physical)")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Usage: uiccsim [--json] <command> [flags] [arguments]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-9s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run \"uiccsim <command> -h\" for a command's flags and an example.")
	fmt.Fprintln(w, "--json prints one JSON document instead of the human-readable form.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Exit codes: 0 ok, 1 the card or the check said no, 2 usage, 3 environment (reader, file, I/O).")
}

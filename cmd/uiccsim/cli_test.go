package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestHelpListsEveryCommand(t *testing.T) {
	out := mustRun(t, "help")
	for name := range commands {
		if !strings.Contains(out, "\n  "+name+" ") {
			t.Errorf("help does not list %q:\n%s", name, out)
		}
	}
	if !strings.Contains(out, "Exit codes") {
		t.Errorf("help does not document exit codes:\n%s", out)
	}
}

func TestEveryCommandHelpShowsUsageAndExample(t *testing.T) {
	for name := range commands {
		t.Run(name, func(t *testing.T) {
			for _, args := range [][]string{{name, "-h"}, {name, "--help"}, {"help", name}} {
				out := mustRun(t, args...)
				if !strings.HasPrefix(out, "Usage: uiccsim "+name) {
					t.Errorf("%v: no usage line:\n%s", args, out)
				}
				ex := strings.SplitN(out, "Example:\n", 2)
				if len(ex) != 2 || !strings.Contains(strings.SplitN(ex[1], "\n", 2)[0], "uiccsim "+name) {
					t.Errorf("%v: no example running \"uiccsim %s\":\n%s", args, name, out)
				}
			}
		})
	}
}

func TestUsageErrorsExit2(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no command", nil, "Usage"},
		{"unknown command", []string{"frobnicate"}, `unknown command "frobnicate"`},
		{"unknown global flag", []string{"--verbose", "aka"}, "unknown global flag"},
		{"unknown flag", []string{"aka", "--nope"}, "flag provided but not defined: -nope"},
		{"help for unknown command", []string{"help", "nope"}, `unknown command "nope"`},
		{"bad hex", []string{"aka", "--k", "zz"}, "not hex"},
		{"short key", []string{"aka", "--k", "0011"}, "want 16 bytes"},
		{"stray argument", []string{"aka", "extra"}, `unexpected argument "extra"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runBin(t, "", tc.args...)
			if r.code != exitUsage {
				t.Fatalf("exit %d, want %d; stderr: %s", r.code, exitUsage, r.stderr)
			}
			if !strings.Contains(r.stderr, tc.want) {
				t.Errorf("stderr %q does not say %q", r.stderr, tc.want)
			}
		})
	}
}

func TestJSONErrorIsAnObjectWithTheExitCode(t *testing.T) {
	for _, args := range [][]string{{"--json", "aka"}, {"aka", "--json"}} {
		r := runBin(t, "", args...)
		if r.code != exitUsage {
			t.Fatalf("%v: exit %d, want %d", args, r.code, exitUsage)
		}
		var v struct {
			Error string
			Exit  int
		}
		if err := json.Unmarshal([]byte(r.stdout), &v); err != nil {
			t.Fatalf("%v: stdout is not JSON: %v\n%s", args, err, r.stdout)
		}
		if v.Exit != exitUsage || !strings.Contains(v.Error, "--k is required") {
			t.Errorf("%v: got %+v", args, v)
		}
	}
}

func TestFlagsMayFollowArguments(t *testing.T) {
	fs := newFlagSet(&env{}, &command{name: "x"})
	reader := fs.String("reader", "", "")
	pos, err := fs.parse([]string{"a", "--reader", "R", "b", "--", "--c"})
	if err != nil {
		t.Fatal(err)
	}
	if *reader != "R" || strings.Join(pos, ",") != "a,b,--c" {
		t.Errorf("reader %q, positional %q", *reader, pos)
	}
}

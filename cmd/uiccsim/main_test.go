package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// bin is the uiccsim binary built once by TestMain; every test runs it as a
// user would.
var bin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "uiccsim-cli-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	bin = filepath.Join(dir, "uiccsim")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building uiccsim:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// result is one run of the binary.
type result struct {
	stdout, stderr string
	code           int
}

// runBin runs the built binary with args (and stdin when not empty) and
// returns its output and exit code; it fails the test only when the binary
// cannot be started or hangs.
func runBin(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if stdin != "" {
		cmd.Stdin = strings.NewReader(stdin)
	}
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		code = ee.ExitCode()
	case err != nil:
		t.Fatalf("running uiccsim %v: %v", args, err)
	}
	if ctx.Err() != nil {
		t.Fatalf("uiccsim %v timed out; stderr: %s", args, errb.String())
	}
	return result{out.String(), errb.String(), code}
}

// mustRun runs the binary and fails the test unless it exits 0.
func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	r := runBin(t, "", args...)
	if r.code != 0 {
		t.Fatalf("uiccsim %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
	return r.stdout
}

// mustJSON runs the binary with --json and decodes its output into v.
func mustJSON(t *testing.T, v any, args ...string) {
	t.Helper()
	out := mustRun(t, append([]string{"--json"}, args...)...)
	if err := json.Unmarshal([]byte(out), v); err != nil {
		t.Fatalf("uiccsim --json %s: output is not JSON: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// fields parses "Name:\tvalue" lines (osmo-auc-gen's form) into a map.
func fields(out string) map[string]string {
	m := map[string]string{}
	for _, l := range strings.Split(out, "\n") {
		k, v, ok := strings.Cut(l, ":\t")
		if ok {
			m[k] = strings.TrimSpace(v)
		}
	}
	return m
}

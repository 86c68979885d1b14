// Package systest lets tests that need a system component (pcscd, the
// vsmartcard vpcd driver, opensc-tool, osmo-auc-gen) say so in one line.
//
// Under a plain `go test` a missing component skips the test with a loud
// reason naming what is missing and how to install it. With the environment
// variable UICCSIM_REQUIRE_SYSTEM=1 (set by `make test` and CI) the same
// check fails the test instead, so a machine that should have the component
// can never report a skipped test as passing.
package systest

import (
	"fmt"
	"os"
	"os/exec"
	"testing"
)

// EnvRequire names the environment variable that turns skips into failures
// when set to "1".
const EnvRequire = "UICCSIM_REQUIRE_SYSTEM"

// Required reports whether missing system components must fail tests
// (UICCSIM_REQUIRE_SYSTEM=1) rather than skip them. It reads the environment
// on every call, so tests may change it with t.Setenv.
func Required() bool { return os.Getenv(EnvRequire) == "1" }

// debianPackage maps the commands the project's tests use to the Debian
// package that provides them (the same table as the Makefile's SYSCMDS).
var debianPackage = map[string]string{
	"pcscd":        "pcscd",
	"osmo-auc-gen": "libosmocore-utils",
	"opensc-tool":  "opensc",
	"pcsc_scan":    "pcsc-tools",
}

// Package returns the Debian package that provides command name, or "" when
// the project does not know it.
func Package(name string) string { return debianPackage[name] }

// Require stops the test when ok is false: t.Skip under a plain go test,
// t.Fatal when UICCSIM_REQUIRE_SYSTEM=1. what says which component is missing
// and why the test needs it; it appears verbatim in the message.
func Require(t testing.TB, what string, ok bool) {
	if ok {
		return
	}
	t.Helper()
	Missing(t, what)
}

// Missing stops the test because the system component described by what is
// not available: t.Skip under a plain go test, t.Fatal when
// UICCSIM_REQUIRE_SYSTEM=1. It never returns.
func Missing(t testing.TB, what string) {
	t.Helper()
	if Required() {
		t.Fatalf("system component missing: %s (%s=1 forbids skipping)", what, EnvRequire)
	}
	t.Skipf("SKIPPED, NOT PASSED: system component missing: %s (set %s=1 to make this a failure)", what, EnvRequire)
}

// LookPath returns the absolute path of command name from $PATH. When the
// command is absent it stops the test through Missing, naming the Debian
// package to install when known.
func LookPath(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err == nil {
		return p
	}
	what := fmt.Sprintf("command %q not found in $PATH", name)
	if pkg := Package(name); pkg != "" {
		what += fmt.Sprintf(" (apt-get install %s)", pkg)
	}
	Missing(t, what)
	return ""
}

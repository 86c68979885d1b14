package systest

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// recorder is a testing.TB double that records Skip/Fatal and, like the real
// ones, stops the calling goroutine.
type recorder struct {
	testing.TB
	skipped, failed bool
	msg             string
}

func (r *recorder) Helper() {}
func (r *recorder) Skipf(format string, args ...any) {
	r.skipped, r.msg = true, fmt.Sprintf(format, args...)
	runtime.Goexit()
}
func (r *recorder) Fatalf(format string, args ...any) {
	r.failed, r.msg = true, fmt.Sprintf(format, args...)
	runtime.Goexit()
}

// run calls f with a recorder on its own goroutine and reports whether f ran
// to its end.
func run(t *testing.T, f func(tb testing.TB)) (r *recorder, finished bool) {
	r = &recorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		f(r)
		finished = true
	}()
	<-done
	return r, finished
}

func TestRequire(t *testing.T) {
	tests := []struct {
		name                 string
		env                  string
		ok                   bool
		skip, fail, finishes bool
	}{
		{name: "present component lets the test continue", env: "", ok: true, finishes: true},
		{name: "present component continues even when required", env: "1", ok: true, finishes: true},
		{name: "missing component skips under plain go test", env: "", ok: false, skip: true},
		{name: "missing component fails when required", env: "1", ok: false, fail: true},
		{name: "only the value 1 means required", env: "yes", ok: false, skip: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(EnvRequire, tc.env)
			r, finished := run(t, func(tb testing.TB) { Require(tb, "pcscd socket /run/pcscd/pcscd.comm", tc.ok) })
			if r.skipped != tc.skip || r.failed != tc.fail || finished != tc.finishes {
				t.Fatalf("skipped=%v failed=%v finished=%v, want %v %v %v", r.skipped, r.failed, finished, tc.skip, tc.fail, tc.finishes)
			}
			if !tc.ok && !strings.Contains(r.msg, "pcscd socket /run/pcscd/pcscd.comm") {
				t.Errorf("message %q does not name the missing component", r.msg)
			}
			if tc.skip && !strings.Contains(r.msg, EnvRequire) {
				t.Errorf("skip message %q does not say how to make it a failure", r.msg)
			}
		})
	}
}

func TestLookPath(t *testing.T) {
	t.Run("present command returns its path", func(t *testing.T) {
		t.Setenv(EnvRequire, "1")
		r, finished := run(t, func(tb testing.TB) {
			if p := LookPath(tb, "sh"); !strings.HasSuffix(p, "/sh") {
				tb.Errorf("LookPath(sh) = %q", p)
			}
		})
		if !finished || r.failed || r.skipped {
			t.Fatalf("LookPath(sh) stopped the test: %q", r.msg)
		}
	})
	t.Run("absent command skips naming the Debian package", func(t *testing.T) {
		t.Setenv(EnvRequire, "")
		t.Setenv("PATH", t.TempDir())
		r, finished := run(t, func(tb testing.TB) { LookPath(tb, "osmo-auc-gen") })
		if finished || !r.skipped {
			t.Fatalf("finished=%v skipped=%v, want a skip", finished, r.skipped)
		}
		if !strings.Contains(r.msg, "osmo-auc-gen") || !strings.Contains(r.msg, "libosmocore-utils") {
			t.Errorf("message %q should name the command and its package", r.msg)
		}
	})
	t.Run("absent command fails when required", func(t *testing.T) {
		t.Setenv(EnvRequire, "1")
		t.Setenv("PATH", t.TempDir())
		r, finished := run(t, func(tb testing.TB) { LookPath(tb, "no-such-uiccsim-tool") })
		if finished || !r.failed {
			t.Fatalf("finished=%v failed=%v, want a failure", finished, r.failed)
		}
	})
}

func TestPackage(t *testing.T) {
	for cmd, want := range map[string]string{"pcscd": "pcscd", "opensc-tool": "opensc", "pcsc_scan": "pcsc-tools", "unknown": ""} {
		if got := Package(cmd); got != want {
			t.Errorf("Package(%q) = %q, want %q", cmd, got, want)
		}
	}
}

func ExampleRequire() {
	// In a test: skip (or, with UICCSIM_REQUIRE_SYSTEM=1, fail) when the
	// PC/SC daemon's socket is absent.
	//
	//	_, err := os.Stat("/run/pcscd/pcscd.comm")
	//	systest.Require(t, "pcscd socket /run/pcscd/pcscd.comm", err == nil)
	fmt.Println(EnvRequire)
	// Output: UICCSIM_REQUIRE_SYSTEM
}

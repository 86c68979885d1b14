package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestProfileNewWritesAProfileThatChecks(t *testing.T) {
	f := filepath.Join(t.TempDir(), "card.json")
	out := mustRun(t, "profile", "new", "--imsi", "001010000000042", "--random-keys", f)
	if !strings.Contains(out, "IMSI 001010000000042") {
		t.Errorf("new: %q", out)
	}
	st, err := os.Stat(f)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("profile mode %v, want 0600 (it holds keys)", st.Mode().Perm())
	}
	b, _ := os.ReadFile(f)
	if !strings.Contains(string(b), `"_comment"`) {
		t.Errorf("new profile carries no comments:\n%s", b)
	}
	if strings.Contains(string(b), "465b5ce8b199b49faa5f0a2ee238a6bc") {
		t.Error("--random-keys kept the TS 35.208 test K")
	}
	if out := mustRun(t, "profile", "check", f); out != f+": valid\n" {
		t.Errorf("check: %q", out)
	}
	r := runBin(t, "", "profile", "new", f)
	if r.code != exitUsage || !strings.Contains(r.stderr, "--force") {
		t.Errorf("overwriting without --force: exit %d, %q", r.code, r.stderr)
	}
	mustRun(t, "profile", "new", "--force", f)
}

func TestProfileNewToStdoutIsTheTemplate(t *testing.T) {
	var doc map[string]any
	out := mustRun(t, "profile", "new")
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if doc["imsi"] != "001010123456789" {
		t.Errorf("imsi %v", doc["imsi"])
	}
}

// TestProfileCheckNamesTheField breaks one field at a time and expects exit 1
// and a message naming the field's JSON path.
func TestProfileCheckNamesTheField(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.json")
	mustRun(t, "profile", "new", good)
	base, _ := os.ReadFile(good)
	for _, tc := range []struct{ name, from, to, field string }{
		{"imsi too long", `"imsi": "001010123456789"`, `"imsi": "0010101234567890"`, "imsi"},
		{"iccid luhn", `"iccid": "8900101012345678904"`, `"iccid": "8900101012345678905"`, "iccid"},
		{"unknown key", `"mnc_len": 2`, `"mnc_len": 2, "mnc_lenght": 2`, "mnc_lenght"},
		{"unknown nested key", `"algorithm": "milenage",`, `"algorithm": "milenage", "_x": 0,`, "_x"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(string(base), tc.from) {
				t.Fatalf("template lacks %q", tc.from)
			}
			f := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "_")+".json")
			os.WriteFile(f, []byte(strings.Replace(string(base), tc.from, tc.to, 1)), 0o600)
			r := runBin(t, "", "profile", "check", good, f)
			if r.code != exitNo {
				t.Fatalf("exit %d, want %d; stderr %q", r.code, exitNo, r.stderr)
			}
			if !strings.Contains(r.stderr, tc.field) || !strings.Contains(r.stderr, f) {
				t.Errorf("error %q does not name file and field %q", r.stderr, tc.field)
			}
			if !strings.Contains(r.stdout, good+": valid") {
				t.Errorf("the valid file is not reported: %q", r.stdout)
			}
			var res []checkResult
			jr := runBin(t, "", "--json", "profile", "check", good, f)
			if err := json.Unmarshal([]byte(jr.stdout), &res); err != nil || jr.code != exitNo {
				t.Fatalf("--json: exit %d, %v\n%s", jr.code, err, jr.stdout)
			}
			if len(res) != 2 || !res[0].Valid || res[1].Valid || !strings.Contains(res[1].Error, tc.field) {
				t.Errorf("--json: %+v", res)
			}
		})
	}
	r := runBin(t, "", "profile", "check", filepath.Join(dir, "missing.json"))
	if r.code != exitEnv {
		t.Errorf("missing file: exit %d, want %d", r.code, exitEnv)
	}
}

func TestProfileShowHidesKeys(t *testing.T) {
	f := filepath.Join(t.TempDir(), "card.json")
	k, opc := "00112233445566778899aabbccddeeff", "ffeeddccbbaa99887766554433221100"
	mustRun(t, "profile", "new", "--k", k, "--opc", opc, f)
	for _, args := range [][]string{{"profile", "show", f}, {"--json", "profile", "show", f}} {
		out := mustRun(t, args...)
		for _, secret := range []string{k, opc, "88888888", "87654321", `"1234"`} {
			if strings.Contains(out, secret) {
				t.Errorf("%v shows secret %s:\n%s", args, secret, out)
			}
		}
		if !strings.Contains(out, "8900101012345678904") || !strings.Contains(out, "hidden") {
			t.Errorf("%v lacks the ICCID or the hidden marker:\n%s", args, out)
		}
	}
	out := mustRun(t, "profile", "show", "--show-keys", f)
	if !strings.Contains(out, k) || !strings.Contains(out, opc) || !strings.Contains(out, "88888888") {
		t.Errorf("--show-keys does not show the keys:\n%s", out)
	}
	var doc struct{ Auth struct{ K, OPc string } }
	mustJSON(t, &doc, "profile", "show", "--show-keys", f)
	if doc.Auth.K != k {
		t.Errorf("--json --show-keys: k %q", doc.Auth.K)
	}
}

func TestProfileUsage(t *testing.T) {
	for _, args := range [][]string{{"profile"}, {"profile", "frob"}, {"profile", "check"}, {"profile", "new", "--random-keys", "--k", "00112233445566778899aabbccddeeff"}, {"profile", "new", "--imsi", "12"}} {
		if r := runBin(t, "", args...); r.code != exitUsage {
			t.Errorf("%v: exit %d, want 2 (%s)", args, r.code, r.stderr)
		}
	}
}

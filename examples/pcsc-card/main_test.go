package main

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/uiccsim/uiccsim/apdu/pcsc"
	"github.com/uiccsim/uiccsim/internal/pcsctest"
	"github.com/uiccsim/uiccsim/internal/systest"
	"github.com/uiccsim/uiccsim/usim"
	"github.com/uiccsim/uiccsim/usim/profile"
)

// runExample runs the example with args and returns its exit status,
// standard output and standard error.
func runExample(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, &out, &errb)
	t.Logf("pcsc-card %s → exit %d\n%s%s", strings.Join(args, " "), code, out.String(), errb.String())
	return code, out.String(), errb.String()
}

// mustContain fails unless s has every one of want.
func mustContain(t *testing.T, what, s string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(s, w) {
			t.Errorf("%s lacks %q", what, w)
		}
	}
}

var (
	randRE = regexp.MustCompile(`(?m)^AUTH +RAND ([0-9A-F]{32}),`)
	resRE  = regexp.MustCompile(`(?m)^ +RES ([0-9A-F]+): matches XRES; CK: matches; IK: matches$`)
)

// checkRESWithOsmo recomputes the RES the example printed for the RAND it
// printed with osmo-auc-gen (libosmocore's independent Milenage), so the
// test does not only trust the example's own comparison.
func checkRESWithOsmo(t *testing.T, out, k, opc string) {
	t.Helper()
	tool := systest.LookPath(t, "osmo-auc-gen")
	rm, sm := randRE.FindStringSubmatch(out), resRE.FindStringSubmatch(out)
	if rm == nil || sm == nil {
		t.Fatalf("no AUTHENTICATE result with RAND and matching RES in the output:\n%s", out)
	}
	got, err := exec.Command(tool, "-3", "-a", "MILENAGE", "-k", k, "-o", opc, "-r", rm[1], "-s", "1", "-f", "8000").CombinedOutput()
	if err != nil {
		t.Fatalf("osmo-auc-gen: %v\n%s", err, got)
	}
	want := regexp.MustCompile(`(?m)^RES:\s+([0-9a-f]+)$`).FindStringSubmatch(string(got))
	if want == nil || !strings.EqualFold(want[1], sm[1]) {
		t.Fatalf("RES for RAND %s: example printed %s, osmo-auc-gen computes %v", rm[1], sm[1], want)
	}
}

// defaultKeys returns the default profile's K and OPc as the -k/-opc
// flags take them (TS 35.208 test set 1).
func defaultKeys(p *profile.Profile) (k, opc string) {
	return strings.ToUpper(hex.EncodeToString(p.Auth.K[:])), strings.ToUpper(hex.EncodeToString(p.Auth.OPc[:]))
}

// TestDrivesCardInPCSCReader serves the built-in USIM through the real
// pcscd + vpcd (internal/pcsctest) and runs the example on its reader as on
// a physical card, checking the ICCID and IMSI it prints against the
// profile and the RES against osmo-auc-gen.
func TestDrivesCardInPCSCReader(t *testing.T) {
	p := profile.Default()
	card, err := usim.New(p)
	if err != nil {
		t.Fatal(err)
	}
	reader := pcsctest.Serve(t, card)
	k, opc := defaultKeys(p)

	t.Run("a physical card's PIN is never guessed", func(t *testing.T) {
		code, out, errs := runExample(t, "-reader", reader)
		if code != 1 {
			t.Fatalf("exit %d, want 1", code)
		}
		mustContain(t, "stdout", out, "ICCID     "+p.ICCID+" (Luhn check digit valid)", "A0000000871002")
		mustContain(t, "stderr", errs, "PIN1 must be verified", "3 tries left", "-pin")
		if strings.Contains(out, "IMSI") {
			t.Errorf("IMSI printed without PIN1")
		}
	})

	t.Run("a wrong PIN says how many tries are left", func(t *testing.T) {
		code, _, errs := runExample(t, "-reader", reader, "-pin", "0000")
		if code != 1 {
			t.Fatalf("exit %d, want 1", code)
		}
		mustContain(t, "stderr", errs, "wrong PIN", "2 tries left")
	})

	t.Run("with PIN1, K and OPc everything is read and AUTHENTICATE checks out", func(t *testing.T) {
		code, out, errs := runExample(t, "-reader", reader, "-pin", "1234", "-k", k, "-opc", opc)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errs)
		}
		mustContain(t, "stdout", out,
			"reader    "+reader+" (PC/SC reader, T=0)",
			"ATR       3B",
			"protocols offered: T=0",
			"ICCID     "+p.ICCID+" (Luhn check digit valid)",
			`label "USIM" (USIM)`,
			"PIN1      verified with -pin (2 tries were left)",
			"IMSI      "+p.IMSI+" (MCC 001, MNC 01)",
			"MNC length 2",
			`SPN       "uiccsim"`,
			" 19 Service Provider Name",
			"SQN 000000000020, AMF 8000")
		checkRESWithOsmo(t, out, k, opc)
		if strings.Contains(out, k) || strings.Contains(out, opc) {
			t.Errorf("the output shows a key")
		}
	})

	t.Run("over apdu/t0 a stale SQN is resynchronised from AUTS", func(t *testing.T) {
		// The card accepted SEQ 1 with IND 0 above: the same SQN is stale.
		code, out, errs := runExample(t, "-reader", reader, "-pin", "1234", "-k", k, "-opc", opc, "-t0")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errs)
		}
		mustContain(t, "stdout", out,
			"T=0, through apdu/t0",
			"IMSI      "+p.IMSI,
			"SQN 000000000020 not fresh: the card's SQN_MS is 000000000020 (AUTS verified); resynchronising to SQN 000000000040",
			"SQN 000000000040, AMF 8000")
		checkRESWithOsmo(t, out, k, opc)
	})

	t.Run("keys that are not the card's fail on the MAC", func(t *testing.T) {
		code, _, errs := runExample(t, "-reader", reader, "-pin", "1234", "-k", strings.Repeat("00", 16), "-opc", opc)
		if code != 1 {
			t.Fatalf("exit %d, want 1", code)
		}
		mustContain(t, "stderr", errs, "rejects the AUTN's MAC (9862")
	})

	t.Run("an unknown reader is named", func(t *testing.T) {
		code, _, errs := runExample(t, "-reader", "No Such Reader 00 00")
		if code != 1 {
			t.Fatalf("exit %d, want 1", code)
		}
		mustContain(t, "stderr", errs, `"No Such Reader 00 00"`, "no such reader", reader)
	})
}

// TestEmulateServesAndDrives runs the example's -emulate path on a vpcd
// slot that internal/pcsctest holds for the test: the example serves the
// built-in USIM itself, finds it in the slot's reader through pcscd, drives
// it, and leaves the reader empty.
func TestEmulateServesAndDrives(t *testing.T) {
	ctx := pcsctest.EnsurePCSCD(t)
	slot := pcsctest.TakeSlot(t, ctx)
	addr := fmt.Sprintf("127.0.0.1:%d", slot.Port)
	p := profile.Default()
	k, opc := defaultKeys(p)
	for _, args := range [][]string{
		{"-emulate", "-vpcd", addr, "-k", k, "-opc", opc},          // reader named from the port
		{"-emulate", "-vpcd", addr, "-reader", slot.Reader, "-t0"}, // reader given
	} {
		code, out, errs := runExample(t, args...)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errs)
		}
		mustContain(t, "stdout", out,
			"served to vpcd at "+addr,
			"reader    "+slot.Reader+" (emulated card served to vpcd at "+addr,
			"ICCID     "+p.ICCID,
			"PIN1      verified with the emulated profile's PIN1 (3 tries were left)",
			"IMSI      "+p.IMSI+" (MCC 001, MNC 01)")
		if slices.Contains(args, "-k") {
			checkRESWithOsmo(t, out, k, opc)
		}
		states, err := ctx.ReaderStates()
		if err != nil {
			t.Fatal(err)
		}
		if st, _ := findReader(states, slot.Reader); st.Present {
			t.Fatalf("the example left its emulated card in %v", st)
		}
	}

	t.Run("an empty reader says how to see the example work", func(t *testing.T) {
		code, _, errs := runExample(t, "-reader", slot.Reader)
		if code != 1 {
			t.Fatalf("exit %d, want 1", code)
		}
		mustContain(t, "stderr", errs, "is empty", "-emulate")
	})
}

func TestChooseReader(t *testing.T) {
	atr := []byte{0x3B, 0x00}
	empty := pcsc.ReaderState{Name: "A"}
	card := pcsc.ReaderState{Name: "B", Present: true, ATR: atr}
	mute := pcsc.ReaderState{Name: "M", Present: true, Mute: true}
	busy := pcsc.ReaderState{Name: "C", Present: true, InUse: true, ATR: atr}
	tests := []struct {
		name    string
		states  []pcsc.ReaderState
		want    string
		pick    string
		errHave string
	}{
		{"no readers says so and offers -emulate", nil, "", "", "pcscd knows no reader"},
		{"no card offers -emulate", []pcsc.ReaderState{empty}, "", "", "run with -emulate"},
		{"the first reader holding a card is picked", []pcsc.ReaderState{empty, mute, card, busy}, "", "B", ""},
		{"a card in use by others is still a card", []pcsc.ReaderState{empty, busy}, "", "C", ""},
		{"a named reader is used", []pcsc.ReaderState{card, busy}, "C", "C", ""},
		{"a named empty reader is refused", []pcsc.ReaderState{empty, card}, "A", "", `reader "A" is empty`},
		{"a named mute card is refused", []pcsc.ReaderState{mute}, "M", "", "mute"},
		{"an unknown name lists the readers", []pcsc.ReaderState{empty, card}, "Z", "", `"B": card, ATR 3B00`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := chooseReader(tc.states, tc.want)
			if tc.errHave != "" {
				if err == nil || !strings.Contains(err.Error(), tc.errHave) {
					t.Fatalf("err = %v, want it to say %q", err, tc.errHave)
				}
				return
			}
			if err != nil || got.Name != tc.pick {
				t.Fatalf("chooseReader = %v, %v; want %q", got, err, tc.pick)
			}
		})
	}
}

func TestBadFlagsExitTwo(t *testing.T) {
	for _, args := range [][]string{
		{"-k", "00"},
		{"-k", strings.Repeat("00", 16)},
		{"-sqn", "12"},
		{"-pin", "12a4"},
		{"-pin", "123"},
		{"extra"},
	} {
		if code, _, errs := runExample(t, args...); code != 2 || errs == "" {
			t.Errorf("%q: exit %d, stderr %q; want 2 with a message", args, code, errs)
		}
	}
}

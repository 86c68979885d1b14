package main

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/uiccsim/uiccsim/internal/systest"
	"github.com/uiccsim/uiccsim/usim"
	"github.com/uiccsim/uiccsim/usim/profile"
)

// TS 35.208 test set 1, the keys of the built-in default profile.
const (
	testK   = "465b5ce8b199b49faa5f0a2ee238a6bc"
	testOPc = "cd63cb71954a9f4e48a5994e37a02baf"
)

// newImage writes a card image of the default profile (what "serve --image"
// creates on first start) and returns its path.
func newImage(t *testing.T) string {
	t.Helper()
	card, err := usim.New(profile.Default())
	if err != nil {
		t.Fatal(err)
	}
	defer card.Close()
	path := filepath.Join(t.TempDir(), "card.img")
	if err := card.SaveImage(path); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestInfoOnImage(t *testing.T) {
	img := newImage(t)
	out := mustRun(t, "info", "--image", img)
	for _, want := range []string{"ICCID     8900101012345678904", "A0000000871002FFFFFFFF8907090000 \"USIM\" (USIM)", "PIN1      3 tries left", "ADM1      10 tries left", "protocols offered: T=0", "EF.IMSI   not read"} {
		if !strings.Contains(out, want) {
			t.Errorf("info without PIN lacks %q:\n%s", want, out)
		}
	}
	var res infoResult
	mustJSON(t, &res, "info", "--image", img, "--pin", "1234")
	if res.IMSI != "001010123456789" || res.MCC != "001" || res.MNC != "01" || res.SPN != "uiccsim" || res.ICCID != "8900101012345678904" {
		t.Errorf("info --pin: %+v", res)
	}
	if len(res.UST) == 0 || res.UST[0].N != 19 || res.Unread != nil {
		t.Errorf("UST %+v, unread %v", res.UST, res.Unread)
	}
	r := runBin(t, "", "info", "--image", img, "--pin", "0000")
	if r.code != exitNo || !strings.Contains(r.stderr, "wrong value, 2 tries left") {
		t.Errorf("wrong PIN: exit %d, %q", r.code, r.stderr)
	}
	// The failed VERIFY was saved to the image: the counter stays down.
	if out := mustRun(t, "info", "--image", img); !strings.Contains(out, "PIN1      2 tries left") {
		t.Errorf("the retry counter was not persisted:\n%s", out)
	}
}

func TestReadAndWriteOnImage(t *testing.T) {
	img := newImage(t)
	out := mustRun(t, "read", "--image", img, "EF.ICCID")
	if !strings.Contains(out, "hex      980001012143658709f4") || !strings.Contains(out, "decoded  8900101012345678904") {
		t.Errorf("read EF.ICCID:\n%s", out)
	}
	out = mustRun(t, "read", "--image", img, "MF/EF.DIR", "--record", "1")
	if !strings.Contains(out, `A0000000871002FFFFFFFF8907090000 "USIM"`) {
		t.Errorf("read EF.DIR record 1:\n%s", out)
	}
	r := runBin(t, "", "read", "--image", img, "ADF.USIM/EF.IMSI")
	if r.code != exitNo || !strings.Contains(r.stderr, "6982") || !strings.Contains(r.stderr, "--pin") {
		t.Errorf("IMSI without PIN: exit %d %q", r.code, r.stderr)
	}
	// EF.IMSI is updated under ADM1 and read under PIN1 (TS 31.102 §4.2.2).
	var w readResult
	mustJSON(t, &w, "write", "--image", img, "--adm", "88888888", "--pin", "1234", "ADF.USIM/EF.IMSI", "001010000000042")
	if !w.Written || w.Decoded != "001010000000042" || w.Hex != "080910100000000024" {
		t.Errorf("write IMSI: %+v", w)
	}
	out = mustRun(t, "read", "--image", img, "--pin", "1234", "ADF.USIM/6F07")
	if !strings.Contains(out, "decoded  001010000000042") {
		t.Errorf("IMSI not persisted in the image:\n%s", out)
	}
	msisdn := "4142" + strings.Repeat("ff", 18) + "0791947106004034ffffffffffff"
	out = mustRun(t, "write", "--image", img, "--pin", "1234", "--record", "1", "--hex", msisdn, "ADF.USIM/EF.MSISDN")
	if !strings.Contains(out, `+491760000443 ("AB")`) {
		t.Errorf("write MSISDN:\n%s", out)
	}
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"read", "--image", img, "ADF.USIM"}, exitUsage, "ends at a DF"},
		{[]string{"read", "--image", img, "EF.NOPE"}, exitUsage, "neither a known file name"},
		{[]string{"read", "--image", img, "6F99"}, exitNo, "6A82"},
		{[]string{"read", "--image", img, "--record", "1", "EF.ICCID"}, exitUsage, "transparent EF"},
		{[]string{"read", "--image", img, "--record", "9", "EF.DIR"}, exitUsage, "records 1..2"},
		{[]string{"write", "--image", img, "--adm", "88888888", "ADF.USIM/EF.IMSI", "12"}, exitUsage, "value \"12\""},
		{[]string{"write", "--image", img, "--pin", "1234", "ADF.USIM/EF.SPN", "x"}, exitNo, "6982"},
		{[]string{"write", "--image", img, "ADF.USIM/EF.AD"}, exitUsage, "VALUE or --hex"},
		{[]string{"write", "--image", img, "--adm", "88888888", "ADF.USIM/EF.AD", "x"}, exitUsage, "no typed form"},
		{[]string{"read", "--image", filepath.Join(t.TempDir(), "none.img"), "EF.ICCID"}, exitEnv, "no such file"},
		{[]string{"read", "--image", img, "--reader", "x", "EF.ICCID"}, exitUsage, "not both"},
	} {
		r := runBin(t, "", tc.args...)
		if r.code != tc.code || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("%v: exit %d %q, want exit %d saying %q", tc.args[3:], r.code, r.stderr, tc.code, tc.want)
		}
	}
}

func TestAuthOnImage(t *testing.T) {
	img := newImage(t)
	var res authResult
	mustJSON(t, &res, "auth", "--image", img, "--pin", "1234", "--k", testK, "--opc", testOPc, "--gsm")
	if len(res.Attempts) != 1 || res.Attempts[0].Outcome != "successful 3G authentication" {
		t.Fatalf("first auth: %+v", res)
	}
	for _, what := range []string{"RES", "CK", "IK", "Kc", "GSM SRES", "GSM Kc"} {
		if ok, done := res.Checks[what]; !done || !ok {
			t.Errorf("check %s: done %v ok %v", what, done, ok)
		}
	}
	// The card kept SQN 32 in the image, so the same SQN is not fresh: the
	// card answers AUTS, auth resynchronises (TS 33.102 §6.3.5) and succeeds.
	res = authResult{}
	mustJSON(t, &res, "auth", "--image", img, "--pin", "1234", "--k", testK, "--opc", testOPc)
	if len(res.Attempts) != 2 || res.Attempts[0].AUTS == "" || res.Attempts[0].SQNMS == nil || *res.Attempts[0].SQNMS != 32 || *res.Attempts[1].SQN != 64 {
		t.Fatalf("resync: %+v", res.Attempts)
	}
	// A wrong K makes the card refuse the MAC: 9862, exit 1.
	r := runBin(t, "", "auth", "--image", img, "--pin", "1234", "--k", strings.Repeat("00", 16), "--opc", testOPc)
	if r.code != exitNo || !strings.Contains(r.stderr, "9862") {
		t.Errorf("wrong K: exit %d %q", r.code, r.stderr)
	}
	for _, args := range [][]string{{"auth", "--image", img}, {"auth", "--image", img, "--autn", testK}, {"auth", "--image", img, "--k", testK}} {
		if r := runBin(t, "", args...); r.code != exitUsage {
			t.Errorf("%v: exit %d, want 2: %s", args, r.code, r.stderr)
		}
	}
}

// TestAuthRawMatchesOsmoAucGen sends a vector computed by osmo-auc-gen (an
// independent AuC) to the card with --rand/--autn and compares the card's
// RES, CK and IK with osmo-auc-gen's.
func TestAuthRawMatchesOsmoAucGen(t *testing.T) {
	osmo := systest.LookPath(t, "osmo-auc-gen")
	img := newImage(t)
	for i, sqn := range []uint64{32, 64, 97} {
		rnd := strings.Repeat(strconv.Itoa(i+1), 32)
		ref := fields(runOsmo(t, osmo, "-3", "-a", "MILENAGE", "-k", testK, "-o", testOPc, "-r", rnd, "-s", strconv.FormatUint(sqn, 10), "-f", "8000"))
		var res authResult
		mustJSON(t, &res, "auth", "--image", img, "--pin", "1234", "--rand", rnd, "--autn", ref["AUTN"])
		if res.RES != ref["RES"] || res.CK != ref["CK"] || res.IK != ref["IK"] || res.Kc != ref["Kc"] {
			t.Errorf("SQN %d: card RES %s CK %s IK %s Kc %s; osmo-auc-gen RES %s CK %s IK %s Kc %s",
				sqn, res.RES, res.CK, res.IK, res.Kc, ref["RES"], ref["CK"], ref["IK"], ref["Kc"])
		}
	}
	// The same SQN again is a replay: synchronisation failure, exit 1.
	ref := fields(runOsmo(t, osmo, "-3", "-a", "MILENAGE", "-k", testK, "-o", testOPc, "-r", strings.Repeat("ab", 16), "-s", "97", "-f", "8000"))
	r := runBin(t, "", "--json", "auth", "--image", img, "--pin", "1234", "--rand", strings.Repeat("ab", 16), "--autn", ref["AUTN"])
	var res authResult
	json.Unmarshal([]byte(r.stdout), &res)
	if r.code != exitNo || len(res.Attempts) != 1 || res.Attempts[0].AUTS == "" {
		t.Errorf("replayed SQN: exit %d, %s", r.code, r.stdout)
	}
	// osmo-auc-gen accepts the card's AUTS and recovers SQN.MS = 97.
	if len(res.Attempts) == 1 {
		got := fields(runOsmo(t, osmo, "-3", "-a", "MILENAGE", "-k", testK, "-o", testOPc, "-r", strings.Repeat("ab", 16), "-A", res.Attempts[0].AUTS))
		if got["SQN.MS"] != "97" {
			t.Errorf("osmo-auc-gen recovers SQN.MS %q from the card's AUTS, want 97", got["SQN.MS"])
		}
	}
	_ = exec.ErrNotFound
}

// TestAuthXORCard authenticates a card running the TS 34.108 §8.1.2 XOR
// test algorithm with its default 8-byte RES.
func TestAuthXORCard(t *testing.T) {
	p := profile.Default()
	p.Auth.Algorithm, p.Auth.OPc = profile.XOR, nil
	card, err := usim.New(p)
	if err != nil {
		t.Fatal(err)
	}
	img := filepath.Join(t.TempDir(), "xor.img")
	if err := card.SaveImage(img); err != nil {
		t.Fatal(err)
	}
	card.Close()
	var res authResult
	mustJSON(t, &res, "auth", "--image", img, "--pin", "1234", "--alg", "xor", "--k", testK)
	if !res.Checks["RES"] || !res.Checks["CK"] || len(res.RES) != 16 {
		t.Errorf("xor auth: %+v", res)
	}
	r := runBin(t, "", "auth", "--image", img, "--pin", "1234", "--alg", "xor", "--k", testK, "--res-len", "16")
	if r.code != exitNo || !strings.Contains(r.stderr, "RES differs") {
		t.Errorf("xor with a 16-byte RES: exit %d %q", r.code, r.stderr)
	}
}

// TestInfoWithoutUSIM shows a card whose EF_DIR lists no USIM: the MF-level
// facts are printed and the missing application is named, not a failure.
func TestInfoWithoutUSIM(t *testing.T) {
	p := profile.Default()
	p.Files = map[string]profile.File{"EF.DIR": {Records: []profile.HexBytes{{0x61, 0x09, 0x4F, 0x07, 0xA0, 0x00, 0x00, 0x00, 0x87, 0x10, 0x04}}}}
	card, err := usim.New(p)
	if err != nil {
		t.Fatalf("profile with an ISIM-only EF.DIR: %v", err)
	}
	img := filepath.Join(t.TempDir(), "nousim.img")
	if err := card.SaveImage(img); err != nil {
		t.Fatal(err)
	}
	card.Close()
	out := mustRun(t, "info", "--image", img)
	if !strings.Contains(out, "ICCID     8900101012345678904") || !strings.Contains(out, "ADF.USIM  not read") {
		t.Errorf("info without USIM:\n%s", out)
	}
}

func TestAPDUOnImage(t *testing.T) {
	img := newImage(t)
	var res []apduExchange
	mustJSON(t, &res, "apdu", "--image", img, "00A40004023F0000", "00A40004022FE200", "00B000000A", "80F2000000")
	if len(res) != 4 || res[2].Response != "980001012143658709F4" || res[2].SW != "9000" || res[3].Command != "80F2000000" {
		t.Fatalf("%+v", res)
	}
	if !strings.HasPrefix(res[0].Response, "62") || res[1].Detail != "EF.ICCID (2FE2): by FID, return FCP" {
		t.Errorf("FCP or description: %+v", res[:2])
	}
	// --raw shows T=0 as it is: 61xx, then GET RESPONSE by hand.
	out := mustRun(t, "apdu", "--raw", "--image", img, "00A40004023F0000", "00C000002B")
	if !strings.Contains(out, "< 612B\n") || !strings.Contains(out, "GET RESPONSE 43 bytes → 9000") {
		t.Errorf("--raw:\n%s", out)
	}
	// A refused last command is exit 1, with the answer shown.
	r := runBin(t, "", "apdu", "--image", img, "00A40004026F07")
	if r.code != exitNo || !strings.Contains(r.stdout, "< 6A82") {
		t.Errorf("refused: exit %d\n%s", r.code, r.stdout)
	}
	for _, args := range [][]string{{"apdu", "--image", img}, {"apdu", "--image", img, "00A4"}, {"apdu", "--image", img, "zz"}} {
		if r := runBin(t, "", args...); r.code != exitUsage {
			t.Errorf("%v: exit %d", args, r.code)
		}
	}
}

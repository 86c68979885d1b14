package main

import (
	"encoding/hex"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/uiccsim/uiccsim/usim"
	"github.com/uiccsim/uiccsim/usim/client"
	"github.com/uiccsim/uiccsim/usim/profile"
)

// otaScript rewrites EF_IMSI to 001010000000042 (TS 31.102 §4.2.2) with
// remote APDUs of TS 102 226 §5.1 and reads it back.
var otaScript = []string{"00A40004026F07", "00D6000009080910100000000024", "00B0000009"}

// newOTAImage writes a profile with an OTA key set and the image of its
// card.
func newOTAImage(t *testing.T) (prof, img string) {
	t.Helper()
	dir := t.TempDir()
	prof, img = filepath.Join(dir, "card.json"), filepath.Join(dir, "card.img")
	mustRun(t, "profile", "new", "--ota", "--random-keys", prof)
	p, err := profile.Load(prof)
	if err != nil {
		t.Fatal(err)
	}
	card, err := usim.New(p)
	if err != nil {
		t.Fatal(err)
	}
	defer card.Close()
	if err := card.SaveImage(img); err != nil {
		t.Fatal(err)
	}
	return prof, img
}

func TestOTASendRewritesIMSIOnImage(t *testing.T) {
	prof, img := newOTAImage(t)
	var res otaResult
	mustJSON(t, &res, append([]string{"ota", "send", "--image", img, "--profile", prof}, otaScript...)...)
	if res.PoR == nil || !res.PoR.StatusOK || res.PoR.Executed != 3 || res.APDUs[2].SW != "9000" || res.APDUs[2].Data != "080910100000000024" {
		t.Fatalf("ota send: %+v %+v", res.PoR, res.APDUs)
	}
	if res.TAR != "B00010" || res.SPI != "1619" || len(res.TPDUs) != 1 {
		t.Errorf("header: %+v", res)
	}
	// The script changed EF_IMSI, so the card asks for a REFRESH after the
	// PoR (TS 102 226 §9.2), which the terminal carries out.
	if len(res.Proactive) != 1 || !strings.HasPrefix(res.Proactive[0], "REFRESH") {
		t.Errorf("proactive: %q", res.Proactive)
	}
	// SPI 1639: the PoR comes back as an SMS-SUBMIT of a proactive SEND
	// SHORT MESSAGE (TS 102 225 §5.1.1 b6 of the second octet).
	res = otaResult{}
	mustJSON(t, &res, "ota", "send", "--image", img, "--profile", prof, "--spi", "1639", "00A40004026F07", "00B0000009")
	if res.PoR == nil || !res.PoR.StatusOK || res.APDUs[1].Data != "080910100000000024" {
		t.Errorf("PoR by SMS-SUBMIT: %+v %+v", res.PoR, res.APDUs)
	}
	out := mustRun(t, "read", "--image", img, "--pin", "1234", "ADF.USIM/EF.IMSI")
	if !strings.Contains(out, "decoded  001010000000042") {
		t.Errorf("IMSI after OTA:\n%s", out)
	}
	// A counter not higher than the card's is refused (TS 102 225 §5.1.1
	// counter mode 10): PoR status 02, nothing executed, exit 1.
	r := runBin(t, "", "ota", "send", "--image", img, "--profile", prof, "--counter", "5", "00A40004026F07")
	if r.code != exitNo || !strings.Contains(r.stdout, "CNTR low (02)") || !strings.Contains(r.stdout, "not executed") {
		t.Errorf("replayed counter: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// Keys the card does not hold: the card rejects the checksum.
	r = runBin(t, "", "ota", "send", "--image", img, "--kic", strings.Repeat("11", 16), "--kid", strings.Repeat("22", 16), "00A40004026F07")
	if r.code != exitNo {
		t.Errorf("wrong keys: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestOTASMSEnvelopesWorkOnACard builds the ENVELOPEs with "ota sms
// --envelope" and hands them to an OTA-enabled emulated card (ota/uicc), as
// a modem would after receiving the SMS-DELIVERs.
func TestOTASMSEnvelopesWorkOnACard(t *testing.T) {
	prof, _ := newOTAImage(t)
	tpdus := strings.Fields(mustRun(t, append([]string{"ota", "sms", "--profile", prof}, otaScript...)...))
	if len(tpdus) != 1 {
		t.Fatalf("%d TPDUs", len(tpdus))
	}
	// SMS-DELIVER with TP-UDHI (TS 23.040 §9.2.3.23), TP-PID 7F (USIM data
	// download) and TP-DCS F6 (class 2, 8-bit), UDH IEI 70 (TS 31.115 §4.2).
	if !strings.HasPrefix(tpdus[0], "40") || !strings.Contains(tpdus[0], "7FF6") || !strings.Contains(tpdus[0], "027000") {
		t.Errorf("TPDU %s", tpdus[0])
	}
	envs := strings.Fields(mustRun(t, append([]string{"ota", "sms", "--envelope", "--profile", prof, "--counter", "7"}, otaScript...)...))
	if len(envs) != 1 || !strings.HasPrefix(envs[0], "80C20000") {
		t.Fatalf("envelopes %v", envs)
	}
	p, err := profile.Load(prof)
	if err != nil {
		t.Fatal(err)
	}
	card, err := usim.New(p)
	if err != nil {
		t.Fatal(err)
	}
	defer card.Close()
	cl := client.New(card)
	for _, h := range envs {
		b, _ := hex.DecodeString(h)
		rsp, err := card.Transmit(nil, b)
		if err != nil || len(rsp) < 2 || (rsp[len(rsp)-2] != 0x90 && rsp[len(rsp)-2] != 0x91 && rsp[len(rsp)-2] != 0x61 && rsp[len(rsp)-2] != 0x9F) {
			t.Fatalf("ENVELOPE → % X (%v)", rsp, err)
		}
	}
	if err := cl.VerifyPIN(1, "1234"); err != nil {
		t.Fatal(err)
	}
	imsi, err := cl.ReadIMSI()
	if err != nil || imsi.String() != "001010000000042" {
		t.Errorf("IMSI after the ENVELOPE: %v %v", imsi, err)
	}
}

func TestOTAUsage(t *testing.T) {
	prof, img := newOTAImage(t)
	plain := filepath.Join(t.TempDir(), "plain.json")
	mustRun(t, "profile", "new", plain)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"ota"}, "send or sms"},
		{[]string{"ota", "sms", "--profile", prof}, "at least one APDU"},
		{[]string{"ota", "sms", "--profile", prof, "zz"}, "APDU 1"},
		{[]string{"ota", "sms", "00A40004026F07"}, "--profile"},
		{[]string{"ota", "sms", "--profile", plain, "00A40004026F07"}, "no OTA key set"},
		{[]string{"ota", "sms", "--profile", prof, "--kvn", "9", "00A40004026F07"}, "no key set with KVN 9"},
		{[]string{"ota", "send", "--image", img, "--kic", "00112233445566778899aabbccddeeff", "00A40004026F07"}, "both --kic and --kid"},
		{[]string{"ota", "send", "--image", img, "--kic", "0011", "--kid", "0011", "00A40004026F07"}, "KIc key"},
		{[]string{"ota", "sms", "--profile", prof, "--counter", "0", "00A40004026F07"}, "--counter"},
	} {
		r := runBin(t, "", tc.args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("%v: exit %d %q, want exit 2 saying %q", tc.args, r.code, r.stderr, tc.want)
		}
	}
	var js otaResult
	out := mustRun(t, "--json", "ota", "sms", "--profile", prof, "00A40004026F07")
	if err := json.Unmarshal([]byte(out), &js); err != nil || len(js.TPDUs) != 1 {
		t.Errorf("--json sms: %v %s", err, out)
	}
}

// TestOTAThroughPCSC serves an OTA-enabled card with "uiccsim serve" and
// rewrites its EF_IMSI with "uiccsim ota send" through pcscd + vpcd.
func TestOTAThroughPCSC(t *testing.T) {
	prof, _ := newOTAImage(t)
	s := startServe(t, "--profile", prof, "-v")
	out := mustRun(t, append([]string{"ota", "send", "--reader", s.reader, "--profile", prof}, otaScript...)...)
	if !strings.Contains(out, "PoR       PoR OK (00)") || !strings.Contains(out, "APDU 3    00 B0 00 00 09: 9000") {
		t.Errorf("ota send:\n%s", out)
	}
	out = mustRun(t, "read", "--reader", s.reader, "--pin", "1234", "ADF.USIM/EF.IMSI")
	if !strings.Contains(out, "decoded  001010000000042") {
		t.Errorf("IMSI after OTA:\n%s", out)
	}
	if trace := s.stop(t); !strings.Contains(trace, "ENVELOPE SMS-PP download") {
		t.Errorf("serve -v does not show the ENVELOPE:\n%s", trace)
	}
}

func TestCommandDetails(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"D00981030101040202818290", "010104"},   // REFRESH, UICC reset
		{"D0818281030113000202818390", "011300"}, // two-byte length form
		{"D009010301210002028102", "012100"},     // tag without CR bit
		{"D00982020181", ""},                     // no command details first
		{"D0", ""}, {"D081", ""}, {"9000", ""}, {"", ""},
	} {
		b, _ := hex.DecodeString(tc.in)
		if got := hex.EncodeToString(commandDetails(b)); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.in, got, tc.want)
		}
	}
}

func FuzzCommandDetails(f *testing.F) {
	f.Add([]byte{0xD0, 0x09, 0x81, 0x03, 0x01, 0x01, 0x04, 0x02, 0x02, 0x81, 0x82})
	f.Add([]byte{0xD0, 0x81})
	f.Fuzz(func(t *testing.T, b []byte) {
		if d := commandDetails(b); d != nil && len(d) != 3 {
			t.Fatalf("details %X", d)
		}
	})
}

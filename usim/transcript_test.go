package usim

import (
	"bytes"
	"testing"

	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/usim/client"
	"github.com/uiccsim/uiccsim/usim/ef"
	"github.com/uiccsim/uiccsim/usim/profile"
)

// t0 sends cmd as pySim-shell does on T=0 (../shared/notes/pc-sc-tool-startup.md):
// a case-4 command goes without Le, 61xx is followed by GET RESPONSE
// 00C00000xx; it returns the data and final status word.
func t0(t *testing.T, c *Card, cmd string) ([]byte, apdu.StatusWord) {
	t.Helper()
	data, sw := tx(t, c, hx(t, cmd))
	if sw.SW1() == 0x61 {
		if len(data) != 0 {
			t.Fatalf("%s: data with 61xx", cmd)
		}
		return tx(t, c, []byte{0x00, 0xC0, 0x00, 0x00, sw.SW2()})
	}
	return data, sw
}

func reset(t *testing.T, c *Card) {
	t.Helper()
	atr, err := c.Reset(true)
	if err != nil || len(atr) < 2 || atr[0] != 0x3B {
		t.Fatalf("reset: %X %v", atr, err)
	}
}

// TestPySimShellStartup replays the start-up sequence of pySim-shell
// (../shared/notes/pc-sc-tool-startup.md, steps 1–4) against the card.
func TestPySimShellStartup(t *testing.T) {
	c, err := New(nil)
	if err != nil {
		t.Fatal(err)
	}
	reset(t, c)
	// 1. Card detection: SELECT MF (ignored), SELECT EF.DIR must be 61xx
	// then an FCP whose LCSI is 05.
	t0(t, c, "00A40004023F00")
	fcp, sw := t0(t, c, "00A40004022F00")
	f, err := client.ParseFCP(fcp)
	if sw != apdu.SWOK || err != nil || f.LifeCycle != ef.LCSIActivated {
		t.Fatalf("EF.DIR select: %X %v %v", fcp, sw, err)
	}
	// 2. Profile probing, each candidate after a reset: eUICC probes need
	// 6A82; the UICC probe is SELECT MF.
	reset(t, c)
	if _, sw := tx(t, c, hx(t, "00A4040410A0000005591010FFFFFFFF890000010000")); sw != apdu.SWFileNotFound {
		t.Errorf("ISD-R probe: %v", sw)
	}
	reset(t, c)
	if _, sw := tx(t, c, hx(t, "00A4040410A0000005591010FFFFFFFF890000020000")); sw != apdu.SWFileNotFound {
		t.Errorf("ECASD probe: %v", sw)
	}
	if _, sw := tx(t, c, hx(t, "00CA005A00")); sw.OK() {
		t.Errorf("GET DATA EID answered %v on a UICC", sw)
	}
	reset(t, c)
	if _, sw := t0(t, c, "00A40004023F00"); sw != apdu.SWOK {
		t.Fatalf("UICC probe: %v", sw)
	}
	// 3. Runtime state: MF, add-on DFs absent, EF.DIR with 80 and 82,
	// every record read with 00B2nn04ll, unknown applications 6A82.
	t0(t, c, "00A40004023F00")
	for _, df := range []string{"7F20", "7FE0", "7F25"} {
		if _, sw := tx(t, c, hx(t, "00A4000402"+df)); sw != apdu.SWFileNotFound {
			t.Errorf("SELECT %s: %v", df, sw)
		}
	}
	fcp, _ = t0(t, c, "00A40004022F00")
	f, err = client.ParseFCP(fcp)
	if err != nil || f.Size <= 0 || !f.Descriptor.IsRecord() {
		t.Fatalf("EF.DIR FCP lacks 80/82: %X %v", fcp, err)
	}
	n := f.Size / int(f.Descriptor.RecordLen)
	var apps []ef.Application
	for i := 1; i <= n; i++ {
		rec, sw := tx(t, c, []byte{0x00, 0xB2, byte(i), 0x04, byte(f.Descriptor.RecordLen)})
		if sw != apdu.SWOK || len(rec) != int(f.Descriptor.RecordLen) {
			t.Fatalf("READ RECORD %d: %d bytes %v", i, len(rec), sw)
		}
		if a, err := ef.ParseApplication(rec); err == nil {
			apps = append(apps, a)
		}
	}
	if len(apps) != 1 || !apps[0].IsUSIM() {
		t.Fatalf("EF.DIR applications %v", apps)
	}
	for _, aid := range []string{"07A0000000871004", "09A00000015141434C00", "08A000000003000000"} {
		if _, sw := tx(t, c, hx(t, "00A40404"+aid+"00")); sw != apdu.SWFileNotFound {
			t.Errorf("SELECT AID %s: %v", aid, sw)
		}
	}
	// The USIM itself is selectable by its AID from EF.DIR.
	aidAPDU := append([]byte{0x00, 0xA4, 0x04, 0x04, byte(len(apps[0].AID))}, apps[0].AID...)
	if _, sw := tx(t, c, aidAPDU); sw.SW1() != 0x61 {
		t.Errorf("SELECT USIM: %v", sw)
	}
	// 4. Reset, MF, EF.ICCID and READ BINARY of the FCP's size.
	reset(t, c)
	t0(t, c, "00A40004023F00")
	fcp, _ = t0(t, c, "00A40004022FE2")
	f, _ = client.ParseFCP(fcp)
	if f.Size != 10 {
		t.Fatalf("EF.ICCID size %d", f.Size)
	}
	iccid, sw := tx(t, c, hx(t, "00B000000A"))
	if sw != apdu.SWOK || !bytes.Equal(iccid, hx(t, "980001012143658709F4")) {
		t.Errorf("EF.ICCID %X %v", iccid, sw)
	}
	// Habits: STATUS as 80F2000000 (Le=00 = 256) and as case 1; VERIFY
	// ADM1 with 8 bytes; a re-SELECT of the current DF.
	if data, sw := tx(t, c, hx(t, "80F2000000")); sw != apdu.SWOK || data[0] != 0x62 {
		t.Errorf("STATUS Le=00: %X %v", data, sw)
	}
	if _, sw := tx(t, c, hx(t, "80F20000")); sw.SW1() != 0x61 && sw != apdu.SWOK {
		t.Errorf("STATUS case 1: %v", sw)
	}
	expect(t, c, "0020000A083838383838383838", "9000")
	if _, sw := t0(t, c, "00A40004023F00"); sw != apdu.SWOK {
		t.Errorf("re-SELECT MF: %v", sw)
	}
}

// TestClientAgainstCard drives the emulated card with the typed client.
func TestClientAgainstCard(t *testing.T) {
	v := loadVectors(t)
	c := cardForExample(t, nil)
	cl := client.New(c)
	iccid, err := cl.ReadICCID()
	if err != nil || iccid.String() != "8900101012345678904" {
		t.Fatalf("ICCID %v %v", iccid, err)
	}
	if _, err := cl.ReadIMSI(); !errorsIs(err, apdu.SWSecurityNotSatisfied) {
		t.Errorf("IMSI before PIN: %v", err)
	}
	if err := cl.VerifyPIN(ef.KeyPIN1, "0000"); !errorsIs(err, apdu.SWRetries(2)) {
		t.Errorf("wrong PIN: %v", err)
	}
	if n, ok, err := cl.PINStatus(ef.KeyPIN1); n != 2 || ok || err != nil {
		t.Errorf("PIN status %d %v %v", n, ok, err)
	}
	if err := cl.VerifyPIN(ef.KeyPIN1, "1234"); err != nil {
		t.Fatal(err)
	}
	imsi, err := cl.ReadIMSI()
	if err != nil || imsi.String() != "001010123456789" {
		t.Errorf("IMSI %v %v", imsi, err)
	}
	ad, err := cl.ReadAD()
	if err != nil || ad.MNCLen != 2 {
		t.Errorf("AD %v %v", ad, err)
	}
	ust, err := cl.ReadUST()
	if err != nil || !ust.Has(ef.ServiceGSMAccess) {
		t.Errorf("UST %v %v", ust, err)
	}
	spn, err := cl.ReadSPN()
	if err != nil || spn.Name != "uiccsim" {
		t.Errorf("SPN %v %v", spn, err)
	}
	if m, err := cl.ReadMSISDN(); err != nil || len(m) != 0 {
		t.Errorf("MSISDN %v %v", m, err)
	}
	if _, err := cl.Select(0x7F20); !errorsIs(err, apdu.SWFileNotFound) {
		t.Errorf("SELECT 7F20: %v", err)
	}
	var rand, autn [16]byte
	copy(rand[:], hx(t, v.Sets[0].RAND))
	copy(autn[:], hx(t, v.Sets[0].AUTN))
	if _, err := cl.SelectUSIM(); err != nil {
		t.Fatal(err)
	}
	r, err := cl.Authenticate(rand, autn)
	if err != nil || r.Outcome != client.AuthSuccess || !r.HasKc {
		t.Fatalf("AUTHENTICATE %v %v", r, err)
	}
	r, err = cl.Authenticate(rand, autn)
	if err != nil || r.Outcome != client.AuthSyncFailure || !bytes.Equal(r.AUTS[:], hx(t, v.Sets[0].Resync.AUTS)) {
		t.Fatalf("replay %v %v", r, err)
	}
	autn[15] ^= 1
	if _, err := cl.Authenticate(rand, autn); !errorsIs(err, apdu.SWAuthIncorrectMAC) {
		t.Errorf("MAC failure: %v", err)
	}
}

// TestModemReadsBySFI reads every file of the layout that has an SFI the
// way modems do (READ BINARY with P1 = 80|SFI, READ RECORD with P2 =
// SFI<<3|4) and compares with the profile's content: the SFIs are those of
// TS 102 221 §13 and TS 31.102 §4.2 (EF.AD 03, EF.EPSLOCI 1E, ...).
func TestModemReadsBySFI(t *testing.T) {
	p := profile.Default()
	c, err := New(p)
	if err != nil {
		t.Fatal(err)
	}
	c.Runtime().SetT1(true)
	expect(t, c, verifyPIN1, "9000")
	for _, s := range profile.Layout {
		if s.SFI == 0 {
			continue
		}
		if s.Dir() == profile.DirUSIM {
			tx(t, c, hx(t, selectUSIM))
		} else {
			tx(t, c, hx(t, "00a40000023f00"))
		}
		want, _ := p.Content(s.Path)
		var got []byte
		if s.Structure == ef.Transparent {
			data, sw := tx(t, c, []byte{0x00, 0xB0, 0x80 | s.SFI, 0x00, byte(s.Size)})
			if sw != apdu.SWOK {
				t.Errorf("%s: READ BINARY SFI %02X: %v", s.Path, s.SFI, sw)
				continue
			}
			got = data
		} else {
			for r := 1; r <= s.Records; r++ {
				data, sw := tx(t, c, []byte{0x00, 0xB2, byte(r), s.SFI<<3 | 4, byte(s.RecordLen)})
				if sw != apdu.SWOK {
					t.Errorf("%s: READ RECORD %d SFI %02X: %v", s.Path, r, s.SFI, sw)
				}
				got = append(got, data...)
			}
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s by SFI %02X: %X, want %X", s.Path, s.SFI, got, want)
		}
	}
	want := map[string]uint8{"ADF.USIM/EF.AD": 0x03, "ADF.USIM/EF.EPSLOCI": 0x1E, "ADF.USIM/EF.IMSI": 0x07, "EF.DIR": 0x1E, "EF.ICCID": 0x02}
	for path, sfi := range want {
		if s, _ := profile.Spec(path); s.SFI != sfi {
			t.Errorf("%s SFI %02X, want %02X", path, s.SFI, sfi)
		}
	}
}

package client_test

import (
	"github.com/uiccsim/uiccsim/usim/client"

	"bytes"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"

	"github.com/uiccsim/uiccsim/apdu/atr"
	"github.com/uiccsim/uiccsim/apdu/pcsc"
	"github.com/uiccsim/uiccsim/milenage"
	"github.com/uiccsim/uiccsim/usim/ef"
	"github.com/uiccsim/uiccsim/usim/jc"
	"github.com/uiccsim/uiccsim/usim/profile"
)

// FCP templates (ETSI TS 102 221 §11.1.1.3) the default card must answer
// byte for byte. Every DO is fixed by the profile's layout
// (usim/profile.Layout), the card's proprietary DO (usim.Proprietary) and
// the default PIN settings; TestStartupFCPsAgreeWithTheProfile checks
// sizes, record lengths and SFIs against the layout.
var (
	// MF: 82 DF descriptor (78 = shareable DF, 21 coding byte), 83 3F00,
	// A5 proprietary (80 UICC characteristics 71, 83 available memory
	// 0003A738, 87 supported commands 01 = TERMINAL CAPABILITY), 8A LCSI
	// 05 (operational, activated), 8B EF.ARR 2F06 record 03, C6 PIN status
	// template: PS_DO 90 01 C0 (both listed keys enabled), key references
	// 83 01 (PIN1) and 83 0A (ADM1).
	fcpMF = "6229" + "82027821" + "83023F00" + "A50C" + "800171" + "83040003A738" + "870101" +
		"8A0105" + "8B032F0603" + "C609" + "9001C0" + "830101" + "83010A"
	// EF.DIR: 82 linear fixed (42 = shareable linear fixed EF, 21, record
	// length 0020, 02 records), 83 2F00, 8A 05, 8B 2F06 record 01, C6 as
	// the MF's (modems read it in EF FCPs too), 80 file size 0040, 88 SFI
	// F0 (= 1E << 3, TS 102 221 §13.1).
	fcpDIR = "6225" + "82054221002002" + "83022F00" + "8A0105" + "8B032F0601" + "C609" + "9001C0" + "830101" + "83010A" +
		"80020040" + "8801F0"
	// EF.ICCID: 82 41 21 (shareable transparent EF), 83 2FE2, 8A 05, 8B
	// 2F06 record 01, C6, 80 file size 000A, 88 SFI 10 (= 02 << 3, TS 102
	// 221 §13.2).
	fcpICCID = "6222" + "82024121" + "83022FE2" + "8A0105" + "8B032F0601" + "C609" + "9001C0" + "830101" + "83010A" +
		"8002000A" + "880110"
	// ADF.USIM: 82 78 21 (ADF), 83 7FF0 (usim.ADFUSIMFID), 84 DF name =
	// the AID of EF.DIR record 1, A5 as the MF's, 8A 05, 8B 2F06 record
	// 03, C6: PS_DO 90 01 E0 (three keys enabled) for PIN1, PIN2 (81) and
	// ADM1 (0A).
	fcpADFUSIM = "623E" + "82027821" + "83027FF0" + "8410" + usimAIDHex + "A50C" + "800171" + "83040003A738" + "870101" +
		"8A0105" + "8B032F0603" + "C60C" + "9001E0" + "830101" + "830181" + "83010A"
	// usimAIDHex is the USIM AID of the default EF.DIR (TS 101 220 Annex
	// E: RID A000000087, application code 1002, country FFFF, provider
	// FFFFFFFF, 89 07 09 00 00).
	usimAIDHex = "A0000000871002FFFFFFFF8907090000"
)

// The FCP templates above agree with the profile's layout: file sizes
// (80), record lengths and counts (82) and SFIs (88) are those of
// usim/profile.Layout (TS 102 221 §13, TS 31.102 §4.2).
func TestStartupFCPsAgreeWithTheProfile(t *testing.T) {
	for _, tc := range []struct {
		fcp, path string
		fid       uint16
	}{
		{fcpDIR, "EF.DIR", client.FIDDIR},
		{fcpICCID, "EF.ICCID", client.FIDICCID},
	} {
		f, err := client.ParseFCP(client.HexT(t, tc.fcp))
		if err != nil {
			t.Fatalf("%s: %v", tc.path, err)
		}
		s, ok := profile.Spec(tc.path)
		if !ok {
			t.Fatalf("%s not in the layout", tc.path)
		}
		if f.FID != tc.fid || f.Size != s.FileSize() || f.SFI != int(s.SFI) || f.LifeCycle != ef.LCSIActivated {
			t.Errorf("%s: FID %04X size %d SFI %d LCSI %v; layout %v size %d SFI %d", tc.path, f.FID, f.Size, f.SFI, f.LifeCycle, s.Path, s.FileSize(), s.SFI)
		}
		if s.Structure != ef.Transparent && (int(f.Descriptor.RecordLen) != s.RecordLen || f.Records() != s.Records) {
			t.Errorf("%s: %d records of %d, layout %d of %d", tc.path, f.Records(), f.Descriptor.RecordLen, s.Records, s.RecordLen)
		}
	}
	for _, fcp := range []string{fcpMF, fcpADFUSIM} {
		b := client.HexT(t, fcp)
		if int(b[1]) != len(b)-2 {
			t.Errorf("FCP %s: length byte %02X for %d bytes", fcp, b[1], len(b)-2)
		}
		if _, err := client.ParseFCP(b); err != nil {
			t.Errorf("FCP %s: %v", fcp, err)
		}
	}
}

// pySimLink plays pySim-shell's side of a T=0 link over a raw apdu/pcsc
// connection (no Le on case-4 commands; 61xx followed by GET RESPONSE
// 00C00000xx; ../shared/notes/pc-sc-tool-startup.md) and keeps the
// transcript for failure messages.
type pySimLink struct {
	t   *testing.T
	pc  *pcsc.Card
	log []string
}

func (l *pySimLink) fail(format string, args ...any) {
	l.t.Helper()
	l.t.Fatalf("%s\ntranscript:\n  %s", fmt.Sprintf(format, args...), strings.Join(l.log, "\n  "))
}

// reset is pySim's card reset (SCardReconnect with SCARD_RESET_CARD): the
// ATR must be the realistic UICC ATR again.
func (l *pySimLink) reset() {
	l.t.Helper()
	a, err := l.pc.Reset(false)
	l.log = append(l.log, fmt.Sprintf("RESET -> ATR %X", a))
	if err != nil || !bytes.Equal(a, jc.DefaultATR) {
		l.fail("reset: ATR %X, %v; want %X", a, err, jc.DefaultATR)
	}
}

// expect sends cmd (hex) and checks the whole R-APDU (data ‖ SW1 SW2)
// against one of want (hex; several when real UICCs differ).
func (l *pySimLink) expect(cmd string, want ...string) []byte {
	l.t.Helper()
	c := client.HexT(l.t, cmd)
	r, err := l.pc.Transmit(nil, c)
	l.log = append(l.log, fmt.Sprintf("%X -> %X", c, r))
	if err != nil {
		l.fail("%s: %v", cmd, err)
	}
	for _, w := range want {
		if bytes.Equal(r, client.HexT(l.t, w)) {
			return r[:len(r)-2]
		}
	}
	l.fail("%s answered %X, want %s", cmd, r, strings.Join(want, " or "))
	return nil
}

// withData sends a case-4 (or case-1/2) command whose data comes with 61xx
// on T=0: the card must announce exactly len(want) bytes, and GET
// RESPONSE 00C00000xx must return want ‖ 9000.
func (l *pySimLink) withData(cmd, want string) []byte {
	l.t.Helper()
	n := len(client.HexT(l.t, want))
	l.expect(cmd, fmt.Sprintf("61%02X", n))
	return l.expect(fmt.Sprintf("00C00000%02X", n), want+"9000")
}

// bcdSwapped codes a digit string as EF_ICCID does (TS 102 221 §13.2: BCD,
// low nibble first, F-padded), written here independently of package ef.
func bcdSwapped(digits string) string {
	if len(digits)%2 == 1 {
		digits += "F"
	}
	var b strings.Builder
	for i := 0; i < len(digits); i += 2 {
		b.WriteByte(digits[i+1])
		b.WriteByte(digits[i])
	}
	return b.String()
}

// The start-up sequence of pySim-shell (../shared/notes/pc-sc-tool-startup.md,
// steps 1-4 and the habits it lists) runs through the real pcscd + vpcd on
// T=0 against a served default card with its realistic UICC ATR, every
// command as pySim-shell puts it on a T=0 link and every answer checked
// byte for byte as a real UICC gives it.
func TestPySimShellStartupThroughPCSCD(t *testing.T) {
	pc, p := serveDefault(t)
	l := &pySimLink{t: t, pc: pc}

	// The ATR: a UICC offering T=0 only (ISO/IEC 7816-3 §8, TS 102 221 §6.3).
	a0, err := pc.ATR()
	if err != nil || !bytes.Equal(a0, jc.DefaultATR) {
		t.Fatalf("ATR %X, %v", a0, err)
	}
	parsed, err := atr.Parse(a0)
	if err != nil || !parsed.Protocols().Has(0) || parsed.Protocols().Has(1) {
		t.Fatalf("ATR %X: protocols %v, %v; want T=0 only", a0, parsed.Protocols(), err)
	}

	// 1. Card detection: SELECT MF (result ignored by the tool), SELECT
	// EF.DIR answers 61xx with an FCP whose LCSI is 05, so the tool does
	// not fall back to the CLA A0 GSM SIM probe.
	l.reset()
	l.withData("00A40004023F00", fcpMF)
	dir, err := client.ParseFCP(l.withData("00A40004022F00", fcpDIR))
	if err != nil || dir.LifeCycle != ef.LCSIActivated {
		t.Fatalf("EF.DIR FCP: %v, LCSI %v", err, dir.LifeCycle)
	}

	// 2. Profile probing, a reset before each candidate. eUICC probes
	// (SGP.22/SGP.32 ISD-R, SGP.02 ECASD) answer 6A82; GET DATA EID is not
	// a UICC command (6D00 INS not supported, or 6A88 referenced data not
	// found on GlobalPlatform cards); the UICC probe is SELECT MF.
	l.reset()
	l.expect("00A4040410A0000005591010FFFFFFFF8900000100", "6A82")
	l.reset()
	l.expect("00A4040410A0000005591010FFFFFFFF8900000200", "6A82")
	l.expect("00CA005A00", "6D00", "6A88")
	l.reset()
	l.withData("00A40004023F00", fcpMF)

	// 3. Runtime state: SELECT MF again (already current), the add-on DFs
	// absent, EF.DIR read record by record with the count from 80 / 82.
	l.withData("00A40004023F00", fcpMF)
	for _, df := range []string{"7F20", "7FE0", "7F25"} {
		l.expect("00A4000402"+df, "6A82")
	}
	dir, err = client.ParseFCP(l.withData("00A40004022F00", fcpDIR))
	if err != nil {
		t.Fatal(err)
	}
	recLen := int(dir.Descriptor.RecordLen)
	n := dir.Size / recLen // pySim's count: file size / record length
	content, err := p.Content("EF.DIR")
	if err != nil {
		t.Fatal(err)
	}
	if n*recLen != len(content) {
		t.Fatalf("EF.DIR: %d records of %d bytes, profile content %d bytes", n, recLen, len(content))
	}
	var apps []ef.Application
	for i := 1; i <= n; i++ {
		want := content[(i-1)*recLen : i*recLen]
		rec := l.expect(fmt.Sprintf("00B2%02X04%02X", i, recLen), fmt.Sprintf("%X9000", want))
		if a, err := ef.ParseApplication(rec); err == nil {
			apps = append(apps, a)
		}
	}
	if len(apps) != 1 || !apps[0].IsUSIM() || fmt.Sprintf("%X", apps[0].AID) != usimAIDHex {
		t.Fatalf("EF.DIR lists %v, want the USIM %s only", apps, usimAIDHex)
	}
	// Known applications absent from EF.DIR, SELECT by AID with P2=04
	// (Le stripped on T=0): ISIM, ARA-M, the ISD.
	for _, aid := range []string{"A0000000871004", "A00000015141434C00", "A000000003000000"} {
		l.expect(fmt.Sprintf("00A40404%02X%s", len(aid)/2, aid), "6A82")
	}
	// The USIM by its EF.DIR AID, then re-selected while current.
	l.withData("00A4040410"+usimAIDHex, fcpADFUSIM)
	l.withData("00A4040410"+usimAIDHex, fcpADFUSIM)

	// 4. Reset, SELECT MF, SELECT EF.ICCID and READ BINARY of the size in
	// FCP tag 80; reading at offset = file size answers 6B00.
	l.reset()
	l.withData("00A40004023F00", fcpMF)
	iccid, err := client.ParseFCP(l.withData("00A40004022FE2", fcpICCID))
	if err != nil {
		t.Fatal(err)
	}
	l.expect(fmt.Sprintf("00B00000%02X", iccid.Size), bcdSwapped(p.ICCID)+"9000")
	l.expect(fmt.Sprintf("00B000%02X01", iccid.Size), "6B00")

	// Habits: STATUS 80F2000000 (Le=00 means 256: the whole FCP of the
	// current DF), as a case-1 APDU (61xx, then GET RESPONSE), and with a
	// short Le (6Cxx, resent with Le=xx).
	mfLen := fmt.Sprintf("%02X", len(client.HexT(t, fcpMF)))
	l.expect("80F2000000", fcpMF+"9000")
	l.withData("80F20000", fcpMF)
	l.expect("80F2000001", "6C"+mfLen)
	l.expect("80F20000"+mfLen, fcpMF+"9000")
	// VERIFY: empty (a case-1 APDU) gives the tries left; ADM1 and PIN1
	// FF-padded to 8 bytes.
	l.expect("00200001", fmt.Sprintf("63C%X", p.PINs.PIN1.Retries))
	l.expect("0020000A08"+hex.EncodeToString([]byte(p.PINs.ADM1.Value)), "9000")
	pin1 := []byte(p.PINs.PIN1.Value)
	for len(pin1) < 8 {
		pin1 = append(pin1, 0xFF)
	}
	l.expect("0020000108"+hex.EncodeToString(pin1), "9000")

	// AUTHENTICATE as pySim-shell sends it (00 88 00 81 22 10 RAND 10 AUTN,
	// Le stripped on T=0; the start-up note's "00880081221010 RAND" repeats
	// the 10 by mistake: Lc 22 = 34 bytes is 10 ‖ RAND ‖ 10 ‖ AUTN, as in
	// TS 31.102 §7.1.2 and the worked example of
	// testdata/milenage-ts35208-sets1-6.json) with a vector from milenage's network side; the
	// answer DB 08 RES 10 CK 10 IK 08 Kc (TS 31.102 §7.1.2.1) is
	// assembled here from the vector, not by the card's code.
	l.withData("00A4040410"+usimAIDHex, fcpADFUSIM)
	alg := networkSide(p)
	var rand milenage.RAND
	copy(rand[:], client.HexT(t, "23553CBE9637A89D218AE64DAE47BF35"))
	sqn, _ := milenage.SQNScheme{INDBits: uint8(p.Auth.SQN.INDBits)}.Join(1, 0)
	vec := milenage.NewVector(alg, rand, sqn, 0x8000)
	sres, kc := vec.Triplet()
	// RES, CK, IK and Kc depend on RAND only: with TS 35.208 set 1's RAND
	// the answer is the published worked example whatever the SQN.
	ex, _ := client.LoadAuthT(t)
	res3G := fmt.Sprintf("DB%02X%X10%X10%X08%X", vec.XRES.Len(), vec.XRES.Bytes(), vec.CK[:], vec.IK[:], kc[:])
	if !strings.EqualFold(res3G, ex.WithKc.Data) {
		t.Fatalf("network side %s differs from the published example %s", res3G, ex.WithKc.Data)
	}
	l.withData(fmt.Sprintf("008800812210%X10%X", rand[:], vec.AUTN[:]), res3G)
	// Replayed: synchronisation failure DC 0E AUTS, AUTS checked by the AuC.
	// The expected AUTS is TS 33.102 §6.3.3's SQN_MS ⊕ AK* ‖ MAC-S for
	// SQN_MS = the SQN just accepted (milenage.ResyncToken, checked against
	// the TS 35.208 resync vectors in package milenage).
	wantAUTS := milenage.ResyncToken(alg, rand, sqn)
	auts := l.withData(fmt.Sprintf("008800812210%X10%X", rand[:], vec.AUTN[:]), fmt.Sprintf("DC0E%X", wantAUTS[:]))
	if got, err := milenage.VerifyAUTS(alg, rand, milenage.AUTS(auts[2:])); err != nil || got != sqn {
		t.Fatalf("AUTS carries %v, %v; want %v", got, err, sqn)
	}
	// GSM context, P2=80: 04 SRES 08 Kc (TS 31.102 §7.1.2.2).
	resGSM := fmt.Sprintf("04%X08%X", sres[:], kc[:])
	if !strings.EqualFold(resGSM, ex.GSM.Data) {
		t.Fatalf("network side %s differs from the published example %s", resGSM, ex.GSM.Data)
	}
	l.withData(fmt.Sprintf("008800801110%X", rand[:]), resGSM)
	// A bad MAC: 9862, with no data.
	bad := vec.AUTN
	bad[15] ^= 0x80
	l.expect(fmt.Sprintf("008800812210%X10%X", rand[:], bad[:]), "9862")
	if testing.Verbose() {
		t.Logf("transcript:\n  %s", strings.Join(l.log, "\n  "))
	}
}

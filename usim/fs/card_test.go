package fs

import (
	"encoding/hex"
	"strings"
	"testing"

	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/usim/jc"
	"github.com/uiccsim/uiccsim/usim/store"
)

func hx(s string) []byte {
	b, err := hex.DecodeString(strings.NewReplacer(" ", "", "\n", "", "\t", "").Replace(s))
	if err != nil {
		panic(err)
	}
	return b
}

// Access rules (ETSI TS 102 221 §9.2.4 expanded format) used by the test
// card. Records 4 and 5 are the EF_ARR records of ef-codecs.json
// (pysim.ef.ts_102_221.EF_ARR.1 and .0).
var testRules = []string{
	1:  "8001019000 80011AA40683010A950108",                                                      // read ALW; update+(de)activate ADM1
	2:  "800101A40683010195010880011AA40683010A950108",                                           // read PIN1; update+(de)activate ADM1
	3:  "8001019000 8001029700",                                                                  // read ALW; update NEV
	4:  "80010190008001029700800118a40683010a9501088401d4a40683010a950108",                       // vector EF_ARR.1
	5:  "800101a40683010a950108800106900080016097008401d4a40683010a950108",                       // vector EF_ARR.0
	6:  "800101A010A40683010195010 8A406830181950108 800102AF10A406830101950108A40683010A950108", // read PIN1 OR PIN2; update PIN1 AND ADM1
	7:  "800103A406830181950108 8001189000",                                                      // read+update PIN2; (de)activate ALW
	8:  "8001019000 800102A406830101950108 8401 32 A406830181950108",                             // read ALW; update PIN1; INCREASE (INS 32) PIN2
	9:  "80011B9000",                                                                             // everything ALW
	10: "800101A406830101950108 80011AA40683010A950108",                                          // read PIN1; update ADM1 (EF.IMSI)
}

const arrRecLen = 48

func arrData() []byte {
	var d []byte
	for i := 1; i < len(testRules); i++ {
		r := hx(testRules[i])
		rec := make([]byte, arrRecLen)
		for j := range rec {
			rec[j] = 0xFF
		}
		copy(rec, r)
		d = append(d, rec...)
	}
	return d
}

var (
	usimAID = hx("A0000000871002FF49FF0589")
	isimAID = hx("A0000000871004FF49FF0589")
	// The A5 proprietary DO of the real-card FCPs in ef-codecs.json.
	testProprietary = hx("80017183040003A738870101")
	imsi            = hx("082910101032547698")
)

type testCard struct {
	rt                     *jc.Runtime
	fs                     *FS
	st                     *store.Store
	adf, imsiEF, ecc, acm  Node
	dir, iccid, arrMF, sms Node
}

func arr(rec uint8) ARRRef    { return ARRRef{FID: 0x2F06, Record: rec} }
func arrADF(rec uint8) ARRRef { return ARRRef{FID: 0x6F06, Record: rec} }

// buildCard makes the test UICC: MF (2F06 EF.ARR, 2F00 EF.DIR, 2FE2
// EF.ICCID, 2F05 EF.PL), ADF.USIM 7FD0 (6F06 EF.ARR, 6F07 EF.IMSI, 6FB7
// EF.ECC, 6F39 EF.ACM cyclic, 6F3C EF.SMS linear, DF 5F3B with 4F20),
// ADF.ISIM 7FB0; PIN1 1234 (disabled, PUK 12345678), PIN2 5678 (PUK2
// 87654321), ADM1 88888888.
func buildCard(t testing.TB, o Options) *testCard {
	t.Helper()
	st := store.New(store.Options{})
	f, err := New(st, Spec{Name: "MF", ARR: arr(1), PINs: []KeyRef{KeyPIN1, KeyADM1, KeyADM2}}, o)
	if err != nil {
		t.Fatal(err)
	}
	c := &testCard{fs: f, st: st}
	must := func(n Node, err error) Node {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	mf := f.MF()
	c.arrMF = must(f.AddEF(mf, Spec{FID: 0x2F06, SFI: 6, Name: "EF.ARR", Structure: LinearFixed, RecordLen: arrRecLen, Records: len(testRules) - 1, Data: arrData(), ARR: arr(3)}))
	dir := append(hx("61194F10A0000000871002FFFFFFFF890709000050055553696D31"), hx("FFFFFFFFFFFFFFFF")...)
	dir = append(dir, hx("61194f10a0000000871004ffffffff890709000050054953696d31FFFFFFFFFFFFFFFF")...)
	c.dir = must(f.AddEF(mf, Spec{FID: 0x2F00, SFI: 30, Name: "EF.DIR", Structure: LinearFixed, RecordLen: 35, Records: 3, Data: dir, ARR: arr(1)}))
	c.iccid = must(f.AddEF(mf, Spec{FID: 0x2FE2, SFI: 2, Name: "EF.ICCID", Size: 10, Data: hx("98103254769810325476"), ARR: arr(3)}))
	must(f.AddEF(mf, Spec{FID: 0x2F05, SFI: 5, Name: "EF.PL", Size: 4, Data: []byte("en"), ARR: arr(1)}))
	c.adf = must(f.AddADF(Spec{FID: 0x7FD0, Name: "ADF.USIM", AID: usimAID, ARR: arr(1), PINs: []KeyRef{KeyPIN1, KeyPIN2, KeyADM1, KeyADM2}}))
	must(f.AddEF(c.adf, Spec{FID: 0x6F06, SFI: 0x17, Name: "EF.ARR", Structure: LinearFixed, RecordLen: arrRecLen, Records: len(testRules) - 1, Data: arrData(), ARR: arrADF(3)}))
	c.imsiEF = must(f.AddEF(c.adf, Spec{FID: 0x6F07, SFI: 7, Name: "EF.IMSI", Size: 9, Data: imsi, ARR: arrADF(10)}))
	c.ecc = must(f.AddEF(c.adf, Spec{FID: 0x6FB7, SFI: 1, Name: "EF.ECC", Structure: LinearFixed, RecordLen: 14, Records: 2, Data: hx("19F1FF01FFFFFFFFFFFFFFFFFF01 19F3FF02FFFFFFFFFFFFFFFFFF02"), ARR: arrADF(8)}))
	c.acm = must(f.AddEF(c.adf, Spec{FID: 0x6F39, Name: "EF.ACM", Structure: Cyclic, RecordLen: 3, Records: 3, Data: hx("000010 000005 000001"), ARR: arrADF(8)}))
	c.sms = must(f.AddEF(c.adf, Spec{FID: 0x6F3C, Name: "EF.SMS", Structure: LinearFixed, RecordLen: 4, Records: 4, Data: hx("01AABBCC 00000000 01AABB00 03CCAABB"), ARR: arrADF(7)}))
	df := must(f.AddDF(c.adf, Spec{FID: 0x5F3B, Name: "DF.GSM-ACCESS", ARR: arrADF(1)}))
	must(f.AddEF(df, Spec{FID: 0x4F20, SFI: 1, Name: "EF.Kc", Size: 9, ARR: arrADF(9)}))
	must(f.AddEF(c.adf, Spec{FID: 0x6F40, Name: "EF.OPEN", Size: 4, ARR: arrADF(9)}))
	must(f.AddEF(c.adf, Spec{FID: 0x6F61, Name: "EF.BIG", Size: 600, ARR: arrADF(9)}))
	isim := must(f.AddADF(Spec{FID: 0x7FB0, Name: "ADF.ISIM", AID: isimAID, ARR: arr(1), PINs: []KeyRef{KeyPIN1, KeyPIN2, KeyADM1, KeyADM2}}))
	must(f.AddEF(isim, Spec{FID: 0x6F02, Name: "EF.IMPI", Size: 8, ARR: arr(1)}))
	for _, p := range []PIN{
		{Ref: KeyPIN1, Value: []byte("1234"), PUK: []byte("12345678"), Disabled: true},
		{Ref: KeyPIN2, Value: []byte("5678"), PUK: []byte("87654321")},
		{Ref: KeyADM1, Value: []byte("88888888")},
	} {
		if err := f.AddPIN(p); err != nil {
			t.Fatal(err)
		}
	}
	c.rt = jc.New(jc.Options{Store: st})
	f.Attach(c.rt)
	if err := f.InstallApps(c.rt); err != nil {
		t.Fatal(err)
	}
	if _, err := c.rt.Reset(true); err != nil {
		t.Fatal(err)
	}
	return c
}

func (c *testCard) xfer(t testing.TB, cmd string) string {
	t.Helper()
	r, err := c.rt.Transmit(nil, hx(cmd))
	if err != nil {
		t.Fatalf("%s: %v", cmd, err)
	}
	return strings.ToUpper(hex.EncodeToString(r))
}

type step struct{ cmd, want string }

func (c *testCard) run(t *testing.T, steps []step) {
	t.Helper()
	for _, s := range steps {
		want := strings.ToUpper(strings.NewReplacer(" ", "", "\n", "", "\t", "").Replace(s.want))
		if got := c.xfer(t, s.cmd); got != want {
			t.Fatalf("%s:\n got %s\nwant %s", s.cmd, got, want)
		}
	}
}

var _ = apdu.SWOK

func storeRef(i int) store.Ref { return store.Ref(i) }

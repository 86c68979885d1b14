package fs

import (
	"bytes"
	"testing"

	"github.com/uiccsim/uiccsim/usim/jc"
)

// The FCPs real cards returned, from ef-codecs.json select_responses
// (pysim.select_resp.test_CardProfileUICC.0-4), rebuilt byte for byte.
func TestFCPMatchesRealCards(t *testing.T) {
	c := buildCard(t, Options{Proprietary: testProprietary, OmitEFPinStatus: true})
	f := c.fs
	aid, _ := jc.NewAID(isimAID)
	isimADF, ok := f.ADF(aid)
	if !ok {
		t.Fatal("ADF.ISIM not found by AID")
	}
	// The vectors' EFs reference 6F06 records 10 and 8 with SFIs 7 and 1.
	for _, tc := range []struct {
		name string
		n    Node
		want string
	}{
		{"UICC.0 MF", f.MF(), "622c8202782183023f00a50c80017183040003a7388701018a01058b032f0601c60c90016083010183010a83010b"},
		{"UICC.1 ADF.USIM", c.adf, "623d8202782183027fd0840ca0000000871002ff49ff0589a50c80017183040003a7388701018a01058b032f0601c60f90017083010183018183010a83010b"},
		{"UICC.2 ADF.ISIM", isimADF, "623d8202782183027fb0840ca0000000871004ff49ff0589a50c80017183040003a7388701018a01058b032f0601c60f90017083010183018183010a83010b"},
		{"UICC.3 EF.IMSI", c.imsiEF, "62178202412183026f078a01058b036f060a80020009880138"},
		{"UICC.4 EF.ECC", c.ecc, "621a82054221000e0283026fb78a01058b036f06088002001c880108"},
	} {
		if got := f.AppendFCP(nil, tc.n); !bytes.Equal(got, hx(tc.want)) {
			t.Errorf("%s:\n got %X\nwant %s", tc.name, got, tc.want)
		}
	}
}

// With the default options EFs carry their DF's PIN status template
// (C6 after 8B) and DFs no A5.
func TestFCPDefaultEncodings(t *testing.T) {
	c := buildCard(t, Options{})
	f := c.fs
	for _, tc := range []struct {
		name string
		n    Node
		want string
	}{
		{"MF", f.MF(), "621E 82027821 83023F00 8A0105 8B032F0601 C60C900160 830101 83010A 83010B"},
		{"EF.IMSI", c.imsiEF, "6228 82024121 83026F07 8A0105 8B036F060A C60F900170 830101 830181 83010A 83010B 80020009 880138"},
		{"EF.ACM cyclic, no SFI", c.acm, "622A 82054621000303 83026F39 8A0105 8B036F0608 C60F900170 830101 830181 83010A 83010B 80020009 8800"},
	} {
		if got := f.AppendFCP(nil, tc.n); !bytes.Equal(got, hx(tc.want)) {
			t.Errorf("%s:\n got %X\nwant %X", tc.name, got, hx(tc.want))
		}
	}
}

func TestPatchLenLongForm(t *testing.T) {
	dst := append([]byte{0xAA}, 0x62, 0)
	for range 130 {
		dst = append(dst, 0x11)
	}
	dst = patchLen(dst, 1)
	if dst[1] != 0x62 || dst[2] != 0x81 || dst[3] != 130 || len(dst) != 1+3+130 || dst[4] != 0x11 {
		t.Fatalf("% X", dst[:5])
	}
}

func TestTypedValueNames(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{FileID(0x6F07).String(), "6F07"},
		{SFI(7).String(), "SFI 7"},
		{SFI(0).String(), "no SFI"},
		{KindADF.String(), "ADF"},
		{Cyclic.String(), "cyclic"},
		{LCSIActivated.String(), "operational, activated"},
		{LCSIDeactivated.String(), "operational, deactivated"},
		{KeyPIN1.String(), "PIN1"},
		{KeyPIN2.String(), "PIN2"},
		{KeyUniversal.String(), "UPIN"},
		{KeyADM1.String(), "ADM1"},
		{KeyRef(0x8E).String(), "ADM10"},
		{KeyRef(0x83).String(), "PIN2.APP3"},
		{(AccessRead | AccessUpdate).String(), "READ|UPDATE"},
		{Access(0).String(), "none"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

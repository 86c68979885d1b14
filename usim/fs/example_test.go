package fs_test

import (
	"fmt"

	"github.com/uiccsim/uiccsim/usim/fs"
	"github.com/uiccsim/uiccsim/usim/jc"
	"github.com/uiccsim/uiccsim/usim/store"
)

// Build a small UICC — MF with EF.ARR and EF.ICCID, an ADF with EF.IMSI —
// attach it to a runtime and read the IMSI the way a terminal does.
func Example() {
	st := store.New(store.Options{})
	alw := fs.ARRRef{FID: 0x2F06, Record: 1}
	f, _ := fs.New(st, fs.Spec{Name: "MF", ARR: alw, PINs: []fs.KeyRef{fs.KeyPIN1, fs.KeyADM1}}, fs.Options{})
	// Record 1: read ALW, update ADM1 (TS 102 221 §9.2.4 expanded format).
	rule := []byte{0x80, 0x01, 0x01, 0x90, 0x00, 0x80, 0x01, 0x02, 0xA4, 0x06, 0x83, 0x01, 0x0A, 0x95, 0x01, 0x08}
	f.AddEF(f.MF(), fs.Spec{FID: 0x2F06, Name: "EF.ARR", Structure: fs.LinearFixed, RecordLen: 16, Records: 1, Data: rule, ARR: alw})
	f.AddEF(f.MF(), fs.Spec{FID: 0x2FE2, SFI: 2, Name: "EF.ICCID", Size: 10,
		Data: []byte{0x98, 0x10, 0x32, 0x54, 0x76, 0x98, 0x10, 0x32, 0x54, 0xF6}, ARR: alw})
	usim := jc.MustAID("A0000000871002FF49FF0589")
	adf, _ := f.AddADF(fs.Spec{FID: 0x7FF0, Name: "ADF.USIM", AID: usim.Bytes(), ARR: alw,
		PINs: []fs.KeyRef{fs.KeyPIN1, fs.KeyPIN2, fs.KeyADM1}})
	f.AddEF(adf, fs.Spec{FID: 0x6F07, SFI: 7, Name: "EF.IMSI", Size: 9,
		Data: []byte{0x08, 0x09, 0x10, 0x10, 0x10, 0x32, 0x54, 0x76, 0x98}, ARR: alw})
	f.AddPIN(fs.PIN{Ref: fs.KeyADM1, Value: []byte("88888888")})

	rt := jc.New(jc.Options{Store: st})
	f.Attach(rt)
	f.InstallApps(rt)
	rt.Reset(true)
	for _, cmd := range [][]byte{
		{0x00, 0xA4, 0x04, 0x0C, 0x07, 0xA0, 0x00, 0x00, 0x00, 0x87, 0x10, 0x02}, // SELECT ADF.USIM by partial AID
		{0x00, 0xB0, 0x87, 0x00, 0x09},                                           // READ BINARY by SFI 7
		{0x00, 0xD6, 0x00, 0x00, 0x01, 0x07},                                     // UPDATE needs ADM1
		{0x00, 0xA4, 0x00, 0x04, 0x02, 0x6F, 0x07},                               // SELECT EF.IMSI, FCP on T=0
		{0x00, 0xC0, 0x00, 0x00, 0x27},                                           // GET RESPONSE
	} {
		r, _ := rt.Transmit(nil, cmd)
		fmt.Printf("% X\n", r)
	}
	// Output:
	// 90 00
	// 08 09 10 10 10 32 54 76 98 90 00
	// 69 82
	// 61 27
	// 62 25 82 02 41 21 83 02 6F 07 8A 01 05 8B 03 2F 06 01 C6 0C 90 01 20 83 01 01 83 01 81 83 01 0A 80 02 00 09 88 01 38 90 00
}

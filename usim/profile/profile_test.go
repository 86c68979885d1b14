package profile

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/uiccsim/uiccsim/usim/ef"
)

func TestDefaultProfileIsValid(t *testing.T) {
	p := Default()
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	c, _ := p.ParsedICCID()
	if !c.LuhnValid() {
		t.Errorf("default ICCID %s fails Luhn", c)
	}
	// Every file of the layout has content of exactly its size.
	for _, s := range Layout {
		b, err := p.Content(s.Path)
		if err != nil || len(b) != s.FileSize() {
			t.Errorf("%s: %d bytes, %v", s.Path, len(b), err)
		}
	}
}

func TestDefaultContentsDecode(t *testing.T) {
	p := Default()
	get := func(path string) []byte {
		b, err := p.Content(path)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	if i, err := ef.ParseIMSI(get("ADF.USIM/EF.IMSI")); err != nil || i.String() != DefaultIMSI {
		t.Errorf("IMSI %v %v", i, err)
	}
	if !bytes.Equal(get("ADF.USIM/EF.IMSI"), []byte{0x08, 0x09, 0x10, 0x10, 0x10, 0x32, 0x54, 0x76, 0x98}) {
		t.Errorf("EF_IMSI bytes %x", get("ADF.USIM/EF.IMSI"))
	}
	if a, err := ef.ParseAD(get("ADF.USIM/EF.AD")); err != nil || a.MNCLen != 2 {
		t.Errorf("AD %v %v", a, err)
	}
	if u, _ := ef.ParseUST(get("ADF.USIM/EF.UST")); !u.Has(ef.ServiceGSMAccess) || !u.Has(ef.ServiceGSMSecurityCtx) || u.Has(ef.ServiceFDN) {
		t.Errorf("UST %v", u)
	}
	dir := get("EF.DIR")
	app, err := ef.ParseApplication(dir[:32])
	if err != nil || !app.IsUSIM() || !bytes.Equal(app.AID, DefaultUSIMAID) {
		t.Errorf("EF.DIR record 1: %v %v", app, err)
	}
	if _, err := ef.ParseApplication(dir[32:]); !errors.Is(err, ef.ErrEmpty) {
		t.Errorf("EF.DIR record 2: %v", err)
	}
	arr := get("ADF.USIM/EF.ARR")
	r, err := ef.ParseARR(arr[:ARRRecordLen])
	if err != nil || r.String() != "READ: PIN1; UPDATE: ADM1; DEACTIVATE|ACTIVATE: ADM1; WRITE|TERMINATE|DELETE: NEV" {
		t.Errorf("ARR record 1: %v %v", r, err)
	}
	if l, err := ef.ParseLOCI(get("ADF.USIM/EF.LOCI")); err != nil || l.LAI.PLMN.String() != "001-01" {
		t.Errorf("LOCI %v %v", l, err)
	}
	if a, _ := ef.ParseACC(get("ADF.USIM/EF.ACC")); !a.Has(9) {
		t.Errorf("ACC %v: want class 9 from the IMSI's last digit", a)
	}
}

func TestValidationNamesTheField(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(p *Profile)
		want string
	}{
		{"16-digit IMSI", func(p *Profile) { p.IMSI = "0010101234567890" }, "profile: imsi: digit count 16 exceeds 15"},
		{"letter in IMSI", func(p *Profile) { p.IMSI = "00101012345678x" }, "profile: imsi: not a decimal digit string"},
		{"bad Luhn", func(p *Profile) { p.ICCID = "8900101012345678907" }, "profile: iccid: check digit 7 fails the Luhn check (want 4)"},
		{"mnc_len", func(p *Profile) { p.MNCLen = 4 }, "profile: mnc_len: value 4, want 2 or 3"},
		{"both OP and OPc", func(p *Profile) { k := TestK; p.Auth.OP = &k }, "profile: auth.opc: Milenage needs exactly one of opc and op"},
		{"algorithm", func(p *Profile) { p.Auth.Algorithm = "comp128" }, `profile: auth.algorithm: "comp128", want "milenage" or "xor"`},
		{"zero K", func(p *Profile) { p.Auth.K = Key128{} }, "profile: auth.k: missing"},
		{"IND bits", func(p *Profile) { p.Auth.SQN.INDBits = 7 }, "profile: auth.sqn.ind_bits: value 7, want 0..6"},
		{"accepted SQN", func(p *Profile) { p.Auth.SQN.Accepted = []string{"ff9b"} }, "profile: auth.sqn.accepted[0]: want 12 hex digits"},
		{"PIN digits", func(p *Profile) { p.PINs.PIN1.Value = "12a4" }, "profile: pins.pin1.value: want 4 to 8 decimal digits"},
		{"PUK length", func(p *Profile) { p.PINs.PUK1.Value = "1234" }, "profile: pins.puk1.value: 4 digits, want 8 to 8"},
		{"retries above max", func(p *Profile) { p.PINs.PIN2.Retries = 5 }, "profile: pins.pin2.retries: value 5, want 0..3 (max)"},
		{"unknown file", func(p *Profile) { p.Files = map[string]File{"ADF.USIM/EF.NOPE": {Hex: HexBytes{1}}} }, `profile: files["ADF.USIM/EF.NOPE"]: no such file`},
		{"SPN too long", func(p *Profile) {
			p.Files = map[string]File{"ADF.USIM/EF.SPN": {SPN: &SPNValue{Name: "a name far too long for it"}}}
		}, `profile: files["ADF.USIM/EF.SPN"].spn.name: coded name is 26 bytes, at most 16 fit`},
		{"form for another file", func(p *Profile) { p.Files = map[string]File{"ADF.USIM/EF.IMSI": {UST: []int{1}}} }, `files["ADF.USIM/EF.IMSI"].ust: this form does not fit`},
		{"two forms", func(p *Profile) {
			h := 3
			p.Files = map[string]File{"ADF.USIM/EF.HPPLMN": {Hex: HexBytes{1}, HPPLMN: &h}}
		}, "give exactly one content form, got 2"},
		{"hex too long", func(p *Profile) { p.Files = map[string]File{"ADF.USIM/EF.AD": {Hex: make(HexBytes, 5)}} }, "5 bytes, the file holds 4"},
		{"bad FPLMN", func(p *Profile) { p.Files = map[string]File{"ADF.USIM/EF.FPLMN": {PLMNs: []string{"26201"}}} }, `plmns[0]: want "MCC-MNC"`},
		{"OTA KVN", func(p *Profile) {
			p.OTAKeySets = []OTAKeySet{{KVN: 16, KIc: OTAKey{"aes", "00112233445566778899aabbccddeeff"}, KID: OTAKey{"aes", "00112233445566778899aabbccddeeff"}, TARs: []HexBytes{{0xB0, 0, 0x10}}}}
		}, "profile: ota_key_sets[0].kvn: value 16, want 1..15"},
		{"OTA key length", func(p *Profile) {
			p.OTAKeySets = []OTAKeySet{{KVN: 1, KIc: OTAKey{"des3", "0011"}, KID: OTAKey{"aes", "00112233445566778899aabbccddeeff"}, TARs: []HexBytes{{0xB0, 0, 0x10}}}}
		}, "profile: ota_key_sets[0].kic.key: 3DES key of 2 bytes, want 16 or 24"},
		{"key pair IMSI", func(p *Profile) { p.KeyPairs = []KeyPair{{Index: 1, IMSI: "1234", K: TestK}} }, "profile: key_pairs[0].imsi: digit count 4 below 6"},
		{"key pair duplicate", func(p *Profile) {
			p.KeyPairs = []KeyPair{{Index: 1, IMSI: DefaultIMSI, K: TestK}, {Index: 1, IMSI: DefaultIMSI, K: TestK}}
		}, "profile: key_pairs[1].index: index 1 listed twice"},
		{"pair 0 is not the profile's subscription", func(p *Profile) {
			p.KeyPairs = []KeyPair{{Index: 0, IMSI: "001019999999999", K: TestK}}
		}, "profile: key_pairs[0].imsi: pair 0 is the initial subscription"},
		{"pair 0 with another K", func(p *Profile) {
			p.KeyPairs = []KeyPair{{Index: 0, IMSI: DefaultIMSI, K: Key128{1}}}
		}, "profile: key_pairs[0].k: pair 0 is the initial subscription"},
		{"pair key set KVN", func(p *Profile) {
			p.KeyPairs = []KeyPair{{Index: 1, IMSI: DefaultIMSI, K: TestK, OTAKeySets: []OTAKeySet{{KVN: 0, KIc: OTAKey{"aes", "00112233445566778899aabbccddeeff"}, KID: OTAKey{"aes", "00112233445566778899aabbccddeeff"}}}}}
		}, "profile: key_pairs[0].ota_key_sets[0].kvn: value 0, want 1..15"},
		{"OTA app kind", func(p *Profile) { p.OTAApps = []OTAApp{{App: "ram", TAR: HexBytes{0, 0, 0}, MSL: HexBytes{0x16}}} }, `profile: ota_apps[0].app: "ram"`},
		{"OTA app TAR", func(p *Profile) { p.OTAApps = []OTAApp{{App: AppRFMUSIM, TAR: HexBytes{0xB0}, MSL: HexBytes{0x16}}} }, "profile: ota_apps[0].tar: TAR of 1 bytes, want 3"},
		{"OTA app MSL", func(p *Profile) {
			p.OTAApps = []OTAApp{{App: AppRFMUSIM, TAR: HexBytes{0xB0, 0, 0x10}, MSL: HexBytes{0x36}}}
		}, "profile: ota_apps[0].msl: MSL 36 uses bits b8..b6"},
		{"OTA app twice", func(p *Profile) {
			p.OTAApps = []OTAApp{{App: AppRFMUSIM, TAR: HexBytes{0xB0, 0, 0x10}, MSL: HexBytes{0x16}}, {App: AppRFMUICC, TAR: HexBytes{0xB0, 0, 0x10}, MSL: HexBytes{0x16}}}
		}, "profile: ota_apps[1].tar: TAR B00010 installed twice"},
		{"OTA app access", func(p *Profile) {
			p.OTAApps = []OTAApp{{App: AppRFMUSIM, TAR: HexBytes{0xB0, 0, 0x10}, MSL: HexBytes{0x16}, Access: HexBytes{0x20}}}
		}, "profile: ota_apps[0].access[0]: 20 is no key reference"},
		{"OTA app refresh", func(p *Profile) {
			p.OTAApps = []OTAApp{{App: AppRFMUSIM, TAR: HexBytes{0xB0, 0, 0x10}, MSL: HexBytes{0x16}, Refresh: "reboot"}}
		}, `profile: ota_apps[0].refresh: "reboot"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := Default()
			tc.edit(p)
			err := p.Validate()
			if err == nil || !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Validate() = %v, want %q wrapping ErrInvalid", err, tc.want)
			}
		})
	}
}

func TestIMSIErrorWrapsEFSentinel(t *testing.T) {
	p := Default()
	p.IMSI = "0010101234567890"
	if err := p.Validate(); !errors.Is(err, ef.ErrInvalid) || err.Error() != "profile: imsi: digit count 16 exceeds 15" {
		t.Errorf("%v", err)
	}
}

func TestSaveLoadRoundTrip(t *testing.T) {
	p := Default()
	h := 7
	p.Files = map[string]File{
		"ADF.USIM/EF.SPN":    {SPN: &SPNValue{Name: "Ωmega", Display: 2}},
		"ADF.USIM/EF.MSISDN": {MSISDN: []MSISDNValue{{Alpha: "me", Number: "+4917279119183"}}},
		"ADF.USIM/EF.HPPLMN": {HPPLMN: &h},
		"EF.PL":              {Languages: []string{"de", "en"}},
		"ADF.USIM/EF.ECC":    {ECC: []ECCValue{{Code: "110", Alpha: "Polizei", Category: 1}}},
		"ADF.USIM/EF.FPLMN":  {PLMNs: []string{"262-01", "310-150"}},
	}
	p.Auth.SQN.Accepted = []string{"ff9bb4d0b607"}
	path := filepath.Join(t.TempDir(), "card.json")
	if err := p.Save(path); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", fi.Mode())
	}
	q, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range Layout {
		a, _ := p.Content(s.Path)
		b, err := q.Content(s.Path)
		if err != nil || !bytes.Equal(a, b) {
			t.Errorf("%s differs after reload: %x vs %x (%v)", s.Path, a, b, err)
		}
	}
	m, _ := q.Content("ADF.USIM/EF.MSISDN")
	d, err := ef.ParseDialNumber(m[:34])
	if err != nil || d.String() != `+4917279119183 ("me")` {
		t.Errorf("MSISDN %v %v", d, err)
	}
	arr, _ := q.Auth.SQN.Array()
	if arr[7] != 0xff9bb4d0b607>>5 {
		t.Errorf("accepted SQN not in SEQ_MS(7): %x", arr[7])
	}
	if q.Auth.K != TestK || *q.Auth.OPc != TestOPc {
		t.Error("keys changed in the round trip")
	}
}

func TestParseRejectsUnknownKeysAndBadJSON(t *testing.T) {
	good, _ := Default().Marshal()
	for _, tc := range []struct{ json, want string }{
		{strings.Replace(string(good), `"imsi"`, `"imis"`, 1), "profile: imis: unknown field"},
		{string(good[:len(good)-3]), "line"},
		{strings.Replace(string(good), `"mnc_len": 2`, `"mnc_len": "2"`, 1), "profile: mnc_len: JSON string cannot hold a int"},
		{strings.Replace(string(good), `"k": "465b`, `"k": "zz5b`, 1), "not hex"},
		{string(good) + "{}", "data after the profile"},
	} {
		_, err := Parse([]byte(tc.json))
		if err == nil || !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Parse error = %v, want %q", err, tc.want)
		}
	}
	if _, err := Parse([]byte(strings.Replace(string(good), `{`, `{"_comment": "ok",`, 1))); err != nil {
		t.Errorf("_comment rejected: %v", err)
	}
}

func TestTemplateLoadsToTheDefaultCard(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteTemplate(&buf); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(buf.Bytes(), []byte(`"_comment"`)) {
		t.Error("template has no comments")
	}
	p, err := Parse(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	d := Default()
	for _, s := range Layout {
		a, _ := p.Content(s.Path)
		b, _ := d.Content(s.Path)
		if !bytes.Equal(a, b) {
			t.Errorf("%s: template %x, default %x", s.Path, a, b)
		}
	}
	golden, err := os.ReadFile("testdata/template.json")
	if err != nil || !bytes.Equal(golden, buf.Bytes()) {
		if os.Getenv("UPDATE_GOLDEN") == "1" {
			_ = os.WriteFile("testdata/template.json", buf.Bytes(), 0o644)
			return
		}
		t.Errorf("template differs from testdata/template.json (UPDATE_GOLDEN=1 rewrites it): %v", err)
	}
}

func TestSecretsNeverPrint(t *testing.T) {
	p := Default()
	for _, s := range []string{fmt.Sprintf("%v", p), fmt.Sprintf("%+v", *p), fmt.Sprintf("%#v", *p), fmt.Sprintf("%x", p.Auth.K)} {
		if strings.Contains(s, "465b5c") || strings.Contains(s, "1234\"") || strings.Contains(s, "88888888") || strings.Contains(s, "cd63cb") {
			t.Errorf("secret printed: %.200s", s)
		}
	}
}

func TestPINBlock(t *testing.T) {
	p := Default()
	if b := p.PINs.PIN1.Block(); !bytes.Equal(b[:], []byte{'1', '2', '3', '4', 0xFF, 0xFF, 0xFF, 0xFF}) {
		t.Errorf("PIN1 block %x", b)
	}
	p.PINs.ADM1 = PIN{Hex: "0102030405060708", Retries: 10, Max: 10}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	if b := p.PINs.ADM1.Block(); b != [8]byte{1, 2, 3, 4, 5, 6, 7, 8} {
		t.Errorf("ADM1 block %x", b)
	}
}

func FuzzParse(f *testing.F) {
	good, _ := Default().Marshal()
	tmpl, _ := Template().Marshal()
	f.Add(good)
	f.Add(tmpl)
	f.Add([]byte(`{"iccid":"1","imsi":"001010123456789","mnc_len":3}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := Parse(b)
		if err != nil {
			return
		}
		out, err := p.Marshal()
		if err != nil {
			t.Fatalf("valid profile does not marshal: %v", err)
		}
		if _, err := Parse(out); err != nil {
			t.Fatalf("re-parse: %v", err)
		}
	})
}

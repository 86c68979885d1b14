package profile

import (
	"strings"

	"github.com/uiccsim/uiccsim/usim/ef"
)

// File is the content of one elementary file in a profile. Exactly one
// field besides Comment is set: raw Hex (transparent EF), raw Records
// (record EF, in record order; missing records are 'FF'), or one typed
// form that fits the file (named after it).
type File struct {
	Comment string     `json:"_comment,omitempty"`
	Hex     HexBytes   `json:"hex,omitempty"`
	Records []HexBytes `json:"records,omitempty"`

	SPN       *SPNValue     `json:"spn,omitempty"`       // EF.SPN
	MSISDN    []MSISDNValue `json:"msisdn,omitempty"`    // EF.MSISDN records
	UST       []int         `json:"ust,omitempty"`       // EF.UST service numbers
	EST       []int         `json:"est,omitempty"`       // EF.EST service numbers
	PLMNs     []string      `json:"plmns,omitempty"`     // EF.FPLMN, "MCC-MNC"
	HPPLMN    *int          `json:"hpplmn,omitempty"`    // EF.HPPLMN
	ECC       []ECCValue    `json:"ecc,omitempty"`       // EF.ECC records
	ACC       []int         `json:"acc,omitempty"`       // EF.ACC classes 0..15
	Languages []string      `json:"languages,omitempty"` // EF.PL, EF.LI
}

// SPNValue is the typed form of EF_SPN (TS 31.102 §4.2.12).
type SPNValue struct {
	Name string `json:"name"`
	// Display is the display condition byte (b1: show PLMN name in HPLMN,
	// b2: SPN not required when roaming).
	Display int `json:"display"`
}

// MSISDNValue is the typed form of one EF_MSISDN record: Number with an
// optional leading '+' (international, TON 1), ISDN numbering plan.
type MSISDNValue struct {
	Alpha  string `json:"alpha,omitempty"`
	Number string `json:"number"`
}

// ECCValue is the typed form of one EF_ECC record.
type ECCValue struct {
	Code     string `json:"code"`
	Alpha    string `json:"alpha,omitempty"`
	Category int    `json:"category,omitempty"`
}

// typedForm returns the JSON name of the typed form set in f, "" if none,
// and how many forms are set.
func (f *File) forms() (name string, n int) {
	set := func(ok bool, s string) {
		if ok {
			name, n = s, n+1
		}
	}
	set(f.Hex != nil, "hex")
	set(f.Records != nil, "records")
	set(f.SPN != nil, "spn")
	set(f.MSISDN != nil, "msisdn")
	set(f.UST != nil, "ust")
	set(f.EST != nil, "est")
	set(f.PLMNs != nil, "plmns")
	set(f.HPPLMN != nil, "hpplmn")
	set(f.ECC != nil, "ecc")
	set(f.ACC != nil, "acc")
	set(f.Languages != nil, "languages")
	return name, n
}

// typedFor lists which typed form each path accepts.
var typedFor = map[string]string{
	"ADF.USIM/EF.SPN": "spn", "ADF.USIM/EF.MSISDN": "msisdn", "ADF.USIM/EF.UST": "ust",
	"ADF.USIM/EF.EST": "est", "ADF.USIM/EF.FPLMN": "plmns", "ADF.USIM/EF.HPPLMN": "hpplmn",
	"ADF.USIM/EF.ECC": "ecc", "ADF.USIM/EF.ACC": "acc", "EF.PL": "languages", "ADF.USIM/EF.LI": "languages",
}

// Content returns the bytes of the file at path (records concatenated):
// the profile's override when Files has one, else the default derived from
// the profile's identities. Errors are *FieldError naming the file.
func (p *Profile) Content(path string) ([]byte, error) {
	spec, ok := Spec(path)
	fld := `files["` + path + `"]`
	if !ok {
		return nil, bad(fld, "no such file in the card layout (see profile.Layout)")
	}
	var b []byte
	var err error
	if f, ok := p.Files[path]; ok {
		b, err = p.override(spec, fld, f)
	} else if f, ok := p.Files["MF/"+spec.Path]; ok {
		b, err = p.override(spec, fld, f)
	} else {
		b, err = p.defaultContent(spec)
	}
	if err != nil {
		return nil, err
	}
	if len(b) != spec.FileSize() {
		return nil, bad(fld, "content is %d bytes, the file holds %d", len(b), spec.FileSize())
	}
	return b, nil
}

func (p *Profile) override(s FileSpec, fld string, f File) ([]byte, error) {
	name, n := f.forms()
	if n != 1 {
		return nil, bad(fld, "give exactly one content form, got %d", n)
	}
	switch name {
	case "hex":
		if s.Structure != ef.Transparent {
			return nil, bad(fld+".hex", "record file: use \"records\"")
		}
		if len(f.Hex) > s.Size {
			return nil, bad(fld+".hex", "%d bytes, the file holds %d", len(f.Hex), s.Size)
		}
		return ef.PadFF(append([]byte(nil), f.Hex...), s.Size), nil
	case "records":
		if s.Structure == ef.Transparent {
			return nil, bad(fld+".records", "transparent file: use \"hex\"")
		}
		if len(f.Records) > s.Records {
			return nil, bad(fld+".records", "%d records, the file has %d", len(f.Records), s.Records)
		}
		var out []byte
		for i, r := range f.Records {
			if len(r) > s.RecordLen {
				return nil, bad(idx(fld+".records", i), "%d bytes, records are %d", len(r), s.RecordLen)
			}
			out = ef.PadFF(append(out, r...), (i+1)*s.RecordLen)
		}
		return ef.PadFF(out, s.FileSize()), nil
	}
	if typedFor[s.Path] != name {
		want := typedFor[s.Path]
		if want == "" {
			want = "hex or records"
		}
		return nil, bad(fld+"."+name, "this form does not fit %s (use %s)", s.Path, want)
	}
	fld += "." + name
	switch name {
	case "spn":
		if f.SPN.Display < 0 || f.SPN.Display > 255 {
			return nil, bad(fld+".display", "value %d not a byte", f.SPN.Display)
		}
		b, err := ef.SPN{Display: ef.SPNDisplay(f.SPN.Display), Name: f.SPN.Name}.Append(nil)
		if err != nil {
			return nil, badEF(fld+".name", err)
		}
		return b, nil
	case "msisdn":
		return records(s, fld, len(f.MSISDN), func(i int, dst []byte) ([]byte, error) {
			m := f.MSISDN[i]
			d := ef.DialNumber{Alpha: m.Alpha, NPI: ef.NPIISDN, Number: m.Number, CCP: 0xFF, Ext: 0xFF}
			if strings.HasPrefix(d.Number, "+") {
				d.Number, d.TON = d.Number[1:], ef.TONInternational
			}
			return d.Append(dst, s.RecordLen)
		})
	case "ecc":
		return records(s, fld, len(f.ECC), func(i int, dst []byte) ([]byte, error) {
			e := f.ECC[i]
			if e.Category < 0 || e.Category > 0x7F {
				return dst, bad(idx(fld, i)+".category", "value %d, want 0..127", e.Category)
			}
			return ef.ECC{Code: e.Code, Alpha: e.Alpha, Category: ef.ECCCategory(e.Category)}.Append(dst, s.RecordLen)
		})
	case "ust", "est":
		l := f.UST
		if name == "est" {
			l = f.EST
		}
		var t ef.UST
		for i, n := range l {
			if n < 1 || n > 8*s.Size {
				return nil, bad(idx(fld, i), "service %d outside 1..%d", n, 8*s.Size)
			}
			t = t.Set(ef.USIMService(n), true)
		}
		return append(t.Append(nil), make([]byte, s.Size-len(t))...), nil
	case "plmns":
		var l ef.PLMNList
		for i, str := range f.PLMNs {
			mcc, mnc, ok := strings.Cut(str, "-")
			pl, err := ef.NewPLMN(mcc, mnc)
			if !ok || err != nil {
				return nil, bad(idx(fld, i), "want \"MCC-MNC\" like \"262-01\", got %q", str)
			}
			l = append(l, pl)
		}
		if 3*len(l) > s.Size {
			return nil, bad(fld, "%d PLMNs, the file holds %d", len(l), s.Size/3)
		}
		return l.Append(nil, s.Size/3), nil
	case "hpplmn":
		if *f.HPPLMN < 0 || *f.HPPLMN > 255 {
			return nil, bad(fld, "value %d not a byte", *f.HPPLMN)
		}
		return []byte{byte(*f.HPPLMN)}, nil
	case "acc":
		var a ef.ACC
		for i, c := range f.ACC {
			if c < 0 || c > 15 {
				return nil, bad(idx(fld, i), "class %d outside 0..15", c)
			}
			a |= 1 << c
		}
		return a.Append(nil), nil
	case "languages":
		if 2*len(f.Languages) > s.Size {
			return nil, bad(fld, "%d languages, the file holds %d", len(f.Languages), s.Size/2)
		}
		b, err := ef.Languages(f.Languages).Append(nil, s.Size/2)
		if err != nil {
			return nil, badEF(fld, err)
		}
		return b, nil
	}
	return nil, bad(fld, "unsupported form")
}

// records encodes n typed records with enc and pads the file with 'FF'
// records.
func records(s FileSpec, fld string, n int, enc func(i int, dst []byte) ([]byte, error)) ([]byte, error) {
	if n > s.Records {
		return nil, bad(fld, "%d records, the file has %d", n, s.Records)
	}
	var out []byte
	for i := 0; i < n; i++ {
		var err error
		if out, err = enc(i, out); err != nil {
			if _, ok := err.(*FieldError); ok {
				return nil, err
			}
			return nil, badEF(idx(fld, i), err)
		}
	}
	return ef.PadFF(out, s.FileSize()), nil
}

// defaultContent derives a file's content from the profile's identities.
func (p *Profile) defaultContent(s FileSpec) ([]byte, error) {
	hplmn, err := p.HPLMN()
	if err != nil {
		return nil, err
	}
	ff := func(n int) []byte { return ef.PadFF(nil, n) }
	switch s.Path {
	case "EF.ICCID":
		c, err := p.ParsedICCID()
		if err != nil {
			return nil, err
		}
		return c.Append(nil), nil
	case "EF.DIR":
		b, err := ef.Application{AID: p.AID(), Label: "USIM"}.Append(nil)
		if err != nil {
			return nil, badEF("usim_aid", err)
		}
		return ef.PadFF(b, s.FileSize()), nil
	case "EF.PL", "ADF.USIM/EF.LI":
		b, _ := ef.Languages{"en"}.Append(nil, s.Size/2)
		return b, nil
	case "EF.ARR", "ADF.USIM/EF.ARR":
		rules := MFRules
		if s.Dir() == DirUSIM {
			rules = USIMRules
		}
		var out []byte
		for i, r := range rules {
			b, err := r.Append(out)
			if err != nil || len(b)-len(out) > s.RecordLen {
				return nil, bad(`files["`+s.Path+`"]`, "default rule %d does not fit", i+1)
			}
			out = ef.PadFF(b, (i+1)*s.RecordLen)
		}
		return out, nil
	case "ADF.USIM/EF.IMSI":
		i, err := p.ParsedIMSI()
		if err != nil {
			return nil, err
		}
		return i.Append(nil), nil
	case "ADF.USIM/EF.AD":
		return ef.AD{Mode: ef.ModeNormal, MNCLen: uint8(p.MNCLen)}.Append(nil), nil
	case "ADF.USIM/EF.UST":
		var t ef.UST
		for _, n := range DefaultServices {
			t = t.Set(n, true)
		}
		return append(t.Append(nil), make([]byte, s.Size-len(t))...), nil
	case "ADF.USIM/EF.EST":
		return []byte{0}, nil
	case "ADF.USIM/EF.ACC":
		// TS 22.011 §4.2: classes 0–9 are allocated at random; the
		// customary choice is the IMSI's last digit.
		last := p.IMSI[len(p.IMSI)-1] - '0'
		return ef.ACC(1 << last).Append(nil), nil
	case "ADF.USIM/EF.LOCI":
		return ef.LOCI{TMSI: [4]byte{0xFF, 0xFF, 0xFF, 0xFF}, LAI: ef.LAI{PLMN: hplmn, LAC: 0xFFFE}, RFU: 0xFF, Status: ef.NotUpdated}.Append(nil), nil
	case "ADF.USIM/EF.PSLOCI":
		return ef.PSLOCI{PTMSI: [4]byte{0xFF, 0xFF, 0xFF, 0xFF}, PTMSISig: [3]byte{0xFF, 0xFF, 0xFF},
			LAI: ef.LAI{PLMN: hplmn, LAC: 0xFFFE}, RAC: 0xFF, Status: ef.NotUpdated}.Append(nil), nil
	case "ADF.USIM/EF.EPSLOCI":
		e := ef.EPSLOCI{TAI: ef.LAI{PLMN: hplmn, LAC: 0xFFFE}, Status: ef.NotUpdated}
		copy(e.GUTI[:], ff(12))
		return e.Append(nil), nil
	case "ADF.USIM/EF.KEYS", "ADF.USIM/EF.KEYSPS":
		return ef.EmptyKeys().Append(nil), nil
	case "ADF.USIM/EF.HPPLMN":
		return ef.HPPLMN(5).Append(nil), nil
	case "ADF.USIM/EF.FPLMN":
		return ff(s.Size), nil
	case "ADF.USIM/EF.SPN":
		return ef.SPN{Display: ef.SPNShowPLMNInHPLMN, Name: "uiccsim"}.Append(nil)
	case "ADF.USIM/EF.MSISDN":
		return ff(s.FileSize()), nil
	case "ADF.USIM/EF.ECC":
		var out []byte
		for _, code := range []string{"112", "911"} {
			out, _ = ef.ECC{Code: code}.Append(out, s.RecordLen)
		}
		return ef.PadFF(out, s.FileSize()), nil
	case "ADF.USIM/EF.START-HFN":
		return ef.StartHFN{CS: 0xF00000, PS: 0xF00000}.Append(nil), nil
	case "ADF.USIM/EF.THRESHOLD":
		return ef.Threshold(0xF01000).Append(nil), nil
	}
	return nil, bad(`files["`+s.Path+`"]`, "no default content")
}

// DefaultServices are the services the default EF_UST marks available:
// those whose files the layout holds, GSM access (n°27, so AUTHENTICATE
// returns Kc) and the GSM security context (n°38, AUTHENTICATE P2=80).
var DefaultServices = []ef.USIMService{
	ef.ServiceSPN, ef.ServiceMSISDN, ef.ServiceGSMAccess, 33, ef.ServiceEST,
	ef.ServiceGSMSecurityCtx, ef.ServiceEPSMMInfo,
}

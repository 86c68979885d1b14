package ef

import (
	"bytes"
	"strconv"
)

// USIMAIDPrefix is the RID ‖ application code of the 3GPP USIM, TS 101 220
// Annex E / TS 31.102 Annex A: 'A0000000871002'.
var USIMAIDPrefix = []byte{0xA0, 0x00, 0x00, 0x00, 0x87, 0x10, 0x02}

// ISIMAIDPrefix is the RID ‖ application code of the ISIM, 'A0000000871004'.
var ISIMAIDPrefix = []byte{0xA0, 0x00, 0x00, 0x00, 0x87, 0x10, 0x04}

// Application is one EF_DIR record (TS 102 221 §13.1): an application
// template '61' holding the AID ('4F', 1–16 bytes), an optional label ('50')
// and optional discretionary data ('73', kept as its complete TLV bytes).
type Application struct {
	AID   []byte
	Label string
	// Discretionary is the content of the '73' template, if any.
	Discretionary []byte
}

// IsUSIM reports whether the AID starts with the 3GPP USIM prefix.
func (a Application) IsUSIM() bool { return bytes.HasPrefix(a.AID, USIMAIDPrefix) }

// String renders the record, e.g. `A0000000871002FFFFFFFF8907090000 "USim1"`.
func (a Application) String() string {
	s := hexString(a.AID)
	if a.Label != "" {
		s += " " + strconv.Quote(a.Label)
	}
	return s
}

// Append appends the application template '61' { '4F' AID, '50' label,
// '73' discretionary }, unpadded; use PadFF for the record length. The label
// is coded in the SMS default alphabet or UCS2 as TS 102 221 §13.1 requires
// (Annex A alpha coding). Errors wrap ErrInvalid.
func (a Application) Append(dst []byte) ([]byte, error) {
	if len(a.AID) < 5 || len(a.AID) > 16 {
		return dst, invalid("EF_DIR", "AID", "length "+strconv.Itoa(len(a.AID))+" not in 5..16")
	}
	var body [128]byte
	in := appendTLV(body[:0], 0x4F, a.AID)
	if a.Label != "" {
		lab, err := AppendAlpha(nil, a.Label)
		if err != nil {
			return dst, err
		}
		if len(lab) > 32 {
			return dst, invalid("EF_DIR", "label", "coded label is "+strconv.Itoa(len(lab))+" bytes, at most 32")
		}
		in = appendTLV(in, 0x50, lab)
	}
	if a.Discretionary != nil {
		if len(a.Discretionary) > 64 {
			return dst, invalid("EF_DIR", "discretionary data", "longer than 64 bytes")
		}
		in = appendTLV(in, 0x73, a.Discretionary)
	}
	return appendTLV(dst, 0x61, in), nil
}

// ParseApplication decodes one EF_DIR record (TS 102 221 §13.1), ignoring
// trailing 'FF' padding. An all-'FF' record gives ErrEmpty.
func ParseApplication(b []byte) (Application, error) {
	const f = "EF_DIR"
	if allFF(b) {
		return Application{}, empty(f)
	}
	r := tlvReader{b: b}
	tag, val, _, ok, why := r.next()
	if !ok {
		if why == "" {
			why = "no application template"
		}
		return Application{}, malformed(f, "application template", 0, why)
	}
	if tag != 0x61 {
		return Application{}, malformed(f, "application template", 0, "tag "+strconv.FormatUint(uint64(tag), 16)+", want 61")
	}
	if !allFF(r.b) && len(r.b) != 0 {
		return Application{}, malformed(f, "padding", r.off, "bytes after the template are not 'FF'")
	}
	var a Application
	in := tlvReader{b: val, off: len(b) - len(r.b) - len(val)}
	for {
		t, v, at, ok, why := in.next()
		if !ok {
			if why != "" {
				return Application{}, malformed(f, "template", at, why)
			}
			break
		}
		switch t {
		case 0x4F:
			if len(v) < 5 || len(v) > 16 {
				return Application{}, malformed(f, "AID", at, "length "+strconv.Itoa(len(v))+" not in 5..16")
			}
			a.AID = append([]byte(nil), v...)
		case 0x50:
			l, err := ParseAlpha(v)
			if err != nil {
				return Application{}, malformed(f, "label", at, err.Error())
			}
			a.Label = l
		case 0x73:
			a.Discretionary = append([]byte{}, v...)
		}
	}
	if len(in.b) != 0 {
		return Application{}, malformed(f, "template", in.off, "padding inside the application template")
	}
	if a.AID == nil {
		return Application{}, malformed(f, "AID", 0, "template has no '4F' AID")
	}
	return a, nil
}

// HasUSIMPrefix reports whether aid starts with USIMAIDPrefix.
func HasUSIMPrefix(aid []byte) bool { return bytes.HasPrefix(aid, USIMAIDPrefix) }

package ef

import (
	"bytes"
	"errors"
	"testing"
)

func TestADMatchesPySimVectors(t *testing.T) {
	modes := map[string]OperationMode{"normal": ModeNormal, "normal_and_specific_facilities": ModeNormalSpecificFacilities}
	for _, v := range codecVectors(t, "pysim.ef.ts_31_102.EF_AD") {
		var want struct {
			Mode string `json:"ms_operation_mode"`
			Info struct {
				Ciph  bool `json:"ciphering_indicator"`
				CSG   bool `json:"csg_display_control"`
				ProSe bool `json:"prose_services"`
				EDRX  bool `json:"extended_drx"`
			} `json:"additional_info"`
			MNCLen int `json:"mnc_len"`
		}
		unmarshal(t, v.Decoded, &want)
		got, err := ParseAD(v.Encoded)
		if err != nil {
			t.Fatalf("%s: %v", v.ID, err)
		}
		if got.Mode != modes[want.Mode] || int(got.MNCLen) != want.MNCLen ||
			(got.Info&ADCipheringIndicator != 0) != want.Info.Ciph ||
			(got.Info&ADCSGDisplayControl != 0) != want.Info.CSG ||
			(got.Info&ADProSeServices != 0) != want.Info.ProSe ||
			(got.Info&ADExtendedDRX != 0) != want.Info.EDRX {
			t.Errorf("%s: ParseAD = %v, want %s", v.ID, got, v.Decoded)
		}
		if enc := got.Append(nil); !bytes.Equal(enc, v.Encoded) {
			t.Errorf("%s: Append = %x, want %x", v.ID, enc, v.Encoded)
		}
	}
}

func TestADRejects(t *testing.T) {
	for _, h := range []string{"0000", "00000004", "00000012"} {
		if _, err := ParseAD(mustHex(t, h)); !errors.Is(err, ErrMalformed) {
			t.Errorf("ParseAD(%s) error = %v, want ErrMalformed", h, err)
		}
	}
	a, err := ParseAD(mustHex(t, "800000"))
	if err != nil || a.Mode != ModeTypeApproval || a.MNCLen != 0 {
		t.Errorf("3-byte EF_AD: %v, %v", a, err)
	}
	if a.Mode.String() != "type approval operations" {
		t.Errorf("mode name %q", a.Mode)
	}
}

func FuzzParseAD(f *testing.F) {
	f.Add(mustHex(f, "00000002"))
	f.Add(mustHex(f, "01000102"))
	f.Add(mustHex(f, "8000000300"))
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := ParseAD(b)
		if err != nil {
			return
		}
		if enc := a.Append(nil); !bytes.Equal(enc, b) {
			t.Fatalf("ParseAD(%x).Append = %x", b, enc)
		}
	})
}

package ef

import (
	"bytes"
	"errors"
	"testing"
)

func TestEFDIRMatchesPySimVectors(t *testing.T) {
	for _, v := range codecVectors(t, "pysim.ef.ts_102_221.EF_DIR") {
		var want struct {
			T []struct {
				AID *struct {
					Bytes string `json:"$bytes"`
				} `json:"application_id"`
				Label *string `json:"application_label"`
				Disc  *struct {
					Bytes string `json:"$bytes"`
				} `json:"discretionary_template"`
			} `json:"application_template"`
		}
		unmarshal(t, v.Decoded, &want)
		var exp Application
		for _, e := range want.T {
			switch {
			case e.AID != nil:
				exp.AID = mustHex(t, e.AID.Bytes)
			case e.Label != nil:
				exp.Label = *e.Label
			case e.Disc != nil:
				exp.Discretionary = mustHex(t, e.Disc.Bytes)
			}
		}
		for _, in := range [][]byte{v.Encoded, withFF(v.Encoded)} {
			got, err := ParseApplication(in)
			if err != nil || !bytes.Equal(got.AID, exp.AID) || got.Label != exp.Label || !bytes.Equal(got.Discretionary, exp.Discretionary) {
				t.Errorf("%s: ParseApplication = %+v, %v; want %+v", v.ID, got, err, exp)
			}
		}
		enc, err := exp.Append(nil)
		if err != nil || !bytes.Equal(enc, v.Encoded) {
			t.Errorf("%s: Append = %x, %v; want %x", v.ID, enc, err, v.Encoded)
		}
		if exp.IsUSIM() != (v.ID == "pysim.ef.ts_102_221.EF_DIR.0") {
			t.Errorf("%s: IsUSIM = %v", v.ID, exp.IsUSIM())
		}
	}
}

func TestEFDIRRejects(t *testing.T) {
	for _, h := range []string{
		"6f054f03a00000",         // wrong outer tag
		"61054f03a00000",         // AID too short
		"61074f05a0000000",       // AID runs past
		"6107500555536d31",       // no AID... and truncated
		"61044f02a000ff",         // AID length 2
		"61084f05a0000000870000", // garbage after template
	} {
		if _, err := ParseApplication(mustHex(t, h)); !errors.Is(err, ErrMalformed) {
			t.Errorf("ParseApplication(%s) error = %v", h, err)
		}
	}
	if _, err := ParseApplication(mustHex(t, "ffffff")); !errors.Is(err, ErrEmpty) {
		t.Errorf("empty record: %v", err)
	}
}

func FuzzParseApplication(f *testing.F) {
	f.Add(mustHex(f, "61294f10a0000000871002ffffffff890709000050055553696d31730ea00c80011781025f608203454150"))
	f.Add(mustHex(f, "61194f10a0000000871004ffffffff890709000050054953696d31ffffff"))
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := ParseApplication(b)
		if err != nil {
			return
		}
		enc, err := a.Append(nil)
		if err != nil {
			return
		}
		again, err := ParseApplication(enc)
		if err != nil || !bytes.Equal(again.AID, a.AID) || again.Label != a.Label || !bytes.Equal(again.Discretionary, a.Discretionary) {
			t.Fatalf("%x: %+v -> %x -> %+v, %v", b, a, enc, again, err)
		}
	})
}

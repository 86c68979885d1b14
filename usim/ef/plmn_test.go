package ef

import (
	"encoding/hex"
	"errors"
	"strings"
	"testing"
)

func TestPLMNEncodeMatchesPySimEncPLMN(t *testing.T) {
	for _, v := range helperVectors(t, "pysim.utils.enc_plmn") {
		var want string
		unmarshal(t, v.Result, &want)
		mnc := strings.TrimSuffix(v.Args[1], "F") // pySim also accepts an explicit filler
		p, err := NewPLMN(v.Args[0], mnc)
		if err != nil {
			t.Fatalf("%s: %v", v.ID, err)
		}
		if got := strings.ToUpper(hex.EncodeToString(p.Append(nil))); got != strings.ToUpper(want) {
			t.Errorf("%s: NewPLMN(%s, %s) = %s, want %s", v.ID, v.Args[0], v.Args[1], got, want)
		}
	}
}

func TestPLMNDecodeMatchesPySim(t *testing.T) {
	for _, v := range helperVectors(t, "pysim.utils.dec_mcc_from_plmn_str") {
		var want string
		unmarshal(t, v.Result, &want)
		p := PLMN(mustHex(t, v.Args[0]))
		if got := p.MCC(); got != want {
			t.Errorf("%s: MCC(%s) = %q, want %q", v.ID, v.Args[0], got, want)
		}
	}
	for _, v := range helperVectors(t, "pysim.utils.dec_mnc_from_plmn_str") {
		var want string
		unmarshal(t, v.Result, &want)
		p := PLMN(mustHex(t, v.Args[0]))
		if got := p.MNC(); got != want {
			t.Errorf("%s: MNC(%s) = %q, want %q", v.ID, v.Args[0], got, want)
		}
	}
}

func TestParsePLMN(t *testing.T) {
	for _, tc := range []struct{ hex, want string }{
		{"62f210", "262-01"},
		{"031263", "302-361"},
		{"ffffff", "empty"},
		{"00f110", "001-01"},
	} {
		p, err := ParsePLMN(mustHex(t, tc.hex))
		if err != nil || p.String() != tc.want {
			t.Errorf("ParsePLMN(%s) = %v, %v; want %s", tc.hex, p, err, tc.want)
		}
	}
	for _, bad := range []string{"ff0f00", "00f0ff", "62f2", "a2f210"} {
		if _, err := ParsePLMN(mustHex(t, bad)); !errors.Is(err, ErrMalformed) {
			t.Errorf("ParsePLMN(%s) error = %v, want ErrMalformed", bad, err)
		}
	}
	for _, bad := range [][2]string{{"26", "01"}, {"262", "1"}, {"262", "0a"}, {"262", "0123"}} {
		if _, err := NewPLMN(bad[0], bad[1]); !errors.Is(err, ErrInvalid) {
			t.Errorf("NewPLMN(%q, %q) error = %v", bad[0], bad[1], err)
		}
	}
}

func FuzzParsePLMN(f *testing.F) {
	f.Add(mustHex(f, "62f210"))
	f.Add(mustHex(f, "031263"))
	f.Add(mustHex(f, "ffffff"))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := ParsePLMN(b)
		if err != nil || p.IsEmpty() {
			return
		}
		q, err := NewPLMN(p.MCC(), p.MNC())
		if err != nil || q != p {
			t.Fatalf("%x: %v re-built as %v, %v", b, p, q, err)
		}
	})
}

package ef

import (
	"bytes"
	"sort"
	"testing"
)

func TestPLMNwAcTMatchesPySimVectors(t *testing.T) {
	for _, v := range codecVectors(t, "pysim.ef.ts_51_011.EF_xPLMNwAcT") {
		var want []struct {
			MCC, MNC string
			AcT      []string `json:"act"`
		}
		unmarshal(t, v.Decoded, &want)
		for _, in := range [][]byte{v.Encoded, withFF(v.Encoded)} {
			l, err := ParsePLMNwAcTList(in)
			if err != nil || len(l) != len(want) {
				t.Fatalf("%s: ParsePLMNwAcTList = %v, %v", v.ID, l, err)
			}
			for i, w := range want {
				got := l[i].AcT.Technologies()
				sort.Strings(got)
				sort.Strings(w.AcT)
				if l[i].PLMN.MCC() != w.MCC || l[i].PLMN.MNC() != w.MNC || !equalStrings(got, w.AcT) {
					t.Errorf("%s[%d] = %v (%q), want %s-%s %q", v.ID, i, l[i], got, w.MCC, w.MNC, w.AcT)
				}
			}
			if enc := l.Append(nil, 0); !bytes.Equal(enc, v.Encoded) {
				t.Errorf("%s: Append = %x", v.ID, enc)
			}
		}
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestAcTRefinementTables(t *testing.T) {
	for _, tc := range []struct {
		act  AcT
		want string
	}{
		{AcTEUTRAN, "E-UTRAN NB-S1|E-UTRAN WB-S1"},
		{AcTEUTRAN | AcTEUTRANWB, "E-UTRAN WB-S1"},
		{AcTEUTRAN | AcTEUTRANNB, "E-UTRAN NB-S1"},
		{AcTEUTRAN | AcTEUTRANWB | AcTEUTRANNB, "E-UTRAN NB-S1|E-UTRAN WB-S1"},
		{AcTGSM, "EC-GSM-IoT|GSM"},
		{AcTGSM | AcTGSMNoECGSM, "GSM"},
		{AcTUTRAN | AcTGSMCompact, "UTRAN|GSM COMPACT"},
		{0, "none"},
	} {
		if got := tc.act.String(); got != tc.want {
			t.Errorf("%04x: %s, want %s", uint16(tc.act), got, tc.want)
		}
	}
}

func TestFPLMNAndHPPLMN(t *testing.T) {
	raw := mustHex(t, "62f21062f220ffffffffffff")
	l, err := ParsePLMNList(raw)
	if err != nil || len(l) != 4 || l.String() != "262-01, 262-02" || len(l.Used()) != 2 {
		t.Fatalf("ParsePLMNList = %v, %v", l, err)
	}
	if !bytes.Equal(l.Used().Append(nil, 4), raw) {
		t.Error("FPLMN padding")
	}
	if _, err := ParsePLMNList(raw[:5]); err == nil {
		t.Error("5-byte FPLMN accepted")
	}
	for _, v := range codecVectors(t, "pysim.ef.ts_31_102.EF_HPPLMN") {
		var want int
		unmarshal(t, v.Decoded, &want)
		for _, in := range [][]byte{v.Encoded, withFF(v.Encoded)} {
			h, err := ParseHPPLMN(in)
			if err != nil || int(h) != want || !bytes.Equal(h.Append(nil), v.Encoded) {
				t.Errorf("%s: %v, %v", v.ID, h, err)
			}
		}
	}
}

func FuzzParsePLMNwAcTList(f *testing.F) {
	f.Add(mustHex(f, "62F220488C"))
	f.Add(mustHex(f, "62F2104000ffffff0000ff"))
	f.Fuzz(func(t *testing.T, b []byte) {
		l, err := ParsePLMNwAcTList(b)
		if err != nil {
			return
		}
		if enc := l.Append(nil, 0); !bytes.Equal(enc, b[:len(l)*5]) {
			t.Fatalf("%x -> %x", b, enc)
		}
	})
}

func FuzzParsePLMNList(f *testing.F) {
	f.Add(mustHex(f, "62f21062f220ffffff"))
	f.Fuzz(func(t *testing.T, b []byte) {
		l, err := ParsePLMNList(b)
		if err == nil && !bytes.Equal(l.Append(nil, 0), b) {
			t.Fatalf("%x", b)
		}
	})
}

func FuzzParseHPPLMN(f *testing.F) {
	f.Add([]byte{5})
	f.Add([]byte{5, 0xFF})
	f.Fuzz(func(t *testing.T, b []byte) {
		h, err := ParseHPPLMN(b)
		if err == nil && h.Append(nil)[0] != b[0] {
			t.Fatalf("%x", b)
		}
	})
}

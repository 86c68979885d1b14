package ef

import (
	"bytes"
	"strconv"
	"testing"
)

func TestACCMatchesPySimVectors(t *testing.T) {
	for _, v := range codecVectors(t, "pysim.ef.ts_51_011.EF_ACC") {
		var want map[string]bool
		unmarshal(t, v.Decoded, &want)
		for _, in := range [][]byte{v.Encoded, withFF(v.Encoded)} {
			a, err := ParseACC(in)
			if err != nil {
				t.Fatal(err)
			}
			for n := 0; n < 16; n++ {
				if a.Has(n) != want["ACC"+strconv.Itoa(n)] {
					t.Errorf("%s: ACC%d = %v", v.ID, n, a.Has(n))
				}
			}
			if !bytes.Equal(a.Append(nil), v.Encoded) {
				t.Errorf("%s: Append", v.ID)
			}
		}
	}
}

func TestStartHFNAndThresholdMatchPySim(t *testing.T) {
	for _, v := range codecVectors(t, "pysim.ef.ts_31_102.EF_START_HFN") {
		var want struct {
			CS uint32 `json:"start_cs"`
			PS uint32 `json:"start_ps"`
		}
		unmarshal(t, v.Decoded, &want)
		s, err := ParseStartHFN(withFF(v.Encoded))
		if err != nil || s.CS != want.CS || s.PS != want.PS || !bytes.Equal(s.Append(nil), v.Encoded) {
			t.Errorf("%s: %+v, %v", v.ID, s, err)
		}
	}
	for _, v := range codecVectors(t, "pysim.ef.ts_31_102.EF_THRESHOLD") {
		var want struct {
			Max uint32 `json:"max_start"`
		}
		unmarshal(t, v.Decoded, &want)
		th, err := ParseThreshold(withFF(v.Encoded))
		if err != nil || uint32(th) != want.Max || !bytes.Equal(th.Append(nil), v.Encoded) {
			t.Errorf("%s: %v, %v", v.ID, th, err)
		}
	}
}

func TestLanguagesMatchPySimVectors(t *testing.T) {
	for _, v := range codecVectors(t, "pysim.ef.ts_51_011.EF_PL") {
		var want []*string
		unmarshal(t, v.Decoded, &want)
		l, err := ParseLanguages(v.Encoded)
		if err != nil || len(l) != len(want) {
			t.Fatalf("%s: %v, %v", v.ID, l, err)
		}
		for i, w := range want {
			if (w == nil && l[i] != "") || (w != nil && *w != l[i]) {
				t.Errorf("%s[%d] = %q", v.ID, i, l[i])
			}
		}
		enc, err := l.Append(nil, 0)
		if err != nil || !bytes.Equal(enc, v.Encoded) {
			t.Errorf("%s: Append = %x, %v", v.ID, enc, err)
		}
	}
	if _, err := (Languages{"eng"}).Append(nil, 0); err == nil {
		t.Error("3-letter code accepted")
	}
	if _, err := ParseLanguages(mustHex(t, "3132")); err == nil {
		t.Error("digits accepted as a language")
	}
}

func FuzzParseLanguages(f *testing.F) {
	f.Add(mustHex(f, "656e64657275ffffffff"))
	f.Fuzz(func(t *testing.T, b []byte) {
		l, err := ParseLanguages(b)
		if err != nil {
			return
		}
		enc, err := l.Append(nil, 0)
		if err != nil || len(enc) != len(b) {
			t.Fatalf("%x -> %x, %v", b, enc, err)
		}
	})
}

func FuzzParseACC(f *testing.F) {
	f.Add(mustHex(f, "802b"))
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := ParseACC(b)
		if err == nil && !bytes.Equal(a.Append(nil), b[:2]) {
			t.Fatalf("%x", b)
		}
	})
}

func FuzzParseStartHFN(f *testing.F) {
	f.Add(mustHex(f, "f00000f00000"))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := ParseStartHFN(b)
		if err == nil && !bytes.Equal(s.Append(nil), b[:6]) {
			t.Fatalf("%x", b)
		}
		th, err := ParseThreshold(b)
		if err == nil && !bytes.Equal(th.Append(nil), b[:3]) {
			t.Fatalf("%x", b)
		}
	})
}

package ef

import (
	"bytes"
	"testing"
)

func TestLOCIMatchesPySimVectors(t *testing.T) {
	for _, v := range codecVectors(t, "pysim.ef.ts_31_102.EF_LOCI") {
		var want struct {
			TMSI struct {
				Bytes string `json:"$bytes"`
			} `json:"tmsi"`
			LAI struct {
				MCCMNC string `json:"mcc_mnc"`
				LAC    struct {
					Bytes string `json:"$bytes"`
				} `json:"lac"`
			} `json:"lai"`
			RFU    byte `json:"rfu"`
			Status byte `json:"lu_status"`
		}
		unmarshal(t, v.Decoded, &want)
		for _, in := range [][]byte{v.Encoded, withFF(v.Encoded)} {
			l, err := ParseLOCI(in)
			lac := mustHex(t, want.LAI.LAC.Bytes)
			if err != nil || !bytes.Equal(l.TMSI[:], mustHex(t, want.TMSI.Bytes)) || l.LAI.PLMN.String() != want.LAI.MCCMNC ||
				l.LAI.LAC != uint16(lac[0])<<8|uint16(lac[1]) || l.RFU != want.RFU || byte(l.Status) != want.Status {
				t.Errorf("%s: ParseLOCI = %v, %v; want %s", v.ID, l, err, v.Decoded)
			}
			if enc := l.Append(nil); !bytes.Equal(enc, v.Encoded) {
				t.Errorf("%s: Append = %x", v.ID, enc)
			}
		}
	}
}

func TestPSLOCIAndEPSLOCILayouts(t *testing.T) {
	// TS 31.102 §4.2.23: P-TMSI(4) P-TMSI sig(3) RAI(6) status(1).
	ps := mustHex(t, "11223344aabbcc62f2101234ab01")
	p, err := ParsePSLOCI(ps)
	if err != nil || p.LAI.PLMN.String() != "262-01" || p.LAI.LAC != 0x1234 || p.RAC != 0xAB || p.Status != NotUpdated {
		t.Fatalf("ParsePSLOCI = %v, %v", p, err)
	}
	if !bytes.Equal(p.Append(nil), ps) {
		t.Error("PSLOCI round trip")
	}
	// TS 31.102 §4.2.91: GUTI(12) TAI(5) status(1); GUTI from the length
	// octet 0B and F6 (odd/even 0, type GUTI 110).
	eps := mustHex(t, "0bf662f210800101c0ffee0162f2100001"+"00")
	e, err := ParseEPSLOCI(eps)
	if err != nil || e.TAI.PLMN.String() != "262-01" || e.TAI.LAC != 1 || e.Status != Updated || e.GUTI[0] != 0x0B {
		t.Fatalf("ParseEPSLOCI = %v, %v", e, err)
	}
	if !bytes.Equal(e.Append(nil), eps) {
		t.Error("EPSLOCI round trip")
	}
	if _, err := ParseEPSLOCI(eps[:17]); err == nil {
		t.Error("17-byte EPSLOCI accepted")
	}
	if _, err := ParsePSLOCI(ps[:13]); err == nil {
		t.Error("13-byte PSLOCI accepted")
	}
}

func FuzzParseLOCI(f *testing.F) {
	f.Add(mustHex(f, "47d1264a62f21037211e00"))
	f.Fuzz(func(t *testing.T, b []byte) {
		l, err := ParseLOCI(b)
		if err == nil && !bytes.Equal(l.Append(nil), b[:LOCILen]) {
			t.Fatalf("%x", b)
		}
	})
}

func FuzzParsePSLOCI(f *testing.F) {
	f.Add(mustHex(f, "11223344aabbcc62f2101234ab01"))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := ParsePSLOCI(b)
		if err == nil && !bytes.Equal(p.Append(nil), b[:PSLOCILen]) {
			t.Fatalf("%x", b)
		}
	})
}

func FuzzParseEPSLOCI(f *testing.F) {
	f.Add(mustHex(f, "0bf662f210800101c0ffee0162f210000100"))
	f.Fuzz(func(t *testing.T, b []byte) {
		e, err := ParseEPSLOCI(b)
		if err == nil && !bytes.Equal(e.Append(nil), b[:EPSLOCILen]) {
			t.Fatalf("%x", b)
		}
	})
}

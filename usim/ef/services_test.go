package ef

import (
	"bytes"
	"strings"
	"testing"
)

func TestUSTBitNumbering(t *testing.T) {
	// TS 31.102 §4.2.8: byte 1 b1 = service 1, byte 1 b8 = service 8,
	// byte 2 b1 = service 9.
	u, err := ParseUST(mustHex(t, "8102"))
	if err != nil {
		t.Fatal(err)
	}
	for n, want := range map[USIMService]bool{1: true, 2: false, 8: true, 9: false, 10: true, 17: false, 0: false} {
		if u.Has(n) != want {
			t.Errorf("Has(%d) = %v, want %v", n, !want, want)
		}
	}
	var v UST
	v = v.Set(ServiceGSMAccess, true).Set(ServiceSPN, true).Set(ServiceMSISDN, true)
	if !bytes.Equal(v.Append(nil), mustHex(t, "00001404")) {
		t.Errorf("Set 19,21,27 = %x, want 00001404", []byte(v))
	}
	v = v.Set(ServiceMSISDN, false)
	if v.Has(ServiceMSISDN) || !v.Has(ServiceSPN) {
		t.Errorf("clear 21: %v", v)
	}
	if s := v.String(); !strings.Contains(s, "19 Service Provider Name") || !strings.Contains(s, "27 GSM Access") {
		t.Errorf("String = %s", s)
	}
	if ServiceEPSMMInfo.String() != "EPS Mobility Management Information" || USIMService(26).String() != "RFU" {
		t.Error("service names")
	}
}

func TestEST(t *testing.T) {
	e, err := ParseEST([]byte{0x05})
	if err != nil || !e.Has(ESTFDN) || e.Has(ESTBDN) || !e.Has(ESTACL) {
		t.Fatalf("ParseEST(05) = %v, %v", e, err)
	}
	if s := e.String(); s != "EST{1 Fixed Dialling Numbers (FDN); 3 APN Control List (ACL)}" {
		t.Errorf("String = %s", s)
	}
	if _, err := ParseEST(nil); err == nil {
		t.Error("empty EST accepted")
	}
}

func FuzzParseUST(f *testing.F) {
	f.Add(mustHex(f, "beff9f9de73e0408400170730000002e00000000"))
	f.Fuzz(func(t *testing.T, b []byte) {
		u, err := ParseUST(b)
		if err != nil {
			return
		}
		var w UST = make(UST, len(b))
		for _, s := range u.Services() {
			w = w.Set(s, true)
		}
		if !bytes.Equal(w, b) {
			t.Fatalf("services of %x rebuild %x", b, []byte(w))
		}
	})
}

func FuzzParseEST(f *testing.F) {
	f.Add([]byte{0x05})
	f.Fuzz(func(t *testing.T, b []byte) {
		e, err := ParseEST(b)
		if err == nil && !bytes.Equal(e.Append(nil), b) {
			t.Fatalf("%x", b)
		}
	})
}

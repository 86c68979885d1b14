package ef

import (
	"bytes"
	"errors"
	"testing"
)

func TestECCMatchesPySimVectors(t *testing.T) {
	cats := map[string]ECCCategory{"police": ECCPolice, "ambulance": ECCAmbulance, "fire_brigade": ECCFireBrigade,
		"marine_guard": ECCMarineGuard, "mountain_rescue": ECCMountainRescue, "manual_ecall": ECCManualECall, "automatic_ecall": ECCAutomaticECall}
	for _, v := range codecVectors(t, "pysim.ef.ts_31_102.EF_ECC") {
		var want struct {
			Code string          `json:"call_code"`
			Cat  map[string]bool `json:"service_category"`
		}
		unmarshal(t, v.Decoded, &want)
		var exp ECC
		exp.Code = want.Code
		for k, on := range want.Cat {
			if on {
				exp.Category |= cats[k]
			}
		}
		got, err := ParseECC(v.Encoded)
		if err != nil || got != exp {
			t.Errorf("%s: ParseECC = %v, %v; want %v", v.ID, got, err, exp)
		}
		enc, err := exp.Append(nil, len(v.Encoded))
		if err != nil || !bytes.Equal(enc, v.Encoded) {
			t.Errorf("%s: Append = %x, %v", v.ID, enc, err)
		}
	}
}

func TestECCWithAlpha(t *testing.T) {
	e := ECC{Code: "112", Alpha: "SOS", Category: ECCPolice | ECCFireBrigade}
	enc, err := e.Append(nil, 10)
	if err != nil || !bytes.Equal(enc, mustHex(t, "11f2ff534f53ffffff05")) {
		t.Fatalf("Append = %x, %v", enc, err)
	}
	if got, err := ParseECC(enc); err != nil || got != e || got.String() != `112 "SOS" police|fire brigade` {
		t.Errorf("ParseECC = %v, %v", got, err)
	}
	if _, err := ParseECC(mustHex(t, "ffffff00")); !errors.Is(err, ErrEmpty) {
		t.Errorf("unused record: %v", err)
	}
	for _, h := range []string{"1f1f00", "1af1ff00", "19f1"} {
		if _, err := ParseECC(mustHex(t, h)); !errors.Is(err, ErrMalformed) {
			t.Errorf("ParseECC(%s) = %v", h, err)
		}
	}
}

func FuzzParseECC(f *testing.F) {
	f.Add(mustHex(f, "19f1ff01"))
	f.Add(mustHex(f, "11f2ff534f53ffffff05"))
	f.Fuzz(func(t *testing.T, b []byte) {
		e, err := ParseECC(b)
		if err != nil || e.Code == "" {
			return
		}
		enc, err := e.Append(nil, len(b))
		if err != nil {
			return
		}
		if again, err := ParseECC(enc); err != nil || again != e {
			t.Fatalf("%x: %v -> %x -> %v, %v", b, e, enc, again, err)
		}
	})
}

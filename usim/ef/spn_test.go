package ef

import (
	"bytes"
	"errors"
	"testing"
)

func TestSPNMatchesPySimVector(t *testing.T) {
	for _, v := range codecVectors(t, "pysim.ef.ts_51_011.EF_SPN") {
		var want struct {
			Hide bool   `json:"hide_in_oplmn"`
			Show bool   `json:"show_in_hplmn"`
			SPN  string `json:"spn"`
		}
		unmarshal(t, v.Decoded, &want)
		for _, in := range [][]byte{v.Encoded, withFF(v.Encoded)} {
			got, err := ParseSPN(in)
			if err != nil || got.Name != want.SPN ||
				(got.Display&SPNShowPLMNInHPLMN != 0) != want.Show ||
				(got.Display&SPNHideWhenRoaming != 0) != want.Hide {
				t.Errorf("%s: ParseSPN = %v, %v; want %s", v.ID, got, err, v.Decoded)
			}
		}
		got, _ := ParseSPN(v.Encoded)
		enc, err := got.Append(nil)
		if err != nil || !bytes.Equal(enc, v.Encoded) {
			t.Errorf("%s: Append = %x, %v; want %x", v.ID, enc, err, v.Encoded)
		}
	}
}

func TestSPNCoding(t *testing.T) {
	for _, tc := range []struct {
		name string
		spn  SPN
		hex  string
	}{
		// TS 23.038 default alphabet: '@' is 00, '€' is 1B 65.
		{"default alphabet with escape", SPN{Display: 0, Name: "@€"}, "00001b65ffffffffffffffffffffffffff"},
		// Not in the default alphabet: UCS2 with the '80' prefix.
		{"UCS2", SPN{Display: 3, Name: "Ωмега"}, "038003a9043c043504330430ffffffffff"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			enc, err := tc.spn.Append(nil)
			if err != nil || !bytes.Equal(enc, mustHex(t, tc.hex)) {
				t.Fatalf("Append = %x, %v; want %s", enc, err, tc.hex)
			}
			got, err := ParseSPN(enc)
			if err != nil || got != tc.spn {
				t.Errorf("ParseSPN = %v, %v", got, err)
			}
		})
	}
	if _, err := (SPN{Name: "seventeen chars!!"}).Append(nil); !errors.Is(err, ErrInvalid) {
		t.Errorf("17-char name: %v", err)
	}
	if _, err := ParseSPN(mustHex(t, "ffffffffffffffffffffffffffffffffff")); !errors.Is(err, ErrEmpty) {
		t.Errorf("erased: %v", err)
	}
}

func TestAlphaUCS2Forms81And82(t *testing.T) {
	// TS 102 221 Annex A example form 81: 3 chars, base 0x0400 (byte 08),
	// "Ч" (0x0427 = base + 0x27), "1" (default alphabet), "Ш" (0x0428).
	s, err := ParseAlpha(mustHex(t, "810308a731a8ff"))
	if err != nil || s != "Ч1Ш" {
		t.Errorf("form 81 = %q, %v", s, err)
	}
	s, err = ParseAlpha(mustHex(t, "82020400a7a8"))
	if err != nil || s != "ЧШ" {
		t.Errorf("form 82 = %q, %v", s, err)
	}
	if _, err := ParseAlpha(mustHex(t, "8105")); !errors.Is(err, ErrMalformed) {
		t.Errorf("truncated 81: %v", err)
	}
}

func FuzzParseSPN(f *testing.F) {
	f.Add(mustHex(f, "0147534d2d52204348ffffffffffffffff"))
	f.Add(mustHex(f, "038003a9043c043504330430ffffffffff"))
	f.Add(mustHex(f, "00810308a731a8ffffffffffffffffffff"))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := ParseSPN(b)
		if err != nil {
			return
		}
		enc, err := s.Append(nil)
		if err != nil {
			return // e.g. a form-81 name that needs more than 16 bytes as '80'
		}
		if allFF(enc) {
			return // an SPN/record with nothing set is the erased content
		}
		again, err := ParseSPN(enc)
		if err != nil || again != s {
			t.Fatalf("%x: %v -> %x -> %v, %v", b, s, enc, again, err)
		}
	})
}

func FuzzParseAlpha(f *testing.F) {
	f.Add(mustHex(f, "47534d2d52204348ffff"))
	f.Add(mustHex(f, "8003a9043cffff"))
	f.Add(mustHex(f, "810308a731a8ff"))
	f.Add(mustHex(f, "82020400a7a8"))
	f.Add(mustHex(f, "1b65"))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := ParseAlpha(b)
		if err != nil {
			return
		}
		enc, err := AppendAlpha(nil, s)
		if err != nil {
			return // e.g. U+FFFF from a form-81 base, not codable as '80'
		}
		again, err := ParseAlpha(enc)
		if err != nil || again != s {
			t.Fatalf("%x: %q -> %x -> %q, %v", b, s, enc, again, err)
		}
	})
}

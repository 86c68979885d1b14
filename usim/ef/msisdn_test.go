package ef

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"
)

func TestDialNumberMatchesPySimVectors(t *testing.T) {
	tons := map[string]TypeOfNumber{"network_specific": TONNetworkSpecific, "international": TONInternational}
	for _, v := range codecVectors(t, "pysim.ef.ts_51_011.EF_MSISDN") {
		var full struct {
			Alpha  *string `json:"alpha_id"`
			TONNPI struct {
				TON string `json:"type_of_number"`
				NPI string `json:"numbering_plan_id"`
			} `json:"ton_npi"`
			Number string          `json:"dialing_nr"`
			Short  json.RawMessage `json:"msisdn"`
		}
		unmarshal(t, v.Decoded, &full)
		got, err := ParseDialNumber(v.Encoded)
		if err != nil {
			t.Fatalf("%s: %v", v.ID, err)
		}
		var want DialNumber
		want.CCP, want.Ext = 0xFF, 0xFF
		if full.Alpha != nil { // decode_then_re-encode form
			want.Alpha, want.Number, want.TON, want.NPI = *full.Alpha, full.Number, tons[full.TONNPI.TON], NPIISDN
		} else { // encode_only form: [npi, ton, digits] or a bare number string
			var triple []json.RawMessage
			if json.Unmarshal(full.Short, &triple) == nil {
				var npi, ton int
				unmarshal(t, triple[0], &npi)
				unmarshal(t, triple[1], &ton)
				unmarshal(t, triple[2], &want.Number)
				want.NPI, want.TON = NumberingPlan(npi), TypeOfNumber(ton)
			} else {
				// pySim's bare-string form uses npi=1, ton=3 (b1), as the encoding shows.
				unmarshal(t, full.Short, &want.Number)
				want.NPI, want.TON = NPIISDN, TONNetworkSpecific
			}
		}
		if got != want {
			t.Errorf("%s: ParseDialNumber = %+v, want %+v", v.ID, got, want)
		}
		enc, err := want.Append(nil, len(v.Encoded))
		if err != nil || !bytes.Equal(enc, v.Encoded) {
			t.Errorf("%s: Append = %x, %v; want %x", v.ID, enc, err, v.Encoded)
		}
	}
}

func TestDialNumberEdges(t *testing.T) {
	d := DialNumber{TON: TONInternational, NPI: NPIISDN, Number: "*#p?0", CCP: 0xFF, Ext: 0xFF}
	enc, err := d.Append(nil, 14)
	if err != nil || !bytes.Equal(enc, mustHex(t, "0491badcf0ffffffffffffffffff")) {
		t.Fatalf("Append = %x, %v", enc, err)
	}
	if got, err := ParseDialNumber(enc); err != nil || got != d {
		t.Errorf("round trip = %+v, %v", got, err)
	}
	emptyRec, _ := DialNumber{CCP: 0xFF, Ext: 0xFF}.Append(nil, 20)
	if _, err := ParseDialNumber(emptyRec); !errors.Is(err, ErrEmpty) {
		t.Errorf("empty record: %x %v", emptyRec, err)
	}
	for _, bad := range []DialNumber{{Number: "12345678901234567890123"}, {Number: "12a"}, {Alpha: "too long for it"}} {
		if _, err := bad.Append(nil, 20); !errors.Is(err, ErrInvalid) {
			t.Errorf("Append(%+v) error = %v", bad, err)
		}
	}
	for _, h := range []string{"0c81214365870921436587ffff", "0d8121f3658709214365870921ffff"[:28], "04812143e5ffffffffffffffffff"} {
		if _, err := ParseDialNumber(mustHex(t, h)); !errors.Is(err, ErrMalformed) {
			t.Errorf("ParseDialNumber(%s) error = %v", h, err)
		}
	}
}

func FuzzParseDialNumber(f *testing.F) {
	f.Add(mustHex(f, "ffffffffffffffffffffffffffffffffffffffff04b12143f5ffffffffffffffffff"))
	f.Add(mustHex(f, "456967656e65205275666e756d6d6572ffffffff0891947172199181f3ffffffffff"))
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := ParseDialNumber(b)
		if err != nil {
			return
		}
		enc, err := d.Append(nil, len(b))
		if err != nil {
			return // alpha in a form that re-encodes longer (81/82 -> 80)
		}
		if allFF(enc) {
			return // an SPN/record with nothing set is the erased content
		}
		again, err := ParseDialNumber(enc)
		if err != nil || again != d {
			t.Fatalf("%x: %+v -> %x -> %+v, %v", b, d, enc, again, err)
		}
	})
}

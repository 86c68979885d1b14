package ef

import (
	"bytes"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
)

func TestIMSIMatchesPySimVectors(t *testing.T) {
	for _, v := range codecVectors(t, "pysim.ef.ts_51_011.EF_IMSI") {
		var want struct{ IMSI string }
		unmarshal(t, v.Decoded, &want)
		for _, in := range [][]byte{v.Encoded, withFF(v.Encoded)} {
			got, err := ParseIMSI(in)
			if err != nil || got.String() != want.IMSI {
				t.Errorf("%s: ParseIMSI(%x) = %q, %v; want %q", v.ID, in, got, err, want.IMSI)
			}
		}
		imsi, err := NewIMSI(want.IMSI)
		if err != nil {
			t.Fatal(err)
		}
		if got := imsi.Append(nil); !bytes.Equal(got, v.Encoded) {
			t.Errorf("%s: Append = %x, want %x", v.ID, got, v.Encoded)
		}
	}
}

func TestIMSIEncodeMatchesPySimEncIMSI(t *testing.T) {
	for _, v := range helperVectors(t, "pysim.utils.enc_imsi") {
		var want string
		unmarshal(t, v.Result, &want)
		imsi, err := NewIMSI(v.Args[0])
		if err != nil {
			t.Fatalf("%s: %v", v.ID, err)
		}
		if got := hex.EncodeToString(imsi.Append(nil)); got != want {
			t.Errorf("%s: Append(%s) = %s, want %s", v.ID, v.Args[0], got, want)
		}
	}
}

func TestIMSIDecodeMatchesPySimDecIMSI(t *testing.T) {
	for _, v := range helperVectors(t, "pysim.utils.dec_imsi") {
		var want string
		unmarshal(t, v.Result, &want)
		got, err := ParseIMSI(mustHex(t, v.Args[0]))
		if err != nil || got.String() != want {
			t.Errorf("%s: ParseIMSI(%s) = %q, %v; want %q", v.ID, v.Args[0], got, err, want)
		}
	}
}

func TestIMSIRejects(t *testing.T) {
	for _, tc := range []struct {
		name, hex, want string
		sentinel        error
	}{
		{"erased", "ffffffffffffffffff", "erased", ErrEmpty},
		{"empty", "", "content is empty", ErrMalformed},
		{"length zero", "00", "length", ErrMalformed},
		{"length nine", "09", "not in 1..8", ErrMalformed},
		{"truncated", "0809101000", "length byte says 8", ErrMalformed},
		{"type not IMSI", "080a10100000214365", "type of identity", ErrMalformed},
		{"parity even but 15 digits", "080110100000214365", "parity", ErrMalformed},
		{"non-decimal digit", "0809101000002143a5", "non-decimal", ErrMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseIMSI(mustHex(t, tc.hex))
			if err == nil || !errors.Is(err, tc.sentinel) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("ParseIMSI(%s) error = %v, want %q wrapping %v", tc.hex, err, tc.want, tc.sentinel)
			}
		})
	}
}

func TestNewIMSIValidatesDigitCount(t *testing.T) {
	_, err := NewIMSI("0010101234567890")
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "digit count 16 exceeds 15") {
		t.Errorf("16 digits: %v", err)
	}
	if _, err := NewIMSI("00101a"); !errors.Is(err, ErrInvalid) {
		t.Errorf("letter: %v", err)
	}
	if _, err := NewIMSI("00101"); !errors.Is(err, ErrInvalid) {
		t.Errorf("5 digits: %v", err)
	}
}

func TestIMSIPLMNUsesMNCLength(t *testing.T) {
	imsi, _ := NewIMSI("310150123456789")
	p, err := imsi.PLMN(3)
	if err != nil || p.String() != "310-150" {
		t.Errorf("PLMN(3) = %v, %v", p, err)
	}
	p, err = imsi.PLMN(2)
	if err != nil || p.String() != "310-15" {
		t.Errorf("PLMN(2) = %v, %v", p, err)
	}
}

func FuzzParseIMSI(f *testing.F) {
	f.Add(mustHex(f, "082982608200002080"))
	f.Add(mustHex(f, "0709101000002143ff"))
	f.Add(mustHex(f, "07011010000021f3"))
	f.Add(mustHex(f, "ffffffffffffffffff"))
	f.Fuzz(func(t *testing.T, b []byte) {
		imsi, err := ParseIMSI(b)
		if err != nil {
			return
		}
		// Whatever parses re-encodes to the same IMSI.
		again, err := ParseIMSI(imsi.Append(nil))
		if err != nil || again != imsi {
			t.Fatalf("round trip of %x: %q -> %q, %v", b, imsi, again, err)
		}
	})
}

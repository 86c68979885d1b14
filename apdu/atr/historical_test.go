package atr

import (
	"errors"
	"strings"
	"testing"
)

// Historical bytes of ISO/IEC 7816-4 §8.1.1.
func TestParseHistorical(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		category byte
		objects  string // "tag:value ..." in hex
		status   string
		channels int
		str      string
	}{
		{"sysmoUSIM-SJS1", "8031A073BE21136743200718000001", 0x80, "3:A0 7:BE2113 6:43200718000001", "", 4,
			"category 80, COMPACT-TLV: card service data A0, card capabilities BE 21 13 (4 logical channels, assigned by the card), pre-issuing data 43 20 07 18 00 00 01"},
		{"NXP with status indicator", "0031C173C840000090 00", 0x00, "3:C1 7:C84000", "009000", 1,
			"category 00, COMPACT-TLV: card service data C1, card capabilities C8 40 00 (1 logical channel); status indicator LCS 00 SW 9000"},
		{"eight or more channels", "80 7301021F", 0x80, "7:01021F", "", 8,
			"category 80, COMPACT-TLV: card capabilities 01 02 1F (8 or more logical channels, assigned by the card)"},
		{"application identifier, no capabilities", "80 F5A000000087", 0x80, "F:A000000087", "", 0,
			"category 80, COMPACT-TLV: application identifier A0 00 00 00 87"},
		{"DIR data reference", "1042", 0x10, "", "", 0, "category 10, DIR data reference 42"},
		{"proprietary", "4173747269 64", 0x41, "", "", 0, "category 41 (proprietary)"},
		{"empty", "", 0, "", "", 0, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h, err := ParseHistorical(unhex(t, tc.in))
			if err != nil {
				t.Fatal(err)
			}
			if h.Category != tc.category {
				t.Errorf("category %02X", h.Category)
			}
			var objs []string
			for _, o := range h.Objects {
				objs = append(objs, hex2(o.Tag)[1:]+":"+strings.ReplaceAll(hexSpaced(o.Value), " ", ""))
			}
			if got := strings.Join(objs, " "); got != tc.objects {
				t.Errorf("objects %q, want %q", got, tc.objects)
			}
			if got := strings.ReplaceAll(hexSpaced(h.Status), " ", ""); got != tc.status {
				t.Errorf("status %s", got)
			}
			n, _, ok := h.MaxLogicalChannels()
			if n != tc.channels || ok != (tc.channels != 0) {
				t.Errorf("channels %d %v", n, ok)
			}
			if len(tc.in) > 0 && h.String() != tc.str {
				t.Errorf("String() = %q\nwant       %q", h.String(), tc.str)
			}
		})
	}
	if n := (CompactTLV{Tag: 9}).Name(); n != "tag 9" {
		t.Error(n)
	}
}

func TestParseHistoricalRejects(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		offset int
	}{
		{"category 00 without status indicator", "003190", 3},
		{"object past the end", "8073BE21", 1},
		{"object past the end, before status", "00 3401 009000", 1},
		{"DIR reference missing", "10", 1},
		{"DIR reference too long", "104243", 1},
	}
	for _, tc := range tests {
		_, err := ParseHistorical(unhex(t, tc.in))
		var e *Error
		if !errors.As(err, &e) || !errors.Is(err, ErrMalformed) || e.Offset != tc.offset {
			t.Errorf("%s: err = %v, want offset %d", tc.name, err, tc.offset)
		}
	}
}

func FuzzParseHistorical(f *testing.F) {
	for _, s := range []string{"8031A073BE21136743200718000001", "0031C173C84000009000", "1042", "00", "80", "8073", "41"} {
		f.Add(unhex(f, s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		h, err := ParseHistorical(in)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Offset < 0 || e.Offset > len(in) {
				t.Fatalf("bad error %v", err)
			}
			return
		}
		if len(in) == 0 || (h.Category != CategoryCompact && h.Category != CategoryCompactStatus) {
			_ = h.String()
			return
		}
		// The objects and the status indicator account for every byte.
		n := 1 + len(h.Status)
		for _, o := range h.Objects {
			n += 1 + len(o.Value)
		}
		if n != len(in) {
			t.Fatalf("decoded %d of %d bytes", n, len(in))
		}
		_ = h.String()
	})
}

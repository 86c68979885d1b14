package tlv

import "testing"

func TestTagFields(t *testing.T) {
	tests := []struct {
		tag         Tag
		valid       bool
		len         int
		class       Class
		constructed bool
		number      uint32
		str         string
	}{
		{0x62, true, 1, ClassApplication, true, 2, "62 (FCP template)"},
		{0x82, true, 1, ClassContextSpecific, false, 2, "82 (context-specific primitive 2)"},
		{0xA5, true, 1, ClassContextSpecific, true, 5, "A5 (context-specific constructed 5)"},
		{0xC6, true, 1, ClassPrivate, false, 6, "C6 (private primitive 6)"},
		{0x04, true, 1, ClassUniversal, false, 4, "04 (universal primitive 4)"},
		{0xD1, true, 1, ClassPrivate, false, 17, "D1 (SMS-PP download)"},
		{0x9F70, true, 2, ClassContextSpecific, false, 0x70, "9F70 (context-specific primitive 112)"},
		{0xBF2D, true, 2, ClassContextSpecific, true, 45, "BF2D (context-specific constructed 45)"},
		{0x5F1F, true, 2, ClassApplication, false, 31, "5F1F (application primitive 31)"},
		{0x7F8101, true, 3, ClassApplication, true, 129, "7F8101 (application constructed 129)"},
		{0xDFFF7F, true, 3, ClassPrivate, false, 0x3FFF, "DFFF7F (private primitive 16383)"},
		{0x00, false, 1, ClassUniversal, false, 0, ""},
		{0xFF, false, 1, ClassPrivate, true, 31, ""},
		{0x1F, false, 1, ClassUniversal, false, 31, ""},          // announces more bytes
		{0x9F1E, false, 2, ClassContextSpecific, false, 30, ""},  // number < 31 in long form
		{0x9F80, false, 2, ClassContextSpecific, false, 0, ""},   // b8 set on the last byte
		{0x9F8001, false, 3, ClassContextSpecific, false, 1, ""}, // leading zero group
		{0x9F8181, false, 3, ClassContextSpecific, false, 129, ""},
		{0x62_82, false, 2, ClassApplication, true, 0x02, ""}, // first byte does not announce a second
		{0x9F818101, false, 4, ClassContextSpecific, false, 0, ""},
	}
	for _, tc := range tests {
		if got := tc.tag.Valid(); got != tc.valid {
			t.Errorf("Tag(%X).Valid() = %v, want %v", uint32(tc.tag), got, tc.valid)
		}
		if !tc.valid {
			continue
		}
		if tc.tag.Len() != tc.len || tc.tag.Class() != tc.class || tc.tag.Constructed() != tc.constructed || tc.tag.Number() != tc.number {
			t.Errorf("Tag(%X): len %d class %v constructed %v number %d", uint32(tc.tag), tc.tag.Len(), tc.tag.Class(), tc.tag.Constructed(), tc.tag.Number())
		}
		if s := tc.tag.String(); s != tc.str {
			t.Errorf("Tag(%X).String() = %q, want %q", uint32(tc.tag), s, tc.str)
		}
		enc := tc.tag.AppendTag(nil)
		r := NewReader(append(enc, 0x00))
		var got Tag
		var v Reader
		if !r.ReadBER(&got, &v) || got != tc.tag {
			t.Errorf("Tag(%X) encodes as %X, reads back %X (%v)", uint32(tc.tag), enc, uint32(got), r.Err())
		}
	}
}

func TestClassString(t *testing.T) {
	for c, s := range map[Class]string{ClassUniversal: "universal", ClassApplication: "application",
		ClassContextSpecific: "context-specific", ClassPrivate: "private"} {
		if c.String() != s {
			t.Errorf("%d.String() = %q", c, c.String())
		}
	}
}

// COMPREHENSION-TLV tag fields, ETSI TS 101 220 §7.1.1.2.
func TestCTagEncoding(t *testing.T) {
	tests := []struct {
		tag CTag
		cr  bool
		enc string
		str string
	}{
		{CTagCommandDetails, true, "81", "01 (command details)"},
		{CTagCommandDetails, false, "01", "01 (command details)"},
		{CTagSMSTPDU, true, "8B", "0B (SMS TPDU)"},
		{CTagAccessTechnology, false, "3F", "3F (access technology)"},
		{0x7E, true, "FE", "7E"},
		{0x7F, false, "7F007F", "7F007F"},
		{0x7F, true, "7F807F", "7F007F"},
		{0x0123, true, "7F8123", "7F0123"},
		{0x7FFF, false, "7F7FFF", "7F7FFF"},
	}
	for _, tc := range tests {
		enc := tc.tag.AppendTag(nil, tc.cr)
		if got := upper(enc); got != tc.enc {
			t.Errorf("CTag(%X).AppendTag(cr=%v) = %s, want %s", uint16(tc.tag), tc.cr, got, tc.enc)
		}
		if tc.tag.Len() != len(enc) {
			t.Errorf("Len = %d, encoding has %d", tc.tag.Len(), len(enc))
		}
		if s := tc.tag.String(); s != tc.str {
			t.Errorf("String = %q, want %q", s, tc.str)
		}
		r := NewReader(append(enc, 0x00))
		var got CTag
		var cr bool
		var v Reader
		if !r.ReadComprehension(&got, &cr, &v) || got != tc.tag || cr != tc.cr {
			t.Errorf("%s reads back as %v cr=%v (%v)", tc.enc, got, cr, r.Err())
		}
	}
	for _, bad := range []CTag{0, 0x8000, 0xFFFF} {
		if bad.Valid() {
			t.Errorf("CTag(%X).Valid() = true", uint16(bad))
		}
	}
}

func upper(b []byte) string {
	const digits = "0123456789ABCDEF"
	s := make([]byte, 0, 2*len(b))
	for _, x := range b {
		s = append(s, digits[x>>4], digits[x&15])
	}
	return string(s)
}

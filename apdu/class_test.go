package apdu

import "testing"

// Class byte codings of ISO/IEC 7816-4 §5.4.1 Tables 2–3 and ETSI TS 102 221
// §10.1.1 Table 10.3.
func TestCLADecoding(t *testing.T) {
	tests := []struct {
		cla     CLA
		kind    ClassKind
		channel int
		sm      int
		chained bool
	}{
		{0x00, ClassInterindustry, 0, 0, false},
		{0x01, ClassInterindustry, 1, 0, false},
		{0x02, ClassInterindustry, 2, 0, false},
		{0x03, ClassInterindustry, 3, 0, false},
		{0x04, ClassInterindustry, 0, 1, false}, // proprietary SM
		{0x08, ClassInterindustry, 0, 2, false}, // ISO SM, header not authenticated
		{0x0C, ClassInterindustry, 0, 3, false}, // ISO SM, header authenticated
		{0x0B, ClassInterindustry, 3, 2, false},
		{0x10, ClassInterindustry, 0, 0, true}, // command chaining, not the last command
		{0x13, ClassInterindustry, 3, 0, true},
		{0x40, ClassInterindustry, 4, 0, false}, // further interindustry: channel 4 + b4..b1
		{0x41, ClassInterindustry, 5, 0, false},
		{0x4F, ClassInterindustry, 19, 0, false},
		{0x50, ClassInterindustry, 4, 0, true},
		{0x60, ClassInterindustry, 4, 2, false}, // b6: ISO SM
		{0x7F, ClassInterindustry, 19, 2, true},
		{0x80, ClassProprietary, 0, 0, false}, // TS 102 221 commands
		{0x81, ClassProprietary, 1, 0, false},
		{0x83, ClassProprietary, 3, 0, false},
		{0x8C, ClassProprietary, 0, 3, false},
		{0xC0, ClassProprietary, 4, 0, false},
		{0xCF, ClassProprietary, 19, 0, false},
		{0xE3, ClassProprietary, 7, 2, false},
		{0xA0, ClassGSM, 0, 0, false}, // TS 51.011: always channel 0
		{0x20, ClassInvalid, 0, 0, false},
		{0x3F, ClassInvalid, 3, 3, true},
		{0x90, ClassProprietary, 0, 0, true}, // chained '80' (ISO/IEC 7816-4 b5; Java Card JCRE §4.3)
		{0x93, ClassProprietary, 3, 0, true},
		{0xD2, ClassProprietary, 6, 0, true},
		{0xA4, ClassInvalid, 0, 0, false}, // only 'A0' is the GSM class (TS 51.011)
		{0xB0, ClassInvalid, 0, 0, true},
		{0xFF, ClassInvalid, 19, 2, true}, // PPS
	}
	for _, tc := range tests {
		c := tc.cla
		if got := c.Kind(); got != tc.kind {
			t.Errorf("CLA %02X Kind = %v, want %v", byte(c), got, tc.kind)
		}
		if tc.kind == ClassInvalid {
			continue // channel and SM bits carry no meaning in an invalid class
		}
		if got := c.Channel(); got != tc.channel {
			t.Errorf("CLA %02X Channel = %d, want %d", byte(c), got, tc.channel)
		}
		if got := c.SecureMessaging(); got != tc.sm {
			t.Errorf("CLA %02X SecureMessaging = %d, want %d", byte(c), got, tc.sm)
		}
		if got := c.Chained(); got != tc.chained {
			t.Errorf("CLA %02X Chained = %v, want %v", byte(c), got, tc.chained)
		}
	}
}

func TestCLAString(t *testing.T) {
	tests := map[CLA]string{
		0x00: "00 (interindustry, channel 0)",
		0x81: "81 (proprietary, channel 1)",
		0xA0: "A0 (GSM, channel 0)",
		0x4F: "4F (interindustry, channel 19)",
		0x1C: "1C (interindustry, channel 0, SM, chained)",
		0xFF: "FF (invalid)",
	}
	for c, want := range tests {
		if got := c.String(); got != want {
			t.Errorf("CLA(%02X).String() = %q, want %q", byte(c), got, want)
		}
	}
	if s := ClassKind(9).String(); s != "invalid" {
		t.Errorf("unknown kind String = %q", s)
	}
}

// WithChannel re-codes the class byte between the first (channels 0–3) and
// further (4–19) codings and keeps kind, chaining and the presence of SM.
func TestCLAWithChannelRoundTrip(t *testing.T) {
	bases := []CLA{0x00, 0x80, 0x10, 0x08, 0x0C, 0x43, 0x60, 0xC5, 0xE0, 0x83, 0x52, 0x91, 0xD3}
	for _, base := range bases {
		for ch := 0; ch <= 19; ch++ {
			c := base.WithChannel(ch)
			if c.Channel() != ch {
				t.Errorf("%02X.WithChannel(%d) = %02X, Channel() = %d", byte(base), ch, byte(c), c.Channel())
			}
			if c.Kind() != base.Kind() {
				t.Errorf("%02X.WithChannel(%d) = %02X changed kind %v -> %v", byte(base), ch, byte(c), base.Kind(), c.Kind())
			}
			if c.Chained() != base.Chained() {
				t.Errorf("%02X.WithChannel(%d) = %02X changed chaining", byte(base), ch, byte(c))
			}
			if (c.SecureMessaging() != 0) != (base.SecureMessaging() != 0) {
				t.Errorf("%02X.WithChannel(%d) = %02X changed SM %d -> %d", byte(base), ch, byte(c), base.SecureMessaging(), c.SecureMessaging())
			}
			if back := c.WithChannel(base.Channel()); back.Channel() != base.Channel() || back.Kind() != base.Kind() {
				t.Errorf("%02X -> %02X -> %02X does not come back", byte(base), byte(c), byte(back))
			}
		}
	}
	exact := []struct {
		in   CLA
		ch   int
		want CLA
	}{
		{0x00, 1, 0x01}, {0x00, 4, 0x40}, {0x00, 19, 0x4F}, {0x80, 3, 0x83}, {0x80, 5, 0xC1},
		{0x0C, 4, 0x60}, {0x60, 2, 0x0A}, {0x10, 7, 0x53}, {0xC1, 0, 0x80},
	}
	for _, e := range exact {
		if got := e.in.WithChannel(e.ch); got != e.want {
			t.Errorf("%02X.WithChannel(%d) = %02X, want %02X", byte(e.in), e.ch, byte(got), byte(e.want))
		}
	}
	for _, bad := range []int{-1, 20, 255} {
		if got := CLA(0x81).WithChannel(bad); got != 0x81 {
			t.Errorf("WithChannel(%d) = %02X, want unchanged 81", bad, byte(got))
		}
	}
	if got := CLA(0xA0).WithChannel(2); got != 0xA0 {
		t.Errorf("GSM class WithChannel = %02X, want A0 (no logical channels in TS 51.011)", byte(got))
	}
}

func TestCommandClass(t *testing.T) {
	c, err := ParseCommand([]byte{0x81, 0xF2, 0x00, 0x00})
	if err != nil {
		t.Fatal(err)
	}
	if c.Class().Channel() != 1 || c.Class().Kind() != ClassProprietary {
		t.Errorf("Class() = %v", c.Class())
	}
}

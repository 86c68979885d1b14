package profile

import (
	"encoding/hex"
	"strings"

	"github.com/uiccsim/uiccsim/usim/ef"
)

// PIN is one PIN, PUK or ADM key with its counters (TS 102 221 §9.5).
type PIN struct {
	Comment string `json:"_comment,omitempty"`
	// Value is the secret: 4 to 8 digits for a PIN, 8 digits for a PUK;
	// an ADM key may also be 8 bytes given as 16 hex digits in Hex.
	Value Secret `json:"value,omitempty"`
	// Hex gives the 8 raw bytes of an ADM key instead of Value.
	Hex Secret `json:"hex,omitempty"`
	// Retries is the remaining attempts; Max the counter's initial value
	// (1..15, the x of 63Cx).
	Retries int `json:"retries"`
	Max     int `json:"max"`
	// Enabled says whether verification is required (PIN1/PIN2 only;
	// default true). A disabled PIN needs retries above 0: a blocked PIN
	// cannot be disabled (TS 102 221 §11.1.12).
	Enabled *bool `json:"enabled,omitempty"`
}

// IsEnabled reports whether the PIN is enabled (true when unset).
func (p PIN) IsEnabled() bool { return p.Enabled == nil || *p.Enabled }

// Block returns the 8-byte value VERIFY compares against: digits coded as
// ASCII and padded with 'FF' (TS 102 221 §9.5.1), or the raw Hex bytes.
func (p PIN) Block() [8]byte {
	var b [8]byte
	for i := range b {
		b[i] = 0xFF
	}
	if p.Hex != "" {
		v, _ := hex.DecodeString(string(p.Hex))
		copy(b[:], v)
		return b
	}
	copy(b[:], p.Value)
	return b
}

// PINs holds the card's verification data (TS 102 221 §9.5.1 key
// references: PIN1 '01', PIN2 '81', ADM1 '0A'; PUK1/PUK2 unblock them).
type PINs struct {
	Comment string `json:"_comment,omitempty"`
	PIN1    PIN    `json:"pin1"`
	PIN2    PIN    `json:"pin2"`
	PUK1    PIN    `json:"puk1"`
	PUK2    PIN    `json:"puk2"`
	ADM1    PIN    `json:"adm1"`
}

// ByKey returns the PIN for a key reference and whether it exists; the
// PUKs have no key reference of their own (they unblock PIN1/PIN2).
func (p *PINs) ByKey(k ef.KeyRef) (*PIN, bool) {
	switch k {
	case ef.KeyPIN1:
		return &p.PIN1, true
	case ef.KeyPIN2:
		return &p.PIN2, true
	case ef.KeyADM1:
		return &p.ADM1, true
	}
	return nil, false
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func (p *PIN) validate(f string, minLen, maxLen int, adm bool) error {
	switch {
	case p.Hex != "":
		if !adm {
			return bad(f+".hex", "only ADM keys may be given in hex")
		}
		if p.Value != "" {
			return bad(f+".hex", "give value or hex, not both")
		}
		v, err := hex.DecodeString(strings.TrimSpace(string(p.Hex)))
		if err != nil || len(v) != 8 {
			return bad(f+".hex", "want 16 hex digits (8 bytes)")
		}
	case !digits(string(p.Value)):
		return bad(f+".value", "want %d to %d decimal digits", minLen, maxLen)
	case len(p.Value) < minLen || len(p.Value) > maxLen:
		return bad(f+".value", "%d digits, want %d to %d", len(p.Value), minLen, maxLen)
	}
	if p.Max < 1 || p.Max > 15 {
		return bad(f+".max", "value %d, want 1..15", p.Max)
	}
	if p.Retries < 0 || p.Retries > p.Max {
		return bad(f+".retries", "value %d, want 0..%d (max)", p.Retries, p.Max)
	}
	return nil
}

func (p *PINs) validate(f string) error {
	for _, c := range []struct {
		name     string
		pin      *PIN
		min, max int
		adm      bool
	}{
		{"pin1", &p.PIN1, 4, 8, false}, {"pin2", &p.PIN2, 4, 8, false},
		{"puk1", &p.PUK1, 8, 8, false}, {"puk2", &p.PUK2, 8, 8, false},
		{"adm1", &p.ADM1, 4, 8, true},
	} {
		if err := c.pin.validate(f+"."+c.name, c.min, c.max, c.adm); err != nil {
			return err
		}
		if c.pin.Enabled != nil && c.name != "pin1" && c.name != "pin2" {
			return bad(f+"."+c.name+".enabled", "only PIN1 and PIN2 can be disabled")
		}
		if !c.pin.IsEnabled() && c.pin.Retries == 0 {
			// DISABLE PIN needs the PIN presented and a blocked PIN cannot
			// be disabled (TS 102 221 §11.1.12): no card reaches this.
			return bad(f+"."+c.name+".enabled", "a disabled PIN cannot be blocked (retries 0); TS 102 221 §11.1.12")
		}
	}
	return nil
}

package usim

import (
	"errors"
	"testing"

	"github.com/uiccsim/uiccsim/usim/fs"
	"github.com/uiccsim/uiccsim/usim/profile"
)

// TestProfileCountersLoadAsCardState checks that the profile's remaining
// tries become the card's retry counters (fs.PIN.Failed = Max-Retries): an
// empty VERIFY (TS 102 221 §11.1.9) reports them as 63Cx, a counter at 0
// answers 6983, and a disabled PIN with tries used loads.
func TestProfileCountersLoadAsCardState(t *testing.T) {
	off := false
	for _, tc := range []struct {
		name   string
		edit   func(p *profile.Profile)
		verify string // empty VERIFY
		want   string
		ref    fs.KeyRef
		state  fs.PINState
	}{
		{"PIN1 1 of 3", func(p *profile.Profile) { p.PINs.PIN1.Retries = 1 }, "0020000100", "63c1",
			fs.KeyPIN1, fs.PINState{Tries: 1, PUKTries: 10, Enabled: true}},
		{"PIN2 0 of 3 is blocked", func(p *profile.Profile) { p.PINs.PIN2.Retries = 0 }, "0020008100", "6983",
			fs.KeyPIN2, fs.PINState{Tries: 0, PUKTries: 10, Enabled: true}},
		{"ADM1 9 of 10", func(p *profile.Profile) { p.PINs.ADM1.Retries = 9 }, "0020000a00", "63c9",
			fs.KeyADM1, fs.PINState{Tries: 9, Enabled: true}},
		{"PUK1 blocked for good", func(p *profile.Profile) { p.PINs.PUK1.Retries = 0 }, "0020000100", "63c3",
			fs.KeyPIN1, fs.PINState{Tries: 3, PUKTries: 0, Enabled: true}},
		{"disabled PIN1 with tries used", func(p *profile.Profile) { p.PINs.PIN1.Retries = 2; p.PINs.PIN1.Enabled = &off }, "", "",
			fs.KeyPIN1, fs.PINState{Tries: 2, PUKTries: 10, Enabled: false}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := profile.Default()
			tc.edit(p)
			c, err := New(p)
			if err != nil {
				t.Fatal(err)
			}
			if tc.verify != "" {
				expect(t, c, tc.verify, tc.want)
			}
			if s, err := c.FS().PINState(tc.ref); err != nil || s != tc.state {
				t.Errorf("%v state %+v (%v), want %+v", tc.ref, s, err, tc.state)
			}
		})
	}
}

func TestProfileRefusesDisabledBlockedPIN(t *testing.T) {
	p := profile.Default()
	off := false
	p.PINs.PIN2.Enabled = &off
	p.PINs.PIN2.Retries = 0
	if _, err := New(p); !errors.Is(err, profile.ErrInvalid) {
		t.Fatalf("New: %v, want profile.ErrInvalid", err)
	}
}

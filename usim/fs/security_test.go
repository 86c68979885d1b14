package fs

import (
	"encoding/hex"
	"strings"
	"testing"

	"github.com/uiccsim/uiccsim/usim/jc"
	"github.com/uiccsim/uiccsim/usim/store"
)

const (
	selUSIMApp = "00A4040C0C A0000000871002FF49FF0589"
	selISIM    = "00A4040C0C A0000000871004FF49FF0589"
	vPIN2      = "0020008108 35363738FFFFFFFF"
	pin1Val    = "31323334FFFFFFFF"
	upinVal    = "34333231FFFFFFFF"
	readSMS1   = "00B2010404"
)

// TestLocalPINBelongsToApplicationSession: PIN2 (81, a local key
// reference) verified in ADF.USIM counts only while ADF.USIM is the
// channel's application, and is lost when the application's session ends
// on its last channel (TS 102 221 §9.5.1).
func TestLocalPINBelongsToApplicationSession(t *testing.T) {
	c := buildCard(t, Options{})
	c.run(t, []step{
		{selUSIMApp, "9000"},
		{vPIN2, "9000"},
		{"00A4000C026F3C", "9000"},
		{readSMS1, "01AABBCC 9000"}, // EF.SMS: read PIN2
		{selUSIMApp, "9000"},        // re-selecting the same application keeps its session
		{"00200081", "9000"},
		{selISIM, "9000"},    // another ADF on the channel ends the USIM session
		{"00200081", "63C3"}, // not verified in the ISIM session
		{selUSIMApp, "9000"},
		{"00200081", "63C3"}, // and gone for the USIM too
		{"00A4000C026F3C", "9000"},
		{readSMS1, "6982"},
		{vPIN2, "9000"},
		{"00A4044C0C A0000000871002FF49FF0589", "9000"}, // SELECT with session termination
		{selUSIMApp, "9000"},
		{"00200081", "63C3"},
	})
	if s, _ := c.fs.PINState(KeyPIN2); s.Verified {
		t.Fatalf("PIN2 state after the session ended: %+v", s)
	}
}

// TestLocalPINSharedWhileApplicationOpenOnAnotherChannel: the session of
// ADF.USIM lasts while any logical channel has it (TS 102 221 §9.5.1,
// §11.1.17); closing that channel ends it.
func TestLocalPINSharedWhileApplicationOpenOnAnotherChannel(t *testing.T) {
	c := buildCard(t, Options{})
	c.run(t, []step{
		{"0070000001", "01 9000"},
		{"01A4040C0C A0000000871002FF49FF0589", "9000"},
		{selUSIMApp, "9000"},
		{vPIN2, "9000"},
		{"01200081", "9000"}, // the same application on channel 1
		{selISIM, "9000"},
		{"00200081", "63C3"}, // channel 0 is in the ISIM session now
		{"01200081", "9000"}, // channel 1 still in the USIM session
		{"0070800100", "9000"},
		{selUSIMApp, "9000"},
		{"00200081", "63C3"}, // the last USIM session ended with channel 1
	})
}

// TestGlobalPINsSurviveApplicationChange: PIN1 (01, application PIN) and
// ADM1 (0A) are global key references; their verification outlives the
// application session (TS 102 221 §9.4.2) until a reset.
func TestGlobalPINsSurviveApplicationChange(t *testing.T) {
	c := buildCard(t, Options{})
	c.run(t, []step{
		{selUSIMApp, "9000"},
		{"0028000108" + pin1Val, "9000"}, // ENABLE PIN1 (verifies it)
		{"0020000A08 3838383838383838", "9000"},
		{selISIM, "9000"},
		{"00200001", "9000"},
		{"0020000A", "9000"},
		{selUSIMApp, "9000"},
		{"00A4000C026F07", "9000"},
		{"00B0000009", "082910101032547698 9000"},
	})
	if _, err := c.rt.Reset(true); err != nil {
		t.Fatal(err)
	}
	c.run(t, []step{{"00200001", "63C3"}, {"0020000A", "63C3"}})
}

// withUPIN adds a universal PIN 4321 to the test card and enables PIN1,
// then resets it.
func withUPIN(t *testing.T) *testCard {
	t.Helper()
	c := buildCard(t, Options{})
	if err := c.fs.AddPIN(PIN{Ref: KeyUniversal, Value: []byte("4321"), PUK: []byte("43214321")}); err != nil {
		t.Fatal(err)
	}
	c.run(t, []step{{"0028000108" + pin1Val, "9000"}})
	if _, err := c.rt.Reset(true); err != nil {
		t.Fatal(err)
	}
	return c
}

// TestDisablePINReplacedByUniversalPIN: DISABLE PIN with P1=91 replaces
// application PIN 01 by the universal PIN (TS 102 221 §11.1.11): EF.IMSI
// (read PIN1) then needs the universal PIN while it is enabled and no PIN
// once it is disabled (the SE table of §9.5.1); ENABLE PIN (§11.1.12)
// brings PIN1 back.
func TestDisablePINReplacedByUniversalPIN(t *testing.T) {
	c := withUPIN(t)
	c.run(t, []step{
		{selUSIMApp, "9000"},
		{"00A4000C026F07", "9000"},
		{"00B0000009", "6982"},
		{"0026910108 39393939FFFFFFFF", "63C2"}, // wrong PIN1 value counts
		{"0026910108" + pin1Val, "9000"},
		{"0026910108" + pin1Val, "6985"}, // already disabled
		{"00B0000009", "6982"},           // replaced: the universal PIN is needed
		{"0020000108" + pin1Val, "6984"}, // PIN1 disabled
		{"00200001", "9000"},
		{"0020001108 39393939FFFFFFFF", "63C2"},
		{"00B0000009", "6982"},
		{"0020001108" + upinVal, "9000"},
		{"00B0000009", "082910101032547698 9000"},
	})
	if s, _ := c.fs.PINState(KeyPIN1); s.Enabled || !s.UseUniversal {
		t.Fatalf("PIN1 after DISABLE P1=91: %+v", s)
	}
	if _, err := c.rt.Reset(true); err != nil {
		t.Fatal(err)
	}
	c.run(t, []step{
		{selUSIMApp, "9000"},
		{"00A4000C026F07", "9000"},
		{"00B0000009", "6982"},           // the replacement survives a reset
		{"0026001108" + upinVal, "9000"}, // DISABLE the universal PIN
		{"00B0000009", "082910101032547698 9000"},
		{"0028001108" + upinVal, "9000"}, // ENABLE it again (verified by it)
		{"00B0000009", "082910101032547698 9000"},
		{"0028000108" + pin1Val, "9000"}, // ENABLE PIN1: replacement dropped
	})
	if s, _ := c.fs.PINState(KeyPIN1); !s.Enabled || s.UseUniversal {
		t.Fatalf("PIN1 after ENABLE: %+v", s)
	}
	if _, err := c.rt.Reset(true); err != nil {
		t.Fatal(err)
	}
	c.run(t, []step{
		{selUSIMApp, "9000"},
		{"0020001108" + upinVal, "9000"},
		{"00A4000C026F07", "9000"},
		{"00B0000009", "6982"},           // PIN1 again, the universal PIN does not do
		{"0026000108" + pin1Val, "9000"}, // plain DISABLE: no PIN needed
		{"00B0000009", "082910101032547698 9000"},
	})
}

// TestDisablePINReplacementRejected: the status words of DISABLE PIN's P1
// checks (TS 102 221 §11.1.11.3), state untouched.
func TestDisablePINReplacementRejected(t *testing.T) {
	c := withUPIN(t)
	c.run(t, []step{
		{"0026918108" + pin1Val, "6A86"}, // PIN2 is no application PIN
		{"0026911108" + upinVal, "6A86"}, // the universal PIN cannot replace itself
		{"0026920108" + pin1Val, "6A86"}, // alternative key 12: not supported
		{"0026810108" + pin1Val, "6A86"},
		{"0028910108" + pin1Val, "6A86"}, // ENABLE takes P1=00 only
		{"00269101", "6700"},
		{"00200001", "63C3"}, // no try counted
	})
	if s, _ := c.fs.PINState(KeyPIN1); !s.Enabled || s.UseUniversal || s.Tries != 3 {
		t.Fatalf("PIN1 changed by rejected commands: %+v", s)
	}
	d := buildCard(t, Options{})
	d.run(t, []step{{"0028000108" + pin1Val, "9000"}, {"0026910108" + pin1Val, "6A88"}}) // no universal PIN on the card
}

// TestPINStatusTemplateUsageQualifier: the universal PIN's key reference
// in the PS_DO template comes after its usage qualifier, 95 01 00 while
// the application PIN is its own, 95 01 08 once DISABLE PIN P1=91 made
// the universal PIN its replacement (TS 102 221 §11.1.1.4.10).
func TestPINStatusTemplateUsageQualifier(t *testing.T) {
	st := store.New(store.Options{})
	f, err := New(st, Spec{ARR: arr(1), PINs: []KeyRef{KeyPIN1, KeyUniversal, KeyADM1}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []PIN{{Ref: KeyPIN1, Value: []byte("1234")}, {Ref: KeyUniversal, Value: []byte("4321")}, {Ref: KeyADM1, Value: []byte("88888888")}} {
		if err := f.AddPIN(p); err != nil {
			t.Fatal(err)
		}
	}
	rt := jc.New(jc.Options{Store: st})
	f.Attach(rt)
	if _, err := rt.Reset(true); err != nil {
		t.Fatal(err)
	}
	c := &testCard{rt: rt, fs: f, st: st}
	fcp := func() string { return strings.ToUpper(hex.EncodeToString(f.AppendFCP(nil, f.MF()))) }
	if want := "C60F9001E0830101950100830111" + "83010A"; !strings.Contains(fcp(), want) {
		t.Fatalf("FCP %s lacks %s", fcp(), want)
	}
	c.run(t, []step{{"0026910108" + pin1Val, "9000"}})
	if want := "C60F900160830101950108830111" + "83010A"; !strings.Contains(fcp(), want) {
		t.Fatalf("FCP %s lacks %s", fcp(), want)
	}
}

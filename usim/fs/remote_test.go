package fs

import (
	"bytes"
	"errors"
	"testing"

	"github.com/uiccsim/uiccsim/apdu"
)

func TestPushRecordMakesTheOldestRecordOne(t *testing.T) {
	c := buildCard(t, Options{})
	if err := c.fs.PushRecord(c.acm, hx("ABCDEF")); err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{"ABCDEF", "000010", "000005"} { // 000001 was the oldest
		if r, _ := c.fs.Record(c.acm, i+1); !bytes.Equal(r, hx(want)) {
			t.Errorf("record %d: % X, want %s", i+1, r, want)
		}
	}
	for name, err := range map[string]error{
		"linear fixed EF": c.fs.PushRecord(c.sms, hx("00000000")),
		"transparent EF":  c.fs.PushRecord(c.imsiEF, hx("000000")),
		"no such node":    c.fs.PushRecord(Node(1000), hx("000000")),
	} {
		if !errors.Is(err, ErrNotFound) {
			t.Errorf("%s: %v, want ErrNotFound", name, err)
		}
	}
	if err := c.fs.PushRecord(c.acm, hx("0000")); !errors.Is(err, ErrBadSpec) {
		t.Errorf("short record: %v, want ErrBadSpec", err)
	}
}

func TestSetActivatedIsWhatSelectReports(t *testing.T) {
	c := buildCard(t, Options{})
	if err := c.fs.SetActivated(c.imsiEF, false); err != nil {
		t.Fatal(err)
	}
	// The terminal sees the deactivated file (TS 102 221 §11.1.1: 6283).
	c.run(t, []step{{selUSIM, "9000"}, {"00A4000C026F07", "6283"}, {"00B0000009", "6283"}})
	w := c.st.Writes()
	if err := c.fs.SetActivated(c.imsiEF, false); err != nil || c.st.Writes() != w {
		t.Errorf("deactivating again: %v, %d writes", err, c.st.Writes()-w)
	}
	if err := c.fs.SetActivated(c.imsiEF, true); err != nil {
		t.Fatal(err)
	}
	c.run(t, []step{{"00A4000C026F07", "9000"}})
	if err := c.fs.SetActivated(c.adf, true); !errors.Is(err, ErrNotFound) {
		t.Errorf("ADF: %v, want ErrNotFound", err)
	}
}

func TestPresentPINCountsButKeepsTheTerminalStatus(t *testing.T) {
	c := buildCard(t, Options{})
	c.run(t, []step{{selUSIM, "9000"}, {verifyPIN2, "9000"}})
	pad := func(s string) []byte { v, _ := pad8([]byte(s)); return v[:] }
	for _, tc := range []struct {
		name string
		k    KeyRef
		v    []byte
		want error
	}{
		{"wrong value counts", KeyPIN2, pad("0000"), apdu.SWRetries(2)},
		{"right value restores the counter", KeyPIN2, pad("5678"), nil},
		{"disabled PIN", KeyPIN1, pad("1234"), apdu.SWReferencedDataInvalid},
		{"no such PIN", KeyADM2, pad("88888888"), apdu.SWReferencedDataNotFound},
		{"short value", KeyADM1, []byte("8888"), apdu.SWWrongLength},
		{"invalid key reference", KeyRef(0x50), pad("1234"), apdu.SWReferencedDataNotFound},
	} {
		if err := c.fs.PresentPIN(tc.k, tc.v); err != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}
	// The wrong remote value left the terminal's PIN2 verification alone.
	if s, _ := c.fs.PINState(KeyPIN2); !s.Verified || s.Tries != 3 {
		t.Errorf("PIN2 after remote presentations: %+v", s)
	}
	for range 3 {
		_ = c.fs.PresentPIN(KeyADM1, pad("00000000"))
	}
	if err := c.fs.PresentPIN(KeyADM1, pad("88888888")); err != apdu.SWAuthMethodBlocked {
		t.Errorf("blocked ADM1: %v, want 6983", err)
	}
}

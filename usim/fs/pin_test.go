package fs

import (
	"strings"
	"testing"
)

func TestVerifyAndBlock(t *testing.T) {
	c := buildCard(t, Options{})
	c.run(t, []step{
		{"00200001", "9000"}, // PIN1 disabled: no verification needed
		{"00200081", "63C3"}, // PIN2: 3 tries
		{"002000810831313131FFFFFFFF", "63C2"},
		{"00200081", "63C2"},
		{verifyPIN2, "9000"},
		{"00200081", "9000"}, // verified
		{"002000810831313131FFFFFFFF", "63C2"},
		{"00200081", "63C2"}, // a failure drops the verification
		{"002000810831313131FFFFFFFF", "63C1"},
		{"002000810831313131FFFFFFFF", "63C0"},
		{verifyPIN2, "6983"}, // blocked
		{"00200081", "6983"},
		{"0020008104 31313131", "6700"},
		{"00200002", "6A88"}, // no such PIN
		{"00200055", "6A86"}, // not a key reference
		{"00200101", "6A86"},
		{"80200081", "6E00"},
		{"002C0081", "63CA"}, // PUK2 tries
		{"002C0081103030303030303030 35363738FFFFFFFF", "63C9"},
		{"002C0081103837363534333231 3939FFFFFFFFFFFF", "6A80"}, // new PIN of 2 digits
		{"002C0081083837363534333231", "6700"},
		{"002C0081103837363534333231 39393939FFFFFFFF", "9000"},
		{"00200081", "9000"}, // UNBLOCK verifies
		{"002C0081", "63CA"},
		{"002C000A", "6A88"}, // ADM1 has no unblock key
	})
	s, _ := c.fs.PINState(KeyPIN2)
	if s.Tries != 3 || s.PUKTries != 10 || !s.Verified {
		t.Fatalf("PIN2 state %+v", s)
	}
	if _, err := c.rt.Reset(false); err != nil {
		t.Fatal(err)
	}
	c.run(t, []step{
		{"00200081", "63C3"}, // reset clears verification
		{"002000810839393939FFFFFFFF", "9000"},
	})
}

func TestChangeEnableDisable(t *testing.T) {
	c := buildCard(t, Options{})
	c.run(t, []step{
		{"002400011031323334FFFFFFFF 35353535FFFFFFFF", "6984"}, // PIN1 disabled
		{"002400811035363738FFFFFFFF 31323334FFFFFFFF", "9000"},
		{"002400811035363738FFFFFFFF 31323334FFFFFFFF", "63C2"}, // old value gone
		{"002000810831323334FFFFFFFF", "9000"},
		{"002400810835363738FFFFFFFF", "6700"},
		{"002400811031323334FFFFFFFF 3132FFFFFFFFFFFF", "6A80"},
		{"0028000108 31323334FFFFFFFF", "9000"}, // ENABLE PIN1
		{"0028000108 31323334FFFFFFFF", "6985"}, // already enabled
		{"0026008108 31323334FFFFFFFF", "6A86"}, // PIN2 cannot be disabled
		{"0026000108 39393939FFFFFFFF", "63C2"},
		{"0026000108 31323334FFFFFFFF", "9000"}, // DISABLE PIN1
		{"00200001", "9000"},
		{"0026000104 31323334", "6700"},
		{"0026010108 31323334FFFFFFFF", "6A86"},
		{"002C000110 3132333435363738 39393939FFFFFFFF", "9000"}, // UNBLOCK enables PIN1 (§11.1.13.1.1)
		{"002000010839393939FFFFFFFF", "9000"},
		{"0026000108 39393939FFFFFFFF", "9000"},
		{"0028000108 39393939FFFFFFFF", "9000"},
		{"0024000110 39393939FFFFFFFF 31323334FFFFFFFF", "9000"},
	})
	if _, err := c.rt.Reset(false); err != nil {
		t.Fatal(err)
	}
	// PIN1 enabled and not verified: EF.IMSI (read PIN1) is closed, and
	// the PS_DO of the ADF's FCP shows PIN1 enabled (F0).
	c.run(t, []step{
		{selUSIM, "9000"},
		{"00A4000C026F07", "9000"},
		{"00B0000009", "6982"},
		{"00200001", "63C3"},
		{"002000010831323334FFFFFFFF", "9000"},
		{"00B0000009", "082910101032547698 9000"},
	})
	if fcp := c.xfer(t, "80F2000000"); !strings.Contains(fcp, "C60F9001F0") {
		t.Fatalf("PS_DO after ENABLE: %s", fcp)
	}
}

// Access rules with OR and AND templates (rule 6) and the vector rules
// of ef-codecs.json (records 4 and 5).
func TestAccessRuleTemplates(t *testing.T) {
	c := buildCard(t, Options{})
	f := c.fs
	ef, err := f.AddEF(c.adf, Spec{FID: 0x6F50, Name: "rule6", Size: 2, ARR: arrADF(6)})
	if err != nil {
		t.Fatal(err)
	}
	v4, _ := f.AddEF(c.adf, Spec{FID: 0x6F51, Name: "rule4", Size: 2, ARR: arrADF(4)})
	v5, _ := f.AddEF(c.adf, Spec{FID: 0x6F52, Name: "rule5", Size: 2, ARR: arrADF(5)})
	none, _ := f.AddEF(c.adf, Spec{FID: 0x6F53, Name: "no rule", Size: 2, ARR: arrADF(0)})
	missing, _ := f.AddEF(c.adf, Spec{FID: 0x6F54, Name: "no such record", Size: 2, ARR: arrADF(40)})
	check := func(n Node, mode Access, ins byte, want bool) {
		t.Helper()
		if got := f.allowed(n, mode, ins); got != want {
			t.Errorf("%s mode %02X INS %02X: %t, want %t", f.nodes[n].name, mode, ins, got, want)
		}
	}
	f.verified[KeyPIN1] = false
	// PIN1 is disabled, so PIN1 conditions hold.
	check(ef, AccessRead, 0xB0, true)
	check(ef, AccessUpdate, 0xD6, false) // PIN1 AND ADM1
	f.verified[KeyADM1] = true
	check(ef, AccessUpdate, 0xD6, true)
	check(ef, AccessDeactivate, 0x04, false) // no rule: denied
	check(v4, AccessRead, 0xB0, true)
	check(v4, AccessUpdate, 0xD6, false) // NEV
	check(v4, AccessActivate, 0x44, true)
	check(v4, AccessRead, 0xD4, true) // INS D4 has its own rule: ADM1
	f.verified[KeyADM1] = false
	check(v4, AccessRead, 0xD4, false)
	check(v4, AccessDeactivate, 0x04, false)
	check(v5, AccessRead, 0xB0, false) // ADM1
	check(v5, AccessUpdate, 0xD6, true)
	check(v5, AccessWrite, 0xD0, true)
	check(v5, AccessDelete, 0xE4, false)
	check(none, AccessRead, 0xB0, false)
	check(missing, AccessRead, 0xB0, false)
}

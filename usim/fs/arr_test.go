package fs

import (
	"encoding/hex"
	"testing"
)

// keys is a SecurityStatus holding exactly the listed key references.
type keys []KeyRef

func (k keys) Holds(r KeyRef) bool {
	for _, x := range k {
		if x == r {
			return true
		}
	}
	return false
}

// TestAccessAllowedEvaluatesExpandedRules runs AccessAllowed on the two
// EF_ARR records of ef-codecs.json (pysim.ef.ts_102_221.EF_ARR.0/.1, with
// pySim's decoding in the comments) and on hand-built OR/AND, header and
// malformed rules (TS 102 221 §9.2.4, ISO/IEC 7816-4 §9.3.3).
func TestAccessAllowedEvaluatesExpandedRules(t *testing.T) {
	// EF_ARR.0: read→ADM1; write|update→always; delete|terminate→never; INS D4→ADM1.
	arr0 := "800101a40683010a950108800106900080016097008401d4a40683010a950108"
	// EF_ARR.1: read→always; update→never; activate|deactivate→ADM1; INS D4→ADM1.
	arr1 := "80010190008001029700800118a40683010a9501088401d4a40683010a950108"
	adm := keys{KeyADM1}
	for _, c := range []struct {
		name string
		rule string
		mode Access
		ins  byte
		held keys
		want bool
	}{
		{"arr0 read without ADM1", arr0, AccessRead, 0xB0, nil, false},
		{"arr0 read with ADM1", arr0, AccessRead, 0xB0, adm, true},
		{"arr0 update always", arr0, AccessUpdate, 0xD6, nil, true},
		{"arr0 write always", arr0, AccessWrite, 0xD2, nil, true},
		{"arr0 terminate never even with ADM1", arr0, AccessTerminate, 0xE6, adm, false},
		{"arr0 deactivate not granted", arr0, AccessDeactivate, 0x04, adm, false},
		{"arr0 header INS D4 needs ADM1", arr0, AccessUpdate, 0xD4, nil, false},
		{"arr0 header INS D4 with ADM1", arr0, AccessUpdate, 0xD4, adm, true},
		{"arr0 FF padding ignored", arr0 + "ffffffff", AccessRead, 0xB2, adm, true},
		{"arr1 read always", arr1, AccessRead, 0xB2, nil, true},
		{"arr1 update never", arr1, AccessUpdate, 0xDC, adm, false},
		{"arr1 activate with ADM1", arr1, AccessActivate, 0x44, adm, true},
		{"arr1 deactivate without ADM1", arr1, AccessDeactivate, 0x04, keys{KeyPIN1}, false},
		{"OR of PIN1 and ADM1, PIN1 held", "800101a010a406830101950108a40683010a950108", AccessRead, 0xB0, keys{KeyPIN1}, true},
		{"AND of PIN1 and ADM1, PIN1 held", "800101af10a406830101950108a40683010a950108", AccessRead, 0xB0, keys{KeyPIN1}, false},
		{"AND of PIN1 and ADM1, both held", "800101af10a406830101950108a40683010a950108", AccessRead, 0xB0, keys{KeyPIN1, KeyADM1}, true},
		{"header with CLA and INS", "8c0200b09000", AccessUpdate, 0xB0, nil, true},
		{"second SC DO of one AM DO", "800101a4068301019501089000", AccessRead, 0xB0, nil, true},
		{"SM template never holds", "800101b4009000", AccessUpdate, 0xD6, nil, false},
		{"empty rule denies", "", AccessRead, 0xB0, adm, false},
		{"truncated TLV denies", "800101a406830101", AccessRead, 0xB0, keys{KeyPIN1}, false},
		{"bad length byte denies", "800101a48301", AccessRead, 0xB0, adm, false},
		{"nesting deeper than 4 denies", "800101a00aa008a006a004a0029000", AccessRead, 0xB0, nil, false},
		{"nesting of 4 allowed", "800101a008a006a004a0029000", AccessRead, 0xB0, nil, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			rule, err := hex.DecodeString(stripSpaces(c.rule))
			if err != nil {
				t.Fatal(err)
			}
			if got := AccessAllowed(rule, c.mode, c.ins, c.held); got != c.want {
				t.Errorf("AccessAllowed(%s, %s, %02X, %v) = %t, want %t", c.rule, c.mode, c.ins, c.held, got, c.want)
			}
		})
	}
}

func stripSpaces(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] != ' ' {
			b = append(b, s[i])
		}
	}
	return string(b)
}

// FuzzAccessAllowed: any rule bytes evaluate without panicking, and a rule
// never grants more to a holder of fewer keys (monotonicity of the
// conditions 90, A4, A0 and AF, which have no negation).
func FuzzAccessAllowed(f *testing.F) {
	for _, s := range []string{
		"800101a40683010a950108800106900080016097008401d4a40683010a950108",
		"80010190008001029700800118a40683010a9501088401d4a40683010a950108",
		"800101af10a406830101950108a40683010a950108", "8c0200b09000", "800101a008a006a004a0029000",
	} {
		b, _ := hex.DecodeString(s)
		f.Add(b, byte(AccessRead), byte(0xB0))
	}
	f.Fuzz(func(t *testing.T, rule []byte, mode, ins byte) {
		few := AccessAllowed(rule, Access(mode), ins, keys{KeyPIN1})
		many := AccessAllowed(rule, Access(mode), ins, keys{KeyPIN1, KeyPIN2, KeyADM1, KeyUniversal})
		if few && !many {
			t.Fatalf("rule % X grants %s/%02X with PIN1 alone but not with more keys", rule, Access(mode), ins)
		}
	})
}

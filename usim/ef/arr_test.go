package ef

import (
	"bytes"
	"errors"
	"testing"
)

func TestARRMatchesPySimVectors(t *testing.T) {
	// pySim's decodings of the two vectors, as our String renders them.
	want := map[string]string{
		"pysim.ef.ts_102_221.EF_ARR.0": "READ: ADM1; UPDATE|WRITE: ALW; TERMINATE|DELETE: NEV; INS D4: ADM1",
		"pysim.ef.ts_102_221.EF_ARR.1": "READ: ALW; UPDATE: NEV; DEACTIVATE|ACTIVATE: ADM1; INS D4: ADM1",
	}
	for _, v := range codecVectors(t, "pysim.ef.ts_102_221.EF_ARR") {
		for _, in := range [][]byte{v.Encoded, withFF(v.Encoded)} {
			got, err := ParseARR(in)
			if err != nil || got.String() != want[v.ID] {
				t.Errorf("%s: ParseARR = %q, %v; want %q", v.ID, got, err, want[v.ID])
			}
		}
		got, _ := ParseARR(v.Encoded)
		enc, err := got.Append(nil)
		if err != nil || !bytes.Equal(enc, v.Encoded) {
			t.Errorf("%s: Append = %x, %v; want %x", v.ID, enc, err, v.Encoded)
		}
	}
}

func TestARRBuildAndEvaluate(t *testing.T) {
	// A typical USIM rule: READ PIN1, UPDATE PIN1 or ADM1, rest ADM1.
	a := ARR{
		{AMTag: 0x80, AM: []byte{byte(AMRead)}, Conds: []SecurityCondition{Key(KeyPIN1)}},
		{AMTag: 0x80, AM: []byte{byte(AMUpdate)}, Conds: []SecurityCondition{{Kind: SCOr, Sub: []SecurityCondition{Key(KeyPIN1), Key(KeyADM1)}}}},
		{AMTag: 0x80, AM: []byte{byte(AMActivate | AMDeactivate)}, Conds: []SecurityCondition{Key(KeyADM1)}},
	}
	enc, err := a.Append(nil)
	if err != nil {
		t.Fatal(err)
	}
	const wantHex = "800101a40683010195010880010" + "2a010a40683010195010" + "8a40683010a950108800118a40683010a950108"
	if !bytes.Equal(enc, mustHex(t, wantHex)) {
		t.Errorf("Append = %x, want %s", enc, wantHex)
	}
	back, err := ParseARR(enc)
	if err != nil || back.String() != "READ: PIN1; UPDATE: (PIN1 OR ADM1); DEACTIVATE|ACTIVATE: ADM1" {
		t.Errorf("ParseARR = %v, %v", back, err)
	}
	pin := func(k KeyRef) bool { return k == KeyPIN1 }
	none := func(KeyRef) bool { return false }
	adm := func(k KeyRef) bool { return k == KeyADM1 }
	for _, tc := range []struct {
		op   AccessMode
		keys func(KeyRef) bool
		want bool
	}{
		{AMRead, pin, true}, {AMRead, none, false}, {AMUpdate, adm, true}, {AMUpdate, pin, true},
		{AMActivate, pin, false}, {AMActivate, adm, true}, {AMDelete, adm, false}, {AMRead | AMUpdate, pin, true},
		{AMRead | AMActivate, pin, false},
	} {
		if got := back.Allows(tc.op, tc.keys); got != tc.want {
			t.Errorf("Allows(%v) = %v, want %v", tc.op, got, tc.want)
		}
	}
}

func TestARRRejects(t *testing.T) {
	for _, h := range []string{
		"9000",                  // condition without access mode
		"800101",                // access mode without condition
		"800101a403830101ff00",  // garbage after padding...
		"800101a4039501" + "08", // CRT without key reference
		"800101a000",            // empty OR
		"8001019001",            // truncated ALW with length 1
		"800101b000",            // unknown SC tag
	} {
		if _, err := ParseARR(mustHex(t, h)); !errors.Is(err, ErrMalformed) {
			t.Errorf("ParseARR(%s) error = %v", h, err)
		}
	}
}

func FuzzParseARR(f *testing.F) {
	f.Add(mustHex(f, "800101a40683010a950108800106900080016097008401d4a40683010a950108"))
	f.Add(mustHex(f, "80010190008001029700800118a40683010a9501088401d4a40683010a950108"))
	f.Add(mustHex(f, "800101a40683010195010880010"+"2a010a40683010195010"+"8a40683010a950108"))
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := ParseARR(b)
		if err != nil {
			return
		}
		enc, err := a.Append(nil)
		if err != nil {
			t.Fatalf("%x parsed as %v but does not encode: %v", b, a, err)
		}
		again, err := ParseARR(enc)
		if err != nil || again.String() != a.String() {
			t.Fatalf("%x: %v -> %x -> %v, %v", b, a, enc, again, err)
		}
	})
}

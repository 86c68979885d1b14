package fs

import (
	"errors"
	"testing"

	"github.com/uiccsim/uiccsim/usim/jc"
	"github.com/uiccsim/uiccsim/usim/store"
)

// FuzzOpen corrupts the file-system cells of a card's store and reopens
// it: Open must refuse (ErrCorrupt) or give a file system that serves
// SELECT, READ and STATUS without panicking.
func FuzzOpen(f *testing.F) {
	f.Add([]byte{1, 0, 2, 0x05})
	f.Add([]byte{3, 0, 6, 0x03})    // structure byte of an EF
	f.Add([]byte{9, 0, 0, 0x00})    // metadata length
	f.Add([]byte{20, 0, 3, 0x09})   // a PIN's tries above the maximum
	f.Add([]byte{8, 0, 0x1C, 0x07}) // a cyclic head
	// The last cells are the EFs with 8C, AB and long-8B attributes
	// (secattr_test.go): their metadata trailer, length and value.
	probe := buildCard(f, Options{})
	addSecAttrEFs(f, probe)
	last := byte(probe.st.Cells() - 1)
	f.Add([]byte{last, 0, 1, 0x40})
	f.Add([]byte{last - 1, 0, 0x1E, 0x20})
	f.Add([]byte{last - 3, 0, 0x20, 0xFF})
	f.Fuzz(func(t *testing.T, in []byte) {
		c := buildCard(t, Options{})
		addSecAttrEFs(t, c)
		st := c.st
		for len(in) >= 4 {
			cell := 1 + int(in[0])%st.Cells()
			off := int(in[1])<<8 | int(in[2])
			if n := st.Len(store.Ref(cell)); n > 0 {
				st.WriteThrough(store.Ref(cell), off%n, in[3:4])
			}
			in = in[4:]
		}
		f2, err := Open(st, Options{})
		if err != nil {
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("error without sentinel: %v", err)
			}
			return
		}
		for i := range f2.Files() {
			f2.AppendFCP(nil, Node(i))
			f2.allowed(Node(i), AccessRead, 0xB0)
		}
		rt := jc.New(jc.Options{Store: st})
		f2.Attach(rt)
		f2.InstallApps(rt) // duplicate AIDs in a corrupted store are refused here
		rt.Reset(true)
		for _, cmd := range []string{"00A40004023F00", "00A40004022F00", "00B2010400", selUSIM,
			"00A40004026F07", "00B0000000", "00B2010400", "80F2000000", "00A4080C047FFF6F39", "00B2000200"} {
			r, err := rt.Transmit(nil, hx(cmd))
			if err != nil || len(r) < 2 {
				t.Fatalf("%s: % X %v", cmd, r, err)
			}
		}
	})
}

// FuzzAccessRule evaluates arbitrary EF_ARR records (expanded format,
// TS 102 221 §9.2.4) under every access mode: no panic, and the same
// answer twice.
func FuzzAccessRule(f *testing.F) {
	for _, r := range testRules[1:] {
		f.Add(hx(r))
	}
	f.Add(hx("A0FFA0"))
	f.Add(hx("800101AF00"))
	f.Fuzz(func(t *testing.T, rule []byte) {
		c := buildCard(t, Options{})
		rec := make([]byte, arrRecLen)
		for i := range rec {
			rec[i] = 0xFF
		}
		copy(rec, rule)
		arrEF, _ := c.fs.Child(c.adf, 0x6F06)
		if err := c.fs.WriteRecord(arrEF, 1, rec); err != nil {
			t.Fatal(err)
		}
		n, err := c.fs.AddEF(c.adf, Spec{FID: 0x6F99, Size: 1, ARR: arrADF(1)})
		if err != nil {
			t.Fatal(err)
		}
		c.fs.verified[KeyPIN2] = true
		for m := Access(1); m != 0x80; m <<= 1 {
			if c.fs.allowed(n, m, 0xB0) != c.fs.allowed(n, m, 0xB0) {
				t.Fatal("evaluation not deterministic")
			}
		}
	})
}

package sms

import (
	"bytes"
	"testing"
)

var tpduSeeds = []string{
	"400881214365877ff62270520000000025027000002015061935" + "35b00011ae733256918d050b87c94fbfe12e4dc402f262c41cf67f2f",
	"4100049194517ff613027100000e0ab0001100000000000000016132",
	"11050181f10000a702e834",
	"400881214365877ff622705200000000" + "06" + "027000aabbcc",
}

// FuzzParseDeliver: the parser never panics, and what it accepts it
// re-encodes to the same octets.
func FuzzParseDeliver(f *testing.F) {
	for _, s := range tpduSeeds {
		f.Add(unhex(f, s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := ParseDeliver(b)
		if err != nil {
			return
		}
		out, err := d.Append(nil)
		if err != nil {
			t.Fatalf("accepted TPDU does not re-encode: %v", err)
		}
		// Parse∘Append is a fixed point. (The input itself may differ in
		// what the parser normalises: the unused bit 4 of the first octet,
		// a time zone of "-0", an odd alphanumeric address length.)
		d2, err := ParseDeliver(out)
		if err != nil {
			t.Fatalf("re-encoded TPDU %x does not parse: %v", out, err)
		}
		out2, _ := d2.Append(nil)
		if !bytes.Equal(out, out2) {
			t.Fatalf("re-encoding is not stable\n in %x\nout %x\n2nd %x", b, out, out2)
		}
		if d2.OA.TON != TONAlphanumeric && len(out) != len(b) {
			t.Fatalf("re-encoding changed the length\n in %x\nout %x", b, out)
		}
	})
}

func FuzzParseSubmit(f *testing.F) {
	for _, s := range tpduSeeds {
		f.Add(unhex(f, s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := ParseSubmit(b)
		if err != nil {
			return
		}
		if _, err := s.Append(nil); err != nil {
			t.Fatalf("accepted TPDU does not re-encode: %v", err)
		}
	})
}

// FuzzReassembler feeds arbitrary UDs; it must never panic, and a
// completed message contains no more data than was fed.
func FuzzReassembler(f *testing.F) {
	f.Add([]byte{5, 0, 3, 1, 2, 1, 'a'}, []byte{5, 0, 3, 1, 2, 2, 'b'})
	f.Add([]byte{6, 8, 4, 0, 1, 2, 2, 'x'}, []byte{6, 8, 4, 0, 1, 2, 1, 'y'})
	f.Fuzz(func(t *testing.T, a, b []byte) {
		var r Reassembler
		r.Add(a, true)
		m, done, err := r.Add(b, true)
		if err == nil && done && len(m.Data) > len(a)+len(b) {
			t.Fatal("reassembled more data than received")
		}
	})
}

package sms

import (
	"bytes"
	"errors"
	"fmt"
	"testing"
)

func TestSplitExactBytes(t *testing.T) {
	payload := make([]byte, 300)
	for i := range payload {
		payload[i] = byte(i)
	}
	cmd := IE{ID: IEICommandPacket}
	t.Run("8-bit reference with IEI 70 in the first part only", func(t *testing.T) {
		parts, err := Split(payload, []IE{cmd}, 0x42, false)
		if err != nil {
			t.Fatal(err)
		}
		// part 1: UDHL 07, 70 00, 00 03 42 03 01, then 140-8 = 132 octets.
		if want := []byte{0x07, 0x70, 0x00, 0x00, 0x03, 0x42, 0x03, 0x01}; !bytes.Equal(parts[0][:8], want) || len(parts[0]) != 140 {
			t.Fatalf("part 1 header %x len %d", parts[0][:8], len(parts[0]))
		}
		// part 2: UDHL 05, 00 03 42 03 02, then 134 octets.
		if want := []byte{0x05, 0x00, 0x03, 0x42, 0x03, 0x02}; !bytes.Equal(parts[1][:6], want) || len(parts[1]) != 140 {
			t.Fatalf("part 2 header %x len %d", parts[1][:6], len(parts[1]))
		}
		if len(parts) != 3 || len(parts[2]) != 6+300-132-134 {
			t.Fatalf("%d parts, last %d octets", len(parts), len(parts[2]))
		}
		var r Reassembler
		for i, p := range []int{2, 0, 1} { // out of order
			m, done, err := r.Add(parts[p], true)
			if err != nil {
				t.Fatal(err)
			}
			if done != (i == 2) {
				t.Fatalf("done=%v after %d parts", done, i+1)
			}
			if done {
				if !bytes.Equal(m.Data, payload) {
					t.Fatal("reassembled data differs")
				}
				if _, ok := m.Header.Find(IEICommandPacket); !ok {
					t.Fatal("first part's IEI 70 lost")
				}
			}
		}
		if r.Pending() != 0 {
			t.Fatal("message still pending")
		}
	})
	t.Run("16-bit reference", func(t *testing.T) {
		parts, err := Split(payload, nil, 0x1234, true)
		if err != nil {
			t.Fatal(err)
		}
		if want := []byte{0x06, 0x08, 0x04, 0x12, 0x34, 0x03, 0x01}; !bytes.Equal(parts[0][:7], want) || len(parts) != 3 {
			t.Fatalf("part 1 header %x, %d parts", parts[0][:7], len(parts))
		}
		var r Reassembler
		var m Message
		for _, p := range parts {
			var done bool
			if m, done, err = r.Add(p, true); err != nil {
				t.Fatal(err)
			}
			_ = done
		}
		if !bytes.Equal(m.Data, payload) {
			t.Fatal("reassembled data differs")
		}
	})
	t.Run("short payload needs no concatenation", func(t *testing.T) {
		parts, err := Split([]byte{1, 2, 3}, []IE{cmd}, 1, false)
		if err != nil || len(parts) != 1 || !bytes.Equal(parts[0], []byte{2, 0x70, 0, 1, 2, 3}) {
			t.Fatalf("%x %v", parts, err)
		}
	})
}

func TestReassemblerRejects(t *testing.T) {
	part := func(ref, total, seq byte, data string) []byte {
		return append([]byte{5, 0, 3, ref, total, seq}, data...)
	}
	tests := []struct {
		name  string
		parts [][]byte
		err   error
	}{
		{"sequence zero", [][]byte{part(1, 2, 0, "a")}, ErrInvalid},
		{"sequence past total", [][]byte{part(1, 2, 3, "a")}, ErrInvalid},
		{"total zero", [][]byte{part(1, 0, 0, "a")}, ErrInvalid},
		{"total changes", [][]byte{part(1, 2, 1, "a"), part(1, 3, 2, "b")}, ErrInvalid},
		{"same part with other data", [][]byte{part(1, 3, 1, "a"), part(1, 3, 1, "b")}, ErrInvalid},
		{"wrong IEDL", [][]byte{{4, 0, 2, 1, 1}}, ErrLength},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var r Reassembler
			var err error
			for _, p := range tc.parts {
				if _, _, err = r.Add(p, true); err != nil {
					break
				}
			}
			if !errors.Is(err, tc.err) {
				t.Fatalf("err = %v, want %v", err, tc.err)
			}
		})
	}
	// A rejected part leaves the held parts as they were.
	var r Reassembler
	r.Add(part(7, 2, 1, "x"), true)
	r.Add(part(7, 2, 1, "y"), true)
	m, done, err := r.Add(part(7, 2, 2, "z"), true)
	if err != nil || !done || string(m.Data) != "xz" {
		t.Fatalf("%q %v %v", m.Data, done, err)
	}
}

func ExampleSplit() {
	parts, _ := Split(make([]byte, 200), []IE{{ID: IEICommandPacket}}, 9, false)
	for _, p := range parts {
		h, data, _ := SplitUserData(p)
		c, _, _ := FindConcat(h)
		fmt.Printf("%v: %d header octets, %d data octets\n", c, 1+len(h), len(data))
	}
	// Output:
	// part 1/2 of ref 9: 8 header octets, 132 data octets
	// part 2/2 of ref 9: 6 header octets, 68 data octets
}

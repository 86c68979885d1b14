package usim

import (
	"bytes"
	"strings"
	"testing"

	"github.com/uiccsim/uiccsim/apdu"
)

// cells snapshots every store cell (name and bytes).
func cells(c *Card) map[string][]byte {
	st := c.Store()
	m := make(map[string][]byte, st.Cells())
	for r := 1; r <= st.Cells(); r++ {
		m[st.Name(storeRef(r))] = bytes.Clone(st.Bytes(storeRef(r)))
	}
	return m
}

// changedCells lists the cells whose bytes differ.
func changedCells(a, b map[string][]byte) []string {
	var out []string
	for k, v := range b {
		if !bytes.Equal(a[k], v) {
			out = append(out, k)
		}
	}
	for k := range a {
		if _, ok := b[k]; !ok {
			out = append(out, k)
		}
	}
	return out
}

// FuzzCardSequence runs a fuzzed sequence of USIM commands (SELECTs of the
// layout's files and of ADF.USIM, READ/UPDATE BINARY and RECORD, VERIFY
// with right and wrong PINs, AUTHENTICATE, STATUS, and raw APDUs) against
// the default card on T=1. Invariants: no panic or transport error; a
// valid SW1 (ISO/IEC 7816-3 §10.3.3); never more data than Ne; a command
// answered with an error status changes no persistent cell, except that a
// failed verification (63Cx, 6983) may move PIN counters only.
func FuzzCardSequence(f *testing.F) {
	v := loadVectors(f)
	auth := hx(f, v.Ex.Command3G.APDU)
	f.Add([]byte{1, 0, 2, 7, 3, 0, 9, 5, 0})
	f.Add([]byte{4, 1, 4, 1, 4, 1, 4, 1, 4, 0, 6, 0})
	f.Add([]byte{1, 0, 2, 7, 4, 0, 7, 0, 5, 3, 0x80, 0x12, 8, 0xB0, 1, 2, 3})
	var (
		selMF    = hx(f, "00a40004023f00")
		selADF   = hx(f, selectUSIM)
		pinRight = hx(f, verifyPIN1)
		pinWrong = hx(f, "002000010830303030ffffffff")
		admRight = hx(f, "0020000A083838383838383838")
		admWrong = hx(f, "0020000A083030303030303030")
	)
	templates := []func(a, b byte) []byte{
		func(a, b byte) []byte { return selMF },  // 0 SELECT MF
		func(a, b byte) []byte { return selADF }, // 1 SELECT ADF.USIM
		func(a, b byte) []byte { // 2 SELECT a layout file (by FID), P2 04 or 0C
			s := layoutFIDs[int(a)%len(layoutFIDs)]
			return []byte{0x00, 0xA4, 0x00, 0x04 | b&0x08, 0x02, byte(s >> 8), byte(s)}
		},
		func(a, b byte) []byte { return []byte{0x00, 0xB0, 0x00, a & 0x3F, b} }, // 3 READ BINARY
		func(a, b byte) []byte { // 4 VERIFY PIN1 right (a even) or wrong
			if a%2 == 0 {
				return pinRight
			}
			return pinWrong
		},
		func(a, b byte) []byte { // 5 UPDATE BINARY of b&7 bytes at offset a&7
			return append([]byte{0x00, 0xD6, 0x00, a & 7, b & 7}, bytes.Repeat([]byte{a}, int(b&7))...)
		},
		func(a, b byte) []byte { return auth },                                  // 6 AUTHENTICATE
		func(a, b byte) []byte { return []byte{0x00, 0xB2, a & 7, 0x04, b} },    // 7 READ RECORD
		func(a, b byte) []byte { return []byte{0x80, 0xF2, 0x00, a & 1, 0x00} }, // 8 STATUS
		func(a, b byte) []byte { // 9 VERIFY ADM1 right or wrong
			if a%2 == 0 {
				return admRight
			}
			return admWrong
		},
		func(a, b byte) []byte { // 10 UPDATE RECORD a&3 of EF.ECC-size data
			return append([]byte{0x00, 0xDC, a & 3, 0x04, 14}, bytes.Repeat([]byte{b}, 14)...)
		},
	}
	f.Fuzz(func(t *testing.T, prog []byte) {
		c, err := New(nil)
		if err != nil {
			t.Fatal(err)
		}
		c.Runtime().SetT1(true)
		for len(prog) > 0 {
			op := int(prog[0])
			var a, b byte
			if len(prog) > 1 {
				a = prog[1]
			}
			if len(prog) > 2 {
				b = prog[2]
			}
			var cmd []byte
			if op%16 < len(templates) {
				cmd = templates[op%16](a, b)
				prog = prog[min(3, len(prog)):]
			} else { // raw APDU of a+4 bytes taken from the program
				n := min(int(a%40)+4, len(prog)-1)
				cmd = prog[1 : 1+n]
				prog = prog[1+n:]
			}
			before := cells(c)
			resp, err := c.Transmit(nil, cmd)
			if err != nil || len(resp) < 2 {
				t.Fatalf("%X: %X %v", cmd, resp, err)
			}
			data, sw, _ := apdu.ParseResponse(resp)
			s1 := sw.SW1()
			if s1&0xF0 != 0x60 && s1&0xF0 != 0x90 || s1 == 0x60 {
				t.Fatalf("%X: invalid status %v", cmd, sw)
			}
			if pc, err := apdu.ParseCommand(cmd); err == nil && len(data) > pc.Ne {
				t.Fatalf("%X: %d bytes for Ne %d", cmd, len(data), pc.Ne)
			}
			if s1 == 0x90 || s1 == 0x91 || s1 == 0x92 || s1 == 0x61 || s1 == 0x62 {
				continue
			}
			pinOnly := sw&0xFFF0 == 0x63C0 || sw == apdu.SWAuthMethodBlocked
			for _, name := range changedCells(before, cells(c)) {
				if !(pinOnly && strings.HasPrefix(name, "pin.")) {
					t.Fatalf("%X answered %v but changed cell %q", cmd, sw, name)
				}
			}
		}
	})
}

package fs

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/usim/jc"
)

// fuzzTemplates are well-formed commands reaching every handler; the
// fuzzer picks them and mutates their fields.
var fuzzTemplates = []string{
	"00A40004023F00", selUSIM, "00A4000C026F07", "00B0000009", "00D6000002AABB",
	"0020000A083838383838383838", verifyPIN2, "002000810831313131FFFFFFFF", "00A4000C026F3C",
	"00B2010404", "00DC01040411223344", "00A2010402AABB", "00A4000C026F39", "8032000003000001",
	"00DC000303ABCDEF", "80F2000000", "00C0000000", "0070000001", "0070800100",
	"002400811035363738FFFFFFFF31323334FFFFFFFF", "002C008110383736353433323135363738FFFFFFFF",
	"002600010831323334FFFFFFFF", "002800010831323334FFFFFFFF", "00040000", "00440000",
	"0084000008", "00A4080C047FFF6F07", "00B0870009", "00B2000204", "8012000000",
	"8010000002FFFF", "80C2000002D100", "00A4040407A0000000871004", "00A4030C", "00200001",
	"002C0081", "80F20000", "00A40004022F00", "00B2010423",
	"00A4000C026F61", "00B00000000000", "00D6010000012C" + strings.Repeat("5A", 300), "00B0000000",
	// 43..47: universal PIN replacement (DISABLE P1=91), the universal
	// PIN, ADF.ISIM (ends the USIM session), SELECT with termination.
	"002691010831323334FFFFFFFF", "002000110834333231FFFFFFFF", "00A4040C0CA0000000871004FF49FF0589",
	"00A4044C0CA0000000871002FF49FF0589", "002600110834333231FFFFFFFF",
	// 48..49: enhanced SEARCH RECORD (offset forward, value backward).
	"00A20106040401AABB", "00A20406040D01AABB",
}

type pinSnap struct {
	tries, pukTries int
	rest            []byte
}

// snapshot copies all persistent state except the PIN try counters, which
// come back separately.
func snapshot(c *testCard, dst []byte) ([]byte, map[KeyRef]pinSnap) {
	pins := map[KeyRef]pinSnap{}
	for i := 1; i <= c.st.Cells(); i++ {
		b := c.st.Bytes(storeRef(i))
		if len(b) == pinCellSize && c.st.Name(storeRef(i))[:4] == pinPrefix {
			pins[KeyRef(b[pinRef])] = pinSnap{int(b[pinTries]), int(b[pinPUKTries]),
				[]byte{b[pinRef], b[pinMax], b[pinPUKMax]}}
			dst = append(dst, b[pinValue:]...)
			dst = append(dst, b[pinFlags])
			continue
		}
		dst = append(dst, b...)
	}
	return dst, pins
}

func validSW(sw apdu.StatusWord) bool {
	switch sw.SW1() {
	case 0x61, 0x62, 0x63, 0x64, 0x65, 0x67, 0x68, 0x69, 0x6A, 0x6B, 0x6C, 0x6D, 0x6E, 0x6F,
		0x90, 0x91, 0x92, 0x93, 0x98:
		return true
	}
	return false
}

func rejected(sw apdu.StatusWord) bool {
	switch sw.SW1() {
	case 0x90, 0x91, 0x92, 0x61, 0x62:
		return false
	case 0x63:
		return sw.SW2()&0xF0 == 0xC0
	}
	return true
}

// FuzzCard drives the test card with sequences of well-formed and mutated
// APDUs, warm resets, protocol switches and power cuts, and checks after
// every command: no panic; a valid status word; response data no longer
// than Ne and only with SW1 61/62/63/9x; a rejected command leaves the
// persistent state and the channels' current files as they were; PIN try
// counters only fall by one on a failed PIN command or return to their
// maximum on a successful one.
func FuzzCard(f *testing.F) {
	seq := func(ops ...byte) []byte { return ops }
	var all []byte
	for i := range fuzzTemplates {
		all = append(all, byte(i), 0)
	}
	f.Add(all)
	f.Add(seq(1, 0, 5, 0, 2, 0, 4, 0, 3, 0))
	f.Add(seq(1, 0, 7, 0, 7, 0, 7, 0, 6, 0, 35, 0, 20, 0, 6, 0))
	f.Add(seq(1, 0, 6, 0, 12, 0, 13, 0, 16, 0, 14, 0, 0xF3, 4, 13, 0))
	f.Add(seq(17, 0, 1, 0x02, 0x01, 2, 0x01, 0x41, 0xF1, 0, 15, 0))
	// PIN2 in the USIM session, lost on ADF.ISIM; PIN1 enabled, replaced
	// by the universal PIN, EF.IMSI read before and after the UPIN.
	f.Add(seq(1, 0, 6, 0, 8, 0, 9, 0, 45, 0, 6, 0, 1, 0, 8, 0, 9, 0, 46, 0, 1, 0, 6, 0))
	f.Add(seq(22, 0, 0xF0, 1, 0, 43, 0, 2, 0, 3, 0, 44, 0, 3, 0, 47, 0, 3, 0, 0xF0, 1, 0, 2, 0, 3, 0))
	f.Add(seq(1, 0, 6, 0, 8, 0, 48, 0, 49, 0, 48, 0x02, 0x00, 49, 0x08, 0x00, 0x06))
	f.Fuzz(func(t *testing.T, in []byte) {
		c := buildCard(t, Options{})
		if err := c.fs.AddPIN(PIN{Ref: KeyUniversal, Value: []byte("4321")}); err != nil {
			t.Fatal(err)
		}
		var resp, cmd, snapA, snapB []byte
		next := func() byte {
			if len(in) == 0 {
				return 0
			}
			b := in[0]
			in = in[1:]
			return b
		}
		for steps := 0; len(in) > 0 && steps < 64; steps++ {
			op := next()
			switch {
			case op == 0xF0:
				c.rt.Reset(false)
				continue
			case op == 0xF1:
				c.rt.SetT1(true)
				continue
			case op == 0xF2:
				c.rt.SetT1(false)
				continue
			case op == 0xF3: // cut the power during the next command
				c.st.FailAfter(int(next() % 8))
			}
			k := next()
			cmd = append(cmd[:0], hx(fuzzTemplates[int(op)%len(fuzzTemplates)])...)
			if k&0x01 != 0 {
				cmd[0] = next()
			}
			if k&0x02 != 0 {
				cmd[2] = next()
			}
			if k&0x04 != 0 {
				cmd[3] = next()
			}
			if k&0x08 != 0 && len(cmd) > 5 {
				cmd[5+int(next())%(len(cmd)-5)] = next()
			}
			if k&0x10 != 0 {
				cmd = cmd[:4+int(next())%(len(cmd)-3)]
			}
			if k&0x20 != 0 {
				cmd[1] = next()
			}
			if k&0x40 != 0 {
				n := int(next() % 16)
				for range n {
					cmd = append(cmd, next())
				}
			}
			snapA, pinsA := snapshot(c, snapA[:0])
			chA := c.fs.ch
			openA := c.rt.OpenChannels()
			var err error
			resp, err = c.rt.Transmit(resp[:0], cmd)
			if err != nil {
				if !errors.Is(err, jc.ErrMute) {
					t.Fatalf("% X: %v", cmd, err)
				}
				c.st.FailAfter(-1)
				if _, err := c.rt.Reset(true); err != nil {
					t.Fatal(err)
				}
				continue
			}
			c.st.FailAfter(-1)
			data, sw, err := apdu.ParseResponse(resp)
			if err != nil || !validSW(sw) {
				t.Fatalf("% X: response % X", cmd, resp)
			}
			if len(data) > 0 {
				s1 := sw.SW1()
				if !(s1 == 0x61 || s1 == 0x62 || s1 == 0x63 || s1 >= 0x90 && s1 <= 0x9F) {
					t.Fatalf("% X: data with %s", cmd, sw)
				}
			}
			pc, perr := apdu.ParseCommand(cmd)
			if perr == nil && len(data) > pc.Ne {
				t.Fatalf("% X: %d bytes for Ne=%d", cmd, len(data), pc.Ne)
			}
			if perr != nil && len(data) > 0 {
				t.Fatalf("% X (malformed): data % X", cmd, data)
			}
			snapB, pinsB := snapshot(c, snapB[:0])
			pinCmd := perr == nil && (pc.INS == 0x20 || pc.INS == 0x24 || pc.INS == 0x26 || pc.INS == 0x28 || pc.INS == 0x2C)
			for k, a := range pinsA {
				b := pinsB[k]
				if !bytes.Equal(a.rest, b.rest) {
					t.Fatalf("% X: PIN %s limits changed", cmd, k)
				}
				for _, d := range [][2]int{{a.tries, b.tries}, {a.pukTries, b.pukTries}} {
					switch {
					case d[0] == d[1]:
					case !pinCmd || pc.P2 != byte(k):
						t.Fatalf("% X moved the counter of PIN %s", cmd, k)
					case d[1] == d[0]-1 && rejected(sw):
					case !rejected(sw) && d[1] > d[0]:
					default:
						t.Fatalf("% X → %s: PIN %s counter %d → %d", cmd, sw, k, d[0], d[1])
					}
				}
			}
			if rejected(sw) {
				if !bytes.Equal(snapA, snapB) {
					t.Fatalf("% X → %s changed persistent state", cmd, sw)
				}
				if c.fs.ch != chA {
					t.Fatalf("% X → %s changed the current files", cmd, sw)
				}
				if !slices.Equal(openA, c.rt.OpenChannels()) {
					t.Fatalf("% X → %s changed the open channels", cmd, sw)
				}
			}
		}
	})
}

package usim

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/ota/scp80"
	"github.com/uiccsim/uiccsim/usim/fs"
)

// FuzzRFMMatchesFileSystem is a differential test of the RFM executor
// against the card's file system (package fs, written independently):
// the same commands — SELECT by FID/path/parent, READ/UPDATE BINARY and
// RECORD (a cyclic EF included), SEARCH RECORD, INCREASE, VERIFY PIN,
// DEACTIVATE/ACTIVATE FILE — go to the terminal side of one card, with
// ADF.USIM selected and PIN1, PIN2 and ADM1 verified, and to the RFM USIM
// application of a twin card, whose access domain is those three keys.
// Both must answer the same status word and data (on T=1 data only with an
// Le) and leave the same file contents, life cycle states and PIN
// counters. A wrong VERIFY value is followed on both sides by the right
// one: the terminal loses its verification on a wrong value, while the
// RFM application keeps its access domain (TS 102 226 §6.2), and the
// right value puts both back in step.
func FuzzRFMMatchesFileSystem(f *testing.F) {
	for _, s := range []string{
		"00a4000c026f07" + "00b0000009" + "00d6000003010203" + "00b0000009",
		"00b0870009" + "00d68700020102" + "00b0870000",
		"00a4000c026f40" + "00b2010422" + "00b2020422" + "00b2000422" + "00b2000222" + "00b2000322",
		"00a4000c026f40" + "00dc0104" + "22" + "41ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff" + "00b2010400",
		"00a408047fff6f07" + "00a40300" + "00a4000c023f00" + "00a4000c022fe2" + "00b0000020",
		"00a40904026f07" + "00b0000a01" + "00d6000000" + "00b0002000",
		"00a4000c026f40" + "00dc0104" + "22" + "41ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff" + "00a2000401ff" + "00a2000501" + "41",
		// Enhanced SEARCH RECORD: offset, value, from the next / previous record.
		"00a4000c026f40" + "00dc0104" + "22" + "41ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff" + "00a2010603040041" + "00a20106030c41ff" + "00a2000603060041" + "00a20106031400ff",
		// EF_ACM-like cyclic EF 6F39: increase, push, read back, overflow.
		"00a4000c026f39" + "8032000003000010" + "00b2010403" + "00dc000303aabbcc" + "00b2020403" + "8032000003ffffff",
		"00a4000c026f39" + "00dc010303010203" + "00dc000304010203" + "00b2000203" + "00b2000303",
		// VERIFY: status, right and wrong values, unknown key.
		"0020000100" + "0020008108" + "35363738ffffffff" + "0020000108" + "30303030ffffffff" + "0020001100",
		"0020000a08" + "3838383838383838" + "0020000a08" + "3939393939393939" + "0020010100",
		// DEACTIVATE / ACTIVATE by current EF, FID and path.
		"00a4000c026f07" + "0004000000" + "00b0000009" + "00a4000c026f07" + "0044000000" + "00b0000009",
		"0004000002" + "6f40" + "00b2010422" + "0044080004" + "7fff6f40" + "0044090002" + "6f40" + "0004000002" + "3f00",
	} {
		f.Add(hexb(f, s))
	}
	card := func(tb testing.TB) *Card {
		c, err := New(otaProfile(nil))
		if err != nil {
			tb.Fatal(err)
		}
		c.Runtime().SetT1(true)
		addCyclicEF(tb, c)
		for _, h := range []string{"00a4040c10" + "a0000000871002ffffffff8907090000", "002000010831323334ffffffff",
			"002000810835363738ffffffff", "0020000a083838383838383838"} {
			rsp, err := c.Transmit(nil, hexb(tb, h))
			if err != nil || !bytes.HasSuffix(rsp, []byte{0x90, 0x00}) {
				tb.Fatalf("%s: % X %v", h, rsp, err)
			}
		}
		return c
	}
	f.Fuzz(func(t *testing.T, script []byte) {
		c1, c2 := card(t), card(t)
		x := rfmOf(t, c2, scp80.TARRFMUSIM)
		for n := 0; len(script) >= 4 && n < 8; n++ {
			l := 4
			if len(script) > 4 {
				l = 5
				if script[1] != 0xB0 && script[1] != 0xB2 {
					l += int(script[4])
				}
			}
			if l > len(script) {
				return
			}
			raw := script[:l]
			script = script[l:]
			cmd, err := apdu.ParseCommand(raw)
			cla := byte(0x00)
			if cmd.INS == insIncrease {
				cla = 0x80 // the '8X' class of TS 102 221 Table 10.5
			}
			if err != nil || !isRFMIns(cmd.INS) || cmd.CLA != cla {
				return
			}
			if cmd.INS == 0xA4 && (cmd.P1 == 0x04 || cmd.P2 == 0x00) {
				return // by DF name: the runtime's applet selection; P2 00: same as 04
			}
			want, got := both(t, c1, c2, x, raw)
			if cmd.INS == insVerify && want[len(want)-2] == 0x63 && len(cmd.Data) != 0 {
				// back in step: the right value on both sides
				if v, ok := rightPIN[cmd.P2]; ok {
					w2, g2 := both(t, c1, c2, x, hexb(t, fmt.Sprintf("002000%02x08%s", cmd.P2, v)))
					if !bytes.Equal(w2, g2) || !bytes.Equal(w2, []byte{0x90, 0x00}) {
						t.Fatalf("right PIN %02X after a wrong one: RFM % X, file system % X", cmd.P2, g2, w2)
					}
				}
			}
			if want[len(want)-2] == 0x61 {
				// Le shorter than the data: the runtime's transport rule
				// (61xx, more data), which has no place inside a script.
				continue
			}
			if cmd.Ne == 0 {
				got, want = got[len(got)-2:], want[len(want)-2:]
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("% X: RFM answered % X, the file system % X", raw, got, want)
			}
		}
		for n := fs.Node(0); int(n) < c1.FS().Files(); n++ {
			a, _ := c1.FS().Content(n)
			b, _ := c2.FS().Content(n)
			i1, _ := c1.FS().Info(n)
			i2, _ := c2.FS().Info(n)
			if !bytes.Equal(a, b) || i1.LCSI != i2.LCSI {
				t.Fatalf("file %d differs after the script: LCSI %v / %v", n, i1.LCSI, i2.LCSI)
			}
			for k := 1; k <= i1.Records; k++ {
				r1, _ := c1.FS().Record(n, k)
				r2, _ := c2.FS().Record(n, k)
				if !bytes.Equal(r1, r2) {
					t.Fatalf("file %d record %d differs after the script: % X / % X", n, k, r1, r2)
				}
			}
		}
		for _, k := range []fs.KeyRef{fs.KeyPIN1, fs.KeyPIN2, fs.KeyADM1} {
			s1, _ := c1.FS().PINState(k)
			s2, _ := c2.FS().PINState(k)
			if s1.Tries != s2.Tries || s1.PUKTries != s2.PUKTries {
				t.Fatalf("%v counters differ: %+v / %+v", k, s1, s2)
			}
		}
	})
}

// rightPIN are the otaProfile PIN values by key reference, hex.
var rightPIN = map[byte]string{0x01: "31323334ffffffff", 0x81: "35363738ffffffff", 0x0A: "3838383838383838"}

// both sends raw to the terminal side of c1 and to RFM executor x of c2
// (in a store transaction committed as the OTA engine does: on success
// and warnings) and returns the two answers.
func both(t *testing.T, c1, c2 *Card, x *rfmExec, raw []byte) (want, got []byte) {
	t.Helper()
	want, err := c1.Transmit(nil, raw)
	if err != nil {
		t.Fatal(err)
	}
	if err := c2.Store().Begin(); err != nil {
		t.Fatal(err)
	}
	got = x.Exec(raw, nil)
	if bytes.HasSuffix(got, []byte{0x90, 0x00}) || got[len(got)-2] == 0x62 || got[len(got)-2] == 0x63 {
		_ = c2.Store().Commit()
	} else {
		_ = c2.Store().Abort()
	}
	return want, got
}

// addCyclicEF adds a cyclic EF shaped like EF_ACM (TS 31.102 §4.2.9: FID
// 6F39, 3-byte records; here 4 of them) under ADF.USIM, read PIN1, update
// PIN2, deactivate/activate ADM1 (USIM EF_ARR record 5): the default
// profile has no cyclic EF.
func addCyclicEF(tb testing.TB, c *Card) {
	tb.Helper()
	adf, _ := c.FS().Current(0)
	for n := fs.Node(0); int(n) < c.FS().Files(); n++ {
		if i, _ := c.FS().Info(n); i.Kind == fs.KindADF {
			adf = n
		}
	}
	_, err := c.FS().AddEF(adf, fs.Spec{FID: 0x6F39, Name: "EF.ACM", Structure: fs.Cyclic, RecordLen: 3, Records: 4,
		ARR: fs.ARRRef{FID: 0x6F06, Record: 5}, Data: []byte{0, 0, 1, 0, 0, 2, 0, 0, 3, 0, 0, 4}})
	if err != nil {
		tb.Fatal(err)
	}
}

// BenchmarkRFMIncrease runs INCREASE on the cyclic EF through the RFM
// executor, one store transaction per command as in an OTA script.
func BenchmarkRFMIncrease(b *testing.B) {
	c, err := New(otaProfile(nil))
	if err != nil {
		b.Fatal(err)
	}
	addCyclicEF(b, c)
	x := rfmOf(b, c, scp80.TARRFMUSIM)
	sel, inc := hexb(b, "00a4000c026f39"), hexb(b, "803200000101")
	dst := make([]byte, 0, 64)
	if got := x.Exec(sel, dst); !bytes.Equal(got, []byte{0x90, 0x00}) {
		b.Fatalf("select % X", got)
	}
	acm, _ := c.FS().Lookup(c.adf, 0x6F39)
	zero := []byte{0, 0, 0}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if err := c.Store().Begin(); err != nil {
			b.Fatal(err)
		}
		if i&0xFFFFF == 0 { // record 1 back to 0 before its 3 bytes overflow
			if err := c.FS().PushRecord(acm, zero); err != nil {
				b.Fatal(err)
			}
		}
		if got := x.Exec(inc, dst); got[len(got)-2] != 0x90 {
			b.Fatalf("INCREASE % X", got)
		}
		if err := c.Store().Commit(); err != nil {
			b.Fatal(err)
		}
	}
}

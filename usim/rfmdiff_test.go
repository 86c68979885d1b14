package usim

import (
	"bytes"
	"testing"

	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/ota/scp80"
	"github.com/uiccsim/uiccsim/usim/fs"
)

// FuzzRFMMatchesFileSystem is a differential test of the RFM executor
// against the card's file system (package fs, written independently):
// the same commands — SELECT by FID/path/parent, READ/UPDATE BINARY and
// RECORD — go to the terminal side of one card, with ADF.USIM selected and
// PIN1, PIN2 and ADM1 verified, and to the RFM USIM application of a
// twin card, whose access domain is those three keys. Both must answer the
// same status word and data (on T=1 data only with an Le) and leave the
// same file contents.
func FuzzRFMMatchesFileSystem(f *testing.F) {
	for _, s := range []string{
		"00a4000c026f07" + "00b0000009" + "00d6000003010203" + "00b0000009",
		"00b0870009" + "00d68700020102" + "00b0870000",
		"00a4000c026f40" + "00b2010422" + "00b2020422" + "00b2000422" + "00b2000222" + "00b2000322",
		"00a4000c026f40" + "00dc0104" + "22" + "41ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff" + "00b2010400",
		"00a408047fff6f07" + "00a40300" + "00a4000c023f00" + "00a4000c022fe2" + "00b0000020",
		"00a40904026f07" + "00b0000a01" + "00d6000000" + "00b0002000",
		"00a4000c026f40" + "00dc0104" + "22" + "41ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff" + "00a2000401ff" + "00a2000501" + "41",
	} {
		f.Add(hexb(f, s))
	}
	card := func(tb testing.TB) *Card {
		c, err := New(otaProfile(nil))
		if err != nil {
			tb.Fatal(err)
		}
		c.Runtime().SetT1(true)
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
			if err != nil || cmd.CLA != 0 || (cmd.INS != 0xA4 && cmd.INS != 0xB0 && cmd.INS != 0xD6 && cmd.INS != 0xB2 && cmd.INS != 0xDC && cmd.INS != 0xA2) {
				return
			}
			if cmd.INS == 0xA4 && (cmd.P1 == 0x04 || cmd.P2 == 0x00) {
				return // by DF name: the runtime's applet selection; P2 00: same as 04
			}
			want, err := c1.Transmit(nil, raw)
			if err != nil {
				t.Fatal(err)
			}
			if err := c2.Store().Begin(); err != nil {
				t.Fatal(err)
			}
			got := x.Exec(raw, nil)
			if bytes.HasSuffix(got, []byte{0x90, 0x00}) || got[len(got)-2] == 0x62 || got[len(got)-2] == 0x63 {
				_ = c2.Store().Commit()
			} else {
				_ = c2.Store().Abort()
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
			if !bytes.Equal(a, b) {
				t.Fatalf("file %d differs after the script", n)
			}
		}
	})
}

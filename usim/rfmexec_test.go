package usim

import (
	"bytes"
	"encoding/hex"
	"testing"

	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/ota/scp80"
	"github.com/uiccsim/uiccsim/usim/fs"
	"github.com/uiccsim/uiccsim/usim/profile"
)

// rfmOf returns the card's RFM executor of tar.
func rfmOf(t testing.TB, c *Card, tar scp80.TAR) *rfmExec {
	t.Helper()
	a, ok := c.ota.eng.Targets[tar].App.(*rfmApp)
	if !ok {
		t.Fatalf("no RFM application at %v", tar)
	}
	a.x.begin()
	return a.x
}

func TestRFMExecutorCommands(t *testing.T) {
	msisdn := bytes.Repeat([]byte{0xFF}, 34)
	msisdn[0] = 'A'
	imsi := imsiBytes(t, newIMSI)
	for _, tc := range []struct {
		name   string
		tar    scp80.TAR
		access []byte // nil: default
		cmds   []string
		want   []string // R-APDU of each command, hex; "*" ends with 9000 and has data
	}{
		{"select by FID, read, update IMSI", scp80.TARRFMUSIM, nil,
			[]string{"00a4000c026f07", "00b0000009", "00d6000009" + hex.EncodeToString(imsi), "00b0000009"},
			[]string{"9000", "080910101032547698" + "9000", "9000", hex.EncodeToString(imsi) + "9000"}},
		{"SFI read and update", scp80.TARRFMUSIM, nil,
			[]string{"00b0870009", "00d6870009" + hex.EncodeToString(imsi)},
			[]string{"080910101032547698" + "9000", "9000"}},
		{"select with FCP", scp80.TARRFMUSIM, nil, []string{"00a40004026f07"}, []string{"*"}},
		{"UICC RFM path to the USIM", scp80.TARRFMUICC, nil, []string{"00a40804047fff6f07", "00b0000002"}, []string{"*", "08099000"}},
		{"UICC RFM starts at the MF", scp80.TARRFMUICC, nil, []string{"00a4000c022fe2", "00a4000c026f07"}, []string{"9000", "6a82"}},
		{"parent DF and record update", scp80.TARRFMUSIM, nil,
			[]string{"00a4000c026f40", "00dc010422" + hex.EncodeToString(msisdn), "00b2010422", "00a4030c"},
			[]string{"9000", "9000", hex.EncodeToString(msisdn) + "9000", "9000"}},
		{"record not found, structure", scp80.TARRFMUSIM, nil,
			[]string{"00a4000c026f40", "00b2090422", "00b0000001"},
			[]string{"9000", "6a83", "6981"}},
		{"no ADM in the access domain", scp80.TARRFMUSIM, []byte{byte(fs.KeyPIN1)},
			[]string{"00a4000c026f07", "00b0000009", "00d6000009" + hex.EncodeToString(imsi)},
			[]string{"9000", "080910101032547698" + "9000", "6982"}},
		{"errors", scp80.TARRFMUSIM, nil,
			[]string{"00b0000001", "00a4000c023f01", "00a4050c026f07", "80d6000001ff", "0044000000", "00d6000000"},
			[]string{"6986", "6a82", "6a86", "6e00", "6d00", "6700"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := otaProfile(nil)
			if tc.access != nil {
				p.OTAApps = []profile.OTAApp{{App: profile.AppRFMUSIM, TAR: profile.HexBytes{0xB0, 0, 0x10}, MSL: profile.HexBytes{0x12}, Access: tc.access}}
			}
			c, err := New(p)
			if err != nil {
				t.Fatal(err)
			}
			x := rfmOf(t, c, tc.tar)
			if err := c.Store().Begin(); err != nil {
				t.Fatal(err)
			}
			defer func() { _ = c.Store().Commit() }()
			for i, h := range tc.cmds {
				got := x.Exec(hexb(t, h), nil)
				if tc.want[i] == "*" {
					if len(got) <= 2 || got[len(got)-2] != 0x90 {
						t.Fatalf("%s: % X, want data and 9000", h, got)
					}
					continue
				}
				if w := hexb(t, tc.want[i]); !bytes.Equal(got, w) {
					t.Fatalf("%s: % X, want % X", h, got, w)
				}
			}
		})
	}
}

// TestRFMDoesNotTouchTheTerminalsState: the RFM context is its own; the
// terminal's current EF and PIN status stay as they were.
func TestRFMDoesNotTouchTheTerminalsState(t *testing.T) {
	c, term := activeTerminal(t, otaProfile(func(p *profile.Profile) {
		p.OTAApps = []profile.OTAApp{{App: profile.AppRFMUSIM, TAR: profile.HexBytes{0xB0, 0, 0x10}, MSL: profile.HexBytes{0x12}, Refresh: profile.RefreshNone}}
	}))
	cl := term.Client()
	if _, err := cl.Select(0x6F40); err != nil { // EF_MSISDN current on the terminal
		t.Fatal(err)
	}
	df, ef := c.FS().Current(0)
	if _, res, err := otaServer(t, 1, scp80.TARRFMUSIM, fullSPI).Run(term, updateIMSIScript(t, newIMSI)); err != nil || res.APDUs[1].SW != apdu.SWOK {
		t.Fatalf("%v %+v", err, res)
	}
	if df2, ef2 := c.FS().Current(0); df2 != df || ef2 != ef {
		t.Fatal("RFM moved the terminal's current file")
	}
	if s, _ := c.FS().PINState(fs.KeyADM1); s.Verified {
		t.Fatal("RFM left ADM1 verified for the terminal")
	}
	if _, sw, _ := cl.Exchange(apdu.Command{INS: 0xD6, P1: 0x87, Data: imsiBytes(t, profile.DefaultIMSI)}); sw != apdu.SWSecurityNotSatisfied {
		t.Fatalf("terminal UPDATE EF_IMSI without ADM: %v", sw)
	}
}

package engine

import (
	"bytes"
	"encoding/hex"
	"testing"

	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/ota/rfm"
	"github.com/uiccsim/uiccsim/ota/scp80"
)

// TestRefreshVectors: REFRESH commands of Mozilla's B2G STK test suite
// (an independent encoder): file change notification of EF_ICCID, and
// UICC reset.
func TestRefreshVectors(t *testing.T) {
	tests := []struct {
		name  string
		mode  RefreshMode
		files [][]byte
		hex   string
	}{
		{"file change notification 3F00 2FE2", RefreshFCN, [][]byte{{0x3F, 0x00, 0x2F, 0xE2}}, "d0108103010101820281829205013f002fe2"},
		{"UICC reset", RefreshUICCReset, nil, "d009810301010482028182"},
		{"EF_IMSI in the ADF", RefreshNAAInitFCN, [][]byte{{0x3F, 0x00, 0x7F, 0xFF, 0x6F, 0x07}}, "d0128103010102820281829207013f007fff6f07"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := AppendRefresh(nil, 1, tc.mode, tc.files, nil)
			if err != nil || hex.EncodeToString(b) != tc.hex {
				t.Fatalf("got %x (%v), want %s", b, err, tc.hex)
			}
			r, err := ParseRefresh(b)
			if err != nil || r.Mode != tc.mode || len(r.Files) != len(tc.files) {
				t.Fatalf("%+v %v", r, err)
			}
			for i := range tc.files {
				if !bytes.Equal(r.Files[i], tc.files[i]) {
					t.Fatalf("file %d: % X", i, r.Files[i])
				}
			}
		})
	}
	two, _ := AppendRefresh(nil, 1, RefreshFCN, [][]byte{{0x3F, 0x00, 0x7F, 0xFF, 0x6F, 0x07}, {0x3F, 0x00, 0x2F, 0xE2}}, nil)
	if r, err := ParseRefresh(two); err != nil || len(r.Files) != 2 || !bytes.Equal(r.Files[1], []byte{0x3F, 0, 0x2F, 0xE2}) {
		t.Fatalf("%+v %v", r, err)
	}
	if _, err := AppendRefresh(nil, 1, RefreshFCN, nil, nil); err == nil {
		t.Fatal("file change notification without files accepted")
	}
	if _, err := AppendRefresh(nil, 1, RefreshFCN, [][]byte{{0x6F, 0x07}}, nil); err == nil {
		t.Fatal("path not from the MF accepted")
	}
	for _, bad := range []string{"d00b81030101018202818292020100", "d0108103010101820281829205027f002fe2", "d0098103010101820281"} {
		if _, err := ParseRefresh(unhex(t, bad)); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}

func TestChangeTrackerPaths(t *testing.T) {
	ok := rfm.ExecFunc(func(cmd, dst []byte) []byte { return append(dst, 0x90, 0x00) })
	tr := &ChangeTracker{Next: ok}
	for _, c := range []string{
		"00a40004023f00", "00a40004027fff", "00a40004026f07", "00d6000009082902010000000010", // EF_IMSI in the ADF
		"00a40804022fe2", "00d600000101", // EF_ICCID by path from the MF
		"00a4000c027f10", "00a4000c025f3a", "00a4000c024f30", "00dc0104020000", // EF_PBR under DF.TELECOM/DF.PHONEBOOK
		"00a40004027fff", "00a40004026f07", "00d6000001ff", // EF_IMSI again: listed once
		"00a4040c07a0000000871002", "00a4000c026f78", "0032000001", // ADF by AID, INCREASE on 6F78
		"00d6810001ff", // by short file identifier: not tracked
	} {
		tr.Exec(unhex(t, c), nil)
	}
	want := []string{"3f007fff6f07", "3f002fe2", "3f007f105f3a4f30", "3f007fff6f78"}
	if len(tr.Changed) != len(want) {
		t.Fatalf("changed %x", tr.Changed)
	}
	for i, w := range want {
		if hex.EncodeToString(tr.Changed[i]) != w {
			t.Errorf("%d: %x want %s", i, tr.Changed[i], w)
		}
	}
	// A failed update is not a change.
	fail := &ChangeTracker{Next: rfm.ExecFunc(func(cmd, dst []byte) []byte {
		if cmd[1] == 0xD6 {
			return append(dst, 0x69, 0x82)
		}
		return append(dst, 0x90, 0x00)
	})}
	fail.Exec(unhex(t, "00a40004026f07"), nil)
	fail.Exec(unhex(t, "00d6000001ff"), nil)
	if len(fail.Changed) != 0 {
		t.Fatal("refused UPDATE recorded")
	}
}

// TestRFMQueuesRefreshAfterPoR: an RFM script that rewrites EF_IMSI gets
// its PoR by SMS-SUBMIT first, then REFRESH naming 3F00 7FFF 6F07.
func TestRFMQueuesRefreshAfterPoR(t *testing.T) {
	app := &RefreshingRFM{Exec: rfm.ExecFunc(func(cmd, dst []byte) []byte { return append(dst, 0x90, 0x00) }), Mode: RefreshNAAInitFCN}
	e, _ := newEngine(t, nil)
	q := &queue{}
	e.Proactive = q
	e.Targets[scp80.TARRFMUSIM] = Target{App: app, MSL: 0x16}
	h := scp80.Header{SPI: scp80.SPI{0x16, 0x39}, KIc: 0x12, KID: 0x12, TAR: scp80.TARRFMUSIM}
	pkt, _ := scp80.AppendCommand(nil, h, scp80.CounterOf(1), unhex(t, "00a40004027fff00a40004026f0700d6000009082902010000000010"), aesKeys(t))
	_, rep := e.Download(nil, envelopeFor(t, pkt))
	if rep.Err != nil || !rep.BySubmit || rep.SW != apdu.SWOK {
		t.Fatalf("%+v", rep)
	}
	if len(q.cmds) != 2 || q.cmds[0][5] != 0x13 {
		t.Fatalf("queued %x", q.cmds)
	}
	r, err := ParseRefresh(q.cmds[1])
	if err != nil || r.Mode != RefreshNAAInitFCN || hex.EncodeToString(r.Files[0]) != "3f007fff6f07" {
		t.Fatalf("%+v %v", r, err)
	}
	// A script that changes nothing queues no REFRESH.
	q.cmds = nil
	pkt, _ = scp80.AppendCommand(nil, h, scp80.CounterOf(2), unhex(t, "00a40004027fff"), aesKeys(t))
	e.Download(nil, envelopeFor(t, pkt))
	if len(q.cmds) != 1 {
		t.Fatalf("queued %d commands", len(q.cmds))
	}
}

func FuzzParseRefresh(f *testing.F) {
	f.Add(unhex(f, "d0108103010101820281829205013f002fe2"))
	f.Add(unhex(f, "d009810301010482028182"))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := ParseRefresh(b)
		if err != nil {
			return
		}
		again, err := AppendRefresh(nil, r.Number, r.Mode, r.Files, r.AID)
		if err != nil {
			if r.Mode.needsFiles() || len(r.Files) > 0 {
				return // e.g. a file list where the mode carries none is legal to read, not to build
			}
			t.Fatalf("accepted REFRESH does not rebuild: %v", err)
		}
		if _, err := ParseRefresh(again); err != nil {
			t.Fatalf("rebuilt REFRESH does not parse: %v", err)
		}
	})
}

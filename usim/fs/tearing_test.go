package fs

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/uiccsim/uiccsim/usim/jc"
	"github.com/uiccsim/uiccsim/usim/store"
)

// tear runs setup, then cmd with a power loss after every possible number
// of persistent writes, restarts the card and calls check with whether
// the command completed.
func tear(t *testing.T, setup []string, cmd string, check func(t *testing.T, c *testCard, completed bool)) {
	t.Helper()
	c := buildCard(t, Options{})
	for _, s := range setup {
		c.xfer(t, s)
	}
	w0 := c.st.Writes()
	if r := c.xfer(t, cmd); !strings.HasSuffix(r, "9000") && !strings.HasPrefix(r, "61") {
		t.Fatalf("%s: %s", cmd, r)
	}
	total := int(c.st.Writes() - w0)
	if total == 0 {
		t.Fatalf("%s made no persistent write", cmd)
	}
	for n := 0; n <= total; n++ {
		t.Run(fmt.Sprintf("cut%d", n), func(t *testing.T) {
			c := buildCard(t, Options{})
			for _, s := range setup {
				c.xfer(t, s)
			}
			c.st.FailAfter(n)
			_, err := c.rt.Transmit(nil, hx(cmd))
			if n < total && !errors.Is(err, jc.ErrMute) {
				t.Fatalf("cut after %d of %d writes: %v", n, total, err)
			}
			c.st.FailAfter(-1)
			if _, err := c.rt.Reset(true); err != nil {
				t.Fatal(err)
			}
			check(t, c, n == total)
		})
	}
}

func TestTearingUpdateBinary(t *testing.T) {
	old, upd := imsi, hx("0809101010325476F8")
	tear(t, []string{selUSIM, "0020000A083838383838383838"}, "00D68700 09 0809101010325476F8",
		func(t *testing.T, c *testCard, completed bool) {
			got, _ := c.fs.Content(c.imsiEF)
			switch {
			case bytes.Equal(got, upd):
			case bytes.Equal(got, old):
				if completed {
					t.Fatal("completed update lost")
				}
			default:
				t.Fatalf("torn content % X", got)
			}
		})
}

func TestTearingCyclicUpdate(t *testing.T) {
	tear(t, []string{selUSIM, verifyPIN2, "00A4000C026F39"}, "00DC000303ABCDEF",
		func(t *testing.T, c *testCard, completed bool) {
			var recs []string
			for i := 1; i <= 3; i++ {
				r, _ := c.fs.Record(c.acm, i)
				recs = append(recs, fmt.Sprintf("%X", r))
			}
			got := strings.Join(recs, " ")
			switch got {
			case "ABCDEF 000010 000005":
			case "000010 000005 000001":
				if completed {
					t.Fatal("completed update lost")
				}
			default:
				t.Fatalf("torn cyclic file: %s", got)
			}
		})
}

func TestTearingChangePIN(t *testing.T) {
	tear(t, nil, "002400811035363738FFFFFFFF 31323334FFFFFFFF",
		func(t *testing.T, c *testCard, completed bool) {
			s, _ := c.fs.PINState(KeyPIN2)
			if s.Tries > 3 {
				t.Fatalf("tries grew to %d", s.Tries)
			}
			oldOK := c.xfer(t, "00200081 08 35363738FFFFFFFF")
			c.rt.Reset(true)
			newOK := c.xfer(t, "00200081 08 31323334FFFFFFFF")
			if (oldOK == "9000") == (newOK == "9000") {
				t.Fatalf("old PIN %s, new PIN %s: exactly one must verify", oldOK, newOK)
			}
			if completed && newOK != "9000" {
				t.Fatal("completed change lost")
			}
		})
}

// A card saved as an image and reopened answers exactly as before, with
// its contents, life cycle states, cyclic order and PIN counters.
func TestImageRoundTrip(t *testing.T) {
	c := buildCard(t, Options{})
	c.run(t, []step{
		{selUSIM, "9000"},
		{verifyPIN2, "9000"},
		{"00A4000C026F39", "9000"},
		{"8032000003000001", "6106"},
		{"00A4000C026F3C", "9000"},
		{"00040000", "9000"},
		{"0020008108 39393939FFFFFFFF", "63C2"},
	})
	p := filepath.Join(t.TempDir(), "card.img")
	if err := c.st.SaveFile(p); err != nil {
		t.Fatal(err)
	}
	st, err := store.LoadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	f2, err := Open(st, Options{})
	if err != nil {
		t.Fatal(err)
	}
	rt := jc.New(jc.Options{Store: st})
	f2.Attach(rt)
	if err := f2.InstallApps(rt); err != nil {
		t.Fatal(err)
	}
	rt.Reset(true)
	c2 := &testCard{rt: rt, fs: f2, st: st}
	script := []string{selUSIM, verifyPIN2, "00A4000C026F39", "00B2010403", "00B2020403",
		"00A40004026F3C", "00C0000000", "00200001", "80F2000000", "00A4000C026F07", "00B0000009",
		"00A4080C022F00", "00B2010423", "00B2020423"}
	c.rt.Reset(true)
	for _, s := range script {
		if a, b := c.xfer(t, s), c2.xfer(t, s); a != b {
			t.Fatalf("%s: original %s, restored %s", s, a, b)
		}
	}
	if f2.Files() != c.fs.Files() {
		t.Fatalf("%d files restored of %d", f2.Files(), c.fs.Files())
	}
	// A store that is not a file system is refused.
	if _, err := Open(store.New(store.Options{}), Options{}); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("empty store: %v", err)
	}
}

func TestBadSpecs(t *testing.T) {
	c := buildCard(t, Options{})
	f := c.fs
	for name, s := range map[string]Spec{
		"duplicate FID":   {FID: 0x6F07, Size: 1},
		"duplicate SFI":   {FID: 0x6F70, SFI: 7, Size: 1},
		"reserved FID":    {FID: 0x7FFF, Size: 1},
		"zero size":       {FID: 0x6F71},
		"too much data":   {FID: 0x6F72, Size: 1, Data: []byte{1, 2}},
		"SFI 31":          {FID: 0x6F73, SFI: 31, Size: 1},
		"records of 0":    {FID: 0x6F74, Structure: LinearFixed, Records: 2},
		"255 records":     {FID: 0x6F75, Structure: Cyclic, RecordLen: 2, Records: 255},
		"EF with PINs":    {FID: 0x6F76, Size: 1, PINs: []KeyRef{KeyPIN1}},
		"EF with AID":     {FID: 0x6F77, Size: 1, AID: usimAID},
		"bad structure":   {FID: 0x6F78, Structure: 9, Size: 1},
		"size and record": {FID: 0x6F79, Size: 3, RecordLen: 1, Records: 3},
	} {
		if _, err := f.AddEF(c.adf, s); !errors.Is(err, ErrBadSpec) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := f.AddEF(c.imsiEF, Spec{FID: 0x1234, Size: 1}); !errors.Is(err, ErrBadSpec) {
		t.Errorf("EF under an EF: %v", err)
	}
	if _, err := f.AddADF(Spec{FID: 0x7F10, AID: usimAID}); !errors.Is(err, ErrBadSpec) {
		t.Errorf("duplicate AID: %v", err)
	}
	if _, err := f.AddADF(Spec{FID: 0x7F10, AID: []byte{1, 2}}); !errors.Is(err, ErrBadSpec) {
		t.Errorf("short AID: %v", err)
	}
	if _, err := f.AddDF(f.MF(), Spec{FID: 0x7F10, Size: 3}); !errors.Is(err, ErrBadSpec) {
		t.Errorf("DF with size: %v", err)
	}
	for name, p := range map[string]PIN{
		"twice":          {Ref: KeyPIN1, Value: []byte("1234")},
		"bad ref":        {Ref: 0x55, Value: []byte("1234")},
		"short PIN":      {Ref: 0x02, Value: []byte("12")},
		"letters":        {Ref: 0x03, Value: []byte("12a4")},
		"16 retries":     {Ref: 0x04, Value: []byte("1234"), Retries: 16},
		"disabled ADM":   {Ref: KeyADM2, Value: []byte("1"), Disabled: true},
		"PUK of 9 bytes": {Ref: 0x05, Value: []byte("1234"), PUK: []byte("123456789")},
	} {
		if err := f.AddPIN(p); !errors.Is(err, ErrBadSpec) {
			t.Errorf("PIN %s: %v", name, err)
		}
	}
	if s := (PIN{Ref: KeyADM1, Value: []byte("secret12")}).String(); strings.Contains(s, "secret") {
		t.Fatalf("PIN.String leaks: %s", s)
	}
}

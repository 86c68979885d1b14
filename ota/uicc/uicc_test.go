package uicc

import (
	"bytes"
	"encoding/hex"
	"testing"

	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/ota/engine"
	"github.com/uiccsim/uiccsim/ota/scp80"
	"github.com/uiccsim/uiccsim/ota/server"
	"github.com/uiccsim/uiccsim/ota/sms"
	"github.com/uiccsim/uiccsim/usim"
	"github.com/uiccsim/uiccsim/usim/profile"
)

const (
	kicHex = "000102030405060708090a0b0c0d0e0f"
	kidHex = "101112131415161718191a1b1c1d1e1f"
)

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func otaProfile() *profile.Profile {
	p := profile.Default()
	p.OTAKeySets = []profile.OTAKeySet{{
		KVN:  1,
		KIc:  profile.OTAKey{Algorithm: "aes", Key: kicHex},
		KID:  profile.OTAKey{Algorithm: "aes", Key: kidHex},
		TARs: []profile.HexBytes{{0xB0, 0x00, 0x00}, {0xB0, 0x00, 0x10}},
	}}
	return p
}

func newCard(t testing.TB, o Options) (*usim.Card, *OTA, *profile.Profile) {
	return newCardFrom(t, otaProfile(), o)
}

func newCardFrom(t testing.TB, p *profile.Profile, o Options) (*usim.Card, *OTA, *profile.Profile) {
	card, err := usim.New(p)
	if err != nil {
		t.Fatal(err)
	}
	ota, err := Install(card, p, o)
	if err != nil {
		t.Fatal(err)
	}
	return card, ota, p
}

func serverCard(t testing.TB, tar scp80.TAR) *server.Card {
	enc, _ := scp80.NewCipher(scp80.AlgAES, unhex(t, kicHex))
	mac, _ := scp80.NewCipher(scp80.AlgAES, unhex(t, kidHex))
	return &server.Card{TAR: tar, SPI: scp80.SPI{0x16, 0x19}, KIc: scp80.NewKIc(scp80.AlgAES, 1), KID: scp80.NewKID(scp80.AlgAES, 1),
		Keys: scp80.Keys{Enc: enc, MAC: mac}, Originator: sms.Address{TON: sms.TONInternational, NPI: sms.NPIISDN, Digits: "4912345"}}
}

func imsiOf(t testing.TB, card *usim.Card) []byte {
	f := card.FS()
	adf, _ := f.ADF(card.AID())
	n, ok := f.Lookup(adf, 0x6F07)
	if !ok {
		t.Fatal("no EF_IMSI")
	}
	c, err := f.Content(n)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Clone(c)
}

// newIMSI is EF_IMSI for 001019876543210 (TS 31.102 §4.2.2).
var newIMSI = []byte{0x08, 0x09, 0x10, 0x10, 0x89, 0x67, 0x45, 0x23, 0x01}

func imsiScript() [][]byte {
	return [][]byte{
		{0x00, 0xA4, 0x00, 0x04, 0x02, 0x6F, 0x07},
		append([]byte{0x00, 0xD6, 0x00, 0x00, 0x09}, newIMSI...),
		{0x00, 0xB0, 0x00, 0x00, 0x09},
	}
}

// TestRFMRewritesIMSIThroughTheCard: the OTA server updates EF_IMSI of the
// emulated card through its ENVELOPE (T=0: 61xx + GET RESPONSE for the
// PoR), then a replay is refused with CNTR low and changes nothing.
func TestRFMRewritesIMSIThroughTheCard(t *testing.T) {
	card, ota, _ := newCard(t, Options{})
	old := imsiOf(t, card)
	srv := serverCard(t, scp80.TARRFMUSIM)
	_, res, err := srv.Run(card, imsiScript())
	if err != nil {
		t.Fatal(err)
	}
	if res.PoR.Status != scp80.StatusOK || res.Executed != 3 {
		t.Fatalf("%+v", res)
	}
	if last := res.APDUs[2]; last.SW != apdu.SWOK || !bytes.Equal(last.Data, newIMSI) {
		t.Fatalf("%v", last)
	}
	if got := imsiOf(t, card); !bytes.Equal(got, newIMSI) || bytes.Equal(old, newIMSI) {
		t.Fatalf("EF_IMSI %x", got)
	}
	if ota.Counter(1).Uint64() != 1 {
		t.Fatalf("counter %v", ota.Counter(1))
	}
	srv.Counter = 0 // replay CNTR 1
	_, res, err = srv.Run(card, [][]byte{{0x00, 0xA4, 0x00, 0x04, 0x02, 0x6F, 0x07}, {0x00, 0xD6, 0x00, 0x00, 0x01, 0x00}})
	if err != nil || res.PoR.Status != scp80.StatusCounterLow || res.Executed != 0 {
		t.Fatalf("replay: %+v %v", res, err)
	}
	if got := imsiOf(t, card); !bytes.Equal(got, newIMSI) {
		t.Fatal("replay changed EF_IMSI")
	}
}

func TestRefusals(t *testing.T) {
	card, _, _ := newCard(t, Options{MSL: 0x16})
	tests := []struct {
		name string
		mod  func(c *server.Card)
		st   scp80.Status
	}{
		{"unknown TAR", func(c *server.Card) { c.TAR = scp80.TAR{0xB0, 0x00, 0x20} }, scp80.StatusTARUnknown},
		{"MSL not met: no counter", func(c *server.Card) { c.SPI = scp80.SPI{0x06, 0x19} }, scp80.StatusInsufficientSecurity},
		{"wrong CC key", func(c *server.Card) {
			c.Keys.MAC, _ = scp80.NewCipher(scp80.AlgAES, make([]byte, 16))
			c.SPI = scp80.SPI{0x16, 0x09} // right KIc, wrong KID: the CC is what fails
		}, scp80.StatusRCCCDSFailed},
		{"unknown key version", func(c *server.Card) { c.KIc, c.KID = scp80.NewKIc(scp80.AlgAES, 2), scp80.NewKID(scp80.AlgAES, 2) }, scp80.StatusUnidentifiedSecurity},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := serverCard(t, scp80.TARRFMUSIM)
			c.Counter = 100
			tc.mod(c)
			_, res, err := c.Run(card, imsiScript())
			if err != nil {
				t.Fatal(err)
			}
			if res.PoR.Status != tc.st || res.PoR.Secured || res.Executed != 0 {
				t.Fatalf("%+v", res.PoR)
			}
		})
	}
	if got := imsiOf(t, card); bytes.Equal(got, newIMSI) {
		t.Fatal("a refused packet changed EF_IMSI")
	}
}

// TestUICCRFMAndFileErrors: RFM for the UICC file system starts at the
// MF; a failing command ends the script with its status word.
func TestUICCRFMAndFileErrors(t *testing.T) {
	card, _, _ := newCard(t, Options{})
	c := serverCard(t, scp80.TARRFMUICC)
	c.Expanded = true
	_, res, err := c.Run(card, [][]byte{
		{0x00, 0xA4, 0x00, 0x0C, 0x02, 0x2F, 0xE2}, // EF_ICCID under the MF
		{0x00, 0xB0, 0x00, 0x00, 0x0A},
		{0x00, 0xA4, 0x00, 0x0C, 0x02, 0x6F, 0x07}, // EF_IMSI is not under the MF
		{0x00, 0xB0, 0x00, 0x00, 0x09},
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Executed != 3 || res.APDUs[2].SW != apdu.SWFileNotFound || res.APDUs[3].Executed {
		t.Fatalf("%+v", res.APDUs)
	}
	iccid := res.APDUs[1].Data
	if hex.EncodeToString(iccid) != "980001012143658709f4" {
		t.Fatalf("EF_ICCID %x", iccid)
	}
}

// TestRefreshAfterIMSIChange: with REFRESH configured, the card answers
// the PoR and then announces REFRESH (91xx); FETCH brings it with the file
// list 3F00 7FFF 6F07.
func TestRefreshAfterIMSIChange(t *testing.T) {
	mode := engine.RefreshNAAInitFCN
	card, _, _ := newCard(t, Options{Refresh: &mode})
	srv := serverCard(t, scp80.TARRFMUSIM)
	m, err := srv.Prepare(imsiScript())
	if err != nil {
		t.Fatal(err)
	}
	envs, _ := srv.Envelopes(m)
	b, _ := envs[0].Append(nil)
	rsp, err := card.Transmit(nil, b)
	if err != nil {
		t.Fatal(err)
	}
	// The PoR is waiting (61xx); after GET RESPONSE the card says 91xx.
	if rsp[len(rsp)-2] != 0x61 {
		t.Fatalf("ENVELOPE answered %x", rsp)
	}
	rsp, _ = card.Transmit(nil, []byte{0x00, 0xC0, 0x00, 0x00, rsp[len(rsp)-1]})
	if _, err := srv.ParsePoR(m, rsp[:len(rsp)-2]); err != nil {
		t.Fatal(err)
	}
	if rsp[len(rsp)-2] != 0x91 {
		t.Fatalf("after the PoR: SW %x, want 91xx", rsp[len(rsp)-2:])
	}
	rsp, _ = card.Transmit(nil, []byte{0x80, 0x12, 0x00, 0x00, rsp[len(rsp)-1]})
	r, err := engine.ParseRefresh(rsp[:len(rsp)-2])
	if err != nil {
		t.Fatal(err)
	}
	if r.Mode != mode || len(r.Files) != 1 || hex.EncodeToString(r.Files[0]) != "3f007fff6f07" {
		t.Fatalf("%+v", r)
	}
}

// TestTearingIMSIAndCounter cuts the power at every persistent write of
// the ENVELOPE that rewrites EF_IMSI: after restart the card holds the old
// IMSI and the old counter, or the new IMSI and the new counter — never a
// mix, never a replay window.
func TestTearingIMSIAndCounter(t *testing.T) {
	for n := 0; ; n++ {
		card, _, p := newCard(t, Options{})
		st := card.Store()
		old := imsiOf(t, card)
		srv := serverCard(t, scp80.TARRFMUSIM)
		st.FailAfter(n)
		_, _, runErr := srv.Run(card, imsiScript())
		st.FailAfter(-1)
		if runErr == nil && !st.Dead() {
			if n == 0 {
				t.Fatal("no write was ever cut")
			}
			t.Logf("cut at each of %d writes", n)
			return
		}
		if err := st.Restart(); err != nil {
			t.Fatalf("cut %d: restart: %v", n, err)
		}
		card2, err := usim.Open(st)
		if err != nil {
			t.Fatalf("cut %d: reopen: %v", n, err)
		}
		ota2, err := Install(card2, p, Options{})
		if err != nil {
			t.Fatalf("cut %d: install: %v", n, err)
		}
		imsi, cntr := imsiOf(t, card2), ota2.Counter(1).Uint64()
		switch {
		case bytes.Equal(imsi, old) && cntr == 0:
		case bytes.Equal(imsi, newIMSI) && cntr == 1:
		default:
			t.Fatalf("cut %d: EF_IMSI %x with counter %d", n, imsi, cntr)
		}
	}
}

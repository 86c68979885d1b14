package usim

import (
	"bytes"
	"encoding/hex"
	"testing"

	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/ota/engine"
	"github.com/uiccsim/uiccsim/ota/rfm"
	"github.com/uiccsim/uiccsim/ota/scp80"
	"github.com/uiccsim/uiccsim/ota/server"
	"github.com/uiccsim/uiccsim/ota/sms"
	"github.com/uiccsim/uiccsim/usim/ef"
	"github.com/uiccsim/uiccsim/usim/profile"
)

// OTA keys of the test profile: KVN 1 AES-128, KVN 2 3DES 2-key.
const (
	aesKIc  = "000102030405060708090a0b0c0d0e0f"
	aesKID  = "101112131415161718191a1b1c1d1e1f"
	desKIc  = "0123456789abcdeffedcba9876543210"
	desKID  = "89abcdef0123456776543210fedcba98"
	newIMSI = "001019876543210"
)

// otaProfile is the default profile with an AES and a 3DES key set.
func otaProfile(edit func(p *profile.Profile)) *profile.Profile {
	p := profile.Default()
	rfmTARs := []profile.HexBytes{{0xB0, 0, 0}, {0xB0, 0, 0x10}}
	p.OTAKeySets = []profile.OTAKeySet{
		{KVN: 1, KIc: profile.OTAKey{Algorithm: "aes", Key: aesKIc}, KID: profile.OTAKey{Algorithm: "aes", Key: aesKID}, TARs: rfmTARs},
		{KVN: 2, KIc: profile.OTAKey{Algorithm: "des3", Key: desKIc}, KID: profile.OTAKey{Algorithm: "des3", Key: desKID}, TARs: rfmTARs},
	}
	if edit != nil {
		edit(p)
	}
	return p
}

// activeTerminal builds a card from p and activates a terminal on it.
func activeTerminal(t testing.TB, p *profile.Profile) (*Card, *Terminal) {
	t.Helper()
	c, err := New(p)
	if err != nil {
		t.Fatal(err)
	}
	term := NewTerminal(c)
	if err := term.Activate(); err != nil {
		t.Fatal(err)
	}
	return c, term
}

func mustCipher(t testing.TB, a scp80.Algorithm, key string) *scp80.Cipher {
	t.Helper()
	b, err := hex.DecodeString(key)
	if err != nil {
		t.Fatal(err)
	}
	c, err := scp80.NewCipher(a, b)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// fullSPI is CC, ciphering, counter higher, PoR always with CC, ciphered,
// in the SMS-DELIVER-REPORT.
var fullSPI = scp80.SPIOptions{Integrity: scp80.CryptoChecksum, Ciphered: true, Counter: scp80.CounterHigher,
	PoR: scp80.PoRAlways, PoRIntegrity: scp80.CryptoChecksum, PoRCiphered: true}

// otaServer returns the operator's view of the card for key set kvn (1
// AES, 2 3DES) and TAR.
func otaServer(t testing.TB, kvn int, tar scp80.TAR, o scp80.SPIOptions) *server.Card {
	t.Helper()
	alg, kic, kid := scp80.AlgAES, aesKIc, aesKID
	if kvn == 2 {
		alg, kic, kid = scp80.Alg3DES2, desKIc, desKID
	}
	return &server.Card{TAR: tar, SPI: scp80.NewSPI(o), KIc: scp80.NewKIc(alg, kvn), KID: scp80.NewKID(alg, kvn),
		Keys:       scp80.Keys{Enc: mustCipher(t, alg, kic), MAC: mustCipher(t, alg, kid)},
		Originator: sms.Address{TON: 1, NPI: 1, Digits: "123456"}}
}

func imsiBytes(t testing.TB, s string) []byte {
	t.Helper()
	i, err := ef.NewIMSI(s)
	if err != nil {
		t.Fatal(err)
	}
	return i.Append(nil)
}

func updateIMSIScript(t testing.TB, imsi string) [][]byte {
	return [][]byte{
		{0x00, 0xA4, 0x00, 0x0C, 0x02, 0x6F, 0x07},
		append([]byte{0x00, 0xD6, 0x00, 0x00, 0x09}, imsiBytes(t, imsi)...),
	}
}

func imsiContent(t testing.TB, c *Card) []byte {
	t.Helper()
	n, ok := c.FS().Lookup(c.adf, 0x6F07)
	if !ok {
		t.Fatal("no EF_IMSI")
	}
	b, err := c.FS().Content(n)
	if err != nil {
		t.Fatal(err)
	}
	return append([]byte(nil), b...)
}

func TestOTAUpdateIMSIThroughRFMWithRefresh(t *testing.T) {
	for _, tc := range []struct {
		name  string
		kvn   int
		tar   scp80.TAR
		spi   scp80.SPIOptions
		mode  string
		wantM engine.RefreshMode
	}{
		{"AES RFM USIM PoR in response, UICC reset", 1, scp80.TARRFMUSIM, fullSPI, "", engine.RefreshUICCReset},
		{"3DES RFM USIM PoR in response, UICC reset", 2, scp80.TARRFMUSIM, fullSPI, "", engine.RefreshUICCReset},
		{"AES RFM UICC with path select, NAA init", 1, scp80.TARRFMUICC, fullSPI, profile.RefreshNAAInit, engine.RefreshNAAInitFCN},
		{"3DES PoR by SMS-SUBMIT, file change notification", 2, scp80.TARRFMUSIM, func() scp80.SPIOptions { o := fullSPI; o.PoRBySubmit = true; return o }(), profile.RefreshFCN, engine.RefreshFCN},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := otaProfile(func(p *profile.Profile) {
				if tc.mode != "" {
					p.OTAApps = []profile.OTAApp{
						{App: profile.AppRFMUICC, TAR: profile.HexBytes{0xB0, 0, 0}, MSL: profile.HexBytes{0x12}, Refresh: tc.mode},
						{App: profile.AppRFMUSIM, TAR: profile.HexBytes{0xB0, 0, 0x10}, MSL: profile.HexBytes{0x12}, Refresh: tc.mode},
					}
				}
			})
			c, term := activeTerminal(t, p)
			if term.IMSI.String() != profile.DefaultIMSI {
				t.Fatalf("IMSI before: %v", term.IMSI)
			}
			srv := otaServer(t, tc.kvn, tc.tar, tc.spi)
			script := updateIMSIScript(t, newIMSI)
			if tc.tar == scp80.TARRFMUICC {
				script[0] = []byte{0x00, 0xA4, 0x08, 0x0C, 0x04, 0x7F, 0xFF, 0x6F, 0x07}
			}
			_, res, err := srv.Run(term, script)
			if err != nil {
				t.Fatal(err)
			}
			if res.PoR.Status != scp80.StatusOK || !res.PoR.Secured {
				t.Fatalf("PoR %+v", res.PoR)
			}
			if res.Executed != 2 || res.APDUs[1].SW != apdu.SWOK {
				t.Fatalf("script result %+v", res)
			}
			if rep := c.LastOTA(); rep.BySubmit != tc.spi.PoRBySubmit {
				t.Errorf("PoR by submit = %v, want %v", rep.BySubmit, tc.spi.PoRBySubmit)
			}
			if len(term.Refreshes) != 1 || term.Refreshes[0].Mode != tc.wantM {
				t.Fatalf("refreshes %+v, want one of mode %v", term.Refreshes, tc.wantM)
			}
			if r := term.Refreshes[0]; tc.wantM != engine.RefreshUICCReset {
				if len(r.Files) != 1 || !bytes.Equal(r.Files[0], []byte{0x3F, 0x00, 0x7F, 0xFF, 0x6F, 0x07}) {
					t.Errorf("REFRESH files % X, want 3F00 7FFF 6F07", r.Files)
				}
			}
			wantAct := 1
			if tc.wantM == engine.RefreshUICCReset {
				wantAct = 2
			}
			if term.Activations != wantAct {
				t.Errorf("activations %d, want %d", term.Activations, wantAct)
			}
			if term.IMSI.String() != newIMSI {
				t.Fatalf("terminal IMSI after REFRESH %v, want %s", term.IMSI, newIMSI)
			}
			if got := c.OTACounter(tc.kvn); got != 1 {
				t.Errorf("card counter %d, want 1", got)
			}
		})
	}
}

// otaOutcome sends one packet and returns the PoR status (the card's PoR
// to a refused packet is unsecured).
func otaOutcome(t *testing.T, term *Terminal, srv *server.Card, script [][]byte) (*server.Result, error) {
	t.Helper()
	_, res, err := srv.Run(term, script)
	return res, err
}

func TestOTARefusalsAnswerPoRStatusAndChangeNothing(t *testing.T) {
	c, term := activeTerminal(t, otaProfile(nil))
	before := imsiContent(t, c)
	script := updateIMSIScript(t, newIMSI)

	// Wrong CC: the server uses another KID key.
	srv := otaServer(t, 1, scp80.TARRFMUSIM, fullSPI)
	srv.Keys.MAC = mustCipher(t, scp80.AlgAES, aesKIc)
	res, err := otaOutcome(t, term, srv, script)
	if err != nil || res.PoR.Status != scp80.StatusRCCCDSFailed || res.PoR.Secured || c.LastOTA().Status != scp80.StatusRCCCDSFailed {
		t.Fatalf("wrong CC: %v %+v, report %+v", err, res, c.LastOTA())
	}
	// Replay: send a good packet, then the same counter again.
	srv = otaServer(t, 1, scp80.TARRFMUSIM, fullSPI)
	srv.Counter = 4
	if _, res, err = srv.Run(term, [][]byte{{0x00, 0xA4, 0x00, 0x0C, 0x02, 0x6F, 0x07}}); err != nil || res.PoR.Status != scp80.StatusOK {
		t.Fatalf("good packet: %v %+v", err, res)
	}
	srv.Counter = 4
	checkRefused(t, c, term, srv, script, scp80.StatusCounterLow)
	// Unknown TAR.
	checkRefused(t, c, term, otaServer(t, 1, scp80.TAR{0xB0, 0x12, 0x34}, fullSPI), script, scp80.StatusTARUnknown)
	// MSL not met: RC only, no counter.
	weak := scp80.SPIOptions{Integrity: scp80.RedundancyCheck, PoR: scp80.PoRAlways}
	weakSrv := otaServer(t, 1, scp80.TARRFMUSIM, weak)
	weakSrv.KID = scp80.NewKIDRC(scp80.CRC32, 1)
	checkRefused(t, c, term, weakSrv, script, scp80.StatusInsufficientSecurity)

	if got := imsiContent(t, c); !bytes.Equal(got, before) {
		t.Fatalf("EF_IMSI changed by refused packets: % X", got)
	}
	if got := c.OTACounter(1); got != 5 {
		t.Fatalf("counter %d, want 5 (only the good packet)", got)
	}
}

func checkRefused(t *testing.T, c *Card, term *Terminal, srv *server.Card, script [][]byte, want scp80.Status) {
	t.Helper()
	msg, err := srv.Prepare(script)
	if err != nil {
		t.Fatal(err)
	}
	envs, err := srv.Envelopes(msg)
	if err != nil {
		t.Fatal(err)
	}
	cmd, _ := envs[0].Append(nil)
	rsp, err := term.Transmit(nil, cmd)
	if err != nil {
		t.Fatal(err)
	}
	_, sw, _ := apdu.ParseResponse(rsp)
	if sw.SW1() != 0x61 {
		t.Fatalf("ENVELOPE answered %v, want 61xx with the PoR", sw)
	}
	rsp, err = term.Transmit(nil, []byte{0x00, 0xC0, 0x00, 0x00, sw.SW2()})
	if err != nil {
		t.Fatal(err)
	}
	data, sw, _ := apdu.ParseResponse(rsp)
	if sw != apdu.SWOK {
		t.Fatalf("GET RESPONSE %v", sw)
	}
	por, err := scp80.OpenResponse(data, msg.Header, srv.Keys)
	if err != nil {
		t.Fatalf("PoR: %v (% X)", err, data)
	}
	if por.Status != want || c.LastOTA().Status != want {
		t.Fatalf("PoR status %v (report %v), want %v", por.Status, c.LastOTA().Status, want)
	}
	if len(term.Refreshes) != 0 {
		t.Fatalf("refused packet queued REFRESH")
	}
}

func TestOTAGarbledTPDUAnswers6A80AndChangesNothing(t *testing.T) {
	c, term := activeTerminal(t, otaProfile(nil))
	srv := otaServer(t, 1, scp80.TARRFMUSIM, fullSPI)
	msg, err := srv.Prepare(updateIMSIScript(t, newIMSI))
	if err != nil {
		t.Fatal(err)
	}
	envs, _ := srv.Envelopes(msg)
	good, _ := envs[0].Append(nil)
	image := c.Store().AppendImage(nil)
	for _, cut := range []int{6, 12, 20, len(good) - 30} {
		bad := append([]byte(nil), good[:cut]...)
		bad[4] = byte(len(bad) - 5)
		rsp, err := term.Transmit(nil, bad)
		if err != nil {
			t.Fatal(err)
		}
		if _, sw, _ := apdu.ParseResponse(rsp); sw != apdu.SWIncorrectDataField {
			t.Errorf("cut at %d: %v, want 6A80", cut, sw)
		}
		if !bytes.Equal(c.Store().AppendImage(nil), image) {
			t.Fatalf("cut at %d changed the store", cut)
		}
	}
	_ = rfm.ErrFormat
}

func TestOTAExpandedAndConcatenatedScripts(t *testing.T) {
	c, term := activeTerminal(t, otaProfile(func(p *profile.Profile) {
		p.OTAApps = []profile.OTAApp{{App: profile.AppRFMUSIM, TAR: profile.HexBytes{0xB0, 0, 0x10}, MSL: profile.HexBytes{0x16}, Refresh: profile.RefreshNone}}
	}))
	// Expanded format (TS 102 226 §5.2): every executed APDU reported.
	srv := otaServer(t, 1, scp80.TARRFMUSIM, fullSPI)
	srv.Expanded = true
	_, res, err := srv.Run(term, append(updateIMSIScript(t, newIMSI), []byte{0x00, 0xB0, 0x00, 0x00, 0x09}))
	if err != nil || res.PoR.Status != scp80.StatusOK || res.Executed != 3 {
		t.Fatalf("expanded: %v %+v", err, res)
	}
	if !bytes.Equal(res.APDUs[2].Data, imsiBytes(t, newIMSI)) || !res.APDUs[0].Reported {
		t.Fatalf("expanded results %+v", res.APDUs)
	}
	// A script longer than one short message: concatenated SMS-DELIVERs,
	// reassembled by the card (TS 23.040 §9.2.3.24.1).
	srv = otaServer(t, 2, scp80.TARRFMUSIM, fullSPI)
	script := [][]byte{{0x00, 0xA4, 0x00, 0x0C, 0x02, 0x6F, 0x40}}
	for i := 0; i < 6; i++ {
		rec := bytes.Repeat([]byte{byte('a' + i)}, 34)
		script = append(script, append([]byte{0x00, 0xDC, 0x01, 0x04, 34}, rec...))
	}
	m, res, err := srv.Run(term, script)
	if err != nil || len(m.TPDUs) < 2 || res.PoR.Status != scp80.StatusOK || res.Executed != 7 || res.APDUs[6].SW != apdu.SWOK {
		t.Fatalf("concatenated (%d parts): %v %+v", len(m.TPDUs), err, res)
	}
	n, _ := c.FS().Lookup(c.adf, 0x6F40)
	if r, _ := c.FS().Record(n, 1); r[0] != 'f' {
		t.Fatalf("record 1 = % X", r)
	}
}

// TestOTAProfileCounterIsTheStart: the profile's counter is where the
// card's replay protection starts (TS 102 225 §5.1.1, counter higher).
func TestOTAProfileCounterIsTheStart(t *testing.T) {
	c, term := activeTerminal(t, otaProfile(func(p *profile.Profile) {
		p.OTAKeySets[0].Counter = profile.HexBytes{0, 0, 0, 0, 5}
	}))
	if got := c.OTACounter(1); got != 5 {
		t.Fatalf("counter %d, want 5", got)
	}
	srv := otaServer(t, 1, scp80.TARRFMUSIM, fullSPI)
	srv.Counter = 4 // sends 5
	if _, res, err := srv.Run(term, [][]byte{{0x00, 0xB0, 0x87, 0x00, 0x09}}); err != nil || res.PoR.Status != scp80.StatusCounterLow {
		t.Fatalf("counter 5: %v %+v", err, res)
	}
	if _, res, err := srv.Run(term, [][]byte{{0x00, 0xB0, 0x87, 0x00, 0x09}}); err != nil || res.PoR.Status != scp80.StatusOK {
		t.Fatalf("counter 6: %v %+v", err, res)
	}
	if got := c.OTACounter(1); got != 6 {
		t.Fatalf("counter %d, want 6", got)
	}
}

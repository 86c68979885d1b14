package usim

import (
	"testing"

	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/keystore/cardapp"
	"github.com/uiccsim/uiccsim/milenage"
	"github.com/uiccsim/uiccsim/ota/scp80"
	"github.com/uiccsim/uiccsim/usim/profile"
	"github.com/uiccsim/uiccsim/usim/store"
)

// benchOTA is the card-side figure: one SMS-PP download ENVELOPE
// through Card.Transmit carrying a ciphered, CC-protected packet (counter
// higher) with a one-APDU compact RFM script (UPDATE BINARY of EF_IMSI by
// SFI 07 in ADF.USIM), the counter and the file written in the command's
// store transaction, the ciphered, CC-protected PoR in the response (T=1,
// so without GET RESPONSE). Packets are prepared in batches with rising
// counters; a new card takes over, outside the timer, when a batch is
// used up.
func benchOTA(b *testing.B, kvn int) {
	p := otaProfile(func(p *profile.Profile) {
		p.OTAApps = []profile.OTAApp{{App: profile.AppRFMUSIM, TAR: profile.HexBytes{0xB0, 0, 0x10}, MSL: profile.HexBytes{0x16}, Refresh: profile.RefreshNone}}
	})
	script := [][]byte{append([]byte{0x00, 0xD6, 0x87, 0x00, 0x09}, imsiBytes(b, newIMSI)...)}
	const batch = 4096
	newCard := func() *Card {
		c, err := New(p)
		if err != nil {
			b.Fatal(err)
		}
		c.Runtime().SetT1(true)
		return c
	}
	prepare := func() [][]byte {
		srv := otaServer(b, kvn, scp80.TARRFMUSIM, fullSPI)
		envs := make([][]byte, batch)
		for i := range envs {
			m, err := srv.Prepare(script)
			if err != nil {
				b.Fatal(err)
			}
			e, err := srv.Envelopes(m)
			if err != nil {
				b.Fatal(err)
			}
			envs[i], _ = e[0].Append(nil)
		}
		return envs
	}
	envs := prepare()
	c := newCard()
	out := make([]byte, 0, 256)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if i%batch == 0 && i > 0 {
			b.StopTimer()
			c = newCard()
			b.StartTimer()
		}
		var err error
		out, err = c.Transmit(out[:0], envs[i%batch])
		if err != nil || len(out) < 20 || out[len(out)-2] != 0x90 {
			b.Fatalf("ENVELOPE: % X %v", out, err)
		}
	}
	b.StopTimer()
	if rep := c.LastOTA(); rep.Status != scp80.StatusOK || !rep.PoR {
		b.Fatalf("last report %+v", rep)
	}
	if _, sw, _ := apdu.ParseResponse(out); sw != apdu.SWOK {
		b.Fatal(sw)
	}
}

func BenchmarkOTAEnvelopeAES(b *testing.B)  { benchOTA(b, 1) }
func BenchmarkOTAEnvelope3DES(b *testing.B) { benchOTA(b, 2) }

// BenchmarkNew3b is the cost of personalising one card with a three-pair
// list (fleet set-up).
func BenchmarkNew3b(b *testing.B) {
	p := profile3b(b)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := New(p); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSwitchCardSide is the card's share of a 3b switch: the SWITCH
// ENVELOPE (AES, CC, ciphered, counter) with its PoR, the REFRESH the
// terminal fetches and carries out (UICC reset, TERMINAL PROFILE, SELECT
// USIM, VERIFY PIN1, READ EF_IMSI) and one AUTHENTICATE with the new K.
// Each iteration starts from a fresh copy of the card's store, restored
// outside the timer.
func BenchmarkSwitchCardSide(b *testing.B) {
	c, err := New(profile3b(b))
	if err != nil {
		b.Fatal(err)
	}
	img := c.Store().AppendImage(nil)
	srv := pairServer(b, 0, cardapp.TAR, fullSPI)
	m, err := srv.Prepare(switchScript(b, 1, pairIMSI[1]))
	if err != nil {
		b.Fatal(err)
	}
	envs, _ := srv.Envelopes(m)
	env, _ := envs[0].Append(nil)
	v := milenage.NewVector(pairAlg(b, 1), milenage.RAND{1}, 32, 0x8000)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		st, err := store.ParseImage(img)
		if err != nil {
			b.Fatal(err)
		}
		c, err := Open(st)
		if err != nil {
			b.Fatal(err)
		}
		term := NewTerminal(c)
		if err := term.Activate(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		rsp, err := term.Transmit(nil, env)
		if err != nil || rsp[len(rsp)-2] != 0x61 {
			b.Fatalf("% X %v", rsp, err)
		}
		if rsp, err = term.Transmit(rsp[:0], []byte{0x00, 0xC0, 0x00, 0x00, rsp[len(rsp)-1]}); err != nil || term.Activations != 2 {
			b.Fatalf("% X %v activations %d", rsp, err, term.Activations)
		}
		if r, err := term.Authenticate(v.RAND, v.AUTN); err != nil || r.Outcome != 0xDB {
			b.Fatalf("%v %v", r, err)
		}
	}
}

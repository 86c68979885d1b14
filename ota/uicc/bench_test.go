package uicc

import (
	"bytes"
	"testing"

	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/ota/scp80"
	"github.com/uiccsim/uiccsim/usim/profile"
)

// benchCard is the figure: the emulated card processing one
// SMS-PP download ENVELOPE with a ciphered, CC-protected packet carrying
// a one-APDU RFM script (UPDATE BINARY EF_IMSI, SFI 7 addressing), PoR
// ciphered and CC-protected, fetched with GET RESPONSE (T=0). The counter
// is wound back between iterations outside the timed part's logic (a
// store write per iteration).
func benchCard(b *testing.B, alg string, kic, kid string) {
	p := otaProfile()
	p.OTAKeySets[0].KIc = profile.OTAKey{Algorithm: alg, Key: profile.Secret(kic)}
	p.OTAKeySets[0].KID = profile.OTAKey{Algorithm: alg, Key: profile.Secret(kid)}
	card, ota, _ := newCardFrom(b, p, Options{MSL: 0x16})
	srv := serverCard(b, scp80.TARRFMUSIM)
	a := scp80.AlgAES
	if alg == "des3" {
		a = scp80.Alg3DES2
	}
	srv.KIc, srv.KID = scp80.NewKIc(a, 1), scp80.NewKID(a, 1)
	srv.Keys.Enc, _ = scp80.NewCipher(a, unhex(b, kic))
	srv.Keys.MAC, _ = scp80.NewCipher(a, unhex(b, kid))
	m, err := srv.Prepare([][]byte{append([]byte{0x00, 0xD6, 0x87, 0x00, 0x09}, newIMSI...)})
	if err != nil {
		b.Fatal(err)
	}
	envs, _ := srv.Envelopes(m)
	env, _ := envs[0].Append(nil)
	rsp := make([]byte, 0, 300)
	getResp := []byte{0x00, 0xC0, 0x00, 0x00, 0x00}
	counters := ota.Engine.Counters
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := card.Store().Update(func() error { return counters.SetCounter(1, scp80.Counter{}) }); err != nil {
			b.Fatal(err)
		}
		rsp, _ = card.Transmit(rsp[:0], env)
		if len(rsp) != 2 || rsp[0] != 0x61 {
			b.Fatalf("ENVELOPE answered %x", rsp)
		}
		getResp[4] = rsp[1]
		rsp, _ = card.Transmit(rsp[:0], getResp)
		if apdu.StatusWord(uint16(rsp[len(rsp)-2])<<8|uint16(rsp[len(rsp)-1])) != apdu.SWOK {
			b.Fatalf("GET RESPONSE answered %x", rsp)
		}
	}
	b.StopTimer()
	if res, err := srv.ParsePoR(m, rsp[:len(rsp)-2]); err != nil || res.APDUs[0].SW != apdu.SWOK {
		b.Fatalf("%+v %v", res, err)
	}
	if !bytes.Equal(imsiOf(b, card), newIMSI) {
		b.Fatal("EF_IMSI not written")
	}
}

func BenchmarkCardAES128(b *testing.B) {
	benchCard(b, "aes", kicHex, kidHex)
}

func BenchmarkCard3DES(b *testing.B) {
	benchCard(b, "des3", kicHex, kidHex)
}

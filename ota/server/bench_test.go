package server

import (
	"testing"

	"github.com/uiccsim/uiccsim/ota/rfm"
	"github.com/uiccsim/uiccsim/ota/scp80"
	"github.com/uiccsim/uiccsim/ota/sms"
	"github.com/uiccsim/uiccsim/ota/smspp"
)

// benchChain measures the card-side path of one SMS-PP packet carrying a
// one-APDU compact RFM script (UPDATE BINARY EF_IMSI), with the layers
// built here: ENVELOPE parse, SMS-DELIVER parse, UDH split, decipher +
// verify, counter check, script run on a trivial executor, ciphered +
// CC-protected PoR. Dispatch by TAR and persistence belong to the card
// engine and are not included.
func benchChain(b *testing.B, alg scp80.Algorithm, key []byte, kic byte) {
	enc, _ := scp80.NewCipher(alg, key)
	mac, _ := scp80.NewCipher(alg, key)
	keys := scp80.Keys{Enc: enc, MAC: mac}
	c := &Card{TAR: scp80.TARRFMUSIM, SPI: scp80.SPI{0x16, 0x19}, KIc: scp80.KIc(kic), KID: scp80.KID(kic), Keys: keys,
		Originator: sms.Address{TON: sms.TONInternational, NPI: sms.NPIISDN, Digits: "4912345"}}
	m, err := c.Prepare([][]byte{{0x00, 0xD6, 0x00, 0x00, 0x09, 0x08, 0x29, 0x02, 0x01, 0x00, 0x00, 0x00, 0x00, 0x10}})
	if err != nil {
		b.Fatal(err)
	}
	envs, _ := c.Envelopes(m)
	env := envs[0].Data
	work := make([]byte, len(env))
	out := make([]byte, 0, 64)
	por := make([]byte, 0, 64)
	ex := rfm.ExecFunc(func(cmd, dst []byte) []byte { return append(dst, 0x90, 0x00) })
	held := scp80.CounterOf(0)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		copy(work, env)
		d, err := smspp.ParseDownload(work)
		if err != nil {
			b.Fatal(err)
		}
		dl, err := sms.ParseDeliver(d.TPDU)
		if err != nil {
			b.Fatal(err)
		}
		_, pkt, err := dl.Header()
		if err != nil {
			b.Fatal(err)
		}
		cmd, err := scp80.OpenCommand(pkt, keys)
		if err != nil {
			b.Fatal(err)
		}
		if st := cmd.SPI.CheckCounter(cmd.CNTR, held); st != scp80.StatusOK {
			b.Fatal(st)
		}
		out, _ = rfm.RunCompact(out[:0], cmd.Data, ex)
		por, err = scp80.AppendResponse(por[:0], cmd.Header, cmd.CNTR, scp80.StatusOK, out, keys)
		if err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCardSideChainAES128(b *testing.B) {
	benchChain(b, scp80.AlgAES, []byte("0123456789abcdef"), 0x12)
}

func BenchmarkCardSideChain3DES(b *testing.B) {
	benchChain(b, scp80.Alg3DES2, []byte("0123456789abcdef"), 0x15)
}

package engine

import (
	"testing"

	"github.com/uiccsim/uiccsim/ota/rfm"
	"github.com/uiccsim/uiccsim/ota/scp80"
)

// benchDownload is the card-side figure without the file system:
// one SMS-PP download ENVELOPE carrying a ciphered, CC-protected packet
// with a one-APDU compact RFM script (UPDATE BINARY EF_IMSI), counter
// check and store, PoR ciphered and CC-protected in the response.
func benchDownload(b *testing.B, alg scp80.Algorithm, key1, key2 string, kic byte) {
	keys := scp80.Keys{Enc: cipher(b, alg, key1), MAC: cipher(b, alg, key2)}
	exec := rfm.ExecFunc(func(cmd, dst []byte) []byte { return append(dst, 0x90, 0x00) })
	counters := MemCounters{1: scp80.CounterOf(0)}
	e := &Engine{Keys: KeyTable{1: keys}, Counters: counters,
		Targets: map[scp80.TAR]Target{scp80.TARRFMUSIM: {App: RFM{Exec: exec}, MSL: 0x16}}}
	h := scp80.Header{SPI: scp80.SPI{0x16, 0x19}, KIc: scp80.KIc(kic), KID: scp80.KID(kic), TAR: scp80.TARRFMUSIM}
	pkt, err := scp80.AppendCommand(nil, h, scp80.CounterOf(1), unhex(b, "00d6000009082902010000000010"), keys)
	if err != nil {
		b.Fatal(err)
	}
	env := envelopeFor(b, pkt)
	out := make([]byte, 0, 64)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		counters[1] = scp80.CounterOf(0)
		var rep Report
		out, rep = e.Download(out[:0], env)
		if rep.Status != scp80.StatusOK || !rep.PoR {
			b.Fatalf("%+v", rep)
		}
	}
}

func BenchmarkDownloadAES128(b *testing.B) {
	benchDownload(b, scp80.AlgAES, "000102030405060708090a0b0c0d0e0f", "101112131415161718191a1b1c1d1e1f", 0x12)
}

func BenchmarkDownload3DES(b *testing.B) {
	benchDownload(b, scp80.Alg3DES2, "000102030405060708090a0b0c0d0e0f", "101112131415161718191a1b1c1d1e1f", 0x15)
}

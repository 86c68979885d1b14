package scp80

import "testing"

// benchCardSide measures what the card does with one secured packet:
// decipher and verify the command (one RFM APDU), then build the ciphered,
// CC-protected PoR, reusing the expanded keys and the output buffer.
func benchCardSide(b *testing.B, kic byte, keys Keys) {
	// SPI 1619: CC, ciphered, counter must be higher; PoR required, CC, ciphered.
	h := Header{SPI: SPI{0x16, 0x19}, KIc: KIc(kic), KID: KID(kic), TAR: TARRFMUSIM}
	pkt, err := AppendCommand(nil, h, CounterOf(1), []byte{0x00, 0xD6, 0x00, 0x00, 0x09, 0x08, 0x29, 0x02, 0x01, 0x00, 0x00, 0x00, 0x00, 0x10}, keys)
	if err != nil {
		b.Fatal(err)
	}
	work := make([]byte, len(pkt))
	por := make([]byte, 0, 64)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		copy(work, pkt)
		cmd, err := OpenCommand(work, keys)
		if err != nil {
			b.Fatal(err)
		}
		por, err = AppendResponse(por[:0], cmd.Header, cmd.CNTR, StatusOK, []byte{0x01, 0x90, 0x00}, keys)
		if err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCardSideAES128(b *testing.B) {
	aes, _ := fuzzKeys(b)
	benchCardSide(b, 0x22, aes)
}

func BenchmarkCardSide3DES(b *testing.B) {
	_, des3 := fuzzKeys(b)
	benchCardSide(b, 0x35, des3)
}

func BenchmarkOpenCommandAES128(b *testing.B) {
	aes, _ := fuzzKeys(b)
	h := Header{SPI: SPI{0x16, 0x19}, KIc: 0x22, KID: 0x22, TAR: TARRFMUSIM}
	pkt, _ := AppendCommand(nil, h, CounterOf(1), []byte{0x00, 0xA4, 0x00, 0x04, 0x02, 0x6F, 0x07}, aes)
	work := make([]byte, len(pkt))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		copy(work, pkt)
		if _, err := OpenCommand(work, aes); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAppendCommandAES128(b *testing.B) {
	aes, _ := fuzzKeys(b)
	h := Header{SPI: SPI{0x16, 0x19}, KIc: 0x22, KID: 0x22, TAR: TARRFMUSIM}
	dst := make([]byte, 0, 128)
	data := []byte{0x00, 0xA4, 0x00, 0x04, 0x02, 0x6F, 0x07}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		dst, _ = AppendCommand(dst[:0], h, CounterOf(uint64(i)), data, aes)
	}
}

package main

import (
	"io"
	"testing"

	"github.com/uiccsim/uiccsim/usim"
	"github.com/uiccsim/uiccsim/usim/profile"
)

// BenchmarkServedCardTransmit measures what "serve" adds per APDU on top of
// the card: SELECT EF_ICCID and READ BINARY through servedCard, without -v
// (must not allocate) and with the -v trace.
func BenchmarkServedCardTransmit(b *testing.B) {
	for _, verbose := range []bool{false, true} {
		name := "quiet"
		if verbose {
			name = "trace"
		}
		b.Run(name, func(b *testing.B) {
			card, err := usim.New(profile.Default())
			if err != nil {
				b.Fatal(err)
			}
			defer card.Close()
			sc := &servedCard{card: card, verbose: verbose, out: &eventWriter{e: &env{stdout: io.Discard}}}
			sel := []byte{0x00, 0xA4, 0x00, 0x0C, 0x02, 0x2F, 0xE2}
			read := []byte{0x00, 0xB0, 0x00, 0x00, 0x0A}
			buf := make([]byte, 0, 300)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := sc.Transmit(buf[:0], sel); err != nil {
					b.Fatal(err)
				}
				if _, err := sc.Transmit(buf[:0], read); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

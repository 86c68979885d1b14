package fs

import (
	"testing"
)

// BenchmarkSelectReadBinary is an in-process SELECT (by FID, no FCP) plus
// READ BINARY of the 9-byte EF.IMSI: two APDUs per iteration.
func BenchmarkSelectReadBinary(b *testing.B) {
	c := buildCard(b, Options{})
	c.xfer(b, selUSIM)
	sel, read := hx("00A4000C026F07"), hx("00B0000009")
	buf := make([]byte, 0, 300)
	b.ReportAllocs()
	for b.Loop() {
		buf, _ = c.rt.Transmit(buf[:0], sel)
		buf, _ = c.rt.Transmit(buf[:0], read)
	}
	if string(buf[9:]) != "\x90\x00" {
		b.Fatalf("% X", buf)
	}
}

// BenchmarkSelectFCPReadBinaryT1 selects with the FCP answered (P2=04) on
// T=1, then reads.
func BenchmarkSelectFCPReadBinaryT1(b *testing.B) {
	c := buildCard(b, Options{})
	c.rt.SetT1(true)
	c.xfer(b, selUSIM)
	sel, read := hx("00A40004026F0700"), hx("00B0000009")
	buf := make([]byte, 0, 300)
	b.ReportAllocs()
	for b.Loop() {
		buf, _ = c.rt.Transmit(buf[:0], sel)
		buf, _ = c.rt.Transmit(buf[:0], read)
	}
}

// BenchmarkUpdateBinary is a journaled 9-byte write in its command
// transaction.
func BenchmarkUpdateBinary(b *testing.B) {
	c := buildCard(b, Options{})
	c.xfer(b, selUSIM)
	c.xfer(b, "0020000A083838383838383838")
	c.xfer(b, "00A4000C026F07")
	upd := hx("00D6000009082910101032547698")
	buf := make([]byte, 0, 300)
	b.ReportAllocs()
	for b.Loop() {
		buf, _ = c.rt.Transmit(buf[:0], upd)
	}
}

func TestSteadyStateDoesNotAllocate(t *testing.T) {
	c := buildCard(t, Options{})
	c.xfer(t, selUSIM)
	cmds := [][]byte{hx("00A4000C026F07"), hx("00B0000009"), hx("00A40004026F07"), hx("00C000002A"),
		hx("80F2000000"), hx("00A4000C026FB7"), hx("00B2010400")}
	buf := make([]byte, 0, 600)
	n := testing.AllocsPerRun(200, func() {
		for _, cmd := range cmds {
			buf, _ = c.rt.Transmit(buf[:0], cmd)
		}
	})
	if n != 0 {
		t.Fatalf("%v allocations per round", n)
	}
}

package usim

import (
	"runtime"
	"testing"

	"github.com/uiccsim/uiccsim/apdu"
)

// benchCard returns a card with ADF.USIM selected and PIN1 verified.
func benchCard(b *testing.B, t1 bool) *Card {
	c, err := New(nil)
	if err != nil {
		b.Fatal(err)
	}
	c.Runtime().SetT1(t1)
	for _, cmd := range []string{selectUSIM, verifyPIN1} {
		resp, err := c.Transmit(nil, hx(b, cmd))
		if err != nil {
			b.Fatal(err)
		}
		if _, sw, _ := apdu.ParseResponse(resp); sw.SW1() != 0x61 && sw != apdu.SWOK {
			b.Fatalf("%s: %v", cmd, sw)
		}
	}
	return c
}

// BenchmarkSelectReadIMSI measures SELECT EF_IMSI (P2=0C, no FCP) + READ
// BINARY of its 9 bytes, two APDUs per iteration, in steady state.
func BenchmarkSelectReadIMSI(b *testing.B) {
	c := benchCard(b, false)
	sel := hx(b, "00a4000c026f07")
	read := hx(b, "00b0000009")
	buf := make([]byte, 0, 300)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var err error
		if buf, err = c.Transmit(buf[:0], sel); err != nil || buf[len(buf)-2] != 0x90 {
			b.Fatalf("SELECT: %X %v", buf, err)
		}
		if buf, err = c.Transmit(buf[:0], read); err != nil || len(buf) != 11 {
			b.Fatalf("READ BINARY: %X %v", buf, err)
		}
	}
}

// BenchmarkSelectFCPReadIMSI is the pySim habit on T=1: SELECT with P2=04
// answering the FCP directly, then READ BINARY.
func BenchmarkSelectFCPReadIMSI(b *testing.B) {
	c := benchCard(b, true)
	sel := hx(b, "00a40004026f0700")
	read := hx(b, "00b0000009")
	buf := make([]byte, 0, 300)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var err error
		if buf, err = c.Transmit(buf[:0], sel); err != nil || buf[0] != 0x62 {
			b.Fatalf("SELECT: %X %v", buf, err)
		}
		if buf, err = c.Transmit(buf[:0], read); err != nil || len(buf) != 11 {
			b.Fatalf("READ BINARY: %X %v", buf, err)
		}
	}
}

// BenchmarkAuthenticate measures a successful 3G AUTHENTICATE on T=1,
// including the atomic SQN update; each iteration uses the next SEQ.
func BenchmarkAuthenticate(b *testing.B) {
	c := benchCard(b, true)
	v := loadVectors(b)
	cmd := hx(b, v.Ex.Command3G.APDU)
	buf := make([]byte, 0, 300)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var err error
		if buf, err = c.Transmit(buf[:0], cmd); err != nil {
			b.Fatal(err)
		}
	}
}

// TestFootprint reports the heap a loaded default card holds (target
// ≤ 64 KiB, issue 4) and fails beyond 128 KiB.
func TestFootprint(t *testing.T) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	c, err := New(nil)
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	used := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	img := len(c.Store().AppendImage(nil))
	t.Logf("loaded default card: %d bytes of heap (%.1f KiB), store image %d bytes", used, float64(used)/1024, img)
	if used > 128<<10 {
		t.Errorf("footprint %d bytes exceeds 128 KiB", used)
	}
	runtime.KeepAlive(c)
}

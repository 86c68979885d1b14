package usim

import (
	"runtime"
	"testing"

	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/milenage"
	"github.com/uiccsim/uiccsim/usim/profile"
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
// including the atomic SQN update; each iteration presents a fresh AUTN
// (SQN = 32·(i+1), IND 0) made with the milenage package's network side.
func BenchmarkAuthenticate(b *testing.B) {
	c := benchCard(b, true)
	alg := milenage.New(milenage.Key(profile.TestK), milenage.Key(profile.TestOPc))
	var rand milenage.RAND
	copy(rand[:], hx(b, "23553cbe9637a89d218ae64dae47bf35"))
	cmds := make([][]byte, b.N)
	for i := range cmds {
		v := milenage.NewVector(alg, rand, milenage.SQN(32*(i+1)), 0x8000)
		cmd := append(hx(b, "008800812210"), rand[:]...)
		cmd = append(append(append(cmd, 0x10), v.AUTN[:]...), 0x00)
		cmds[i] = cmd
	}
	buf := make([]byte, 0, 300)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var err error
		if buf, err = c.Transmit(buf[:0], cmds[i]); err != nil || buf[0] != 0xDB {
			b.Fatalf("%X %v", buf, err)
		}
	}
}

// TestFootprint reports the heap a loaded default card holds (target
// ≤ 64 KiB, issue 4): it keeps several cards alive and divides.
func TestFootprint(t *testing.T) {
	const n = 16
	var before, after runtime.MemStats
	cards := make([]*Card, n)
	runtime.GC()
	runtime.ReadMemStats(&before)
	for i := range cards {
		c, err := New(nil)
		if err != nil {
			t.Fatal(err)
		}
		cards[i] = c
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	per := (int64(after.HeapAlloc) - int64(before.HeapAlloc)) / n
	img := len(cards[0].Store().AppendImage(nil))
	t.Logf("loaded default card: %d bytes of heap (%.1f KiB) per card, store image %d bytes", per, float64(per)/1024, img)
	if per > 64<<10 {
		t.Errorf("footprint %d bytes per card exceeds 64 KiB", per)
	}
	runtime.KeepAlive(cards)
}

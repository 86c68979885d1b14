package client_test

import (
	"testing"

	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/apdu/t0"
	"github.com/uiccsim/uiccsim/usim"
	"github.com/uiccsim/uiccsim/usim/client"
	"github.com/uiccsim/uiccsim/usim/ef"
	"github.com/uiccsim/uiccsim/usim/profile"
)

// counting counts the APDUs that reach the transport below it.
type counting struct {
	apdu.Transport
	n int
}

func (c *counting) Transmit(dst, cmd []byte) ([]byte, error) {
	c.n++
	return c.Transport.Transmit(dst, cmd)
}

// benchReadIMSI runs Client.ReadIMSI (SELECT ADF.USIM by AID, SELECT
// EF_IMSI, READ BINARY, each SELECT followed by GET RESPONSE on T=0) in a
// loop and reports µs per ReadIMSI and the APDUs each one takes.
func benchReadIMSI(b *testing.B, tp apdu.Transport, cnt *counting, p *profile.Profile) {
	cl := client.New(tp)
	if err := cl.VerifyPIN(ef.KeyPIN1, string(p.PINs.PIN1.Value)); err != nil {
		b.Fatal(err)
	}
	if _, err := cl.SelectUSIM(); err != nil { // EF_DIR read once, AID cached
		b.Fatal(err)
	}
	cnt.n = 0
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		imsi, err := cl.ReadIMSI()
		if err != nil || imsi.String() != p.IMSI {
			b.Fatalf("ReadIMSI: %v %v", imsi, err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N), "µs/op")
	b.ReportMetric(float64(cnt.n)/float64(b.N), "APDUs/op")
}

// BenchmarkReadIMSI measures Client.ReadIMSI against the default card
// served through the real pcscd + vpcd (over apdu/pcsc, the client doing
// GET RESPONSE itself, and over apdu/t0), and in-process for comparison.
func BenchmarkReadIMSI(b *testing.B) {
	b.Run("in-process", func(b *testing.B) {
		p := profile.Default()
		card, err := usim.New(p)
		if err != nil {
			b.Fatal(err)
		}
		cnt := &counting{Transport: card}
		benchReadIMSI(b, cnt, cnt, p)
	})
	b.Run("pcscd", func(b *testing.B) {
		pc, p := serveDefault(b)
		b.Run("apdu/pcsc", func(b *testing.B) {
			if _, err := pc.Reset(false); err != nil {
				b.Fatal(err)
			}
			cnt := &counting{Transport: pc}
			benchReadIMSI(b, cnt, cnt, p)
		})
		b.Run("apdu/t0", func(b *testing.B) {
			if _, err := pc.Reset(false); err != nil {
				b.Fatal(err)
			}
			cnt := &counting{Transport: pc}
			benchReadIMSI(b, t0.New(cnt), cnt, p)
		})
	})
}

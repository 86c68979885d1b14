package engine

import (
	"bytes"
	"testing"

	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/ota/rfm"
	"github.com/uiccsim/uiccsim/ota/scp80"
)

func fuzzSeeds(f *testing.F) {
	for _, v := range vectors(f) {
		if p := str(v, "expected", "intermediate", "command_packet_spec_form"); p != "" {
			f.Add(envelopeFor(f, unhex(f, p)))
		}
	}
	pkt, _ := scp80.AppendCommand(nil, scp80.Header{SPI: scp80.SPI{0x16, 0x19}, KIc: 0x12, KID: 0x12, TAR: scp80.TARRFMUSIM},
		scp80.CounterOf(5), unhex(f, "00a40004026f07"), aesKeys(f))
	f.Add(envelopeFor(f, pkt))
}

// FuzzDownload: any ENVELOPE data — garbled TPDUs, packets that decipher
// to garbage — never panics, and the counter moves only for a packet that
// was processed.
func FuzzDownload(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		ran := false
		e, counters := newEngine(t, rfm.ExecFunc(func(cmd, dst []byte) []byte { ran = true; return append(dst, 0x90, 0x00) }))
		counters[1] = scp80.CounterOf(3)
		in := bytes.Clone(data)
		out, rep := e.Download(nil, data)
		if !bytes.Equal(in, data) {
			t.Fatal("Download modified its input")
		}
		if rep.Status != scp80.StatusOK || rep.Err != nil {
			if counters[1].Uint64() != 3 || ran {
				t.Fatalf("refused packet changed state: %+v", rep)
			}
		}
		if rep.SW != apdu.SWOK && len(out) > 0 {
			t.Fatal("response data with an error status word")
		}
	})
}

// FuzzCiphered puts the fuzzer's octets where the ciphertext of a
// well-formed AES packet goes: the engine sees decrypted garbage.
func FuzzCiphered(f *testing.F) {
	f.Add(bytes.Repeat([]byte{0x55}, 32))
	f.Add(make([]byte, 48))
	f.Fuzz(func(t *testing.T, body []byte) {
		if len(body) > 100 {
			body = body[:100]
		}
		pkt := append([]byte{0, 0, 0x15, 0x16, 0x19, 0x12, 0x12, 0xB0, 0x00, 0x10}, body...)
		pkt[1] = byte(len(pkt) - 2)
		e, counters := newEngine(t, replay{})
		counters[1] = scp80.CounterOf(3)
		_, rep := e.Download(nil, envelopeFor(t, pkt))
		if rep.Status == scp80.StatusOK && rep.Err == nil {
			t.Fatalf("garbage accepted: %+v", rep)
		}
		if counters[1].Uint64() != 3 {
			t.Fatal("counter moved")
		}
	})
}

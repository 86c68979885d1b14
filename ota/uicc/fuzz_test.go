package uicc

import (
	"bytes"
	"testing"

	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/ota/scp80"
	"github.com/uiccsim/uiccsim/ota/smspp"
)

// TestGarbledEnvelopeChangesNothing: a truncated TPDU inside a
// well-formed ENVELOPE is answered 6A80 and leaves EF_IMSI and the
// counter as they were; other ENVELOPE tags are left alone (9000).
func TestGarbledEnvelopeChangesNothing(t *testing.T) {
	card, ota, _ := newCard(t, Options{})
	srv := serverCard(t, scp80.TARRFMUSIM)
	m, _ := srv.Prepare(imsiScript())
	d := smspp.Download{TPDU: m.TPDUs[0][:len(m.TPDUs[0])-1]}
	data, _ := d.Append(nil)
	rsp, err := card.Transmit(nil, mustAppend(t, smspp.Envelope(data)))
	if err != nil || !bytes.Equal(rsp, []byte{0x6A, 0x80}) {
		t.Fatalf("%x %v", rsp, err)
	}
	if bytes.Equal(imsiOf(t, card), newIMSI) || ota.Counter(1).Uint64() != 0 {
		t.Fatal("state changed")
	}
	rsp, _ = card.Transmit(nil, mustAppend(t, smspp.Envelope([]byte{0xD6, 0x07, 0x19, 0x01, 0x03, 0x82, 0x02, 0x82, 0x81})))
	if !bytes.Equal(rsp, []byte{0x90, 0x00}) {
		t.Fatalf("event download answered %x", rsp)
	}
}

func mustAppend(t testing.TB, c apdu.Command) []byte {
	b, err := c.Append(nil)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// FuzzCardEnvelope sends arbitrary ENVELOPE data to the emulated card:
// the card never fails the exchange, and no forged data changes EF_IMSI
// or the counter.
func FuzzCardEnvelope(f *testing.F) {
	srv := serverCard(f, scp80.TARRFMUSIM)
	m, _ := srv.Prepare(imsiScript())
	envs, _ := srv.Envelopes(m)
	f.Add(envs[0].Data)
	f.Add([]byte{0xD1, 0x03, 0x82, 0x01, 0x83})
	card, ota, _ := newCard(f, Options{})
	old := imsiOf(f, card)
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 || len(data) > 255 || bytes.Equal(data, envs[0].Data) {
			return
		}
		if _, err := card.Transmit(nil, mustAppend(t, smspp.Envelope(data))); err != nil {
			t.Fatalf("card failed: %v", err)
		}
		if !bytes.Equal(imsiOf(t, card), old) || ota.Counter(1).Uint64() != 0 {
			t.Fatalf("forged ENVELOPE %x changed the card", data)
		}
	})
}

package usim

import (
	"bytes"
	"testing"

	"github.com/uiccsim/uiccsim/apdu"
)

// FuzzAuthenticate sends AUTHENTICATE with fuzzed P1, P2 and data (with or
// without Le) to a card with PIN1 verified. Invariants: no panic and no
// transport error, a response of at least SW1 SW2, only status words
// TS 31.102 §7.3 lists for AUTHENTICATE, and an SQN array that changes
// only with a 'DB' (success) answer.
func FuzzAuthenticate(f *testing.F) {
	v := loadVectors(f)
	cmd := hx(f, v.Ex.Command3G.APDU)
	gsm := hx(f, v.Ex.CommandGSM.APDU)
	f.Add(cmd[2], cmd[3], cmd[5:len(cmd)-1], true)
	f.Add(gsm[2], gsm[3], gsm[5:len(gsm)-1], true)
	f.Add(byte(0), byte(0x81), []byte{}, false)
	f.Add(byte(0), byte(0x84), cmd[5:len(cmd)-1], false)
	card := cardForExample(f, nil)
	card.Runtime().SetT1(true)
	tx(f, card, hx(f, selectUSIM))
	expect(f, card, verifyPIN1, "9000")
	allowed := map[apdu.StatusWord]bool{
		apdu.SWOK: true, apdu.SWIncorrectP1P2: true, apdu.SWAuthContextNotSupported: true,
		apdu.SWWrongLength: true, apdu.SWIncorrectDataField: true, apdu.SWAuthIncorrectMAC: true,
	}
	f.Fuzz(func(t *testing.T, p1, p2 byte, data []byte, le bool) {
		if len(data) > 255 {
			data = data[:255]
		}
		c := apdu.Command{INS: INSAuthenticate, P1: p1, P2: p2, Data: data}
		if le {
			c.Ne = 256
		}
		raw, err := c.Append(nil)
		if err != nil {
			return
		}
		before := append([]byte(nil), card.Store().Bytes(card.usim.sqnRef)...)
		resp, err := card.Transmit(nil, raw)
		if err != nil || len(resp) < 2 {
			t.Fatalf("%X: %X %v", raw, resp, err)
		}
		out, sw, _ := apdu.ParseResponse(resp)
		if !allowed[sw] {
			t.Fatalf("%X: status %v", raw, sw)
		}
		changed := !bytes.Equal(before, card.Store().Bytes(card.usim.sqnRef))
		// On T=1 a command without Le gets no data back (ISO/IEC 7816-3
		// §12.1.3), so 'DB' is only visible with Le.
		if changed && (sw != apdu.SWOK || (le && (len(out) == 0 || out[0] != 0xDB))) {
			t.Fatalf("%X: SQN array changed with answer %X", raw, resp)
		}
		if le && sw == apdu.SWOK && len(out) == 0 {
			t.Fatalf("%X: 9000 without data", raw)
		}
	})
}

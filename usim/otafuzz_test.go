package usim

import (
	"bytes"
	"testing"

	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/keystore/cardapp"
	"github.com/uiccsim/uiccsim/ota/scp80"
	"github.com/uiccsim/uiccsim/ota/server"
	"github.com/uiccsim/uiccsim/ota/sms"
	"github.com/uiccsim/uiccsim/ota/smspp"
	"github.com/uiccsim/uiccsim/usim/store"
)

// FuzzEnvelope sends fuzzed ENVELOPE data (seeded with real SMS-PP
// downloads for RFM and SWITCH) to a card. Invariants: no panic and no
// transport error; the answer is 9000 (with or without a PoR), 91xx, or
// 6A80 for data the card cannot read, and a 6A80 leaves the store exactly
// as it was; the store always reopens as a card.
func FuzzEnvelope(f *testing.F) {
	p := profile3b(f)
	for _, s := range []struct {
		tar    scp80.TAR
		script [][]byte
		pair   int
	}{
		{scp80.TARRFMUSIM, updateIMSIScript(f, newIMSI), 0},
		{cardapp.TAR, switchScript(f, 1, pairIMSI[1]), 0},
		{scp80.TARRFMUICC, [][]byte{{0x00, 0xA4, 0x08, 0x04, 0x04, 0x7F, 0xFF, 0x6F, 0x07}}, 0},
	} {
		srv := pairServer(f, s.pair, s.tar, fullSPI)
		m, err := srv.Prepare(s.script)
		if err != nil {
			f.Fatal(err)
		}
		envs, _ := srv.Envelopes(m)
		f.Add(envs[0].Data)
		g := append([]byte(nil), envs[0].Data...)
		g[len(g)-3] ^= 0x40
		f.Add(g)
	}
	f.Add([]byte{0xD1, 0x03, 0x82, 0x02, 0x83})
	c, err := New(p)
	if err != nil {
		f.Fatal(err)
	}
	c.Runtime().SetT1(true)
	fresh := c.Store().AppendImage(nil)
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 255 {
			data = data[:255]
		}
		st, err := store.ParseImage(fresh)
		if err != nil {
			t.Fatal(err)
		}
		c, err := Open(st)
		if err != nil {
			t.Fatal(err)
		}
		c.Runtime().SetT1(true)
		cmd, err := (&apdu.Command{CLA: 0x80, INS: 0xC2, Data: data, Ne: 256}).Append(nil)
		if err != nil {
			return
		}
		rsp, err := c.Transmit(nil, cmd)
		if err != nil || len(rsp) < 2 {
			t.Fatalf("%X: %X %v", cmd, rsp, err)
		}
		_, sw, _ := apdu.ParseResponse(rsp)
		switch {
		case sw == apdu.SWOK || sw.SW1() == 0x91:
		case sw == apdu.SWIncorrectDataField || sw == apdu.SWWrongLength:
			if !bytes.Equal(c.Store().AppendImage(nil), fresh) {
				t.Fatalf("%X: refused with %v but the store changed", data, sw)
			}
		default:
			t.Fatalf("%X: status %v", data, sw)
		}
		if _, err := Open(c.Store()); err != nil {
			t.Fatalf("%X: store no longer opens: %v", data, err)
		}
	})
}

// FuzzOTAScript wraps fuzzed secured data in a valid packet (AES, CC,
// ciphered, counter) to one of the card's applications, so that the RFM
// applications and the key-management application parse the decrypted
// garbage. Invariants: no panic; a secured PoR with status 00; the card's
// key state and EF_IMSI change together or not at all (SWITCH); the store
// reopens as a card.
func FuzzOTAScript(f *testing.F) {
	f.Add(byte(0), bytes.Join(updateIMSIScript(f, newIMSI), nil))
	f.Add(byte(1), []byte{0x00, 0xA4, 0x08, 0x04, 0x04, 0x7F, 0xFF, 0x6F, 0x07, 0x00, 0xB0, 0x00, 0x00, 0x09})
	f.Add(byte(2), switchScript(f, 1, pairIMSI[1])[0])
	f.Add(byte(2), cardapp.GetState)
	f.Add(byte(0), []byte{0xAA, 0x0A, 0x22, 0x08, 0x00, 0xB0, 0x87, 0x00, 0x09, 0x00, 0x00, 0x00})
	c, err := New(profile3b(f))
	if err != nil {
		f.Fatal(err)
	}
	c.Runtime().SetT1(true)
	fresh := c.Store().AppendImage(nil)
	imsi0 := imsiContent(f, c)
	tars := []scp80.TAR{scp80.TARRFMUSIM, scp80.TARRFMUICC, cardapp.TAR}
	f.Fuzz(func(t *testing.T, which byte, script []byte) {
		if len(script) > 90 { // one short message: 140 octets less UDH, header, CC, padding
			script = script[:90]
		}
		st, _ := store.ParseImage(fresh)
		c, err := Open(st)
		if err != nil {
			t.Fatal(err)
		}
		c.Runtime().SetT1(true)
		srv := pairServer(t, 0, tars[int(which)%len(tars)], fullSPI)
		m, err := srv.Prepare([][]byte{{0x00, 0xB0, 0x00, 0x00, 0x01}})
		if err != nil {
			t.Fatal(err)
		}
		pkt, err := scp80.AppendCommand(nil, m.Header, m.CNTR, script, srv.Keys)
		if err != nil {
			return
		}
		env := envelopeOf(t, srv, pkt)
		rsp, err := c.Transmit(nil, env)
		if err != nil {
			t.Fatal(err)
		}
		data, sw, _ := apdu.ParseResponse(rsp)
		if sw != apdu.SWOK && sw.SW1() != 0x91 {
			t.Fatalf("status %v", sw)
		}
		por, err := scp80.OpenResponse(data, m.Header, srv.Keys)
		if err != nil || por.Status != scp80.StatusOK || !por.Secured {
			t.Fatalf("PoR %+v %v", por, err)
		}
		switched := c.KeyState().Active != 0
		if switched && bytes.Equal(imsiContent(t, c), imsi0) && !bytes.Equal(imsiBytes(t, pairIMSI[0]), imsi0) {
			t.Fatal("switched without writing EF_IMSI")
		}
		if _, err := Open(c.Store()); err != nil {
			t.Fatalf("store no longer opens: %v", err)
		}
	})
}

// envelopeOf wraps a secured command packet in one SMS-DELIVER (UDH 02 70
// 00, TS 31.115 §4.2) inside an SMS-PP download ENVELOPE (TS 31.111
// §7.1.1) as srv sends them, answered on T=1 with Le.
func envelopeOf(t testing.TB, srv *server.Card, pkt []byte) []byte {
	t.Helper()
	d := sms.Deliver{UDHI: true, OA: srv.Originator, PID: sms.PIDUSIMDataDownload, DCS: sms.DCSClass2Data8bit,
		UD: append([]byte{2, 0x70, 0}, pkt...)}
	tpdu, err := d.Append(nil)
	if err != nil {
		t.Fatal(err)
	}
	data, err := (&smspp.Download{TPDU: tpdu}).Append(nil)
	if err != nil {
		t.Fatal(err)
	}
	cmd, err := (&apdu.Command{CLA: 0x80, INS: 0xC2, Data: data, Ne: 256}).Append(nil)
	if err != nil {
		t.Fatal(err)
	}
	return cmd
}

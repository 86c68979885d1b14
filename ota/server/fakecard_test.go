package server

import (
	"bytes"
	"testing"

	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/ota/rfm"
	"github.com/uiccsim/uiccsim/ota/scp80"
	"github.com/uiccsim/uiccsim/ota/sms"
	"github.com/uiccsim/uiccsim/ota/smspp"
)

// fakeCard is a minimal card side assembled from the ota packages: it
// takes SMS-PP download ENVELOPEs, reassembles, opens the secured packet,
// checks the counter, runs the script on one transparent EF (6F07) and
// answers the PoR as the SPI asks. The real card-side engine lives with
// the emulated card; this one lets the server be tested end to end.
type fakeCard struct {
	t         *testing.T
	keys      scp80.Keys
	cntr      scp80.Counter
	ef        []byte
	selected  bool
	reasm     sms.Reassembler
	pending   []byte
	proactive []byte
	silent    bool // never answer a PoR
}

func newFakeCard(t *testing.T, keys scp80.Keys, cntr uint64) *fakeCard {
	return &fakeCard{t: t, keys: keys, cntr: scp80.CounterOf(cntr), ef: make([]byte, 400)}
}

func (f *fakeCard) Exec(cmd, dst []byte) []byte {
	c, err := apdu.ParseCommand(cmd)
	if err != nil {
		return append(dst, 0x67, 0x00)
	}
	switch c.INS {
	case 0xA4:
		if !bytes.Equal(c.Data, []byte{0x6F, 0x07}) {
			return append(dst, 0x6A, 0x82)
		}
		f.selected = true
		return append(dst, 0x90, 0x00)
	case 0xD6, 0xB0:
		if !f.selected {
			return append(dst, 0x69, 0x86)
		}
		off := int(c.P1)<<8 | int(c.P2)
		if c.INS == 0xD6 {
			if off+len(c.Data) > len(f.ef) {
				return append(dst, 0x6B, 0x00)
			}
			copy(f.ef[off:], c.Data)
			return append(dst, 0x90, 0x00)
		}
		if off+c.Ne > len(f.ef) {
			return append(dst, 0x6B, 0x00)
		}
		return append(append(dst, f.ef[off:off+c.Ne]...), 0x90, 0x00)
	}
	return append(dst, 0x6D, 0x00)
}

func (f *fakeCard) Transmit(dst, cmd []byte) ([]byte, error) {
	c, err := apdu.ParseCommand(cmd)
	if err != nil {
		return append(dst, 0x67, 0x00), nil
	}
	switch c.INS {
	case 0xC2:
		return f.envelope(dst, c.Data), nil
	case 0xC0:
		p := f.pending
		f.pending = nil
		return append(append(dst, p...), 0x90, 0x00), nil
	case 0x12:
		p := f.proactive
		f.proactive = nil
		return append(append(dst, p...), 0x90, 0x00), nil
	case 0x14:
		if !bytes.HasPrefix(c.Data, []byte{0x81, 0x03, 0x01, 0x13, 0x00}) || !bytes.HasSuffix(c.Data, []byte{0x83, 0x01, 0x00}) {
			f.t.Errorf("TERMINAL RESPONSE % X", c.Data)
		}
		return append(dst, 0x90, 0x00), nil
	}
	return append(dst, 0x6D, 0x00), nil
}

func (f *fakeCard) envelope(dst, data []byte) []byte {
	d, err := smspp.ParseDownload(data)
	if err != nil {
		f.t.Fatalf("card: %v", err)
	}
	dl, err := sms.ParseDeliver(d.TPDU)
	if err != nil {
		f.t.Fatalf("card: %v", err)
	}
	msg, done, err := f.reasm.Add(dl.UD, dl.UDHI)
	if err != nil {
		f.t.Fatalf("card: %v", err)
	}
	if !done {
		return append(dst, 0x90, 0x00)
	}
	if _, ok := msg.Header.Find(sms.IEICommandPacket); !ok {
		f.t.Fatal("card: no IEI 70 in the first part")
	}
	h, err := scp80.ParseCommandHeader(msg.Data)
	if err != nil {
		f.t.Fatalf("card: %v", err)
	}
	var out []byte
	cmd, err := scp80.OpenCommand(msg.Data, f.keys)
	st := scp80.StatusOf(err)
	if st == scp80.StatusOK {
		st = h.SPI.CheckCounter(cmd.CNTR, f.cntr)
	}
	if st == scp80.StatusOK {
		if h.SPI.Counter() != scp80.NoCounter {
			f.cntr = cmd.CNTR
		}
		if len(cmd.Data) > 0 && (cmd.Data[0] == rfm.TagCommandScript || cmd.Data[0] == rfm.TagCommandScriptIndefinite) {
			out, _ = rfm.RunExpanded(nil, cmd.Data, f)
		} else {
			out, _ = rfm.RunCompact(nil, cmd.Data, f)
		}
	}
	if f.silent || h.SPI.PoR() == scp80.NoPoR || (h.SPI.PoR() == scp80.PoROnError && st == scp80.StatusOK) {
		return append(dst, 0x90, 0x00)
	}
	por, err := scp80.AppendResponse(nil, h, cmd.CNTR, st, out, f.keys)
	if err != nil {
		f.t.Fatalf("card: %v", err)
	}
	if !h.SPI.PoRBySubmit() {
		f.pending = por
		return append(dst, 0x61, byte(len(por)))
	}
	sub := sms.Submit{UDHI: true, DA: sms.Address{TON: sms.TONInternational, NPI: sms.NPIISDN, Digits: "4912345"},
		PID: sms.PIDUSIMDataDownload, DCS: sms.DCSClass2Data8bit, UD: por}
	tpdu, err := sub.Append(nil)
	if err != nil {
		f.t.Fatalf("card: %v", err)
	}
	// D0 | 81 03 01 13 00 | 82 02 81 83 | 8B len TPDU
	body := append([]byte{0x81, 0x03, 0x01, 0x13, 0x00, 0x82, 0x02, 0x81, 0x83, 0x8B}, berLen(len(tpdu))...)
	body = append(body, tpdu...)
	f.proactive = append(append([]byte{0xD0}, berLen(len(body))...), body...)
	return append(dst, 0x91, byte(len(f.proactive)))
}

func berLen(n int) []byte {
	if n < 0x80 {
		return []byte{byte(n)}
	}
	return []byte{0x81, byte(n)}
}

func (f *fakeCard) Reset(bool) ([]byte, error) { return []byte{0x3B, 0x00}, nil }
func (f *fakeCard) Close() error               { return nil }

package server

import (
	"fmt"

	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/apdu/tlv"
	"github.com/uiccsim/uiccsim/ota/scp80"
	"github.com/uiccsim/uiccsim/ota/sms"
)

// Proactive command tag (TS 102 223 §9.1) and type SEND SHORT MESSAGE
// (§9.4).
const (
	tagProactiveCommand  tlv.Tag = 0xD0
	typeSendShortMessage         = 0x13
)

// Run sends apdus to the card behind tr as a secured OTA command and
// returns the verified PoR and each APDU's result. The PoR is taken from
// the last ENVELOPE's response (SMS-DELIVER-REPORT, resolving 61xx/9Fxx
// with GET RESPONSE) or, when the card answers 91xx, from the SMS-SUBMIT of
// the proactive SEND SHORT MESSAGE it fetches (acknowledged with a
// TERMINAL RESPONSE, TS 102 223 §6.8); a 91xx that comes with the PoR in
// the response data announces a proactive command for the terminal, which
// Run leaves pending. With a PoR on error only and no PoR
// coming back, Result.PoR is zero and Executed is -1.
func (c *Card) Run(tr apdu.Transport, apdus [][]byte) (*Message, *Result, error) {
	m, err := c.Prepare(apdus)
	if err != nil {
		return nil, nil, err
	}
	envs, err := c.Envelopes(m)
	if err != nil {
		return m, nil, err
	}
	var ud []byte
	for i, env := range envs {
		data, sw, err := exchange(tr, &env)
		if err != nil {
			return m, nil, err
		}
		last := i == len(envs)-1
		switch {
		case sw.SW1() == 0x91 && len(data) > 0:
			// The PoR came in the SMS-DELIVER-REPORT; the proactive command
			// announced with it (e.g. the REFRESH an RFM script queued, TS
			// 102 223 §6.4.7) is the terminal's to fetch.
			ud = data
		case sw.SW1() == 0x91:
			if ud, err = fetchPoR(tr, sw.SW2()); err != nil {
				return m, nil, err
			}
		case sw == apdu.SWOK || sw.SW1() == 0x9E || sw.SW1() == 0x62 || sw.SW1() == 0x63:
			if len(data) > 0 {
				ud = data
			}
		default:
			return m, nil, fmt.Errorf("server: ENVELOPE %d of %d refused: %v", i+1, len(envs), sw)
		}
		if !last && ud != nil {
			return m, nil, fmt.Errorf("%w: PoR before the last part", ErrNoPoR)
		}
	}
	if ud == nil {
		if c.SPI.PoR() == scp80.PoRAlways {
			return m, nil, ErrNoPoR
		}
		return m, &Result{Executed: -1}, nil
	}
	res, err := c.ParsePoR(m, ud)
	return m, res, err
}

// exchange transmits cmd and follows 61xx / 9Exx / 9Fxx with GET RESPONSE
// (TS 102 221 §7.3.1.1.4), each response appended to the data so far.
func exchange(tr apdu.Transport, cmd *apdu.Command) ([]byte, apdu.StatusWord, error) {
	b, err := cmd.Append(nil)
	if err != nil {
		return nil, 0, err
	}
	rsp, err := tr.Transmit(nil, b)
	if err != nil {
		return nil, 0, err
	}
	data, sw, err := apdu.ParseResponse(rsp)
	if err != nil {
		return nil, 0, err
	}
	// out is the data so far; each GET RESPONSE appends its R-APDU behind
	// it, over the status word already read.
	out := data
	for i := 0; i < 8 && (sw.SW1() == 0x61 || sw.SW1() == 0x9F || (sw.SW1() == 0x9E && len(data) == 0)); i++ {
		cla := byte(0x00)
		if sw.SW1() == 0x9F {
			cla = 0xA0
		}
		keep := sw
		b = append(b[:0], cla, 0xC0, 0x00, 0x00, sw.SW2())
		rsp, err = tr.Transmit(out, b)
		if err != nil {
			return nil, 0, err
		}
		if data, sw, err = apdu.ParseResponse(rsp[len(out):]); err != nil {
			return nil, 0, err
		}
		out = rsp[:len(out)+len(data)]
		if keep.SW1() == 0x9E && sw == apdu.SWOK {
			sw = keep // the data download error status stays the outcome
		}
	}
	return out, sw, nil
}

// fetchPoR fetches the pending proactive commands (FETCH, TS 102 221
// §10.1.2): SEND SHORT MESSAGE with an SMS-SUBMIT whose TP-UD is the
// response packet, or several of them carrying a concatenated one (TS 23.040
// §9.2.3.24.1; the parts are reassembled and the UDH 02 71 00 restored). Each
// is answered with TERMINAL RESPONSE "command performed successfully".
func fetchPoR(tr apdu.Transport, n byte) ([]byte, error) {
	var reasm sms.Reassembler
	for i := 0; i < 255; i++ {
		rsp, err := tr.Transmit(nil, []byte{0x80, 0x12, 0x00, 0x00, n})
		if err != nil {
			return nil, err
		}
		data, sw, err := apdu.ParseResponse(rsp)
		if err != nil {
			return nil, err
		}
		if sw != apdu.SWOK {
			return nil, fmt.Errorf("server: FETCH answered %v", sw)
		}
		details, tpdu, err := parseSendSM(data)
		if err != nil {
			return nil, err
		}
		sub, err := sms.ParseSubmit(tpdu)
		if err != nil {
			return nil, fmt.Errorf("server: SEND SHORT MESSAGE TPDU: %w", err)
		}
		tresp := []byte{0x81, 0x03}
		tresp = append(tresp, details...)
		tresp = append(tresp, 0x82, 0x02, 0x82, 0x81, 0x83, 0x01, 0x00)
		cmd := apdu.Command{CLA: 0x80, INS: 0x14, Data: tresp}
		_, sw, err = exchange(tr, &cmd)
		if err != nil {
			return nil, err
		}
		if sw != apdu.SWOK && sw.SW1() != 0x91 {
			return nil, fmt.Errorf("server: TERMINAL RESPONSE answered %v", sw)
		}
		msg, done, err := reasm.Add(sub.UD, sub.UDHI)
		if err != nil {
			return nil, fmt.Errorf("server: PoR part: %w", err)
		}
		if done {
			if _, concat, _ := sms.FindConcat(msg.Header); !concat {
				return append([]byte(nil), sub.UD...), nil
			}
			if _, ok := msg.Header.Find(sms.IEIResponsePacket); !ok {
				return nil, fmt.Errorf("%w: concatenated PoR without IEI 71", ErrNoPoR)
			}
			return append([]byte{0x02, byte(sms.IEIResponsePacket), 0x00}, msg.Data...), nil
		}
		if sw.SW1() != 0x91 {
			return nil, fmt.Errorf("%w: PoR part missing, no further proactive command", ErrNoPoR)
		}
		n = sw.SW2()
	}
	return nil, fmt.Errorf("%w: too many PoR parts", ErrNoPoR)
}

// parseSendSM reads a proactive command (BER-TLV D0, TS 102 223 §6.6)
// and returns its command details and SMS TPDU if it is SEND SHORT MESSAGE.
func parseSendSM(b []byte) (details, tpdu []byte, err error) {
	r := tlv.NewReader(b)
	var body tlv.Reader
	if !r.ReadExpectBER(tagProactiveCommand, &body) || !r.Empty() {
		return nil, nil, fmt.Errorf("server: fetched data is not one proactive command (D0): %v", r.Err())
	}
	for !body.Empty() {
		var tag tlv.CTag
		var cr bool
		var v []byte
		if !body.ReadComprehensionBytes(&tag, &cr, &v) {
			return nil, nil, fmt.Errorf("server: malformed proactive command: %w", body.Err())
		}
		switch tag {
		case tlv.CTagCommandDetails:
			details = v
		case tlv.CTagSMSTPDU:
			tpdu = v
		}
	}
	if len(details) != 3 || details[1] != typeSendShortMessage || tpdu == nil {
		return nil, nil, fmt.Errorf("server: proactive command is not SEND SHORT MESSAGE with a TPDU")
	}
	return details, tpdu, nil
}

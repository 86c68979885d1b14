// Package server is the sending side of OTA remote file management: it
// keeps a card's key set and counter, turns a script of APDUs into a
// secured command packet (ETSI TS 102 225 §5.1.1, 3GPP TS 31.115 §4.2)
// inside one or more SMS-DELIVER TPDUs (3GPP TS 23.040 §9.2.2.1,
// concatenated when long), delivers them as SMS-PP download ENVELOPEs
// (3GPP TS 31.111 §7.1.1) over any apdu.Transport, verifies the Proof of
// Receipt (from the ENVELOPE response or from a proactive SEND SHORT
// MESSAGE) and reports each remote APDU's result (TS 102 226 §5).
package server

import (
	"errors"
	"fmt"

	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/ota/rfm"
	"github.com/uiccsim/uiccsim/ota/scp80"
	"github.com/uiccsim/uiccsim/ota/sms"
	"github.com/uiccsim/uiccsim/ota/smspp"
)

// ErrNoPoR reports that the card answered no PoR although the SPI asked
// for one.
var ErrNoPoR = errors.New("server: no proof of receipt")

// Card is what the OTA server keeps per card and target application.
type Card struct {
	TAR     scp80.TAR
	SPI     scp80.SPI
	KIc     scp80.KIc
	KID     scp80.KID
	Keys    scp80.Keys // ciphers for KIc and KID
	Counter uint64     // CNTR of the last command sent (the next is Counter+1 when the SPI uses a counter)
	// Expanded selects the TS 102 226 §5.2 expanded script format; the
	// default is the compact format of §5.1.
	Expanded bool
	// Originator is TP-OA of the SMS-DELIVERs; SCAddress, when set, goes
	// in the ENVELOPE's address object (TS 31.111 §7.1.1.2).
	Originator sms.Address
	SCAddress  *sms.Address
	SCTS       sms.Timestamp // TP-SCTS of the SMS-DELIVERs
	ConcatRef  uint16        // reference of the next concatenated message (8-bit while < 256)
}

// Message is one secured command ready to send.
type Message struct {
	Header scp80.Header
	CNTR   scp80.Counter
	Script []byte   // the remote command script (compact or expanded)
	TPDUs  [][]byte // SMS-DELIVER TPDUs, one per concatenated part
	APDUs  [][]byte
}

// Prepare builds the secured packet for apdus and splits it into
// SMS-DELIVER TPDUs with TP-PID 7F and TP-DCS F6 (class 2, 8-bit), the
// first carrying UDH IEI 70 (TS 31.115 §4.2), further ones only the
// concatenation element. It advances the counter when the SPI uses one.
func (c *Card) Prepare(apdus [][]byte) (*Message, error) {
	m := &Message{Header: scp80.Header{SPI: c.SPI, KIc: c.KIc, KID: c.KID, TAR: c.TAR}, APDUs: apdus}
	var err error
	if c.Expanded {
		items := make([]rfm.Item, len(apdus))
		for i, a := range apdus {
			items[i] = rfm.CAPDU(a)
		}
		m.Script, err = rfm.AppendExpanded(nil, false, items...)
	} else {
		m.Script, err = rfm.AppendCompact(nil, apdus...)
	}
	if err != nil {
		return nil, err
	}
	cntr := c.Counter
	if c.SPI.Counter() != scp80.NoCounter {
		cntr++
	}
	m.CNTR = scp80.CounterOf(cntr)
	pkt, err := scp80.AppendCommand(nil, m.Header, m.CNTR, m.Script, c.Keys)
	if err != nil {
		return nil, err
	}
	wide := c.ConcatRef > 0xFF
	parts, err := sms.Split(pkt, []sms.IE{{ID: sms.IEICommandPacket}}, c.ConcatRef, wide)
	if err != nil {
		return nil, err
	}
	if len(parts) > 1 {
		c.ConcatRef++
	}
	for _, ud := range parts {
		d := sms.Deliver{UDHI: true, OA: c.Originator, PID: sms.PIDUSIMDataDownload,
			DCS: sms.DCSClass2Data8bit, SCTS: c.SCTS, UD: ud}
		tpdu, err := d.Append(nil)
		if err != nil {
			return nil, err
		}
		m.TPDUs = append(m.TPDUs, tpdu)
	}
	c.Counter = cntr
	return m, nil
}

// Envelopes returns the ENVELOPE (SMS-PP download) commands carrying m.
func (c *Card) Envelopes(m *Message) ([]apdu.Command, error) {
	out := make([]apdu.Command, 0, len(m.TPDUs))
	for _, tpdu := range m.TPDUs {
		d := smspp.Download{TPDU: tpdu}
		if c.SCAddress != nil {
			d.HasAddress, d.Address = true, *c.SCAddress
		}
		data, err := d.Append(nil)
		if err != nil {
			return nil, err
		}
		out = append(out, smspp.Envelope(data))
	}
	return out, nil
}

// APDUResult is what the PoR says about one remote APDU.
type APDUResult struct {
	Command  []byte
	Executed bool
	// Reported is set when the PoR carries this APDU's status word: every
	// executed APDU in the expanded format, only the last in the compact.
	Reported bool
	SW       apdu.StatusWord
	Data     []byte
}

func (r APDUResult) String() string {
	switch {
	case !r.Executed:
		return fmt.Sprintf("% X: not executed", r.Command)
	case !r.Reported:
		return fmt.Sprintf("% X: executed (status not reported in the compact format)", r.Command)
	}
	return fmt.Sprintf("% X: %v, %d data octets", r.Command, r.SW, len(r.Data))
}

// Result is a verified PoR and what it says about the script.
type Result struct {
	PoR       scp80.Response
	Executed  int
	APDUs     []APDUResult
	BadFormat byte // expanded format: the card's bad format code
}

// ParsePoR verifies a response packet's TP-UD (02 71 00 ...) against m and
// decodes the remote script response in it.
func (c *Card) ParsePoR(m *Message, ud []byte) (*Result, error) {
	por, err := scp80.OpenResponse(append([]byte(nil), ud...), m.Header, c.Keys)
	if err != nil {
		return nil, err
	}
	if por.Secured && por.CNTR != m.CNTR {
		return nil, fmt.Errorf("%w: PoR counter %v, command had %v", scp80.ErrMismatch, por.CNTR, m.CNTR)
	}
	res := &Result{PoR: por, APDUs: make([]APDUResult, len(m.APDUs))}
	for i, a := range m.APDUs {
		res.APDUs[i].Command = a
	}
	if por.Status != scp80.StatusOK || len(por.Data) == 0 {
		return res, nil
	}
	if c.Expanded {
		er, err := rfm.ParseExpandedResponse(por.Data)
		if err != nil {
			return res, err
		}
		res.Executed, res.BadFormat = er.Executed, er.BadFormat
		for i := 0; i < len(res.APDUs) && i < er.Executed; i++ {
			res.APDUs[i].Executed = true
			if i < len(er.Responses) {
				res.APDUs[i].Reported = true
				res.APDUs[i].SW = apdu.StatusWord(er.Responses[i].SW)
				res.APDUs[i].Data = er.Responses[i].Data
			}
		}
		return res, nil
	}
	cr, err := rfm.ParseCompactResponse(por.Data)
	if err != nil {
		return res, err
	}
	res.Executed = cr.Executed
	for i := 0; i < len(res.APDUs) && i < cr.Executed; i++ {
		res.APDUs[i].Executed = true
		if i == cr.Executed-1 {
			res.APDUs[i].Reported = true
			res.APDUs[i].SW = apdu.StatusWord(cr.SW)
			res.APDUs[i].Data = cr.Data
		}
	}
	return res, nil
}

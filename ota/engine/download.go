package engine

import (
	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/ota/scp80"
	"github.com/uiccsim/uiccsim/ota/sms"
	"github.com/uiccsim/uiccsim/ota/smspp"
)

// Report says what the engine did with one ENVELOPE, for logs and tests.
type Report struct {
	Complete bool            // a whole command packet was processed (false: a part of a concatenated message was kept)
	Header   scp80.Header    // the packet's clear header, when it could be read
	Status   scp80.Status    // the PoR status
	PoR      bool            // a PoR was answered or queued
	BySubmit bool            // the PoR went out as SEND SHORT MESSAGE
	Err      error           // why the packet was refused, if it was
	SW       apdu.StatusWord // the ENVELOPE's status word
}

// Download handles the data of an SMS-PP download ENVELOPE, 3GPP TS
// 31.111 §7.1.1, and appends the ENVELOPE's response data (the PoR for the
// SMS-DELIVER-REPORT, if any) to dst. An ENVELOPE, TPDU or user data header
// that cannot be read is answered 6A80 (incorrect data field) with nothing
// changed; a secured packet the engine refuses is answered with the PoR
// status TS 102 225 §5.1.2 gives, sent unsecured (RHL 0A) like the PoR of a
// real card refusing a replay; a command processed is answered with a PoR
// secured as the SPI asks. The command packet is copied before it is
// deciphered: data is not modified.
func (e *Engine) Download(dst, data []byte) ([]byte, Report) {
	d, err := smspp.ParseDownload(data)
	if err != nil {
		return dst, Report{Err: err, SW: apdu.SWIncorrectDataField}
	}
	dl, err := sms.ParseDeliver(d.TPDU)
	if err != nil {
		return dst, Report{Err: err, SW: apdu.SWIncorrectDataField}
	}
	h, payload, err := dl.Header()
	if err != nil {
		return dst, Report{Err: err, SW: apdu.SWIncorrectDataField}
	}
	c, concat, err := sms.FindConcat(h)
	if err != nil {
		return dst, Report{Err: err, SW: apdu.SWIncorrectDataField}
	}
	if concat && c.Total > 1 {
		msg, done, err := e.reasm.Add(dl.UD, true)
		if err != nil {
			return dst, Report{Err: err, SW: apdu.SWIncorrectDataField}
		}
		if !done {
			return dst, Report{SW: apdu.SWOK}
		}
		h, payload = msg.Header, msg.Data
	}
	if _, ok := h.Find(sms.IEICommandPacket); !ok {
		return dst, Report{Err: errNotSecured, SW: apdu.SWIncorrectDataField}
	}
	e.pkt = append(e.pkt[:0], payload...)
	return e.process(dst, e.pkt, dl.OA, d)
}

type engineError string

func (e engineError) Error() string { return string(e) }

const errNotSecured = engineError("engine: user data header has no command packet identifier (IEI 70)")

// process opens pkt and answers, TS 102 225 §5.1 and TS 31.115 §4.
func (e *Engine) process(dst, pkt []byte, oa sms.Address, d smspp.Download) ([]byte, Report) {
	r := Report{Complete: true, SW: apdu.SWOK}
	h, err := scp80.ParseCommandHeader(pkt)
	if err != nil {
		if len(pkt) < 10 {
			return dst, Report{Complete: true, Err: err, SW: apdu.SWIncorrectDataField}
		}
		// The clear header is readable enough to address an error PoR.
		h = scp80.Header{SPI: scp80.SPI{pkt[3], pkt[4]}, KIc: scp80.KIc(pkt[5]), KID: scp80.KID(pkt[6]), TAR: scp80.TAR{pkt[7], pkt[8], pkt[9]}}
		return e.refuse(dst, r, h, scp80.Counter{}, err, oa, d)
	}
	r.Header = h
	t, ok := e.Targets[h.TAR]
	if !ok {
		return e.refuse(dst, r, h, scp80.Counter{}, scp80.StatusTARUnknown, oa, d)
	}
	if !h.SPI.Meets(t.MSL) {
		return e.refuse(dst, r, h, scp80.Counter{}, scp80.StatusInsufficientSecurity, oa, d)
	}
	if (h.SPI.Ciphered() || h.SPI.PoRCiphered()) && !t.accepts(h.KIc.KeyVersion()) ||
		(h.SPI.Integrity() == scp80.CryptoChecksum || h.SPI.PoRIntegrity() == scp80.CryptoChecksum) && !t.accepts(h.KID.KeyVersion()) {
		return e.refuse(dst, r, h, scp80.Counter{}, scp80.StatusUnidentifiedSecurity, oa, d)
	}
	var keys scp80.Keys
	if h.SPI.Ciphered() || h.SPI.PoRCiphered() {
		ks, ok := e.Keys.KeySet(h.KIc.KeyVersion())
		if !ok {
			return e.refuse(dst, r, h, scp80.Counter{}, scp80.StatusUnidentifiedSecurity, oa, d)
		}
		keys.Enc = ks.Enc
	}
	if h.SPI.Integrity() == scp80.CryptoChecksum || h.SPI.PoRIntegrity() == scp80.CryptoChecksum {
		ks, ok := e.Keys.KeySet(h.KID.KeyVersion())
		if !ok {
			return e.refuse(dst, r, h, scp80.Counter{}, scp80.StatusUnidentifiedSecurity, oa, d)
		}
		keys.MAC = ks.MAC
	}
	cmd, err := scp80.OpenCommand(pkt, keys)
	if err != nil {
		return e.refuse(dst, r, h, scp80.Counter{}, err, oa, d)
	}
	kvn := h.KID.KeyVersion()
	if h.SPI.Counter() != scp80.NoCounter {
		held := e.Counters.Counter(kvn)
		if st := h.SPI.CheckCounter(cmd.CNTR, held); st != scp80.StatusOK {
			return e.refuse(dst, r, h, cmd.CNTR, st, oa, d)
		}
		// Store the counter before running anything (TS 102 225 §5.1.1):
		// a command interrupted half way can never be replayed. A packet
		// without replay checking (counter mode 01) may carry a lower
		// counter; it never lowers the one held, which would reopen
		// replays for the key set.
		if cmd.CNTR.Uint64() > held.Uint64() {
			if err := e.Counters.SetCounter(kvn, cmd.CNTR); err != nil {
				return e.refuse(dst, r, h, cmd.CNTR, scp80.StatusInsufficientMemory, oa, d)
			}
		}
	}
	r.Status, r.Err = e.run(t, cmd.Data)
	dst, r = e.answer(dst, r, h, cmd.CNTR, keys, oa, d)
	// A follow-up proactive command (REFRESH) goes after the PoR, so that
	// a reset it causes cannot lose the PoR.
	if f, ok := t.App.(Follower); ok && e.Proactive != nil {
		if pc := f.FollowUp(); pc != nil {
			if err := e.Proactive.Enqueue(pc); err != nil && r.Err == nil {
				r.Err = err
			}
		}
	}
	return dst, r
}

// answer sends the PoR of a processed command, with the status r.Status
// its application set, as the SPI asks: always, or on error when the
// status is not PoR OK (TS 102 225 §5.1.1, SPI second octet b2b1), secured
// as the SPI asks.
func (e *Engine) answer(dst []byte, r Report, h scp80.Header, cntr scp80.Counter, keys scp80.Keys, oa sms.Address, d smspp.Download) ([]byte, Report) {
	if h.SPI.PoR() != scp80.PoRAlways && (h.SPI.PoR() != scp80.PoROnError || r.Status == scp80.StatusOK) {
		return dst, r // no PoR, or PoR on error only
	}
	if h.SPI.PoRBySubmit() && e.Proactive != nil {
		por, err := scp80.AppendResponse(nil, h, cntr, r.Status, e.out, keys)
		if err != nil {
			r.Err, r.SW = err, apdu.SWTechnicalProblem
			return dst, r
		}
		return dst, e.submit(r, por, oa, d)
	}
	start := len(dst)
	dst, err := scp80.AppendResponse(dst, h, cntr, r.Status, e.out, keys)
	if err != nil {
		r.Err, r.SW = err, apdu.SWTechnicalProblem
		return dst[:start], r
	}
	r.PoR = true
	return dst, r
}

// refuse answers a refused packet: an unsecured PoR with the status for
// why, when the SPI asks for a PoR (always or on error).
func (e *Engine) refuse(dst []byte, r Report, h scp80.Header, cntr scp80.Counter, why error, oa sms.Address, d smspp.Download) ([]byte, Report) {
	r.Header, r.Err, r.Status = h, why, scp80.StatusOf(why)
	if h.SPI.PoR() != scp80.PoRAlways && h.SPI.PoR() != scp80.PoROnError {
		return dst, r
	}
	if h.SPI.PoRBySubmit() && e.Proactive != nil {
		por, _ := scp80.AppendUnsecuredResponse(nil, h.TAR, cntr, r.Status, nil)
		return dst, e.submit(r, por, oa, d)
	}
	dst, _ = scp80.AppendUnsecuredResponse(dst, h.TAR, cntr, r.Status, nil)
	r.PoR = true
	return dst, r
}

// submit queues the PoR as proactive SEND SHORT MESSAGEs, TS 31.115 §4.4
// and TS 102 223 §6.6.9: an SMS-SUBMIT back to the originator, TP-PID 7F,
// TP-DCS F6, UDHI with the response packet's UDH 02 71 00; a PoR longer
// than one short message is concatenated (TS 23.040 §9.2.3.24.1, IEI 71 in
// the first part only).
func (e *Engine) submit(r Report, por []byte, oa sms.Address, d smspp.Download) Report {
	parts := [][]byte{por}
	if len(por) > sms.MaxUserData {
		e.ref++
		var err error
		if parts, err = sms.Split(por[3:], []sms.IE{{ID: sms.IEIResponsePacket}}, uint16(e.ref), false); err != nil {
			r.Err, r.SW = err, apdu.SWTechnicalProblem
			return r
		}
	}
	for i, ud := range parts {
		cmd, err := SendShortMessage(nil, byte(i+1), oa, d, ud)
		if err == nil {
			err = e.Proactive.Enqueue(cmd)
		}
		if err != nil {
			r.Err, r.SW = err, apdu.SWTechnicalProblem
			return r
		}
	}
	r.PoR, r.BySubmit = true, true
	return r
}

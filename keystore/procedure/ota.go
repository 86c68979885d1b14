package procedure

import (
	"errors"
	"fmt"

	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/keystore/cardapp"
	"github.com/uiccsim/uiccsim/keystore/escrow"
	"github.com/uiccsim/uiccsim/keystore/operator"
	"github.com/uiccsim/uiccsim/ota/scp80"
	"github.com/uiccsim/uiccsim/usim/ef"
)

// RFM commands of alternative 3a's IMSI change (TS 31.102 §4.2.2 EF_IMSI,
// FID 6F07 under ADF.USIM; ETSI TS 102 221 §11.1.1 SELECT without response
// data, §11.1.4 UPDATE BINARY), sent to RFM of ADF.USIM (TAR B00010, where a
// script starts with the ADF current, 3GPP TS 31.116).
var (
	selectIMSI  = []byte{0x00, 0xA4, 0x00, 0x0C, 0x02, 0x6F, 0x07}
	updateIMSIH = []byte{0x00, 0xD6, 0x00, 0x00, 0x09}
)

// IMSIScript returns the RFM script of TR 33.812 §5.3.1.2 step 4 writing
// imsi into EF_IMSI.
func IMSIScript(imsi ef.IMSI) [][]byte {
	upd := imsi.Append(append([]byte(nil), updateIMSIH...))
	return [][]byte{selectIMSI, upd}
}

// SwitchScript returns the key-management script of TR 33.812 §5.3.2.2
// step 5: SWITCH to pair index with imsi (package keystore/cardapp).
func SwitchScript(index int, imsi ef.IMSI) ([][]byte, error) {
	cmd, err := cardapp.AppendSwitch(nil, index, imsi)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	return [][]byte{cmd}, nil
}

// Judge turns the outcome of an OTA command into a Failure, or nil when the
// card's PoR confirms that every command of the script ran with 9000. A
// missing or unverifiable PoR is CauseOffline (ErrOffline): the card may not
// have seen the command; a PoR status other than PoR OK is CausePoR (ErrPoR)
// with the status of ETSI TS 102 225 §5.1.2; a command refused is
// CauseRefused (ErrRefused) with its status word, or CauseExhausted
// (ErrExhausted) for the key-management application's 6A84.
func Judge(iccid escrow.ICCID, n int, res operator.OTAResult, err error) *Failure {
	if err != nil {
		return &Failure{ICCID: iccid, Cause: CauseOffline, Err: fmt.Errorf("%w: %s: %w", ErrOffline, iccid, err)}
	}
	if st := res.Result.PoR.Status; st != scp80.StatusOK {
		return &Failure{ICCID: iccid, Cause: CausePoR, Status: st, Err: fmt.Errorf("%w: %s: PoR status %02X (%v)", ErrPoR, iccid, byte(st), st)}
	}
	sw := apdu.StatusWord(0)
	for _, a := range res.Result.APDUs {
		if a.Reported {
			sw = a.SW
		}
	}
	if res.Result.Executed == n && sw == apdu.SWOK {
		return nil
	}
	if sw == cardapp.SWExhausted {
		return &Failure{ICCID: iccid, Cause: CauseExhausted, SW: sw, Err: fmt.Errorf("%w: %s: SWITCH answered %04X", ErrExhausted, iccid, uint16(sw))}
	}
	return &Failure{ICCID: iccid, Cause: CauseRefused, SW: sw,
		Err: fmt.Errorf("%w: %s: %d of %d commands ran, last status %04X", ErrRefused, iccid, res.Result.Executed, n, uint16(sw))}
}

// otaPhase sends the procedure's OTA command to every pending device and
// queues those whose PoR confirmed for the back office.
func (c *Campaign) otaPhase(dial Dialer, r *Round) {
	type result struct {
		index int
		fail  *Failure
	}
	out := make([]result, len(c.pending))
	c.forEach(len(c.pending), func(i int) {
		idx, f := c.otaOne(dial, c.pending[i])
		out[i] = result{idx, f}
		if c.opts.Progress != nil && (f == nil || f.Cause != CauseOffline) {
			c.opts.Progress()
		}
	})
	still := c.pending[:0:0]
	for i, id := range c.pending {
		switch f := out[i].fail; {
		case f == nil:
			c.confirmed = append(c.confirmed, escrow.Request{ICCID: id, Index: out[i].index})
		case f.Cause == CauseOffline:
			still = append(still, id)
			r.Failures = append(r.Failures, *f)
		default:
			c.done = append(c.done, id)
			r.Failures = append(r.Failures, *f)
		}
	}
	c.pending = still
}

// otaOne runs the OTA step on one device: 3a's IMSI rewrite over RFM, or
// 3b's SWITCH to the next pair. It returns the pair index the card is on
// afterwards.
func (c *Campaign) otaOne(dial Dialer, id escrow.ICCID) (int, *Failure) {
	tr, err := dial(id)
	if err != nil {
		return 0, &Failure{ICCID: id, Cause: CauseOffline, Err: fmt.Errorf("%w: %s: %w", ErrOffline, id, err)}
	}
	imsi, err := ef.NewIMSI(c.imsi[id])
	if err != nil {
		return 0, &Failure{ICCID: id, Cause: CauseRefused, Err: fmt.Errorf("%w: %s: IMSI: %w", ErrInvalid, id, err)}
	}
	index, err := c.from.ActiveIndex(id)
	if err != nil {
		return 0, &Failure{ICCID: id, Cause: CauseRefused, Err: err}
	}
	var script [][]byte
	tar := scp80.TARRFMUSIM
	if c.alt == Alt3b {
		index++
		tar = cardapp.TAR
		if script, err = SwitchScript(index, imsi); err != nil {
			// An index beyond what SWITCH can carry: the list cannot
			// go on, whatever the card holds.
			return 0, &Failure{ICCID: id, Cause: CauseExhausted, Err: errors.Join(ErrExhausted, err)}
		}
		// A SWITCH sent earlier whose PoR was lost may have been carried
		// out: the card then answers A's keys no more. The device tells:
		// it presents the IMSI the SWITCH carried once the REFRESH has
		// reset it, and EF_IMSI changes only in the SWITCH's transaction,
		// together with the active pair.
		c.mu.Lock()
		sent := c.sent[id]
		c.mu.Unlock()
		if sent {
			if p, err := PresentedIMSI(tr); err == nil && p == c.imsi[id] {
				c.setSent(id, false)
				return index, nil
			}
		}
	} else {
		script = IMSIScript(imsi)
	}
	res, err := c.from.RunOTA(tr, id, tar, script)
	if c.alt == Alt3b {
		// A command prepared (its counter spent) and answered by no PoR
		// may have reached the card.
		c.setSent(id, err != nil && res.Message != nil)
	}
	return index, Judge(id, len(script), res, err)
}

func (c *Campaign) setSent(id escrow.ICCID, v bool) {
	c.mu.Lock()
	if v {
		c.sent[id] = true
	} else {
		delete(c.sent, id)
	}
	c.mu.Unlock()
}

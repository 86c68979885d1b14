package procedure

import (
	"errors"
	"fmt"

	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/keystore/cardapp"
	"github.com/uiccsim/uiccsim/keystore/escrow"
	"github.com/uiccsim/uiccsim/keystore/operator"
	"github.com/uiccsim/uiccsim/ota/scp80"
	"github.com/uiccsim/uiccsim/usim"
	"github.com/uiccsim/uiccsim/usim/client"
)

// Verify checks that device iccid behind tr is served by to and not by
// from: it attaches to to (the device presents its IMSI, AKA with Milenage
// succeeds), from refuses it (ErrUnknownSubscriber), and, when old is the
// record from held before the move and the procedure replaced the keys, the
// card answers MAC failure (SW 9862) to an AUTHENTICATE with the old K and
// refuses an OTA command under the old OTA keys with an unsecured PoR of
// status 01 (RC/CC/DS failed) or 05 (ciphering error), ETSI TS 102 225
// §5.1.2 — which of the two depends on the padding counter the wrong KIc
// deciphers to, as package ota/scp80 checks PCNTR before the CC.
func Verify(from, to *operator.Operator, tr apdu.Transport, iccid escrow.ICCID, old *operator.Subscriber) error {
	cl := ClientFor(tr)
	got, err := AttachDevice(to, tr)
	if err != nil {
		return fmt.Errorf("%w: %s does not attach to %s: %w", ErrVerify, iccid, to.ID(), err)
	}
	if got != iccid {
		return fmt.Errorf("%w: %s attached to %s as %s", ErrVerify, iccid, to.ID(), got)
	}
	if _, err := AttachDevice(from, tr); !errors.Is(err, operator.ErrUnknownSubscriber) {
		return fmt.Errorf("%w: %s: old operator %s still serves it (%v)", ErrVerify, iccid, from.ID(), err)
	}
	if old == nil {
		return nil
	}
	s := old.Clone()
	defer s.Wipe()
	if err := operator.AuthenticateWith(cl, &s); !errors.Is(err, apdu.SWAuthIncorrectMAC) {
		return fmt.Errorf("%w: %s: AUTHENTICATE with %s's old K: %v, want 9862", ErrVerify, iccid, from.ID(), err)
	}
	sc, err := operator.ServerCard(&s.Pair.OTA[0], cardapp.TAR)
	if err != nil {
		return err
	}
	_, res, err := sc.Run(tr, [][]byte{cardapp.GetState})
	if err != nil {
		return fmt.Errorf("%w: %s: OTA with %s's old keys: %w", ErrVerify, iccid, from.ID(), err)
	}
	if !OldKeysRefused(res.PoR) {
		return fmt.Errorf("%w: %s: OTA with %s's old keys answered PoR status %02X (secured %v), want 01 or 05 unsecured",
			ErrVerify, iccid, from.ID(), byte(res.PoR.Status), res.PoR.Secured)
	}
	return nil
}

// verify runs Verify on the devices moved in this round.
func (c *Campaign) verify(dial Dialer, moved []escrow.ICCID, old map[escrow.ICCID]operator.Subscriber, r *Round) {
	replaced := c.alt == Alt3b
	rotated := map[escrow.ICCID]bool{}
	if c.alt == Alt3a && c.opts.RotateKeys {
		for _, id := range moved {
			rotated[id] = true
		}
		for _, id := range c.unrotated {
			rotated[id] = false
		}
	}
	fails := make([]error, len(moved))
	c.forEach(len(moved), func(i int) {
		id := moved[i]
		tr, err := dial(id)
		if err != nil {
			fails[i] = fmt.Errorf("%w: %s: %w", ErrOffline, id, err)
			return
		}
		var o *operator.Subscriber
		if s, ok := old[id]; ok && (replaced || rotated[id]) {
			o = &s
		}
		fails[i] = Verify(c.from, c.to, tr, id, o)
	})
	for i, err := range fails {
		if err != nil {
			r.Failures = append(r.Failures, Failure{ICCID: moved[i], Cause: CauseVerify, Err: err})
			continue
		}
		r.Verified++
	}
}

// OldKeysRefused reports whether a PoR is the card's refusal of a packet
// secured with keys it does not hold: unsecured (RHL 0A: the card cannot
// secure a PoR for a sender it did not authenticate), with status 01
// (RC/CC/DS failed) or 05 (ciphering error, when the wrong KIc deciphers the
// padding counter to more than the data), ETSI TS 102 225 §5.1.2.
func OldKeysRefused(por scp80.Response) bool {
	return !por.Secured && (por.Status == scp80.StatusRCCCDSFailed || por.Status == scp80.StatusCipheringError)
}

// ClientFor returns the card client of device tr: the device's own (a
// terminal that offers Client, as usim.Terminal does, with the USIM it
// selected at activation) or a new one on tr.
func ClientFor(tr apdu.Transport) *client.Client {
	if d, ok := tr.(interface{ Client() *client.Client }); ok {
		return d.Client()
	}
	return client.New(tr)
}

// AttachDevice attaches device tr to operator op: a usim.Terminal presents
// the IMSI it read at its last activation or REFRESH (as a UE does in its
// attach request), any other transport has its EF_IMSI read.
func AttachDevice(op *operator.Operator, tr apdu.Transport) (escrow.ICCID, error) {
	if t, ok := tr.(*usim.Terminal); ok {
		return op.AttachIMSI(t.Client(), t.IMSI.String())
	}
	return op.Attach(ClientFor(tr))
}

// statusPoll is STATUS with no data returned (ETSI TS 102 221 §11.1.2, P2
// '0C'), the command a terminal sends periodically and on which a card
// announces a pending proactive command (91xx, §7.4.2.2).
var statusPoll = []byte{0x80, 0xF2, 0x00, 0x0C}

// PresentedIMSI returns the IMSI device tr presents to the network. It first
// polls the card with STATUS, as terminals do, so that a terminal carries out
// a REFRESH the card still holds; then a usim.Terminal reports the IMSI it
// read at its last activation or REFRESH, and through any other transport
// EF_IMSI is read (TS 31.102 §4.2.2).
func PresentedIMSI(tr apdu.Transport) (string, error) {
	if _, err := tr.Transmit(nil, statusPoll); err != nil {
		return "", err
	}
	if t, ok := tr.(*usim.Terminal); ok {
		return t.IMSI.String(), nil
	}
	imsi, err := ClientFor(tr).ReadIMSI()
	if err != nil {
		return "", err
	}
	return imsi.String(), nil
}

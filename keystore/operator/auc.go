package operator

import (
	"crypto/rand"
	"errors"
	"fmt"

	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/keystore/escrow"
	"github.com/uiccsim/uiccsim/milenage"
	"github.com/uiccsim/uiccsim/usim/client"
)

// AMF is the authentication management field of the operator's vectors: the
// "AMF separation bit" set, as E-UTRAN requires (TS 33.401 Annex H).
const AMF milenage.AMF = 0x8000

// IND is the array index of TS 33.102 Annex C.1.2 the operator's vectors
// carry (one serving node in this model).
const IND = 1

// Vector returns a fresh authentication vector for the subscriber (TS 33.102
// §6.3.2): RAND from crypto/rand, SQN = SEQ_HE+1 ‖ IND (Annex C.1.1).
func (o *Operator) Vector(iccid escrow.ICCID) (milenage.Vector, error) {
	r, err := o.get(iccid)
	if err != nil {
		return milenage.Vector{}, err
	}
	r.mu.Lock()
	v, err := r.vector()
	r.mu.Unlock()
	if err == nil {
		o.markDirty(r)
	}
	return v, err
}

func (r *record) vector() (milenage.Vector, error) {
	if r.alg == nil {
		return milenage.Vector{}, fmt.Errorf("%w: %s was removed", ErrUnknownSubscriber, r.sub.ICCID)
	}
	var rnd milenage.RAND
	if _, err := rand.Read(rnd[:]); err != nil {
		return milenage.Vector{}, err
	}
	sqn, err := r.gen.Next(IND)
	if err != nil {
		return milenage.Vector{}, fmt.Errorf("operator: %s: %w", r.sub.ICCID, err)
	}
	r.sub.SEQ = r.gen.SEQ
	return milenage.NewVector(r.alg, rnd, sqn, AMF), nil
}

// Authenticate runs UMTS AKA with the card behind c as the subscriber iccid
// (TS 33.102 §6.3): it sends AUTHENTICATE in 3G context (TS 31.102 §7.1.2)
// with a vector from the AuC and checks RES against XRES in constant time
// (§6.3.4). On a synchronisation failure it verifies AUTS (§6.3.5), resets
// SEQ_HE to SQN_MS and tries once more with a fresh vector. The card's ADF.USIM
// must be selected (client.SelectUSIM).
//
// A card that does not hold the subscriber's K answers MAC failure, SW 9862:
// ErrAuthRejected wrapping apdu.SWAuthIncorrectMAC.
func (o *Operator) Authenticate(c *client.Client, iccid escrow.ICCID) error {
	r, err := o.get(iccid)
	if err != nil {
		return err
	}
	defer o.markDirty(r)
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.alg == nil {
		return fmt.Errorf("%w: %s was removed", ErrUnknownSubscriber, iccid)
	}
	if err := r.authenticate(c); err != nil {
		return fmt.Errorf("operator %s, subscriber %s: %w", o.id, iccid, err)
	}
	return nil
}

// AuthenticateWith runs the AKA of Authenticate with the keys and SEQ_HE of
// record s, outside any operator's database, and advances s.SEQ: what a
// party holding a copy of s (an old operator that kept the keys) could do.
func AuthenticateWith(c *client.Client, s *Subscriber) error {
	r := &record{iccid: s.ICCID, sub: *s}
	r.rekey()
	err := r.authenticate(c)
	s.SEQ = r.sub.SEQ
	return err
}

func (r *record) authenticate(c *client.Client) error {
	for attempt := 0; attempt < 2; attempt++ {
		v, err := r.vector()
		if err != nil {
			return err
		}
		res, err := c.Authenticate(v.RAND, v.AUTN)
		if err != nil {
			if errors.Is(err, apdu.SWAuthIncorrectMAC) {
				return fmt.Errorf("%w: %w", ErrAuthRejected, err)
			}
			return fmt.Errorf("AUTHENTICATE: %w", err)
		}
		switch res.Outcome {
		case client.AuthSuccess:
			got, err := milenage.NewRES(res.RES)
			if err != nil || !got.Equal(v.XRES) {
				return fmt.Errorf("%w: RES does not match XRES", ErrAuthFailed)
			}
			return nil
		case client.AuthSyncFailure:
			sqnMS, err := milenage.VerifyAUTS(r.alg, v.RAND, milenage.AUTS(res.AUTS))
			if err != nil {
				return fmt.Errorf("%w: %w", ErrAuthFailed, err)
			}
			r.gen.Resync(sqnMS)
			r.sub.SEQ = r.gen.SEQ
		default:
			return fmt.Errorf("%w: outcome %v", ErrAuthFailed, res.Outcome)
		}
	}
	return fmt.Errorf("%w: synchronisation failure after resync", ErrAuthFailed)
}

// Attach is what the network does when a device registers: the device
// presents its IMSI (read here from EF_IMSI, TS 31.102 §4.2.2), the operator
// looks the IMSI up among its subscribers and authenticates the card as that
// subscriber. It returns the subscriber's ICCID. A device whose IMSI the
// operator does not hold is refused with ErrUnknownSubscriber, as a home
// network refuses an IMSI it does not serve.
func (o *Operator) Attach(c *client.Client) (escrow.ICCID, error) {
	imsi, err := c.ReadIMSI() // selects ADF.USIM first
	if err != nil {
		return "", fmt.Errorf("operator %s: attach: %w", o.id, err)
	}
	return o.AttachIMSI(c, imsi.String())
}

// AttachIMSI is Attach for a device that presents imsi itself — the IMSI
// its terminal read from EF_IMSI at activation or after a REFRESH, as a UE
// sends it in its attach request — with ADF.USIM selected on c.
func (o *Operator) AttachIMSI(c *client.Client, imsi string) (escrow.ICCID, error) {
	o.mu.Lock()
	r, ok := o.byIMSI[imsi]
	o.mu.Unlock()
	if !ok {
		return "", fmt.Errorf("%w: operator %s does not serve IMSI %s", ErrUnknownSubscriber, o.id, imsi)
	}
	iccid := r.iccid
	return iccid, o.Authenticate(c, iccid)
}

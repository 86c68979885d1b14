package main

import (
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"

	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/milenage"
	"github.com/uiccsim/uiccsim/usim/client"
)

// amf is the AMF of the vectors: the separation bit set, as TS 33.401
// §6.1.1 has the HSS do for E-UTRAN vectors.
const amf milenage.AMF = 0x8000

// authenticate plays the HE/AuC: it computes a vector from -k/-opc with
// package milenage (TS 33.102 §6.3.2), runs AUTHENTICATE in 3G context on
// the card (TS 31.102 §7.1.2) and checks RES, CK and IK against XRES, CK
// and IK in constant time. A card that finds the SQN stale answers AUTS;
// the AuC verifies it (§6.3.5), resets its counter to SQN_MS and tries once
// more with the next SQN. CK and IK are never printed.
func authenticate(w io.Writer, cl *client.Client, cfg config) error {
	alg := milenage.New(*cfg.k, *cfg.opc)
	sqn := cfg.sqn
	for attempt := 0; ; attempt++ {
		var r milenage.RAND
		if _, err := rand.Read(r[:]); err != nil {
			return err
		}
		v := milenage.NewVector(alg, r, sqn, amf)
		res, err := cl.Authenticate(v.RAND, v.AUTN)
		if errors.Is(err, apdu.SWAuthIncorrectMAC) {
			return fmt.Errorf("AUTHENTICATE: the card rejects the AUTN's MAC (%v): -k/-opc are not this card's", apdu.SWAuthIncorrectMAC)
		}
		if err != nil {
			return fmt.Errorf("AUTHENTICATE: %w", err)
		}
		switch res.Outcome {
		case client.AuthSyncFailure:
			sqnMS, err := milenage.VerifyAUTS(alg, v.RAND, milenage.AUTS(res.AUTS))
			if err != nil {
				return fmt.Errorf("AUTHENTICATE: SQN %s refused with an AUTS that does not verify: %w", sqn, err)
			}
			scheme := milenage.DefaultSQNScheme
			next, err := scheme.Next(sqnMS, scheme.IND(sqn))
			if err != nil {
				return fmt.Errorf("AUTHENTICATE: after resynchronisation: %w", err)
			}
			line(w, "AUTH", "SQN %s not fresh: the card's SQN_MS is %s (AUTS verified); resynchronising to SQN %s", sqn, sqnMS, next)
			if attempt > 0 {
				return fmt.Errorf("AUTHENTICATE: SQN %s still refused after resynchronisation", sqn)
			}
			sqn = next
			continue
		case client.AuthSuccess:
		default:
			return fmt.Errorf("AUTHENTICATE: unexpected outcome %v", res.Outcome)
		}
		resOK := subtle.ConstantTimeCompare(res.RES, v.XRES.Bytes()) == 1
		ckOK := subtle.ConstantTimeCompare(res.CK[:], v.CK[:]) == 1
		ikOK := subtle.ConstantTimeCompare(res.IK[:], v.IK[:]) == 1
		line(w, "AUTH", "RAND %X, SQN %s, AMF %04X", v.RAND[:], sqn, uint16(amf))
		line(w, "", "RES %X: %s; CK: %s; IK: %s", res.RES, verdict(resOK, "matches XRES"), verdict(ckOK, "matches"), verdict(ikOK, "matches"))
		if !resOK || !ckOK || !ikOK {
			return errors.New("AUTHENTICATE: the card's answer differs from the vector computed from -k/-opc")
		}
		return nil
	}
}

func verdict(ok bool, yes string) string {
	if ok {
		return yes
	}
	return "MISMATCH"
}

package procedure

import (
	"crypto/rand"
	"fmt"

	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/keystore"
	"github.com/uiccsim/uiccsim/keystore/cardapp"
	"github.com/uiccsim/uiccsim/keystore/escrow"
	"github.com/uiccsim/uiccsim/keystore/operator"
)

// FreshPair returns a pair for index with K, OPc and OTA keys from
// crypto/rand, of the same key versions and algorithms as like, counters at
// zero (what the card's REPLACE KEYS starts them at).
func FreshPair(index int, like *keystore.Pair) (keystore.Pair, error) {
	p := keystore.Pair{Index: index}
	if _, err := rand.Read(p.K[:]); err != nil {
		return p, err
	}
	if _, err := rand.Read(p.OPc[:]); err != nil {
		return p, err
	}
	var buf [2 * keystore.MaxOTAKeyLen]byte
	for _, s := range like.OTA {
		kb, db := buf[:s.KIc.Alg.KeyLen()], buf[keystore.MaxOTAKeyLen:keystore.MaxOTAKeyLen+s.KID.Alg.KeyLen()]
		if _, err := rand.Read(buf[:]); err != nil {
			return p, err
		}
		kic, err := keystore.NewOTAKey(s.KIc.Alg, kb)
		if err != nil {
			return p, err
		}
		kid, err := keystore.NewOTAKey(s.KID.Alg, db)
		if err != nil {
			return p, err
		}
		p.OTA = append(p.OTA, keystore.OTAKeySet{KVN: s.KVN, KIc: kic, KID: kid})
	}
	clear(buf[:])
	return p, p.Validate()
}

// Rotate is TR 33.812 §5.3.1.2 step 6: operator op replaces the K, OPc and
// OTA keys of subscriber iccid over OTA with REPLACE KEYS (package
// keystore/cardapp, P1 01: the card also clears its SQN array), secured with
// the keys it received, and takes the new keys into its record only once
// the card's PoR confirmed. A card that did not confirm keeps its keys and
// so does the record.
func Rotate(op *operator.Operator, tr apdu.Transport, iccid escrow.ICCID) *Failure {
	s, err := op.Subscriber(iccid)
	if err != nil {
		return &Failure{ICCID: iccid, Cause: CauseRotation, Err: err}
	}
	defer s.Wipe()
	np, err := FreshPair(s.Pair.Index, &s.Pair)
	if err != nil {
		return &Failure{ICCID: iccid, Cause: CauseRotation, Err: err}
	}
	defer np.Wipe()
	cmd, err := cardapp.AppendReplaceKeys(nil, &np, true)
	if err != nil {
		return &Failure{ICCID: iccid, Cause: CauseRotation, Err: err}
	}
	defer clear(cmd)
	res, err := op.RunOTA(tr, iccid, cardapp.TAR, [][]byte{cmd})
	if f := Judge(iccid, 1, res, err); f != nil {
		f.Err = fmt.Errorf("key rotation: %w", f.Err)
		f.Cause = CauseRotation
		return f
	}
	err = op.Update(iccid, func(s *operator.Subscriber) error {
		s.Pair.Wipe()
		s.Pair = np.Clone()
		s.SEQ = 0
		return nil
	})
	if err != nil {
		return &Failure{ICCID: iccid, Cause: CauseRotation, Err: err}
	}
	return nil
}

// rotate runs Rotate on every moved device whose keys are not yet rotated.
func (c *Campaign) rotate(dial Dialer, r *Round) {
	fails := make([]*Failure, len(c.unrotated))
	c.forEach(len(c.unrotated), func(i int) {
		id := c.unrotated[i]
		tr, err := dial(id)
		if err != nil {
			fails[i] = &Failure{ICCID: id, Cause: CauseRotation, Err: fmt.Errorf("key rotation: %w: %s: %w", ErrOffline, id, err)}
			return
		}
		fails[i] = Rotate(c.to, tr, id)
	})
	still := c.unrotated[:0:0]
	for i, id := range c.unrotated {
		if fails[i] != nil {
			still = append(still, id)
			r.Failures = append(r.Failures, *fails[i])
			continue
		}
		r.Rotated++
	}
	c.unrotated = still
}

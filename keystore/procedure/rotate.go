package procedure

import (
	"crypto/rand"
	"errors"
	"fmt"

	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/keystore"
	"github.com/uiccsim/uiccsim/keystore/cardapp"
	"github.com/uiccsim/uiccsim/keystore/escrow"
	"github.com/uiccsim/uiccsim/keystore/operator"
	"github.com/uiccsim/uiccsim/ota/scp80"
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
	sent, f := rotateOne(op, tr, iccid, nil)
	if sent != nil {
		sent.Wipe()
	}
	return f
}

// rotateOne is Rotate remembering a REPLACE KEYS whose PoR was lost. With
// pending (the pair such a REPLACE KEYS carried) it first asks the card for
// its state under pending's keys: a PoR that verifies proves the card took
// them, and the record takes them too; a refusal (01/05 unsecured) proves it
// did not, and a fresh REPLACE KEYS follows. It returns the pair of a
// REPLACE KEYS sent without a verified PoR, for the next attempt.
func rotateOne(op *operator.Operator, tr apdu.Transport, iccid escrow.ICCID, pending *keystore.Pair) (*keystore.Pair, *Failure) {
	fail := func(err error) *Failure {
		return &Failure{ICCID: iccid, Cause: CauseRotation, Err: fmt.Errorf("key rotation: %w", err)}
	}
	if pending != nil {
		sc, err := operator.ServerCard(&pending.OTA[0], cardapp.TAR)
		if err != nil {
			return pending, fail(err)
		}
		_, res, err := sc.Run(tr, [][]byte{cardapp.GetState})
		switch {
		case err != nil:
			return pending, fail(fmt.Errorf("%w: %s: %w", ErrOffline, iccid, err))
		case res.PoR.Status == scp80.StatusOK && res.PoR.Secured:
			pending.OTA[0].Counter = sc.Counter
			if f := adopt(op, iccid, pending); f != nil {
				return pending, f
			}
			pending.Wipe()
			return nil, nil
		case !OldKeysRefused(res.PoR):
			return pending, fail(fmt.Errorf("%w: %s: state query answered PoR status %02X", ErrPoR, iccid, byte(res.PoR.Status)))
		}
		pending.Wipe() // the card never took these keys
	}
	s, err := op.Subscriber(iccid)
	if err != nil {
		return nil, fail(err)
	}
	defer s.Wipe()
	np, err := FreshPair(s.Pair.Index, &s.Pair)
	if err != nil {
		return nil, fail(err)
	}
	cmd, err := cardapp.AppendReplaceKeys(nil, &np, true)
	if err != nil {
		np.Wipe()
		return nil, fail(err)
	}
	defer clear(cmd)
	res, err := op.RunOTA(tr, iccid, cardapp.TAR, [][]byte{cmd})
	if f := Judge(iccid, 1, res, err); f != nil {
		f.Err = fmt.Errorf("key rotation: %w", f.Err)
		f.Cause = CauseRotation
		if f.Err != nil && errors.Is(f.Err, ErrOffline) && res.Message != nil {
			return &np, f // sent, no PoR: the card may hold np now
		}
		np.Wipe()
		return nil, f
	}
	f := adopt(op, iccid, &np)
	np.Wipe()
	return nil, f
}

// adopt takes pair p into the record of iccid after the card confirmed it,
// with the AuC restarting at SEQ 0 as the card's cleared SQN array does.
func adopt(op *operator.Operator, iccid escrow.ICCID, p *keystore.Pair) *Failure {
	err := op.Update(iccid, func(s *operator.Subscriber) error {
		s.Pair.Wipe()
		s.Pair = p.Clone()
		s.SEQ = 0
		return nil
	})
	if err != nil {
		return &Failure{ICCID: iccid, Cause: CauseRotation, Err: fmt.Errorf("key rotation: %w", err)}
	}
	return nil
}

// rotate runs the key rotation on every moved device whose keys are not yet
// rotated.
func (c *Campaign) rotate(dial Dialer, r *Round) {
	fails := make([]*Failure, len(c.unrotated))
	c.forEach(len(c.unrotated), func(i int) {
		id := c.unrotated[i]
		tr, err := dial(id)
		if err != nil {
			fails[i] = &Failure{ICCID: id, Cause: CauseRotation, Err: fmt.Errorf("key rotation: %w: %s: %w", ErrOffline, id, err)}
			return
		}
		c.mu.Lock()
		pending := c.rotating[id]
		c.mu.Unlock()
		sent, f := rotateOne(c.to, tr, id, pending)
		c.mu.Lock()
		if sent != nil {
			c.rotating[id] = sent
		} else {
			delete(c.rotating, id)
		}
		c.mu.Unlock()
		fails[i] = f
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

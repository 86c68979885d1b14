package usim

import (
	"fmt"
	"math/bits"

	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/keystore"
	"github.com/uiccsim/uiccsim/keystore/cardapp"
	"github.com/uiccsim/uiccsim/milenage"
	"github.com/uiccsim/uiccsim/usim/ef"
)

// KeyState reports the card's key-pair list (3GPP TR 33.812 §5.3.2.2):
// the active index and the list length (1 for a profile without
// key_pairs).
func (c *Card) KeyState() cardapp.State {
	cr := c.usim.creds
	cr.fresh()
	if cr.list == nil {
		return cardapp.State{Active: 0, Len: 1}
	}
	return cardapp.State{Active: cr.list.ActiveIndex(), Len: cr.list.Len()}
}

// Exhausted reports that the last pair of the list is active: no further
// SWITCH is possible (TR 33.812 §5.3.2.2 step 9).
func (c *Card) Exhausted() bool {
	s := c.KeyState()
	return s.Active == s.Len-1
}

// host is the card as the key-management application sees it.
type host struct{ c *Card }

// KeyState implements cardapp.Host.
func (h host) KeyState() cardapp.State { return h.c.KeyState() }

// Switch implements cardapp.Host: in the running command's transaction it
// writes EF_IMSI, the key list advanced to pair to (pairs before it wiped,
// its OTA counters zero) and a fresh SQN array; then the RAM view follows.
// A refused move changes nothing.
func (h host) Switch(to int, imsi []byte) error {
	c := h.c
	cr := c.usim.creds
	if cr.list == nil {
		return ErrNoKeyList
	}
	if err := cr.list.CheckAdvance(to); err != nil {
		return err
	}
	if _, err := ef.ParseIMSI(imsi); err != nil {
		return apdu.SWIncorrectDataField
	}
	n, ok := c.fs.Lookup(c.adf, 0x6F07)
	if !ok {
		return apdu.SWFileNotFound
	}
	if info, err := c.fs.Info(n); err != nil || info.Size != len(imsi) {
		return apdu.SWTechnicalProblem
	}
	l := cr.list.Clone()
	defer l.Wipe()
	if err := l.Advance(to); err != nil {
		return err
	}
	p := l.Active()
	for i := range p.OTA {
		p.OTA[i].Counter = 0
	}
	if err := c.fs.Write(n, 0, imsi); err != nil {
		return err
	}
	if err := c.usim.resetSQN(); err != nil {
		return err
	}
	return cr.commit(l)
}

// ReplaceKeys implements cardapp.Host: the active pair's K, OPc and OTA
// key sets become p's (counters zero), optionally with a fresh SQN array.
func (h host) ReplaceKeys(p keystore.Pair, resetSQN bool) error {
	c := h.c
	cr := c.usim.creds
	if cr.list == nil {
		return ErrNoKeyList
	}
	p = p.Clone()
	defer p.Wipe()
	for i := range p.OTA {
		p.OTA[i].Counter = 0
	}
	l := cr.list.Clone()
	defer l.Wipe()
	if err := l.Replace(p); err != nil {
		return err
	}
	if resetSQN {
		if err := c.usim.resetSQN(); err != nil {
			return err
		}
	}
	return cr.commit(l)
}

// resetSQN writes a fresh SQN array of the same IND length (TS 33.102
// Annex C.2.2, all SEQ_MS zero).
func (a *applet) resetSQN() error {
	cur, err := a.sqnState()
	if err != nil {
		return err
	}
	fresh, err := milenage.NewSQNState(bits.TrailingZeros(uint(cur.Len())))
	if err != nil {
		return fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	return a.st.Write(a.sqnRef, 0, fresh.Append(a.buf[:0]))
}

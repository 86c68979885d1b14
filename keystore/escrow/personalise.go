package escrow

import (
	"crypto/rand"
	"fmt"

	"github.com/uiccsim/uiccsim/keystore"
	"github.com/uiccsim/uiccsim/keystore/sealed"
)

// OTAProfile says which OTA key set every generated pair carries: its key
// version number and the algorithms of KIc and KID (ETSI TS 102 225
// §5.1.2).
type OTAProfile struct {
	KVN      uint8
	KIc, KID keystore.Algorithm
}

// DefaultOTA is one AES-128 key set with key version number 1.
var DefaultOTA = []OTAProfile{{KVN: 1, KIc: keystore.AlgAES128, KID: keystore.AlgAES128}}

// Batch describes a personalisation run (TR 33.812 §5.3.2.2 step 2): the
// cards, how many K/OTA key pairs each gets, and the initial operator pair
// 0 is revealed to.
type Batch struct {
	ICCIDs  []ICCID
	Pairs   int          // pairs per card, 1..keystore.MaxPairs
	Initial OperatorID   // must be registered
	OTA     []OTAProfile // nil means DefaultOTA
	// TxCards is how many cards one transaction writes; 0 means 256. Larger
	// transactions amortise the commit (and its fsync) over more cards.
	TxCards int
}

// Personalise generates, for every card of the batch, b.Pairs fresh pairs
// (K, OPc and OTA keys) from crypto/rand — the operating system's CSPRNG,
// independent of any seed a caller could choose — seals them into the
// escrow, records b.Initial as owner of pair 0, and returns the release of
// pair 0 sealed to b.Initial for every card, in order.
//
// load, if not nil, is called with each card's complete list, to write it
// into the card; the list is wiped when load returns. A failing load
// aborts the batch: the cards of the failing transaction are not recorded,
// those of earlier transactions are (their releases are returned with the
// error). A duplicate ICCID aborts the batch the same way (ErrCardExists).
func (e *Escrow) Personalise(b Batch, load func(ICCID, *keystore.List) error) ([]Release, error) {
	if b.Pairs < 1 || b.Pairs > keystore.MaxPairs {
		return nil, fmt.Errorf("%w: batch of %d pairs per card, need 1..%d", ErrInvalid, b.Pairs, keystore.MaxPairs)
	}
	if err := b.Initial.Validate(); err != nil {
		return nil, err
	}
	for _, c := range b.ICCIDs {
		if _, err := ParseICCID(string(c)); err != nil {
			return nil, err
		}
	}
	ota := b.OTA
	if ota == nil {
		ota = DefaultOTA
	}
	probe := keystore.Pair{OTA: make([]keystore.OTAKeySet, len(ota))}
	for i, o := range ota {
		probe.OTA[i] = keystore.OTAKeySet{KVN: o.KVN, KIc: keystore.OTAKey{Alg: o.KIc}, KID: keystore.OTAKey{Alg: o.KID}}
	}
	if err := probe.Validate(); err != nil {
		return nil, fmt.Errorf("%w: OTA profile: %w", ErrInvalid, err)
	}
	per := b.TxCards
	if per <= 0 {
		per = 256
	}
	rels := make([]Release, 0, len(b.ICCIDs))
	for start := 0; start < len(b.ICCIDs); start += per {
		chunk := b.ICCIDs[start:min(start+per, len(b.ICCIDs))]
		var got []Release
		err := e.st.Update(func(tx *sealed.Tx) error {
			pub, err := operatorKey(tx, b.Initial)
			if err != nil {
				return err
			}
			got = make([]Release, 0, len(chunk))
			for _, iccid := range chunk {
				r, err := e.personaliseCard(tx, iccid, b.Pairs, ota, b.Initial, pub, load)
				if err != nil {
					return err
				}
				got = append(got, r)
			}
			return nil
		})
		if err != nil {
			return rels, fmt.Errorf("escrow: personalising cards %d..%d of the batch: %w", start, start+len(chunk)-1, err)
		}
		rels = append(rels, got...)
	}
	return rels, nil
}

// personaliseCard generates and stores one card's pairs in tx.
func (e *Escrow) personaliseCard(tx *sealed.Tx, iccid ICCID, n int, ota []OTAProfile, initial OperatorID,
	pub *[32]byte, load func(ICCID, *keystore.List) error) (Release, error) {
	if tx.Has(bucketCards, []byte(iccid)) {
		return Release{}, fmt.Errorf("%w: ICCID %s", ErrCardExists, iccid)
	}
	perPair := 32
	for _, o := range ota {
		perPair += o.KIc.KeyLen() + o.KID.KeyLen()
	}
	rnd := make([]byte, n*perPair)
	defer clear(rnd)
	if _, err := rand.Read(rnd); err != nil {
		return Release{}, fmt.Errorf("reading crypto/rand: %w", err)
	}
	pairs := make([]keystore.Pair, n)
	defer func() {
		for i := range pairs {
			pairs[i].Wipe()
		}
	}()
	enc := make([]byte, 0, 64+perPair)
	defer clear(enc)
	key := make([]byte, 0, 24)
	var pair0 []byte
	for i := range pairs {
		p := &pairs[i]
		r := rnd[i*perPair : (i+1)*perPair]
		p.Index = i
		r = r[copy(p.K[:], r):]
		r = r[copy(p.OPc[:], r):]
		p.OTA = make([]keystore.OTAKeySet, len(ota))
		for j, o := range ota {
			kic, err := keystore.NewOTAKey(o.KIc, r[:o.KIc.KeyLen()])
			if err != nil {
				return Release{}, err
			}
			r = r[o.KIc.KeyLen():]
			kid, err := keystore.NewOTAKey(o.KID, r[:o.KID.KeyLen()])
			if err != nil {
				return Release{}, err
			}
			r = r[o.KID.KeyLen():]
			p.OTA[j] = keystore.OTAKeySet{KVN: o.KVN, KIc: kic, KID: kid}
		}
		var err error
		if enc, err = keystore.AppendPair(enc[:0], p); err != nil {
			return Release{}, err
		}
		if err := tx.Put(bucketPairs, pairKey(key[:0], iccid, i), kindPair, enc); err != nil {
			return Release{}, err
		}
		if i == 0 {
			pair0 = append([]byte(nil), enc...)
		}
	}
	defer clear(pair0)
	c := Card{ICCID: iccid, Pairs: n, Active: 0, Owners: []OperatorID{initial}}
	if err := tx.Put(bucketCards, []byte(iccid), kindCard, appendCard(make([]byte, 0, 8+len(initial)), &c)); err != nil {
		return Release{}, err
	}
	if err := appendAuditTx(tx, &AuditEntry{Event: EventPersonalise, ICCID: iccid, Index: 0, Operator: initial,
		Reason: fmt.Sprintf("%d pairs; pair 0 released", n)}); err != nil {
		return Release{}, err
	}
	if load != nil {
		l, err := keystore.NewList(pairs)
		if err != nil {
			return Release{}, err
		}
		err = load(iccid, l)
		l.Wipe()
		if err != nil {
			return Release{}, fmt.Errorf("loading card %s: %w", iccid, err)
		}
	}
	return e.sealRelease(iccid, 0, initial, pub, pair0)
}

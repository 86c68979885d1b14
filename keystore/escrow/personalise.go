package escrow

import (
	"crypto/rand"
	"encoding/binary"
	"errors"
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
// escrow, records b.Initial as owner of pair 0, and returns pair 0 of every
// card, in order, in one BatchRelease sealed to b.Initial (TR 33.812
// §5.3.2.2 step 2: "reveals the first K/OTA key pair to MNOA").
//
// load, if not nil, is called with each card's complete list, to write it
// into the card; the list is wiped when load returns. A failing load
// aborts the batch: the cards of the failing transaction are not recorded,
// those of earlier transactions are (their pairs 0 are returned with the
// error). A duplicate ICCID aborts the batch the same way (ErrCardExists).
func (e *Escrow) Personalise(b Batch, load func(ICCID, *keystore.List) error) (BatchRelease, error) {
	r, err := e.personalise(b, load)
	if err != nil {
		return r, fmt.Errorf("escrow: personalising for %s: %w", b.Initial, err)
	}
	return r, nil
}

func (e *Escrow) personalise(b Batch, load func(ICCID, *keystore.List) error) (BatchRelease, error) {
	if b.Pairs < 1 || b.Pairs > keystore.MaxPairs {
		return BatchRelease{}, fmt.Errorf("%w: batch of %d pairs per card, need 1..%d", ErrInvalid, b.Pairs, keystore.MaxPairs)
	}
	if err := b.Initial.Validate(); err != nil {
		return BatchRelease{}, err
	}
	for _, c := range b.ICCIDs {
		if _, err := ParseICCID(string(c)); err != nil {
			return BatchRelease{}, err
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
		return BatchRelease{}, fmt.Errorf("%w: OTA profile: %w", ErrInvalid, err)
	}
	per := b.TxCards
	if per <= 0 {
		per = 256
	}
	var pub *[32]byte
	if err := e.st.View(func(tx *sealed.Tx) error {
		var err error
		pub, err = operatorKey(tx, b.Initial)
		return err
	}); err != nil {
		return BatchRelease{}, err
	}
	payload := appendBatchHeader(make([]byte, 0, 16+len(b.ICCIDs)*(64+80*len(ota))), b.Initial, 0)
	defer func() { clear(payload) }()
	done := 0
	var err error
	for start := 0; start < len(b.ICCIDs); start += per {
		chunk := b.ICCIDs[start:min(start+per, len(b.ICCIDs))]
		mark := len(payload)
		err = e.st.Update(func(tx *sealed.Tx) error {
			clear(payload[mark:])
			payload = payload[:mark]
			for _, iccid := range chunk {
				var err error
				if payload, err = personaliseCard(tx, payload, iccid, b.Pairs, ota, b.Initial, load); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			clear(payload[mark:])
			payload = payload[:mark]
			err = fmt.Errorf("cards %d..%d of the batch: %w", start, start+len(chunk)-1, err)
			break
		}
		done += len(chunk)
	}
	if done == 0 {
		return BatchRelease{}, err
	}
	binary.BigEndian.PutUint32(payload[2+len(b.Initial):], uint32(done))
	r, serr := e.sealBatch(b.Initial, done, pub, payload)
	if serr != nil {
		return BatchRelease{}, errors.Join(err, serr)
	}
	return r, err
}

// personaliseCard generates and stores one card's pairs in tx.
// It appends the batch-payload entry of pair 0 to payload.
func personaliseCard(tx *sealed.Tx, payload []byte, iccid ICCID, n int, ota []OTAProfile, initial OperatorID,
	load func(ICCID, *keystore.List) error) ([]byte, error) {
	if tx.Has(bucketCards, []byte(iccid)) {
		return payload, fmt.Errorf("%w: ICCID %s", ErrCardExists, iccid)
	}
	perPair := 32
	for _, o := range ota {
		perPair += o.KIc.KeyLen() + o.KID.KeyLen()
	}
	rnd := make([]byte, n*perPair)
	defer clear(rnd)
	if _, err := rand.Read(rnd); err != nil {
		return payload, fmt.Errorf("reading crypto/rand: %w", err)
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
				return payload, err
			}
			r = r[o.KIc.KeyLen():]
			kid, err := keystore.NewOTAKey(o.KID, r[:o.KID.KeyLen()])
			if err != nil {
				return payload, err
			}
			r = r[o.KID.KeyLen():]
			p.OTA[j] = keystore.OTAKeySet{KVN: o.KVN, KIc: kic, KID: kid}
		}
		var err error
		if enc, err = keystore.AppendPair(enc[:0], p); err != nil {
			return payload, err
		}
		if err := tx.Put(bucketPairs, pairKey(key[:0], iccid, i), kindPair, enc); err != nil {
			return payload, err
		}
		if i == 0 {
			payload = appendBatchEntry(payload, iccid, 0, enc)
		}
	}
	c := Card{ICCID: iccid, Pairs: n, Active: 0, Owners: []OperatorID{initial}}
	if err := tx.Put(bucketCards, []byte(iccid), kindCard, appendCard(make([]byte, 0, 8+len(initial)), &c)); err != nil {
		return payload, err
	}
	if err := appendAuditTx(tx, &AuditEntry{Event: EventPersonalise, ICCID: iccid, Index: 0, Operator: initial,
		Reason: fmt.Sprintf("%d pairs; pair 0 released", n)}, nil); err != nil {
		return payload, err
	}
	if load != nil {
		l, err := keystore.NewList(pairs)
		if err != nil {
			return payload, err
		}
		err = load(iccid, l)
		l.Wipe()
		if err != nil {
			return payload, fmt.Errorf("loading card %s: %w", iccid, err)
		}
	}
	return payload, nil
}

package escrow

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"

	"golang.org/x/crypto/hkdf"

	"github.com/uiccsim/uiccsim/keystore"
	"github.com/uiccsim/uiccsim/keystore/sealed"
)

// Record kinds of the escrow in its sealed store; each is bound into the
// record's additional data.
const (
	kindOperator sealed.Kind = 1 + iota // bucket "operators", key operator ID: the X25519 public key
	kindCard                            // bucket "cards", key ICCID: appendCard
	kindPair                            // bucket "pairs", key pairKey: keystore.AppendPair
	kindAudit                           // log "audit": appendAudit
)

const (
	bucketOperators = "operators"
	bucketCards     = "cards"
	bucketPairs     = "pairs"
)

// Escrow is the UICC manufacturer's escrow in one sealed bbolt file. It is
// safe for concurrent use; writes are serialised by bbolt.
type Escrow struct {
	st     *sealed.Store
	signer ed25519.PrivateKey
}

// Open opens or creates the escrow file at path under master (see
// sealed.Open for the options and the wrong-key check).
func Open(path string, master *sealed.MasterKey, o *sealed.Options) (*Escrow, error) {
	st, err := sealed.Open(path, master, o)
	if err != nil {
		return nil, fmt.Errorf("escrow: %w", err)
	}
	seed := make([]byte, ed25519.SeedSize)
	if _, err := io.ReadFull(hkdf.New(sha256.New, master[:], nil, []byte(signingInfo)), seed); err != nil {
		_ = st.Close()
		return nil, fmt.Errorf("escrow: deriving the signing key: %w", err)
	}
	e := &Escrow{st: st, signer: ed25519.NewKeyFromSeed(seed)}
	clear(seed)
	return e, nil
}

// signingInfo is the HKDF info (RFC 5869 §3.2) of the escrow's Ed25519
// release-signing seed, derived from the master key.
const signingInfo = "uiccsim keystore/escrow v1 release signing key"

// PublicKey returns the Ed25519 key operators check releases with.
func (e *Escrow) PublicKey() ed25519.PublicKey { return e.signer.Public().(ed25519.PublicKey) }

// Close closes the file.
func (e *Escrow) Close() error { return e.st.Close() }

// RegisterOperator records the X25519 public key releases to operator id
// are sealed to. Registering the same key again is a no-op; another key
// for a registered operator is refused with ErrOperatorExists.
func (e *Escrow) RegisterOperator(id OperatorID, pub *[32]byte) error {
	if err := id.Validate(); err != nil {
		return err
	}
	return e.st.Update(func(tx *sealed.Tx) error {
		old, err := tx.Get(nil, bucketOperators, []byte(id), kindOperator)
		switch {
		case err == nil && bytes.Equal(old, pub[:]):
			return nil
		case err == nil:
			return fmt.Errorf("%w: operator %s", ErrOperatorExists, id)
		case !errors.Is(err, sealed.ErrNotFound):
			return fmt.Errorf("escrow: operator %s: %w", id, err)
		}
		if err := tx.Put(bucketOperators, []byte(id), kindOperator, pub[:]); err != nil {
			return err
		}
		return appendAuditTx(tx, &AuditEntry{Event: EventRegister, Index: -1, Operator: id}, nil)
	})
}

// operatorKey returns the registered public key of id.
func operatorKey(tx *sealed.Tx, id OperatorID) (*[32]byte, error) {
	if err := id.Validate(); err != nil {
		return nil, err
	}
	var buf [32]byte
	pub, err := tx.Get(buf[:0], bucketOperators, []byte(id), kindOperator)
	if errors.Is(err, sealed.ErrNotFound) {
		return nil, fmt.Errorf("%w: operator %s has no registered key", ErrUnknownOperator, id)
	}
	if err != nil {
		return nil, fmt.Errorf("escrow: operator %s: %w", id, err)
	}
	if len(pub) != 32 {
		return nil, fmt.Errorf("%w: operator %s key of %d bytes", ErrMalformed, id, len(pub))
	}
	return &buf, nil
}

// scratch holds the buffers that the card reads, record encodings and
// audit entries of one transaction reuse: a batch of a thousand cards would
// otherwise allocate each of them per card. The records it holds carry no
// key (card records name owners; audit entries name events).
type scratch struct {
	rec []byte // a card record's plaintext (readCard)
	enc []byte // an encoding about to be sealed (card record, audit entry)
	key []byte // a record key
}

// readCard returns the record of card iccid. Owners equal to one of known
// share its string instead of allocating their own. s may be nil.
func readCard(tx *sealed.Tx, iccid ICCID, s *scratch, known ...OperatorID) (Card, error) {
	if !iccid.Valid() {
		_, err := ParseICCID(string(iccid))
		return Card{}, err
	}
	if s == nil {
		s = new(scratch)
	}
	s.key = append(s.key[:0], iccid...)
	b, err := tx.Get(s.rec[:0], bucketCards, s.key, kindCard)
	if cap(b) > cap(s.rec) {
		s.rec = b[:0]
	}
	if errors.Is(err, sealed.ErrNotFound) {
		return Card{}, fmt.Errorf("%w: ICCID %s", ErrUnknownCard, iccid)
	}
	if err != nil {
		return Card{}, fmt.Errorf("escrow: card %s: %w", iccid, err)
	}
	return parseCard(iccid, b, known...)
}

// Card returns the escrow's record of card iccid.
func (e *Escrow) Card(iccid ICCID) (Card, error) {
	var c Card
	err := e.st.View(func(tx *sealed.Tx) error {
		var err error
		c, err = readCard(tx, iccid, nil)
		return err
	})
	return c, err
}

// Verify checks the whole file (sealed.Store.Verify: page structure, every
// record authenticates, the audit chain is complete) and the escrow's own
// invariants: every card record decodes; each card holds exactly its pairs
// from the active index on, each decoding as the pair of that index; every
// audit entry decodes. It returns the number of cards checked.
func (e *Escrow) Verify() (cards int, err error) {
	if err := e.st.Verify(); err != nil {
		return 0, fmt.Errorf("escrow: %w", err)
	}
	err = e.st.View(func(tx *sealed.Tx) error {
		held := map[string]bool{}
		err := tx.ForEach(bucketPairs, kindPair, func(k, pt []byte) error {
			held[string(k)] = true
			p, err := keystore.ParsePair(pt)
			if err != nil {
				return fmt.Errorf("escrow: pair record %q: %w", k, err)
			}
			if want := int(k[len(k)-1]); p.Index != want {
				return fmt.Errorf("%w: pair record %q holds index %d", ErrMalformed, k, p.Index)
			}
			p.Wipe()
			return nil
		})
		if err != nil {
			return err
		}
		var key []byte
		err = tx.ForEach(bucketCards, kindCard, func(k, pt []byte) error {
			c, err := parseCard(ICCID(k), pt)
			if err != nil {
				return err
			}
			cards++
			for i := range c.Pairs {
				key = pairKey(key[:0], c.ICCID, i)
				if held[string(key)] != (i >= c.Active) {
					return fmt.Errorf("%w: card %s active index %d: pair %d present=%t", ErrMalformed, c.ICCID, c.Active, i, held[string(key)])
				}
				delete(held, string(key))
			}
			return nil
		})
		if err != nil {
			return err
		}
		for k := range held {
			return fmt.Errorf("%w: pair record %q belongs to no card", ErrMalformed, k)
		}
		return tx.ReadLog(auditLog, kindAudit, 1, func(seq uint64, pt []byte) error {
			_, err := parseAudit(seq, pt)
			return err
		})
	})
	return cards, err
}

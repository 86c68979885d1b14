package escrow

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"

	"github.com/uiccsim/uiccsim/keystore"
	"github.com/uiccsim/uiccsim/keystore/sealed"
	"golang.org/x/crypto/cryptobyte"
	"golang.org/x/crypto/nacl/box"
)

// Request names one pair an operator asks for: the UICC ID and the index
// value of TR 33.812 §5.3.2.2 step 6.
type Request struct {
	ICCID ICCID
	Index int
}

// BatchRelease hands many pairs to one operator at once — the "list of new
// IMSIs ... with the corresponding UICC IDs and the index values" of
// TR 33.812 §5.3.2.2 step 6 answered in one step-7 delivery: one sealed box
// to the operator's X25519 key and one Ed25519 signature for the whole
// list, so the public-key cost is paid once per batch, not per card.
type BatchRelease struct {
	Operator OperatorID
	Count    int    // pairs in the box
	Sealed   []byte // box.SealAnonymous of the batch payload
	Sig      []byte // Ed25519 over sigDomainBatch ‖ the wire form before Sig
}

// String describes the batch without its contents.
func (r BatchRelease) String() string {
	return "BatchRelease{" + strconv.Itoa(r.Count) + " pairs to " + string(r.Operator) + ", " +
		strconv.Itoa(len(r.Sealed)) + " sealed bytes}"
}

// AppendBatchRelease appends the wire form of r:
//
//	version(1)=1 len(1) operator count(4) len(4) sealed sig(64)
func AppendBatchRelease(dst []byte, r *BatchRelease) []byte {
	dst = appendBatchSignedPart(dst, r.Operator, r.Count, r.Sealed)
	return append(dst, r.Sig...)
}

func appendBatchSignedPart(dst []byte, op OperatorID, count int, sealedBox []byte) []byte {
	dst = append(dst, recordVersion, byte(len(op)))
	dst = append(dst, op...)
	dst = binary.BigEndian.AppendUint32(dst, uint32(count))
	dst = binary.BigEndian.AppendUint32(dst, uint32(len(sealedBox)))
	return append(dst, sealedBox...)
}

// ParseBatchRelease parses the wire form of a batch release; OpenBatchRelease
// checks it.
func ParseBatchRelease(b []byte) (BatchRelease, error) {
	s := cryptobyte.String(b)
	var v uint8
	var op cryptobyte.String
	var count, n uint32
	var sb, sig []byte
	if !s.ReadUint8(&v) || !s.ReadUint8LengthPrefixed(&op) || !s.ReadUint32(&count) || !s.ReadUint32(&n) ||
		!s.ReadBytes(&sb, int(n)) || !s.ReadBytes(&sig, ed25519.SignatureSize) || !s.Empty() {
		return BatchRelease{}, fmt.Errorf("%w: batch release of %d bytes is truncated or too long", ErrMalformed, len(b))
	}
	if v != recordVersion {
		return BatchRelease{}, fmt.Errorf("%w: batch release version %d", ErrMalformed, v)
	}
	r := BatchRelease{Operator: OperatorID(op), Count: int(count), Sealed: append([]byte(nil), sb...), Sig: append([]byte(nil), sig...)}
	if err := r.Operator.Validate(); err != nil {
		return BatchRelease{}, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	return r, nil
}

// appendBatchEntry appends one entry of the batch payload:
//
//	len(1) ICCID index(1) len(2) pair(keystore encoding)
//
// The payload is version(1)=1 len(1) operator count(4) count*entry.
func appendBatchEntry(dst []byte, iccid ICCID, index int, pairEnc []byte) []byte {
	dst = append(dst, byte(len(iccid)))
	dst = append(dst, iccid...)
	dst = append(dst, byte(index))
	dst = binary.BigEndian.AppendUint16(dst, uint16(len(pairEnc)))
	return append(dst, pairEnc...)
}

func appendBatchHeader(dst []byte, op OperatorID, count int) []byte {
	dst = append(dst, recordVersion, byte(len(op)))
	dst = append(dst, op...)
	return binary.BigEndian.AppendUint32(dst, uint32(count))
}

// parseBatchPayload decodes an opened batch payload.
func parseBatchPayload(b []byte) (OperatorID, []Delivery, error) {
	s := cryptobyte.String(b)
	var v uint8
	var op cryptobyte.String
	var count uint32
	if !s.ReadUint8(&v) || !s.ReadUint8LengthPrefixed(&op) || !s.ReadUint32(&count) {
		return "", nil, fmt.Errorf("%w: batch payload header truncated", ErrMalformed)
	}
	if v != recordVersion {
		return "", nil, fmt.Errorf("%w: batch payload version %d", ErrMalformed, v)
	}
	// Each entry takes at least 4 bytes: bound the allocation by the input.
	if uint64(count) > uint64(len(s))/4 {
		return "", nil, fmt.Errorf("%w: batch payload claims %d entries in %d bytes", ErrMalformed, count, len(s))
	}
	ds := make([]Delivery, 0, count)
	fail := func(err error) (OperatorID, []Delivery, error) {
		for i := range ds {
			ds[i].Pair.Wipe()
		}
		return "", nil, err
	}
	for i := range int(count) {
		var iccid, pairEnc cryptobyte.String
		var idx uint8
		if !s.ReadUint8LengthPrefixed(&iccid) || !s.ReadUint8(&idx) || !s.ReadUint16LengthPrefixed(&pairEnc) {
			return fail(fmt.Errorf("%w: batch payload entry %d truncated", ErrMalformed, i))
		}
		p, err := keystore.ParsePair(pairEnc)
		if err != nil {
			return fail(fmt.Errorf("%w: batch payload entry %d: %w", ErrMalformed, i, err))
		}
		if p.Index != int(idx) {
			p.Wipe()
			return fail(fmt.Errorf("%w: batch payload entry %d for index %d holds pair %d", ErrMalformed, i, idx, p.Index))
		}
		ds = append(ds, Delivery{ICCID: ICCID(iccid), Index: int(idx), Operator: OperatorID(op), Pair: p})
	}
	if !s.Empty() {
		return fail(fmt.Errorf("%w: %d trailing bytes after the batch payload", ErrMalformed, len(s)))
	}
	return OperatorID(op), ds, nil
}

// OpenBatchRelease checks the escrow's signature, opens the box with the
// operator's key pair and returns the pairs, checking that the payload is
// for the operator and holds as many pairs as the release says.
func OpenBatchRelease(r *BatchRelease, escrowKey ed25519.PublicKey, pub, priv *[32]byte) ([]Delivery, error) {
	where := fmt.Sprintf("batch release of %d pairs to %s", r.Count, r.Operator)
	msg := appendBatchSignedPart([]byte(sigDomainBatch), r.Operator, r.Count, r.Sealed)
	if len(escrowKey) != ed25519.PublicKeySize || !ed25519.Verify(escrowKey, msg, r.Sig) {
		return nil, fmt.Errorf("%w: %s: escrow signature does not verify", ErrMalformed, where)
	}
	pt, ok := box.OpenAnonymous(nil, r.Sealed, pub, priv)
	if !ok {
		return nil, fmt.Errorf("%w: %s: sealed box does not open with this key", ErrMalformed, where)
	}
	defer clear(pt)
	op, ds, err := parseBatchPayload(pt)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", where, err)
	}
	if op != r.Operator || len(ds) != r.Count {
		for i := range ds {
			ds[i].Pair.Wipe()
		}
		return nil, fmt.Errorf("%w: %s: box holds %d pairs for %s", ErrMalformed, where, len(ds), op)
	}
	return ds, nil
}

// sealBatch seals payload (a batch header and entries) to the operator and
// signs it.
func (e *Escrow) sealBatch(op OperatorID, count int, pub *[32]byte, payload []byte) (BatchRelease, error) {
	sb, err := box.SealAnonymous(make([]byte, 0, len(payload)+box.AnonymousOverhead), payload, pub, rand.Reader)
	if err != nil {
		return BatchRelease{}, fmt.Errorf("escrow: sealing %d pairs to %s: %w", count, op, err)
	}
	r := BatchRelease{Operator: op, Count: count, Sealed: sb}
	r.Sig = ed25519.Sign(e.signer, appendBatchSignedPart([]byte(sigDomainBatch), op, count, sb))
	return r, nil
}

// ReleaseBatch applies the rules of Release to every request of operator
// in one transaction and delivers every granted pair in one BatchRelease.
// refusals[i] is nil if request i was granted, else why it was refused
// (ErrNotOwner, ErrRetired, ...); every grant and refusal is audited. err
// reports a failure of the escrow itself, in which case nothing is
// released or audited.
func (e *Escrow) ReleaseBatch(operator OperatorID, reqs []Request) (r BatchRelease, refusals []error, err error) {
	if err := operator.Validate(); err != nil {
		return BatchRelease{}, nil, err
	}
	for _, q := range reqs {
		if _, err := ParseICCID(string(q.ICCID)); err != nil {
			return BatchRelease{}, nil, err
		}
	}
	// Sized for pairs with one OTA key set, so that the plaintext is not
	// copied (and left behind) by growth in the common case.
	payload := make([]byte, 0, 16+len(reqs)*128)
	defer func() { clear(payload) }()
	var pub *[32]byte
	granted := 0
	err = e.st.Update(func(tx *sealed.Tx) error {
		refusals = make([]error, len(reqs))
		granted = 0
		clear(payload)
		payload = appendBatchHeader(payload[:0], operator, 0)
		var refusal error
		pub, refusal = operatorKey(tx, operator)
		var s scratch
		var buf [256]byte
		defer clear(buf[:])
		for i, q := range reqs {
			if refusal != nil {
				refusals[i] = fmt.Errorf("release of card %s index %d: %w", q.ICCID, q.Index, refusal)
			} else {
				rf, err := checkRelease(tx, &s, q.ICCID, q.Index, operator)
				if err != nil {
					return err
				}
				refusals[i] = rf
			}
			a := AuditEntry{Event: EventRelease, ICCID: q.ICCID, Index: q.Index, Operator: operator}
			if q.Index < 0 || q.Index >= keystore.MaxPairs {
				a.Index = -1
			}
			if refusals[i] != nil {
				a.Refused, a.Reason = true, refusals[i].Error()
			} else {
				pairEnc, err := tx.Get(buf[:0], bucketPairs, pairKey(s.key[:0], q.ICCID, q.Index), kindPair)
				if err != nil {
					return fmt.Errorf("card %s pair %d record: %w", q.ICCID, q.Index, err)
				}
				payload = appendBatchEntry(payload, q.ICCID, q.Index, pairEnc)
				clear(pairEnc)
				granted++
			}
			if err := appendAuditTx(tx, &a, &s); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return BatchRelease{}, nil, fmt.Errorf("escrow: batch release of %d pairs to %s: %w", len(reqs), operator, err)
	}
	if pub == nil {
		return BatchRelease{}, refusals, nil
	}
	binary.BigEndian.PutUint32(payload[2+len(operator):], uint32(granted))
	r, err = e.sealBatch(operator, granted, pub, payload)
	return r, refusals, err
}

// checkRelease applies the release rules to one request, with the buffers
// of s (nil: its own); a refusal is returned as refusal, a storage failure
// as err.
func checkRelease(tx *sealed.Tx, s *scratch, iccid ICCID, index int, op OperatorID) (refusal, err error) {
	c, refusal := readCard(tx, iccid, s, op)
	if refusal != nil {
		if errors.Is(refusal, ErrUnknownCard) {
			return refusal, nil
		}
		return nil, refusal
	}
	if refusal := checkIndex(iccid, index, c.Pairs); refusal != nil {
		return refusal, nil
	}
	switch {
	case index > c.Active:
		return fmt.Errorf("%w: %s asks for card %s index %d, but no switch to index %d was reported (active index %d, owner %s)",
			ErrNotOwner, op, iccid, index, index, c.Active, c.Owner()), nil
	case c.Owners[index] != op:
		return fmt.Errorf("%w: %s asks for card %s index %d, whose recorded owner is %s",
			ErrNotOwner, op, iccid, index, c.Owners[index]), nil
	case index < c.Active:
		return fmt.Errorf("%w: card %s index %d was destroyed when the card moved to index %d",
			ErrRetired, iccid, index, c.Active), nil
	}
	return nil, nil
}

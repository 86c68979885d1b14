package escrow

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"strconv"

	"github.com/uiccsim/uiccsim/keystore"
	"github.com/uiccsim/uiccsim/keystore/sealed"
	"golang.org/x/crypto/cryptobyte"
	"golang.org/x/crypto/nacl/box"
)

// Release is one K/OTA key pair handed to its owner (TR 33.812 §5.3.2.2
// step 7, and step 2 for pair 0): the pair sealed to the operator's
// registered X25519 key with a NaCl anonymous sealed box
// (box.SealAnonymous: ephemeral X25519 + XSalsa20-Poly1305), and signed by
// the escrow with Ed25519 (RFC 8032 §5.1) so the operator knows the pair
// comes from the escrow, since an anonymous box does not say who sealed it.
type Release struct {
	ICCID    ICCID
	Index    int
	Operator OperatorID
	Sealed   []byte // box.SealAnonymous of the release payload
	Sig      []byte // Ed25519 over signedPart (see AppendRelease)
}

// String describes the release without its contents.
func (r Release) String() string {
	return "Release{" + string(r.ICCID) + " index " + strconv.Itoa(r.Index) + " to " + string(r.Operator) +
		", " + strconv.Itoa(len(r.Sealed)) + " sealed bytes}"
}

// AppendRelease appends the wire form of r, the form an operator receives:
//
//	version(1)=1 len(1) ICCID index(1) len(1) operator len(2) sealed sig(64)
//
// The Ed25519 signature covers sigDomainRelease followed by every byte
// before it.
func AppendRelease(dst []byte, r *Release) []byte {
	dst = appendSignedPart(dst, r.ICCID, r.Index, r.Operator, r.Sealed)
	return append(dst, r.Sig...)
}

// Signature domains: each signed message starts with one, so a signature
// over one kind of release never verifies as another.
const (
	sigDomainRelease = "uiccsim escrow release v1\x00"
	sigDomainBatch   = "uiccsim escrow batch release v1\x00"
)

func appendSignedPart(dst []byte, iccid ICCID, index int, op OperatorID, sealedBox []byte) []byte {
	dst = append(dst, recordVersion, byte(len(iccid)))
	dst = append(dst, iccid...)
	dst = append(dst, byte(index), byte(len(op)))
	dst = append(dst, op...)
	dst = binary.BigEndian.AppendUint16(dst, uint16(len(sealedBox)))
	return append(dst, sealedBox...)
}

// ParseRelease parses the wire form of a release. It checks the structure
// only; OpenRelease checks the signature and opens the box.
func ParseRelease(b []byte) (Release, error) {
	s := cryptobyte.String(b)
	var v, idx uint8
	var iccid, op, sb cryptobyte.String
	var sig []byte
	if !s.ReadUint8(&v) || !s.ReadUint8LengthPrefixed(&iccid) || !s.ReadUint8(&idx) ||
		!s.ReadUint8LengthPrefixed(&op) || !s.ReadUint16LengthPrefixed(&sb) ||
		!s.ReadBytes(&sig, ed25519.SignatureSize) || !s.Empty() {
		return Release{}, fmt.Errorf("%w: release of %d bytes is truncated or too long", ErrMalformed, len(b))
	}
	if v != recordVersion {
		return Release{}, fmt.Errorf("%w: release version %d", ErrMalformed, v)
	}
	r := Release{ICCID: ICCID(iccid), Index: int(idx), Operator: OperatorID(op),
		Sealed: append([]byte(nil), sb...), Sig: append([]byte(nil), sig...)}
	if !r.ICCID.Valid() {
		return Release{}, fmt.Errorf("%w: release names ICCID %q", ErrMalformed, string(iccid))
	}
	if err := r.Operator.Validate(); err != nil {
		return Release{}, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	return r, nil
}

// Delivery is an opened release: the pair and what it belongs to.
type Delivery struct {
	ICCID    ICCID
	Index    int
	Operator OperatorID
	Pair     keystore.Pair
}

// appendPayload encodes the plaintext sealed in a release:
//
//	version(1)=1 len(1) ICCID index(1) len(1) operator pair(keystore encoding)
//
// ICCID, index and operator are repeated inside the box so that a box cut
// from one release and pasted into another is detected.
func appendPayload(dst []byte, iccid ICCID, index int, op OperatorID, pairEnc []byte) []byte {
	dst = append(dst, recordVersion, byte(len(iccid)))
	dst = append(dst, iccid...)
	dst = append(dst, byte(index), byte(len(op)))
	dst = append(dst, op...)
	return append(dst, pairEnc...)
}

// parsePayload decodes a release payload.
func parsePayload(b []byte) (Delivery, error) {
	s := cryptobyte.String(b)
	var v, idx uint8
	var iccid, op cryptobyte.String
	if !s.ReadUint8(&v) || !s.ReadUint8LengthPrefixed(&iccid) || !s.ReadUint8(&idx) || !s.ReadUint8LengthPrefixed(&op) {
		return Delivery{}, fmt.Errorf("%w: release payload of %d bytes truncated", ErrMalformed, len(b))
	}
	if v != recordVersion {
		return Delivery{}, fmt.Errorf("%w: release payload version %d", ErrMalformed, v)
	}
	p, err := keystore.ParsePair(s)
	if err != nil {
		return Delivery{}, fmt.Errorf("%w: release payload: %w", ErrMalformed, err)
	}
	d := Delivery{ICCID: ICCID(iccid), Index: int(idx), Operator: OperatorID(op), Pair: p}
	if p.Index != d.Index {
		p.Wipe()
		return Delivery{}, fmt.Errorf("%w: release for index %d holds pair %d", ErrMalformed, d.Index, p.Index)
	}
	return d, nil
}

// OpenRelease is the operator's side of step 7: it checks the escrow's
// signature with escrowKey, opens the box with the operator's X25519 key
// pair, and checks that the payload names the same card, index and
// operator as the release. The caller then checks that ICCID and index are
// the ones the previous owner reported (step 6).
func OpenRelease(r *Release, escrowKey ed25519.PublicKey, pub, priv *[32]byte) (Delivery, error) {
	where := fmt.Sprintf("release of card %s index %d to %s", r.ICCID, r.Index, r.Operator)
	if len(escrowKey) != ed25519.PublicKeySize ||
		!ed25519.Verify(escrowKey, appendSignedPart([]byte(sigDomainRelease), r.ICCID, r.Index, r.Operator, r.Sealed), r.Sig) {
		return Delivery{}, fmt.Errorf("%w: %s: escrow signature does not verify", ErrMalformed, where)
	}
	pt, ok := box.OpenAnonymous(nil, r.Sealed, pub, priv)
	if !ok {
		return Delivery{}, fmt.Errorf("%w: %s: sealed box does not open with this key", ErrMalformed, where)
	}
	defer clear(pt)
	d, err := parsePayload(pt)
	if err != nil {
		return Delivery{}, fmt.Errorf("%s: %w", where, err)
	}
	if d.ICCID != r.ICCID || d.Index != r.Index || d.Operator != r.Operator {
		d.Pair.Wipe()
		return Delivery{}, fmt.Errorf("%w: %s: box holds card %s index %d for %s", ErrMalformed, where, d.ICCID, d.Index, d.Operator)
	}
	return d, nil
}

// sealRelease builds the release of the pair encoded as pairEnc.
func (e *Escrow) sealRelease(iccid ICCID, index int, op OperatorID, pub *[32]byte, pairEnc []byte) (Release, error) {
	payload := appendPayload(make([]byte, 0, 4+len(iccid)+len(op)+len(pairEnc)), iccid, index, op, pairEnc)
	defer clear(payload)
	sb, err := box.SealAnonymous(make([]byte, 0, len(payload)+box.AnonymousOverhead), payload, pub, rand.Reader)
	if err != nil {
		return Release{}, fmt.Errorf("escrow: sealing card %s index %d to %s: %w", iccid, index, op, err)
	}
	r := Release{ICCID: iccid, Index: index, Operator: op, Sealed: sb}
	msg := append(make([]byte, 0, len(sigDomainRelease)+8+len(iccid)+len(op)+len(sb)), sigDomainRelease...)
	r.Sig = ed25519.Sign(e.signer, appendSignedPart(msg, iccid, index, op, sb))
	return r, nil
}

// Release hands pair index of card iccid to operator, sealed to its
// registered key (TR 33.812 §5.3.2.2 step 7). The rules: the operator must
// be recorded as the card's owner for index — the initial operator for
// pair 0, for a later index the operator the current owner reported the
// switch to; no switch reported to index means no owner (ErrNotOwner); a
// pair the card has moved past is destroyed (ErrRetired). Every release
// and every refusal is written to the audit log.
func (e *Escrow) Release(iccid ICCID, index int, operator OperatorID) (Release, error) {
	if err := operator.Validate(); err != nil {
		return Release{}, err
	}
	if _, err := ParseICCID(string(iccid)); err != nil {
		return Release{}, err
	}
	var rel Release
	var refusal error
	err := e.st.Update(func(tx *sealed.Tx) error {
		var err error
		rel, refusal, err = e.release(tx, iccid, index, operator)
		if err != nil {
			return err
		}
		a := AuditEntry{Event: EventRelease, ICCID: iccid, Index: index, Operator: operator}
		if index < 0 || index >= keystore.MaxPairs {
			a.Index = -1
		}
		if refusal != nil {
			a.Refused, a.Reason = true, refusal.Error()
		}
		return appendAuditTx(tx, &a, nil)
	})
	if err != nil {
		return Release{}, fmt.Errorf("escrow: release of card %s index %d to %s: %w", iccid, index, operator, err)
	}
	if refusal != nil {
		return Release{}, refusal
	}
	return rel, nil
}

// release applies the release rules in tx. A refusal is returned as
// refusal (and audited by the caller); err is a storage failure.
func (e *Escrow) release(tx *sealed.Tx, iccid ICCID, index int, op OperatorID) (r Release, refusal, err error) {
	pub, refusal := operatorKey(tx, op)
	if refusal != nil {
		return Release{}, fmt.Errorf("release of card %s index %d: %w", iccid, index, refusal), nil
	}
	if refusal, err := checkRelease(tx, nil, iccid, index, op); refusal != nil || err != nil {
		return Release{}, refusal, err
	}
	var buf [256]byte
	pairEnc, err := tx.Get(buf[:0], bucketPairs, pairKey(make([]byte, 0, 24), iccid, index), kindPair)
	defer clear(buf[:])
	if err != nil {
		return Release{}, nil, fmt.Errorf("pair record: %w", err)
	}
	defer clear(pairEnc)
	r, err = e.sealRelease(iccid, index, op, pub, pairEnc)
	return r, nil, err
}

package operator

import (
	"crypto/rand"
	"fmt"

	"github.com/uiccsim/uiccsim/keystore/escrow"
	"golang.org/x/crypto/cryptobyte"
	"golang.org/x/crypto/nacl/box"
)

// HandoverVersion is the first byte of a handover and of its payload.
const HandoverVersion = 1

// Handover is the list MNO A delivers to MNO B in TR 33.812 alternative 3a
// (§5.3.1.2 step 5: "all M2ME with their new IMSI, subscriber key K, and the
// associated OTA key"), sealed with NaCl box (X25519, XSalsa20-Poly1305) from
// A's key pair to B's public key: B alone can open it, and opening it proves
// that A sealed it. It never exists in clear outside the two operators.
//
// Wire form:
//
//	version(1)=1 len(1) from len(1) to nonce(24) box
//	payload = version(1)=1 len(1) from len(1) to count(4) count*(len(2) record)
//
// record is AppendSubscriber's encoding (the IMSI is B's, the SEQ the AuC
// state B continues from so its vectors stay fresh for the card's SQN array).
type Handover struct {
	From, To escrow.OperatorID
	Nonce    [24]byte
	Box      []byte
}

// SealHandover seals the records of iccids, each with the new IMSI from
// imsis (same order), to operator to's public key. The operator's own
// records are not changed: it removes them (Remove) once the cards confirmed
// the IMSI change.
func (o *Operator) SealHandover(to escrow.OperatorID, toPub *[32]byte, iccids []escrow.ICCID, imsis []string) (Handover, error) {
	if len(iccids) != len(imsis) {
		return Handover{}, fmt.Errorf("%w: handover: %d ICCIDs, %d IMSIs", ErrInvalid, len(iccids), len(imsis))
	}
	if err := to.Validate(); err != nil {
		return Handover{}, fmt.Errorf("%w: handover to: %w", ErrInvalid, err)
	}
	pt := []byte{HandoverVersion, byte(len(o.id))}
	pt = append(pt, o.id...)
	pt = append(pt, byte(len(to)))
	pt = append(pt, to...)
	n := len(iccids)
	pt = append(pt, byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
	defer func() { clear(pt) }()
	for i, c := range iccids {
		s, err := o.Subscriber(c)
		if err != nil {
			return Handover{}, err
		}
		s.IMSI = imsis[i]
		at := len(pt)
		pt = append(pt, 0, 0)
		pt, err = AppendSubscriber(pt, &s)
		s.Wipe()
		if err != nil {
			return Handover{}, fmt.Errorf("operator %s: handover: %w", o.id, err)
		}
		l := len(pt) - at - 2
		pt[at], pt[at+1] = byte(l>>8), byte(l)
	}
	h := Handover{From: o.id, To: to}
	if _, err := rand.Read(h.Nonce[:]); err != nil {
		return Handover{}, err
	}
	h.Box = box.Seal(nil, pt, &h.Nonce, toPub, o.priv)
	return h, nil
}

// AppendHandover appends the wire form of h.
func AppendHandover(dst []byte, h *Handover) []byte {
	dst = append(dst, HandoverVersion, byte(len(h.From)))
	dst = append(dst, h.From...)
	dst = append(dst, byte(len(h.To)))
	dst = append(dst, h.To...)
	dst = append(dst, h.Nonce[:]...)
	return append(dst, h.Box...)
}

// ParseHandover parses the wire form of a handover; OpenHandover opens it.
func ParseHandover(b []byte) (Handover, error) {
	s := cryptobyte.String(b)
	var ver uint8
	var from, to, nonce cryptobyte.String
	if !s.ReadUint8(&ver) || ver != HandoverVersion {
		return Handover{}, fmt.Errorf("%w: handover: version", ErrMalformed)
	}
	if !s.ReadUint8LengthPrefixed(&from) || !s.ReadUint8LengthPrefixed(&to) || !s.ReadBytes((*[]byte)(&nonce), 24) {
		return Handover{}, fmt.Errorf("%w: handover truncated at byte %d", ErrMalformed, len(b)-len(s))
	}
	if len(s) < box.Overhead {
		return Handover{}, fmt.Errorf("%w: handover box of %d bytes", ErrMalformed, len(s))
	}
	h := Handover{From: escrow.OperatorID(from), To: escrow.OperatorID(to), Box: append([]byte(nil), s...)}
	copy(h.Nonce[:], nonce)
	return h, nil
}

// OpenHandover opens a handover sealed to this operator by the operator
// whose public key is fromPub and returns its records (with the IMSIs this
// operator allocated). It checks that the box opens, and that the payload
// names the same sender and recipient as the clear header. The caller adds
// the records (Add) once the cards confirmed the IMSI change.
func (o *Operator) OpenHandover(h *Handover, fromPub *[32]byte) ([]Subscriber, error) {
	if h.To != o.id {
		return nil, fmt.Errorf("%w: handover for %s opened by %s", ErrHandover, h.To, o.id)
	}
	pt, ok := box.Open(nil, h.Box, &h.Nonce, fromPub, o.priv)
	if !ok {
		return nil, fmt.Errorf("%w: handover from %s to %s: box does not open", ErrHandover, h.From, h.To)
	}
	defer clear(pt)
	s := cryptobyte.String(pt)
	var ver uint8
	var from, to cryptobyte.String
	var n uint32
	if !s.ReadUint8(&ver) || ver != HandoverVersion || !s.ReadUint8LengthPrefixed(&from) ||
		!s.ReadUint8LengthPrefixed(&to) || !s.ReadUint32(&n) {
		return nil, fmt.Errorf("%w: handover payload header", ErrMalformed)
	}
	if escrow.OperatorID(from) != h.From || escrow.OperatorID(to) != h.To {
		return nil, fmt.Errorf("%w: handover payload names %s → %s, header %s → %s", ErrHandover, from, to, h.From, h.To)
	}
	if uint64(n) > uint64(len(s)) {
		return nil, fmt.Errorf("%w: handover claims %d records in %d bytes", ErrMalformed, n, len(s))
	}
	out := make([]Subscriber, 0, n)
	for i := range int(n) {
		var rec cryptobyte.String
		if !s.ReadUint16LengthPrefixed(&rec) {
			wipeSubs(out)
			return nil, fmt.Errorf("%w: handover record %d truncated", ErrMalformed, i)
		}
		sub, err := ParseSubscriber(rec)
		if err != nil {
			wipeSubs(out)
			return nil, fmt.Errorf("handover record %d: %w", i, err)
		}
		out = append(out, sub)
	}
	if !s.Empty() {
		wipeSubs(out)
		return nil, fmt.Errorf("%w: handover: %d trailing bytes", ErrMalformed, len(s))
	}
	return out, nil
}

func wipeSubs(s []Subscriber) {
	for i := range s {
		s[i].Wipe()
	}
}

package operator

import (
	"fmt"

	"github.com/uiccsim/uiccsim/keystore"
	"github.com/uiccsim/uiccsim/keystore/escrow"
	"github.com/uiccsim/uiccsim/usim/ef"
	"golang.org/x/crypto/cryptobyte"
)

// RecordVersion is the first byte of a subscriber record's encoding.
const RecordVersion = 1

// Subscriber is the operator's record of one subscription, the HLR/AuC
// entry of TS 33.102 §6.3 extended with what remote operator change needs
// (TR 33.812 §5.3.1.2 step 5, §5.3.2.2 step 6): the card's ICCID, the IMSI
// the operator assigned, the active K/OTA key pair (Pair.Index is the index
// of TR 33.812 §5.3.2.2; K and OPc feed Milenage, TS 35.206 §2; the OTA key
// set's Counter is the last CNTR this operator sent, ETSI TS 102 225 §5.1.1)
// and SEQ, the last SEQ_HE the AuC issued (TS 33.102 Annex C.1.1).
//
// Key material redacts itself in every fmt verb (keystore.Pair).
type Subscriber struct {
	ICCID escrow.ICCID
	IMSI  string
	Pair  keystore.Pair
	SEQ   uint64
}

// Validate checks the ICCID (ITU-T E.118 with Luhn digit), the IMSI (TS
// 23.003 §2.2: 6 to 15 digits), the pair (keystore.Pair.Validate) and that
// the pair has at least one OTA key set.
func (s *Subscriber) Validate() error {
	if !s.ICCID.Valid() {
		return fmt.Errorf("%w: subscriber ICCID %q", ErrInvalid, string(s.ICCID))
	}
	if _, err := ef.NewIMSI(s.IMSI); err != nil {
		return fmt.Errorf("%w: subscriber %s: IMSI: %w", ErrInvalid, s.ICCID, err)
	}
	if err := s.Pair.Validate(); err != nil {
		return fmt.Errorf("%w: subscriber %s: %w", ErrInvalid, s.ICCID, err)
	}
	if len(s.Pair.OTA) == 0 {
		return fmt.Errorf("%w: subscriber %s: pair %d has no OTA key set", ErrInvalid, s.ICCID, s.Pair.Index)
	}
	if s.SEQ >= 1<<43 {
		return fmt.Errorf("%w: subscriber %s: SEQ %d beyond 43 bits", ErrInvalid, s.ICCID, s.SEQ)
	}
	return nil
}

// Clone returns a deep copy that shares no key memory with s.
func (s *Subscriber) Clone() Subscriber {
	c := *s
	c.Pair = s.Pair.Clone()
	return c
}

// Wipe zeroes the subscriber's keys.
func (s *Subscriber) Wipe() { s.Pair.Wipe() }

// String describes the subscriber without any key.
func (s Subscriber) String() string {
	return fmt.Sprintf("subscriber %s IMSI %s pair %d SEQ %d", s.ICCID, s.IMSI, s.Pair.Index, s.SEQ)
}

// AppendSubscriber appends the encoding of s, the plaintext of the sealed
// record (the store seals it with XChaCha20-Poly1305, package
// keystore/sealed) and of each entry of a handover:
//
//	version(1)=1 len(1) ICCID len(1) IMSI SEQ(8) len(2) pairRec
//
// pairRec is keystore.AppendPair's single-pair encoding. It fails, returning
// dst unchanged, if s is invalid.
func AppendSubscriber(dst []byte, s *Subscriber) ([]byte, error) {
	if err := s.Validate(); err != nil {
		return dst, err
	}
	n := len(dst)
	dst = append(dst, RecordVersion, byte(len(s.ICCID)))
	dst = append(dst, s.ICCID...)
	dst = append(dst, byte(len(s.IMSI)))
	dst = append(dst, s.IMSI...)
	dst = append(dst, byte(s.SEQ>>56), byte(s.SEQ>>48), byte(s.SEQ>>40), byte(s.SEQ>>32),
		byte(s.SEQ>>24), byte(s.SEQ>>16), byte(s.SEQ>>8), byte(s.SEQ))
	dst = append(dst, 0, 0)
	p := len(dst)
	dst, err := keystore.AppendPair(dst, &s.Pair)
	if err != nil {
		return dst[:n], err
	}
	l := len(dst) - p
	dst[p-2], dst[p-1] = byte(l>>8), byte(l)
	return dst, nil
}

// ParseSubscriber parses an encoding produced by AppendSubscriber and
// validates the result. It shares no memory with b.
func ParseSubscriber(b []byte) (Subscriber, error) {
	s := cryptobyte.String(b)
	var (
		ver         uint8
		iccid, imsi cryptobyte.String
		seq         uint64
		pair        cryptobyte.String
	)
	if !s.ReadUint8(&ver) {
		return Subscriber{}, fmt.Errorf("%w: subscriber record: empty", ErrMalformed)
	}
	if ver != RecordVersion {
		return Subscriber{}, fmt.Errorf("%w: subscriber record: version %d, want %d", ErrMalformed, ver, RecordVersion)
	}
	if !s.ReadUint8LengthPrefixed(&iccid) || !s.ReadUint8LengthPrefixed(&imsi) ||
		!s.ReadUint64(&seq) || !s.ReadUint16LengthPrefixed(&pair) {
		return Subscriber{}, fmt.Errorf("%w: subscriber record truncated at byte %d", ErrMalformed, len(b)-len(s))
	}
	if !s.Empty() {
		return Subscriber{}, fmt.Errorf("%w: subscriber record: %d trailing bytes", ErrMalformed, len(s))
	}
	p, err := keystore.ParsePair(pair)
	if err != nil {
		return Subscriber{}, fmt.Errorf("%w: subscriber record: %w", ErrMalformed, err)
	}
	sub := Subscriber{ICCID: escrow.ICCID(iccid), IMSI: string(imsi), Pair: p, SEQ: seq}
	if err := sub.Validate(); err != nil {
		sub.Wipe()
		return Subscriber{}, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	return sub, nil
}

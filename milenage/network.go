package milenage

import (
	"crypto/subtle"
	"fmt"
)

// Vector is a UMTS authentication vector (quintet) RAND, XRES, CK, IK, AUTN
// as the HE/AuC generates it (TS 33.102 §6.3.2).
type Vector struct {
	RAND RAND
	XRES RES
	CK   Key
	IK   Key
	AUTN AUTN
}

// NewVector computes the authentication vector for RAND, SQN and AMF
// (TS 33.102 §6.3.2): MAC = f1(SQN ‖ RAND ‖ AMF), XRES = f2, CK = f3,
// IK = f4, AK = f5 and AUTN = SQN ⊕ AK ‖ AMF ‖ MAC. It does not allocate.
func NewVector(alg Algorithm, rand RAND, sqn SQN, amf AMF) (v Vector) {
	o := alg.Compute(rand, sqn, amf, FuncsVector)
	v.RAND = rand
	v.XRES = o.RES
	v.CK = o.CK
	v.IK = o.IK
	v.AUTN = NewAUTN(sqn, o.AK, amf, o.MACA)
	return v
}

// Triplet converts the quintet to a GSM triplet's SRES and Kc with c2 and c3
// (TS 33.102 §6.8.2.1 via §6.8.1.2), as a VLR/SGSN without UMTS does.
func (v *Vector) Triplet() (SRES, Kc) { return C2(v.XRES), C3(v.CK, v.IK) }

// VerifyAUTS is the HE/AuC side of resynchronisation (TS 33.102 §6.3.5):
// it recovers SQN_MS = (SQN_MS ⊕ AK*) ⊕ f5*(RAND) from AUTS and checks
// MAC-S = f1*(SQN_MS ‖ RAND ‖ AMF*) with the dummy AMF* = 0000 (§6.3.3) in
// constant time. rand is the RAND of the vector the USIM rejected. A MAC-S
// that does not verify yields ErrInvalidAUTS.
func VerifyAUTS(alg Algorithm, rand RAND, auts AUTS) (SQN, error) {
	o := alg.Compute(rand, auts.ConcealedSQN(), AMFResync, SQNConcealedStar|F1Star)
	sqnMS := auts.ConcealedSQN() ^ o.AKStar.sqn()
	xmacS, got := o.MACS, auts.MAC()
	if subtle.ConstantTimeCompare(xmacS[:], got[:]) != 1 {
		return 0, fmt.Errorf("%w (TS 33.102 §6.3.5)", ErrInvalidAUTS)
	}
	return sqnMS, nil
}

// DefaultINDBits is the IND length (TS 33.102 Annex C.1) commonly deployed,
// giving a = 32 array entries in the USIM (Annex C.2.2); it is also
// osmo-auc-gen's default.
const DefaultINDBits = 5

// MaxINDBits is the longest IND this package supports: 64 entries in the
// USIM array of TS 33.102 Annex C.2.2.
const MaxINDBits = 6

// SQNScheme splits a sequence number into SEQ ‖ IND, IND being the low
// INDBits bits (TS 33.102 Annex C.1).
type SQNScheme struct {
	INDBits uint8
}

// DefaultSQNScheme splits SQN as SEQ ‖ IND with a 5-bit IND (TS 33.102
// Annex C.1).
var DefaultSQNScheme = SQNScheme{INDBits: DefaultINDBits}

// SEQ returns the SEQ part of sqn (TS 33.102 Annex C.1).
func (s SQNScheme) SEQ(sqn SQN) uint64 { return uint64(sqn&MaxSQN) >> s.INDBits }

// IND returns the IND part of sqn (TS 33.102 Annex C.1).
func (s SQNScheme) IND(sqn SQN) uint { return uint(sqn) & (1<<s.INDBits - 1) }

// Join returns SEQ ‖ IND (TS 33.102 Annex C.1), or ErrParam if a part does
// not fit.
func (s SQNScheme) Join(seq uint64, ind uint) (SQN, error) {
	if s.INDBits > MaxINDBits {
		return 0, fmt.Errorf("%w: IND length %d bits, want 0..%d", ErrParam, s.INDBits, MaxINDBits)
	}
	if ind >= 1<<s.INDBits {
		return 0, fmt.Errorf("%w: IND %d does not fit %d bits", ErrParam, ind, s.INDBits)
	}
	if seq > uint64(MaxSQN)>>s.INDBits {
		return 0, fmt.Errorf("%w: SEQ %#x exceeds %d bits", ErrSQNExhausted, seq, 48-s.INDBits)
	}
	return SQN(seq<<s.INDBits) | SQN(ind), nil
}

// Next returns the sequence number the HE/AuC uses after last: SEQ(last)+1
// with the given IND (TS 33.102 Annex C.1: SEQ_HE is a counter stepped for
// each new vector, IND selects the USIM array entry). After a
// resynchronisation, last is the SQN_MS recovered by VerifyAUTS (§6.3.5:
// the HE/AuC resets its counter to SQN_MS); osmo-auc-gen computes the same
// next value, ((SQN_MS + 2^INDBits) with the IND bits replaced).
func (s SQNScheme) Next(last SQN, ind uint) (SQN, error) {
	return s.Join(s.SEQ(last)+1, ind)
}

// SQNGenerator is the HE/AuC sequence number counter of TS 33.102 Annex C.1:
// SEQ is SEQ_HE, the last SEQ issued; each vector takes the next SEQ with the
// IND of the serving node it is for. Persist SEQ together with the
// subscriber.
type SQNGenerator struct {
	Scheme SQNScheme
	SEQ    uint64
}

// Next issues SEQ_HE+1 ‖ ind and advances SEQ_HE; on error (IND out of
// range, SEQ space exhausted) SEQ_HE is unchanged.
func (g *SQNGenerator) Next(ind uint) (SQN, error) {
	q, err := g.Scheme.Join(g.SEQ+1, ind)
	if err == nil {
		g.SEQ++
	}
	return q, err
}

// Resync resets SEQ_HE to the SEQ of the SQN_MS that VerifyAUTS recovered
// (TS 33.102 §6.3.5: "the HE/AuC resets the value of its counter SQN_HE to
// SQN_MS"), so the next vector is fresh for the USIM.
func (g *SQNGenerator) Resync(sqnMS SQN) { g.SEQ = g.Scheme.SEQ(sqnMS) }

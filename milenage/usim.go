package milenage

import (
	"crypto/subtle"
	"fmt"

	"github.com/uiccsim/uiccsim/apdu"
)

// DefaultDelta is the default Δ of TS 33.102 Annex C.2.1, the largest
// step SEQ - SEQ_MS a USIM accepts: 2^28 lets a working HE/AuC skip far
// ahead yet keeps the SEQ space (2^43 with a 5-bit IND) from being used up
// by fewer than 2^15 forced jumps.
const DefaultDelta = 1 << 28

// Policy holds the USIM's freshness parameters of TS 33.102 Annex C.2.
type Policy struct {
	// Delta is Δ (Annex C.2.1, protection against wrap around of the
	// counter): an SQN with SEQ - SEQ_MS > Delta is refused. Zero means
	// DefaultDelta.
	Delta uint64
	// L is the optional limit of Annex C.2.2: an SQN with
	// SEQ_MS - SEQ ≥ L is refused. Zero disables the check.
	L uint64
}

// Result is the outcome of the USIM's AKA check (TS 33.102 §6.3.3).
type Result uint8

// The three answers a USIM gives to AUTHENTICATE in 3G context
// (TS 33.102 §6.3.3, TS 31.102 §7.1.2.1).
const (
	// ResultMACFailure: MAC-A did not verify; the card answers SW 9862.
	ResultMACFailure Result = iota
	// ResultSuccess: RES, CK, IK (and Kc) with tag 'DB'.
	ResultSuccess
	// ResultSyncFailure: the SQN was not fresh; AUTS with tag 'DC'.
	ResultSyncFailure
)

var resultNames = [...]string{"MAC failure", "successful 3G authentication", "synchronisation failure"}

// String names the result as TS 31.102 §7.1.2.1 does.
func (r Result) String() string {
	if int(r) < len(resultNames) {
		return resultNames[r]
	}
	return fmt.Sprintf("Result(%d)", uint8(r))
}

// Answer is what the USIM computed for one AUTHENTICATE in 3G context.
// RES, CK, IK and Kc are set on ResultSuccess, AUTS on ResultSyncFailure.
type Answer struct {
	Result Result
	RES    RES
	CK     Key
	IK     Key
	Kc     Kc // c3(CK, IK), TS 33.102 §6.8.1.2
	AUTS   AUTS
}

// AppendResponse appends the response data of AUTHENTICATE in 3G context
// (TS 31.102 §7.1.2.1): on success 'DB' ‖ L ‖ RES ‖ '10' ‖ CK ‖ '10' ‖ IK,
// followed by '08' ‖ Kc when withKc (service n°27 "GSM Access" available);
// on synchronisation failure 'DC' ‖ '0E' ‖ AUTS. A MAC failure has no data
// (the card answers SW 9862), so dst is returned unchanged.
func (a *Answer) AppendResponse(dst []byte, withKc bool) []byte {
	switch a.Result {
	case ResultSuccess:
		dst = append(dst, 0xDB, a.RES.n)
		dst = a.RES.Append(dst)
		dst = append(dst, 16)
		dst = append(dst, a.CK[:]...)
		dst = append(dst, 16)
		dst = append(dst, a.IK[:]...)
		if withKc {
			dst = append(dst, 8)
			dst = append(dst, a.Kc[:]...)
		}
	case ResultSyncFailure:
		dst = append(dst, 0xDC, 14)
		dst = append(dst, a.AUTS[:]...)
	}
	return dst
}

// StatusWord is the status the card ends AUTHENTICATE with (TS 31.102
// §7.1.2.1, §7.3; TS 102 221 §10.2.1.5): '9000' for success and for a
// synchronisation failure (whose AUTS travels as data), '9862'
// "authentication error, incorrect MAC" for a MAC failure.
func (a *Answer) StatusWord() apdu.StatusWord {
	if a.Result == ResultMACFailure {
		return apdu.SWAuthIncorrectMAC
	}
	return apdu.SWOK
}

// Authenticate is the USIM side of AKA (TS 33.102 §6.3.3 with the Annex C.2
// array scheme). It computes AK = f5(RAND), recovers SQN = (SQN ⊕ AK) ⊕ AK,
// and checks XMAC = f1(SQN ‖ RAND ‖ AMF) against the MAC of AUTN in constant
// time; a mismatch answers ResultMACFailure with an error wrapping
// ErrMACFailure. It then checks freshness, refusing with ResultSyncFailure
// (AUTS = SQN_MS ⊕ f5*(RAND) ‖ f1*(SQN_MS ‖ RAND ‖ 0000), error wrapping
// ErrSyncFailure and naming the rule) when any of these holds:
//
//   - SEQ ≤ SEQ_MS(IND) (Annex C.2.2),
//   - SEQ - SEQ_MS > Δ (Annex C.2.1, SEQ_MS the highest SEQ in the array),
//   - L is set and SEQ_MS - SEQ ≥ L (Annex C.2.2).
//
// Otherwise it sets SEQ_MS(IND) = SEQ and answers ResultSuccess with RES,
// CK, IK and Kc = c3(CK, IK). st changes only on success, so a card persists
// it (SQNState.Append) before sending the response. It does not allocate.
func (p Policy) Authenticate(alg Algorithm, st *SQNState, rand RAND, autn AUTN) (Answer, error) {
	var a Answer
	o := alg.Compute(rand, autn.ConcealedSQN(), autn.AMF(), SQNConcealed|F1|F2|F3|F4)
	sqn := autn.ConcealedSQN() ^ o.AK.sqn()
	mac := autn.MAC()
	if subtle.ConstantTimeCompare(o.MACA[:], mac[:]) != 1 {
		a.Result = ResultMACFailure
		return a, fmt.Errorf("%w: AUTN MAC-A does not verify (TS 33.102 §6.3.3)", ErrMACFailure)
	}
	scheme := st.Scheme()
	seq, ind := scheme.SEQ(sqn), scheme.IND(sqn)
	delta := p.Delta
	if delta == 0 {
		delta = DefaultDelta
	}
	own := st.seq[ind]
	var why string
	switch {
	case seq <= own:
		why = "SEQ not above SEQ_MS(IND) (TS 33.102 Annex C.2.2)"
	case seq-own <= delta && p.L == 0:
		// SEQ_MS ≥ SEQ_MS(IND), so SEQ - SEQ_MS ≤ Δ too: no need to scan
		// the array on the common path.
	default:
		seqMS := st.highestSEQ()
		switch {
		case seq > seqMS && seq-seqMS > delta:
			why = "SEQ - SEQ_MS exceeds Δ (TS 33.102 Annex C.2.1)"
		case p.L != 0 && seqMS > seq && seqMS-seq >= p.L:
			why = "SEQ_MS - SEQ reaches L (TS 33.102 Annex C.2.2)"
		}
	}
	if why != "" {
		a.Result = ResultSyncFailure
		a.AUTS = ResyncToken(alg, rand, st.Highest())
		return a, fmt.Errorf("%w: %s", ErrSyncFailure, why)
	}
	st.seq[ind] = seq
	a.Result = ResultSuccess
	a.RES, a.CK, a.IK = o.RES, o.CK, o.IK
	a.Kc = C3(o.CK, o.IK)
	return a, nil
}

// ResyncToken computes the AUTS a USIM holding sqnMS sends for RAND
// (TS 33.102 §6.3.3): SQN_MS ⊕ f5*(RAND) ‖ f1*(SQN_MS ‖ RAND ‖ AMF*), with
// the dummy AMF* = 0000.
func ResyncToken(alg Algorithm, rand RAND, sqnMS SQN) AUTS {
	o := alg.Compute(rand, sqnMS, AMFResync, F1Star|F5Star)
	return NewAUTS(sqnMS, o.AKStar, o.MACS)
}

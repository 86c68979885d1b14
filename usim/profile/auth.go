package profile

import (
	"encoding/hex"
	"strings"
)

// Algorithm names the AKA algorithm set of the card.
type Algorithm string

// Algorithms a profile may choose.
const (
	Milenage Algorithm = "milenage" // 3GPP TS 35.206
	XOR      Algorithm = "xor"      // test algorithm of 3GPP TS 34.108 §8.1.2
)

// MaxINDBits is the largest IND length of the SQN array (TS 33.102 Annex C
// suggests 5; the milenage package supports up to 6).
const MaxINDBits = 6

// Auth is the authentication configuration of the USIM.
type Auth struct {
	Comment   string    `json:"_comment,omitempty"`
	Algorithm Algorithm `json:"algorithm"`
	// K is the subscriber key.
	K Key128 `json:"k"`
	// OPc or OP is Milenage's operator variant; exactly one must be set
	// for Milenage, neither for XOR.
	OPc *Key128 `json:"opc,omitempty"`
	OP  *Key128 `json:"op,omitempty"`
	// RESLen is the RES length in bytes for XOR (4..16, default 8);
	// Milenage's f2 gives 8 bytes.
	RESLen int `json:"res_len,omitempty"`
	// Delta is Δ of TS 33.102 Annex C.2.1; 0 means the milenage default 2^28.
	Delta uint64 `json:"delta,omitempty"`
	// SQN is the USIM's sequence number memory.
	SQN SQNState `json:"sqn"`
}

// SQNState is the SQN array of TS 33.102 Annex C.2.2 as the profile
// carries it: IND length, SEQ_MS(i) values, and optionally SQNs to mark as
// accepted (each sets SEQ_MS(IND) = SEQ if larger).
type SQNState struct {
	Comment string `json:"_comment,omitempty"`
	INDBits int    `json:"ind_bits"`
	// SEQMS lists SEQ_MS(0), SEQ_MS(1), ...; missing entries are 0.
	SEQMS []uint64 `json:"seq_ms,omitempty"`
	// Accepted lists 48-bit SQNs (12 hex digits) the card has accepted.
	Accepted []string `json:"accepted,omitempty"`
}

// Array returns the 2^INDBits SEQ_MS values with Accepted applied.
func (s SQNState) Array() ([]uint64, error) {
	if s.INDBits < 0 || s.INDBits > MaxINDBits {
		return nil, bad("auth.sqn.ind_bits", "value %d, want 0..%d", s.INDBits, MaxINDBits)
	}
	n := 1 << s.INDBits
	if len(s.SEQMS) > n {
		return nil, bad("auth.sqn.seq_ms", "%d entries, the array of IND length %d has %d", len(s.SEQMS), s.INDBits, n)
	}
	limit := uint64(1)<<(48-s.INDBits) - 1
	out := make([]uint64, n)
	for i, v := range s.SEQMS {
		if v > limit {
			return nil, bad(idx("auth.sqn.seq_ms", i), "SEQ %d exceeds %d bits", v, 48-s.INDBits)
		}
		out[i] = v
	}
	for i, h := range s.Accepted {
		b, err := hex.DecodeString(strings.TrimSpace(h))
		if err != nil || len(b) != 6 {
			return nil, bad(idx("auth.sqn.accepted", i), "want 12 hex digits (48-bit SQN), got %q", h)
		}
		var q uint64
		for _, c := range b {
			q = q<<8 | uint64(c)
		}
		seq, ind := q>>s.INDBits, q&(1<<s.INDBits-1)
		out[ind] = max(out[ind], seq)
	}
	return out, nil
}

func (a *Auth) validate(f string) error {
	switch a.Algorithm {
	case Milenage:
		if (a.OPc == nil) == (a.OP == nil) {
			return bad(f+".opc", "Milenage needs exactly one of opc and op")
		}
		if a.RESLen != 0 && a.RESLen != 8 {
			return bad(f+".res_len", "Milenage's RES is 8 bytes, got %d", a.RESLen)
		}
	case XOR:
		if a.OPc != nil || a.OP != nil {
			return bad(f+".opc", "the XOR algorithm takes no OP/OPc")
		}
		if a.RESLen != 0 && (a.RESLen < 4 || a.RESLen > 16) {
			return bad(f+".res_len", "value %d, want 4..16", a.RESLen)
		}
	default:
		return bad(f+".algorithm", "%q, want %q or %q", a.Algorithm, Milenage, XOR)
	}
	if a.K.IsZero() {
		return bad(f+".k", "missing (all zero)")
	}
	if a.Delta != 0 && a.Delta >= 1<<43 {
		return bad(f+".delta", "value %d too large", a.Delta)
	}
	_, err := a.SQN.Array()
	return err
}

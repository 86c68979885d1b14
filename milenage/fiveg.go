package milenage

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
)

// Key256 is a 256-bit derived key such as K_AUSF or K_SEAF
// (TS 33.501 Annex A.2, A.6). It never prints its value.
type Key256 [32]byte

// String returns a redacted placeholder; a Key256 is never printed.
func (Key256) String() string { return "Key256(redacted)" }

// GoString returns a redacted placeholder.
func (Key256) GoString() string { return "milenage.Key256(redacted)" }

// Format prints the redacted placeholder for every verb.
func (k Key256) Format(f fmt.State, verb rune) { _, _ = f.Write([]byte(k.String())) }

// RESStar is RES* or XRES* of 5G AKA (TS 33.501 Annex A.4), 128 bits.
type RESStar [16]byte

// String returns RES* as lower-case hex.
func (r RESStar) String() string { return hex.EncodeToString(r[:]) }

// Equal compares RES* values in constant time.
func (r RESStar) Equal(o RESStar) bool { return subtle.ConstantTimeCompare(r[:], o[:]) == 1 }

// HXRESStar is HXRES* or HRES* of 5G AKA (TS 33.501 Annex A.5), 128 bits.
type HXRESStar [16]byte

// String returns HXRES* as lower-case hex.
func (h HXRESStar) String() string { return hex.EncodeToString(h[:]) }

// KDF is the generic key derivation function of TS 33.220 Annex B.2:
// HMAC-SHA-256(key, S) with S = FC ‖ P0 ‖ L0 ‖ P1 ‖ L1 ‖ ..., each Li being
// the 2-byte big-endian length of Pi.
func KDF(key []byte, fc byte, params ...[]byte) [32]byte {
	h := hmac.New(sha256.New, key)
	var l [2]byte
	h.Write([]byte{fc})
	for _, p := range params {
		h.Write(p)
		l[0], l[1] = byte(len(p)>>8), byte(len(p))
		h.Write(l[:])
	}
	var out [32]byte
	h.Sum(out[:0])
	return out
}

// ServingNetworkName builds the serving network name of TS 24.501 §9.12.1
// used by TS 33.501 §6.1.1.4: "5G:mnc<MNC>.mcc<MCC>.3gppnetwork.org", the
// MNC zero-padded to three digits. mcc must be 3 digits, mnc 2 or 3.
func ServingNetworkName(mcc, mnc string) (string, error) {
	if len(mcc) != 3 || !digits(mcc) {
		return "", fmt.Errorf("%w: MCC %q, want 3 digits", ErrParam, mcc)
	}
	if len(mnc) < 2 || len(mnc) > 3 || !digits(mnc) {
		return "", fmt.Errorf("%w: MNC %q, want 2 or 3 digits", ErrParam, mnc)
	}
	if len(mnc) == 2 {
		mnc = "0" + mnc
	}
	return "5G:mnc" + mnc + ".mcc" + mcc + ".3gppnetwork.org", nil
}

func digits(s string) bool {
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func ckik(ck, ik Key) []byte {
	k := make([]byte, 32)
	copy(k, ck[:])
	copy(k[16:], ik[:])
	return k
}

// KAUSF derives K_AUSF (TS 33.501 Annex A.2): KDF with key CK ‖ IK,
// FC = 0x6A, P0 = serving network name, P1 = SQN ⊕ AK (the first six bytes
// of AUTN).
func KAUSF(ck, ik Key, snn string, autn AUTN) Key256 {
	return KDF(ckik(ck, ik), 0x6A, []byte(snn), autn[:6])
}

// ResStar derives RES* (UE) or XRES* (HE) (TS 33.501 Annex A.4): the 128
// least significant bits of KDF with key CK ‖ IK, FC = 0x6B, P0 = serving
// network name, P1 = RAND, P2 = RES.
func ResStar(ck, ik Key, snn string, rand RAND, res RES) RESStar {
	out := KDF(ckik(ck, ik), 0x6B, []byte(snn), rand[:], res.Bytes())
	return RESStar(out[16:])
}

// HashResStar computes HXRES* (HE) or HRES* (SEAF) (TS 33.501 Annex A.5):
// the 128 least significant bits of SHA-256(RAND ‖ XRES*).
func HashResStar(rand RAND, xresStar RESStar) HXRESStar {
	var in [32]byte
	copy(in[:16], rand[:])
	copy(in[16:], xresStar[:])
	sum := sha256.Sum256(in[:])
	return HXRESStar(sum[16:])
}

// KSEAF derives K_SEAF from K_AUSF (TS 33.501 Annex A.6): KDF with
// FC = 0x6C, P0 = serving network name.
func KSEAF(kausf Key256, snn string) Key256 {
	return KDF(kausf[:], 0x6C, []byte(snn))
}

// Vector5G is a 5G HE AV (TS 33.501 §6.1.3.2): RAND, AUTN, XRES* and
// K_AUSF, plus the HXRES* the AUSF gives the SEAF.
type Vector5G struct {
	RAND      RAND
	AUTN      AUTN
	XRESStar  RESStar
	HXRESStar HXRESStar
	KAUSF     Key256
}

// FiveG turns a UMTS vector into the 5G HE AV for serving network name snn
// (TS 33.501 §6.1.3.2, Annex A.2, A.4, A.5), so a 5G AKA exchange can be
// verified from the same RAND, SQN and AMF.
func (v *Vector) FiveG(snn string) Vector5G {
	x := ResStar(v.CK, v.IK, snn, v.RAND, v.XRES)
	return Vector5G{
		RAND:      v.RAND,
		AUTN:      v.AUTN,
		XRESStar:  x,
		HXRESStar: HashResStar(v.RAND, x),
		KAUSF:     KAUSF(v.CK, v.IK, snn, v.AUTN),
	}
}

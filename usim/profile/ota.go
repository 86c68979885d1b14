package profile

import (
	"encoding/hex"
	"strings"

	"github.com/uiccsim/uiccsim/usim/ef"
)

// OTAKey is one SCP80 key (ETSI TS 102 225 §5.1): the algorithm and the key
// bytes as hex.
type OTAKey struct {
	// Algorithm is "aes" (TS 102 225 §5.1.3, 16/24/32-byte key) or "des3"
	// (triple DES in outer CBC, 16- or 24-byte key).
	Algorithm string `json:"algorithm"`
	Key       Secret `json:"key"`
}

// Bytes decodes the key (after Validate succeeded).
func (k OTAKey) Bytes() []byte {
	b, _ := hex.DecodeString(strings.TrimSpace(string(k.Key)))
	return b
}

func (k OTAKey) validate(f string) error {
	b, err := hex.DecodeString(strings.TrimSpace(string(k.Key)))
	if err != nil {
		return bad(f+".key", "not hex")
	}
	switch k.Algorithm {
	case "aes":
		if len(b) != 16 && len(b) != 24 && len(b) != 32 {
			return bad(f+".key", "AES key of %d bytes, want 16, 24 or 32", len(b))
		}
	case "des3":
		if len(b) != 16 && len(b) != 24 {
			return bad(f+".key", "3DES key of %d bytes, want 16 or 24", len(b))
		}
	default:
		return bad(f+".algorithm", "%q, want \"aes\" or \"des3\"", k.Algorithm)
	}
	return nil
}

// OTAKeySet is a key set of the card's remote management (ETSI TS 102 225
// §5.1, TS 102 226): key version number, the ciphering key KIc and the
// signature key KID, the TARs that use it, and the replay counter.
type OTAKeySet struct {
	Comment string `json:"_comment,omitempty"`
	// KVN is the key version number, 1..15 (TS 102 225 §5.1.2).
	KVN int    `json:"kvn"`
	KIc OTAKey `json:"kic"`
	KID OTAKey `json:"kid"`
	// TARs lists the 3-byte toolkit application references (TS 101 220
	// §6) of the applications reached with this key set, for the OTA
	// server's records. The emulated card (package usim) selects keys by
	// key version number alone (TS 102 225 §5.1.2), for every TAR, and
	// does not enforce this list.
	TARs []HexBytes `json:"tars"`
	// Counter is the 5-byte replay counter CNTR, default zero.
	Counter HexBytes `json:"counter,omitempty"`
}

func validateOTA(sets []OTAKeySet) error { return validateOTASets("ota_key_sets", sets, true) }

// validateOTASets checks key sets under the JSON path field; needTAR
// demands each set to list its TARs (a key pair's sets may leave them out:
// they serve the same TARs as the top-level sets they replace).
func validateOTASets(field string, sets []OTAKeySet, needTAR bool) error {
	seen := map[int]bool{}
	for i, s := range sets {
		f := idx(field, i)
		if s.KVN < 1 || s.KVN > 15 {
			return bad(f+".kvn", "value %d, want 1..15", s.KVN)
		}
		if seen[s.KVN] {
			return bad(f+".kvn", "key version %d listed twice", s.KVN)
		}
		seen[s.KVN] = true
		if err := s.KIc.validate(f + ".kic"); err != nil {
			return err
		}
		if err := s.KID.validate(f + ".kid"); err != nil {
			return err
		}
		if len(s.TARs) == 0 && needTAR {
			return bad(f+".tars", "no TAR")
		}
		for j, t := range s.TARs {
			if len(t) != 3 {
				return bad(idx(f+".tars", j), "TAR of %d bytes, want 3", len(t))
			}
		}
		if s.Counter != nil && len(s.Counter) != 5 {
			return bad(f+".counter", "%d bytes, want 5", len(s.Counter))
		}
	}
	return nil
}

// KeyPair is one entry of the pre-configured, indexed credential list of
// 3GPP TR 33.812 alternative 3b: an index the network names, the IMSI and
// K (with the Milenage OPc) the card switches to, and the OTA key sets
// (ETSI TS 102 225 §5.1.2) that come with the pair ("K/OTA key pair",
// TR 33.812 §5.3.2.2 step 2). Pair 0 is the initial subscription: its IMSI,
// K and OPc must be the profile's own, and when it lists no OTA key sets it
// takes the profile's top-level ota_key_sets.
type KeyPair struct {
	Comment string  `json:"_comment,omitempty"`
	Index   int     `json:"index"`
	IMSI    string  `json:"imsi"`
	K       Key128  `json:"k"`
	OPc     *Key128 `json:"opc,omitempty"`
	// OTAKeySets are the pair's OTA key sets; their TARs may be left out.
	OTAKeySets []OTAKeySet `json:"ota_key_sets,omitempty"`
}

func validateKeyPairs(l []KeyPair) error {
	seen := map[int]bool{}
	for i, kp := range l {
		f := idx("key_pairs", i)
		if kp.Index < 0 || kp.Index > 255 {
			return bad(f+".index", "value %d, want 0..255", kp.Index)
		}
		if seen[kp.Index] {
			return bad(f+".index", "index %d listed twice", kp.Index)
		}
		seen[kp.Index] = true
		if _, err := ef.NewIMSI(kp.IMSI); err != nil {
			return badEF(f+".imsi", err)
		}
		if kp.K.IsZero() {
			return bad(f+".k", "missing (all zero)")
		}
		if err := validateOTASets(f+".ota_key_sets", kp.OTAKeySets, false); err != nil {
			return err
		}
	}
	return nil
}

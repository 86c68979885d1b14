package cardapp

import (
	"fmt"

	"github.com/uiccsim/uiccsim/keystore"
	"github.com/uiccsim/uiccsim/usim/ef"
)

// AppendSwitch appends the C-APDU SWITCH (80 E2 00 00, see the package
// documentation) moving the card to pair index with the given IMSI, for an
// OTA server's script.
func AppendSwitch(dst []byte, index int, imsi ef.IMSI) ([]byte, error) {
	if index < 0 || index >= keystore.MaxPairs {
		return dst, fmt.Errorf("cardapp: SWITCH index %d outside 0..%d", index, keystore.MaxPairs-1)
	}
	if imsi.IsZero() {
		return dst, fmt.Errorf("cardapp: SWITCH without IMSI")
	}
	var body [2 + 1 + 2 + 9]byte
	b := append(body[:0], TagIndex, 1, byte(index), TagIMSI, 9)
	b = imsi.Append(b)
	if len(b) != len(body) {
		return dst, fmt.Errorf("cardapp: EF_IMSI encoding of %d bytes, want 9", len(b)-5)
	}
	dst = append(dst, CLA, INSSwitch, 0, 0, byte(len(b)))
	return append(dst, b...), nil
}

// AppendReplaceKeys appends the C-APDU REPLACE KEYS (80 E4, see the package
// documentation) installing p's K, OPc and OTA key sets as the active pair
// (p.Index is not sent: the card replaces its active pair); resetSQN sets
// P1 01. The key sets' counters are not sent (the card starts them at 0).
func AppendReplaceKeys(dst []byte, p *keystore.Pair, resetSQN bool) ([]byte, error) {
	if err := p.Validate(); err != nil {
		return dst, err
	}
	body := make([]byte, 0, 36+len(p.OTA)*80)
	defer clear(body[:cap(body)])
	body = append(body, TagK, 16)
	body = append(body, p.K[:]...)
	body = append(body, TagOPc, 16)
	body = append(body, p.OPc[:]...)
	for i := range p.OTA {
		s := &p.OTA[i]
		kic, kid := s.KIc.Bytes(), s.KID.Bytes()
		n := 3 + 2 + 1 + len(kic) + 2 + 1 + len(kid)
		if n > 0x7F {
			return dst, fmt.Errorf("cardapp: key set KVN %d too long for one template", s.KVN)
		}
		body = append(body, TagKeySet, byte(n), TagKVN, 1, s.KVN, TagKIc, byte(1+len(kic)), byte(s.KIc.Alg))
		body = append(body, kic...)
		body = append(body, TagKID, byte(1+len(kid)), byte(s.KID.Alg))
		body = append(body, kid...)
	}
	if len(body) > 255 {
		return dst, fmt.Errorf("cardapp: REPLACE KEYS data of %d bytes exceeds a short APDU", len(body))
	}
	p1 := byte(0)
	if resetSQN {
		p1 = P1ResetSQN
	}
	dst = append(dst, CLA, INSReplaceKeys, p1, 0, byte(len(body)))
	return append(dst, body...), nil
}

// GetState is the C-APDU GET STATE.
var GetState = []byte{CLA, INSGetState, 0x00, 0x00, 0x00}

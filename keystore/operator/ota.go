package operator

import (
	"fmt"

	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/keystore"
	"github.com/uiccsim/uiccsim/keystore/escrow"
	"github.com/uiccsim/uiccsim/ota/scp80"
	"github.com/uiccsim/uiccsim/ota/server"
	"github.com/uiccsim/uiccsim/ota/sms"
)

// SPI is the security the operator's OTA commands carry (ETSI TS 102 225
// §5.1.1): cryptographic checksum, ciphering, counter that must be higher
// than the card's; PoR always, itself with a cryptographic checksum and
// ciphered, in the SMS-DELIVER-REPORT. It meets the minimum security level
// "ciphering + CC + counter" of the key-management application and of RFM.
var SPI = scp80.NewSPI(scp80.SPIOptions{
	Integrity: scp80.CryptoChecksum, Ciphered: true, Counter: scp80.CounterHigher,
	PoR: scp80.PoRAlways, PoRIntegrity: scp80.CryptoChecksum, PoRCiphered: true,
})

// Originator is TP-OA of the operator's OTA SMS-DELIVERs (TS 23.040
// §9.2.3.7): the OTA platform's short code.
var Originator = sms.Address{TON: sms.TONUnknown, NPI: sms.NPIISDN, Digits: "12345"}

// scpAlg maps a key algorithm of package keystore to the KIc/KID coding of
// ETSI TS 102 225 §5.1.2 (AES key length follows from the key).
func scpAlg(a keystore.Algorithm) (scp80.Algorithm, error) {
	switch a {
	case keystore.AlgDES:
		return scp80.AlgDES, nil
	case keystore.Alg3DES2:
		return scp80.Alg3DES2, nil
	case keystore.Alg3DES3:
		return scp80.Alg3DES3, nil
	case keystore.AlgAES128, keystore.AlgAES192, keystore.AlgAES256:
		return scp80.AlgAES, nil
	}
	return 0, fmt.Errorf("%w: OTA algorithm %v", ErrInvalid, a)
}

// ServerCard builds the OTA server's view (package ota/server) of key set
// set for target application tar, starting after counter set.Counter.
func ServerCard(set *keystore.OTAKeySet, tar scp80.TAR) (*server.Card, error) {
	ea, err := scpAlg(set.KIc.Alg)
	if err != nil {
		return nil, err
	}
	ma, err := scpAlg(set.KID.Alg)
	if err != nil {
		return nil, err
	}
	enc, err := scp80.NewCipher(ea, scp80.Key(set.KIc.Bytes()))
	if err != nil {
		return nil, fmt.Errorf("%w: KIc: %w", ErrInvalid, err)
	}
	mac, err := scp80.NewCipher(ma, scp80.Key(set.KID.Bytes()))
	if err != nil {
		return nil, fmt.Errorf("%w: KID: %w", ErrInvalid, err)
	}
	return &server.Card{
		TAR: tar, SPI: SPI,
		KIc: scp80.NewKIc(ea, int(set.KVN)), KID: scp80.NewKID(ma, int(set.KVN)),
		Keys: scp80.Keys{Enc: enc, MAC: mac}, Counter: set.Counter,
		Originator: Originator,
	}, nil
}

// OTAResult is what an OTA command to a subscriber's card came back with.
type OTAResult struct {
	Message *server.Message
	Result  *server.Result
}

// RunOTA sends apdus (an RFM script, TS 102 226 §5, or a command of the
// key-management application) to the application tar of subscriber iccid's
// card behind tr, secured with the subscriber's first OTA key set and the next
// counter, and returns the verified PoR (server.Card.Run). The counter is
// advanced whether or not the card answers — a counter sent once is never
// sent again — and reaches the store at the next Sync.
//
// An error means no verified PoR came back (the device is offline, the card
// did not recognise the keys, the PoR does not verify); a PoR whose status
// is not PoR OK is returned without error, for the caller to judge.
func (o *Operator) RunOTA(tr apdu.Transport, iccid escrow.ICCID, tar scp80.TAR, apdus [][]byte) (OTAResult, error) {
	r, err := o.get(iccid)
	if err != nil {
		return OTAResult{}, err
	}
	defer o.markDirty(r)
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.alg == nil {
		return OTAResult{}, fmt.Errorf("%w: %s was removed", ErrUnknownSubscriber, iccid)
	}
	set := &r.sub.Pair.OTA[0]
	if r.ota == nil {
		if r.ota, err = ServerCard(set, tar); err != nil {
			return OTAResult{}, fmt.Errorf("operator %s, subscriber %s: %w", o.id, iccid, err)
		}
	}
	r.ota.TAR = tar
	r.ota.Counter = set.Counter
	m, res, err := r.ota.Run(tr, apdus)
	if m != nil {
		set.Counter = r.ota.Counter
	}
	if err != nil {
		return OTAResult{Message: m}, fmt.Errorf("operator %s, subscriber %s: OTA to %s: %w", o.id, iccid, tar, err)
	}
	return OTAResult{Message: m, Result: res}, nil
}

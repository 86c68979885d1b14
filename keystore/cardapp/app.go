package cardapp

import (
	"errors"
	"fmt"

	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/keystore"
	"github.com/uiccsim/uiccsim/ota/engine"
	"github.com/uiccsim/uiccsim/ota/rfm"
	"github.com/uiccsim/uiccsim/ota/scp80"
	"github.com/uiccsim/uiccsim/usim/ef"
)

// TAR is the toolkit application reference of the key-management
// application (a uiccsim choice, see the package documentation).
var TAR = scp80.TAR{0xBF, 0xFF, 0x33}

// MSL is the application's minimum security level: cryptographic
// checksum, ciphering, counter higher (TS 102 226 §8.2.1.3.2.4, coded like
// SPI1 of TS 102 225 §5.1.1).
const MSL scp80.MSL = 0x16

// Command coding (see the package documentation).
const (
	CLA            = 0x80
	INSSwitch      = 0xE2
	INSReplaceKeys = 0xE4
	INSGetState    = 0xCA

	TagIndex     = 0x80 // SWITCH: target index, 1 byte
	TagIMSI      = 0x81 // SWITCH: EF_IMSI content, 9 bytes
	TagK         = 0x82 // REPLACE KEYS: K, 16 bytes
	TagOPc       = 0x83 // REPLACE KEYS: OPc, 16 bytes
	TagKeySet    = 0xA0 // REPLACE KEYS: one OTA key set (constructed)
	TagKVN       = 0x84 // key set: key version number 1..15
	TagKIc       = 0x85 // key set: algorithm ‖ KIc
	TagKID       = 0x86 // key set: algorithm ‖ KID
	TagRemaining = 0x87 // GET STATE: unused pairs after the active one
	TagCount     = 0x88 // GET STATE: list length

	// P1 of REPLACE KEYS: clear the SQN array too.
	P1ResetSQN = 0x01
)

// SWExhausted answers a SWITCH while the last pair is active: the list of
// TR 33.812 §5.3.2.2 step 9 is exhausted (6A84, "not enough memory space":
// no pair left).
const SWExhausted apdu.StatusWord = 0x6A84

// State is what GET STATE reports.
type State struct {
	Active int // index of the active pair
	Len    int // pairs in the list, wiped ones included
}

// Host is the card the application runs on. Its methods change the card
// inside the ENVELOPE command's store transaction and return keystore's
// sentinel errors (ErrExhausted, ErrBackward, ErrIndexOutOfRange) for a
// refused move, leaving everything unchanged.
type Host interface {
	// KeyState reports the key-pair list.
	KeyState() State
	// Switch makes pair to the active pair, writes EF_IMSI, wipes the
	// pairs left behind, clears the SQN array and the new pair's OTA
	// counters, all in one transaction.
	Switch(to int, imsi []byte) error
	// ReplaceKeys installs p as the active pair (p.Index must be the
	// active index), clearing the SQN array when resetSQN.
	ReplaceKeys(p keystore.Pair, resetSQN bool) error
}

// App is the key-management application: an engine.Application (and
// engine.Follower) to install at TAR with MSL.
type App struct {
	Host Host

	refresh bool // a SWITCH succeeded in the last script
	fu      []byte
}

var (
	_ engine.Application = (*App)(nil)
	_ engine.Follower    = (*App)(nil)
)

// Run implements engine.Application: it runs the compact script data and
// appends the compact response (TS 102 226 §5.1.2).
func (a *App) Run(dst, data []byte) []byte {
	a.refresh = false
	dst, _ = rfm.RunCompact(dst, data, rfm.ExecFunc(a.exec))
	return dst
}

// FollowUp implements engine.Follower: after a SWITCH, REFRESH in UICC
// reset mode (TS 102 223 §6.4.7), so the terminal restarts the card and
// reads the new IMSI.
func (a *App) FollowUp() []byte {
	if !a.refresh {
		return nil
	}
	a.refresh = false
	var err error
	a.fu, err = engine.AppendRefresh(a.fu[:0], 1, engine.RefreshUICCReset, nil, nil)
	if err != nil {
		return nil
	}
	return a.fu
}

func (a *App) exec(cmd, dst []byte) []byte {
	c, err := apdu.ParseCommand(cmd)
	if err != nil {
		return appendSW(dst, apdu.SWWrongLength)
	}
	start := len(dst)
	dst, err = a.process(&c, dst)
	if err != nil {
		var sw apdu.StatusWord
		if !errors.As(err, &sw) {
			sw = apdu.SWTechnicalProblem
		}
		return appendSW(dst[:start], sw)
	}
	return appendSW(dst, apdu.SWOK)
}

func appendSW(dst []byte, sw apdu.StatusWord) []byte { return append(dst, byte(sw>>8), byte(sw)) }

func (a *App) process(c *apdu.Command, dst []byte) ([]byte, error) {
	if c.CLA != CLA {
		return dst, apdu.SWCLANotSupported
	}
	switch c.INS {
	case INSSwitch:
		if c.P1 != 0 || c.P2 != 0 {
			return dst, apdu.SWIncorrectP1P2
		}
		to, imsi, err := ParseSwitch(c.Data)
		if err != nil {
			return dst, err
		}
		if err := a.Host.Switch(to, imsi); err != nil {
			return dst, swOf(err)
		}
		a.refresh = true
		return dst, nil
	case INSReplaceKeys:
		if (c.P1 != 0 && c.P1 != P1ResetSQN) || c.P2 != 0 {
			return dst, apdu.SWIncorrectP1P2
		}
		p, err := ParseReplaceKeys(c.Data)
		if err != nil {
			return dst, err
		}
		p.Index = a.Host.KeyState().Active
		err = a.Host.ReplaceKeys(p, c.P1 == P1ResetSQN)
		p.Wipe()
		if err != nil {
			return dst, swOf(err)
		}
		return dst, nil
	case INSGetState:
		if c.P1 != 0 || c.P2 != 0 {
			return dst, apdu.SWIncorrectP1P2
		}
		if len(c.Data) != 0 {
			return dst, apdu.SWWrongLength
		}
		s := a.Host.KeyState()
		return append(dst, TagIndex, 1, byte(s.Active), TagRemaining, 1, byte(s.Len-1-s.Active), TagCount, 1, byte(s.Len)), nil
	}
	return dst, apdu.SWINSNotSupported
}

// swOf maps the host's refusal to the status word of the package
// documentation.
func swOf(err error) apdu.StatusWord {
	var sw apdu.StatusWord
	switch {
	case errors.Is(err, keystore.ErrExhausted):
		return SWExhausted
	case errors.Is(err, keystore.ErrBackward):
		return apdu.SWConditionsNotSatisfied
	case errors.Is(err, keystore.ErrIndexOutOfRange):
		return apdu.SWReferencedDataNotFound
	case errors.Is(err, keystore.ErrInvalid):
		return apdu.SWIncorrectDataField
	case errors.As(err, &sw):
		return sw
	}
	return apdu.SWTechnicalProblem
}

// ParseSwitch reads the data of SWITCH: 80 01 index, 81 09 EF_IMSI, each
// exactly once, in any order, nothing else. The IMSI must decode (3GPP TS
// 31.102 §4.2.2); the returned slice aliases data.
func ParseSwitch(data []byte) (to int, imsi []byte, err error) {
	if len(data) == 0 {
		return 0, nil, apdu.SWWrongLength
	}
	to = -1
	for len(data) > 0 {
		tag, v, rest, ok := nextTLV(data)
		if !ok {
			return 0, nil, apdu.SWIncorrectDataField
		}
		data = rest
		switch {
		case tag == TagIndex && len(v) == 1 && to < 0:
			to = int(v[0])
		case tag == TagIMSI && len(v) == 9 && imsi == nil:
			imsi = v
		default:
			return 0, nil, apdu.SWIncorrectDataField
		}
	}
	if to < 0 || imsi == nil {
		return 0, nil, apdu.SWIncorrectDataField
	}
	if _, err := ef.ParseIMSI(imsi); err != nil {
		return 0, nil, apdu.SWIncorrectDataField
	}
	return to, imsi, nil
}

// ParseReplaceKeys reads the data of REPLACE KEYS into a pair (Index left
// 0): 82 K, 83 OPc, then one A0 template per OTA key set with 84 KVN, 85
// alg‖KIc and 86 alg‖KID. K is mandatory, OPc too (zero is refused), key
// sets are validated by keystore.
func ParseReplaceKeys(data []byte) (keystore.Pair, error) {
	var p keystore.Pair
	if len(data) == 0 {
		return p, apdu.SWWrongLength
	}
	var haveK, haveOPc bool
	fail := func() (keystore.Pair, error) { p.Wipe(); return keystore.Pair{}, apdu.SWIncorrectDataField }
	for len(data) > 0 {
		tag, v, rest, ok := nextTLV(data)
		if !ok {
			return fail()
		}
		data = rest
		switch {
		case tag == TagK && len(v) == 16 && !haveK:
			copy(p.K[:], v)
			haveK = true
		case tag == TagOPc && len(v) == 16 && !haveOPc:
			copy(p.OPc[:], v)
			haveOPc = true
		case tag == TagKeySet && haveK:
			s, ok := parseKeySet(v)
			if !ok || len(p.OTA) >= keystore.MaxOTAKeySets {
				return fail()
			}
			p.OTA = append(p.OTA, s)
		default:
			return fail()
		}
	}
	if !haveK || !haveOPc || p.K.IsZero() {
		return fail()
	}
	if err := p.Validate(); err != nil {
		return fail()
	}
	return p, nil
}

func parseKeySet(b []byte) (keystore.OTAKeySet, bool) {
	var s keystore.OTAKeySet
	var kvn, kic, kid []byte
	for len(b) > 0 {
		tag, v, rest, ok := nextTLV(b)
		if !ok {
			return s, false
		}
		b = rest
		switch {
		case tag == TagKVN && len(v) == 1 && kvn == nil:
			kvn = v
		case tag == TagKIc && len(v) > 1 && kic == nil:
			kic = v
		case tag == TagKID && len(v) > 1 && kid == nil:
			kid = v
		default:
			return s, false
		}
	}
	if kvn == nil || kic == nil || kid == nil {
		return s, false
	}
	var err error
	s.KVN = kvn[0]
	if s.KIc, err = keystore.NewOTAKey(keystore.Algorithm(kic[0]), kic[1:]); err != nil {
		return s, false
	}
	if s.KID, err = keystore.NewOTAKey(keystore.Algorithm(kid[0]), kid[1:]); err != nil {
		return s, false
	}
	return s, s.Validate() == nil
}

// nextTLV reads one BER-TLV with a one-byte tag and a short or 81 length.
func nextTLV(b []byte) (tag byte, val, rest []byte, ok bool) {
	if len(b) < 2 {
		return 0, nil, nil, false
	}
	tag, n, i := b[0], int(b[1]), 2
	switch {
	case n == 0x81 && len(b) >= 3:
		n, i = int(b[2]), 3
	case n > 0x7F:
		return 0, nil, nil, false
	}
	if n > len(b)-i {
		return 0, nil, nil, false
	}
	return tag, b[i : i+n], b[i+n:], true
}

// String describes the state as GET STATE reports it.
func (s State) String() string {
	return fmt.Sprintf("key pair %d of 0..%d active, %d unused", s.Active, s.Len-1, s.Len-1-s.Active)
}

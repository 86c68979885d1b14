package profile

import (
	"errors"
	"fmt"
	"sort"
	"strconv"

	"github.com/uiccsim/uiccsim/usim/ef"
)

// ErrInvalid is wrapped by every validation error.
var ErrInvalid = errors.New("profile: invalid")

// FieldError names the JSON path of a bad field and says what was wrong.
type FieldError struct {
	Field  string // JSON path, e.g. "auth.opc" or `files["ADF.USIM/EF.SPN"].spn.name`
	Reason string
	Err    error // the underlying cause (an ef sentinel error), may be nil
}

// Error formats "profile: FIELD: reason".
func (e *FieldError) Error() string { return "profile: " + e.Field + ": " + e.Reason }

// Unwrap returns ErrInvalid and the cause, for errors.Is.
func (e *FieldError) Unwrap() []error {
	if e.Err != nil {
		return []error{ErrInvalid, e.Err}
	}
	return []error{ErrInvalid}
}

func bad(field, format string, a ...any) error {
	return &FieldError{Field: field, Reason: fmt.Sprintf(format, a...)}
}

// badEF turns a codec's error into a FieldError that keeps the codec's
// reason text and sentinel.
func badEF(field string, err error) error {
	var e *ef.Error
	if errors.As(err, &e) {
		return &FieldError{Field: field, Reason: e.Reason, Err: e.Err}
	}
	return &FieldError{Field: field, Reason: err.Error(), Err: err}
}

// Profile describes one card. The zero value is not valid; start from
// Default or Load.
type Profile struct {
	Comment string `json:"_comment,omitempty"`
	// Name is free text identifying the profile.
	Name string `json:"name,omitempty"`
	// ICCID is the card's EF_ICCID (TS 102 221 §13.2), 1 to 20 digits; a
	// 19- or 20-digit ICCID must end in its Luhn check digit.
	ICCID string `json:"iccid"`
	// IMSI is EF_IMSI (TS 31.102 §4.2.2), 6 to 15 digits.
	IMSI string `json:"imsi"`
	// MNCLen is the number of MNC digits in the IMSI (2 or 3), EF_AD byte 4.
	MNCLen int `json:"mnc_len"`
	// USIMAID is the AID of ADF.USIM in EF_DIR; empty means DefaultUSIMAID.
	USIMAID HexBytes `json:"usim_aid,omitempty"`
	// Auth holds the AKA algorithm, secrets and SQN state.
	Auth Auth `json:"auth"`
	// PINs holds the PIN, PUK and ADM values and counters.
	PINs PINs `json:"pins"`
	// Files overrides the default content of elementary files, by path
	// relative to the MF ("EF.ICCID", "ADF.USIM/EF.SPN"); see Layout.
	Files map[string]File `json:"files,omitempty"`
	// OTAKeySets are the SCP80 key sets (ETSI TS 102 225) the card holds.
	OTAKeySets []OTAKeySet `json:"ota_key_sets,omitempty"`
	// KeyPairs is the pre-configured indexed list of subscription
	// credentials of 3GPP TR 33.812 alternative 3b.
	KeyPairs []KeyPair `json:"key_pairs,omitempty"`
	// OTAApps installs the applications reachable by OTA; empty means
	// the defaults of package usim (RFM of the UICC and of ADF.USIM, and
	// the key-management application).
	OTAApps []OTAApp `json:"ota_apps,omitempty"`
}

// DefaultUSIMAID is the USIM AID the default EF_DIR lists: the 3GPP USIM
// RID ‖ application code 'A0000000871002' (TS 101 220 Annex E) with the
// country/provider fields of the ETSI test AID 'FFFFFFFF89', application
// provider field '07090000'.
var DefaultUSIMAID = HexBytes{0xA0, 0x00, 0x00, 0x00, 0x87, 0x10, 0x02, 0xFF, 0xFF, 0xFF, 0xFF, 0x89, 0x07, 0x09, 0x00, 0x00}

// AID returns the USIM AID in use.
func (p *Profile) AID() []byte {
	if len(p.USIMAID) == 0 {
		return DefaultUSIMAID
	}
	return p.USIMAID
}

// ParsedICCID returns the validated ICCID.
func (p *Profile) ParsedICCID() (ef.ICCID, error) {
	c, err := ef.NewICCID(p.ICCID)
	if err != nil {
		return c, badEF("iccid", err)
	}
	if len(p.ICCID) >= 19 && !c.LuhnValid() {
		want, _ := ef.Luhn(p.ICCID[:len(p.ICCID)-1])
		return c, bad("iccid", "check digit %c fails the Luhn check (want %d)", p.ICCID[len(p.ICCID)-1], want)
	}
	return c, nil
}

// ParsedIMSI returns the validated IMSI.
func (p *Profile) ParsedIMSI() (ef.IMSI, error) {
	i, err := ef.NewIMSI(p.IMSI)
	if err != nil {
		return i, badEF("imsi", err)
	}
	return i, nil
}

// HPLMN returns the home PLMN: the IMSI's MCC and MNC of MNCLen digits.
func (p *Profile) HPLMN() (ef.PLMN, error) {
	i, err := p.ParsedIMSI()
	if err != nil {
		return ef.PLMN{}, err
	}
	pl, err := i.PLMN(p.MNCLen)
	if err != nil {
		return pl, badEF("mnc_len", err)
	}
	return pl, nil
}

// Validate checks every field and returns the first problem as a
// *FieldError wrapping ErrInvalid.
func (p *Profile) Validate() error {
	if _, err := p.ParsedICCID(); err != nil {
		return err
	}
	if _, err := p.ParsedIMSI(); err != nil {
		return err
	}
	if p.MNCLen != 2 && p.MNCLen != 3 {
		return bad("mnc_len", "value %d, want 2 or 3", p.MNCLen)
	}
	if n := len(p.USIMAID); n != 0 && (n < 7 || n > 16 || !ef.HasUSIMPrefix(p.USIMAID)) {
		return bad("usim_aid", "want 7 to 16 bytes starting A0000000871002, got %d bytes", n)
	}
	if err := p.Auth.validate("auth"); err != nil {
		return err
	}
	if err := p.PINs.validate("pins"); err != nil {
		return err
	}
	paths := make([]string, 0, len(p.Files))
	for k := range p.Files {
		paths = append(paths, k)
	}
	sort.Strings(paths)
	for _, path := range paths {
		if _, err := p.Content(path); err != nil {
			return err
		}
	}
	if err := validateOTA(p.OTAKeySets); err != nil {
		return err
	}
	if err := validateKeyPairs(p.KeyPairs); err != nil {
		return err
	}
	if err := p.validatePairZero(); err != nil {
		return err
	}
	return validateOTAApps(p.OTAApps)
}

// validatePairZero checks that key pair 0, the initial subscription of
// TR 33.812 §5.3.2.2 step 2, is the profile's own IMSI and K.
func (p *Profile) validatePairZero() error {
	for i, kp := range p.KeyPairs {
		if kp.Index != 0 {
			continue
		}
		f := idx("key_pairs", i)
		if kp.IMSI != p.IMSI {
			return bad(f+".imsi", "pair 0 is the initial subscription and must carry the profile's imsi")
		}
		if kp.K != p.Auth.K {
			return bad(f+".k", "pair 0 is the initial subscription and must carry auth.k")
		}
		if kp.OPc != nil && p.Auth.OPc != nil && *kp.OPc != *p.Auth.OPc {
			return bad(f+".opc", "pair 0 is the initial subscription and must carry auth.opc")
		}
	}
	return nil
}

func idx(field string, i int) string { return field + "[" + strconv.Itoa(i) + "]" }

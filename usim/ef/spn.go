package ef

import "strconv"

// SPNLen is the size of EF_SPN, TS 31.102 §4.2.12.
const SPNLen = 17

// SPNDisplay is byte 1 of EF_SPN, the display condition (TS 31.102 §4.2.12).
type SPNDisplay byte

// Display condition bits of TS 31.102 §4.2.12.
const (
	// SPNShowPLMNInHPLMN (b1): display of the registered PLMN name is
	// required when the registered PLMN is the HPLMN or an EHPLMN.
	SPNShowPLMNInHPLMN SPNDisplay = 0x01
	// SPNHideWhenRoaming (b2): display of the service provider name is not
	// required when the registered PLMN is neither HPLMN nor a listed PLMN.
	SPNHideWhenRoaming SPNDisplay = 0x02
)

// String names the set conditions.
func (d SPNDisplay) String() string {
	s := "PLMN name in HPLMN: "
	if d&SPNShowPLMNInHPLMN != 0 {
		s += "required"
	} else {
		s += "not required"
	}
	s += ", SPN when roaming: "
	if d&SPNHideWhenRoaming != 0 {
		s += "not required"
	} else {
		s += "required"
	}
	return s
}

// SPN is EF_SPN, the Service Provider Name (TS 31.102 §4.2.12, FID 6F46).
type SPN struct {
	Display SPNDisplay
	Name    string
}

// String renders the file for people.
func (s SPN) String() string {
	return "SPN{" + strconv.Quote(s.Name) + ", " + s.Display.String() + "}"
}

// Append appends the 17 bytes of EF_SPN: the display condition, then Name
// coded as an alpha field (TS 31.102 Annex A) padded with 'FF' to 16 bytes.
// A name that does not fit gives an error wrapping ErrInvalid.
func (s SPN) Append(dst []byte) ([]byte, error) {
	start := len(dst)
	dst = append(dst, byte(s.Display))
	dst, err := AppendAlpha(dst, s.Name)
	if err != nil {
		return dst[:start], err
	}
	if len(dst)-start > SPNLen {
		return dst[:start], invalid("EF_SPN", "name", "coded name is "+strconv.Itoa(len(dst)-start-1)+" bytes, at most 16 fit")
	}
	return PadFF(dst, start+SPNLen), nil
}

// ParseSPN decodes EF_SPN (TS 31.102 §4.2.12).
func ParseSPN(b []byte) (SPN, error) {
	if len(b) < 1 {
		return SPN{}, malformed("EF_SPN", "display condition", 0, "content is empty")
	}
	if allFF(b) {
		return SPN{}, empty("EF_SPN")
	}
	name, err := ParseAlpha(b[1:])
	if err != nil {
		return SPN{}, malformed("EF_SPN", "name", 1, err.Error())
	}
	return SPN{Display: SPNDisplay(b[0]), Name: name}, nil
}

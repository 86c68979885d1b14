package ef

import (
	"strconv"
	"strings"
)

// OperationMode is byte 1 of EF_AD, the UE operation mode (TS 31.102 §4.2.18).
type OperationMode byte

// UE operation modes of TS 31.102 §4.2.18.
const (
	ModeNormal                      OperationMode = 0x00
	ModeTypeApproval                OperationMode = 0x80
	ModeNormalSpecificFacilities    OperationMode = 0x01
	ModeTypeApprovalSpecificFacilit OperationMode = 0x81
	ModeMaintenance                 OperationMode = 0x02 // maintenance (off line)
	ModeCellTest                    OperationMode = 0x04 // cell test operation
)

// String names the mode as TS 31.102 §4.2.18 does.
func (m OperationMode) String() string {
	switch m {
	case ModeNormal:
		return "normal operation"
	case ModeTypeApproval:
		return "type approval operations"
	case ModeNormalSpecificFacilities:
		return "normal operation + specific facilities"
	case ModeTypeApprovalSpecificFacilit:
		return "type approval operations + specific facilities"
	case ModeMaintenance:
		return "maintenance (off line)"
	case ModeCellTest:
		return "cell test operation"
	}
	return "RFU mode " + strconv.FormatUint(uint64(m), 16)
}

// ADInfo is bytes 2–3 of EF_AD, the additional information flags
// (TS 31.102 §4.2.18; byte 3 b1..b4).
type ADInfo uint16

// Flags of EF_AD bytes 2–3, TS 31.102 §4.2.18.
const (
	ADCipheringIndicator ADInfo = 0x0001 // OFM: ciphering indicator feature enabled
	ADCSGDisplayControl  ADInfo = 0x0002 // CSG display control
	ADProSeServices      ADInfo = 0x0004 // ProSe services for public safety
	ADExtendedDRX        ADInfo = 0x0008 // extended DRX cycle for NB-IoT / WB-S1
)

var adInfoNames = [...]string{"ciphering indicator", "CSG display control", "ProSe services", "extended DRX"}

// String lists the set flags, e.g. "ciphering indicator|extended DRX".
func (a ADInfo) String() string {
	var parts []string
	for i, n := range adInfoNames {
		if a&(1<<i) != 0 {
			parts = append(parts, n)
		}
	}
	if rest := a &^ 0x000F; rest != 0 {
		parts = append(parts, "RFU "+strconv.FormatUint(uint64(rest), 16))
	}
	if parts == nil {
		return "none"
	}
	return strings.Join(parts, "|")
}

// AD is EF_AD, Administrative Data (TS 31.102 §4.2.18, FID 6FAD, SFI 03).
type AD struct {
	Mode OperationMode
	Info ADInfo
	// MNCLen is the number of MNC digits in the IMSI (2 or 3), byte 4
	// b1..b4; 0 when the file has no byte 4.
	MNCLen uint8
	// Extra holds bytes 5.. (RFU) so that they survive a round trip.
	Extra []byte
}

// Append appends EF_AD: mode, 2 info bytes, MNC length (when non-zero),
// then Extra. Bits b5..b8 of byte 4 are RFU and coded 0.
func (a AD) Append(dst []byte) []byte {
	dst = append(dst, byte(a.Mode), byte(a.Info>>8), byte(a.Info))
	if a.MNCLen == 0 && len(a.Extra) == 0 {
		return dst
	}
	dst = append(dst, a.MNCLen&0x0F)
	return append(dst, a.Extra...)
}

// String renders the file for people.
func (a AD) String() string {
	return "AD{mode: " + a.Mode.String() + ", info: " + a.Info.String() + ", MNC length: " + strconv.Itoa(int(a.MNCLen)) + "}"
}

// ParseAD decodes EF_AD (TS 31.102 §4.2.18). Three bytes (no MNC length) are
// accepted as in early releases; an MNC length other than 2 or 3 is an error.
func ParseAD(b []byte) (AD, error) {
	const f = "EF_AD"
	if len(b) < 3 {
		return AD{}, malformed(f, "", len(b), "want at least 3 bytes, got "+strconv.Itoa(len(b)))
	}
	if allFF(b) {
		return AD{}, empty(f)
	}
	a := AD{Mode: OperationMode(b[0]), Info: ADInfo(b[1])<<8 | ADInfo(b[2])}
	if len(b) >= 4 {
		a.MNCLen = b[3] & 0x0F
		if a.MNCLen != 2 && a.MNCLen != 3 {
			return AD{}, malformed(f, "MNC length", 3, "value "+strconv.Itoa(int(a.MNCLen))+", want 2 or 3")
		}
		if b[3]&0xF0 != 0 {
			return AD{}, malformed(f, "MNC length", 3, "RFU bits b5..b8 set")
		}
		if len(b) > 4 {
			a.Extra = append([]byte(nil), b[4:]...)
		}
	}
	return a, nil
}

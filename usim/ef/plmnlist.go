package ef

import (
	"strconv"
	"strings"
)

// AcT is the 2-byte access technology identifier of the PLMN-with-AcT
// lists (TS 31.102 §4.2.5): byte 1 b8 UTRAN, b7 E-UTRAN, b6 E-UTRAN in
// WB-S1 mode, b5 E-UTRAN in NB-S1 mode, b4 NG-RAN, b3..b1 satellite
// NG-RAN / E-UTRAN WB-S1 / NB-S1; byte 2 b8 GSM, b7 GSM COMPACT, b6
// cdma2000 HRPD, b5 cdma2000 1xRTT, b4 and b3 the GSM / EC-GSM-IoT
// refinement of Table 4.2.5.2.
type AcT uint16

// Access technology bits (byte 1 in the high octet), TS 31.102 §4.2.5.
const (
	AcTUTRAN           AcT = 0x8000
	AcTEUTRAN          AcT = 0x4000
	AcTEUTRANWB        AcT = 0x2000
	AcTEUTRANNB        AcT = 0x1000
	AcTNGRAN           AcT = 0x0800
	AcTSatNGRAN        AcT = 0x0400
	AcTSatEUTRANWB     AcT = 0x0200
	AcTSatEUTRANNB     AcT = 0x0100
	AcTGSM             AcT = 0x0080
	AcTGSMCompact      AcT = 0x0040
	AcTCDMAHRPD        AcT = 0x0020
	AcTCDMA1xRTT       AcT = 0x0010
	AcTGSMNoECGSM      AcT = 0x0008 // with AcTGSM: refinement bit b4 of byte 2
	AcTECGSMIoT        AcT = 0x0004 // with AcTGSM: refinement bit b3 of byte 2
	AcTAllTechnologies     = AcTUTRAN | AcTEUTRAN | AcTNGRAN | AcTGSM
)

// Technologies names the selected radio access technologies, resolving
// Table 4.2.5.1 (E-UTRAN: b7 alone or with both b6 and b5 = WB-S1 and NB-S1,
// b6 = WB-S1 only, b5 = NB-S1 only) and the matching GSM table (b8 alone or
// with both b4 and b3 = GSM and EC-GSM-IoT, b4 = GSM only, b3 = EC-GSM-IoT
// only).
func (a AcT) Technologies() []string {
	var out []string
	if a&AcTUTRAN != 0 {
		out = append(out, "UTRAN")
	}
	if a&AcTEUTRAN != 0 {
		wb, nb := a&AcTEUTRANWB != 0, a&AcTEUTRANNB != 0
		if wb == nb {
			wb, nb = true, true
		}
		if nb {
			out = append(out, "E-UTRAN NB-S1")
		}
		if wb {
			out = append(out, "E-UTRAN WB-S1")
		}
	}
	if a&AcTNGRAN != 0 {
		out = append(out, "NG-RAN")
	}
	for _, s := range []struct {
		bit  AcT
		name string
	}{{AcTSatNGRAN, "satellite NG-RAN"}, {AcTSatEUTRANWB, "satellite E-UTRAN WB-S1"}, {AcTSatEUTRANNB, "satellite E-UTRAN NB-S1"}} {
		if a&s.bit != 0 {
			out = append(out, s.name)
		}
	}
	if a&AcTGSM != 0 {
		g, ec := a&AcTGSMNoECGSM != 0, a&AcTECGSMIoT != 0
		if g == ec {
			g, ec = true, true
		}
		if ec {
			out = append(out, "EC-GSM-IoT")
		}
		if g {
			out = append(out, "GSM")
		}
	}
	if a&AcTGSMCompact != 0 {
		out = append(out, "GSM COMPACT")
	}
	if a&AcTCDMAHRPD != 0 {
		out = append(out, "cdma2000 HRPD")
	}
	if a&AcTCDMA1xRTT != 0 {
		out = append(out, "cdma2000 1xRTT")
	}
	return out
}

// String joins Technologies with "|", "none" when empty.
func (a AcT) String() string {
	t := a.Technologies()
	if len(t) == 0 {
		return "none"
	}
	return strings.Join(t, "|")
}

// PLMNwAcT is one entry of EF_PLMNwAcT, EF_OPLMNwAcT or EF_HPLMNwAcT
// (TS 31.102 §4.2.5, §4.2.53, §4.2.54): 3-byte PLMN ‖ 2-byte AcT.
type PLMNwAcT struct {
	PLMN PLMN
	AcT  AcT
}

// String renders "262-01 UTRAN|GSM".
func (p PLMNwAcT) String() string { return p.PLMN.String() + " " + p.AcT.String() }

// PLMNwAcTList is the content of a PLMN-with-AcT EF: 5 bytes per entry,
// unused entries 'FFFFFF' PLMN with AcT '0000'.
type PLMNwAcTList []PLMNwAcT

// Append appends the entries, then pads with unused entries up to n
// entries (n ≤ len(l) adds none).
func (l PLMNwAcTList) Append(dst []byte, n int) []byte {
	for _, e := range l {
		dst = e.PLMN.Append(dst)
		dst = append(dst, byte(e.AcT>>8), byte(e.AcT))
	}
	for i := len(l); i < n; i++ {
		dst = append(dst, 0xFF, 0xFF, 0xFF, 0, 0)
	}
	return dst
}

// String renders the used entries separated by "; ".
func (l PLMNwAcTList) String() string {
	var p []string
	for _, e := range l {
		if !e.PLMN.IsEmpty() {
			p = append(p, e.String())
		}
	}
	return strings.Join(p, "; ")
}

// ParsePLMNwAcTList decodes a PLMN-with-AcT EF (TS 31.102 §4.2.5). All
// entries are returned, unused ones included, so positions (priorities)
// are kept. A trailing partial entry of 'FF' bytes is padding.
func ParsePLMNwAcTList(b []byte) (PLMNwAcTList, error) {
	const f = "EF_PLMNwAcT"
	if rest := len(b) % 5; rest != 0 {
		if !allFF(b[len(b)-rest:]) {
			return nil, malformed(f, "", len(b)-rest, "length "+strconv.Itoa(len(b))+" is not a multiple of 5")
		}
		b = b[:len(b)-rest]
	}
	out := make(PLMNwAcTList, 0, len(b)/5)
	for i := 0; i+5 <= len(b); i += 5 {
		p, err := ParsePLMN(b[i : i+3])
		if err != nil {
			return nil, malformed(f, "PLMN", i, err.Error())
		}
		out = append(out, PLMNwAcT{p, AcT(b[i+3])<<8 | AcT(b[i+4])})
	}
	return out, nil
}

// PLMNList is EF_FPLMN, the forbidden PLMNs (TS 31.102 §4.2.16, FID 6F7B,
// SFI 0D): 3 bytes per PLMN, unused entries 'FFFFFF'. Also EF_EHPLMN.
type PLMNList []PLMN

// Append appends the PLMNs, padding with 'FFFFFF' up to n entries.
func (l PLMNList) Append(dst []byte, n int) []byte {
	for _, p := range l {
		dst = p.Append(dst)
	}
	for i := len(l); i < n; i++ {
		dst = EmptyPLMN.Append(dst)
	}
	return dst
}

// Used returns the entries that are not 'FFFFFF'.
func (l PLMNList) Used() PLMNList {
	var out PLMNList
	for _, p := range l {
		if !p.IsEmpty() {
			out = append(out, p)
		}
	}
	return out
}

// String renders the used entries, e.g. "262-01, 262-02".
func (l PLMNList) String() string {
	var p []string
	for _, e := range l.Used() {
		p = append(p, e.String())
	}
	return strings.Join(p, ", ")
}

// ParsePLMNList decodes EF_FPLMN (TS 31.102 §4.2.16); the length must be a
// multiple of 3.
func ParsePLMNList(b []byte) (PLMNList, error) {
	if len(b)%3 != 0 {
		return nil, malformed("EF_FPLMN", "", len(b), "length "+strconv.Itoa(len(b))+" is not a multiple of 3")
	}
	out := make(PLMNList, 0, len(b)/3)
	for i := 0; i < len(b); i += 3 {
		p, err := ParsePLMN(b[i : i+3])
		if err != nil {
			return nil, malformed("EF_FPLMN", "PLMN", i, err.Error())
		}
		out = append(out, p)
	}
	return out, nil
}

// HPPLMN is EF_HPPLMN, the higher priority PLMN search period (TS 31.102
// §4.2.6, FID 6F31, SFI 12): 0 = no search attempt; otherwise the period
// in units of the "T minutes" the clause defines (TS 23.122 §4.4.3.3).
type HPPLMN byte

// String renders the period in units, e.g. "5 units" or "no search".
func (h HPPLMN) String() string {
	if h == 0 {
		return "no search"
	}
	return strconv.Itoa(int(h)) + " units"
}

// Append appends the byte.
func (h HPPLMN) Append(dst []byte) []byte { return append(dst, byte(h)) }

// ParseHPPLMN decodes EF_HPPLMN (1 byte, trailing 'FF' ignored).
func ParseHPPLMN(b []byte) (HPPLMN, error) {
	if len(b) < 1 {
		return 0, malformed("EF_HPPLMN", "", 0, "content is empty")
	}
	if len(b) > 1 && !allFF(b[1:]) {
		return 0, malformed("EF_HPPLMN", "", 1, "more than one byte")
	}
	return HPPLMN(b[0]), nil
}

package ef

import "strconv"

// LAI is a location area identification, TS 24.008 §10.5.1.3: PLMN ‖ LAC.
type LAI struct {
	PLMN PLMN
	LAC  uint16
}

// String renders "262-01 LAC 3721".
func (l LAI) String() string {
	return l.PLMN.String() + " LAC " + hexString([]byte{byte(l.LAC >> 8), byte(l.LAC)})
}

func (l LAI) append(dst []byte) []byte {
	return append(l.PLMN.Append(dst), byte(l.LAC>>8), byte(l.LAC))
}

// UpdateStatus is the location/routing/EPS update status byte, TS 31.102
// §4.2.17 (b1..b3; the other bits RFU).
type UpdateStatus byte

// Update statuses of TS 31.102 §4.2.17 / §4.2.23 / §4.2.91.
const (
	Updated        UpdateStatus = 0 // updated
	NotUpdated     UpdateStatus = 1 // not updated
	PLMNNotAllowed UpdateStatus = 2 // PLMN not allowed
	LANotAllowed   UpdateStatus = 3 // location/routing/tracking area not allowed
)

// String names the status.
func (s UpdateStatus) String() string {
	switch s & 7 {
	case Updated:
		return "updated"
	case NotUpdated:
		return "not updated"
	case PLMNNotAllowed:
		return "PLMN not allowed"
	case LANotAllowed:
		return "area not allowed"
	}
	return "reserved " + strconv.Itoa(int(s&7))
}

// LOCI is EF_LOCI, Location Information (TS 31.102 §4.2.17, FID 6F7E,
// SFI 0B): TMSI, LAI, RFU byte (TMSI TIME in earlier releases, kept as is),
// location update status. 11 bytes.
type LOCI struct {
	TMSI   [4]byte
	LAI    LAI
	RFU    byte
	Status UpdateStatus
}

// LOCILen is the size of EF_LOCI.
const LOCILen = 11

// Append appends the 11 bytes.
func (l LOCI) Append(dst []byte) []byte {
	dst = append(dst, l.TMSI[:]...)
	dst = l.LAI.append(dst)
	return append(dst, l.RFU, byte(l.Status))
}

// String renders the file.
func (l LOCI) String() string {
	return "LOCI{TMSI " + hexString(l.TMSI[:]) + ", " + l.LAI.String() + ", " + l.Status.String() + "}"
}

// ParseLOCI decodes EF_LOCI. The LAI's PLMN may be any bytes a terminal
// wrote ('FFFFFF' or a deleted 'xxFxxx' coding), so it is not validated.
func ParseLOCI(b []byte) (LOCI, error) {
	if len(b) < LOCILen {
		return LOCI{}, malformed("EF_LOCI", "", len(b), "want 11 bytes, got "+strconv.Itoa(len(b)))
	}
	var l LOCI
	copy(l.TMSI[:], b)
	l.LAI = LAI{PLMN{b[4], b[5], b[6]}, uint16(b[7])<<8 | uint16(b[8])}
	l.RFU, l.Status = b[9], UpdateStatus(b[10])
	return l, nil
}

// PSLOCI is EF_PSLOCI, PS location information (TS 31.102 §4.2.23, FID
// 6F73, SFI 0C): P-TMSI, P-TMSI signature, RAI (LAI ‖ RAC), routing area
// update status. 14 bytes.
type PSLOCI struct {
	PTMSI    [4]byte
	PTMSISig [3]byte
	LAI      LAI
	RAC      byte
	Status   UpdateStatus
}

// PSLOCILen is the size of EF_PSLOCI.
const PSLOCILen = 14

// Append appends the 14 bytes.
func (p PSLOCI) Append(dst []byte) []byte {
	dst = append(dst, p.PTMSI[:]...)
	dst = append(dst, p.PTMSISig[:]...)
	dst = p.LAI.append(dst)
	return append(dst, p.RAC, byte(p.Status))
}

// String renders the file.
func (p PSLOCI) String() string {
	return "PSLOCI{P-TMSI " + hexString(p.PTMSI[:]) + ", RAI " + p.LAI.String() + " RAC " + hexString([]byte{p.RAC}) + ", " + p.Status.String() + "}"
}

// ParsePSLOCI decodes EF_PSLOCI.
func ParsePSLOCI(b []byte) (PSLOCI, error) {
	if len(b) < PSLOCILen {
		return PSLOCI{}, malformed("EF_PSLOCI", "", len(b), "want 14 bytes, got "+strconv.Itoa(len(b)))
	}
	var p PSLOCI
	copy(p.PTMSI[:], b)
	copy(p.PTMSISig[:], b[4:])
	p.LAI = LAI{PLMN{b[7], b[8], b[9]}, uint16(b[10])<<8 | uint16(b[11])}
	p.RAC, p.Status = b[12], UpdateStatus(b[13])
	return p, nil
}

// EPSLOCI is EF_EPSLOCI, EPS location information (TS 31.102 §4.2.91, FID
// 6FE3, SFI 1E): GUTI (12 bytes, the EPS mobile identity IE of TS 24.301
// §9.9.3.12 from its length octet on), last visited registered TAI (PLMN ‖
// TAC) and EPS update status. 18 bytes.
type EPSLOCI struct {
	GUTI   [12]byte
	TAI    LAI // PLMN ‖ TAC, same layout as a LAI
	Status UpdateStatus
}

// EPSLOCILen is the size of EF_EPSLOCI.
const EPSLOCILen = 18

// Append appends the 18 bytes.
func (e EPSLOCI) Append(dst []byte) []byte {
	dst = append(dst, e.GUTI[:]...)
	dst = e.TAI.append(dst)
	return append(dst, byte(e.Status))
}

// String renders the file.
func (e EPSLOCI) String() string {
	return "EPSLOCI{GUTI " + hexString(e.GUTI[:]) + ", TAI " + e.TAI.PLMN.String() + " TAC " +
		hexString([]byte{byte(e.TAI.LAC >> 8), byte(e.TAI.LAC)}) + ", " + e.Status.String() + "}"
}

// ParseEPSLOCI decodes EF_EPSLOCI.
func ParseEPSLOCI(b []byte) (EPSLOCI, error) {
	if len(b) < EPSLOCILen {
		return EPSLOCI{}, malformed("EF_EPSLOCI", "", len(b), "want 18 bytes, got "+strconv.Itoa(len(b)))
	}
	var e EPSLOCI
	copy(e.GUTI[:], b)
	e.TAI = LAI{PLMN{b[12], b[13], b[14]}, uint16(b[15])<<8 | uint16(b[16])}
	e.Status = UpdateStatus(b[17])
	return e, nil
}

package sms

// MTI is the TP-Message-Type-Indicator, TS 23.040 §9.2.3.1 (bits 1..0 of
// the first octet). Its meaning depends on the direction.
type MTI uint8

// Message type indicators of TS 23.040 §9.2.3.1.
const (
	MTIDeliver MTI = 0 // SMS-DELIVER (SC to MS)
	MTISubmit  MTI = 1 // SMS-SUBMIT (MS to SC)
)

// First-octet bits shared by SMS-DELIVER and SMS-SUBMIT, TS 23.040 §9.2.2.
const (
	bitMMS  = 0x04 // TP-MMS (DELIVER), TP-RD is the same bit in SUBMIT
	bitLP   = 0x08 // TP-LP (DELIVER)
	bitSRI  = 0x20 // TP-SRI (DELIVER), TP-SRR is the same bit in SUBMIT
	bitUDHI = 0x40 // TP-UDHI
	bitRP   = 0x80 // TP-RP
)

// appendUserData appends TP-UDL and TP-UD, §9.2.3.16 and §9.2.3.24. For
// 8-bit and UCS2 data udl must be 0 or len(ud); for 7-bit data it is the
// number of septets and must match len(ud).
func appendUserData(dst []byte, dcs DCS, udhi bool, udl int, ud []byte) ([]byte, error) {
	if len(ud) > MaxUserData {
		return dst, errAt(ErrLength, "TP-UD", -1, "more than 140 octets")
	}
	a := dcs.Alphabet()
	if a == Alphabet7bit {
		if udl < 0 || udl > 160 || udOctets(a, udl) != len(ud) {
			return dst, errAt(ErrLength, "TP-UDL", -1, "septet count does not match the packed user data")
		}
	} else {
		if udl != 0 && udl != len(ud) {
			return dst, errAt(ErrLength, "TP-UDL", -1, "UDL differs from the user data length")
		}
		udl = len(ud)
	}
	if udhi {
		if _, _, err := SplitUserData(ud); err != nil {
			return dst, err
		}
	}
	dst = append(dst, byte(udl))
	return append(dst, ud...), nil
}

// parseUserData reads TP-UDL at b[off] and the TP-UD after it, which must
// end the TPDU exactly.
func parseUserData(b []byte, off int, dcs DCS, udhi bool) (int, []byte, error) {
	if off >= len(b) {
		return 0, nil, errAt(ErrTruncated, "TP-UDL", off, "TPDU ends before TP-UDL")
	}
	udl := int(b[off])
	a := dcs.Alphabet()
	n := udOctets(a, udl)
	if (a == Alphabet7bit && udl > 160) || n > MaxUserData {
		return 0, nil, errAt(ErrLength, "TP-UDL", off, "exceeds 140 octets")
	}
	rest := b[off+1:]
	if len(rest) < n {
		return 0, nil, errAt(ErrTruncated, "TP-UD", off+1, "fewer octets than TP-UDL announces")
	}
	if len(rest) > n {
		return 0, nil, errAt(ErrLength, "TP-UDL", off, "octets follow the user data that TP-UDL announces")
	}
	if udhi {
		if _, _, err := SplitUserData(rest); err != nil {
			return 0, nil, shift(err, off+1, "TP-UD")
		}
	}
	return udl, rest, nil
}

// Deliver is an SMS-DELIVER TPDU, TS 23.040 §9.2.2.1.
type Deliver struct {
	NoMoreMessages bool // TP-MMS = 1: no more messages are waiting in the SC
	LoopPrevention bool // TP-LP
	StatusReport   bool // TP-SRI: a status report will be returned to the SME
	UDHI           bool // TP-UDHI: UD starts with a user data header
	ReplyPath      bool // TP-RP
	OA             Address
	PID            PID
	DCS            DCS
	SCTS           Timestamp
	// UDL is TP-UDL: the septet count for 7-bit data (required then); for
	// 8-bit and UCS2 data Append takes len(UD) and UDL must be 0 or equal.
	UDL int
	UD  []byte // TP-UD, user data header included when UDHI is set
}

// Append appends the TPDU's octets, TS 23.040 §9.2.2.1.
func (d *Deliver) Append(dst []byte) ([]byte, error) {
	fo := byte(MTIDeliver)
	if d.NoMoreMessages {
		fo |= bitMMS
	}
	if d.LoopPrevention {
		fo |= bitLP
	}
	if d.StatusReport {
		fo |= bitSRI
	}
	if d.UDHI {
		fo |= bitUDHI
	}
	if d.ReplyPath {
		fo |= bitRP
	}
	start := len(dst)
	dst = append(dst, fo)
	var err error
	if dst, err = AppendAddress(dst, d.OA); err != nil {
		return dst[:start], err
	}
	dst = append(dst, byte(d.PID), byte(d.DCS))
	if dst, err = AppendTimestamp(dst, d.SCTS); err != nil {
		return dst[:start], err
	}
	if dst, err = appendUserData(dst, d.DCS, d.UDHI, d.UDL, d.UD); err != nil {
		return dst[:start], err
	}
	return dst, nil
}

// ParseDeliver decodes an SMS-DELIVER TPDU, TS 23.040 §9.2.2.1. The TPDU
// must end with the user data; UD and OA.Alpha alias b.
func ParseDeliver(b []byte) (Deliver, error) {
	if len(b) < 1 {
		return Deliver{}, errAt(ErrTruncated, "TP-MTI", 0, "empty TPDU")
	}
	fo := b[0]
	if MTI(fo&3) != MTIDeliver {
		return Deliver{}, errAt(ErrInvalid, "TP-MTI", 0, "not SMS-DELIVER")
	}
	d := Deliver{
		NoMoreMessages: fo&bitMMS != 0, LoopPrevention: fo&bitLP != 0,
		StatusReport: fo&bitSRI != 0, UDHI: fo&bitUDHI != 0, ReplyPath: fo&bitRP != 0,
	}
	oa, n, err := ParseAddress(b[1:])
	if err != nil {
		return Deliver{}, shift(err, 1, "TP-OA")
	}
	d.OA = oa
	off := 1 + n
	if len(b) < off+2+7 {
		return Deliver{}, errAt(ErrTruncated, "TP-PID/TP-DCS/TP-SCTS", off, "TPDU too short")
	}
	d.PID, d.DCS = PID(b[off]), DCS(b[off+1])
	if d.SCTS, err = ParseTimestamp(b[off+2:]); err != nil {
		return Deliver{}, shift(err, off+2, "")
	}
	off += 9
	if d.UDL, d.UD, err = parseUserData(b, off, d.DCS, d.UDHI); err != nil {
		return Deliver{}, err
	}
	return d, nil
}

// Header returns the user data header and the payload after it; both are
// empty when UDHI is not set.
func (d *Deliver) Header() (UDH, []byte, error) {
	if !d.UDHI {
		return nil, d.UD, nil
	}
	return SplitUserData(d.UD)
}

// VPF is the TP-Validity-Period-Format of an SMS-SUBMIT, TS 23.040
// §9.2.3.3 (bits 4..3 of the first octet).
type VPF uint8

// Validity period formats, TS 23.040 §9.2.3.3.
const (
	VPFNone     VPF = 0 // TP-VP field not present
	VPFEnhanced VPF = 1 // 7 octets, §9.2.3.12.3
	VPFRelative VPF = 2 // 1 octet, §9.2.3.12.1
	VPFAbsolute VPF = 3 // 7 octets, §9.2.3.12.2
)

func (v VPF) String() string {
	switch v {
	case VPFNone:
		return "TP-VP not present"
	case VPFEnhanced:
		return "TP-VP enhanced format"
	case VPFRelative:
		return "TP-VP relative format"
	}
	return "TP-VP absolute format"
}

func (v VPF) size() int {
	switch v {
	case VPFNone:
		return 0
	case VPFRelative:
		return 1
	}
	return 7
}

// Submit is an SMS-SUBMIT TPDU, TS 23.040 §9.2.2.2.
type Submit struct {
	RejectDuplicates bool // TP-RD
	VPF              VPF  // TP-VPF
	StatusReport     bool // TP-SRR: a status report is requested
	UDHI             bool // TP-UDHI
	ReplyPath        bool // TP-RP
	MR               byte // TP-MR message reference
	DA               Address
	PID              PID
	DCS              DCS
	VP               []byte // TP-VP: 0, 1 or 7 octets as VPF says
	UDL              int    // as for Deliver.UDL
	UD               []byte
}

// Append appends the TPDU's octets, TS 23.040 §9.2.2.2.
func (s *Submit) Append(dst []byte) ([]byte, error) {
	if s.VPF > 3 || len(s.VP) != s.VPF.size() {
		return dst, errAt(ErrLength, "TP-VP", -1, "length does not match TP-VPF "+s.VPF.String())
	}
	fo := byte(MTISubmit) | byte(s.VPF)<<3
	if s.RejectDuplicates {
		fo |= bitMMS
	}
	if s.StatusReport {
		fo |= bitSRI
	}
	if s.UDHI {
		fo |= bitUDHI
	}
	if s.ReplyPath {
		fo |= bitRP
	}
	start := len(dst)
	dst = append(dst, fo, s.MR)
	var err error
	if dst, err = AppendAddress(dst, s.DA); err != nil {
		return dst[:start], err
	}
	dst = append(dst, byte(s.PID), byte(s.DCS))
	dst = append(dst, s.VP...)
	if dst, err = appendUserData(dst, s.DCS, s.UDHI, s.UDL, s.UD); err != nil {
		return dst[:start], err
	}
	return dst, nil
}

// ParseSubmit decodes an SMS-SUBMIT TPDU, TS 23.040 §9.2.2.2. VP, UD and
// DA.Alpha alias b.
func ParseSubmit(b []byte) (Submit, error) {
	if len(b) < 2 {
		return Submit{}, errAt(ErrTruncated, "TP-MTI/TP-MR", 0, "TPDU too short")
	}
	fo := b[0]
	if MTI(fo&3) != MTISubmit {
		return Submit{}, errAt(ErrInvalid, "TP-MTI", 0, "not SMS-SUBMIT")
	}
	s := Submit{
		RejectDuplicates: fo&bitMMS != 0, VPF: VPF(fo >> 3 & 3), StatusReport: fo&bitSRI != 0,
		UDHI: fo&bitUDHI != 0, ReplyPath: fo&bitRP != 0, MR: b[1],
	}
	da, n, err := ParseAddress(b[2:])
	if err != nil {
		return Submit{}, shift(err, 2, "TP-DA")
	}
	s.DA = da
	off := 2 + n
	vp := s.VPF.size()
	if len(b) < off+2+vp {
		return Submit{}, errAt(ErrTruncated, "TP-PID/TP-DCS/TP-VP", off, "TPDU too short")
	}
	s.PID, s.DCS = PID(b[off]), DCS(b[off+1])
	if vp > 0 {
		s.VP = b[off+2 : off+2+vp]
	}
	off += 2 + vp
	if s.UDL, s.UD, err = parseUserData(b, off, s.DCS, s.UDHI); err != nil {
		return Submit{}, err
	}
	return s, nil
}

// Header returns the user data header and the payload after it.
func (s *Submit) Header() (UDH, []byte, error) {
	if !s.UDHI {
		return nil, s.UD, nil
	}
	return SplitUserData(s.UD)
}

// shift moves an *Error's offset by off (a sub-parser's offsets are
// relative to its own input) and optionally renames the field.
func shift(err error, off int, field string) error {
	if e, ok := err.(*Error); ok {
		c := *e
		if c.Offset >= 0 {
			c.Offset += off
		}
		if field != "" {
			c.Field = field + " " + c.Field
		}
		return &c
	}
	return err
}

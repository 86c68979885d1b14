package sms

// IEI is a user data header Information Element Identifier, TS 23.040
// §9.2.3.24 table.
type IEI byte

// Information element identifiers used by OTA, TS 23.040 §9.2.3.24 and
// TS 31.115 §4.2/§4.4.
const (
	IEIConcat8           IEI = 0x00 // concatenated short messages, 8-bit reference (§9.2.3.24.1)
	IEISpecialSMS        IEI = 0x01 // special SMS message indication (§9.2.3.24.2)
	IEIPort8             IEI = 0x04 // application port addressing, 8-bit (§9.2.3.24.3)
	IEIPort16            IEI = 0x05 // application port addressing, 16-bit (§9.2.3.24.4)
	IEISMSCControl       IEI = 0x06 // SMSC control parameters (§9.2.3.24.5)
	IEIConcat16          IEI = 0x08 // concatenated short messages, 16-bit reference (§9.2.3.24.8)
	IEICommandPacket     IEI = 0x70 // (U)SIM toolkit security header: command packet (TS 31.115 §4.2)
	IEIResponsePacket    IEI = 0x71 // (U)SIM toolkit security header: response packet (TS 31.115 §4.4)
	IEISecurityReserved2 IEI = 0x72 // (U)SIM toolkit security headers 72..7F
)

func (i IEI) String() string {
	switch i {
	case IEIConcat8:
		return "concatenated short messages, 8-bit reference"
	case IEISpecialSMS:
		return "special SMS message indication"
	case IEIPort8:
		return "application port addressing, 8-bit"
	case IEIPort16:
		return "application port addressing, 16-bit"
	case IEISMSCControl:
		return "SMSC control parameters"
	case IEIConcat16:
		return "concatenated short messages, 16-bit reference"
	case IEICommandPacket:
		return "(U)SIM toolkit security header: command packet"
	case IEIResponsePacket:
		return "(U)SIM toolkit security header: response packet"
	}
	if i >= 0x72 && i <= 0x7F {
		return "(U)SIM toolkit security header " + hex2(byte(i))
	}
	return "IEI " + hex2(byte(i))
}

// IE is one user data header information element: IEI, IEDL and the data.
type IE struct {
	ID   IEI
	Data []byte
}

// UDH is the information element part of a user data header (§9.2.3.24),
// without the UDHL octet. It is walked with Next without allocating.
type UDH []byte

// SplitUserData separates a TP-UD whose TP-UDHI is set into its header
// (§9.2.3.24: UDHL then UDHL octets of information elements) and the rest,
// checking that every IE fits inside the header. Both results alias ud.
func SplitUserData(ud []byte) (UDH, []byte, error) {
	if len(ud) < 1 {
		return nil, nil, errAt(ErrTruncated, "UDHL", 0, "TP-UDHI set but user data is empty")
	}
	n := int(ud[0])
	if 1+n > len(ud) {
		return nil, nil, errAt(ErrLength, "UDHL", 0, "header longer than the user data")
	}
	h := UDH(ud[1 : 1+n])
	if err := h.Validate(); err != nil {
		return nil, nil, err
	}
	return h, ud[1+n:], nil
}

// Validate checks that the IEs tile the header exactly.
func (h UDH) Validate() error {
	off := 0
	for off < len(h) {
		if off+2 > len(h) {
			return errAt(ErrTruncated, "IEDL", 1+off, "information element without length")
		}
		l := int(h[off+1])
		if off+2+l > len(h) {
			return errAt(ErrLength, "IEDL", 1+off+1, "information element runs past UDHL")
		}
		off += 2 + l
	}
	return nil
}

// Next returns the first IE of h and the remaining header. ok is false when
// h is empty or malformed (call Validate first to tell these apart).
func (h UDH) Next() (ie IE, rest UDH, ok bool) {
	if len(h) < 2 || 2+int(h[1]) > len(h) {
		return IE{}, nil, false
	}
	l := int(h[1])
	return IE{ID: IEI(h[0]), Data: h[2 : 2+l]}, h[2+l:], true
}

// Find returns the data of the first IE with the given identifier.
func (h UDH) Find(id IEI) ([]byte, bool) {
	for ie, rest, ok := h.Next(); ok; ie, rest, ok = rest.Next() {
		if ie.ID == id {
			return ie.Data, true
		}
	}
	return nil, false
}

// AppendUDH appends a complete user data header (UDHL and the IEs),
// §9.2.3.24.
func AppendUDH(dst []byte, ies ...IE) ([]byte, error) {
	n := 0
	for _, ie := range ies {
		if len(ie.Data) > 255 {
			return dst, errAt(ErrLength, "IEDL", -1, "information element data over 255 octets")
		}
		n += 2 + len(ie.Data)
	}
	if n > 255 {
		return dst, errAt(ErrLength, "UDHL", -1, "header over 255 octets")
	}
	dst = append(dst, byte(n))
	for _, ie := range ies {
		dst = append(dst, byte(ie.ID), byte(len(ie.Data)))
		dst = append(dst, ie.Data...)
	}
	return dst, nil
}

// udhLen is the octet length of the header holding ies, UDHL included.
func udhLen(ies []IE) int {
	n := 1
	for _, ie := range ies {
		n += 2 + len(ie.Data)
	}
	return n
}

package tlv

import "strconv"

// Class is the class of a BER-TLV tag, bits b8–b7 of its first byte
// (ISO/IEC 8825-1 §8.1.2.2 Table 1).
type Class uint8

// Tag classes of ISO/IEC 8825-1 §8.1.2.2.
const (
	ClassUniversal       Class = 0 // '00'–'3F'
	ClassApplication     Class = 1 // '40'–'7F'
	ClassContextSpecific Class = 2 // '80'–'BF'
	ClassPrivate         Class = 3 // 'C0'–'FF'
)

// String names the class as ISO/IEC 8825-1 §8.1.2.2 does.
func (c Class) String() string {
	switch c {
	case ClassUniversal:
		return "universal"
	case ClassApplication:
		return "application"
	case ClassContextSpecific:
		return "context-specific"
	}
	return "private"
}

// Tag is a BER-TLV tag (ETSI TS 101 220 §7.1.1, ISO/IEC 8825-1 §8.1.2): the
// bytes of the tag field read as a big-endian number, so that 0x62 is the
// FCP template and 0x9F70 or 0xBF2D are two-byte tags. Tags have 1 to 3
// bytes.
type Tag uint32

// BER-TLV tags with a meaning of their own wherever they appear.
const (
	TagApplicationTemplate Tag = 0x61 // application template, EF_DIR record (TS 102 221 §13.1)
	TagFCP                 Tag = 0x62 // FCP template (TS 102 221 §11.1.1.3)
	TagFMD                 Tag = 0x64 // FMD template (ISO/IEC 7816-4 §5.3.3)
	TagFCI                 Tag = 0x6F // FCI template (ISO/IEC 7816-4 §5.3.3)

	// BER-TLV templates of the Card Application Toolkit, ETSI TS 101 220
	// §7.2 and ETSI TS 102 223 Annex C.
	TagProactiveCommand      Tag = 0xD0 // proactive command (TS 102 223 §6.6)
	TagSMSPPDownload         Tag = 0xD1 // SMS-PP download (TS 102 223 §7.1, TS 31.111 §7.1.1)
	TagCellBroadcastDownload Tag = 0xD2 // cell broadcast download (TS 31.111 §7.1.2)
	TagMenuSelection         Tag = 0xD3 // menu selection (TS 102 223 §7.2)
	TagCallControl           Tag = 0xD4 // call control (TS 102 223 §7.3)
	TagMOShortMessageControl Tag = 0xD5 // MO short message control (TS 31.111 §7.3.2)
	TagEventDownload         Tag = 0xD6 // event download (TS 102 223 §7.5)
	TagTimerExpiration       Tag = 0xD7 // timer expiration (TS 102 223 §7.6)
)

var berNames = map[Tag]string{
	TagApplicationTemplate:   "application template",
	TagFCP:                   "FCP template",
	TagFMD:                   "FMD template",
	TagFCI:                   "FCI template",
	TagProactiveCommand:      "proactive command",
	TagSMSPPDownload:         "SMS-PP download",
	TagCellBroadcastDownload: "cell broadcast download",
	TagMenuSelection:         "menu selection",
	TagCallControl:           "call control",
	TagMOShortMessageControl: "MO short message control",
	TagEventDownload:         "event download",
	TagTimerExpiration:       "timer expiration",
}

// Len returns the number of bytes of the tag field.
func (t Tag) Len() int {
	switch {
	case t <= 0xFF:
		return 1
	case t <= 0xFFFF:
		return 2
	case t <= 0xFFFFFF:
		return 3
	}
	return 4
}

func (t Tag) first() byte { return byte(t >> (8 * (t.Len() - 1))) }

// Class returns the tag class, bits b8–b7 of the first byte.
func (t Tag) Class() Class { return Class(t.first() >> 6) }

// Constructed reports bit b6 of the first byte: the value is a sequence of
// further BER-TLV objects (ISO/IEC 8825-1 §8.1.2.5).
func (t Tag) Constructed() bool { return t.first()&0x20 != 0 }

// Number returns the tag number: bits b5–b1 of a one-byte tag, or the
// base-128 number carried by the subsequent bytes (ISO/IEC 8825-1
// §8.1.2.4).
func (t Tag) Number() uint32 {
	n := t.Len()
	if n == 1 {
		return uint32(t) & 0x1F
	}
	var v uint32
	for i := n - 2; i >= 0; i-- {
		v = v<<7 | uint32(t>>(8*i))&0x7F
	}
	return v
}

// Valid reports whether t is a tag the Reader accepts and the Builder
// writes: 1 to 3 bytes; first byte not '00' or 'FF' (ISO/IEC 7816-4
// §5.2.2.1 padding); in the multi-byte form a tag number of at least 31, no
// leading zero 7-bit group, and b8 set on every subsequent byte but the last
// (ISO/IEC 8825-1 §8.1.2.4).
func (t Tag) Valid() bool {
	n := t.Len()
	if n > 3 || t == 0 {
		return false
	}
	f := t.first()
	if f == 0xFF {
		return false
	}
	if n == 1 {
		return f&0x1F != 0x1F
	}
	if f&0x1F != 0x1F {
		return false
	}
	b2 := byte(t >> (8 * (n - 2)))
	if n == 2 {
		return b2&0x80 == 0 && b2 >= 0x1F
	}
	b3 := byte(t)
	return b2&0x80 != 0 && b2 != 0x80 && b3&0x80 == 0
}

// AppendTag appends the tag field of t.
func (t Tag) AppendTag(dst []byte) []byte {
	for i := t.Len() - 1; i >= 0; i-- {
		dst = append(dst, byte(t>>(8*i)))
	}
	return dst
}

// String gives the tag in hex with its class, form and, for the templates
// defined above, its name: "62 (FCP template)", "9F70 (context-specific
// primitive 112)".
func (t Tag) String() string {
	h := hexTag(uint32(t), t.Len())
	if name, ok := berNames[t]; ok {
		return h + " (" + name + ")"
	}
	form := "primitive"
	if t.Constructed() {
		form = "constructed"
	}
	return h + " (" + t.Class().String() + " " + form + " " + strconv.FormatUint(uint64(t.Number()), 10) + ")"
}

func hexTag(v uint32, n int) string {
	const digits = "0123456789ABCDEF"
	b := make([]byte, 0, 8)
	for i := n - 1; i >= 0; i-- {
		x := byte(v >> (8 * i))
		b = append(b, digits[x>>4], digits[x&0x0F])
	}
	return string(b)
}

// CTag is the tag value of a COMPREHENSION-TLV object (ETSI TS 101 220
// §7.1.1.2, ETSI TS 102 223 Annex C) without its CR flag. Values 0x01–0x7E
// are written in the single-byte format; 0x7F–0x7FFF in the three-byte
// format ('7F' followed by CR and the 15-bit value).
type CTag uint16

// COMPREHENSION-TLV tag values, ETSI TS 101 220 §7.2 Table 7.23, with the
// TS 102 223 clause that defines each data object.
const (
	CTagCommandDetails      CTag = 0x01 // TS 102 223 §8.6
	CTagDeviceIdentities    CTag = 0x02 // TS 102 223 §8.7
	CTagResult              CTag = 0x03 // TS 102 223 §8.12
	CTagDuration            CTag = 0x04 // TS 102 223 §8.8
	CTagAlphaIdentifier     CTag = 0x05 // TS 102 223 §8.2
	CTagAddress             CTag = 0x06 // TS 102 223 §8.1
	CTagCapabilityConfig    CTag = 0x07 // TS 102 223 §8.4
	CTagSubaddress          CTag = 0x08 // TS 102 223 §8.3
	CTagSSString            CTag = 0x09 // TS 31.111 §8.14
	CTagUSSDString          CTag = 0x0A // TS 31.111 §8.17
	CTagSMSTPDU             CTag = 0x0B // TS 102 223 §8.13
	CTagCellBroadcastPage   CTag = 0x0C // TS 31.111 §8.5
	CTagTextString          CTag = 0x0D // TS 102 223 §8.15
	CTagTone                CTag = 0x0E // TS 102 223 §8.16
	CTagItem                CTag = 0x0F // TS 102 223 §8.9
	CTagItemIdentifier      CTag = 0x10 // TS 102 223 §8.10
	CTagResponseLength      CTag = 0x11 // TS 102 223 §8.11
	CTagFileList            CTag = 0x12 // TS 102 223 §8.18
	CTagLocationInformation CTag = 0x13 // TS 102 223 §8.19
	CTagIMEI                CTag = 0x14 // TS 102 223 §8.20
	CTagHelpRequest         CTag = 0x15 // TS 102 223 §8.21
	CTagNetworkMeasurement  CTag = 0x16 // TS 102 223 §8.22
	CTagDefaultText         CTag = 0x17 // TS 102 223 §8.23
	CTagItemsNextAction     CTag = 0x18 // TS 102 223 §8.24
	CTagEventList           CTag = 0x19 // TS 102 223 §8.25
	CTagCause               CTag = 0x1A // TS 102 223 §8.26
	CTagLocationStatus      CTag = 0x1B // TS 102 223 §8.27
	CTagIconIdentifier      CTag = 0x1E // TS 102 223 §8.31
	CTagItemIconList        CTag = 0x1F // TS 102 223 §8.32
	CTagCAPDU               CTag = 0x22 // TS 102 223 §8.35
	CTagRAPDU               CTag = 0x23 // TS 102 223 §8.36
	CTagTimerIdentifier     CTag = 0x24 // TS 102 223 §8.37
	CTagTimerValue          CTag = 0x25 // TS 102 223 §8.38
	CTagAID                 CTag = 0x2F // TS 102 223 §8.60
	CTagBearerDescription   CTag = 0x35 // TS 102 223 §8.52
	CTagChannelData         CTag = 0x36 // TS 102 223 §8.53
	CTagChannelDataLength   CTag = 0x37 // TS 102 223 §8.54
	CTagChannelStatus       CTag = 0x38 // TS 102 223 §8.56
	CTagBufferSize          CTag = 0x39 // TS 102 223 §8.55
	CTagTransportLevel      CTag = 0x3C // TS 102 223 §8.59
	CTagOtherAddress        CTag = 0x3E // TS 102 223 §8.58
	CTagAccessTechnology    CTag = 0x3F // TS 102 223 §8.61
)

var ctagNames = map[CTag]string{
	CTagCommandDetails: "command details", CTagDeviceIdentities: "device identities",
	CTagResult: "result", CTagDuration: "duration", CTagAlphaIdentifier: "alpha identifier",
	CTagAddress: "address", CTagCapabilityConfig: "capability configuration parameters",
	CTagSubaddress: "subaddress", CTagSSString: "SS string", CTagUSSDString: "USSD string",
	CTagSMSTPDU: "SMS TPDU", CTagCellBroadcastPage: "cell broadcast page",
	CTagTextString: "text string", CTagTone: "tone", CTagItem: "item",
	CTagItemIdentifier: "item identifier", CTagResponseLength: "response length",
	CTagFileList: "file list", CTagLocationInformation: "location information",
	CTagIMEI: "IMEI", CTagHelpRequest: "help request",
	CTagNetworkMeasurement: "network measurement results", CTagDefaultText: "default text",
	CTagItemsNextAction: "items next action indicator", CTagEventList: "event list",
	CTagCause: "cause", CTagLocationStatus: "location status",
	CTagIconIdentifier: "icon identifier", CTagItemIconList: "item icon identifier list",
	CTagCAPDU: "C-APDU", CTagRAPDU: "R-APDU", CTagTimerIdentifier: "timer identifier",
	CTagTimerValue: "timer value", CTagAID: "AID", CTagBearerDescription: "bearer description",
	CTagChannelData: "channel data", CTagChannelDataLength: "channel data length",
	CTagChannelStatus: "channel status", CTagBufferSize: "buffer size",
	CTagTransportLevel: "UICC/terminal interface transport level",
	CTagOtherAddress:   "other address", CTagAccessTechnology: "access technology",
}

// Valid reports whether t can be encoded: 0x01–0x7FFF.
func (t CTag) Valid() bool { return t >= 0x01 && t <= 0x7FFF }

// Len returns the size of the tag field: 1 for 0x01–0x7E, else 3.
func (t CTag) Len() int {
	if t < 0x7F {
		return 1
	}
	return 3
}

// AppendTag appends the tag field of t with the CR flag cr, ETSI TS 101
// 220 §7.1.1.2: single-byte CR|value, or '7F', CR|value high 7 bits,
// value low 8 bits.
func (t CTag) AppendTag(dst []byte, cr bool) []byte {
	var c byte
	if cr {
		c = 0x80
	}
	if t < 0x7F {
		return append(dst, c|byte(t))
	}
	return append(dst, 0x7F, c|byte(t>>8)&0x7F, byte(t))
}

// String gives the tag value in hex and its TS 102 223 name, e.g.
// "0B (SMS TPDU)" or "7F10".
func (t CTag) String() string {
	h := hexTag(uint32(t), 1)
	if t >= 0x7F {
		h = "7F" + hexTag(uint32(t), 2)
	}
	if name, ok := ctagNames[t]; ok {
		return h + " (" + name + ")"
	}
	return h
}

package sms

// PID is the TP-Protocol-Identifier, TS 23.040 §9.2.3.9.
type PID byte

// Protocol identifiers used with OTA, TS 23.040 §9.2.3.9.
const (
	PIDDefault           PID = 0x00 // no telematic interworking, SME-to-SME protocol
	PIDShortMessageType0 PID = 0x40 // short message type 0
	PIDANSI136RData      PID = 0x7C // ANSI-136 R-DATA
	PIDMEDataDownload    PID = 0x7D // ME data download
	PIDMEDepersonalise   PID = 0x7E // ME de-personalization short message
	PIDUSIMDataDownload  PID = 0x7F // (U)SIM data download (TS 31.111 §7.1.1)
)

func (p PID) String() string {
	switch p {
	case PIDDefault:
		return "default (SME-to-SME)"
	case PIDShortMessageType0:
		return "short message type 0"
	case PIDANSI136RData:
		return "ANSI-136 R-DATA"
	case PIDMEDataDownload:
		return "ME data download"
	case PIDMEDepersonalise:
		return "ME de-personalization"
	case PIDUSIMDataDownload:
		return "(U)SIM data download"
	}
	return "PID " + hex2(byte(p))
}

// DCS is the TP-Data-Coding-Scheme, TS 23.038 §4 (referenced by TS 23.040
// §9.2.3.10).
type DCS byte

// Data coding schemes used with OTA.
const (
	DCSClass2Data8bit DCS = 0xF6 // data coding/message class group 1111: 8-bit data, class 2 (SIM specific)
	DCSData8bit       DCS = 0x16 // general data coding, uncompressed, class 2, 8-bit data
	DCSDefault        DCS = 0x00 // GSM 7-bit default alphabet, no class
)

// Alphabet is the character set a DCS selects, TS 23.038 §4.
type Alphabet uint8

// Alphabets of TS 23.038 §4.
const (
	Alphabet7bit Alphabet = iota // GSM 7-bit default alphabet: TP-UDL counts septets
	Alphabet8bit                 // 8-bit data: TP-UDL counts octets
	AlphabetUCS2                 // UCS2: TP-UDL counts octets
)

func (a Alphabet) String() string {
	switch a {
	case Alphabet7bit:
		return "GSM 7-bit default alphabet"
	case Alphabet8bit:
		return "8-bit data"
	case AlphabetUCS2:
		return "UCS2"
	}
	return "reserved alphabet"
}

// Alphabet returns the character set of d, TS 23.038 §4. Reserved coding
// groups are read as the GSM 7-bit default alphabet as §4 requires.
func (d DCS) Alphabet() Alphabet {
	switch {
	case d&0x80 == 0: // 00xx general data coding, 01xx automatic deletion group
		switch d >> 2 & 3 {
		case 1:
			return Alphabet8bit
		case 2:
			return AlphabetUCS2
		}
		return Alphabet7bit
	case d>>4 == 0xF: // data coding/message class
		if d&0x04 != 0 {
			return Alphabet8bit
		}
		return Alphabet7bit
	case d>>4 == 0xE: // message waiting indication group, UCS2
		return AlphabetUCS2
	}
	return Alphabet7bit
}

// Class returns the message class (0..3) and whether d carries one,
// TS 23.038 §4. Class 2 is "(U)SIM specific".
func (d DCS) Class() (int, bool) {
	switch {
	case d&0x80 == 0 && d&0x10 != 0:
		return int(d & 3), true
	case d>>4 == 0xF:
		return int(d & 3), true
	}
	return 0, false
}

func (d DCS) String() string {
	s := "DCS " + hex2(byte(d)) + ": " + d.Alphabet().String()
	if c, ok := d.Class(); ok {
		s += ", class " + string(rune('0'+c))
	}
	return s
}

// udOctets is the number of TP-UD octets a TP-UDL of udl denotes under
// alphabet a, TS 23.040 §9.2.3.16.
func udOctets(a Alphabet, udl int) int {
	if a == Alphabet7bit {
		return (udl*7 + 7) / 8
	}
	return udl
}

// MaxUserData is the maximum TP-UD length in octets, TS 23.040 §9.2.3.16.
const MaxUserData = 140

package apdu

import "fmt"

// CLA is the class byte of a command APDU, ISO/IEC 7816-4 §5.4.1 with the
// UICC codings of ETSI TS 102 221 §10.1.1.
type CLA byte

// ClassKind groups class bytes by who defines the command set.
type ClassKind uint8

// Class kinds of ETSI TS 102 221 §10.1.1 Table 10.3.
const (
	ClassInvalid       ClassKind = iota // 'FF' (PPS) or an RFU coding
	ClassInterindustry                  // '0X', '4X', '6X': ISO/IEC 7816-4 commands
	ClassProprietary                    // '8X', 'CX', 'EX' (and their chained forms '9X', 'DX', 'FX'): ETSI TS 102 221 / GlobalPlatform commands
	ClassGSM                            // 'A0': 3GPP TS 51.011 SIM commands
)

// String names the kind as ETSI TS 102 221 §10.1.1 does: "interindustry",
// "proprietary", "GSM" or "invalid".
func (k ClassKind) String() string {
	switch k {
	case ClassInterindustry:
		return "interindustry"
	case ClassProprietary:
		return "proprietary"
	case ClassGSM:
		return "GSM"
	}
	return "invalid"
}

// Kind returns the class kind.
func (c CLA) Kind() ClassKind {
	switch {
	case c == 0xA0:
		return ClassGSM
	case c == 0xFF:
		return ClassInvalid
	case c&0x80 == 0:
		if c&0xE0 == 0x20 { // '2X' is RFU in ISO/IEC 7816-4
			return ClassInvalid
		}
		return ClassInterindustry
	case c&0xE0 == 0x80, c&0xC0 == 0xC0:
		// '8X' and '9X' (first coding, b5 = chaining), 'CX'–'FX' (further
		// coding), as the Java Card runtime (JCRE §4.3) also reads them.
		return ClassProprietary
	}
	return ClassInvalid
}

// further reports the "further interindustry" coding (b7 set): channels
// 4..19, ISO/IEC 7816-4 §5.4.1 Table 3.
func (c CLA) further() bool { return c&0x40 != 0 }

// Channel returns the logical channel number, 0..19 (ISO/IEC 7816-4 §5.4.1,
// ETSI TS 102 221 §10.1.1). A GSM class byte always means channel 0.
func (c CLA) Channel() int {
	if c == 0xA0 {
		return 0
	}
	if c.further() {
		return int(c&0x0F) + 4
	}
	return int(c & 0x03)
}

// SecureMessaging returns the secure messaging indication: 0 none, 1
// proprietary, 2 and 3 ISO/IEC 7816-4 §6 (first interindustry coding); in
// the further coding only 0 or 2 (bit b6).
func (c CLA) SecureMessaging() int {
	if c == 0xA0 {
		return 0
	}
	if c.further() {
		if c&0x20 != 0 {
			return 2
		}
		return 0
	}
	return int(c>>2) & 0x03
}

// Chained reports command chaining (b5), ISO/IEC 7816-4 §5.3.3: more
// commands of the chain follow.
func (c CLA) Chained() bool { return c != 0xA0 && c&0x10 != 0 }

// WithChannel returns the class byte re-coded for logical channel ch
// (0..19), keeping kind, chaining and secure messaging as far as the target
// coding allows (ETSI TS 102 221 §10.1.1).
func (c CLA) WithChannel(ch int) CLA {
	if c == 0xA0 || ch < 0 || ch > 19 {
		return c
	}
	base := c & 0x80 // interindustry 0x00 or proprietary 0x80
	chain := c & 0x10
	sm := c.SecureMessaging()
	if ch < 4 {
		return base | chain | CLA(sm&3)<<2 | CLA(ch)
	}
	smb := CLA(0)
	if sm != 0 {
		smb = 0x20
	}
	return base | 0x40 | smb | chain | CLA(ch-4)
}

// String describes the class byte, e.g. "80 (proprietary, channel 1)".
func (c CLA) String() string {
	s := fmt.Sprintf("%02X (%s", byte(c), c.Kind())
	if c.Kind() != ClassInvalid {
		s += ", channel " + itoa(c.Channel())
		if c.SecureMessaging() != 0 {
			s += ", SM"
		}
		if c.Chained() {
			s += ", chained"
		}
	}
	return s + ")"
}

package apdutrace

import "github.com/uiccsim/uiccsim/apdu"

// CommandName names the command with class byte cla and instruction ins as
// the specifications do, or returns "" when the pair is not known. The same
// INS means different commands in the interindustry class ('0X', '4X',
// '6X': ISO/IEC 7816-4, TS 102 221 §10.1.2, TS 102 222), the proprietary
// class ('8X', 'CX', 'EX': TS 102 221 / TS 102 223 / TS 31.102 and
// GlobalPlatform) and the GSM class 'A0' (TS 51.011 §9.2). p1 tells the
// UICC STATUS (P1 00..02) from GlobalPlatform GET STATUS (P1 10..80), which
// share 80 F2.
func CommandName(cla, ins, p1 byte) string {
	switch apdu.CLA(cla).Kind() {
	case apdu.ClassInterindustry:
		return interindustry[ins]
	case apdu.ClassProprietary:
		if ins == 0xF2 && p1&0xF0 != 0 {
			return "GET STATUS" // GlobalPlatform CS §11.4
		}
		if n := proprietary[ins]; n != "" {
			return n
		}
		// TS 102 221 §10.1.2: commands such as SELECT and READ BINARY are
		// also accepted with a proprietary class by many cards; not named.
		return ""
	case apdu.ClassGSM:
		return gsm[ins]
	}
	return ""
}

// interindustry is ISO/IEC 7816-4 §11 with the UICC names of TS 102 221
// §10.1.2 Table 10.5, TS 102 222 §6 and TS 31.102 §7.
var interindustry = [256]string{
	0x04: "DEACTIVATE FILE",       // TS 102 221 §11.1.14
	0x0E: "ERASE BINARY",          // ISO/IEC 7816-4 §11.2.7
	0x20: "VERIFY PIN",            // TS 102 221 §11.1.9
	0x24: "CHANGE PIN",            // TS 102 221 §11.1.10
	0x26: "DISABLE PIN",           // TS 102 221 §11.1.11
	0x28: "ENABLE PIN",            // TS 102 221 §11.1.12
	0x2C: "UNBLOCK PIN",           // TS 102 221 §11.1.13
	0x44: "ACTIVATE FILE",         // TS 102 221 §11.1.15
	0x70: "MANAGE CHANNEL",        // TS 102 221 §11.1.17
	0x73: "MANAGE SECURE CHANNEL", // TS 102 221 §11.1.20
	0x75: "TRANSACT DATA",         // TS 102 221 §11.1.21
	0x82: "EXTERNAL AUTHENTICATE", // ISO/IEC 7816-4 §11.5.4
	0x84: "GET CHALLENGE",         // TS 102 221 §11.1.18
	0x88: "AUTHENTICATE",          // TS 102 221 §11.1.16, TS 31.102 §7.1.2
	0x89: "AUTHENTICATE",          // TS 102 221 §11.1.16 (odd INS, BER-TLV data)
	0xA2: "SEARCH RECORD",         // TS 102 221 §11.1.7
	0xA4: "SELECT",                // TS 102 221 §11.1.1
	0xAA: "TERMINAL CAPABILITY",   // TS 102 221 §11.1.19
	0xB0: "READ BINARY",           // TS 102 221 §11.1.3
	0xB2: "READ RECORD",           // TS 102 221 §11.1.5
	0xC0: "GET RESPONSE",          // TS 102 221 §12.1.1
	0xCA: "GET DATA",              // ISO/IEC 7816-4 §11.4.3
	0xCB: "RETRIEVE DATA",         // TS 102 221 §11.3.1
	0xD6: "UPDATE BINARY",         // TS 102 221 §11.1.4
	0xDA: "PUT DATA",              // ISO/IEC 7816-4 §11.4.6
	0xDB: "SET DATA",              // TS 102 221 §11.3.2
	0xDC: "UPDATE RECORD",         // TS 102 221 §11.1.6
	0xE0: "CREATE FILE",           // TS 102 222 §6.3
	0xE4: "DELETE FILE",           // TS 102 222 §6.4
	0xE6: "TERMINATE DF",          // TS 102 222 §6.7
	0xE8: "TERMINATE EF",          // TS 102 222 §6.8
	0xFE: "TERMINATE CARD USAGE",  // TS 102 222 §6.9
}

// proprietary is the '8X' class: TS 102 221 §10.1.2, the CAT commands of TS
// 102 223 / TS 31.111, TS 31.102 §7 and GlobalPlatform CS §11.
var proprietary = [256]string{
	0x10: "TERMINAL PROFILE",      // TS 102 221 §11.2.1
	0x12: "FETCH",                 // TS 102 221 §11.2.3
	0x14: "TERMINAL RESPONSE",     // TS 102 221 §11.2.4
	0x32: "INCREASE",              // TS 102 221 §11.1.8
	0x50: "INITIALIZE UPDATE",     // GlobalPlatform CS §11.6 (SCP02/03)
	0x76: "SUSPEND UICC",          // TS 102 221 §11.1.22
	0x78: "GET IDENTITY",          // TS 31.102 §7.5 (SUCI)
	0x82: "EXTERNAL AUTHENTICATE", // GlobalPlatform CS §11.7
	0xC2: "ENVELOPE",              // TS 102 221 §11.2.2
	0xCA: "GET DATA",              // GlobalPlatform CS §11.3
	0xD4: "RESIZE FILE",           // TS 102 222 §6.10
	0xD8: "PUT KEY",               // GlobalPlatform CS §11.8
	0xE2: "STORE DATA",            // GlobalPlatform CS §11.11
	0xE4: "DELETE",                // GlobalPlatform CS §11.2
	0xE6: "INSTALL",               // GlobalPlatform CS §11.5
	0xE8: "LOAD",                  // GlobalPlatform CS §11.6
	0xF0: "SET STATUS",            // GlobalPlatform CS §11.10
	0xF2: "STATUS",                // TS 102 221 §11.1.2
}

// gsm is the SIM command set of TS 51.011 §9.2 (class 'A0').
var gsm = [256]string{
	0x04: "INVALIDATE",
	0x10: "TERMINAL PROFILE",
	0x12: "FETCH",
	0x14: "TERMINAL RESPONSE",
	0x20: "VERIFY CHV",
	0x24: "CHANGE CHV",
	0x26: "DISABLE CHV",
	0x28: "ENABLE CHV",
	0x2C: "UNBLOCK CHV",
	0x32: "INCREASE",
	0x44: "REHABILITATE",
	0x88: "RUN GSM ALGORITHM",
	0xA2: "SEEK",
	0xA4: "SELECT",
	0xB0: "READ BINARY",
	0xB2: "READ RECORD",
	0xC0: "GET RESPONSE",
	0xC2: "ENVELOPE",
	0xD6: "UPDATE BINARY",
	0xDC: "UPDATE RECORD",
	0xF2: "STATUS",
	0xFA: "SLEEP",
}

// Package apdutrace turns command/response APDU pairs into the names the
// specifications use, for people reading a card session: the command name
// from CLA and INS (ISO/IEC 7816-4 §5.1 / §11, ETSI TS 102 221 §10.1.2
// Table 10.5, TS 102 222, TS 31.102 §7, TS 102 223 / TS 31.111,
// GlobalPlatform Card Specification §11), the meaning of P1/P2 where it
// matters (SELECT per TS 102 221 §11.1.1, STATUS, READ/UPDATE BINARY and
// RECORD with SFIs, VERIFY key references, AUTHENTICATE contexts), the names
// of well-known files (TS 102 221 §13, TS 31.102 §4.2) and applications
// (ETSI TS 101 220 Annex E), and the meaning of the status word
// (apdu.StatusWord).
//
// A Tracer follows the selected DF/ADF so that a FID is named in its
// directory (6F07 is EF.IMSI under ADF.USIM). Descriptions never include
// command data other than file identifiers and AIDs, so PINs and keys
// carried by VERIFY, CHANGE PIN or PUT KEY are never printed.
package apdutrace

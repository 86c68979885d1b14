// Package ota groups uiccsim's over-the-air remote management, both ends:
//
//   - ota/sms: SMS-DELIVER and SMS-SUBMIT TPDUs, addresses, time stamps,
//     user data headers and concatenation (3GPP TS 23.040).
//   - ota/scp80: secured command and response packets with DES/3DES/AES
//     ciphering, CBC-MAC/AES-CMAC checksums and CRCs (ETSI TS 102 225 §5,
//     3GPP TS 31.115 §4).
//   - ota/smspp: the SMS-PP download ENVELOPE (3GPP TS 31.111 §7.1.1).
//   - ota/rfm: remote command scripts, compact and expanded (ETSI TS
//     102 226 §5).
//   - ota/server: the OTA server — key set and counter per card, script to
//     ENVELOPEs, PoR verification — over any apdu.Transport.
//   - ota/engine: the card side — reassembly, key lookup, MSL, replay
//     counter, TAR dispatch, PoR in the ENVELOPE response or by SEND SHORT
//     MESSAGE, REFRESH after file changes.
//
// testdata/ota-scp80.json holds the SCP80 vectors (pySim unit tests and
// PoRs captured from real sysmoISIM cards) that the subpackages test
// against byte for byte.
package ota

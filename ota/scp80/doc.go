// Package scp80 implements the secured packets of ETSI TS 102 225 §5 as
// 3GPP TS 31.115 §4 carries them in SMS-PP: the command packet (CPL, CHL,
// SPI, KIc, KID, TAR, CNTR, PCNTR, RC/CC/DS, secured data) and the response
// packet or Proof of Receipt (UDH 02 71 00, RPL, RHL, TAR, CNTR, PCNTR,
// status, RC/CC/DS, data), for both ends: the OTA server builds commands and
// verifies PoRs, the card opens commands and builds PoRs.
//
// Ciphering is DES-CBC, 3DES-CBC with two or three keys, or AES-CBC (128,
// 192, 256) with a zero IV over CNTR to the end; the cryptographic checksum
// is the DES/3DES CBC-MAC or the AES-CMAC (NIST SP 800-38B) truncated to 8
// octets; the redundancy check is CRC-16 or CRC-32 of ISO/IEC 13239. The
// octets each covers follow pySim and the Onomondo SoftSIM, which agree: the
// command CC covers CPL..PCNTR ‖ data ‖ padding without the UDH, the PoR CC
// covers 02 71 00 ‖ RPL..status ‖ data ‖ padding.
//
// Opening a command decrypts in place and verifies without allocating;
// building appends to a caller's slice. Keys never print: Key and Cipher
// format as redacted, and checksums compare in constant time.
package scp80

// Package apdu implements the ISO/IEC 7816-3/-4 application protocol data
// units that every other part of uiccsim speaks: command APDUs in all seven
// cases (short and extended), status words with their ISO/IEC 7816-4 and
// ETSI TS 102 221 §10.2 meanings, the class byte of ISO/IEC 7816-4 §5.4.1 and
// ETSI TS 102 221 §10.1.1, and the Transport interface that an emulated card
// and a physical reader both satisfy.
//
// Subpackages hold the TLV codecs (apdu/tlv), the answer-to-reset
// (apdu/atr), the PC/SC transport (apdu/pcsc, the only package needing cgo),
// the vsmartcard vpcd protocol (apdu/vpcd) and the T=0 response handling
// (apdu/t0).
//
// Parsers alias their input and never allocate; builders append to a
// caller's slice, in the style of golang.org/x/crypto/cryptobyte.
package apdu

// Package vpcd serves a card (any apdu.Transport) to the vsmartcard virtual
// smart-card reader driver vpcd, so that pcscd and every PC/SC client on the
// machine (pySim, opensc-tool, pcsc_scan, apdu/pcsc) see it as a card in a
// reader named "Virtual PCD 00 00".
//
// The vpcd protocol (vsmartcard, virtualsmartcard/src/vpcd/vpcd.c): the card
// side opens a TCP connection to vpcd (127.0.0.1:35963 for the first reader,
// 35964 for the second) and both directions exchange frames of a 2-byte
// big-endian length followed by that many payload bytes. A 1-byte payload
// from vpcd is a control message (see Control); a longer payload is a command
// APDU that the card answers with one response APDU frame. Closing the
// connection removes the card. (A zero-length answer is no way to say so:
// Debian's vpcd 0.8 then waits in a zero-byte recv(2), and pcscd's
// SCardTransmit with it, until more bytes come.)
//
// Debian's vpcd writes each frame's length and payload as two TCP segments;
// a peer relying on delayed ACKs stalls for the delayed-ACK timer on every
// APDU (measured: ~70 ms per APDU instead of ~0.3 ms), so the server sets
// TCP_QUICKACK (Linux tcp(7)) before every read. A Server is
// allocation-free per frame once running.
package vpcd

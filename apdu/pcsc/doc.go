// Package pcsc reaches cards in PC/SC readers (PC/SC Workgroup
// specification part 5, "ICC Resource Manager Definition", as implemented by
// pcsc-lite's libpcsclite) and makes each one an apdu.Transport.
//
// It is the only package of uiccsim that needs cgo: built with
// CGO_ENABLED=0 every function returns ErrNoCGO, so the rest of the module
// still builds.
//
// The bindings are github.com/ebfe/scard, with two of its sharp edges
// guarded: it panics on an empty command, so Transmit refuses commands
// shorter than the 4-byte header of ISO/IEC 7816-3 §12.1 (a 1-byte command
// also cannot cross vpcd, where it reads as "power off"); and its Transmit
// allocates 64 KiB per call, so this package calls SCardTransmit itself with
// a receive buffer allocated once per connection.
//
// Each Card has a PC/SC context of its own, and so has each wait: pcsc-lite
// serializes the calls on one context, and pcscd holds SCardConnect back
// while another application keeps the card in a transaction, so a shared
// context would let one busy card stall every other call. Listing readers
// (Context.Readers, and Context.ReaderStates with each card's ATR) connects
// to no card and never waits for one.
package pcsc

// Package rfm implements the remote command scripts of ETSI TS 102 226 §5
// that remote file management (RFM) and remote application management
// carry inside OTA secured packets: the compact format (§5.1: concatenated
// C-APDUs, answered by the number of executed commands, the last status
// word and the last response data) and the expanded format (§5.2: the
// Command Scripting template AA / AE holding C-APDU TLVs 22, answered by the
// Response Scripting template AB / AF holding the number of executed
// commands 80 and R-APDU TLVs 23). Tags are those of ETSI TS 101 220 §7.2.
//
// The server side builds scripts and parses responses; the card side parses
// a script and runs it against any APDU processor (Executor), stopping at
// the first command that fails. Running appends the response to a caller's
// buffer without allocating.
package rfm

import "errors"

// ErrFormat is wrapped by every error about a malformed script or response.
var ErrFormat = errors.New("rfm: malformed script")

// Executor runs one C-APDU and appends its R-APDU (response data followed by
// SW1 SW2) to dst, returning the extended slice. The card side of an RFM
// application passes its file system's APDU processor.
type Executor interface {
	Exec(cmd []byte, dst []byte) (rsp []byte)
}

// ExecFunc adapts a function to Executor.
type ExecFunc func(cmd, dst []byte) []byte

// Exec calls f.
func (f ExecFunc) Exec(cmd, dst []byte) []byte { return f(cmd, dst) }

// Continues reports whether a script goes on after a command answered sw,
// TS 102 226 §5.1.1/§5.2.1: it stops at the first status word that is not
// normal processing (9000, 91xx, 61xx, and 9Fxx of the GSM SIM class A0,
// TS 51.011 §9.4.1) or a warning (62xx, 63xx).
func Continues(sw uint16) bool {
	switch sw >> 8 {
	case 0x91, 0x61, 0x9F, 0x62, 0x63:
		return true
	}
	return sw == 0x9000
}

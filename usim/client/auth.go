package client

import (
	"errors"
	"fmt"

	"github.com/uiccsim/uiccsim/apdu"
)

// ErrBadAuthResponse reports AUTHENTICATE response data that follows
// neither layout of TS 31.102 §7.1.2.1.
var ErrBadAuthResponse = errors.New("client: malformed AUTHENTICATE response")

// AuthOutcome says how the USIM answered a 3G AUTHENTICATE.
type AuthOutcome uint8

// Outcomes of TS 31.102 §7.1.2.1 (MAC failure is the error 9862 instead).
const (
	AuthSuccess     AuthOutcome = 0xDB // successful 3G authentication
	AuthSyncFailure AuthOutcome = 0xDC // synchronisation failure, AUTS
)

// String names the outcome.
func (o AuthOutcome) String() string {
	switch o {
	case AuthSuccess:
		return "successful 3G authentication"
	case AuthSyncFailure:
		return "synchronisation failure"
	}
	return fmt.Sprintf("AuthOutcome(%02X)", uint8(o))
}

// AuthResult is the decoded answer to AUTHENTICATE in 3G context (TS 31.102
// §7.1.2.1). On AuthSuccess RES, CK, IK (and Kc when HasKc) are set; on
// AuthSyncFailure AUTS. String never prints the keys.
type AuthResult struct {
	Outcome AuthOutcome
	RES     []byte
	CK, IK  [16]byte
	Kc      [8]byte
	HasKc   bool
	AUTS    [14]byte
}

// String shows the outcome, RES length and AUTS, never CK/IK/Kc.
func (r AuthResult) String() string {
	if r.Outcome == AuthSyncFailure {
		return fmt.Sprintf("%v, AUTS %x", r.Outcome, r.AUTS)
	}
	return fmt.Sprintf("%v, RES of %d bytes, CK/IK redacted, Kc present: %v", r.Outcome, len(r.RES), r.HasKc)
}

// GoString redacts as String does.
func (r AuthResult) GoString() string { return r.String() }

// ParseAuthResponse decodes the response data of AUTHENTICATE in 3G
// context (TS 31.102 §7.1.2.1): 'DB' L RES(4..16) '10' CK '10' IK
// ['08' Kc], or 'DC' '0E' AUTS.
func ParseAuthResponse(b []byte) (AuthResult, error) {
	var r AuthResult
	if len(b) < 2 {
		return r, fmt.Errorf("%w: %d bytes", ErrBadAuthResponse, len(b))
	}
	switch b[0] {
	case 0xDC:
		if b[1] != 14 || len(b) != 16 {
			return r, fmt.Errorf("%w: 'DC' with length %d and %d bytes, want 0E and 16", ErrBadAuthResponse, b[1], len(b))
		}
		r.Outcome = AuthSyncFailure
		copy(r.AUTS[:], b[2:])
		return r, nil
	case 0xDB:
	default:
		return r, fmt.Errorf("%w: tag %02X, want DB or DC", ErrBadAuthResponse, b[0])
	}
	n := int(b[1])
	if n < 4 || n > 16 {
		return r, fmt.Errorf("%w: RES length %d, want 4..16", ErrBadAuthResponse, n)
	}
	rest := b[2:]
	if len(rest) < n+34 {
		return r, fmt.Errorf("%w: %d bytes after RES length, want at least %d", ErrBadAuthResponse, len(rest), n+34)
	}
	r.Outcome = AuthSuccess
	r.RES = append([]byte(nil), rest[:n]...)
	rest = rest[n:]
	if rest[0] != 16 || rest[17] != 16 {
		return r, fmt.Errorf("%w: CK/IK length bytes %02X %02X, want 10 10", ErrBadAuthResponse, rest[0], rest[17])
	}
	copy(r.CK[:], rest[1:17])
	copy(r.IK[:], rest[18:34])
	rest = rest[34:]
	switch {
	case len(rest) == 0:
	case len(rest) == 9 && rest[0] == 8:
		r.HasKc = true
		copy(r.Kc[:], rest[1:])
	default:
		return r, fmt.Errorf("%w: %d bytes after IK, want none or 08 Kc", ErrBadAuthResponse, len(rest))
	}
	return r, nil
}

// Authenticate runs AUTHENTICATE in 3G context on the selected USIM
// (TS 31.102 §7.1.2: 00 88 00 81 22 10 RAND 10 AUTN 00). A MAC failure is
// a *CommandError wrapping apdu.SWAuthIncorrectMAC (9862).
func (c *Client) Authenticate(rand, autn [16]byte) (AuthResult, error) {
	var data [34]byte
	data[0] = 16
	copy(data[1:], rand[:])
	data[17] = 16
	copy(data[18:], autn[:])
	resp, err := c.do(apdu.Command{CLA: c.CLA, INS: 0x88, P1: 0x00, P2: 0x81, Data: data[:], Ne: 256})
	if err != nil {
		return AuthResult{}, err
	}
	return ParseAuthResponse(resp)
}

// AuthenticateGSM runs AUTHENTICATE in GSM context (TS 31.102 §7.1.2,
// P2=80: 00 88 00 80 11 10 RAND 00) and returns SRES and Kc from the
// response '04' SRES '08' Kc.
func (c *Client) AuthenticateGSM(rand [16]byte) (sres [4]byte, kc [8]byte, err error) {
	var data [17]byte
	data[0] = 16
	copy(data[1:], rand[:])
	resp, err := c.do(apdu.Command{CLA: c.CLA, INS: 0x88, P1: 0x00, P2: 0x80, Data: data[:], Ne: 256})
	if err != nil {
		return sres, kc, err
	}
	return ParseGSMAuthResponse(resp)
}

// ParseGSMAuthResponse decodes '04' SRES '08' Kc (TS 31.102 §7.1.2.2).
func ParseGSMAuthResponse(b []byte) (sres [4]byte, kc [8]byte, err error) {
	if len(b) != 14 || b[0] != 4 || b[5] != 8 {
		return sres, kc, fmt.Errorf("%w: GSM context response of %d bytes, want 04 SRES 08 Kc", ErrBadAuthResponse, len(b))
	}
	copy(sres[:], b[1:5])
	copy(kc[:], b[6:14])
	return sres, kc, nil
}

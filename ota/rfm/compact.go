package rfm

import (
	"fmt"
)

// outgoing reports whether INS is a TS 102 221 case 2 command, whose P3 is
// Le (no data follows in a compact script): READ BINARY, READ RECORD, GET
// RESPONSE, STATUS, GET CHALLENGE, GET DATA, FETCH. Every other command's
// P3 is Lc.
func outgoing(ins byte) bool {
	switch ins {
	case 0xB0, 0xB2, 0xC0, 0xF2, 0x84, 0xCA, 0x12:
		return true
	}
	return false
}

// CompactScript is a compact command script, TS 102 226 §5.1.1: C-APDUs
// coded as TS 102 221 (CLA INS P1 P2 P3 [data]) one after the other. Use
// ParseCompact to check it and Next to walk it.
type CompactScript []byte

// ParseCompact checks that b splits into whole C-APDUs, TS 102 226 §5.1.1.
func ParseCompact(b []byte) (CompactScript, error) {
	s := CompactScript(b)
	off := 0
	for len(s) > 0 {
		n, err := s.cmdLen()
		if err != nil {
			return nil, fmt.Errorf("%w: command at octet %d: %v", ErrFormat, off, err)
		}
		s = s[n:]
		off += n
	}
	return CompactScript(b), nil
}

func (s CompactScript) cmdLen() (int, error) {
	if len(s) < 5 {
		return 0, fmt.Errorf("%d octets left, a command needs CLA INS P1 P2 P3", len(s))
	}
	if outgoing(s[1]) {
		return 5, nil
	}
	n := 5 + int(s[4])
	if n > len(s) {
		return 0, fmt.Errorf("P3 announces %d data octets, %d present", s[4], len(s)-5)
	}
	return n, nil
}

// Next returns the first C-APDU in ISO/IEC 7816-4 short form and the rest
// of the script. A command with P3 = Lc = 0 comes back as its 4-octet header
// (case 1), as "CLA INS P1 P2 00" would read as Le = 256 in ISO form. ok is
// false at the end or on a malformed command (ParseCompact first).
func (s CompactScript) Next() (cmd []byte, rest CompactScript, ok bool) {
	n, err := s.cmdLen()
	if err != nil {
		return nil, nil, false
	}
	cmd = s[:n]
	if !outgoing(s[1]) && s[4] == 0 {
		cmd = s[:4]
	}
	return cmd, s[n:], true
}

// AppendCompact appends C-APDUs as a compact script, TS 102 226 §5.1.1.
// Each must be CLA INS P1 P2 P3 [P3 data octets] (case 2 INS with Le only);
// a 4-octet case 1 command gets P3 = 00.
func AppendCompact(dst []byte, cmds ...[]byte) ([]byte, error) {
	for i, c := range cmds {
		if len(c) == 4 && !outgoing(c[1]) {
			dst = append(dst, c...)
			dst = append(dst, 0)
			continue
		}
		n, err := CompactScript(c).cmdLen()
		if err != nil || n != len(c) {
			return dst, fmt.Errorf("%w: command %d (% X) is not one TS 102 221 command: P3 must be Lc, or Le for a case 2 INS", ErrFormat, i, c)
		}
		dst = append(dst, c...)
	}
	return dst, nil
}

// RunCompact executes a compact script with ex, stopping after the first
// command whose status word does not let the script continue, and appends
// the response of TS 102 226 §5.1.2: number of executed commands, the last
// command's SW1 SW2 and its response data. A malformed command ends the
// run like a failed one (it counts as not executed) and is reported as
// ErrFormat together with the response so far.
func RunCompact(dst []byte, script []byte, ex Executor) ([]byte, error) {
	start := len(dst)
	dst = append(dst, 0, 0, 0)
	base := len(dst)
	s := CompactScript(script)
	n := 0
	var ferr error
	for len(s) > 0 {
		cmd, rest, ok := s.Next()
		if !ok {
			_, err := s.cmdLen()
			ferr = fmt.Errorf("%w: command %d at octet %d: %v", ErrFormat, n+1, len(script)-len(s), err)
			break
		}
		s = rest
		rsp := ex.Exec(cmd, dst[:base])
		if len(rsp) < base+2 {
			// An executor that answered no status word: technical problem.
			rsp = append(rsp[:base], 0x6F, 0x00)
		}
		n++
		sw1, sw2 := rsp[len(rsp)-2], rsp[len(rsp)-1]
		dst = rsp[:len(rsp)-2]
		dst[start+1], dst[start+2] = sw1, sw2
		if !Continues(uint16(sw1)<<8 | uint16(sw2)) {
			break
		}
		if n == 255 && len(s) > 0 {
			ferr = fmt.Errorf("%w: more than 255 commands", ErrFormat)
			break
		}
	}
	if n == 0 {
		dst = dst[:base]
	}
	dst[start] = byte(n)
	return dst, ferr
}

// CompactResponse is the response of TS 102 226 §5.1.2.
type CompactResponse struct {
	Executed int    // number of commands executed
	SW       uint16 // status word of the last executed command (0 if none)
	Data     []byte // response data of the last executed command
}

// ParseCompactResponse decodes the response data of TS 102 226 §5.1.2.
// Data aliases b.
func ParseCompactResponse(b []byte) (CompactResponse, error) {
	switch {
	case len(b) == 0:
		return CompactResponse{}, fmt.Errorf("%w: empty response", ErrFormat)
	case len(b) < 3:
		if b[0] == 0 && len(b) == 1 {
			return CompactResponse{}, nil
		}
		return CompactResponse{}, fmt.Errorf("%w: response of %d octets has no status word", ErrFormat, len(b))
	}
	return CompactResponse{Executed: int(b[0]), SW: uint16(b[1])<<8 | uint16(b[2]), Data: b[3:]}, nil
}

func (r CompactResponse) String() string {
	return fmt.Sprintf("%d executed, last SW %04X, %d data octets", r.Executed, r.SW, len(r.Data))
}

package milenage

import "fmt"

// ParseAuthenticate3G decodes the data field of AUTHENTICATE in 3G context
// (TS 31.102 §7.1.2.1, P2 = '81'): L ‖ RAND ‖ L ‖ AUTN with both lengths
// '10'. It does not allocate; errors wrap ErrLength and name the byte.
func ParseAuthenticate3G(data []byte) (RAND, AUTN, error) {
	var rand RAND
	var autn AUTN
	if len(data) != 34 {
		return rand, autn, fmt.Errorf("%w: AUTHENTICATE 3G data is %d bytes, want 34 (TS 31.102 §7.1.2.1)", ErrLength, len(data))
	}
	if data[0] != 16 {
		return rand, autn, fmt.Errorf("%w: byte 0: RAND length %#02x, want 0x10", ErrLength, data[0])
	}
	if data[17] != 16 {
		return rand, autn, fmt.Errorf("%w: byte 17: AUTN length %#02x, want 0x10", ErrLength, data[17])
	}
	copy(rand[:], data[1:17])
	copy(autn[:], data[18:34])
	return rand, autn, nil
}

// ParseAuthenticateGSM decodes the data field of AUTHENTICATE in GSM
// context (TS 31.102 §7.1.2.1, P2 = '80'): L ‖ RAND with L = '10'.
func ParseAuthenticateGSM(data []byte) (RAND, error) {
	var rand RAND
	if len(data) != 17 {
		return rand, fmt.Errorf("%w: AUTHENTICATE GSM data is %d bytes, want 17 (TS 31.102 §7.1.2.1)", ErrLength, len(data))
	}
	if data[0] != 16 {
		return rand, fmt.Errorf("%w: byte 0: RAND length %#02x, want 0x10", ErrLength, data[0])
	}
	copy(rand[:], data[1:])
	return rand, nil
}

// AppendAuthenticate3G appends the 3G-context data field '10' ‖ RAND ‖
// '10' ‖ AUTN (TS 31.102 §7.1.2.1).
func AppendAuthenticate3G(dst []byte, rand RAND, autn AUTN) []byte {
	dst = append(dst, 16)
	dst = append(dst, rand[:]...)
	dst = append(dst, 16)
	return append(dst, autn[:]...)
}

// AppendAuthenticateGSM appends the GSM-context data field '10' ‖ RAND
// (TS 31.102 §7.1.2.1).
func AppendAuthenticateGSM(dst []byte, rand RAND) []byte {
	dst = append(dst, 16)
	return append(dst, rand[:]...)
}

// String names the selected functions as TS 33.102 §6.3.2 does, e.g.
// "f1|f2|f5".
func (f Funcs) String() string {
	names := [...]string{"f1", "f1*", "f2", "f3", "f4", "f5", "f5*", "SQN⊕AK", "SQN⊕AK*"}
	s := ""
	for i, n := range names {
		if f&(1<<i) != 0 {
			if s != "" {
				s += "|"
			}
			s += n
		}
	}
	if rest := f &^ (1<<len(names) - 1); rest != 0 {
		if s != "" {
			s += "|"
		}
		s += fmt.Sprintf("%#x", uint16(rest))
	}
	if s == "" {
		return "none"
	}
	return s
}

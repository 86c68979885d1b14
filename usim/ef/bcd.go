package ef

// Digit strings are stored "swapped BCD" throughout TS 102 221 / TS 31.102:
// the first digit in the low nibble of the first byte, 'F' fills an odd
// final nibble (e.g. TS 102 221 §13.2, TS 31.102 §4.2.26).

// isDigits reports whether s is non-empty ASCII decimal digits only.
func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// appendSwappedBCD appends digits (already validated, one nibble each) as
// swapped BCD, padding an odd count with 'F'.
func appendSwappedBCD(dst []byte, digits string, nibble func(byte) byte) []byte {
	for i := 0; i < len(digits); i += 2 {
		lo := nibble(digits[i])
		hi := byte(0xF)
		if i+1 < len(digits) {
			hi = nibble(digits[i+1])
		}
		dst = append(dst, hi<<4|lo)
	}
	return dst
}

func decNibble(c byte) byte { return c - '0' }

// Luhn returns the check digit (0–9) that the Luhn algorithm (ISO/IEC
// 7812-1 Annex B, used for the ICCID by ITU-T E.118 and TS 102 221 §13.2)
// appends to digits, and false if digits holds a non-digit.
func Luhn(digits string) (byte, bool) {
	sum := 0
	double := true // the rightmost payload digit is doubled
	for i := len(digits) - 1; i >= 0; i-- {
		c := digits[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		d := int(c - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return byte((10 - sum%10) % 10), true
}

// LuhnValid reports whether the last digit of s is the Luhn check digit of
// the digits before it.
func LuhnValid(s string) bool {
	if len(s) < 2 {
		return false
	}
	c, ok := Luhn(s[:len(s)-1])
	return ok && s[len(s)-1] == '0'+c
}

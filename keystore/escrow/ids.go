package escrow

import (
	"fmt"
	"strconv"
)

// ICCID is the UICC ID the escrow is keyed by (TR 33.812 §5.3.2.2 step 6):
// the integrated circuit card identifier of ITU-T E.118, as decimal digits,
// 18 to 20 of them of which the last is the Luhn check digit (ISO/IEC
// 7812-1 Annex B), the number EF_ICCID holds (ETSI TS 102 221 §13.2).
type ICCID string

// ParseICCID checks s: 18–20 decimal digits with a correct Luhn check digit.
func ParseICCID(s string) (ICCID, error) {
	if len(s) < 18 || len(s) > 20 {
		return "", fmt.Errorf("%w: ICCID %q has %d digits, need 18..20", ErrInvalid, s, len(s))
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return "", fmt.Errorf("%w: ICCID %q: byte %d is not a decimal digit", ErrInvalid, s, i)
		}
	}
	if want := luhn(s[:len(s)-1]); s[len(s)-1] != want {
		return "", fmt.Errorf("%w: ICCID %q: Luhn check digit is %c, want %c", ErrInvalid, s, s[len(s)-1], want)
	}
	return ICCID(s), nil
}

// NewICCID returns body (17–19 decimal digits) followed by its Luhn check
// digit.
func NewICCID(body string) (ICCID, error) {
	for i := 0; i < len(body); i++ {
		if body[i] < '0' || body[i] > '9' {
			return "", fmt.Errorf("%w: ICCID body %q: byte %d is not a decimal digit", ErrInvalid, body, i)
		}
	}
	return ParseICCID(body + string(luhn(body)))
}

// luhn returns the Luhn check digit of the decimal digits s (ISO/IEC 7812-1
// Annex B): doubling every second digit from the right, starting with the
// rightmost.
func luhn(s string) byte {
	sum := 0
	for i := range len(s) {
		d := int(s[len(s)-1-i] - '0')
		if i%2 == 0 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return byte('0' + (10-sum%10)%10)
}

// Valid reports whether the ICCID passes ParseICCID.
func (c ICCID) Valid() bool {
	_, err := ParseICCID(string(c))
	return err == nil
}

// OperatorID names an operator (an MNO of TR 33.812 §5.3.2.2) to the
// escrow: 1 to 64 printable ASCII characters, e.g. "MNO-A" or a PLMN ID.
type OperatorID string

// MaxOperatorIDLen is the longest operator ID.
const MaxOperatorIDLen = 64

// Validate checks the operator ID's length and characters.
func (o OperatorID) Validate() error {
	if len(o) == 0 || len(o) > MaxOperatorIDLen {
		return fmt.Errorf("%w: operator ID %q of %d bytes, need 1..%d", ErrInvalid, string(o), len(o), MaxOperatorIDLen)
	}
	for i := 0; i < len(o); i++ {
		if o[i] < 0x21 || o[i] > 0x7e {
			return fmt.Errorf("%w: operator ID %s: byte %d is not printable ASCII", ErrInvalid, strconv.Quote(string(o)), i)
		}
	}
	return nil
}

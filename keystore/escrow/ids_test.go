package escrow

import (
	"errors"
	"testing"
)

// The Luhn vectors are pySim's (osmocom/pysim tests/unittests/test_utils.py,
// ../shared/vectors/ef-codecs.json): calculate_luhn("898821100000053008")
// is 2, sanitize_iccid appends 1 to "8988211000000530081"; the EF_ICCID
// vector of pySim/ts_51_011.py decodes to "8988211000000430010".
func TestICCIDLuhnAgainstPySimVectors(t *testing.T) {
	for _, tt := range []struct{ body, want string }{
		{"898821100000053008", "8988211000000530082"},
		{"8988211000000530081", "89882110000005300811"},
		{"898821100000043001", "8988211000000430010"},
	} {
		got, err := NewICCID(tt.body)
		if err != nil || string(got) != tt.want {
			t.Errorf("NewICCID(%s) = %s, %v; want %s", tt.body, got, err, tt.want)
		}
		if _, err := ParseICCID(tt.want); err != nil {
			t.Errorf("ParseICCID(%s): %v", tt.want, err)
		}
	}
}

func TestParseICCIDRejects(t *testing.T) {
	for _, s := range []string{
		"8988211000000530083",   // wrong check digit
		"89882110000005300812",  // wrong check digit, 20 digits
		"898821100000053008",    // 18 digits, last is not its Luhn digit
		"89882110000005300",     // 17 digits
		"898821100000053008211", // 21 digits
		"898821100000053008F",   // not a digit
		"",
	} {
		if _, err := ParseICCID(s); !errors.Is(err, ErrInvalid) {
			t.Errorf("ParseICCID(%q) = %v, want ErrInvalid", s, err)
		}
	}
}

func TestOperatorIDValidate(t *testing.T) {
	for _, tt := range []struct {
		id OperatorID
		ok bool
	}{
		{"MNO-A", true}, {"00101", true}, {"", false}, {"MNO A", false}, {"MNO\x00", false},
		{OperatorID(make([]byte, MaxOperatorIDLen+1)), false},
	} {
		if err := tt.id.Validate(); (err == nil) != tt.ok {
			t.Errorf("OperatorID(%q).Validate() = %v", tt.id, err)
		}
	}
}

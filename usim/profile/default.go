package profile

// Test values of the default profile: K and OPc of 3GPP TS 35.208 §4.3
// test set 1, the test network IMSI 001-01 (TS 23.003, MCC 001 is the test
// MCC), and an ICCID with a valid Luhn check digit.
var (
	TestK   = Key128{0x46, 0x5b, 0x5c, 0xe8, 0xb1, 0x99, 0xb4, 0x9f, 0xaa, 0x5f, 0x0a, 0x2e, 0xe2, 0x38, 0xa6, 0xbc}
	TestOPc = Key128{0xcd, 0x63, 0xcb, 0x71, 0x95, 0x4a, 0x9f, 0x4e, 0x48, 0xa5, 0x99, 0x4e, 0x37, 0xa0, 0x2b, 0xaf}
)

// Default identities of the default profile.
const (
	DefaultIMSI = "001010123456789"
	// DefaultICCID is 89 (telecom) 001 (test country) 01 (issuer)
	// 012345678901 and its Luhn check digit 4.
	DefaultICCID = "8900101012345678904"
)

// Default returns the built-in profile that makes zero-configuration
// emulation work: Milenage with TS 35.208 set 1 K/OPc, IMSI 001010123456789,
// IND of 5 bits with an all-zero SQN array, PIN1 1234, PIN2 5678, PUK1
// 12345678, PUK2 87654321, ADM1 88888888, every file at its default.
func Default() *Profile {
	opc := TestOPc
	return &Profile{
		Name:   "uiccsim default test profile",
		ICCID:  DefaultICCID,
		IMSI:   DefaultIMSI,
		MNCLen: 2,
		Auth: Auth{
			Algorithm: Milenage,
			K:         TestK,
			OPc:       &opc,
			SQN:       SQNState{INDBits: 5},
		},
		PINs: PINs{
			PIN1: PIN{Value: "1234", Retries: 3, Max: 3},
			PIN2: PIN{Value: "5678", Retries: 3, Max: 3},
			PUK1: PIN{Value: "12345678", Retries: 10, Max: 10},
			PUK2: PIN{Value: "87654321", Retries: 10, Max: 10},
			ADM1: PIN{Value: "88888888", Retries: 10, Max: 10},
		},
	}
}

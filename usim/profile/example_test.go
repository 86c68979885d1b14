package profile_test

import (
	"errors"
	"fmt"

	"github.com/uiccsim/uiccsim/usim/profile"
)

func ExampleDefault() {
	p := profile.Default()
	p.Files = map[string]profile.File{
		"ADF.USIM/EF.SPN": {SPN: &profile.SPNValue{Name: "lab", Display: 1}},
	}
	b, err := p.Content("ADF.USIM/EF.SPN")
	fmt.Printf("% X %v\n", b[:4], err)
	fmt.Println(p.Auth.K) // secrets never print
	// Output:
	// 01 6C 61 62 <nil>
	// Key128(redacted)
}

func ExampleParse() {
	_, err := profile.Parse([]byte(`{"iccid": "8900101012345678904", "imsi": "0010101234567890", "mnc_len": 2}`))
	fmt.Println(err, errors.Is(err, profile.ErrInvalid))
	// Output: profile: imsi: digit count 16 exceeds 15 true
}

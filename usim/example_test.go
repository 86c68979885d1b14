package usim_test

import (
	"fmt"

	"github.com/uiccsim/uiccsim/usim"
	"github.com/uiccsim/uiccsim/usim/client"
	"github.com/uiccsim/uiccsim/usim/ef"
)

// Example builds the zero-configuration card and reads it with the client,
// as a terminal would over PC/SC.
func Example() {
	card, err := usim.New(nil) // nil: profile.Default()
	if err != nil {
		panic(err)
	}
	cl := client.New(card)
	iccid, _ := cl.ReadICCID()
	if err := cl.VerifyPIN(ef.KeyPIN1, "1234"); err != nil {
		panic(err)
	}
	imsi, _ := cl.ReadIMSI()
	spn, _ := cl.ReadSPN()
	fmt.Println(iccid, imsi, spn.Name, fmt.Sprintf("%X", cl.USIMAID()))
	// Output: 8900101012345678904 001010123456789 uiccsim A0000000871002FFFFFFFF8907090000
}

package client_test

import (
	"fmt"

	"github.com/uiccsim/uiccsim/apdu/pcsc"
	"github.com/uiccsim/uiccsim/apdu/t0"
	"github.com/uiccsim/uiccsim/milenage"
	"github.com/uiccsim/uiccsim/usim"
	"github.com/uiccsim/uiccsim/usim/client"
	"github.com/uiccsim/uiccsim/usim/ef"
	"github.com/uiccsim/uiccsim/usim/profile"
)

// The client drives the emulated default card in-process: ICCID, IMSI
// after PIN1, and AUTHENTICATE with a vector from milenage's network side
// (TS 31.102 §7.1.2), then the same vector again (synchronisation failure,
// AUTS checked by the AuC).
func Example() {
	p := profile.Default()
	card, err := usim.New(p)
	if err != nil {
		fmt.Println(err)
		return
	}
	cl := client.New(card)
	iccid, _ := cl.ReadICCID()
	fmt.Println("ICCID:", iccid)
	if err := cl.VerifyPIN(ef.KeyPIN1, "1234"); err != nil {
		fmt.Println(err)
		return
	}
	imsi, _ := cl.ReadIMSI()
	fmt.Println("IMSI:", imsi)

	auc := milenage.New(milenage.Key(p.Auth.K), milenage.Key(*p.Auth.OPc))
	rand := milenage.RAND{0x23, 0x55, 0x3c, 0xbe, 0x96, 0x37, 0xa8, 0x9d, 0x21, 0x8a, 0xe6, 0x4d, 0xae, 0x47, 0xbf, 0x35}
	vec := milenage.NewVector(auc, rand, 0x20, 0x8000) // SEQ 1, IND 0
	r, err := cl.Authenticate(rand, vec.AUTN)
	fmt.Println(r.Outcome, err, "RES == XRES:", string(r.RES) == string(vec.XRES.Bytes()))
	r, _ = cl.Authenticate(rand, vec.AUTN)
	sqnMS, err := milenage.VerifyAUTS(auc, rand, milenage.AUTS(r.AUTS))
	fmt.Println(r.Outcome, "SQN_MS:", sqnMS, err)
	// Output:
	// ICCID: 8900101012345678904
	// IMSI: 001010123456789
	// successful 3G authentication <nil> RES == XRES: true
	// synchronisation failure SQN_MS: 000000000020 <nil>
}

// The same client drives a card in a PC/SC reader — a physical UICC, or
// the emulated one served to vpcd by `uiccsim serve` — over apdu/pcsc,
// with apdu/t0 doing the T=0 GET RESPONSE procedure.
func Example_pcsc() {
	card, err := pcsc.Dial("Virtual PCD 00 00", pcsc.Any)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer card.Close()
	cl := client.New(t0.New(card))
	iccid, err := cl.ReadICCID()
	fmt.Println(iccid, err)
}

package ef_test

import (
	"fmt"

	"github.com/uiccsim/uiccsim/usim/ef"
)

func ExampleParseIMSI() {
	imsi, err := ef.ParseIMSI([]byte{0x08, 0x29, 0x26, 0x10, 0x11, 0x60, 0x84, 0x57, 0x40})
	if err != nil {
		panic(err)
	}
	fmt.Println(imsi, imsi.MCC(), imsi.MNC(2))
	// Output: 262011106487504 262 01
}

func ExampleIMSI_Append() {
	imsi, err := ef.NewIMSI("001010123456789")
	if err != nil {
		panic(err)
	}
	fmt.Printf("% X\n", imsi.Append(nil))
	// Output: 08 09 10 10 10 32 54 76 98
}

func ExampleNewICCIDWithLuhn() {
	c, _ := ef.NewICCIDWithLuhn("898821100000053008")
	fmt.Println(c, c.LuhnValid())
	fmt.Printf("% X\n", c.Append(nil))
	// Output:
	// 8988211000000530082 true
	// 98 88 12 01 00 00 50 03 80 F2
}

func ExampleNewPLMN() {
	p, _ := ef.NewPLMN("310", "150")
	q, _ := ef.NewPLMN("262", "01")
	fmt.Printf("%v % X\n%v % X\n", p, p.Append(nil), q, q.Append(nil))
	// Output:
	// 310-150 13 00 51
	// 262-01 62 F2 10
}

func ExampleParseARR() {
	rules, _ := ef.ParseARR([]byte{0x80, 0x01, 0x01, 0x90, 0x00, 0x80, 0x01, 0x02, 0xA4, 0x06, 0x83, 0x01, 0x0A, 0x95, 0x01, 0x08})
	fmt.Println(rules)
	adm := func(k ef.KeyRef) bool { return k == ef.KeyADM1 }
	fmt.Println(rules.Allows(ef.AMUpdate, adm), rules.Allows(ef.AMDelete, adm))
	// Output:
	// READ: ALW; UPDATE: ADM1
	// true false
}

func ExampleSPN_Append() {
	b, _ := ef.SPN{Display: ef.SPNShowPLMNInHPLMN, Name: "GSM-R CH"}.Append(nil)
	fmt.Printf("% X\n", b)
	// Output: 01 47 53 4D 2D 52 20 43 48 FF FF FF FF FF FF FF FF
}

func ExampleUST() {
	var u ef.UST
	u = u.Set(ef.ServiceGSMAccess, true).Set(ef.ServiceSPN, true)
	fmt.Printf("% X\n%v\n", []byte(u), u)
	// Output:
	// 00 00 04 04
	// UST{19 Service Provider Name; 27 GSM Access}
}

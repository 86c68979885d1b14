package atr_test

import (
	"fmt"

	"github.com/uiccsim/uiccsim/apdu/atr"
)

// Decoding the ATR of a sysmoUSIM-SJS1 (ISO/IEC 7816-3 §8).
func ExampleParse() {
	a, err := atr.Parse([]byte{0x3B, 0x9F, 0x96, 0x80, 0x1F, 0xC7, 0x80, 0x31, 0xA0, 0x73, 0xBE,
		0x21, 0x13, 0x67, 0x43, 0x20, 0x07, 0x18, 0x00, 0x00, 0x01, 0xA5})
	if err != nil {
		panic(err)
	}
	fi, _, di, _ := a.FiDi()
	xi, ui, _ := a.ClockStopAndClasses()
	fmt.Println(a.Protocols(), "Fi", fi, "Di", di)
	fmt.Println(xi, "/", ui)
	fmt.Printf("historical % X\n", a.Historical)
	// Output:
	// T=0 Fi 512 Di 32
	// clock stop with no preference / A (5 V), B (3 V), C (1.8 V)
	// historical 80 31 A0 73 BE 21 13 67 43 20 07 18 00 00 01
}

// Building the ATR of an emulated UICC: T=0 offered, T=15 global bytes with
// the class indicator (ETSI TS 102 221 §6.3); Append computes T0, the TDi
// and TCK.
func ExampleATR_Append() {
	a := atr.ATR{
		TS: atr.Direct,
		Groups: []atr.Group{
			{Present: atr.HasTA | atr.HasTD, TA: 0x96, T: 0}, // TA1: Fi=512 Di=32
			{Present: atr.HasTD, T: 15},                      // TD2: global bytes follow
			{Present: atr.HasTA, TA: 0xC7},                   // TA3: clock stop any, classes A B C
		},
		Historical: []byte{0x80, 0x31, 0xA0, 0x73, 0xBE, 0x21, 0x13, 0x67},
	}
	b, err := a.Append(nil)
	fmt.Printf("% X %v\n", b, err)
	// Output: 3B 98 96 80 1F C7 80 31 A0 73 BE 21 13 67 DF <nil>
}

func ExampleATR_String() {
	a, _ := atr.Parse([]byte{0x3B, 0x8A, 0x80, 0x01, 0x00, 0x31, 0xC1, 0x73, 0xC8, 0x40, 0x00, 0x00, 0x90, 0x00, 0x90})
	fmt.Println(a)
	// Output: ATR 3B 8A 80 01 00 31 C1 73 C8 40 00 00 90 00 90: TS=3B direct convention; T0=8A Y1=1000 K=10 historical bytes; TD1=80 Y2=1000 T=0; TD2=01 Y3=0000 T=1; historical bytes 00 31 C1 73 C8 40 00 00 90 00 [category 00, COMPACT-TLV: card service data C1, card capabilities C8 40 00 (1 logical channel); status indicator LCS 00 SW 9000]; TCK=90 (correct checksum); protocols offered: T=0, T=1.
}

// Command apdu-decode decodes command APDUs given as hex on the command line
// (or the built-in sample when none is given) and prints their case, class
// byte and fields, showing the apdu package at work.
//
//	go run ./examples/apdu-decode 00A4000402 3F00 00A40004023F0000
package main

import (
	"encoding/hex"
	"fmt"
	"os"
	"strings"

	"github.com/uiccsim/uiccsim/apdu"
)

var samples = []string{
	"00A40004023F0000",           // SELECT MF, return FCP (case 4S)
	"80F2000000",                 // STATUS, Le=00 means 256 (case 2S)
	"002000010831323334FFFFFFFF", // VERIFY PIN1 "1234", FF-padded (case 3S)
	"008800812210000102030405060708090A0B0C0D0E0F10F0F1F2F3F4F5F6F7F8F9FAFBFCFDFEFF00", // AUTHENTICATE 3G
	"00B0000000FFFF",       // READ BINARY, extended Le=65535 (case 2E)
	"0020000108313233",     // malformed: Lc=8 but 3 data bytes
	"00D60000000002AABB00", // malformed: extended Lc with a short Le
}

func main() {
	args := os.Args[1:]
	if len(args) == 0 {
		args = samples
	}
	bad := 0
	for _, a := range args {
		b, err := hex.DecodeString(strings.ReplaceAll(a, " ", ""))
		if err != nil {
			fmt.Printf("%s\n  not hex: %v\n", a, err)
			bad++
			continue
		}
		c, err := apdu.ParseCommand(b)
		if err != nil {
			fmt.Printf("%X\n  rejected: %v\n", b, err)
			bad++
			continue
		}
		fmt.Printf("%X\n  %s, CLA %s, INS %02X, P1 %02X, P2 %02X, Nc %d, Ne %d\n",
			b, c.Case(), c.Class(), c.INS, c.P1, c.P2, c.Nc(), c.Ne)
	}
	fmt.Printf("%d decoded, %d rejected\n", len(args)-bad, bad)
}

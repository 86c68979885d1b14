package apdu_test

import (
	"errors"
	"fmt"

	"github.com/uiccsim/uiccsim/apdu"
)

// Decoding a SELECT of the MF by file identifier, case 4S (ISO/IEC 7816-3
// §12.1.3): Lc=02, data 3F00, Le=00 meaning up to 256 bytes.
func ExampleParseCommand() {
	c, err := apdu.ParseCommand([]byte{0x00, 0xA4, 0x00, 0x04, 0x02, 0x3F, 0x00, 0x00})
	if err != nil {
		panic(err)
	}
	fmt.Println(c.Case(), c.Class())
	fmt.Printf("INS=%02X Nc=%d data=%X Ne=%d\n", c.INS, c.Nc(), c.Data, c.Ne)
	// Output:
	// case 4S 00 (interindustry, channel 0)
	// INS=A4 Nc=2 data=3F00 Ne=256
}

// A malformed command is refused with the reason and the offending byte.
func ExampleParseCommand_malformed() {
	_, err := apdu.ParseCommand([]byte{0x00, 0xA4, 0x00, 0x04, 0x05, 0x3F, 0x00})
	fmt.Println(err)
	fmt.Println(errors.Is(err, apdu.ErrMalformed))
	// Output:
	// apdu: malformed command APDU at byte 4: short Lc=5 announces 5 data bytes but only 2 follow
	// true
}

// Building a READ BINARY of 300 bytes needs the extended Le (case 2E).
func ExampleCommand_Append() {
	c := apdu.Command{CLA: 0x00, INS: 0xB0, Ne: 300}
	b, err := c.Append(nil)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%X %v\n", b, c.Case())
	// Output: 00B0000000012C case 2E
}

// Moving a TS 102 221 command to logical channel 5 switches to the further
// class coding (ETSI TS 102 221 §10.1.1).
func ExampleCLA_WithChannel() {
	cla := apdu.CLA(0x80).WithChannel(5)
	fmt.Println(cla)
	// Output: C1 (proprietary, channel 5)
}

func ExampleStatusWord() {
	fmt.Println(apdu.StatusWord(0x6A82))
	fmt.Println(apdu.StatusWord(0x6C10))
	fmt.Println(apdu.StatusWord(0x9862))
	// Output:
	// 6A82 (file or application not found)
	// 6C10 (wrong Le, 16 bytes available)
	// 9862 (authentication error, incorrect MAC)
}

// A refusal travels as a Go error and is recognised with errors.Is.
func ExampleStatusWord_error() {
	err := fmt.Errorf("VERIFY PIN: %w", apdu.SWRetries(2))
	var sw apdu.StatusWord
	if errors.As(err, &sw) {
		n, _ := sw.Retries()
		fmt.Println(err, "->", n, "tries left")
	}
	// Output: VERIFY PIN: 63C2 (verification failed, 2 retries left) -> 2 tries left
}

func ExampleParseResponse() {
	data, sw, err := apdu.ParseResponse([]byte{0x98, 0x10, 0x90, 0x00})
	fmt.Printf("%X %v %v\n", data, sw, err)
	// Output: 9810 9000 (normal ending) <nil>
}

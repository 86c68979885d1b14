package t0_test

import (
	"fmt"

	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/apdu/t0"
)

// simCard is a card on T=0: it answers SELECT with 61xx and hands the FCP
// out through GET RESPONSE.
type simCard struct{ fcp []byte }

func (c *simCard) Transmit(dst, cmd []byte) ([]byte, error) {
	fmt.Printf("card got %X\n", cmd)
	if cmd[1] == t0.InsGetResponse {
		return apdu.AppendResponse(dst, c.fcp[:cmd[4]], apdu.SWOK), nil
	}
	return append(dst, 0x61, byte(len(c.fcp))), nil
}
func (c *simCard) Reset(bool) ([]byte, error) { return nil, nil }
func (c *simCard) Close() error               { return nil }

func ExampleTransport_Transmit() {
	card := t0.New(&simCard{fcp: []byte{0x62, 0x03, 0x82, 0x01, 0x38}})
	// SELECT MF, case 4: Le is stripped and the FCP fetched with GET RESPONSE.
	rsp, err := card.Transmit(nil, []byte{0x00, 0xA4, 0x00, 0x04, 0x02, 0x3F, 0x00, 0x00})
	fmt.Printf("%X %v\n", rsp, err)
	// Output:
	// card got 00A40004023F00
	// card got 00C0000005
	// 62038201389000 <nil>
}

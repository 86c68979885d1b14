package vpcd_test

import (
	"context"
	"fmt"
	"net"

	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/apdu/vpcd"
)

// okCard answers every command with 9000.
type okCard struct{}

func (okCard) Transmit(dst, _ []byte) ([]byte, error) {
	return apdu.AppendResponse(dst, nil, apdu.SWOK), nil
}
func (okCard) Reset(bool) ([]byte, error) { return []byte{0x3B, 0x00}, nil }
func (okCard) Close() error               { return nil }

func ExampleServe() {
	// A stand-in for vpcd: in real use pcscd's vpcd driver listens on
	// vpcd.DefaultAddr.
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	defer ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- vpcd.Serve(ctx, ln.Addr().String(), okCard{}) }()

	conn, _ := ln.Accept()
	var hdr [2]byte
	buf := make([]byte, vpcd.MaxPayload)
	for _, payload := range [][]byte{
		{byte(vpcd.PowerOn)},
		{byte(vpcd.GetATR)},
		{0x00, 0xA4, 0x00, 0x04, 0x02, 0x3F, 0x00},
	} {
		frame, _ := vpcd.AppendFrame(nil, payload)
		conn.Write(frame)
		if len(payload) == 1 && vpcd.Control(payload[0]) != vpcd.GetATR {
			fmt.Printf("%v: no answer\n", vpcd.Control(payload[0]))
			continue
		}
		answer, _ := vpcd.ReadFrame(conn, &hdr, buf)
		fmt.Printf("%X → %X\n", payload, answer)
	}
	conn.Close()
	cancel()
	fmt.Println(<-done)
	// Output:
	// power on: no answer
	// 04 → 3B00
	// 00A40004023F00 → 9000
	// <nil>
}

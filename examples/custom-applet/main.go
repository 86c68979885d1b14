// Command custom-applet shows a user-written applet running in the uiccsim
// Java Card–style runtime (package usim/jc): a small purse (purse.go) is
// installed under its AID, reached by SELECT, and driven with a few
// commands whose exchanges are printed. applet_test.go tests it with table
// tests and fuzzes it with package usim/apdufuzz.
//
//	go run ./examples/custom-applet
//
// With -serve the same card is then served to vpcd (vsmartcard) until
// interrupted, so pcscd and every PC/SC tool see it (see README.md):
//
//	go run ./examples/custom-applet -serve 127.0.0.1:35963
package main

import (
	"context"
	"encoding/hex"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"strings"

	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/apdu/vpcd"
	"github.com/uiccsim/uiccsim/usim/jc"
)

// NewCard returns a powered-off runtime holding only the purse, opened
// with PIN "1234" and a balance of 0.
func NewCard() (*jc.Runtime, error) {
	rt := jc.New(jc.Options{})
	p, err := NewPurse(rt.Store(), []byte("1234"), 0)
	if err != nil {
		return nil, err
	}
	if err := rt.Install(PurseAID, p); err != nil {
		return nil, err
	}
	return rt, nil
}

// demo is the session main prints: each command with what it does.
var demo = []struct{ apdu, what string }{
	{fmt.Sprintf("00A40400 %02X %s 00", PurseAID.Len(), PurseAID), "SELECT the purse by AID"},
	{"80500000 04", "GET BALANCE"},
	{"80520000 04 00000064", "CREDIT 100"},
	{"80540000 04 0000001E", "DEBIT 30 before VERIFY"},
	{"00200081 08 31313131FFFFFFFF", "VERIFY a wrong PIN"},
	{"00200081", "VERIFY without data: tries left"},
	{"00200081 08 31323334FFFFFFFF", "VERIFY 1234"},
	{"80540000 04 0000001E 04", "DEBIT 30, answer the balance (case 4: T=0 says 61 04)"},
	{"00C00000 04", "GET RESPONSE"},
	{"80540000 04 00000100", "DEBIT 256: more than the balance"},
	{"80500000 02", "GET BALANCE with a wrong Le (T=0 says 6C 04)"},
	{"80500000 04", "GET BALANCE"},
}

func main() {
	serve := flag.String("serve", "", "after the demo, serve the card to the vpcd at this address (e.g. "+vpcd.DefaultAddr+")")
	flag.Parse()
	rt, err := NewCard()
	if err != nil {
		log.Fatal(err)
	}
	atr, err := rt.Reset(true)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("ATR %X\n", atr)
	for _, d := range demo {
		cmd, err := hex.DecodeString(strings.ReplaceAll(d.apdu, " ", ""))
		if err != nil {
			log.Fatal(err)
		}
		resp, err := rt.Transmit(nil, cmd)
		if err != nil {
			log.Fatal(err)
		}
		data, sw, err := apdu.ParseResponse(resp)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("\n%s\n> %X\n< ", d.what, cmd)
		if len(data) > 0 {
			fmt.Printf("%X ", data)
		}
		fmt.Println(sw)
	}
	if *serve == "" {
		return
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	fmt.Printf("\nserving the purse to vpcd at %s (Ctrl-C to stop)\n", *serve)
	if err := vpcd.Serve(ctx, *serve, rt); err != nil && ctx.Err() == nil {
		log.Fatal(err)
	}
}

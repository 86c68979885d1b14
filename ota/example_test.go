package ota_test

import (
	"encoding/hex"
	"fmt"

	"github.com/uiccsim/uiccsim/ota/scp80"
	"github.com/uiccsim/uiccsim/ota/server"
	"github.com/uiccsim/uiccsim/ota/sms"
	"github.com/uiccsim/uiccsim/usim"
	"github.com/uiccsim/uiccsim/usim/ef"
	"github.com/uiccsim/uiccsim/usim/profile"
)

// Example_updateIMSI rewrites EF_IMSI over the air: an operator's OTA
// server sends an RFM script (SELECT EF_IMSI, UPDATE BINARY) to the USIM's
// RFM TAR B00010 secured with AES (CC, ciphering, counter), through a
// test terminal; the card answers the PoR and queues REFRESH (UICC reset),
// which the terminal carries out, reading the new IMSI.
func Example_updateIMSI() {
	key := func(s string) []byte { b, _ := hex.DecodeString(s); return b }
	p := profile.Default()
	p.OTAKeySets = []profile.OTAKeySet{{KVN: 1,
		KIc:  profile.OTAKey{Algorithm: "aes", Key: "000102030405060708090a0b0c0d0e0f"},
		KID:  profile.OTAKey{Algorithm: "aes", Key: "101112131415161718191a1b1c1d1e1f"},
		TARs: []profile.HexBytes{{0xB0, 0x00, 0x10}}}}
	card, err := usim.New(p)
	if err != nil {
		panic(err)
	}
	term := usim.NewTerminal(card)
	if err := term.Activate(); err != nil {
		panic(err)
	}
	fmt.Println("before:", term.IMSI)

	enc, _ := scp80.NewCipher(scp80.AlgAES, key("000102030405060708090a0b0c0d0e0f"))
	mac, _ := scp80.NewCipher(scp80.AlgAES, key("101112131415161718191a1b1c1d1e1f"))
	srv := &server.Card{TAR: scp80.TARRFMUSIM, KIc: scp80.NewKIc(scp80.AlgAES, 1), KID: scp80.NewKID(scp80.AlgAES, 1),
		SPI: scp80.NewSPI(scp80.SPIOptions{Integrity: scp80.CryptoChecksum, Ciphered: true, Counter: scp80.CounterHigher,
			PoR: scp80.PoRAlways, PoRIntegrity: scp80.CryptoChecksum, PoRCiphered: true}),
		Keys: scp80.Keys{Enc: enc, MAC: mac}, Originator: sms.Address{TON: 1, NPI: 1, Digits: "123456"}}
	imsi, _ := ef.NewIMSI("001019876543210")
	_, res, err := srv.Run(term, [][]byte{
		{0x00, 0xA4, 0x00, 0x0C, 0x02, 0x6F, 0x07},
		append([]byte{0x00, 0xD6, 0x00, 0x00, 0x09}, imsi.Append(nil)...),
	})
	if err != nil {
		panic(err)
	}
	fmt.Println("PoR:", res.PoR.Status, "last SW:", res.APDUs[1].SW)
	fmt.Println("REFRESH:", term.Refreshes[0].Mode)
	fmt.Println("after:", term.IMSI)
	// Output:
	// before: 001010123456789
	// PoR: PoR OK (00) last SW: 9000 (normal ending)
	// REFRESH: UICC reset
	// after: 001019876543210
}

package server

import (
	"fmt"
	"testing"

	"github.com/uiccsim/uiccsim/ota/scp80"
	"github.com/uiccsim/uiccsim/ota/sms"
)

func ExampleCard_Prepare() {
	kic, _ := scp80.NewCipher(scp80.Alg3DES2, scp80.Key{0x30, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15})
	kid, _ := scp80.NewCipher(scp80.Alg3DES2, scp80.Key{0x30, 0x11, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15})
	card := &Card{
		TAR: scp80.TAR{0xB0, 0x00, 0x11}, SPI: scp80.SPI{0x06, 0x19},
		KIc: scp80.NewKIc(scp80.Alg3DES2, 3), KID: scp80.NewKID(scp80.Alg3DES2, 3),
		Keys:       scp80.Keys{Enc: kic, MAC: kid},
		Originator: sms.Address{TON: sms.TONUnknown, NPI: sms.NPIISDN, Digits: "12345678"},
		SCTS:       sms.Timestamp{Year: 22, Month: 7, Day: 25},
	}
	m, _ := card.Prepare([][]byte{{0x00, 0xA4, 0x00, 0x04, 0x02, 0x3F, 0x00}})
	envs, _ := card.Envelopes(m)
	fmt.Println(card.SPI)
	fmt.Println(envs[0])
	// Output:
	// SPI 0619: cryptographic checksum, ciphered, no counter; PoR required, PoR cryptographic checksum, PoR ciphered, PoR by SMS-DELIVER-REPORT
	// 80C20000 Lc=62 D13C820283818B36400881214365877FF6227052000000002502700000201506193535B00011AE733256918D050B87C94FBFE12E4DC402F262C41CF67F2F Ne=256
}

// FuzzParseSendSM: the proactive command parser never panics.
func FuzzParseSendSM(f *testing.F) {
	f.Add([]byte{0xD0, 0x0E, 0x81, 0x03, 0x01, 0x13, 0x00, 0x82, 0x02, 0x81, 0x83, 0x8B, 0x03, 0x41, 0x00, 0x00})
	f.Fuzz(func(t *testing.T, b []byte) {
		d, tpdu, err := parseSendSM(b)
		if err == nil && (len(d) != 3 || len(tpdu) > len(b)) {
			t.Fatal("inconsistent result")
		}
	})
}

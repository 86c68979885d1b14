package engine_test

import (
	"fmt"

	"github.com/uiccsim/uiccsim/ota/engine"
	"github.com/uiccsim/uiccsim/ota/rfm"
	"github.com/uiccsim/uiccsim/ota/scp80"
	"github.com/uiccsim/uiccsim/ota/server"
	"github.com/uiccsim/uiccsim/ota/sms"
)

func ExampleEngine_Download() {
	kic, _ := scp80.NewCipher(scp80.AlgAES, scp80.Key("0123456789abcdef"))
	kid, _ := scp80.NewCipher(scp80.AlgAES, scp80.Key("fedcba9876543210"))
	keys := scp80.Keys{Enc: kic, MAC: kid}

	// The card: key set 1, RFM for ADF.USIM with MSL 16 (CC, ciphered,
	// counter must be higher), a file system that accepts everything.
	fs := rfm.ExecFunc(func(cmd, dst []byte) []byte { return append(dst, 0x90, 0x00) })
	card := &engine.Engine{
		Keys:     engine.KeyTable{1: keys},
		Counters: engine.MemCounters{},
		Targets:  map[scp80.TAR]engine.Target{scp80.TARRFMUSIM: {App: engine.RFM{Exec: fs}, MSL: 0x16}},
	}

	// The server: SPI 1619, counter 0 → the command goes with CNTR 1.
	srv := &server.Card{TAR: scp80.TARRFMUSIM, SPI: scp80.SPI{0x16, 0x19},
		KIc: scp80.NewKIc(scp80.AlgAES, 1), KID: scp80.NewKID(scp80.AlgAES, 1), Keys: keys,
		Originator: sms.Address{TON: sms.TONInternational, NPI: sms.NPIISDN, Digits: "4912345"}}
	m, _ := srv.Prepare([][]byte{{0x00, 0xA4, 0x00, 0x04, 0x02, 0x6F, 0x07}})
	envs, _ := srv.Envelopes(m)

	por, rep := card.Download(nil, envs[0].Data)
	res, _ := srv.ParsePoR(m, por)
	fmt.Println(rep.SW, rep.Status)
	fmt.Println(res.APDUs[0])
	// Output:
	// 9000 (normal ending) PoR OK (00)
	// 00 A4 00 04 02 6F 07: 9000 (normal ending), 0 data octets
}

// busyApp is an application that cannot take the packet now and says so
// in the PoR status.
type busyApp struct{}

func (busyApp) Run(dst, data []byte) []byte { return dst }
func (busyApp) RunStatus(dst, data []byte) ([]byte, scp80.Status) {
	return dst, scp80.StatusInsufficientMemory
}

// An application that implements StatusApplication sets the PoR status
// code (TS 102 225 §5.1.2); the PoR stays secured as the SPI asks.
func ExampleStatusApplication() {
	kic, _ := scp80.NewCipher(scp80.AlgAES, scp80.Key("0123456789abcdef"))
	kid, _ := scp80.NewCipher(scp80.AlgAES, scp80.Key("fedcba9876543210"))
	keys := scp80.Keys{Enc: kic, MAC: kid}
	tar := scp80.TAR{0xB2, 0x00, 0x01}
	card := &engine.Engine{
		Keys:     engine.KeyTable{1: keys},
		Counters: engine.MemCounters{},
		Targets:  map[scp80.TAR]engine.Target{tar: {App: busyApp{}, MSL: 0x16}},
	}
	srv := &server.Card{TAR: tar, SPI: scp80.SPI{0x16, 0x19},
		KIc: scp80.NewKIc(scp80.AlgAES, 1), KID: scp80.NewKID(scp80.AlgAES, 1), Keys: keys,
		Originator: sms.Address{TON: sms.TONInternational, NPI: sms.NPIISDN, Digits: "4912345"}}
	m, _ := srv.Prepare([][]byte{{0x80, 0xE2, 0x00, 0x00}})
	envs, _ := srv.Envelopes(m)
	por, rep := card.Download(nil, envs[0].Data)
	res, _ := srv.ParsePoR(m, por)
	fmt.Println(rep.Status, res.PoR.Secured)
	// Output:
	// insufficient memory to process incoming message (07) true
}

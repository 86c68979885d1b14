package uicc

import (
	"bytes"
	"testing"

	"github.com/uiccsim/uiccsim/apdu/pcsc"
	"github.com/uiccsim/uiccsim/internal/pcsctest"
	"github.com/uiccsim/uiccsim/ota/scp80"
)

// TestOTAThroughPCSCD serves the OTA-enabled card through pcscd and the
// vpcd driver and lets the OTA server rewrite EF_IMSI over PC/SC, reading
// the PoR, then reads EF_IMSI back over PC/SC.
func TestOTAThroughPCSCD(t *testing.T) {
	card, _, _ := newCard(t, Options{})
	reader := pcsctest.Serve(t, card)
	c, err := pcsc.Dial(reader, pcsc.Any)
	if err != nil {
		t.Fatalf("Dial(%q): %v", reader, err)
	}
	t.Cleanup(func() { c.Close() })
	srv := serverCard(t, scp80.TARRFMUSIM)
	_, res, err := srv.Run(c, imsiScript())
	if err != nil {
		t.Fatal(err)
	}
	if res.PoR.Status != scp80.StatusOK || res.Executed != 3 || !bytes.Equal(res.APDUs[2].Data, newIMSI) {
		t.Fatalf("%+v", res)
	}
	// Read it back as a terminal would: SELECT ADF.USIM, VERIFY PIN1 (EF_IMSI
	// is read under PIN1), SELECT EF_IMSI, READ BINARY.
	for _, step := range []struct{ cmd, want []byte }{
		{[]byte{0x00, 0xA4, 0x04, 0x0C, 0x07, 0xA0, 0x00, 0x00, 0x00, 0x87, 0x10, 0x02}, []byte{0x90, 0x00}},
		{[]byte{0x00, 0x20, 0x00, 0x01, 0x08, '1', '2', '3', '4', 0xFF, 0xFF, 0xFF, 0xFF}, []byte{0x90, 0x00}},
		{[]byte{0x00, 0xA4, 0x00, 0x0C, 0x02, 0x6F, 0x07}, []byte{0x90, 0x00}},
		{[]byte{0x00, 0xB0, 0x00, 0x00, 0x09}, append(bytes.Clone(newIMSI), 0x90, 0x00)},
	} {
		rsp, err := c.Transmit(nil, step.cmd)
		if err != nil || !bytes.Equal(rsp, step.want) {
			t.Fatalf("% X → % X (%v), want % X", step.cmd, rsp, err, step.want)
		}
	}
}

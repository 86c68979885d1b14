package usim

import (
	"bytes"
	"testing"

	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/apdu/pcsc"
	"github.com/uiccsim/uiccsim/internal/pcsctest"
	"github.com/uiccsim/uiccsim/ota/scp80"
)

// TestOTAThroughPCSCD serves the card through the real pcscd and the vpcd
// driver, lets the OTA server rewrite EF_IMSI over PC/SC (SMS-PP download
// ENVELOPE, PoR read back with GET RESPONSE on T=0), then reads EF_IMSI
// back over PC/SC as a terminal would.
func TestOTAThroughPCSCD(t *testing.T) {
	c, err := New(otaProfile(nil))
	if err != nil {
		t.Fatal(err)
	}
	reader := pcsctest.Serve(t, c)
	pc, err := pcsc.Dial(reader, pcsc.Any)
	if err != nil {
		t.Fatalf("Dial(%q): %v", reader, err)
	}
	t.Cleanup(func() { pc.Close() })
	for _, kvn := range []int{1, 2} { // AES, then 3DES
		imsi := []string{"", "001019876543210", "001015555555555"}[kvn]
		srv := otaServer(t, kvn, scp80.TARRFMUSIM, fullSPI)
		_, res, err := srv.Run(pc, updateIMSIScript(t, imsi))
		if err != nil {
			t.Fatalf("KVN %d: %v", kvn, err)
		}
		if res.PoR.Status != scp80.StatusOK || !res.PoR.Secured || res.Executed != 2 || res.APDUs[1].SW != apdu.SWOK {
			t.Fatalf("KVN %d: PoR %+v, result %+v", kvn, res.PoR, res)
		}
		// The card announces the REFRESH the script queued (91xx); fetch it
		// and carry out the UICC reset as a terminal would (TS 102 223
		// §6.4.7), then read EF_IMSI back over PC/SC: SELECT ADF.USIM, VERIFY PIN1 (EF_IMSI is
		// read under PIN1), SELECT EF_IMSI, READ BINARY.
		// Any command now answers 91xx: the REFRESH is pending.
		rsp, err := pc.Transmit(nil, []byte{0x80, 0xF2, 0x00, 0x0C, 0x00})
		if err != nil || len(rsp) != 2 || rsp[0] != 0x91 {
			t.Fatalf("KVN %d: STATUS → % X (%v), want 91xx (REFRESH pending)", kvn, rsp, err)
		}
		rsp, err = pc.Transmit(nil, []byte{0x80, 0x12, 0x00, 0x00, rsp[1]})
		if err != nil || len(rsp) < 7 || rsp[0] != 0xD0 || rsp[5] != 0x01 {
			t.Fatalf("KVN %d: FETCH → % X (%v), want a REFRESH proactive command", kvn, rsp, err)
		}
		if _, err := pc.Reset(false); err != nil {
			t.Fatalf("KVN %d: warm reset: %v", kvn, err)
		}
		for _, step := range []struct{ cmd, want []byte }{
			{[]byte{0x00, 0xA4, 0x04, 0x0C, 0x07, 0xA0, 0x00, 0x00, 0x00, 0x87, 0x10, 0x02}, []byte{0x90, 0x00}},
			{[]byte{0x00, 0x20, 0x00, 0x01, 0x08, '1', '2', '3', '4', 0xFF, 0xFF, 0xFF, 0xFF}, []byte{0x90, 0x00}},
			{[]byte{0x00, 0xA4, 0x00, 0x0C, 0x02, 0x6F, 0x07}, []byte{0x90, 0x00}},
			{[]byte{0x00, 0xB0, 0x00, 0x00, 0x09}, append(imsiBytes(t, imsi), 0x90, 0x00)},
		} {
			rsp, err := pc.Transmit(nil, step.cmd)
			if err != nil || !bytes.Equal(rsp, step.want) {
				t.Fatalf("KVN %d: % X → % X (%v), want % X", kvn, step.cmd, rsp, err, step.want)
			}
		}
	}
}

package smspp

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/uiccsim/uiccsim/ota/scp80"
	"github.com/uiccsim/uiccsim/ota/sms"
)

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Independent vectors:
//   - the SMS-PP data download envelope of 3GPP TS 31.124 test 27.22.5.1.1
//     (seq 1.1), as an Android telephony test carries it;
//   - a real OTA envelope logged by a SIM tool (secured packet, TAR B05000).
const (
	ts31124Envelope = "d12d8202838106099111223344556677f88b1c04049121437f16891010000000000d546573744d6573736167652031"
	otaEnvelope     = "D13F820283810607919471227200008B30400C919471227208027FF6792040907505001D02700000181502012120B05000F00000000F00C7B76069475CD40CABCD"
)

func TestDownloadVectors(t *testing.T) {
	t.Run("TS 31.124 27.22.5.1.1", func(t *testing.T) {
		raw := unhex(t, ts31124Envelope)
		d, err := ParseDownload(raw)
		if err != nil {
			t.Fatal(err)
		}
		if !d.HasAddress || d.Address.TON != sms.TONInternational || d.Address.NPI != sms.NPIISDN || d.Address.Digits != "112233445566778" {
			t.Fatalf("address %+v", d.Address)
		}
		dl, err := sms.ParseDeliver(d.TPDU)
		if err != nil {
			t.Fatal(err)
		}
		if dl.OA.Digits != "1234" || dl.PID != sms.PIDUSIMDataDownload || dl.DCS != sms.DCSData8bit || string(dl.UD) != "TestMessage 1" || !dl.NoMoreMessages {
			t.Fatalf("TPDU %+v", dl)
		}
		// Build it again from the decoded values, octet for octet.
		tpdu, err := dl.Append(nil)
		if err != nil {
			t.Fatal(err)
		}
		again, err := (&Download{HasAddress: true, Address: d.Address, TPDU: tpdu}).Append(nil)
		if err != nil || !bytes.Equal(again, raw) {
			t.Fatalf("Append\n got %x\nwant %x (%v)", again, raw, err)
		}
	})
	t.Run("logged OTA envelope", func(t *testing.T) {
		raw := unhex(t, otaEnvelope)
		d, err := ParseDownload(raw)
		if err != nil {
			t.Fatal(err)
		}
		dl, err := sms.ParseDeliver(d.TPDU)
		if err != nil {
			t.Fatal(err)
		}
		h, pkt, err := dl.Header()
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := h.Find(sms.IEICommandPacket); !ok {
			t.Fatal("no IEI 70")
		}
		hdr, err := scp80.ParseCommandHeader(pkt)
		if err != nil {
			t.Fatal(err)
		}
		if hdr.TAR.String() != "B05000" || hdr.SPI != (scp80.SPI{0x02, 0x01}) {
			t.Fatalf("%v", hdr)
		}
		again, _ := (&d).Append(nil)
		if !bytes.Equal(again, raw) {
			t.Fatalf("got %x", again)
		}
	})
}

func TestParseDownloadRejects(t *testing.T) {
	tests := []struct{ name, hex string }{
		{"not D1", "d0058202838105"},
		{"length past end", "d12d820283818b01"},
		{"trailing octets", "d107820283818b014000"},
		{"wrong device identities", "d10782028183" + "8b0140"},
		{"no TPDU", "d10482028381"},
		{"no device identities", "d1038b0140"},
		{"unknown comprehension-required object", "d10a82028381c1010b8b0140"},
		{"address without TON/NPI bit 7", "d10a820283810601118b0140"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := unhex(t, tc.hex)
			if _, err := ParseDownload(b); !errors.Is(err, ErrEnvelope) {
				t.Fatalf("err = %v", err)
			}
		})
	}
	// An unknown object without CR is skipped.
	if _, err := ParseDownload(unhex(t, "d10a82028381410100"+"8b0140")); err != nil {
		t.Fatal(err)
	}
}

func TestLongEnvelopeUsesTwoOctetLength(t *testing.T) {
	d := Download{TPDU: make([]byte, 160)}
	b, err := d.Append(nil)
	if err != nil {
		t.Fatal(err)
	}
	// D1 81 A7 | 82 02 83 81 | 8B 81 A0 ...
	if !bytes.Equal(b[:10], unhex(t, "d181a7820283818b81a0")) || len(b) != 3+167 {
		t.Fatalf("% x", b[:10])
	}
	if back, err := ParseDownload(b); err != nil || len(back.TPDU) != 160 {
		t.Fatal(err)
	}
}

func FuzzParseDownload(f *testing.F) {
	f.Add(unhex(f, ts31124Envelope))
	f.Add(unhex(f, otaEnvelope))
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := ParseDownload(b)
		if err != nil {
			return
		}
		if _, err := d.Append(nil); err != nil && d.Address.TON != sms.TONAlphanumeric && len(d.TPDU) < 200 {
			t.Fatalf("accepted envelope does not rebuild: %v", err)
		}
	})
}

func ExampleEnvelope() {
	tpdu, _ := (&sms.Deliver{
		UDHI: true, OA: sms.Address{TON: sms.TONUnknown, NPI: sms.NPIISDN, Digits: "12345678"},
		PID: sms.PIDUSIMDataDownload, DCS: sms.DCSClass2Data8bit, UD: []byte{0x02, 0x70, 0x00},
	}).Append(nil)
	data, _ := (&Download{TPDU: tpdu}).Append(nil)
	cmd := Envelope(data)
	b, _ := cmd.Append(nil)
	fmt.Printf("%X\n", b)
	// Output:
	// 80C200001CD11A820283818B14400881214365877FF6000000000000000302700000
}

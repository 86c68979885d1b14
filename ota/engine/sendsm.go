package engine

import (
	"fmt"

	"github.com/uiccsim/uiccsim/ota/sms"
	"github.com/uiccsim/uiccsim/ota/smspp"
	"golang.org/x/crypto/cryptobyte"
	"golang.org/x/crypto/cryptobyte/asn1"
)

// SendShortMessage appends the proactive command SEND SHORT MESSAGE of
// TS 102 223 §6.6.9 carrying ud in an SMS-SUBMIT to da: D0, command
// details (81 03 number 13 00), device identities (82 02 81 83: UICC to
// network), the service centre address when d has one (06), and the SMS
// TPDU (8B).
func SendShortMessage(dst []byte, number byte, da sms.Address, d smspp.Download, ud []byte) ([]byte, error) {
	sub := sms.Submit{UDHI: true, DA: da, PID: sms.PIDUSIMDataDownload, DCS: sms.DCSClass2Data8bit, UD: ud}
	tpdu, err := sub.Append(nil)
	if err != nil {
		return dst, err
	}
	var addr []byte
	if d.HasAddress {
		if addr, err = sms.AppendSemiOctets([]byte{d.Address.TOA()}, d.Address.Digits); err != nil {
			return dst, err
		}
	}
	b := cryptobyte.NewBuilder(dst)
	b.AddASN1(asn1.Tag(0xD0), func(b *cryptobyte.Builder) {
		b.AddASN1(asn1.Tag(0x81), func(b *cryptobyte.Builder) { b.AddBytes([]byte{number, 0x13, 0x00}) })
		b.AddASN1(asn1.Tag(0x82), func(b *cryptobyte.Builder) { b.AddBytes([]byte{smspp.DeviceUICC, smspp.DeviceNetwork}) })
		if d.HasAddress {
			b.AddASN1(asn1.Tag(0x06), func(b *cryptobyte.Builder) { b.AddBytes(addr) })
		}
		b.AddASN1(asn1.Tag(0x8B), func(b *cryptobyte.Builder) { b.AddBytes(tpdu) })
	})
	out, err := b.Bytes()
	if err != nil {
		return dst, fmt.Errorf("engine: SEND SHORT MESSAGE: %w", err)
	}
	return out, nil
}

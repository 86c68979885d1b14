package engine

import (
	"fmt"

	"github.com/uiccsim/uiccsim/apdu/tlv"
	"github.com/uiccsim/uiccsim/ota/sms"
	"github.com/uiccsim/uiccsim/ota/smspp"
)

// TagProactiveCommand is the BER-TLV tag of a proactive command, TS 102 223
// §9.1.
const TagProactiveCommand tlv.Tag = 0xD0

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
	b := tlv.NewBuilder(dst)
	b.AddBER(TagProactiveCommand, func(b *tlv.Builder) {
		b.AddComprehension(tlv.CTagCommandDetails, true, []byte{number, 0x13, 0x00})
		b.AddComprehension(tlv.CTagDeviceIdentities, true, []byte{smspp.DeviceUICC, smspp.DeviceNetwork})
		if d.HasAddress {
			b.AddComprehension(tlv.CTagAddress, false, addr)
		}
		b.AddComprehension(tlv.CTagSMSTPDU, true, tpdu)
	})
	out, err := b.Bytes()
	if err != nil {
		return dst, fmt.Errorf("engine: SEND SHORT MESSAGE: %w", err)
	}
	return out, nil
}

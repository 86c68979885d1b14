// Package smspp builds and parses the SMS-PP data download ENVELOPE of
// 3GPP TS 31.111 §7.1.1 (ETSI TS 102 223 §7.1.1): the BER-TLV tag D1
// holding the COMPREHENSION-TLVs device identities (source network,
// destination UICC), the optional address of the service centre and the
// SMS-DELIVER TPDU. It is the way an OTA command packet reaches the card.
//
// The TLVs are read and written with the project's BER-TLV and
// COMPREHENSION-TLV codec, package apdu/tlv.
package smspp

import (
	"errors"
	"fmt"

	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/apdu/tlv"
	"github.com/uiccsim/uiccsim/ota/sms"
)

// TagSMSPPDownload is the BER-TLV tag of the ENVELOPE, TS 102 223 §9.1.
// Inside it the COMPREHENSION-TLVs go with the CR flag set for the
// mandatory objects (82 device identities, 8B SMS TPDU) and clear for the
// optional address (06), as TS 31.111 §7.1.1.2 shows them.
const TagSMSPPDownload tlv.Tag = 0xD1

// Device identities of TS 102 223 §8.7.
const (
	DeviceUICC     = 0x81
	DeviceTerminal = 0x82
	DeviceNetwork  = 0x83
)

// ErrEnvelope is wrapped by every error of ParseDownload and Append.
var ErrEnvelope = errors.New("smspp: malformed SMS-PP download")

// Download is the content of an SMS-PP download ENVELOPE, TS 31.111
// §7.1.1.2. The device identities are always network (83) to UICC (81).
type Download struct {
	HasAddress bool        // the optional address data object is present
	Address    sms.Address // RP-OA of the service centre, TS 102 223 §8.1
	TPDU       []byte      // the SMS-DELIVER TPDU, TS 102 223 §8.13
}

// Append appends the BER-TLV D1 of TS 31.111 §7.1.1.2: 82 02 83 81,
// [06 address], 8B TPDU.
func (d *Download) Append(dst []byte) ([]byte, error) {
	var addr []byte
	if d.HasAddress {
		var err error
		if d.Address.TON == sms.TONAlphanumeric {
			return dst, fmt.Errorf("%w: address: an ADDRESS object holds a dialling number, not alphanumeric text", ErrEnvelope)
		}
		if addr, err = sms.AppendSemiOctets([]byte{d.Address.TOA()}, d.Address.Digits); err != nil {
			return dst, fmt.Errorf("%w: address: %w", ErrEnvelope, err)
		}
	}
	b := tlv.NewBuilder(dst)
	b.AddBER(TagSMSPPDownload, func(b *tlv.Builder) {
		b.AddComprehension(tlv.CTagDeviceIdentities, true, []byte{DeviceNetwork, DeviceUICC})
		if d.HasAddress {
			b.AddComprehension(tlv.CTagAddress, false, addr)
		}
		b.AddComprehension(tlv.CTagSMSTPDU, true, d.TPDU)
	})
	out, err := b.Bytes()
	if err != nil {
		return dst, fmt.Errorf("%w: %w", ErrEnvelope, err)
	}
	if len(out)-len(dst) > 255 {
		return dst, fmt.Errorf("%w: %d octets do not fit one ENVELOPE", ErrEnvelope, len(out)-len(dst))
	}
	return out, nil
}

// ParseDownload decodes the data of an SMS-PP download ENVELOPE, TS 31.111
// §7.1.1.2, checking the device identities (83 → 81) and that the TPDU is
// present. Unknown objects are skipped unless their CR bit is set
// (TS 102 223 §6.10). TPDU aliases b.
func ParseDownload(b []byte) (Download, error) {
	var d Download
	r := tlv.NewReader(b)
	var body tlv.Reader
	if !r.ReadExpectBER(TagSMSPPDownload, &body) {
		return d, fmt.Errorf("%w: %w", ErrEnvelope, r.Err())
	}
	if !r.Empty() {
		return d, fmt.Errorf("%w: %d octets after the D1 object", ErrEnvelope, r.Len())
	}
	seenDev, seenTPDU := false, false
	for !body.Empty() {
		off := body.Offset()
		var tag tlv.CTag
		var cr bool
		var v []byte
		if !body.ReadComprehensionBytes(&tag, &cr, &v) {
			return d, fmt.Errorf("%w: %w", ErrEnvelope, body.Err())
		}
		switch tag {
		case tlv.CTagDeviceIdentities:
			if len(v) != 2 || v[0] != DeviceNetwork || v[1] != DeviceUICC {
				return d, fmt.Errorf("%w: device identities at octet %d are % X, want 83 81", ErrEnvelope, off, v)
			}
			seenDev = true
		case tlv.CTagAddress:
			if len(v) < 1 || v[0]&0x80 == 0 {
				return d, fmt.Errorf("%w: address at octet %d has no TON/NPI octet", ErrEnvelope, off)
			}
			digits, err := sms.ParseSemiOctets(v[1:])
			if err != nil {
				return d, fmt.Errorf("%w: address at octet %d: %w", ErrEnvelope, off, err)
			}
			d.HasAddress = true
			d.Address = sms.Address{TON: sms.TON(v[0] >> 4 & 7), NPI: sms.NPI(v[0] & 0x0F), Digits: digits}
		case tlv.CTagSMSTPDU:
			d.TPDU = v
			seenTPDU = true
		default:
			if cr {
				return d, fmt.Errorf("%w: unknown comprehension-required object %v at octet %d", ErrEnvelope, tag, off)
			}
		}
	}
	if !seenDev || !seenTPDU {
		return d, fmt.Errorf("%w: device identities or SMS TPDU missing", ErrEnvelope)
	}
	return d, nil
}

// Envelope wraps data in the ENVELOPE command of ETSI TS 102 221 §10.1.2
// / TS 31.111: CLA 80, INS C2, P1 P2 00 00, Le 00 (the PoR comes back as
// response data; on T=0 as 61xx/9Fxx and GET RESPONSE).
func Envelope(data []byte) apdu.Command {
	return apdu.Command{CLA: 0x80, INS: 0xC2, Data: data, Ne: 256}
}

// Package smspp builds and parses the SMS-PP data download ENVELOPE of
// 3GPP TS 31.111 §7.1.1 (ETSI TS 102 223 §7.1.1): the BER-TLV tag D1
// holding the COMPREHENSION-TLVs device identities (source network,
// destination UICC), the optional address of the service centre and the
// SMS-DELIVER TPDU. It is the way an OTA command packet reaches the card.
//
// The TLVs are walked with golang.org/x/crypto/cryptobyte; the project's
// COMPREHENSION-TLV codec (apdu/tlv) had not landed in main when this was
// written.
package smspp

import (
	"errors"
	"fmt"

	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/ota/sms"
	"golang.org/x/crypto/cryptobyte"
	"golang.org/x/crypto/cryptobyte/asn1"
)

// Tags, TS 102 223 §9.1 (BER-TLV) and §9.3 (COMPREHENSION-TLV, CR bit
// 0x80 set as TS 31.111 §7.1.1.2 sends them for the mandatory objects).
const (
	TagSMSPPDownload    = 0xD1 // SMS-PP download tag, TS 102 223 §9.1
	TagDeviceIdentities = 0x82 // device identities, CR set, TS 102 223 §8.7
	TagAddress          = 0x06 // address, CR clear, TS 102 223 §8.1
	TagSMSTPDU          = 0x8B // SMS TPDU, CR set, TS 102 223 §8.13
)

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
	b := cryptobyte.NewBuilder(dst)
	b.AddASN1(asn1.Tag(TagSMSPPDownload), func(b *cryptobyte.Builder) {
		b.AddASN1(asn1.Tag(TagDeviceIdentities), func(b *cryptobyte.Builder) {
			b.AddBytes([]byte{DeviceNetwork, DeviceUICC})
		})
		if d.HasAddress {
			b.AddASN1(asn1.Tag(TagAddress), func(b *cryptobyte.Builder) { b.AddBytes(addr) })
		}
		b.AddASN1(asn1.Tag(TagSMSTPDU), func(b *cryptobyte.Builder) { b.AddBytes(d.TPDU) })
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
	s := cryptobyte.String(b)
	var body cryptobyte.String
	if !s.ReadASN1(&body, asn1.Tag(TagSMSPPDownload)) {
		return d, fmt.Errorf("%w: want BER-TLV D1 with a valid length at octet 0", ErrEnvelope)
	}
	if !s.Empty() {
		return d, fmt.Errorf("%w: %d octets after the D1 object", ErrEnvelope, len(s))
	}
	seenDev, seenTPDU := false, false
	for !body.Empty() {
		off := len(b) - len(body)
		var v cryptobyte.String
		var tag asn1.Tag
		if !body.ReadAnyASN1(&v, &tag) {
			return d, fmt.Errorf("%w: bad COMPREHENSION-TLV at octet %d", ErrEnvelope, off)
		}
		switch byte(tag) & 0x7F {
		case TagDeviceIdentities & 0x7F:
			if len(v) != 2 || v[0] != DeviceNetwork || v[1] != DeviceUICC {
				return d, fmt.Errorf("%w: device identities at octet %d are % X, want 83 81", ErrEnvelope, off, []byte(v))
			}
			seenDev = true
		case TagAddress:
			if len(v) < 1 || v[0]&0x80 == 0 {
				return d, fmt.Errorf("%w: address at octet %d has no TON/NPI octet", ErrEnvelope, off)
			}
			digits, err := sms.ParseSemiOctets(v[1:])
			if err != nil {
				return d, fmt.Errorf("%w: address at octet %d: %w", ErrEnvelope, off, err)
			}
			d.HasAddress = true
			d.Address = sms.Address{TON: sms.TON(v[0] >> 4 & 7), NPI: sms.NPI(v[0] & 0x0F), Digits: digits}
		case TagSMSTPDU & 0x7F:
			d.TPDU = v
			seenTPDU = true
		default:
			if byte(tag)&0x80 != 0 {
				return d, fmt.Errorf("%w: unknown comprehension-required tag %02X at octet %d", ErrEnvelope, byte(tag), off)
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

package tlv_test

import (
	"fmt"

	"github.com/uiccsim/uiccsim/apdu/tlv"
)

// Walking the FCP template a UICC returns to SELECT (ETSI TS 102 221
// §11.1.1.3), descending into the constructed proprietary-information
// template A5.
func ExampleReader_ReadBER() {
	fcp := []byte{0x62, 0x17, 0x82, 0x02, 0x41, 0x21, 0x83, 0x02, 0x6F, 0x07, 0x8A, 0x01, 0x05,
		0x8B, 0x03, 0x6F, 0x06, 0x0A, 0x80, 0x02, 0x00, 0x09, 0x88, 0x01, 0x38}
	r := tlv.NewReader(fcp)
	var tag tlv.Tag
	var body, v tlv.Reader
	if !r.ReadBER(&tag, &body) {
		panic(r.Err())
	}
	fmt.Println(tag)
	for !body.Empty() {
		if !body.ReadBER(&tag, &v) {
			panic(body.Err())
		}
		fmt.Printf("  %02X: % X\n", uint32(tag), v.Bytes())
	}
	// Output:
	// 62 (FCP template)
	//   82: 41 21
	//   83: 6F 07
	//   8A: 05
	//   8B: 6F 06 0A
	//   80: 00 09
	//   88: 38
}

// Finding one field by tag without walking by hand.
func ExampleReader_FindBER() {
	fcp := []byte{0x62, 0x0A, 0x82, 0x02, 0x41, 0x21, 0x83, 0x02, 0x6F, 0x07, 0x8A, 0x01, 0x05}
	r := tlv.NewReader(fcp)
	var body, fid tlv.Reader
	var id uint16
	if r.ReadExpectBER(tlv.TagFCP, &body) && body.FindBER(0x83, &fid) && fid.ReadUint16(&id) {
		fmt.Printf("file %04X\n", id)
	}
	// Output: file 6F07
}

// Reading the COMPREHENSION-TLV objects of an SMS-PP download envelope
// (3GPP TS 31.124 §27.22.5, ETSI TS 102 223 Annex C).
func ExampleReader_ReadComprehension() {
	env := []byte{0xD1, 0x0F, 0x82, 0x02, 0x83, 0x81, 0x06, 0x03, 0x91, 0x21, 0xF3,
		0x8B, 0x04, 0x04, 0x00, 0x00, 0x00}
	r := tlv.NewReader(env)
	var tag tlv.Tag
	var body, v tlv.Reader
	r.ReadBER(&tag, &body)
	fmt.Println(tag)
	var ct tlv.CTag
	var cr bool
	for !body.Empty() && body.ReadComprehension(&ct, &cr, &v) {
		fmt.Printf("  %v CR=%v % X\n", ct, cr, v.Bytes())
	}
	fmt.Println(body.Err())
	// Output:
	// D1 (SMS-PP download)
	//   02 (device identities) CR=true 83 81
	//   06 (address) CR=false 91 21 F3
	//   0B (SMS TPDU) CR=true 04 00 00 00
	// <nil>
}

// Building a proactive command: the Builder fixes up every length.
func ExampleBuilder_AddBER() {
	b := tlv.NewBuilder(nil)
	b.AddBER(tlv.TagProactiveCommand, func(b *tlv.Builder) {
		b.AddComprehension(tlv.CTagCommandDetails, true, []byte{0x01, 0x03, 0x00}) // POLL INTERVAL
		b.AddComprehension(tlv.CTagDeviceIdentities, true, []byte{0x81, 0x82})     // UICC → terminal
		b.AddComprehension(tlv.CTagDuration, true, []byte{0x01, 0x1E})             // 30 seconds
	})
	out, err := b.Bytes()
	fmt.Printf("% X %v\n", out, err)
	// Output: D0 0D 81 03 01 03 00 82 02 81 82 84 02 01 1E <nil>
}

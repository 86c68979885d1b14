package tlv

import (
	"encoding/hex"
	"encoding/json"
	"os"
	"strings"
	"testing"
)

type vector struct {
	ID     string `json:"id"`
	Source string `json:"source"`
	Hex    string `json:"hex"`
	Padded bool   `json:"padded"`
}

type vectorFile struct {
	BER []vector `json:"ber"`
	CAT []vector `json:"cat"`
}

func loadVectors(t testing.TB) vectorFile {
	t.Helper()
	raw, err := os.ReadFile("testdata/vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var v vectorFile
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	if len(v.BER) == 0 || len(v.CAT) == 0 {
		t.Fatal("testdata/vectors.json holds no vectors")
	}
	return v
}

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatalf("bad hex %q: %v", s, err)
	}
	return b
}

// node is a decoded BER-TLV object; kids are set for constructed tags.
type node struct {
	tag  Tag
	prim []byte
	kids []node
}

// walkBER decodes a sequence of BER-TLV objects, descending into every
// constructed value (ISO/IEC 8825-1 §8.1.2.5), up to depth levels.
func walkBER(r *Reader, depth int) ([]node, error) {
	var out []node
	for !r.Empty() {
		var n node
		var v Reader
		if !r.ReadBER(&n.tag, &v) {
			return nil, r.Err()
		}
		if n.tag.Constructed() && depth > 0 {
			kids, err := walkBER(&v, depth-1)
			if err != nil {
				return nil, err
			}
			n.kids = kids
		} else {
			n.prim = v.Bytes()
		}
		out = append(out, n)
	}
	return out, nil
}

func buildBER(b *Builder, nodes []node) {
	for _, n := range nodes {
		if n.prim != nil || n.kids == nil {
			b.AddBERBytes(n.tag, n.prim)
			continue
		}
		b.AddBER(n.tag, func(b *Builder) { buildBER(b, n.kids) })
	}
}

type cnode struct {
	tag CTag
	cr  bool
	val []byte
}

func walkComprehension(r *Reader) ([]cnode, error) {
	var out []cnode
	for !r.Empty() {
		var n cnode
		if !r.ReadComprehensionBytes(&n.tag, &n.cr, &n.val) {
			return nil, r.Err()
		}
		out = append(out, n)
	}
	return out, nil
}

// Every BER-TLV vector (FCPs returned by real cards, EF_DIR and EF_ARR
// records) walks to its end and is rebuilt byte for byte by the Builder.
func TestBERVectorsWalkAndRebuild(t *testing.T) {
	for _, v := range loadVectors(t).BER {
		t.Run(v.ID, func(t *testing.T) {
			in := unhex(t, v.Hex)
			r := NewReader(in)
			nodes, err := walkBER(&r, 8)
			if err != nil {
				t.Fatalf("walk %s: %v", v.Hex, err)
			}
			b := NewBuilder(nil)
			buildBER(b, nodes)
			out, err := b.Bytes()
			if err != nil {
				t.Fatal(err)
			}
			if !equal(out, in) {
				t.Fatalf("rebuilt %X, want %X", out, in)
			}
			// pySim's harness also decodes the record followed by 'FF'
			// padding (ISO/IEC 7816-4 §5.2.2.1); so do we.
			padded := append(append([]byte{}, in...), 0xFF, 0xFF, 0xFF)
			r = NewReader(padded)
			var tag Tag
			var val Reader
			for {
				r.SkipPadding()
				if r.Empty() {
					break
				}
				if !r.ReadBER(&tag, &val) {
					t.Fatalf("padded walk: %v", r.Err())
				}
			}
		})
	}
}

// The CAT templates (SMS-PP download envelopes of TS 31.124 §27.22.5,
// proactive commands) are a BER-TLV object holding COMPREHENSION-TLV
// objects (ETSI TS 102 223 Annex C); each walks and rebuilds exactly.
func TestCATVectorsWalkAndRebuild(t *testing.T) {
	for _, v := range loadVectors(t).CAT {
		t.Run(v.ID, func(t *testing.T) {
			in := unhex(t, v.Hex)
			r := NewReader(in)
			var tag Tag
			var body Reader
			if !r.ReadBER(&tag, &body) || !r.Empty() {
				t.Fatalf("outer template: %v, %d bytes left", r.Err(), r.Len())
			}
			if tag < TagProactiveCommand || tag > TagTimerExpiration {
				t.Fatalf("tag %v is not a CAT template", tag)
			}
			items, err := walkComprehension(&body)
			if err != nil {
				t.Fatalf("walk: %v", err)
			}
			b := NewBuilder(make([]byte, 0, len(in)))
			b.AddBER(tag, func(b *Builder) {
				for _, it := range items {
					b.AddComprehension(it.tag, it.cr, it.val)
				}
			})
			out, err := b.Bytes()
			if err != nil {
				t.Fatal(err)
			}
			if !equal(out, in) {
				t.Fatalf("rebuilt %X, want %X", out, in)
			}
		})
	}
}

func equal(a, b []byte) bool { return string(a) == string(b) }

// FCP of the MF returned by a real UICC (pySim test_decode_select_resp):
// the fields pySim decodes, found by tag (ETSI TS 102 221 §11.1.1.4).
func TestFCPOfMF(t *testing.T) {
	fcp := unhex(t, "622c8202782183023f00a50c80017183040003a7388701018a01058b032f0601c60c90016083010183010a83010b")
	r := NewReader(fcp)
	var body Reader
	if !r.ReadExpectBER(TagFCP, &body) {
		t.Fatal(r.Err())
	}
	want := map[Tag]string{
		0x82: "7821",   // file descriptor: shareable DF
		0x83: "3F00",   // file identifier
		0x8A: "05",     // life cycle status: operational, activated
		0x8B: "2F0601", // security attributes referenced: EF_ARR 2F06 record 1
	}
	for tag, w := range want {
		var v Reader
		if !body.FindBER(tag, &v) {
			t.Fatalf("tag %v not found", tag)
		}
		if got := strings.ToUpper(hex.EncodeToString(v.Bytes())); got != w {
			t.Errorf("tag %v = %s, want %s", tag, got, w)
		}
	}
	// A5 proprietary information: UICC characteristics 71, available
	// memory 0003A738 = 239416 bytes, and the 87 object.
	var a5, v Reader
	if !body.FindBER(0xA5, &a5) {
		t.Fatal("A5 not found")
	}
	var mem uint32
	var x uint8
	if !a5.FindBER(0x80, &v) || !v.ReadUint8(&x) || x != 0x71 {
		t.Errorf("UICC characteristics = %02X", x)
	}
	if !a5.FindBER(0x83, &v) || !v.Skip(1) || !v.ReadUint24(&mem) || mem != 239416 {
		t.Errorf("available memory = %d, want 239416", mem)
	}
	// C6 PIN status template DO (TS 102 221 §9.5.2): a primitive-coded
	// tag whose value nests BER-TLV objects: PS_DO 60, key refs 01 0A 0B.
	var c6 Reader
	if !body.FindBER(0xC6, &c6) {
		t.Fatal("C6 not found")
	}
	var tag Tag
	var ps []byte
	if !c6.ReadBERBytes(&tag, &ps) || tag != 0x90 || len(ps) != 1 || ps[0] != 0x60 {
		t.Fatalf("PS_DO = %v %X", tag, ps)
	}
	var refs []byte
	for !c6.Empty() {
		var kr Reader
		var k uint8
		if !c6.ReadExpectBER(0x83, &kr) || !kr.ReadUint8(&k) {
			t.Fatal(c6.Err())
		}
		refs = append(refs, k)
	}
	if !equal(refs, []byte{0x01, 0x0A, 0x0B}) {
		t.Errorf("key references = %X", refs)
	}
	if body.FindBER(0x84, &v) {
		t.Error("MF FCP has no DF name, but 84 was found")
	}
}

// FCP of ADF USIM (pySim test vector): the DF name is the USIM AID.
func TestFCPOfADF(t *testing.T) {
	fcp := unhex(t, "623d8202782183027fd0840ca0000000871002ff49ff0589a50c80017183040003a7388701018a01058b032f0601c60f90017083010183018183010a83010b")
	r := NewReader(fcp)
	var body, v Reader
	if !r.ReadExpectBER(TagFCP, &body) || !body.FindBER(0x84, &v) {
		t.Fatal(r.Err(), body.Err())
	}
	if got := hex.EncodeToString(v.Bytes()); got != "a0000000871002ff49ff0589" {
		t.Errorf("DF name = %s", got)
	}
	if v.Offset() != 12 {
		t.Errorf("DF name at offset %d, want 12", v.Offset())
	}
}

// Building the MF's FCP from its fields gives the card's exact bytes.
func TestBuildFCPLikeTheCard(t *testing.T) {
	b := NewBuilder(nil)
	b.AddBER(TagFCP, func(b *Builder) {
		b.AddBERBytes(0x82, []byte{0x78, 0x21})
		b.AddBERBytes(0x83, []byte{0x3F, 0x00})
		b.AddBER(0xA5, func(b *Builder) {
			b.AddBERBytes(0x80, []byte{0x71})
			b.AddBER(0x83, func(b *Builder) { b.AddUint8(0); b.AddUint24(239416) })
			b.AddBERBytes(0x87, []byte{0x01})
		})
		b.AddBERBytes(0x8A, []byte{0x05})
		b.AddBER(0x8B, func(b *Builder) { b.AddUint16(0x2F06); b.AddUint8(1) })
		b.AddBER(0xC6, func(b *Builder) {
			b.AddBERBytes(0x90, []byte{0x60})
			for _, k := range []byte{0x01, 0x0A, 0x0B} {
				b.AddBERBytes(0x83, []byte{k})
			}
		})
	})
	got, err := b.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	want := unhex(t, "622c8202782183023f00a50c80017183040003a7388701018a01058b032f0601c60c90016083010183010a83010b")
	if !equal(got, want) {
		t.Fatalf("built %X\nwant  %X", got, want)
	}
}

// SMS-PP download envelope 1.1 of TS 31.124 §27.22.5: device identities
// network→UICC, the SC address, and the SMS-DELIVER TPDU (TS 31.111 §7.1.1).
func TestSMSPPDownloadEnvelope(t *testing.T) {
	env := unhex(t, "d12d8202838106099111223344556677f88b1c04049121437f16891010000000000d546573744d6573736167652031")
	r := NewReader(env)
	var body Reader
	if !r.ReadExpectBER(TagSMSPPDownload, &body) {
		t.Fatal(r.Err())
	}
	var tag CTag
	var cr bool
	var v []byte
	steps := []struct {
		tag CTag
		cr  bool
		val string
	}{
		{CTagDeviceIdentities, true, "8381"},
		{CTagAddress, false, "9111223344556677f8"},
		{CTagSMSTPDU, true, "04049121437f16891010000000000d546573744d6573736167652031"},
	}
	for i, s := range steps {
		if !body.ReadComprehensionBytes(&tag, &cr, &v) {
			t.Fatalf("object %d: %v", i, body.Err())
		}
		if tag != s.tag || cr != s.cr || hex.EncodeToString(v) != s.val {
			t.Errorf("object %d = %v CR=%v %X, want %v CR=%v %s", i, tag, cr, v, s.tag, s.cr, s.val)
		}
	}
	if !body.Empty() {
		t.Errorf("%d bytes left", body.Len())
	}
	// Find by tag value ignores the CR flag: '8B' is tag 0B with CR set.
	var tpdu Reader
	// Offsets count from the start of the outermost input: the TPDU value
	// starts at byte 19 of the envelope.
	r = NewReader(env)
	if !r.ReadBER(new(Tag), &body) {
		t.Fatal(r.Err())
	}
	if !body.FindComprehension(CTagSMSTPDU, &cr, &tpdu) || !cr || tpdu.Len() != 0x1C || tpdu.Offset() != 19 {
		t.Fatalf("FindComprehension(SMS TPDU) = %v len %d off %d", cr, tpdu.Len(), tpdu.Offset())
	}
	if body.FindComprehension(CTagResult, &cr, &tpdu) {
		t.Error("found a Result object that is not there")
	}
}

// DISPLAY TEXT 1.1 (TS 31.124 §27.22.4.1): command details 01 21 80, device
// identities UICC→display, text string DCS 04 "Toolkit Test 1".
func TestDisplayTextProactiveCommand(t *testing.T) {
	cmd := unhex(t, "d01a8103012180820281028d0f04546f6f6c6b697420546573742031")
	r := NewReader(cmd)
	var body, v Reader
	if !r.ReadExpectBER(TagProactiveCommand, &body) {
		t.Fatal(r.Err())
	}
	var num, typ, qual, dcs uint8
	if !body.ReadExpectComprehension(CTagCommandDetails, &v) || !v.ReadUint8(&num) || !v.ReadUint8(&typ) || !v.ReadUint8(&qual) {
		t.Fatal(body.Err())
	}
	if num != 1 || typ != 0x21 || qual != 0x80 {
		t.Errorf("command details = %02X %02X %02X", num, typ, qual)
	}
	var src, dst uint8
	if !body.ReadExpectComprehension(CTagDeviceIdentities, &v) || !v.ReadUint8(&src) || !v.ReadUint8(&dst) || src != 0x81 || dst != 0x02 {
		t.Fatalf("device identities %02X→%02X: %v", src, dst, body.Err())
	}
	if !body.ReadExpectComprehension(CTagTextString, &v) || !v.ReadUint8(&dcs) || dcs != 0x04 || string(v.Bytes()) != "Toolkit Test 1" {
		t.Fatalf("text string %q: %v", v.Bytes(), body.Err())
	}
	if !body.Empty() {
		t.Fatal("bytes left")
	}
}

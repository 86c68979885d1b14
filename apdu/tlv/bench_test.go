package tlv

import "testing"

// walkAll visits every object of an FCP, descending into constructed
// values, and returns the number of objects (so the walk is not optimised
// away).
func walkAll(r Reader) int {
	n := 0
	var tag Tag
	var v Reader
	for !r.Empty() {
		if !r.ReadBER(&tag, &v) {
			return -1
		}
		n++
		if tag.Constructed() {
			n += walkAll(v)
		}
	}
	return n
}

// BenchmarkWalkFCP walks the FCP of ADF USIM returned by a real card and
// looks up three of its fields by tag; it must not allocate.
func BenchmarkWalkFCP(b *testing.B) {
	fcp := unhex(b, "623d8202782183027fd0840ca0000000871002ff49ff0589a50c80017183040003a7388701018a01058b032f0601c60f90017083010183018183010a83010b")
	b.ReportAllocs()
	b.SetBytes(int64(len(fcp)))
	for b.Loop() {
		if walkAll(NewReader(fcp)) != 11 {
			b.Fatal("walk")
		}
		r := NewReader(fcp)
		var body, v Reader
		if !r.ReadExpectBER(TagFCP, &body) || !body.FindBER(0x84, &v) || !body.FindBER(0x83, &v) || !body.FindBER(0x8A, &v) {
			b.Fatal("find")
		}
	}
}

// BenchmarkWalkEnvelope walks an SMS-PP download envelope's
// COMPREHENSION-TLV objects (TS 31.124 §27.22.5); it must not allocate.
func BenchmarkWalkEnvelope(b *testing.B) {
	env := unhex(b, "d13e8202838106099111223344556677f88b2d44049121437ff6891010000000001e0270000019000d00000000bfff00000000000100dcdcdcdcdcdcdcdcdcdc")
	b.ReportAllocs()
	b.SetBytes(int64(len(env)))
	for b.Loop() {
		r := NewReader(env)
		var tag Tag
		var body, v Reader
		var ct CTag
		var cr bool
		if !r.ReadBER(&tag, &body) {
			b.Fatal(r.Err())
		}
		n := 0
		for !body.Empty() {
			if !body.ReadComprehension(&ct, &cr, &v) {
				b.Fatal(body.Err())
			}
			n++
		}
		if n != 3 {
			b.Fatal(n)
		}
	}
}

// BenchmarkBuildFCP builds an FCP into a reused buffer.
func BenchmarkBuildFCP(b *testing.B) {
	buf := make([]byte, 0, 128)
	aid := unhex(b, "a0000000871002ff49ff0589")
	b.ReportAllocs()
	for b.Loop() {
		bl := Builder{buf: buf[:0]}
		bl.AddBER(TagFCP, func(bl *Builder) {
			bl.AddBERBytes(0x82, []byte{0x78, 0x21})
			bl.AddBERBytes(0x83, []byte{0x7F, 0xD0})
			bl.AddBERBytes(0x84, aid)
			bl.AddBERBytes(0x8A, []byte{0x05})
		})
		if bl.err != nil {
			b.Fatal(bl.err)
		}
	}
}

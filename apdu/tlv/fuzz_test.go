package tlv

import (
	"bytes"
	"errors"
	"testing"
)

// FuzzBER: walking any input never panics, errors are well-formed, and
// input that walks completely is rebuilt byte for byte.
func FuzzBER(f *testing.F) {
	for _, v := range loadVectors(f).BER {
		f.Add(unhex(f, v.Hex))
	}
	for _, v := range loadVectors(f).CAT {
		f.Add(unhex(f, v.Hex))
	}
	for _, s := range []string{"", "00", "9F", "9F8001", "A280", "8281FF", "82830100000000", "BF2D03800101"} {
		f.Add(unhex(f, s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		r := NewReader(in)
		nodes, err := walkBER(&r, 16)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || !errors.Is(err, ErrMalformed) || e.Offset < 0 || e.Offset > len(in) {
				t.Fatalf("bad error %v", err)
			}
			return
		}
		b := NewBuilder(nil)
		buildBER(b, nodes)
		out, err := b.Bytes()
		if err != nil {
			t.Fatalf("rebuild: %v", err)
		}
		if !bytes.Equal(out, in) {
			t.Fatalf("rebuilt %X from %X", out, in)
		}
		// FindBER agrees with the walk for the first object's tag.
		if len(nodes) > 0 {
			r := NewReader(in)
			var v Reader
			if !r.FindBER(nodes[0].tag, &v) {
				t.Fatalf("FindBER(%v) missed the first object", nodes[0].tag)
			}
		}
	})
}

// FuzzComprehension: the same for a list of COMPREHENSION-TLV objects.
func FuzzComprehension(f *testing.F) {
	for _, v := range loadVectors(f).CAT {
		in := unhex(f, v.Hex)
		f.Add(in[2:]) // the COMPREHENSION-TLV list inside the template
	}
	for _, s := range []string{"", "00", "80", "7F", "7F807F00", "7F000500", "0B8180", "81817F"} {
		f.Add(unhex(f, s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		r := NewReader(in)
		items, err := walkComprehension(&r)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || !errors.Is(err, ErrMalformed) || e.Offset < 0 || e.Offset > len(in) {
				t.Fatalf("bad error %v", err)
			}
			return
		}
		b := NewBuilder(nil)
		for _, it := range items {
			b.AddComprehension(it.tag, it.cr, it.val)
		}
		out, err := b.Bytes()
		if err != nil {
			t.Fatalf("rebuild: %v", err)
		}
		if !bytes.Equal(out, in) {
			t.Fatalf("rebuilt %X from %X", out, in)
		}
	})
}

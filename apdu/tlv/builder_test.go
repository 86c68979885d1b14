package tlv

import (
	"bytes"
	"errors"
	"testing"
)

// Nested lengths are fixed up from the inside out; a value crossing 127
// bytes moves to the '81 xx' form (ETSI TS 101 220 §7.1.2).
func TestBuilderNestedLengthFixup(t *testing.T) {
	inner := bytes.Repeat([]byte{0x5A}, 200)
	b := NewBuilder([]byte{0xEE})
	b.AddBER(0xBF2D, func(b *Builder) {
		b.AddBER(0xA0, func(b *Builder) {
			b.AddBERBytes(0x80, inner)
		})
		b.AddBERBytes(0x81, []byte{1})
	})
	got, err := b.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	want := append([]byte{0xEE, 0xBF, 0x2D, 0x81, 0xD1, 0xA0, 0x81, 0xCB, 0x80, 0x81, 0xC8}, inner...)
	want = append(want, 0x81, 0x01, 0x01)
	if !bytes.Equal(got, want) {
		t.Fatalf("got  %X\nwant %X", got[:16], want[:16])
	}
}

func TestBuilderComprehension(t *testing.T) {
	b := NewBuilder(nil)
	b.AddBER(TagProactiveCommand, func(b *Builder) {
		b.AddComprehension(CTagCommandDetails, true, []byte{0x01, 0x21, 0x80})
		b.AddComprehension(CTagDeviceIdentities, true, []byte{0x81, 0x02})
		b.AddComprehensionFunc(CTagTextString, true, func(b *Builder) {
			b.AddUint8(0x04)
			b.AddBytes([]byte("Toolkit Test 1"))
		})
	})
	got, err := b.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	// 3GPP TS 31.124 §27.22.4.1 DISPLAY TEXT 1.1.
	if want := unhex(t, "d01a8103012180820281028d0f04546f6f6c6b697420546573742031"); !bytes.Equal(got, want) {
		t.Fatalf("got %X, want %X", got, want)
	}
	// 128..255 bytes take '81 xx'; the three-byte tag format above 7E.
	b = NewBuilder(nil)
	b.AddComprehension(0x0123, false, bytes.Repeat([]byte{1}, 0x80))
	got, _ = b.Bytes()
	if !bytes.Equal(got[:5], []byte{0x7F, 0x01, 0x23, 0x81, 0x80}) || len(got) != 5+0x80 {
		t.Fatalf("got %X...", got[:5])
	}
}

func TestBuilderErrors(t *testing.T) {
	b := NewBuilder(nil)
	b.AddComprehension(CTagChannelData, false, make([]byte, 256))
	if _, err := b.Bytes(); !errors.Is(err, ErrTooLong) {
		t.Fatalf("256-byte COMPREHENSION-TLV value: err = %v, want ErrTooLong", err)
	}
	if errors.Is(b.Err(), ErrMalformed) {
		t.Error("a builder error is not a malformed-input error")
	}
	// The error is sticky: nothing more is written.
	b.AddUint8(1)
	if len(b.buf) != 0 {
		t.Fatalf("buffer after error = %X", b.buf)
	}

	for _, bad := range []Tag{0, 0xFF, 0x1F, 0x9F1E, 0x9F818101} {
		b := NewBuilder(nil)
		b.AddBERBytes(bad, nil)
		if _, err := b.Bytes(); !errors.Is(err, ErrInvalidTag) {
			t.Errorf("tag %X: err = %v, want ErrInvalidTag", uint32(bad), err)
		}
	}
	b = NewBuilder(nil)
	b.AddComprehension(0, false, nil)
	if !errors.Is(b.Err(), ErrInvalidTag) {
		t.Errorf("CTag 0: err = %v", b.Err())
	}
	// An error inside a nested value stops the whole build.
	b = NewBuilder(nil)
	b.AddBER(0x62, func(b *Builder) {
		b.AddBERBytes(0x82, []byte{0x78, 0x21})
		b.AddBERBytes(0x00, nil)
	})
	if _, err := b.Bytes(); !errors.Is(err, ErrInvalidTag) {
		t.Fatalf("nested error lost: %v", err)
	}
}

func TestAppendLength(t *testing.T) {
	tests := map[int]string{0: "00", 0x7F: "7F", 0x80: "8180", 0xFF: "81FF", 0x100: "820100", 0xFFFF: "82FFFF", 0x10000: "83010000", 0xFFFFFF: "83FFFFFF"}
	for n, want := range tests {
		if got := upper(AppendLength(nil, n)); got != want {
			t.Errorf("AppendLength(%d) = %s, want %s", n, got, want)
		}
	}
}

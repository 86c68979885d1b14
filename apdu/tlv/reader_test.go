package tlv

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// Length fields of ETSI TS 101 220 §7.1.2 at their boundaries.
func TestReadBERLengths(t *testing.T) {
	for _, n := range []int{0, 1, 0x7F, 0x80, 0xFF, 0x100, 0xFFFF, 0x10000} {
		val := bytes.Repeat([]byte{0xA5}, n)
		enc := append(AppendLength([]byte{0x80}, n), val...)
		wantLen := map[bool]int{true: 1}[n < 0x80]
		switch {
		case n < 0x80:
		case n <= 0xFF:
			wantLen = 2
		case n <= 0xFFFF:
			wantLen = 3
		default:
			wantLen = 4
		}
		if got := len(enc) - 1 - n; got != wantLen {
			t.Errorf("length field for %d has %d bytes, want %d", n, got, wantLen)
		}
		r := NewReader(enc)
		var tag Tag
		var v []byte
		if !r.ReadBERBytes(&tag, &v) || tag != 0x80 || len(v) != n || !r.Empty() {
			t.Errorf("n=%d: tag %v len %d err %v", n, tag, len(v), r.Err())
		}
		b := NewBuilder(nil)
		b.AddBERBytes(0x80, val)
		if out, err := b.Bytes(); err != nil || !bytes.Equal(out, enc) {
			t.Errorf("n=%d: Builder gave %d bytes (%v), want %d", n, len(out), err, len(enc))
		}
	}
}

// Malformed BER-TLV is refused with the sentinel and the offset of the bad
// byte.
func TestReadBERRejects(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		sentinel error
		offset   int
		reason   string
	}{
		{"empty", "", ErrTruncated, 0, "no bytes left"},
		{"padding 00 as tag", "000100", ErrInvalidTag, 0, "padding"},
		{"padding FF as tag", "FF0100", ErrInvalidTag, 0, "padding"},
		{"two-byte tag cut", "9F", ErrTruncated, 1, "cut short"},
		{"three-byte tag cut", "9F81", ErrTruncated, 2, "cut short"},
		{"four-byte tag", "9F818101 00", ErrInvalidTag, 2, "longer than 3 bytes"},
		{"leading zero group", "9F800100", ErrInvalidTag, 1, "leading zero"},
		{"tag number below 31 in long form", "9F1E00", ErrInvalidTag, 1, "below 31"},
		{"no length", "82", ErrTruncated, 1, "no bytes left"},
		{"indefinite length", "A28000", ErrInvalidLength, 1, "indefinite"},
		{"length 84", "828400000001AA", ErrInvalidLength, 1, "longer than '83"},
		{"81 with short value", "82817F" + strings.Repeat("00", 0x7F), ErrInvalidLength, 1, "shortest form"},
		{"82 with one-byte value", "828200FF" + strings.Repeat("00", 0xFF), ErrInvalidLength, 1, "shortest form"},
		{"83 with leading zero", "83830000FF" + strings.Repeat("00", 0xFF), ErrInvalidLength, 1, "shortest form"},
		{"length field cut", "8282FF", ErrTruncated, 1, "cut short"},
		{"value past end", "8203AABB", ErrTruncated, 1, "past the end"},
		{"value past end, 9F70 tag", "9F708180AA", ErrTruncated, 2, "past the end"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := NewReader(unhex(t, tc.in))
			var tag Tag
			var v Reader
			if r.ReadBER(&tag, &v) {
				t.Fatalf("ReadBER(%s) accepted tag %v", tc.in, tag)
			}
			checkErr(t, r.Err(), tc.sentinel, tc.offset, tc.reason)
			// The Reader stays failed and unchanged.
			if r.ReadBER(&tag, &v) || r.Offset() != 0 {
				t.Fatal("Reader moved or recovered after an error")
			}
		})
	}
}

func checkErr(t *testing.T, err, sentinel error, offset int, reason string) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("err = %v, want *Error", err)
	}
	if !errors.Is(err, sentinel) || !errors.Is(err, ErrMalformed) {
		t.Errorf("err %v does not wrap %v and ErrMalformed", err, sentinel)
	}
	if e.Offset != offset {
		t.Errorf("Offset = %d, want %d (%v)", e.Offset, offset, err)
	}
	if !strings.Contains(e.Reason, reason) {
		t.Errorf("Reason %q does not contain %q", e.Reason, reason)
	}
	if !strings.Contains(err.Error(), "at byte") {
		t.Errorf("Error() = %q does not say where", err)
	}
}

// Errors inside a nested value report the offset in the outermost input.
func TestNestedErrorOffset(t *testing.T) {
	// 62 07 | 82 02 78 21 | 83 05 3F  — the inner 83 claims 5 bytes, 1 remain.
	in := unhex(t, "62078202782183053F")
	r := NewReader(in)
	var tag Tag
	var body, v Reader
	if !r.ReadBER(&tag, &body) {
		t.Fatal(r.Err())
	}
	if !body.ReadBER(&tag, &v) || tag != 0x82 {
		t.Fatal(body.Err())
	}
	if body.ReadBER(&tag, &v) {
		t.Fatal("accepted an inner object that overruns its template")
	}
	checkErr(t, body.Err(), ErrTruncated, 7, "past the end")
}

func TestReadComprehensionRejects(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		sentinel error
		offset   int
		reason   string
	}{
		{"empty", "", ErrTruncated, 0, "no bytes left"},
		{"tag 00", "0000", ErrInvalidTag, 0, "not COMPREHENSION-TLV tags"},
		{"tag 80", "8000", ErrInvalidTag, 0, "not COMPREHENSION-TLV tags"},
		{"tag FF", "FF00", ErrInvalidTag, 0, "not COMPREHENSION-TLV tags"},
		{"three-byte tag cut", "7F81", ErrTruncated, 0, "cut short"},
		{"three-byte tag with one-byte value", "7F000500", ErrInvalidTag, 1, "single-byte format required"},
		{"length 82", "0B820100" + strings.Repeat("00", 256), ErrInvalidLength, 1, "1 byte or '81 xx'"},
		{"length 81 7F", "0B817F" + strings.Repeat("00", 0x7F), ErrInvalidLength, 1, "shortest form"},
		{"indefinite length", "8180", ErrInvalidLength, 1, "indefinite"},
		{"value past end", "810301", ErrTruncated, 1, "past the end"},
		{"three-byte tag, value past end", "7F807F02AA", ErrTruncated, 3, "past the end"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := NewReader(unhex(t, tc.in))
			var tag CTag
			var cr bool
			var v Reader
			if r.ReadComprehension(&tag, &cr, &v) {
				t.Fatalf("accepted tag %v", tag)
			}
			checkErr(t, r.Err(), tc.sentinel, tc.offset, tc.reason)
		})
	}
}

func TestReadExpectMismatch(t *testing.T) {
	r := NewReader(unhex(t, "8202782183023F00"))
	var v Reader
	if r.ReadExpectBER(0x83, &v) {
		t.Fatal("accepted 82 for 83")
	}
	checkErr(t, r.Err(), ErrUnexpectedTag, 0, "expected BER-TLV tag 83, found 82")

	r = NewReader(unhex(t, "810301218082028102"))
	if r.ReadExpectComprehension(CTagDeviceIdentities, &v) {
		t.Fatal("accepted command details for device identities")
	}
	checkErr(t, r.Err(), ErrUnexpectedTag, 0, "expected COMPREHENSION-TLV tag 02 (device identities), found 01 (command details)")
}

func TestPrimitiveReads(t *testing.T) {
	r := NewReader(unhex(t, "01 0203 040506 0708 09"))
	var a uint8
	var b uint16
	var c uint32
	var d []byte
	if !r.ReadUint8(&a) || !r.ReadUint16(&b) || !r.ReadUint24(&c) || !r.ReadBytes(&d, 2) || !r.Skip(1) {
		t.Fatal(r.Err())
	}
	if a != 1 || b != 0x0203 || c != 0x040506 || !bytes.Equal(d, []byte{7, 8}) || !r.Empty() {
		t.Fatalf("%X %X %X %X", a, b, c, d)
	}
	for name, read := range map[string]func(*Reader) bool{
		"uint8":  func(r *Reader) bool { return r.ReadUint8(&a) },
		"uint16": func(r *Reader) bool { return r.ReadUint16(&b) },
		"uint24": func(r *Reader) bool { return r.ReadUint24(&c) },
		"bytes":  func(r *Reader) bool { return r.ReadBytes(&d, 3) },
		"neg":    func(r *Reader) bool { return r.ReadBytes(&d, -1) },
	} {
		r := NewReader([]byte{1})
		if name == "uint8" {
			r = NewReader(nil)
		}
		if read(&r) {
			t.Errorf("%s read past the end", name)
		}
		if !errors.Is(r.Err(), ErrTruncated) {
			t.Errorf("%s: err = %v", name, r.Err())
		}
	}
}

func TestPeekAndElement(t *testing.T) {
	in := unhex(t, "8A0105 8B032F0601")
	r := NewReader(in)
	var tag Tag
	if !r.PeekBERTag(&tag) || tag != 0x8A || r.Offset() != 0 {
		t.Fatalf("Peek = %v at %d", tag, r.Offset())
	}
	var el []byte
	if !r.ReadBERElement(&tag, &el) || !bytes.Equal(el, in[:3]) || r.Offset() != 3 {
		t.Fatalf("element %X", el)
	}
	if !r.ReadBERElement(&tag, &el) || tag != 0x8B || !bytes.Equal(el, in[3:]) {
		t.Fatalf("element %X", el)
	}
	if r.Err() != nil {
		t.Fatal(r.Err())
	}
}

// Values alias the input: appending to a value cannot overwrite the next
// object (capacity is clipped).
func TestValuesDoNotGrowIntoSiblings(t *testing.T) {
	in := unhex(t, "8201AA8301BB")
	r := NewReader(in)
	var tag Tag
	var v []byte
	r.ReadBERBytes(&tag, &v)
	_ = append(v, 0xEE)
	if in[3] != 0x83 {
		t.Fatal("append to a value overwrote the next object")
	}
}

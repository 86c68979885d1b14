package keystore

import (
	"bytes"
	"errors"
	"testing"
)

func TestAppendPairMatchesHandWrittenGolden(t *testing.T) {
	want := readHexFile(t, "pair_v1.hex")
	p := goldenPair(t)
	got, err := AppendPair(nil, &p)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("AppendPair:\n got %x\nwant %x", got, want)
	}
	back, err := ParsePair(want)
	if err != nil {
		t.Fatal(err)
	}
	if !back.Equal(p) {
		t.Errorf("ParsePair(golden) = %v, want %v", back, p)
	}
}

func TestAppendListMatchesHandWrittenGolden(t *testing.T) {
	want := readHexFile(t, "list_v1.hex")
	pairs := threePairs(t)
	pairs[1].OTA[0].KID = otaKey(t, AlgAES128, "101112131415161718191a1b1c1d1e1f")
	pairs[2].K, pairs[2].OPc = key128(t, set3K), key128(t, set3OPc)
	pairs[1].K, pairs[1].OPc = key128(t, set1K), key128(t, set1OPc)
	l, err := NewList(pairs)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Advance(1); err != nil {
		t.Fatal(err)
	}
	got := AppendList(nil, l)
	if !bytes.Equal(got, want) {
		t.Fatalf("AppendList:\n got %x\nwant %x", got, want)
	}
	back, err := ParseList(want)
	if err != nil {
		t.Fatal(err)
	}
	if back.ActiveIndex() != 1 || back.Len() != 3 || !back.Active().Equal(pairs[1]) {
		t.Errorf("ParseList(golden) = %v, active %v", back, back.Active())
	}
}

func TestListEncodingHoldsNoWipedKey(t *testing.T) {
	pairs := threePairs(t)
	l, err := NewList(pairs)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Advance(2); err != nil {
		t.Fatal(err)
	}
	enc := AppendList(nil, l)
	for _, p := range pairs[:2] {
		for _, k := range [][]byte{p.K[:], p.OPc[:], p.OTA[0].KIc.Bytes(), p.OTA[0].KID.Bytes()} {
			if bytes.Contains(enc, k) {
				t.Errorf("encoding %x still holds key %x of wiped pair %d", enc, k, p.Index)
			}
		}
	}
}

func TestParseRejectsMalformed(t *testing.T) {
	pair := readHexFile(t, "pair_v1.hex")
	list := readHexFile(t, "list_v1.hex")
	edit := func(b []byte, i int, v byte) []byte { c := bytes.Clone(b); c[i] = v; return c }
	tests := []struct {
		name string
		b    []byte
		list bool
	}{
		{"pair: empty", nil, false},
		{"pair: version 2", edit(pair, 0, 2), false},
		{"pair: unknown flag", edit(pair, 2, 0x02), false},
		{"pair: marked wiped", edit(pair, 2, 0x01), false},
		{"pair: trailing byte", append(bytes.Clone(pair), 0), false},
		{"pair: 16 OTA sets", edit(pair, 35, 16), false},
		{"pair: KVN 0", edit(pair, 36, 0), false},
		{"pair: unknown KIc algorithm", edit(pair, 37, 7), false},
		{"pair: duplicate KVN", edit(pair, 36+1+17+17+5, 3), false},
		{"list: empty", nil, true},
		{"list: version 0", edit(list, 0, 0), true},
		{"list: zero pairs", []byte{1, 0, 0}, true},
		{"list: active beyond count", edit(list, 2, 3), true},
		{"list: wiped pair after active", edit(list, 2, 0), true},
		{"list: index out of order", edit(list, 3, 1), true},
		{"list: trailing byte", append(bytes.Clone(list), 0), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			if tt.list {
				_, err = ParseList(tt.b)
			} else {
				_, err = ParsePair(tt.b)
			}
			if !errors.Is(err, ErrMalformed) {
				t.Errorf("err = %v, want ErrMalformed", err)
			}
		})
	}
	// Every truncation of a valid encoding is refused.
	for n := range len(pair) {
		if _, err := ParsePair(pair[:n]); !errors.Is(err, ErrMalformed) {
			t.Errorf("ParsePair of %d/%d bytes = %v, want ErrMalformed", n, len(pair), err)
		}
	}
	for n := range len(list) {
		if _, err := ParseList(list[:n]); !errors.Is(err, ErrMalformed) {
			t.Errorf("ParseList of %d/%d bytes = %v, want ErrMalformed", n, len(list), err)
		}
	}
}

func TestAppendPairLeavesDstOnError(t *testing.T) {
	p := goldenPair(t)
	p.OTA[0].KVN = 0
	dst := []byte{0xaa}
	got, err := AppendPair(dst, &p)
	if err == nil || !bytes.Equal(got, []byte{0xaa}) {
		t.Errorf("AppendPair(invalid) = %x, %v", got, err)
	}
}

// FuzzParsePair checks that ParsePair never panics, and that whatever it
// accepts is valid and re-encodes to exactly the input (canonical form).
func FuzzParsePair(f *testing.F) {
	f.Add(readHexFile(f, "pair_v1.hex"))
	f.Add([]byte{1, 0, 0})
	f.Add([]byte{1, 0, 1})
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := ParsePair(b)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error %v does not wrap ErrMalformed", err)
			}
			return
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("accepted an invalid pair: %v", err)
		}
		again, err := AppendPair(nil, &p)
		if err != nil || !bytes.Equal(again, b) {
			t.Fatalf("not canonical:\n in %x\nout %x (%v)", b, again, err)
		}
	})
}

// FuzzParseList checks that ParseList never panics, keeps every invariant
// of List, and is canonical.
func FuzzParseList(f *testing.F) {
	f.Add(readHexFile(f, "list_v1.hex"))
	f.Add([]byte{1, 1, 0, 0, 0})
	f.Add([]byte{1, 2, 1, 0, 1, 1, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		l, err := ParseList(b)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error %v does not wrap ErrMalformed", err)
			}
			return
		}
		if l.Len() < 1 || l.Len() > MaxPairs || l.ActiveIndex() >= l.Len() {
			t.Fatalf("invariants broken: %v", l)
		}
		if again := AppendList(nil, l); !bytes.Equal(again, b) {
			t.Fatalf("not canonical:\n in %x\nout %x", b, again)
		}
		if err := l.CheckAdvance(l.ActiveIndex() + 1); err == nil {
			if err := l.Advance(l.ActiveIndex() + 1); err != nil {
				t.Fatal(err)
			}
			if _, err := ParseList(AppendList(nil, l)); err != nil {
				t.Fatalf("list after Advance does not parse: %v", err)
			}
		}
	})
}

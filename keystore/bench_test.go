package keystore

import "testing"

// BenchmarkAppendList: persisting a 16-pair list after a switch, into a
// reused buffer.
func BenchmarkAppendList(b *testing.B) {
	l := benchList(b)
	buf := make([]byte, 0, 4096)
	b.ReportAllocs()
	for b.Loop() {
		buf = AppendList(buf[:0], l)
	}
	b.SetBytes(int64(len(buf)))
}

// BenchmarkParseList: loading a 16-pair list at card power-on.
func BenchmarkParseList(b *testing.B) {
	enc := AppendList(nil, benchList(b))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseList(enc); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkActive: the lookup AUTHENTICATE and the OTA engine make on every
// command.
func BenchmarkActive(b *testing.B) {
	l := benchList(b)
	b.ReportAllocs()
	var sink byte
	for b.Loop() {
		p := l.Active()
		sink ^= p.K[0] ^ p.OTAKeySet(1).KIc.Bytes()[0]
	}
	_ = sink
}

func benchList(b *testing.B) *List {
	pairs := make([]Pair, 16)
	for i := range pairs {
		pairs[i] = goldenPair(b)
		pairs[i].Index = i
	}
	l, err := NewList(pairs)
	if err != nil {
		b.Fatal(err)
	}
	return l
}

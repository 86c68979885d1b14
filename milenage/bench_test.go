package milenage

import "testing"

func benchSetup(b *testing.B) (*Milenage, RAND) {
	m := New(Key{0x46, 0x5b, 0x5c, 0xe8}, Key{0xcd, 0x63, 0xcb, 0x71})
	return m, RAND{0x23, 0x55, 0x3c, 0xbe}
}

// BenchmarkVector is a full network-side vector: f1 + f2..f5 (5 AES blocks
// after TEMP).
func BenchmarkVector(b *testing.B) {
	m, rand := benchSetup(b)
	var sink Vector
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		sink = NewVector(m, rand, SQN(i), 0x8000)
	}
	_ = sink
}

// BenchmarkVectorViaInterface is the same computed through the Algorithm
// interface, as an AuC configured with either algorithm does.
func BenchmarkVectorViaInterface(b *testing.B) {
	m, rand := benchSetup(b)
	var alg Algorithm = m
	var sink Vector
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		sink = NewVector(alg, rand, SQN(i), 0x8000)
	}
	_ = sink
}

// BenchmarkComputeAll is every function f1, f1*, f2..f5, f5* (6 AES blocks).
func BenchmarkComputeAll(b *testing.B) {
	m, rand := benchSetup(b)
	var sink Output
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		sink = m.Compute(rand, SQN(i), 0x8000, FuncsAll)
	}
	_ = sink
}

// BenchmarkUSIMAuthenticate is the USIM-side check of a fresh AUTN: MAC-A,
// Annex C.2 freshness, RES/CK/IK/Kc.
func BenchmarkUSIMAuthenticate(b *testing.B) {
	m, rand := benchSetup(b)
	scheme := DefaultSQNScheme
	const n = 1 << 16
	autns := make([]AUTN, n)
	for i := range autns {
		q, _ := scheme.Join(uint64(i/32+1), uint(i%32))
		autns[i] = NewVector(m, rand, q, 0x8000).AUTN
	}
	st, _ := NewSQNState(DefaultINDBits)
	var p Policy
	var sink Answer
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if i%n == 0 {
			st, _ = NewSQNState(DefaultINDBits)
		}
		a, err := p.Authenticate(m, &st, rand, autns[i%n])
		if err != nil {
			b.Fatal(err)
		}
		sink = a
	}
	_ = sink
}

// BenchmarkVerifyAUTS is the AuC side of resynchronisation.
func BenchmarkVerifyAUTS(b *testing.B) {
	m, rand := benchSetup(b)
	auts := ResyncToken(m, rand, 0x123456)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := VerifyAUTS(m, rand, auts); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkXORVector(b *testing.B) {
	x, _ := NewXOR(Key{1, 2, 3}, 16)
	var sink Vector
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		sink = NewVector(x, RAND{9}, SQN(i), 0x8000)
	}
	_ = sink
}

func BenchmarkSQNStateAppendParse(b *testing.B) {
	st, _ := NewSQNState(DefaultINDBits)
	buf := make([]byte, 0, SQNStateSize(DefaultINDBits))
	b.ReportAllocs()
	for b.Loop() {
		buf = st.Append(buf[:0])
		if _, err := ParseSQNState(buf); err != nil {
			b.Fatal(err)
		}
	}
}

package milenage

import (
	"crypto/aes"
	"errors"
	"math/rand/v2"
	"testing"
)

// rotRef is rot(x, r) of TS 35.206 §4.1 taken literally, bit by bit:
// y[i] = x[(i+r) mod 128], bit 0 being the most significant.
func rotRef(x [16]byte, r int) (y [16]byte) {
	bit := func(b [16]byte, i int) byte { return b[i/8] >> (7 - i%8) & 1 }
	for i := range 128 {
		y[i/8] |= bit(x, (i+r)%128) << (7 - i%8)
	}
	return y
}

func TestRotMatchesTheSpecDefinitionForEveryAmount(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for amount := range 128 {
		var x [16]byte
		for i := range x {
			x[i] = byte(r.Uint32())
		}
		var got [16]byte
		load(x[:]).rot(uint8(amount)).put(got[:])
		if got != rotRef(x, amount) {
			t.Fatalf("rot by %d: %x, want %x", amount, got, rotRef(x, amount))
		}
	}
}

// milenageRef computes OUT1..OUT5 of TS 35.206 §4.1 byte by byte with a
// fresh AES each time, as an executable reading of the spec.
func milenageRef(k, opc Key, c Constants, rand RAND, sqn SQN, amf AMF) (out [5][16]byte) {
	b, _ := aes.NewCipher(k[:])
	xor := func(a, b [16]byte) (z [16]byte) {
		for i := range z {
			z[i] = a[i] ^ b[i]
		}
		return z
	}
	enc := func(x [16]byte) (y [16]byte) { b.Encrypt(y[:], x[:]); return y }
	temp := enc(xor(rand, opc))
	var in1 [16]byte
	s := sqn.Append(nil)
	copy(in1[0:6], s)
	in1[6], in1[7] = byte(amf>>8), byte(amf)
	copy(in1[8:], in1[:8])
	out[0] = xor(enc(xor(xor(temp, rotRef(xor(in1, opc), int(c.R[0]))), c.C[0])), opc)
	for i := 1; i < 5; i++ {
		out[i] = xor(enc(xor(rotRef(xor(temp, opc), int(c.R[i])), c.C[i])), opc)
	}
	return out
}

func TestOperatorConstantsFollowTS35206(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for trial := range 50 {
		var k, opc Key
		var rnd RAND
		var c Constants
		for i := range k {
			k[i], opc[i], rnd[i] = byte(r.Uint32()), byte(r.Uint32()), byte(r.Uint32())
		}
		for i := range c.R {
			c.R[i] = uint8(r.IntN(128))
			for j := range c.C[i] {
				c.C[i][j] = byte(r.Uint32())
			}
		}
		if trial == 0 {
			c = StandardConstants
		}
		m, err := NewWithConstants(k, opc, c)
		if err != nil {
			t.Fatal(err)
		}
		sqn, amf := SQN(r.Uint64())&MaxSQN, AMF(r.Uint32())
		o := m.Compute(rnd, sqn, amf, FuncsAll)
		ref := milenageRef(k, opc, c, rnd, sqn, amf)
		if MAC(ref[0][:8]) != o.MACA || MAC(ref[0][8:]) != o.MACS || AK(ref[1][:6]) != o.AK ||
			[8]byte(ref[1][8:]) != [8]byte(o.RES.Bytes()) || Key(ref[2]) != o.CK || Key(ref[3]) != o.IK ||
			AK(ref[4][:6]) != o.AKStar {
			t.Fatalf("trial %d (r = %v): Compute disagrees with the TS 35.206 reading", trial, c.R)
		}
	}
	if _, err := NewWithConstants(Key{}, Key{}, Constants{R: [5]uint8{0, 0, 128, 0, 0}}); !errors.Is(err, ErrParam) {
		t.Errorf("r3 = 128 accepted: %v", err)
	}
}

func TestComputeFillsOnlyWhatWasAsked(t *testing.T) {
	m, rand := usimFixture(t)
	all := m.Compute(rand, 77, 0x1234, FuncsAll)
	for _, alg := range []Algorithm{m, func() Algorithm { x, _ := NewXOR(Key{9}, 16); return x }()} {
		all := alg.Compute(rand, 77, 0x1234, FuncsAll)
		if o := alg.Compute(rand, 77, 0x1234, F3); o.CK != all.CK || o.IK != (Key{}) || o.MACA != (MAC{}) || o.RES.Len() != 0 {
			t.Errorf("%v: F3 alone: %+v", alg, o)
		}
		conc := NewAUTN(77, all.AK, 0, MAC{}).ConcealedSQN()
		if o := alg.Compute(rand, conc, 0x1234, SQNConcealed|F1); o.MACA != all.MACA || o.AK != all.AK {
			t.Errorf("%v: SQNConcealed did not unconceal SQN for f1", alg)
		}
		conc = NewAUTS(77, all.AKStar, MAC{}).ConcealedSQN()
		if o := alg.Compute(rand, conc, 0x1234, SQNConcealedStar|F1Star); o.MACS != all.MACS || o.AKStar != all.AKStar {
			t.Errorf("%v: SQNConcealedStar did not unconceal SQN for f1*", alg)
		}
	}
	if all.RES.Len() != 8 {
		t.Errorf("Milenage RES is %d bytes, want 8", all.RES.Len())
	}
}

func TestHotPathsDoNotAllocate(t *testing.T) {
	m, rand := usimFixture(t)
	var alg Algorithm = m
	st, _ := NewSQNState(DefaultINDBits)
	autns := make([]AUTN, 100)
	for i := range autns {
		autns[i] = NewVector(m, rand, sq(t, uint64(i+1), 0), 0x8000).AUTN
	}
	auts := ResyncToken(m, rand, 99)
	i := 0
	for name, f := range map[string]func(){
		"NewVector":  func() { _ = NewVector(alg, rand, 5, 0x8000) },
		"Compute":    func() { _ = m.Compute(rand, 5, 0, FuncsAll) },
		"VerifyAUTS": func() { _, _ = VerifyAUTS(alg, rand, auts) },
		"GSM":        func() { _, _ = GSM(alg, rand) },
		"Authenticate": func() {
			if _, err := (Policy{}).Authenticate(alg, &st, rand, autns[i%len(autns)]); err != nil {
				t.Fatal(err)
			}
			i++
		},
	} {
		if n := testing.AllocsPerRun(50, f); n != 0 {
			t.Errorf("%s allocates %v times per call", name, n)
		}
	}
}

func TestConversionsC4C5(t *testing.T) {
	kc := Kc{1, 2, 3, 4, 5, 6, 7, 8}
	ck, ik := C4(kc), C5(kc)
	if ck != (Key{1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 6, 7, 8}) {
		t.Errorf("c4 = % x", ck[:])
	}
	if ik != (Key{4, 4, 4, 12, 1, 2, 3, 4, 5, 6, 7, 8, 4, 4, 4, 12}) {
		t.Errorf("c5 = % x", ik[:])
	}
	// c3(c4(Kc), c5(Kc)) = (Kc ⊕ Kc) ⊕ (IK1 ⊕ IK2) = Kc: a GSM key survives
	// the round trip through UMTS keys (TS 33.102 §6.8.1.2).
	if got := C3(ck, ik); got != kc {
		t.Errorf("c3(c4, c5) = % x", got[:])
	}
	// c2 of a 4-byte RES is the RES itself.
	r, _ := NewRES([]byte{9, 8, 7, 6})
	if C2(r) != (SRES{9, 8, 7, 6}) {
		t.Errorf("c2 of a 32-bit RES = %v", C2(r))
	}
}

func TestParsersCheckLengths(t *testing.T) {
	for name, err := range map[string]error{
		"key":   func() error { _, err := ParseKey(make([]byte, 15)); return err }(),
		"SQN":   func() error { _, err := ParseSQN(make([]byte, 7)); return err }(),
		"AUTN":  func() error { _, err := ParseAUTN(make([]byte, 17)); return err }(),
		"AUTS":  func() error { _, err := ParseAUTS(make([]byte, 13)); return err }(),
		"RES3":  func() error { _, err := NewRES(make([]byte, 3)); return err }(),
		"RES17": func() error { _, err := NewRES(make([]byte, 17)); return err }(),
	} {
		if !errors.Is(err, ErrLength) {
			t.Errorf("%s: %v, want ErrLength", name, err)
		}
	}
	if _, err := NewXOR(Key{}, 3); !errors.Is(err, ErrParam) {
		t.Errorf("XOR RES length 3: %v", err)
	}
	a, err := ParseAUTN([]byte{1, 2, 3, 4, 5, 6, 0x80, 0x01, 9, 9, 9, 9, 9, 9, 9, 9})
	if err != nil || a.ConcealedSQN() != 0x010203040506 || a.AMF() != 0x8001 || a.MAC() != (MAC{9, 9, 9, 9, 9, 9, 9, 9}) {
		t.Errorf("AUTN fields: %v %v %v %v", a.ConcealedSQN(), a.AMF(), a.MAC(), err)
	}
}

func TestServingNetworkName(t *testing.T) {
	for _, tt := range []struct{ mcc, mnc, want string }{
		{"208", "93", "5G:mnc093.mcc208.3gppnetwork.org"},
		{"310", "410", "5G:mnc410.mcc310.3gppnetwork.org"},
	} {
		if got, err := ServingNetworkName(tt.mcc, tt.mnc); err != nil || got != tt.want {
			t.Errorf("%s/%s: %q %v", tt.mcc, tt.mnc, got, err)
		}
	}
	for _, bad := range [][2]string{{"20", "93"}, {"208", "9"}, {"2O8", "93"}, {"208", "9300"}} {
		if _, err := ServingNetworkName(bad[0], bad[1]); !errors.Is(err, ErrParam) {
			t.Errorf("%v accepted: %v", bad, err)
		}
	}
}

func TestMilenageIsSafeForConcurrentUse(t *testing.T) {
	m, rand := usimFixture(t)
	want := NewVector(m, rand, 1234, 0x8000)
	done := make(chan bool)
	for range 4 {
		go func() {
			ok := true
			for range 500 {
				ok = ok && NewVector(m, rand, 1234, 0x8000) == want
			}
			done <- ok
		}()
	}
	for range 4 {
		if !<-done {
			t.Fatal("concurrent vectors differ")
		}
	}
}

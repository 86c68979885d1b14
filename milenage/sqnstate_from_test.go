package milenage

import (
	"errors"
	"slices"
	"testing"
)

func TestNewSQNStateFromHoldsTheGivenArray(t *testing.T) {
	for bits := 0; bits <= MaxINDBits; bits++ {
		seqs := make([]uint64, 1<<bits)
		for i := range seqs {
			seqs[i] = uint64(i*104729+3) & (uint64(MaxSQN) >> bits)
		}
		seqs[len(seqs)-1] = uint64(MaxSQN) >> bits // the widest SEQ allowed
		st, err := NewSQNStateFrom(bits, seqs)
		if err != nil {
			t.Fatalf("bits %d: %v", bits, err)
		}
		if st.Len() != len(seqs) || st.Scheme().INDBits != uint8(bits) {
			t.Fatalf("bits %d: Len %d, scheme %v", bits, st.Len(), st.Scheme())
		}
		for i, v := range seqs {
			if st.SEQ(i) != v {
				t.Fatalf("bits %d: SEQ_MS(%d) = %d, want %d", bits, i, st.SEQ(i), v)
			}
		}
		if got := st.SEQs(nil); !slices.Equal(got, seqs) {
			t.Fatalf("bits %d: SEQs %v, want %v", bits, got, seqs)
		}
		// The highest accepted SQN is the last entry: SEQ_max ‖ a-1.
		if want := MaxSQN; st.Highest() != want {
			t.Fatalf("bits %d: Highest %v, want %v", bits, st.Highest(), want)
		}
		back, err := ParseSQNState(st.Append(nil))
		if err != nil || back != st {
			t.Fatalf("bits %d: persisted encoding does not round-trip: %v", bits, err)
		}
		seqs[0]++ // the state does not alias the caller's slice
		if st.SEQ(0) == seqs[0] {
			t.Fatalf("bits %d: state aliases the input slice", bits)
		}
	}
	st, err := NewSQNStateFrom(DefaultINDBits, make([]uint64, 32))
	zero, _ := NewSQNState(DefaultINDBits)
	if err != nil || st != zero {
		t.Errorf("all-zero array differs from NewSQNState: %v", err)
	}
}

func TestNewSQNStateFromRejectsBadArrays(t *testing.T) {
	tests := []struct {
		name string
		bits int
		seqs []uint64
	}{
		{"IND length negative", -1, []uint64{0}},
		{"IND length 7", MaxINDBits + 1, make([]uint64, 128)},
		{"too few entries", 5, make([]uint64, 31)},
		{"too many entries", 5, make([]uint64, 33)},
		{"nil for a 1-entry array", 0, nil},
		{"SEQ wider than 48-IND bits", 5, append(make([]uint64, 31), uint64(MaxSQN)>>5+1)},
		{"SEQ wider than 48 bits, no IND", 0, []uint64{uint64(MaxSQN) + 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st, err := NewSQNStateFrom(tc.bits, tc.seqs)
			if !errors.Is(err, ErrParam) {
				t.Fatalf("accepted (%v), want ErrParam", err)
			}
			if st != (SQNState{}) {
				t.Errorf("returned a non-zero state with the error")
			}
		})
	}
}

// A USIM restored with SEQ_MS(IND) holding TS 35.208 set 1's SQN
// (ff9bb4d0b607 = SEQ 7fcdda6858 ‖ IND 07 with a 5-bit IND) must refuse
// that very AUTN and answer the published AUTS of the set's resync example
// (TS 33.102 Annex C.2.2: SEQ ≤ SEQ_MS(IND)), and the network side
// (VerifyAUTS) recovers the SQN the state was built from.
func TestNewSQNStateFromRefusesReplayWithPublishedAUTS(t *testing.T) {
	v := loadTS35208(t)
	s := v.Sets[0]
	alg := New(key(t, s.K), key(t, s.OPc))
	sqn := sqnOf(t, s.SQN)
	scheme := SQNScheme{INDBits: DefaultINDBits}
	seqs := make([]uint64, 32)
	seqs[scheme.IND(sqn)] = scheme.SEQ(sqn)
	st, err := NewSQNStateFrom(DefaultINDBits, seqs)
	if err != nil {
		t.Fatal(err)
	}
	if st.Highest() != sqn {
		t.Fatalf("Highest %v, want %v", st.Highest(), sqn)
	}
	autn, _ := ParseAUTN(unhex(t, s.AUTN))
	before := st
	ans, err := Policy{}.Authenticate(alg, &st, rnd(t, s.RAND), autn)
	if !errors.Is(err, ErrSyncFailure) || ans.Result != ResultSyncFailure {
		t.Fatalf("replayed SQN: %v %v", ans.Result, err)
	}
	eqHex(t, "AUTS", ans.AUTS[:], s.Resync.AUTS)
	if st != before {
		t.Errorf("a refused AUTN changed the state")
	}
	got, err := VerifyAUTS(alg, rnd(t, s.RAND), ans.AUTS)
	if err != nil || got != sqn {
		t.Errorf("VerifyAUTS: %v %v, want %v", got, err, sqn)
	}
}

// The Annex C.2 rules apply to a restored array as to one that reached its
// values by authentications: vectors from the network side (NewVector).
func TestNewSQNStateFromAppliesAnnexC2Rules(t *testing.T) {
	v := loadTS35208(t)
	alg := New(key(t, v.Sets[0].K), key(t, v.Sets[0].OPc))
	rand := rnd(t, v.Sets[0].RAND)
	sc := SQNScheme{INDBits: DefaultINDBits}
	join := func(seq uint64, ind uint) SQN {
		q, err := sc.Join(seq, ind)
		if err != nil {
			t.Fatal(err)
		}
		return q
	}
	seqs := make([]uint64, 32)
	seqs[3], seqs[9] = 100, 1000 // SEQ_MS = 1000
	tests := []struct {
		name   string
		policy Policy
		sqn    SQN
		want   Result
	}{
		{"SEQ equal to SEQ_MS(IND)", Policy{}, join(100, 3), ResultSyncFailure},
		{"SEQ below SEQ_MS(IND)", Policy{}, join(99, 3), ResultSyncFailure},
		{"SEQ above SEQ_MS(IND)", Policy{}, join(101, 3), ResultSuccess},
		{"fresh IND below SEQ_MS", Policy{}, join(50, 4), ResultSuccess},
		{"fresh IND, SEQ_MS - SEQ reaches L", Policy{L: 950}, join(50, 4), ResultSyncFailure},
		{"fresh IND, SEQ_MS - SEQ below L", Policy{L: 951}, join(50, 4), ResultSuccess},
		{"SEQ - SEQ_MS exceeds Δ", Policy{Delta: 10}, join(1011, 3), ResultSyncFailure},
		{"SEQ - SEQ_MS within Δ", Policy{Delta: 10}, join(1010, 3), ResultSuccess},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st, err := NewSQNStateFrom(DefaultINDBits, seqs)
			if err != nil {
				t.Fatal(err)
			}
			vec := NewVector(alg, rand, tc.sqn, 0x8000)
			ans, _ := tc.policy.Authenticate(alg, &st, rand, vec.AUTN)
			if ans.Result != tc.want {
				t.Fatalf("SQN %v: %v, want %v", tc.sqn, ans.Result, tc.want)
			}
			switch tc.want {
			case ResultSuccess:
				if ans.RES != vec.XRES || st.SEQ(int(sc.IND(tc.sqn))) != sc.SEQ(tc.sqn) {
					t.Errorf("RES %v (XRES %v), SEQ_MS(%d) = %d", ans.RES, vec.XRES, sc.IND(tc.sqn), st.SEQ(int(sc.IND(tc.sqn))))
				}
			case ResultSyncFailure:
				if got, err := VerifyAUTS(alg, rand, ans.AUTS); err != nil || got != join(1000, 9) {
					t.Errorf("AUTS carries %v (%v), want SQN_MS %v", got, err, join(1000, 9))
				}
			}
		})
	}
}

// FuzzNewSQNStateFrom: any IND length and SEQ list either builds a state
// that holds exactly those values and survives its persisted encoding, or
// is refused with ErrParam and a zero state; it never panics.
func FuzzNewSQNStateFrom(f *testing.F) {
	// Seeds: TS 35.208 set 1's SQN ff9bb4d0b607 as SEQ_MS(7) of a 5-bit IND
	// array, an empty 1-entry array, and a too-wide SEQ.
	set1 := make([]byte, 8*32)
	set1[8*7+2], set1[8*7+3], set1[8*7+4], set1[8*7+5], set1[8*7+6], set1[8*7+7] = 0x07, 0xfc, 0xdd, 0xa6, 0x85, 0xb0
	f.Add(int8(5), set1)
	f.Add(int8(0), make([]byte, 8))
	f.Add(int8(0), []byte{0, 1, 0, 0, 0, 0, 0, 0})
	f.Add(int8(-1), []byte{})
	f.Add(int8(7), make([]byte, 8*128))
	f.Fuzz(func(t *testing.T, bits int8, raw []byte) {
		var seqs []uint64
		for len(raw) >= 8 {
			seqs = append(seqs, uint64(raw[0])<<56|uint64(raw[1])<<48|uint64(raw[2])<<40|uint64(raw[3])<<32|
				uint64(raw[4])<<24|uint64(raw[5])<<16|uint64(raw[6])<<8|uint64(raw[7]))
			raw = raw[8:]
		}
		st, err := NewSQNStateFrom(int(bits), seqs)
		if err != nil {
			if !errors.Is(err, ErrParam) || st != (SQNState{}) {
				t.Fatalf("refusal %v with state %v", err, st.SEQs(nil))
			}
			return
		}
		if got := st.SEQs(nil); !slices.Equal(got, seqs) {
			t.Fatalf("SEQs %x, want %x", got, seqs)
		}
		back, err := ParseSQNState(st.Append(nil))
		if err != nil || back != st {
			t.Fatalf("encoding round trip: %v", err)
		}
		if h, m := st.Highest(), slices.Max(seqs); uint64(h)>>bits != m {
			t.Fatalf("Highest %v has SEQ %x, largest given %x", h, uint64(h)>>bits, m)
		}
	})
}

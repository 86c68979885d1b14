package milenage

import (
	"errors"
	"testing"
)

// usimFixture is TS 35.208 set 1's subscriber with a 5-bit IND array.
func usimFixture(t testing.TB) (*Milenage, RAND) {
	t.Helper()
	return New(key(t, "465b5ce8b199b49faa5f0a2ee238a6bc"), key(t, "cd63cb71954a9f4e48a5994e37a02baf")),
		rnd(t, "23553cbe9637a89d218ae64dae47bf35")
}

func sq(t testing.TB, seq uint64, ind uint) SQN {
	t.Helper()
	q, err := DefaultSQNScheme.Join(seq, ind)
	if err != nil {
		t.Fatal(err)
	}
	return q
}

// TestUSIMAnnexC2Freshness walks the Annex C.2 rules: each step presents a
// genuine AUTN for (SEQ, IND) and expects acceptance or a synchronisation
// failure carrying the highest accepted SQN.
func TestUSIMAnnexC2Freshness(t *testing.T) {
	m, rand := usimFixture(t)
	type step struct {
		name    string
		seq     uint64
		ind     uint
		accept  bool
		highest SQN // SQN_MS after the step (and in AUTS on failure)
	}
	tests := []struct {
		name   string
		policy Policy
		steps  []step
	}{
		{"array accepts each IND once per SEQ and out of order across INDs", Policy{}, []step{
			{"SEQ 0 is never fresh", 0, 3, false, 0},
			{"first SEQ 5 IND 3", 5, 3, true, sq(t, 5, 3)},
			{"replay", 5, 3, false, sq(t, 5, 3)},
			{"lower SEQ, same IND", 4, 3, false, sq(t, 5, 3)},
			{"lower SEQ, unused IND", 2, 7, true, sq(t, 5, 3)},
			{"same SEQ, other IND", 5, 9, true, sq(t, 5, 9)},
			{"higher SEQ, IND 0", 6, 0, true, sq(t, 6, 0)},
			{"IND 7 again above its own entry", 3, 7, true, sq(t, 6, 0)},
			{"IND 7 replay", 3, 7, false, sq(t, 6, 0)},
		}},
		{"Δ limits jumps (Annex C.2.1)", Policy{Delta: 100}, []step{
			{"within Δ of 0", 100, 1, true, sq(t, 100, 1)},
			{"exactly Δ ahead", 200, 2, true, sq(t, 200, 2)},
			{"Δ+1 ahead", 301, 2, false, sq(t, 200, 2)},
			{"far behind is not a jump", 1, 4, true, sq(t, 200, 2)},
		}},
		{"L bounds how old a SEQ may be (Annex C.2.2)", Policy{Delta: 1 << 20, L: 10}, []step{
			{"first", 50, 0, true, sq(t, 50, 0)},
			{"L-1 behind", 41, 1, true, sq(t, 50, 0)},
			{"L behind", 40, 2, false, sq(t, 50, 0)},
			{"ahead is unaffected by L", 51, 2, true, sq(t, 51, 2)},
		}},
		{"default Δ is 2^28", Policy{}, []step{
			{"2^28 accepted", 1 << 28, 0, true, sq(t, 1<<28, 0)},
			{"2^28+2^28+1 refused", 1<<29 + 1, 0, false, sq(t, 1<<28, 0)},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, _ := NewSQNState(DefaultINDBits)
			for _, s := range tt.steps {
				before := st
				v := NewVector(m, rand, sq(t, s.seq, s.ind), 0x8000)
				a, err := tt.policy.Authenticate(m, &st, rand, v.AUTN)
				if s.accept {
					if err != nil || a.Result != ResultSuccess {
						t.Fatalf("%s: %v, %v; want success", s.name, a.Result, err)
					}
					if !a.RES.Equal(v.XRES) || a.CK != v.CK || a.IK != v.IK || a.Kc != C3(v.CK, v.IK) {
						t.Fatalf("%s: RES/CK/IK/Kc differ from the vector", s.name)
					}
					if st.SEQ(int(s.ind)) != s.seq {
						t.Fatalf("%s: SEQ_MS(%d) = %d, want %d", s.name, s.ind, st.SEQ(int(s.ind)), s.seq)
					}
				} else {
					if !errors.Is(err, ErrSyncFailure) || a.Result != ResultSyncFailure {
						t.Fatalf("%s: %v, %v; want sync failure", s.name, a.Result, err)
					}
					if st != before {
						t.Fatalf("%s: state changed on a refused SQN", s.name)
					}
					got, err := VerifyAUTS(m, rand, a.AUTS)
					if err != nil || got != s.highest {
						t.Fatalf("%s: AUTS carries %v (%v), want SQN_MS %v", s.name, got, err, s.highest)
					}
				}
				if st.Highest() != s.highest {
					t.Fatalf("%s: Highest = %v, want %v", s.name, st.Highest(), s.highest)
				}
			}
		})
	}
}

func TestUSIMRejectsWrongMACAndLeavesStateAlone(t *testing.T) {
	m, rand := usimFixture(t)
	st, _ := NewSQNState(DefaultINDBits)
	good := NewVector(m, rand, sq(t, 1, 0), 0x8000).AUTN
	tamper := []struct {
		name string
		at   int
	}{{"SQN⊕AK byte", 2}, {"AMF byte", 6}, {"MAC byte", 15}}
	for _, tc := range tamper {
		t.Run(tc.name, func(t *testing.T) {
			bad := good
			bad[tc.at] ^= 0x40
			before := st
			a, err := Policy{}.Authenticate(m, &st, rand, bad)
			if !errors.Is(err, ErrMACFailure) || a.Result != ResultMACFailure {
				t.Fatalf("got %v, %v; want MAC failure", a.Result, err)
			}
			if st != before {
				t.Fatal("state changed on MAC failure")
			}
			if out := a.AppendResponse([]byte{0xAA}, true); len(out) != 1 {
				t.Fatalf("MAC failure response has data: % x", out)
			}
			if a.RES.Len() != 0 || a.CK != (Key{}) || a.AUTS != (AUTS{}) {
				t.Fatal("MAC failure answer carries key material or AUTS")
			}
		})
	}
	// Another subscriber's AUTN is a MAC failure too.
	other := New(Key{1}, Key{2})
	if _, err := (Policy{}).Authenticate(other, &st, rand, good); !errors.Is(err, ErrMACFailure) {
		t.Fatalf("foreign AUTN: %v", err)
	}
}

func TestUSIMWithXORAlgorithm(t *testing.T) {
	x, _ := NewXOR(Key{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}, 8)
	rand := RAND{0x34}
	st, _ := NewSQNState(DefaultINDBits)
	v := NewVector(x, rand, sq(t, 3, 1), 0)
	a, err := Policy{}.Authenticate(x, &st, rand, v.AUTN)
	if err != nil || a.RES.Len() != 8 || !a.RES.Equal(v.XRES) {
		t.Fatalf("XOR USIM: %v, RES %v want %v", err, a.RES, v.XRES)
	}
	a, _ = Policy{}.Authenticate(x, &st, rand, v.AUTN)
	if got, err := VerifyAUTS(x, rand, a.AUTS); err != nil || got != sq(t, 3, 1) {
		t.Fatalf("XOR resync: %v %v", got, err)
	}
}

func TestSQNSchemeSplitsAndAdvances(t *testing.T) {
	s := DefaultSQNScheme
	q, err := s.Join(0x123, 7)
	if err != nil || q != 0x123<<5|7 || s.SEQ(q) != 0x123 || s.IND(q) != 7 {
		t.Fatalf("Join = %v, %v", q, err)
	}
	n, err := s.Next(q, 2)
	if err != nil || s.SEQ(n) != 0x124 || s.IND(n) != 2 {
		t.Fatalf("Next = %v, %v", n, err)
	}
	if _, err := s.Join(1, 32); !errors.Is(err, ErrParam) {
		t.Errorf("IND 32 in 5 bits: %v", err)
	}
	if _, err := s.Next(MaxSQN, 0); !errors.Is(err, ErrSQNExhausted) {
		t.Errorf("Next past the last SEQ: %v", err)
	}
	if _, err := (SQNScheme{INDBits: 7}).Join(1, 0); !errors.Is(err, ErrParam) {
		t.Errorf("7-bit IND: %v", err)
	}
	if q, err := (SQNScheme{}).Next(41, 0); err != nil || q != 42 {
		t.Errorf("IND length 0: %v %v", q, err)
	}
}

func TestVerifyAUTSRejectsWrongMACS(t *testing.T) {
	m, rand := usimFixture(t)
	auts := ResyncToken(m, rand, 0x0102030405)
	for i := range auts {
		bad := auts
		bad[i] ^= 0x80
		if _, err := VerifyAUTS(m, rand, bad); !errors.Is(err, ErrInvalidAUTS) {
			t.Errorf("bit flip in byte %d accepted: %v", i, err)
		}
	}
	// MAC-S is computed with AMF* = 0000: an f1* over another AMF does not verify.
	o := m.Compute(rand, 0x0102030405, 0x8000, F1Star|F5Star)
	if _, err := VerifyAUTS(m, rand, NewAUTS(0x0102030405, o.AKStar, o.MACS)); !errors.Is(err, ErrInvalidAUTS) {
		t.Errorf("AUTS with AMF 8000 in MAC-S accepted: %v", err)
	}
}

func TestResultNames(t *testing.T) {
	for r, want := range map[Result]string{ResultSuccess: "successful 3G authentication", ResultSyncFailure: "synchronisation failure", ResultMACFailure: "MAC failure", 9: "Result(9)"} {
		if r.String() != want {
			t.Errorf("%d: %q, want %q", r, r.String(), want)
		}
	}
}

func TestSQNGeneratorDrivesAUSIMThroughResync(t *testing.T) {
	m, rand := usimFixture(t)
	he := SQNGenerator{Scheme: DefaultSQNScheme}
	usim, _ := NewSQNState(DefaultINDBits)
	for i := range 40 { // past one round of all 32 INDs
		q, err := he.Next(uint(i % 32))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := (Policy{}).Authenticate(m, &usim, rand, NewVector(m, rand, q, 0).AUTN); err != nil {
			t.Fatalf("vector %d (SQN %v): %v", i, q, err)
		}
	}
	// The HE loses its counter (restored from an old backup).
	he.SEQ = 3
	q, _ := he.Next(0)
	a, err := (Policy{}).Authenticate(m, &usim, rand, NewVector(m, rand, q, 0).AUTN)
	if !errors.Is(err, ErrSyncFailure) {
		t.Fatalf("stale SQN %v accepted: %v", q, err)
	}
	sqnMS, err := VerifyAUTS(m, rand, a.AUTS)
	if err != nil || sqnMS != usim.Highest() {
		t.Fatalf("VerifyAUTS = %v, %v; USIM holds %v", sqnMS, err, usim.Highest())
	}
	he.Resync(sqnMS)
	q, _ = he.Next(5)
	if _, err := (Policy{}).Authenticate(m, &usim, rand, NewVector(m, rand, q, 0).AUTN); err != nil {
		t.Fatalf("after resync, SQN %v refused: %v", q, err)
	}
	if he.SEQ != 41 {
		t.Errorf("SEQ_HE = %d, want 41", he.SEQ)
	}
	if _, err := he.Next(32); !errors.Is(err, ErrParam) || he.SEQ != 41 {
		t.Errorf("bad IND: %v, SEQ_HE %d", err, he.SEQ)
	}
}

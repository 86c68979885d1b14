package milenage

import (
	"bytes"
	"errors"
	"testing"
)

// FuzzAuthenticate feeds arbitrary RAND/AUTN pairs to the USIM-side check:
// it must never panic, never accept an AUTN whose MAC-A is not f1 of the SQN
// it carries, and never change the SQN state unless it accepts.
func FuzzAuthenticate(f *testing.F) {
	m, _ := usimFixture(f)
	v := loadTS35208(f)
	for _, s := range v.Sets {
		f.Add(unhex(f, s.RAND), unhex(f, s.AUTN), uint64(0))
		f.Add(unhex(f, s.RAND), unhex(f, s.AUTN), uint64(1)<<40)
	}
	good := NewVector(m, RAND{1}, sq(f, 7, 3), 0x8000)
	f.Add(good.RAND[:], good.AUTN[:], uint64(0))
	f.Add(good.RAND[:], good.AUTN[:], uint64(7))
	f.Fuzz(func(t *testing.T, randB, autnB []byte, seq uint64) {
		var rand RAND
		var autn AUTN
		copy(rand[:], randB)
		copy(autn[:], autnB)
		st, _ := NewSQNState(DefaultINDBits)
		st.seq[seq%32] = seq & (uint64(MaxSQN) >> 5)
		before := st
		a, err := Policy{L: seq % 1000}.Authenticate(m, &st, rand, autn)
		sqn := autn.ConcealedSQN() ^ m.F5(rand).sqn()
		genuine := NewAUTN(sqn, m.F5(rand), autn.AMF(), m.F1(rand, sqn, autn.AMF())) == autn
		switch {
		case err == nil:
			if a.Result != ResultSuccess || !genuine {
				t.Fatalf("accepted AUTN %v with a wrong MAC (result %v)", autn, a.Result)
			}
		case errors.Is(err, ErrMACFailure):
			if genuine || st != before || a.Result != ResultMACFailure {
				t.Fatalf("MAC failure for genuine=%v, state changed=%v", genuine, st != before)
			}
		case errors.Is(err, ErrSyncFailure):
			if !genuine || st != before {
				t.Fatalf("sync failure for genuine=%v, state changed=%v", genuine, st != before)
			}
			if got, err := VerifyAUTS(m, rand, a.AUTS); err != nil || got != st.Highest() {
				t.Fatalf("AUTS does not carry SQN_MS: %v %v", got, err)
			}
		default:
			t.Fatalf("unexpected error %v", err)
		}
	})
}

// FuzzParseSQNState: the persisted state parser never panics, and whatever
// it accepts re-encodes to the same bytes.
func FuzzParseSQNState(f *testing.F) {
	st, _ := NewSQNState(DefaultINDBits)
	f.Add(st.Append(nil))
	st.seq[5] = 123456
	f.Add(st.Append(nil))
	st0, _ := NewSQNState(0)
	f.Add(st0.Append(nil))
	f.Add([]byte{1, 5})
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := ParseSQNState(b)
		if err != nil {
			if !errors.Is(err, ErrState) {
				t.Fatalf("error %v does not wrap ErrState", err)
			}
			return
		}
		if out := s.Append(nil); !bytes.Equal(out, b) {
			t.Fatalf("re-encoding differs: % x vs % x", out, b)
		}
	})
}

// FuzzVerifyAUTS: the HE side never panics and accepts only an AUTS that a
// USIM holding the recovered SQN_MS would send.
func FuzzVerifyAUTS(f *testing.F) {
	m, _ := usimFixture(f)
	v := loadTS35208(f)
	f.Add(unhex(f, v.Sets[0].RAND), unhex(f, v.Sets[0].Resync.AUTS))
	f.Add(make([]byte, 16), make([]byte, 14))
	f.Fuzz(func(t *testing.T, randB, autsB []byte) {
		var rand RAND
		copy(rand[:], randB)
		auts, err := ParseAUTS(autsB)
		if err != nil {
			if !errors.Is(err, ErrLength) {
				t.Fatal(err)
			}
			return
		}
		sqn, err := VerifyAUTS(m, rand, auts)
		if err == nil && ResyncToken(m, rand, sqn) != auts {
			t.Fatalf("accepted AUTS %v that is not the token for SQN_MS %v", auts, sqn)
		}
	})
}

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

// FuzzParseFixedFields covers the fixed-length parsers: each accepts exactly
// its length, re-encodes to the input, and otherwise wraps ErrLength.
func FuzzParseFixedFields(f *testing.F) {
	f.Add(unhex(f, "55f328b43577b9b94a9ffac354dfafb3"))
	f.Add(unhex(f, "ff9bb4d0b607"))
	f.Add(unhex(f, "a54211d5e3ba50bf"))
	f.Fuzz(func(t *testing.T, b []byte) {
		check := func(name string, ok bool, err error, n func() bool) {
			if err != nil && !errors.Is(err, ErrLength) {
				t.Fatalf("%s: %v does not wrap ErrLength", name, err)
			}
			if (err == nil) != ok {
				t.Fatalf("%s: length %d, err %v", name, len(b), err)
			}
			if err == nil && !n() {
				t.Fatalf("%s: round trip differs for % x", name, b)
			}
		}
		k, err := ParseKey(b)
		check("Key", len(b) == 16, err, func() bool { return bytes.Equal(k[:], b) })
		q, err := ParseSQN(b)
		check("SQN", len(b) == 6, err, func() bool { return bytes.Equal(q.Append(nil), b) })
		a, err := ParseAUTN(b)
		check("AUTN", len(b) == 16, err, func() bool {
			return bytes.Equal(a[:], b) && NewAUTN(a.ConcealedSQN(), AK{}, a.AMF(), a.MAC()) == a
		})
		s, err := ParseAUTS(b)
		check("AUTS", len(b) == 14, err, func() bool { return NewAUTS(s.ConcealedSQN(), AK{}, s.MAC()) == s })
		r, err := NewRES(b)
		check("RES", len(b) >= 4 && len(b) <= 16, err, func() bool { return bytes.Equal(r.Append(nil), b) && r.Len() == len(b) })
	})
}

package milenage

import (
	"bytes"
	"errors"
	"testing"
)

// TestAuthenticateCommandDataMatchesWorkedExample takes the data fields of
// the shared worked example (TS 31.102 §7.1.2.1 with TS 35.208 set 1).
func TestAuthenticateCommandDataMatchesWorkedExample(t *testing.T) {
	v := loadTS35208(t)
	s := v.Sets[0]
	apdu3g := unhex(t, "00880081221023553cbe9637a89d218ae64dae47bf351055f328b43577b9b94a9ffac354dfafb300")
	rand, autn, err := ParseAuthenticate3G(apdu3g[5 : 5+0x22])
	if err != nil || rand != rnd(t, s.RAND) || autn.String() != s.AUTN {
		t.Fatalf("3G data: %v %v %v", rand, autn, err)
	}
	if got := AppendAuthenticate3G(nil, rand, autn); !bytes.Equal(got, apdu3g[5:5+0x22]) {
		t.Errorf("AppendAuthenticate3G = % x", got)
	}
	apduGSM := unhex(t, "00880080111023553cbe9637a89d218ae64dae47bf3500")
	rand, err = ParseAuthenticateGSM(apduGSM[5 : 5+0x11])
	if err != nil || rand != rnd(t, s.RAND) {
		t.Fatalf("GSM data: %v %v", rand, err)
	}
	if got := AppendAuthenticateGSM(nil, rand); !bytes.Equal(got, apduGSM[5:5+0x11]) {
		t.Errorf("AppendAuthenticateGSM = % x", got)
	}
}

func TestAuthenticateCommandDataRejectsBadLengths(t *testing.T) {
	good := AppendAuthenticate3G(nil, RAND{1}, AUTN{2})
	for name, in := range map[string][]byte{
		"short":           good[:33],
		"long":            append(bytes.Clone(good), 0),
		"RAND length 0F":  append([]byte{0x0f}, good[1:]...),
		"AUTN length 11":  append(append(bytes.Clone(good[:17]), 0x11), good[18:]...),
		"GSM-sized input": good[:17],
	} {
		if _, _, err := ParseAuthenticate3G(in); !errors.Is(err, ErrLength) {
			t.Errorf("3G %s: %v", name, err)
		}
	}
	for name, in := range map[string][]byte{"3G-sized": good, "empty": nil, "length 0F": append([]byte{0x0f}, make([]byte, 16)...)} {
		if _, err := ParseAuthenticateGSM(in); !errors.Is(err, ErrLength) {
			t.Errorf("GSM %s: %v", name, err)
		}
	}
}

func TestFuncsString(t *testing.T) {
	for f, want := range map[Funcs]string{0: "none", F1 | F2 | F5: "f1|f2|f5", F1Star | F5Star: "f1*|f5*", SQNConcealed | F1: "f1|SQN⊕AK", 1 << 12: "0x1000"} {
		if f.String() != want {
			t.Errorf("%#x: %q, want %q", uint16(f), f.String(), want)
		}
	}
}

// FuzzParseAuthenticate3G: never panics; accepted input re-encodes exactly.
func FuzzParseAuthenticate3G(f *testing.F) {
	f.Add(unhex(f, "1023553cbe9637a89d218ae64dae47bf351055f328b43577b9b94a9ffac354dfafb3"))
	f.Add(unhex(f, "1023553cbe9637a89d218ae64dae47bf35"))
	f.Fuzz(func(t *testing.T, b []byte) {
		if rand, autn, err := ParseAuthenticate3G(b); err == nil {
			if !bytes.Equal(AppendAuthenticate3G(nil, rand, autn), b) {
				t.Fatalf("re-encoding differs for % x", b)
			}
		} else if !errors.Is(err, ErrLength) {
			t.Fatal(err)
		}
		if rand, err := ParseAuthenticateGSM(b); err == nil {
			if !bytes.Equal(AppendAuthenticateGSM(nil, rand), b) {
				t.Fatalf("GSM re-encoding differs for % x", b)
			}
		} else if !errors.Is(err, ErrLength) {
			t.Fatal(err)
		}
	})
}

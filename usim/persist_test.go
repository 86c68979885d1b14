package usim

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/uiccsim/uiccsim/milenage"
	"github.com/uiccsim/uiccsim/usim/client"
	"github.com/uiccsim/uiccsim/usim/ef"
	"github.com/uiccsim/uiccsim/usim/profile"
)

// TestAuthenticateTearing cuts the power after every persistent write of a
// successful AUTHENTICATE and checks that after restart the SQN array is
// either the old one or the new one, never a mix.
func TestAuthenticateTearing(t *testing.T) {
	ex := &loadVectors(t).Ex
	old := milenage.SQN(0xff9bb4d0b5e7)
	updated := milenage.SQN(0xff9bb4d0b607)
	sawOld, sawNew := false, false
	for n := 0; n < 100; n++ {
		c := cardForExample(t, nil)
		tx(t, c, hx(t, selectUSIM))
		expect(t, c, verifyPIN1, "9000")
		st := c.Store()
		st.FailAfter(n)
		_, err := c.Transmit(nil, hx(t, ex.Command3G.APDU))
		torn := st.Dead()
		st.FailAfter(-1)
		if err := st.Restart(); err != nil {
			t.Fatalf("write %d: restart: %v", n, err)
		}
		c2, oerr := Open(st)
		if oerr != nil {
			t.Fatalf("write %d: reopen: %v", n, oerr)
		}
		s, serr := c2.SQNState()
		if serr != nil {
			t.Fatalf("write %d: SQN state: %v", n, serr)
		}
		switch s.Highest() {
		case old:
			sawOld = true
		case updated:
			sawNew = true
		default:
			t.Fatalf("write %d: SQN_MS %v is neither old nor new", n, s.Highest())
		}
		if !torn {
			if err != nil || s.Highest() != updated {
				t.Fatalf("untorn command: %v, SQN_MS %v", err, s.Highest())
			}
			if !sawOld || !sawNew {
				t.Errorf("tearing never exercised both outcomes (old %v, new %v)", sawOld, sawNew)
			}
			return
		}
	}
	t.Fatal("AUTHENTICATE never completed within 100 writes")
}

func TestImageRoundTrip(t *testing.T) {
	ex := &loadVectors(t).Ex
	c := cardForExample(t, nil)
	tx(t, c, hx(t, selectUSIM))
	expect(t, c, verifyPIN1, "9000")
	expect(t, c, ex.Command3G.APDU, "6135")
	path := filepath.Join(t.TempDir(), "card.img")
	if err := c.SaveImage(path); err != nil {
		t.Fatal(err)
	}
	c2, err := OpenImage(path)
	if err != nil {
		t.Fatal(err)
	}
	// The restored card remembers the accepted SQN: the same AUTN is a
	// replay.
	tx(t, c2, hx(t, selectUSIM))
	expect(t, c2, verifyPIN1, "9000")
	expect(t, c2, ex.Command3G.APDU, "6110")
	expect(t, c2, "00c0000010", ex.Sync.Data+"9000")
}

func TestProfileCountersAndXOR(t *testing.T) {
	p := profile.Default()
	p.PINs.PIN1.Retries = 1
	p.PINs.PUK2.Retries = 7
	p.PINs.ADM1.Retries = 9
	p.Auth = profile.Auth{Algorithm: profile.XOR, K: profile.TestK, RESLen: 16, SQN: profile.SQNState{INDBits: 5}}
	c, err := New(p)
	if err != nil {
		t.Fatal(err)
	}
	cl := client.New(c)
	for ref, want := range map[ef.KeyRef]int{ef.KeyPIN1: 1, ef.KeyPIN2: 3, ef.KeyADM1: 9} {
		if n, _, err := cl.PINStatus(ref); n != want || err != nil {
			t.Errorf("%v: %d tries, want %d (%v)", ref, n, want, err)
		}
	}
	if s, _ := c.FS().PINState(0x81); s.PUKTries != 7 {
		t.Errorf("PUK2 tries %d, want 7", s.PUKTries)
	}
	// XOR algorithm (TS 34.108 §8.1.2): a vector made by the milenage
	// package's network side with SQN 32 (SEQ 1, IND 0) is accepted.
	alg, _ := milenage.NewXOR(milenage.Key(profile.TestK), 16)
	var rand milenage.RAND
	copy(rand[:], hx(t, "23553cbe9637a89d218ae64dae47bf35"))
	vec := milenage.NewVector(alg, rand, 32, 0x8000)
	if err := cl.VerifyPIN(ef.KeyPIN1, "1234"); err != nil {
		t.Fatal(err)
	}
	if _, err := cl.SelectUSIM(); err != nil {
		t.Fatal(err)
	}
	r, err := cl.Authenticate(rand, vec.AUTN)
	if err != nil || r.Outcome != client.AuthSuccess || !bytes.Equal(r.RES, vec.XRES.Append(nil)) || len(r.RES) != 16 {
		t.Errorf("XOR AUTHENTICATE %v %v", r, err)
	}
}

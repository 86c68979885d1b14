package fs

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/uiccsim/uiccsim/usim/jc"
	"github.com/uiccsim/uiccsim/usim/store"
)

// pinCard builds an MF whose PIN status template lists PIN1, PIN2 and
// ADM1, adds pins and powers the card on.
func pinCard(t *testing.T, pins ...PIN) *testCard {
	t.Helper()
	st := store.New(store.Options{})
	f, err := New(st, Spec{Name: "MF", ARR: arr(1), PINs: []KeyRef{KeyPIN1, KeyPIN2, KeyADM1}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pins {
		if err := f.AddPIN(p); err != nil {
			t.Fatal(err)
		}
	}
	c := &testCard{fs: f, st: st, rt: jc.New(jc.Options{Store: st})}
	f.Attach(c.rt)
	if _, err := c.rt.Reset(true); err != nil {
		t.Fatal(err)
	}
	return c
}

const (
	wrongPIN2  = "002000810830303030FFFFFFFF"
	rightPIN2  = "002000810835363738FFFFFFFF"
	unblockOK  = "002C0081103837363534333231 35363738FFFFFFFF"
	unblockBad = "002C0081103030303030303030 35363738FFFFFFFF"
)

// A PIN created with Failed wrong presentations already counted starts its
// retry counter at Retries-Failed: the empty VERIFY of TS 102 221 §11.1.9
// answers 63Cx with that value, and the counter then moves as the spec says.
func TestPINFailedStartsTheCounterBelowItsLimit(t *testing.T) {
	tests := []struct {
		name  string
		pin   PIN
		steps []step
	}{
		{"fresh counter (zero value)", PIN{Ref: KeyPIN2, Value: []byte("5678"), PUK: []byte("87654321")}, []step{
			{"00200081", "63C3"}, {"002C0081", "63CA"},
		}},
		{"one try left, a wrong PIN blocks it", PIN{Ref: KeyPIN2, Value: []byte("5678"), PUK: []byte("87654321"), Failed: 2}, []step{
			{"00200081", "63C1"}, {wrongPIN2, "63C0"}, {"00200081", "6983"}, {rightPIN2, "6983"},
		}},
		{"one try left, the right PIN restores the limit", PIN{Ref: KeyPIN2, Value: []byte("5678"), Retries: 5, Failed: 4}, []step{
			{"00200081", "63C1"}, {rightPIN2, "9000"}, {"00200081", "9000"}, {wrongPIN2, "63C4"},
		}},
		{"blocked PIN, unblocked with the PUK", PIN{Ref: KeyPIN2, Value: []byte("5678"), PUK: []byte("87654321"), Failed: 3}, []step{
			{"00200081", "6983"}, {rightPIN2, "6983"}, {"002C0081", "63CA"}, {unblockOK, "9000"},
			{"00200081", "9000"}, {wrongPIN2, "63C2"},
		}},
		{"PUK with two tries left", PIN{Ref: KeyPIN2, Value: []byte("5678"), PUK: []byte("87654321"), PUKFailed: 8}, []step{
			{"002C0081", "63C2"}, {unblockBad, "63C1"}, {unblockOK, "9000"}, {"002C0081", "63CA"},
		}},
		{"PIN and PUK both blocked", PIN{Ref: KeyPIN2, Value: []byte("5678"), PUK: []byte("87654321"), Failed: 3, PUKFailed: 10}, []step{
			{"00200081", "6983"}, {"002C0081", "6983"}, {unblockOK, "6983"},
		}},
		{"disabled PIN1 with one failure", PIN{Ref: KeyPIN1, Value: []byte("1234"), Disabled: true, Failed: 1}, []step{
			{"00200001", "9000"}, // disabled: no verification needed
			{"0028000108 31323334FFFFFFFF", "9000"}, {"00200001", "9000"},
			{"0026000108 30303030FFFFFFFF", "63C2"}, // counter back at 3, one wrong
		}},
		{"ADM1 with one try left", PIN{Ref: KeyADM1, Value: []byte("88888888"), Retries: 10, Failed: 9}, []step{
			{"0020000A", "63C1"}, {"0020000A083838383838383838", "9000"}, {"0020000A", "9000"},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := pinCard(t, tc.pin)
			c.run(t, tc.steps)
		})
	}
}

// The counters given at creation are persistent state: PINState reports
// them and a card reopened from its store keeps them.
func TestPINFailedIsPersistent(t *testing.T) {
	c := pinCard(t, PIN{Ref: KeyPIN2, Value: []byte("5678"), PUK: []byte("87654321"), Failed: 1, PUKFailed: 4})
	s, err := c.fs.PINState(KeyPIN2)
	if err != nil || s.Tries != 2 || s.PUKTries != 6 || !s.Enabled || s.Verified {
		t.Fatalf("PINState %+v %v", s, err)
	}
	img := c.st.AppendImage(nil)
	st, err := store.ParseImage(img)
	if err != nil {
		t.Fatal(err)
	}
	f, err := Open(st, Options{})
	if err != nil {
		t.Fatal(err)
	}
	rt := jc.New(jc.Options{Store: st})
	f.Attach(rt)
	if _, err := rt.Reset(true); err != nil {
		t.Fatal(err)
	}
	(&testCard{rt: rt, fs: f, st: st}).run(t, []step{{"00200081", "63C2"}, {"002C0081", "63C6"}})
}

func TestPINFailedOutOfRangeIsRefused(t *testing.T) {
	for _, tc := range []struct {
		name string
		pin  PIN
		msg  string
	}{
		{"negative", PIN{Ref: KeyPIN2, Value: []byte("5678"), Failed: -1}, "failed presentations -1 outside 0..3"},
		{"above the default limit", PIN{Ref: KeyPIN2, Value: []byte("5678"), Failed: 4}, "failed presentations 4 outside 0..3"},
		{"above the given limit", PIN{Ref: KeyADM1, Value: []byte("88888888"), Retries: 5, Failed: 6}, "outside 0..5"},
		{"PUK above its limit", PIN{Ref: KeyPIN2, Value: []byte("5678"), PUK: []byte("87654321"), PUKFailed: 11}, "unblock key presentations 11 outside 0..10"},
		{"PUK failures without a PUK", PIN{Ref: KeyPIN2, Value: []byte("5678"), PUKFailed: 1}, "without an unblock key"},
		{"disabled and blocked", PIN{Ref: KeyPIN1, Value: []byte("1234"), Disabled: true, Failed: 3}, "cannot start blocked"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := store.New(store.Options{})
			f, err := New(st, Spec{Name: "MF", ARR: arr(1)}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			before := st.AppendImage(nil)
			err = f.AddPIN(tc.pin)
			if !errors.Is(err, ErrBadSpec) || !strings.Contains(err.Error(), tc.msg) {
				t.Fatalf("AddPIN: %v, want ErrBadSpec saying %q", err, tc.msg)
			}
			if _, err := f.PINState(tc.pin.Ref); !errors.Is(err, ErrNotFound) {
				t.Errorf("refused PIN exists: %v", err)
			}
			if after := st.AppendImage(nil); string(after) != string(before) {
				t.Errorf("refused AddPIN changed the store")
			}
		})
	}
}

// FuzzPINStartCounters: any starting counters either are refused by
// AddPIN (ErrBadSpec) or give a PIN whose counters then move exactly as
// TS 102 221 §11.1.9 and §11.1.13 say under any sequence of VERIFY and
// UNBLOCK PIN with wrong and right values (a model counts alongside).
func FuzzPINStartCounters(f *testing.F) {
	f.Add(uint8(3), uint8(0), uint8(10), uint8(0), []byte{0, 1, 2, 3, 4})
	f.Add(uint8(3), uint8(2), uint8(10), uint8(0), []byte{0, 0, 1, 4, 3})
	f.Add(uint8(3), uint8(3), uint8(10), uint8(9), []byte{1, 2, 2, 3})
	f.Add(uint8(15), uint8(16), uint8(1), uint8(1), []byte{4})
	f.Fuzz(func(t *testing.T, retries, failed, pukRetries, pukFailed uint8, ops []byte) {
		st := store.New(store.Options{})
		f, err := New(st, Spec{Name: "MF", ARR: arr(1), PINs: []KeyRef{KeyPIN2}}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		p := PIN{Ref: KeyPIN2, Value: []byte("5678"), PUK: []byte("87654321"),
			Retries: int(retries), Failed: int(failed), PUKRetries: int(pukRetries), PUKFailed: int(pukFailed)}
		if err := f.AddPIN(p); err != nil {
			if !errors.Is(err, ErrBadSpec) {
				t.Fatalf("AddPIN: %v", err)
			}
			return
		}
		limit, pukLimit := int(retries), int(pukRetries)
		if limit == 0 {
			limit = 3
		}
		if pukLimit == 0 {
			pukLimit = 10
		}
		if int(failed) > limit || int(pukFailed) > pukLimit {
			t.Fatalf("AddPIN accepted failed %d/%d, PUK failed %d/%d", failed, limit, pukFailed, pukLimit)
		}
		tries, pukTries, verified := limit-int(failed), pukLimit-int(pukFailed), false
		c := &testCard{fs: f, st: st, rt: jc.New(jc.Options{Store: st})}
		f.Attach(c.rt)
		if _, err := c.rt.Reset(true); err != nil {
			t.Fatal(err)
		}
		blockedOr := func(n int, sw string) string {
			if n == 0 {
				return "6983"
			}
			return sw
		}
		for _, op := range append([]byte{0}, ops...) {
			var cmd, want string
			switch op % 5 {
			case 0: // empty VERIFY: the counter
				cmd = "00200081"
				want = blockedOr(tries, fmt.Sprintf("63C%X", tries))
				if tries != 0 && verified {
					want = "9000"
				}
			case 1: // wrong PIN
				cmd, want = wrongPIN2, blockedOr(tries, fmt.Sprintf("63C%X", max(tries-1, 0)))
				if tries != 0 {
					tries--
					verified = false
				}
			case 2: // right PIN
				cmd, want = rightPIN2, blockedOr(tries, "9000")
				if tries != 0 {
					tries, verified = limit, true
				}
			case 3: // wrong PUK; like a wrong PIN it ends the PIN's verified state
				cmd, want = unblockBad, blockedOr(pukTries, fmt.Sprintf("63C%X", max(pukTries-1, 0)))
				if pukTries != 0 {
					pukTries--
					verified = false
				}
			case 4: // right PUK: new PIN 5678 again, both counters back
				cmd, want = unblockOK, blockedOr(pukTries, "9000")
				if pukTries != 0 {
					tries, pukTries, verified = limit, pukLimit, true
				}
			}
			if got := c.xfer(t, cmd); got != want {
				t.Fatalf("start %d/%d, PUK %d/%d: %s answered %s, model says %s", limit-int(failed), limit, pukLimit-int(pukFailed), pukLimit, cmd, got, want)
			}
			if s, _ := f.PINState(KeyPIN2); s.Tries != tries || s.PUKTries != pukTries {
				t.Fatalf("after %s: counters %d/%d, model %d/%d", cmd, s.Tries, s.PUKTries, tries, pukTries)
			}
		}
	})
}

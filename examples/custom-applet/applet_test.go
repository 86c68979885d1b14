package main

import (
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/usim"
	"github.com/uiccsim/uiccsim/usim/apdufuzz"
	"github.com/uiccsim/uiccsim/usim/jc"
	"github.com/uiccsim/uiccsim/usim/profile"
	"github.com/uiccsim/uiccsim/usim/store"
)

var selectPurse = fmt.Sprintf("00A40400%02X%s", PurseAID.Len(), PurseAID)

const (
	verify1234  = "002000810831323334FFFFFFFF"
	verifyWrong = "002000810839393939FFFFFFFF"
)

func hx(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func powered(t testing.TB) *jc.Runtime {
	t.Helper()
	rt, err := NewCard()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := rt.Reset(true); err != nil {
		t.Fatal(err)
	}
	return rt
}

type step struct{ cmd, want string }

func play(t *testing.T, rt *jc.Runtime, steps []step) {
	t.Helper()
	for i, s := range steps {
		r, err := rt.Transmit(nil, hx(t, s.cmd))
		if err != nil {
			t.Fatalf("step %d %s: %v", i+1, s.cmd, err)
		}
		if got, want := fmt.Sprintf("%X", r), strings.ReplaceAll(s.want, " ", ""); got != want {
			t.Fatalf("step %d %s: got %s, want %s", i+1, s.cmd, got, want)
		}
	}
}

func TestPurseCommands(t *testing.T) {
	tests := []struct {
		name  string
		steps []step
	}{
		{"credit adds and GET BALANCE answers it", []step{
			{selectPurse, "9000"},
			{"8050000004", "00000000 9000"},
			{"805200000400000064", "9000"},
			{"8052000004000F4240", "6A80"}, // 100 + 1 000 000 > MaxBalance
			{"805200000400000000", "6A80"}, // amount 0
			{"8050000004", "00000064 9000"},
		}},
		{"debit needs the PIN on its channel", []step{
			{selectPurse, "9000"},
			{"805200000400000064", "9000"},
			{"80540000040000000A", "6982"},
			{verify1234, "9000"},
			{"80540000040000000A", "9000"},
			{"805400000400000065", "6985"}, // 101 > 90
			{"8050000004", "0000005A 9000"},
			{"0070000001", "01 9000"},
			{"01" + selectPurse[2:], "9000"},
			{"81540000040000000A", "6982"}, // channel 1 is not verified
			{"80540000040000000A", "9000"}, // channel 0 still is
		}},
		{"a wrong PIN counts down, blocks, and blocked stays blocked", []step{
			{selectPurse, "9000"},
			{"00200081", "63C3"},
			{verifyWrong, "63C2"},
			{verifyWrong, "63C1"},
			{"00200081", "63C1"},
			{verifyWrong, "63C0"},
			{verifyWrong, "6983"},
			{verify1234, "6983"},
		}},
		{"the right PIN restores the tries", []step{
			{selectPurse, "9000"},
			{verifyWrong, "63C2"},
			{verify1234, "9000"},
			{"00200081", "9000"},  // verified: no counter shown
			{selectPurse, "9000"}, // re-selection forgets the verification
			{"00200081", "63C3"},
		}},
		{"T=0: case 4 answers 61xx, a wrong Le 6Cxx", []step{
			{selectPurse, "9000"},
			{"80520000040000000A04", "6104"},
			{"00C0000004", "0000000A 9000"},
			{"8050000002", "6C04"},
			{"8050000000", "0000000A 9000"}, // Le=00: everything available
		}},
		{"length, parameter and class errors", []step{
			{selectPurse, "9000"},
			{"8052000003000064", "6700"},             // amount of 3 bytes
			{"80500000", "6700"},                     // GET BALANCE without Le
			{"0020008104313233", "6700"},             // PIN not 8 bytes
			{"002000810831323334FFFFFFFF00", "6700"}, // VERIFY with Le
			{"8050010004", "6A86"},
			{"002000010831323334FFFFFFFF", "6A86"}, // key reference 01
			{"802000810831323334FFFFFFFF", "6E00"}, // VERIFY in class 80
			{"0050000004", "6D00"},                 // GET BALANCE in class 00
			{"8060000000", "6D00"},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { play(t, powered(t), tc.steps) })
	}
}

func TestPurseT1AnswersDirectly(t *testing.T) {
	rt := powered(t)
	rt.SetT1(true)
	play(t, rt, []step{
		{selectPurse, "9000"},
		{"80520000040000000A04", "0000000A 9000"},
		{"8050000002", "0000 6102"}, // T=1: Ne bytes now, the rest by GET RESPONSE
		{"00C0000002", "000A 9000"},
	})
}

// TestPurseSurvivesAnImage saves the card's store as an image, rebuilds
// the card from it and finds the balance and the PIN tries again.
func TestPurseSurvivesAnImage(t *testing.T) {
	rt := powered(t)
	play(t, rt, []step{{selectPurse, "9000"}, {"8052000004000001F4", "9000"}, {verifyWrong, "63C2"}})
	st, err := store.ParseImage(rt.Store().AppendImage(nil))
	if err != nil {
		t.Fatal(err)
	}
	p, err := NewPurse(st, []byte("0000"), 0) // PIN and balance ignored: cells exist
	if err != nil {
		t.Fatal(err)
	}
	rt2 := jc.New(jc.Options{Store: st})
	if err := rt2.Install(PurseAID, p); err != nil {
		t.Fatal(err)
	}
	if _, err := rt2.Reset(true); err != nil {
		t.Fatal(err)
	}
	play(t, rt2, []step{{selectPurse, "9000"}, {"8050000004", "000001F4 9000"}, {"00200081", "63C2"}})
}

// TestPurseDebitIsAtomic cuts power after every persistent write of a
// DEBIT and checks that after the restart the balance is either the old
// or the new one, never anything else.
func TestPurseDebitIsAtomic(t *testing.T) {
	for n := 0; ; n++ {
		rt := powered(t)
		play(t, rt, []step{{selectPurse, "9000"}, {"805200000400000064", "9000"}, {verify1234, "9000"}})
		rt.Store().FailAfter(n)
		r, err := rt.Transmit(nil, hx(t, "80540000040000001E"))
		rt.Store().FailAfter(-1)
		if err == nil {
			if fmt.Sprintf("%X", r) != "9000" {
				t.Fatalf("uncut DEBIT answered %X", r)
			}
			if n < 3 {
				t.Fatalf("DEBIT completed with only %d writes allowed", n)
			}
			return // every cut point tried
		}
		if !errors.Is(err, jc.ErrMute) {
			t.Fatalf("cut after %d writes: %v", n, err)
		}
		if _, err := rt.Reset(true); err != nil {
			t.Fatal(err)
		}
		play(t, rt, []step{{selectPurse, "9000"}, {"8050000004", "00000064 9000"}})
	}
}

// fuzzConfig aims the fuzzer at the purse: its instructions, its PIN and
// well-formed amounts as data, PIN counter checks on its key reference,
// power loss with the written-through try counter exempt.
var fuzzConfig = apdufuzz.Config{
	INS:        []byte{InsVerify, InsGetBalance, InsCredit, InsDebit},
	Secrets:    [][]byte{[]byte("1234\xFF\xFF\xFF\xFF"), {0, 0, 0, 1}, {0, 0x0F, 0x42, 0x40}},
	PINs:       true,
	PINRefs:    []byte{PINRef},
	PowerLoss:  true,
	TornExempt: []string{CellTries},
}

func newTarget() apdufuzz.Target {
	rt, err := NewCard()
	if err != nil {
		panic(err)
	}
	return rt
}

// FuzzApplet fuzzes the purse through the runtime: any sequence of
// well-formed and malformed APDUs on any channel, with resets and power
// loss, must keep every invariant of package apdufuzz.
func FuzzApplet(f *testing.F) {
	apdufuzz.Fuzz(f, newTarget, fuzzConfig)
}

// ExampleNewCard drives the purse in-process.
func ExampleNewCard() {
	rt, _ := NewCard()
	rt.Reset(true)
	for _, c := range []string{selectPurse, "805200000400000064", "8050000004"} {
		b, _ := hex.DecodeString(c)
		r, _ := rt.Transmit(nil, b)
		data, sw, _ := apdu.ParseResponse(r)
		fmt.Printf("%X|%v\n", data, sw)
	}
	// Output:
	// |9000 (normal ending)
	// |9000 (normal ending)
	// 00000064|9000 (normal ending)
}

// TestPurseInsideTheFullCard installs the purse next to the USIM of a
// full UICC and reaches both by SELECT.
func TestPurseInsideTheFullCard(t *testing.T) {
	card, err := usim.New(profile.Default())
	if err != nil {
		t.Fatal(err)
	}
	p, err := NewPurse(card.Store(), []byte("1234"), 5)
	if err != nil {
		t.Fatal(err)
	}
	if err := card.Runtime().Install(PurseAID, p); err != nil {
		t.Fatal(err)
	}
	for _, s := range []step{
		{selectPurse, "9000"},
		{"8050000004", "00000005 9000"},
		{fmt.Sprintf("00A4040C%02X%X", card.AID().Len(), card.AID().Bytes()), "9000"}, // the USIM
		{"8050000004", "6D00"}, // not the purse's any more
	} {
		r, err := card.Transmit(nil, hx(t, s.cmd))
		if err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprintf("%X", r); got != strings.ReplaceAll(s.want, " ", "") {
			t.Fatalf("%s: got %s, want %s", s.cmd, got, s.want)
		}
	}
}

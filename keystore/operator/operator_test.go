package operator

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/keystore/escrow"
	"github.com/uiccsim/uiccsim/keystore/sealed"
	"github.com/uiccsim/uiccsim/usim"
	"github.com/uiccsim/uiccsim/usim/client"
	"github.com/uiccsim/uiccsim/usim/profile"
)

func TestAttachAuthenticatesWithPairZero(t *testing.T) {
	w := newWorld(t, 3, 3)
	for _, c := range w.cards {
		s, err := w.A.Subscriber(c)
		if err != nil {
			t.Fatal(err)
		}
		if s.Pair.Index != 0 || !s.Pair.Equal(*w.lists[c].Active()) {
			t.Fatalf("%s: A holds %v, the card's active pair is %v", c, s.Pair, w.lists[c].Active())
		}
		cl := w.card(t, c, s.IMSI)
		got, err := w.A.Attach(cl)
		if err != nil {
			t.Fatalf("attach %s: %v", c, err)
		}
		if got != c {
			t.Fatalf("attach found %s, want %s", got, c)
		}
		after, _ := w.A.Subscriber(c)
		if after.SEQ != s.SEQ+1 {
			t.Fatalf("SEQ_HE %d after one vector from %d", after.SEQ, s.SEQ)
		}
	}
}

func TestAttachRefusesIMSIItDoesNotServe(t *testing.T) {
	w := newWorld(t, 1, 2)
	s, _ := w.A.Subscriber(w.cards[0])
	cl := w.card(t, w.cards[0], s.IMSI)
	if _, err := w.B.Attach(cl); !errors.Is(err, ErrUnknownSubscriber) {
		t.Fatalf("B attaching A's subscriber: %v, want ErrUnknownSubscriber", err)
	}
}

func TestAuthenticateWithWrongKeyIsMACFailure9862(t *testing.T) {
	w := newWorld(t, 2, 2)
	s1, _ := w.A.Subscriber(w.cards[1])
	cl := w.card(t, w.cards[1], s1.IMSI)
	// Authenticate card 1 with the record of card 0: another K.
	err := w.A.Authenticate(cl, w.cards[0])
	if !errors.Is(err, ErrAuthRejected) || !errors.Is(err, apdu.SWAuthIncorrectMAC) {
		t.Fatalf("wrong K: %v, want ErrAuthRejected wrapping 9862", err)
	}
}

func TestAuthenticateResynchronisesOnAUTS(t *testing.T) {
	w := newWorld(t, 1, 2)
	c := w.cards[0]
	s, _ := w.A.Subscriber(c)
	p := profile.Default()
	p.ICCID, p.IMSI = string(c), s.IMSI
	act := w.lists[c].Active()
	p.Auth.K = profile.Key128(act.K)
	opc := profile.Key128(act.OPc)
	p.Auth.OPc = &opc
	off := false
	p.PINs.PIN1.Enabled = &off
	// The card has seen SEQ 5000 with every IND: SEQ_HE 0 is stale.
	p.Auth.SQN.SEQMS = make([]uint64, 32)
	for i := range p.Auth.SQN.SEQMS {
		p.Auth.SQN.SEQMS[i] = 5000
	}
	card, err := usim.New(p)
	if err != nil {
		t.Fatal(err)
	}
	cl := client.New(card)
	if _, err := cl.SelectUSIM(); err != nil {
		t.Fatal(err)
	}
	if err := w.A.Authenticate(cl, c); err != nil {
		t.Fatalf("authenticate after resync: %v", err)
	}
	after, _ := w.A.Subscriber(c)
	if after.SEQ != 5001 {
		t.Fatalf("SEQ_HE %d after resync to SEQ_MS 5000 and one vector, want 5001", after.SEQ)
	}
	st, _ := card.SQNState()
	if got := st.SEQ(IND); got != 5001 {
		t.Fatalf("card SEQ_MS(%d) = %d, want 5001", IND, got)
	}
}

func TestReopenKeepsIdentityRecordsAndSkipsAhead(t *testing.T) {
	dir := t.TempDir()
	e, err := escrow.Open(filepath.Join(dir, "e.db"), testMaster(t), &sealed.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	master := testMaster(t)
	path := filepath.Join(dir, "a.db")
	cfg := Config{ID: "MNO-A", PLMN: "00101", Reserve: 100}
	a, err := Open(path, master, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Register(e); err != nil {
		t.Fatal(err)
	}
	c, _ := escrow.NewICCID("898821100000000001")
	rel, err := e.Personalise(escrow.Batch{ICCIDs: []escrow.ICCID{c}, Pairs: 2, Initial: "MNO-A"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	imsis, _ := a.AllocateIMSIs(1)
	if err := a.Onboard(&rel, imsis); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Vector(c); err != nil {
		t.Fatal(err)
	}
	before, _ := a.Subscriber(c)
	pub := *a.PublicKey()
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(path, testMaster(t), cfg, nil); !errors.Is(err, sealed.ErrWrongKey) {
		t.Fatalf("open with another master key: %v", err)
	}
	a, err = Open(path, master, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if *a.PublicKey() != pub {
		t.Fatal("reopened operator has another key pair")
	}
	after, err := a.Subscriber(c)
	if err != nil {
		t.Fatal(err)
	}
	if after.SEQ != before.SEQ+100 || after.Pair.OTA[0].Counter != before.Pair.OTA[0].Counter+100 {
		t.Fatalf("reopen: SEQ %d→%d, counter %d→%d; want both +100", before.SEQ, after.SEQ,
			before.Pair.OTA[0].Counter, after.Pair.OTA[0].Counter)
	}
	if !after.Pair.K.Equal(before.Pair.K) || after.IMSI != before.IMSI {
		t.Fatal("reopen changed the record")
	}
	next, _ := a.AllocateIMSIs(1)
	if next[0] == imsis[0] {
		t.Fatalf("reopen reissued IMSI %s", next[0])
	}
}

// The records file, read raw, holds none of the keys it stores: K, OPc, the
// OTA keys and the operator's X25519 private key.
func TestRecordsFileHoldsNoKeyInClear(t *testing.T) {
	w := newWorld(t, 20, 2)
	if err := w.A.Sync(); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(w.A.Store().Path())
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, c := range w.cards {
		s, _ := w.A.Subscriber(c)
		secrets := [][]byte{s.Pair.K[:], s.Pair.OPc[:]}
		for i := range s.Pair.OTA {
			secrets = append(secrets, s.Pair.OTA[i].KIc.Bytes(), s.Pair.OTA[i].KID.Bytes())
		}
		for _, k := range secrets {
			if bytes.Contains(raw, k) {
				t.Fatalf("%s: a key appears in clear in the records file", c)
			}
			checked++
		}
	}
	if bytes.Contains(raw, w.A.priv[:]) {
		t.Fatal("the X25519 private key appears in clear")
	}
	if checked != 20*4 {
		t.Fatalf("checked %d keys", checked)
	}
}

func TestAddRefusesDuplicatesAtomically(t *testing.T) {
	w := newWorld(t, 2, 2)
	s0, _ := w.A.Subscriber(w.cards[0])
	s1, _ := w.A.Subscriber(w.cards[1])
	w.A.Remove(w.cards[1])
	s1b := s1.Clone()
	s1b.IMSI = "001019999999999"
	// s1b is new, s0 a duplicate: neither may be added.
	if err := w.A.Add(s1b, s0); !errors.Is(err, ErrSubscriberExists) {
		t.Fatalf("add duplicate: %v", err)
	}
	if w.A.Has(w.cards[1]) {
		t.Fatal("a refused Add added a record")
	}
	if err := w.A.Add(s1b); err != nil {
		t.Fatal(err)
	}
}

func TestRemoveWipesAndForgets(t *testing.T) {
	w := newWorld(t, 1, 2)
	c := w.cards[0]
	s, _ := w.A.Subscriber(c)
	w.A.Remove(c)
	if _, err := w.A.Subscriber(c); !errors.Is(err, ErrUnknownSubscriber) {
		t.Fatalf("removed subscriber: %v", err)
	}
	cl := w.card(t, c, s.IMSI)
	if _, err := w.A.Attach(cl); !errors.Is(err, ErrUnknownSubscriber) {
		t.Fatalf("attach after remove: %v", err)
	}
	if err := w.A.Sync(); err != nil {
		t.Fatal(err)
	}
	err := w.A.Store().View(func(tx *sealed.Tx) error {
		if tx.Has(bucketSubscribers, []byte(c)) {
			t.Fatal("the removed record is still in the file")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestUpdateRefusesInvalidAndTakenIMSI(t *testing.T) {
	w := newWorld(t, 2, 2)
	s1, _ := w.A.Subscriber(w.cards[1])
	err := w.A.Update(w.cards[0], func(s *Subscriber) error { s.IMSI = s1.IMSI; return nil })
	if !errors.Is(err, ErrSubscriberExists) {
		t.Fatalf("taking another's IMSI: %v", err)
	}
	err = w.A.Update(w.cards[0], func(s *Subscriber) error { s.IMSI = "12"; return nil })
	if !errors.Is(err, ErrInvalid) {
		t.Fatalf("invalid IMSI: %v", err)
	}
	s0, _ := w.A.Subscriber(w.cards[0])
	cl := w.card(t, w.cards[0], s0.IMSI)
	if _, err := w.A.Attach(cl); err != nil {
		t.Fatalf("refused updates changed the record: %v", err)
	}
}

func TestOTAToOfflineDeviceStillSpendsTheCounter(t *testing.T) {
	w := newWorld(t, 1, 2)
	c := w.cards[0]
	before, _ := w.A.Subscriber(c)
	_, err := w.A.RunOTA(offline{}, c, [3]byte{0xB0, 0x00, 0x10}, [][]byte{{0x00, 0xA4, 0x00, 0x04, 0x02, 0x6F, 0x07}})
	if !errors.Is(err, errOffline) {
		t.Fatalf("OTA to offline device: %v", err)
	}
	after, _ := w.A.Subscriber(c)
	if after.Pair.OTA[0].Counter != before.Pair.OTA[0].Counter+1 {
		t.Fatalf("counter %d → %d, want +1", before.Pair.OTA[0].Counter, after.Pair.OTA[0].Counter)
	}
}

var errOffline = errors.New("device offline")

type offline struct{}

func (offline) Transmit(dst, _ []byte) ([]byte, error) { return dst, errOffline }
func (offline) Reset(bool) ([]byte, error)             { return nil, errOffline }
func (offline) Close() error                           { return nil }

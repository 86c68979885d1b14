package escrow

import (
	"crypto/rand"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/uiccsim/uiccsim/keystore"
	"github.com/uiccsim/uiccsim/keystore/sealed"
	"golang.org/x/crypto/nacl/box"
)

// operator is a test operator with its X25519 key pair.
type operator struct {
	id        OperatorID
	pub, priv *[32]byte
}

func newOperator(t testing.TB, id OperatorID) operator {
	pub, priv, err := box.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return operator{id: id, pub: pub, priv: priv}
}

func testMaster(b byte) *sealed.MasterKey {
	var k sealed.MasterKey
	for i := range k {
		k[i] = b + byte(i)
	}
	return &k
}

type fixture struct {
	e       *Escrow
	path    string
	A, B, C operator
	cards   map[ICCID][]byte // AppendList of each card as loaded, the card's own copy
}

// newFixture opens a fresh escrow, registers operators A, B and C, and
// personalises n cards of pairs pairs each for A.
func newFixture(t testing.TB, n, pairs int, o *sealed.Options) *fixture {
	t.Helper()
	if o == nil {
		o = &sealed.Options{NoSync: true}
	}
	f := &fixture{path: filepath.Join(t.TempDir(), "escrow.db"), cards: map[ICCID][]byte{}}
	var err error
	if f.e, err = Open(f.path, testMaster(1), o); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.e.Close() })
	f.A, f.B, f.C = newOperator(t, "MNO-A"), newOperator(t, "MNO-B"), newOperator(t, "MNO-C")
	for _, op := range []operator{f.A, f.B, f.C} {
		if err := f.e.RegisterOperator(op.id, op.pub); err != nil {
			t.Fatal(err)
		}
	}
	if n > 0 {
		_, err := f.e.Personalise(Batch{ICCIDs: testICCIDs(t, 0, n), Pairs: pairs, Initial: f.A.id}, func(c ICCID, l *keystore.List) error {
			f.cards[c] = keystore.AppendList(nil, l)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return f
}

// testICCIDs returns n valid ICCIDs 8988211 0000 <serial>, serials from start.
func testICCIDs(t testing.TB, start, n int) []ICCID {
	out := make([]ICCID, n)
	for i := range out {
		c, err := NewICCID(fmt.Sprintf("898821100%010d", start+i))
		if err != nil {
			t.Fatal(err)
		}
		out[i] = c
	}
	return out
}

// cardPair returns pair i of the card's list as it was loaded into the card.
func (f *fixture) cardPair(t testing.TB, c ICCID, i int) keystore.Pair {
	t.Helper()
	l, err := keystore.ParseList(f.cards[c])
	if err != nil {
		t.Fatal(err)
	}
	p, err := l.Pair(i)
	if err != nil {
		t.Fatal(err)
	}
	return p.Clone()
}

func (f *fixture) iccid(t testing.TB, i int) ICCID { return testICCIDs(t, i, 1)[0] }

package escrow_test

import (
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/uiccsim/uiccsim/keystore"
	"github.com/uiccsim/uiccsim/keystore/escrow"
	"github.com/uiccsim/uiccsim/keystore/sealed"
	"golang.org/x/crypto/nacl/box"
)

// TR 33.812 §5.3.2.2 (alternative 3b) from the escrow's side: personalise a
// card for MNO A (step 2), A reports the switch to MNO B (step 6), B
// obtains pair 1 (step 7), and A can no longer obtain anything.
func Example() {
	dir, _ := os.MkdirTemp("", "escrow-example")
	defer os.RemoveAll(dir)
	master, _ := sealed.NewMasterKey()
	e, err := escrow.Open(filepath.Join(dir, "escrow.db"), &master, nil)
	if err != nil {
		panic(err)
	}
	defer e.Close()

	aPub, aPriv, _ := box.GenerateKey(rand.Reader)
	bPub, bPriv, _ := box.GenerateKey(rand.Reader)
	_ = e.RegisterOperator("MNO-A", aPub)
	_ = e.RegisterOperator("MNO-B", bPub)

	iccid, _ := escrow.NewICCID("898821100000053008")
	var card *keystore.List // what the card factory writes into the UICC
	pair0, err := e.Personalise(escrow.Batch{ICCIDs: []escrow.ICCID{iccid}, Pairs: 3, Initial: "MNO-A"},
		func(_ escrow.ICCID, l *keystore.List) error {
			card, err = keystore.ParseList(keystore.AppendList(nil, l))
			return err
		})
	if err != nil {
		panic(err)
	}
	ds, _ := escrow.OpenBatchRelease(&pair0, e.PublicKey(), aPub, aPriv)
	fmt.Println("A holds the card's pair 0:", ds[0].Pair.Equal(*card.Active()))

	_, err = e.Release(iccid, 1, "MNO-B")
	fmt.Println("B before the switch is reported:", errors.Is(err, escrow.ErrNotOwner))

	_ = card.Advance(1) // the SWITCH over OTA, confirmed by the card's PoR
	if err := e.ReportSwitch(iccid, "MNO-A", "MNO-B", 1); err != nil {
		panic(err)
	}
	r, err := e.Release(iccid, 1, "MNO-B")
	if err != nil {
		panic(err)
	}
	d, _ := escrow.OpenRelease(&r, e.PublicKey(), bPub, bPriv)
	fmt.Println("B holds the card's pair 1:", d.Pair.Equal(*card.Active()), d.Pair)

	_, err = e.Release(iccid, 0, "MNO-A")
	fmt.Println("A asks for pair 0 again:", errors.Is(err, escrow.ErrRetired))
	_, err = e.Release(iccid, 1, "MNO-A")
	fmt.Println("A asks for pair 1:", errors.Is(err, escrow.ErrNotOwner))

	for a := range e.Audit(3) {
		fmt.Println(strings.TrimSpace(fmt.Sprintln(a.Event, a.Refused, a.Index, a.Operator, a.To)))
	}
	// Output:
	// A holds the card's pair 0: true
	// B before the switch is reported: true
	// B holds the card's pair 1: true Pair{Index 1, K Key128(REDACTED), OPc Key128(REDACTED), OTA [OTAKeySet{KVN 1, KIc AES-128(REDACTED), KID AES-128(REDACTED), CNTR 0}]}
	// A asks for pair 0 again: true
	// A asks for pair 1: true
	// personalise false 0 MNO-A
	// release true 1 MNO-B
	// switch false 1 MNO-A MNO-B
	// release false 1 MNO-B
	// release true 0 MNO-A
	// release true 1 MNO-A
}

package procedure_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/keystore"
	"github.com/uiccsim/uiccsim/keystore/escrow"
	"github.com/uiccsim/uiccsim/keystore/operator"
	"github.com/uiccsim/uiccsim/keystore/procedure"
	"github.com/uiccsim/uiccsim/keystore/sealed"
	"github.com/uiccsim/uiccsim/usim"
)

// TR 33.812 alternative 3b for three devices: the escrow personalises them
// for MNO-A with two pairs each, MNO-A moves them to MNO-B (SWITCH over OTA,
// report to the escrow after the PoR, batch release to MNO-B), every device
// then authenticates to MNO-B only; a further move finds the list
// exhausted.
func Example() {
	dir, _ := os.MkdirTemp("", "procedure-example")
	defer os.RemoveAll(dir)
	key := func() *sealed.MasterKey { k, _ := sealed.NewMasterKey(); return &k }
	e, _ := escrow.Open(filepath.Join(dir, "escrow.db"), key(), nil)
	defer e.Close()
	var ops []*operator.Operator
	for i, id := range []escrow.OperatorID{"MNO-A", "MNO-B", "MNO-C"} {
		o, err := operator.Open(filepath.Join(dir, string(id)+".db"), key(), operator.Config{ID: id, PLMN: fmt.Sprintf("0010%d", i+1)}, nil)
		if err != nil {
			panic(err)
		}
		defer o.Close()
		_ = o.Register(e)
		ops = append(ops, o)
	}
	A, B, C := ops[0], ops[1], ops[2]

	var iccids []escrow.ICCID
	for i := range 3 {
		c, _ := escrow.NewICCID(fmt.Sprintf("898821100000000%03d", i))
		iccids = append(iccids, c)
	}
	imsis, _ := A.AllocateIMSIs(len(iccids))
	devices := map[escrow.ICCID]*usim.Terminal{}
	n := 0
	rel, err := e.Personalise(escrow.Batch{ICCIDs: iccids, Pairs: 2, Initial: A.ID()}, func(c escrow.ICCID, l *keystore.List) error {
		d, err := procedure.NewDevice(c, imsis[n], l)
		n++
		devices[c] = d
		return err
	})
	if err != nil {
		panic(err)
	}
	_ = A.Onboard(&rel, imsis)
	dial := func(c escrow.ICCID) (apdu.Transport, error) { return devices[c], nil }

	move, _ := procedure.NewCampaign(procedure.Alt3b, A, B, e, iccids, procedure.Options{Verify: true})
	r, err := move.Run(dial)
	fmt.Println("A → B:", len(r.Moved), "moved,", r.Releases, "released,", r.Verified, "verified,", err)
	fmt.Println("A still serves:", A.Len(), " B serves:", B.Len())

	next, _ := procedure.NewCampaign(procedure.Alt3b, B, C, e, iccids, procedure.Options{})
	r, _ = next.Run(dial)
	fmt.Printf("B → C: %d moved, %d exhausted, first answer SW %04X\n", len(r.Moved), r.Count(procedure.CauseExhausted), uint16(r.Failures[0].SW))
	// Output:
	// A → B: 3 moved, 3 released, 3 verified, <nil>
	// A still serves: 0  B serves: 3
	// B → C: 0 moved, 3 exhausted, first answer SW 6A84
}

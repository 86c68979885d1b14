package sealed_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/uiccsim/uiccsim/keystore/sealed"
)

// An operator keeps its subscriber records (issue 6 item 4) in a sealed
// store: IMSI → record, and an audit log of what it did.
func Example() {
	dir, _ := os.MkdirTemp("", "sealed-example")
	defer os.RemoveAll(dir)
	mk, err := sealed.NewMasterKey()
	if err != nil {
		panic(err)
	}
	st, err := sealed.Open(filepath.Join(dir, "operator-b.db"), &mk, nil)
	if err != nil {
		panic(err)
	}
	defer st.Close()

	const kindSubscriber, kindAudit sealed.Kind = 1, 2
	imsi := []byte("001019876543210")
	err = st.Update(func(tx *sealed.Tx) error {
		if err := tx.Put("subscribers", imsi, kindSubscriber, []byte("K, OPc, SQN of the subscriber")); err != nil {
			return err
		}
		_, err := tx.Append("audit", kindAudit, []byte("attached 001019876543210"))
		return err
	})
	if err != nil {
		panic(err)
	}
	_ = st.View(func(tx *sealed.Tx) error {
		rec, err := tx.Get(nil, "subscribers", imsi, kindSubscriber)
		fmt.Printf("%s %v\n", rec, err)
		return tx.ReadLog("audit", kindAudit, 1, func(seq uint64, e []byte) error {
			fmt.Printf("%d: %s\n", seq, e)
			return nil
		})
	})
	fmt.Println(st.Verify())
	// Output:
	// K, OPc, SQN of the subscriber <nil>
	// 1: attached 001019876543210
	// <nil>
}

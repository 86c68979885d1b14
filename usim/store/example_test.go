package store_test

import (
	"errors"
	"fmt"

	"github.com/uiccsim/uiccsim/usim/store"
)

// A transaction torn by a power loss is rolled back at the next power-up.
func Example() {
	st := store.New(store.Options{})
	sqn, _ := st.Alloc("sqn", 6)
	st.Write(sqn, 0, []byte{0, 0, 0, 0, 0, 0x20})

	st.Begin()
	st.Write(sqn, 0, []byte{0, 0, 0, 0, 0, 0x40})
	st.FailAfter(0) // the power goes before the commit record
	err := st.Commit()
	fmt.Println(errors.Is(err, store.ErrPowerLost), st.Dead())

	st.Restart()
	fmt.Printf("% X\n", st.Bytes(sqn))
	// Output:
	// true true
	// 00 00 00 00 00 20
}

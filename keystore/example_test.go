package keystore_test

import (
	"errors"
	"fmt"

	"github.com/uiccsim/uiccsim/keystore"
)

// A card personalised with three pairs switches operator twice, then
// refuses a third switch: TR 33.812 §5.3.2.2 steps 5 and 9.
func ExampleList_Advance() {
	pairs := make([]keystore.Pair, 3)
	for i := range pairs {
		pairs[i].Index = i
		pairs[i].K[0], pairs[i].OPc[0] = byte(i+1), byte(i+1)
	}
	l, err := keystore.NewList(pairs)
	if err != nil {
		panic(err)
	}
	fmt.Println(l, l.Active())
	fmt.Println(l.Advance(1), l.Advance(0) != nil, l.Advance(2))
	err = l.Advance(3)
	fmt.Println(errors.Is(err, keystore.ErrExhausted), l)
	enc := keystore.AppendList(nil, l)
	fmt.Printf("%d bytes persisted\n", len(enc))
	// Output:
	// List{active 0 of 3, remaining 2} Pair{Index 0, K Key128(REDACTED), OPc Key128(REDACTED), OTA []}
	// <nil> true <nil>
	// true List{active 2 of 3, remaining 0}
	// 42 bytes persisted
}

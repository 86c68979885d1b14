package store_test

import (
	"bytes"
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

// The undo journal holds the bytes a write replaced only until the
// transaction ends: after the commit no copy of the old key is left in the
// store's memory.
func ExampleStore_AppendMemory() {
	st := store.New(store.Options{JournalSize: 64})
	key, _ := st.Alloc("key", 4)
	st.Write(key, 0, []byte{0xA1, 0xA2, 0xA3, 0xA4})

	st.Begin()
	st.Write(key, 0, []byte{0xB1, 0xB2, 0xB3, 0xB4})
	fmt.Println("old key in memory before the commit:", bytes.Contains(st.AppendMemory(nil), []byte{0xA1, 0xA2, 0xA3, 0xA4}))
	st.Commit()
	fmt.Println("old key in memory after the commit:", bytes.Contains(st.AppendMemory(nil), []byte{0xA1, 0xA2, 0xA3, 0xA4}))
	// Output:
	// old key in memory before the commit: true
	// old key in memory after the commit: false
}

package fs_test

import (
	"fmt"

	"github.com/uiccsim/uiccsim/usim/fs"
	"github.com/uiccsim/uiccsim/usim/store"
)

// held is a security status holding the listed key references.
type held []fs.KeyRef

func (h held) Holds(k fs.KeyRef) bool {
	for _, x := range h {
		if x == k {
			return true
		}
	}
	return false
}

// Evaluate the EF_ARR record pysim.ef.ts_102_221.EF_ARR.0 of the shared
// vectors (read: ADM1; write/update: always; delete/terminate: never;
// INS D4: ADM1) for a terminal holding no key and one holding ADM1.
func ExampleAccessAllowed() {
	rule := []byte{0x80, 0x01, 0x01, 0xA4, 0x06, 0x83, 0x01, 0x0A, 0x95, 0x01, 0x08,
		0x80, 0x01, 0x06, 0x90, 0x00, 0x80, 0x01, 0x60, 0x97, 0x00,
		0x84, 0x01, 0xD4, 0xA4, 0x06, 0x83, 0x01, 0x0A, 0x95, 0x01, 0x08}
	for _, s := range []held{nil, {fs.KeyADM1}} {
		fmt.Println(s,
			fs.AccessAllowed(rule, fs.AccessRead, 0xB0, s),
			fs.AccessAllowed(rule, fs.AccessUpdate, 0xD6, s),
			fs.AccessAllowed(rule, fs.AccessTerminate, 0xE8, s))
	}
	// Output:
	// [] false true false
	// [ADM1] true true false
}

// Enhanced SEARCH RECORD (TS 102 221 §11.1.7, P2 b3..b1 = 110): look for
// AA BB from offset 1 of each record, forward from record 1, then for AA
// BB after the first byte 01 of each record.
func ExampleFS_SearchRecords() {
	st := store.New(store.Options{})
	f, _ := fs.New(st, fs.Spec{ARR: fs.ARRRef{FID: 0x2F06, Record: 1}}, fs.Options{})
	ef, _ := f.AddEF(f.MF(), fs.Spec{FID: 0x6F3C, Structure: fs.LinearFixed, RecordLen: 4, Records: 4,
		Data: []byte{0x01, 0xAA, 0xBB, 0xCC, 0, 0, 0, 0, 0x01, 0xAA, 0xBB, 0x00, 0x03, 0xCC, 0xAA, 0xBB},
		ARR:  fs.ARRRef{FID: 0x2F06, Record: 1}})
	found, first, err := f.SearchRecords(nil, ef, 1, 0x06, []byte{0x04, 0x01, 0xAA, 0xBB}, 0)
	fmt.Printf("% X first %d %v\n", found, first, err)
	found, first, err = f.SearchRecords(nil, ef, 1, 0x06, []byte{0x0C, 0x01, 0xAA, 0xBB}, 0)
	fmt.Printf("% X first %d %v\n", found, first, err)
	// Output:
	// 01 03 04 first 1 <nil>
	// 01 03 first 1 <nil>
}

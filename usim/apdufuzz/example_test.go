package apdufuzz_test

import (
	"errors"
	"fmt"

	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/usim/apdufuzz"
)

// leaky is a hand-written APDU handler with a bug: it answers file data
// together with 6A82 (file not found).
type leaky struct{}

func (leaky) Transmit(dst, cmd []byte) ([]byte, error) {
	if _, err := apdu.ParseCommand(cmd); err != nil {
		return append(dst, 0x67, 0x00), nil
	}
	return apdu.AppendResponse(dst, []byte{0xDE, 0xAD}, apdu.SWFileNotFound), nil
}
func (leaky) Reset(bool) ([]byte, error) { return []byte{0x3B, 0x00}, nil }
func (leaky) Close() error               { return nil }

// Check plays one input and reports the first broken invariant; inside a
// fuzz test apdufuzz.Fuzz or apdufuzz.Run fail the test with it.
func ExampleCheck() {
	fz := apdufuzz.New(func() apdufuzz.Target { return leaky{} }, apdufuzz.Config{INS: []byte{0xB0}})
	for _, in := range fz.SeedInputs() {
		var v *apdufuzz.Violation
		if err := fz.Check(in); errors.As(err, &v) {
			fmt.Printf("%v at step %d: %s\n", v.Invariant, v.Step, v.Detail)
			break
		}
	}
	// Output:
	// response data only with SW1 61/62/63/9X at step 2: 2 data bytes with SW 6A82
}

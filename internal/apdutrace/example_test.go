package apdutrace_test

import (
	"encoding/hex"
	"fmt"

	"github.com/uiccsim/uiccsim/internal/apdutrace"
)

// A Tracer names each command, the file it reaches in the directory
// selected before, and the status word.
func ExampleTracer_Describe() {
	var tr apdutrace.Tracer
	for _, pair := range [][2]string{
		{"00A4040407A0000000871002", "9000"},
		{"00A40004026F07", "6120"},
		{"00C0000020", "62009000"},
		{"00B0000009", "0809101010325476989000"},
		{"0020000108313233340000FFFF", "63C2"},
	} {
		c, _ := hex.DecodeString(pair[0])
		r, _ := hex.DecodeString(pair[1])
		fmt.Println(tr.Describe(c, r))
	}
	// Output:
	// SELECT ADF.USIM (A0000000871002): by AID, return FCP → 9000 (normal ending)
	// SELECT EF.IMSI (6F07): by FID, return FCP → 6120 (normal ending, 32 response bytes available (GET RESPONSE))
	// GET RESPONSE 32 bytes → 9000 (normal ending), 2 bytes
	// READ BINARY offset 0, 9 bytes → 9000 (normal ending), 9 bytes
	// VERIFY PIN PIN1 (key reference 01) → 63C2 (verification failed, 2 retries left)
}

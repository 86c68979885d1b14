package jc

import (
	"errors"
	"testing"

	"github.com/uiccsim/uiccsim/apdu"
)

// FuzzTransmit feeds raw byte strings, split on a length prefix, to a
// runtime with test applets: no panic, always a status word, no data with
// an error status, never more data than Ne.
func FuzzTransmit(f *testing.F) {
	for _, s := range []string{
		"1100A404040CA0000000871002FF49FF0589 05 0003050000 04 00030500 05 00C0000003",
		"05 0070000001 11 01A404040CA0000000871004FF49FF0589 05 0101020001 05 0070800100",
		"08 8010000003FFFFFF 11 00A404040CA0000000871002FF49FF0589 04 00050000 05 8012000005",
		"04 FFFFFFFF 01 00 03 A0A400",
		"1100A404040CA0000000871002FF49FF0589 07 00060000000000 04 00060000 05 00C0000000 FF 07 0006000000012C",
	} {
		f.Add(hx(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		rt, _ := newTestRuntime(t)
		var resp []byte
		for len(in) > 0 {
			n := int(in[0])
			in = in[1:]
			if n == 0xFF {
				rt.SetT1(!rt.t1)
				continue
			}
			n = min(n, len(in))
			cmd := in[:n]
			in = in[n:]
			var err error
			resp, err = rt.Transmit(resp[:0], cmd)
			if err != nil {
				if !errors.Is(err, ErrMute) {
					t.Fatalf("% X: %v", cmd, err)
				}
				rt.Reset(true)
				continue
			}
			data, sw, err := apdu.ParseResponse(resp)
			if err != nil {
				t.Fatalf("% X: % X", cmd, resp)
			}
			if len(data) > 0 && !carriesData(sw) {
				t.Fatalf("% X: data with %s", cmd, sw)
			}
			c, perr := apdu.ParseCommand(cmd)
			if perr != nil && len(data) != 0 || perr == nil && len(data) > c.Ne {
				t.Fatalf("% X: %d bytes of data", cmd, len(data))
			}
		}
	})
}

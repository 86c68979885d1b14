package rfm

import (
	"bytes"
	"testing"
)

// echo answers every command with its INS as data and 9000, except INS 0xEE.
var echo = ExecFunc(func(cmd, dst []byte) []byte {
	if len(cmd) > 1 && cmd[1] == 0xEE {
		return append(dst, 0x6A, 0x82)
	}
	if len(cmd) > 1 {
		dst = append(dst, cmd[1])
	}
	return append(dst, 0x90, 0x00)
})

func FuzzParseCompact(f *testing.F) {
	f.Add([]byte{0xa0, 0xa4, 0, 0, 2, 0x7f, 0x20, 0xa0, 0xc0, 0, 0, 0x16})
	f.Add([]byte{0, 0xb0, 0, 0, 0, 0, 4, 0, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		_, perr := ParseCompact(b)
		rsp, err := RunCompact(nil, b, echo)
		// RunCompact finds a malformed command only if it gets that far: a
		// failing command before it ends the run first.
		if (perr == nil && err != nil) || (perr != nil && err == nil && !stoppedEarly(rsp)) {
			t.Fatalf("ParseCompact %v but RunCompact %v (response %x)", perr, err, rsp)
		}
		if r, err := ParseCompactResponse(rsp); err != nil || r.Executed > len(b)/5 {
			t.Fatalf("response %x: %v %v", rsp, r, err)
		}
	})
}

// stoppedEarly reports whether a compact response ends with an error SW.
func stoppedEarly(rsp []byte) bool {
	return len(rsp) >= 3 && !Continues(uint16(rsp[1])<<8|uint16(rsp[2]))
}

func FuzzRunExpanded(f *testing.F) {
	f.Add([]byte{0xaa, 0x0a, 0x22, 0x08, 0x80, 0xf2, 0x40, 0x02, 0x02, 0x4f, 0x00, 0x00})
	f.Add([]byte{0xae, 0x80, 0x22, 0x05, 0x80, 0xca, 0xff, 0x21, 0x00, 0x00, 0x00})
	f.Add([]byte{0xaa, 0x06, 0x81, 0x01, 0x01, 0x22, 0x01, 0xee})
	f.Fuzz(func(t *testing.T, b []byte) {
		rsp, err := RunExpanded(nil, b, echo)
		r, perr := ParseExpandedResponse(rsp)
		if perr != nil {
			t.Fatalf("own response %x does not parse: %v", rsp, perr)
		}
		if (err != nil) != (r.BadFormat != 0) || r.Executed != len(r.Responses) {
			t.Fatalf("err %v, response %+v", err, r)
		}
		if err == nil {
			// A parsed script rebuilds to the same octets.
			s, indef, _ := ParseExpanded(b)
			var items []Item
			for it, rest, ok := s.Next(); ok; it, rest, ok = rest.Next() {
				items = append(items, it)
			}
			again, _ := AppendExpanded(nil, indef, items...)
			if !bytes.Equal(again, b) {
				t.Fatalf("rebuilt %x from %x", again, b)
			}
		}
	})
}

func FuzzParseExpandedResponse(f *testing.F) {
	f.Add([]byte{0xab, 0x07, 0x80, 0x01, 0x01, 0x23, 0x02, 0x61, 0x32})
	f.Add([]byte{0xaf, 0x80, 0x80, 0x01, 0x01, 0x23, 0x04, 0x93, 0x05, 0x90, 0x00, 0x00, 0x00})
	f.Fuzz(func(t *testing.T, b []byte) {
		ParseExpandedResponse(b)
		ParseCompactResponse(b)
	})
}

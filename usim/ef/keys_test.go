package ef

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

func TestKeysLayoutAndRedaction(t *testing.T) {
	// TS 31.102 §4.2.4: KSI, CK (TS 35.208 set 1 f3), IK (set 1 f4).
	raw := mustHex(t, "03"+"b40ba9a3c58b2a05bbf0d987b21bf8cb"+"f769bcd751044604127672711c6d3441")
	k, err := ParseKeys(raw)
	if err != nil || k.KSI != 3 || k.CK[0] != 0xB4 || k.IK[15] != 0x41 {
		t.Fatalf("ParseKeys = %v, %v", k, err)
	}
	if !bytes.Equal(k.Append(nil), raw) {
		t.Error("round trip")
	}
	for _, s := range []string{k.String(), fmt.Sprintf("%v %+v %#v %s", k, k, k, k)} {
		if strings.Contains(strings.ToLower(s), "b40ba9") || strings.Contains(s, "180") {
			t.Errorf("key material printed: %s", s)
		}
	}
	if e := EmptyKeys(); e.String() != "Keys{KSI 7 (no key available)}" || e.Append(nil)[1] != 0xFF {
		t.Errorf("EmptyKeys = %v", e)
	}
	if _, err := ParseKeys(append([]byte{0x08}, raw[1:]...)); err == nil {
		t.Error("KSI with b4 set accepted")
	}
}

func FuzzParseKeys(f *testing.F) {
	f.Add(mustHex(f, "07ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"))
	f.Fuzz(func(t *testing.T, b []byte) {
		k, err := ParseKeys(b)
		if err == nil && !bytes.Equal(k.Append(nil), b[:KeysLen]) {
			t.Fatalf("%x", b)
		}
	})
}

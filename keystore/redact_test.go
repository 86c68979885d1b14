package keystore

import (
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
)

// TestKeysRedactedInEveryVerb prints key material through every fmt verb a
// careless log line might use and checks that no key appears in any form:
// lower/upper hex, Go's decimal byte list, or raw bytes.
func TestKeysRedactedInEveryVerb(t *testing.T) {
	p := goldenPair(t)
	l, err := NewList(threePairs(t))
	if err != nil {
		t.Fatal(err)
	}
	secrets := [][]byte{p.K[:], p.OPc[:], p.OTA[0].KIc.Bytes(), p.OTA[0].KID.Bytes(), p.OTA[1].KID.Bytes(),
		l.Active().K[:], l.Active().OPc[:]}
	values := map[string]any{
		"Key128": p.K, "*Key128": &p.K, "OTAKey": p.OTA[0].KIc, "OTAKeySet": p.OTA[0],
		"Pair": p, "*Pair": &p, "[]Pair": []Pair{p}, "[]OTAKeySet": p.OTA, "*List": l, "List": *l,
		"struct": struct{ P Pair }{p}, "map": map[string]Key128{"k": p.K},
	}
	verbs := []string{"%v", "%+v", "%#v", "%s", "%x", "%X", "%d", "%q", "% x"}
	for name, v := range values {
		outs := []string{fmt.Sprint(v), fmt.Sprintln(v)}
		for _, verb := range verbs {
			outs = append(outs, fmt.Sprintf(verb, v))
		}
		for _, out := range outs {
			for _, s := range secrets {
				forms := []string{hex.EncodeToString(s), strings.ToUpper(hex.EncodeToString(s)),
					hex.EncodeToString(s[:4]), fmt.Sprint(s[:4])[1:8], string(s)}
				for _, f := range forms {
					if strings.Contains(out, f) {
						t.Errorf("%s printed %q, which contains key material %q", name, out, f)
					}
				}
			}
		}
	}
}

func TestRedactedStringsNameWhatTheyHide(t *testing.T) {
	p := goldenPair(t)
	tests := []struct {
		got, want string
	}{
		{p.K.String(), "Key128(REDACTED)"},
		{Key128{}.String(), "Key128(zero)"},
		{fmt.Sprintf("%#v", p.K), "keystore.Key128(REDACTED)"},
		{p.OTA[0].KIc.String(), "3DES-2KEY(REDACTED)"},
		{p.OTA[0].String(), "OTAKeySet{KVN 3, KIc 3DES-2KEY(REDACTED), KID 3DES-2KEY(REDACTED), CNTR 1}"},
		{fmt.Sprint(Pair{Index: 4, K: p.K}), "Pair{Index 4, K Key128(REDACTED), OPc Key128(zero), OTA []}"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

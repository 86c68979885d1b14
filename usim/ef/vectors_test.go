package ef

import (
	"encoding/hex"
	"encoding/json"
	"os"
	"strings"
	"sync"
	"testing"
)

// vector is one entry of testdata/ef-codecs.json (a copy of
// ../shared/vectors/ef-codecs.json: encodings decoded by osmocom pySim).
type vector struct {
	ID       string          `json:"id"`
	Inputs   json.RawMessage `json:"inputs"`
	Expected json.RawMessage `json:"expected"`
}

type vectorFile struct {
	Codecs  []vector `json:"ef_codecs"`
	Helpers []vector `json:"helpers"`
	Selects []vector `json:"select_responses"`
}

var (
	vecOnce sync.Once
	vecData vectorFile
	vecErr  error
)

func loadVectors(t testing.TB) *vectorFile {
	t.Helper()
	vecOnce.Do(func() {
		b, err := os.ReadFile("testdata/ef-codecs.json")
		if err != nil {
			vecErr = err
			return
		}
		vecErr = json.Unmarshal(b, &vecData)
	})
	if vecErr != nil {
		t.Fatalf("loading vectors: %v", vecErr)
	}
	return &vecData
}

// codecVectors returns the ef_codecs entries whose id starts with prefix,
// with their encoded bytes and raw expected decoding; it fails the test when
// there are none, so a renamed vector cannot silently skip a test.
func codecVectors(t testing.TB, prefix string) []codecVec {
	t.Helper()
	var out []codecVec
	for _, v := range loadVectors(t).Codecs {
		if !strings.HasPrefix(v.ID, prefix) {
			continue
		}
		var in struct {
			Encoded string `json:"encoded"`
		}
		var exp struct {
			Decoded json.RawMessage `json:"decoded"`
		}
		if err := json.Unmarshal(v.Inputs, &in); err != nil {
			t.Fatalf("%s: %v", v.ID, err)
		}
		if err := json.Unmarshal(v.Expected, &exp); err != nil {
			t.Fatalf("%s: %v", v.ID, err)
		}
		out = append(out, codecVec{ID: v.ID, Encoded: mustHex(t, in.Encoded), Decoded: exp.Decoded})
	}
	if len(out) == 0 {
		t.Fatalf("no vectors with prefix %q", prefix)
	}
	return out
}

type codecVec struct {
	ID      string
	Encoded []byte
	Decoded json.RawMessage
}

// helperVectors returns the helpers entries with the given id prefix as
// (string args, raw result).
func helperVectors(t testing.TB, prefix string) []helperVec {
	t.Helper()
	var out []helperVec
	for _, v := range loadVectors(t).Helpers {
		if !strings.HasPrefix(v.ID, prefix) {
			continue
		}
		var in struct {
			Args []string `json:"args"`
		}
		var exp struct {
			Result json.RawMessage `json:"result"`
		}
		if err := json.Unmarshal(v.Inputs, &in); err != nil {
			t.Fatalf("%s: %v", v.ID, err)
		}
		if err := json.Unmarshal(v.Expected, &exp); err != nil {
			t.Fatalf("%s: %v", v.ID, err)
		}
		out = append(out, helperVec{ID: v.ID, Args: in.Args, Result: exp.Result})
	}
	if len(out) == 0 {
		t.Fatalf("no helper vectors with prefix %q", prefix)
	}
	return out
}

type helperVec struct {
	ID     string
	Args   []string
	Result json.RawMessage
}

func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatalf("bad hex %q: %v", s, err)
	}
	return b
}

func unmarshal(t testing.TB, raw json.RawMessage, v any) {
	t.Helper()
	if err := json.Unmarshal(raw, v); err != nil {
		t.Fatalf("decoding expected %s: %v", raw, err)
	}
}

// withFF returns b followed by one 'FF', as the pySim harness also decodes.
func withFF(b []byte) []byte { return append(append([]byte(nil), b...), 0xFF) }

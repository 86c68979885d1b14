package fs

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// vectorsPath is a verbatim copy of ../shared/vectors/ef-codecs.json (the
// project's reference vectors: FCPs returned by real cards, EF_ARR records).
var vectorsPath = filepath.Join("testdata", "ef-codecs.json")

type efVectors struct {
	EFCodecs []struct {
		ID     string `json:"id"`
		Inputs struct {
			Encoded string `json:"encoded"`
		} `json:"inputs"`
	} `json:"ef_codecs"`
	SelectResponses []struct {
		ID     string `json:"id"`
		Inputs struct {
			Resp string `json:"resp_hex"`
		} `json:"inputs"`
		Expected struct {
			Decoded struct {
				FileID struct {
					Bytes string `json:"$bytes"`
				} `json:"file_identifier"`
			} `json:"decoded"`
		} `json:"expected"`
	} `json:"select_responses"`
}

func loadVectors(t *testing.T) efVectors {
	t.Helper()
	b, err := os.ReadFile(vectorsPath)
	if err != nil {
		t.Fatal(err)
	}
	var v efVectors
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// Every UICC FCP real cards returned in ef-codecs.json is rebuilt byte for
// byte by AppendFCP for the test card's file with the same identifier.
func TestFCPVectorsFromSharedFile(t *testing.T) {
	v := loadVectors(t)
	c := buildCard(t, Options{Proprietary: testProprietary, OmitEFPinStatus: true})
	f := c.fs
	byFID := map[string]Node{}
	for i := range f.nodes {
		byFID[strings.ToLower(f.nodes[i].fid.String())] = Node(i)
	}
	n := 0
	for _, sr := range v.SelectResponses {
		if !strings.Contains(sr.ID, "UICC") {
			continue // TS 51.011 GSM responses: not a UICC's FCP
		}
		node, ok := byFID[sr.Expected.Decoded.FileID.Bytes]
		if !ok {
			t.Fatalf("%s: the test card has no file %s", sr.ID, sr.Expected.Decoded.FileID.Bytes)
		}
		want, _ := hex.DecodeString(sr.Inputs.Resp)
		if got := f.AppendFCP(nil, node); !bytes.Equal(got, want) {
			t.Errorf("%s:\n got %X\nwant %X", sr.ID, got, want)
		}
		n++
	}
	if n != 5 {
		t.Fatalf("%d UICC FCP vectors, want 5", n)
	}
}

// The EF_ARR records of ef-codecs.json are records 4 and 5 of the test
// card's EF_ARR, so the access-rule tests run on the published bytes.
func TestARRVectorsFromSharedFile(t *testing.T) {
	v := loadVectors(t)
	want := map[string]int{"pysim.ef.ts_102_221.EF_ARR.1": 4, "pysim.ef.ts_102_221.EF_ARR.0": 5}
	for _, e := range v.EFCodecs {
		rec, ok := want[e.ID]
		if !ok {
			continue
		}
		if !strings.EqualFold(e.Inputs.Encoded, strings.ReplaceAll(testRules[rec], " ", "")) {
			t.Errorf("%s differs from test rule %d", e.ID, rec)
		}
		delete(want, e.ID)
	}
	if len(want) != 0 {
		t.Fatalf("vectors missing: %v", want)
	}
}

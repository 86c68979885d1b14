package operator

import (
	"bytes"
	"errors"
	"fmt"
	"testing"

	"github.com/uiccsim/uiccsim/keystore"
	"github.com/uiccsim/uiccsim/keystore/escrow"
)

func testSubscriber(t testing.TB) Subscriber {
	t.Helper()
	kic, _ := keystore.NewOTAKey(keystore.AlgAES128, bytes.Repeat([]byte{0x11}, 16))
	kid, _ := keystore.NewOTAKey(keystore.AlgAES128, bytes.Repeat([]byte{0x22}, 16))
	c, _ := escrow.NewICCID("898821100000000001")
	return Subscriber{
		ICCID: c, IMSI: "001010000000042", SEQ: 0x0102030405,
		Pair: keystore.Pair{Index: 2, K: keystore.Key128{1, 2, 3}, OPc: keystore.Key128{4, 5, 6},
			OTA: []keystore.OTAKeySet{{KVN: 1, KIc: kic, KID: kid, Counter: 7}}},
	}
}

func TestSubscriberRecordRoundTripsCanonically(t *testing.T) {
	s := testSubscriber(t)
	b, err := AppendSubscriber([]byte{0xEE}, &s)
	if err != nil {
		t.Fatal(err)
	}
	if b[0] != 0xEE || b[1] != RecordVersion {
		t.Fatalf("prefix % X", b[:2])
	}
	got, err := ParseSubscriber(b[1:])
	if err != nil {
		t.Fatal(err)
	}
	if got.ICCID != s.ICCID || got.IMSI != s.IMSI || got.SEQ != s.SEQ || !got.Pair.Equal(s.Pair) {
		t.Fatalf("round trip: %v, want %v", got, s)
	}
	again, _ := AppendSubscriber(nil, &got)
	if !bytes.Equal(again, b[1:]) {
		t.Fatal("not canonical")
	}
}

func TestParseSubscriberRejects(t *testing.T) {
	s := testSubscriber(t)
	good, _ := AppendSubscriber(nil, &s)
	cases := map[string][]byte{
		"empty":         nil,
		"version 2":     append([]byte{2}, good[1:]...),
		"truncated":     good[:len(good)-1],
		"trailing byte": append(bytes.Clone(good), 0),
		"bad IMSI":      bytes.Replace(good, []byte("001010000000042"), []byte("00101000000004x"), 1),
		"bad ICCID":     bytes.Replace(good, []byte("898821100000000001"), []byte("898821100000000002"), 1),
	}
	for name, b := range cases {
		t.Run(name, func(t *testing.T) {
			if _, err := ParseSubscriber(b); !errors.Is(err, ErrMalformed) {
				t.Fatalf("%v, want ErrMalformed", err)
			}
		})
	}
}

func TestSubscriberNeverPrintsKeys(t *testing.T) {
	s := testSubscriber(t)
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%x"} {
		out := fmt.Sprintf(verb, s)
		if bytes.Contains([]byte(out), []byte("0102030000")) || bytes.Contains([]byte(out), []byte("1111111111")) {
			t.Fatalf("%s prints a key: %s", verb, out)
		}
	}
}

func FuzzParseSubscriber(f *testing.F) {
	s := testSubscriber(f)
	good, _ := AppendSubscriber(nil, &s)
	f.Add(good)
	f.Add([]byte{1, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := ParseSubscriber(b)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error %v does not wrap ErrMalformed", err)
			}
			return
		}
		again, err := AppendSubscriber(nil, &s)
		if err != nil || !bytes.Equal(again, b) {
			t.Fatalf("accepted record does not re-encode: %v", err)
		}
	})
}

package keystore

import (
	"encoding/hex"
	"os"
	"strings"
	"testing"
)

// TS 35.208 §4.3 test sets 1 and 3 (../shared/vectors/milenage-ts35208-sets1-6.json).
const (
	set1K   = "465b5ce8b199b49faa5f0a2ee238a6bc"
	set1OPc = "cd63cb71954a9f4e48a5994e37a02baf"
	set3K   = "fec86ba6eb707ed08905757b1bb44b8f"
	set3OPc = "1006020f0a478bf6b699f15c062e42b3"
	// KIc/KID of the pySim 3DES-SJA5 SMS OTA vector (../shared/vectors/ota-scp80.json).
	pysimKIc = "300102030405060708090a0b0c0d0e0f"
	pysimKID = "301102030405060708090a0b0c0d0e0f"
)

func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatalf("bad hex %q: %v", s, err)
	}
	return b
}

func key128(t testing.TB, s string) Key128 {
	var k Key128
	if n := copy(k[:], mustHex(t, s)); n != 16 {
		t.Fatalf("key %q is %d bytes", s, n)
	}
	return k
}

func otaKey(t testing.TB, alg Algorithm, s string) OTAKey {
	t.Helper()
	k, err := NewOTAKey(alg, mustHex(t, s))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// readHexFile reads a testdata file of hex digits; '#' starts a comment.
func readHexFile(t testing.TB, name string) []byte {
	t.Helper()
	raw, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	var digits strings.Builder
	for line := range strings.SplitSeq(string(raw), "\n") {
		line, _, _ = strings.Cut(line, "#")
		digits.WriteString(strings.Join(strings.Fields(line), ""))
	}
	return mustHex(t, digits.String())
}

// goldenPair is the pair written by hand in testdata/pair_v1.hex.
func goldenPair(t testing.TB) Pair {
	return Pair{
		Index: 2,
		K:     key128(t, set1K),
		OPc:   key128(t, set1OPc),
		OTA: []OTAKeySet{
			{KVN: 3, KIc: otaKey(t, Alg3DES2, pysimKIc), KID: otaKey(t, Alg3DES2, pysimKID), Counter: 1},
			{KVN: 1, KIc: otaKey(t, AlgAES128, "000102030405060708090a0b0c0d0e0f"),
				KID: otaKey(t, AlgAES256, "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"), Counter: MaxCounter},
		},
	}
}

// threePairs returns pairs 0..2 with distinct keys: set 1, set 3 and a
// third made of 0x5a bytes.
func threePairs(t testing.TB) []Pair {
	var k5a Key128
	for i := range k5a {
		k5a[i] = 0x5a
	}
	return []Pair{
		{Index: 0, K: key128(t, set1K), OPc: key128(t, set1OPc), OTA: []OTAKeySet{
			{KVN: 1, KIc: otaKey(t, Alg3DES2, pysimKIc), KID: otaKey(t, Alg3DES2, pysimKID)}}},
		{Index: 1, K: key128(t, set3K), OPc: key128(t, set3OPc), OTA: []OTAKeySet{
			{KVN: 1, KIc: otaKey(t, AlgAES128, "000102030405060708090a0b0c0d0e0f"), KID: otaKey(t, AlgAES128, "101112131415161718191a1b1c1d1e1f")}}},
		{Index: 2, K: k5a, OPc: k5a},
	}
}

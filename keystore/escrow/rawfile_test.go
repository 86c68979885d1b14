package escrow

import (
	"bytes"
	"os"
	"testing"

	"github.com/uiccsim/uiccsim/keystore"
)

// TestEscrowFileHoldsNoKey personalises cards with every OTA algorithm,
// releases and switches some, then reads the escrow file raw and searches
// it for every K, OPc, KIc and KID it ever stored, and for the master key.
func TestEscrowFileHoldsNoKey(t *testing.T) {
	f := newFixture(t, 0, 0, nil)
	var secrets [][]byte
	iccids := testICCIDs(t, 0, 40)
	_, err := f.e.Personalise(Batch{ICCIDs: iccids, Pairs: 3, Initial: f.A.id, TxCards: 16, OTA: []OTAProfile{
		{KVN: 1, KIc: keystore.AlgAES256, KID: keystore.Alg3DES3},
		{KVN: 2, KIc: keystore.AlgDES, KID: keystore.AlgAES192},
		{KVN: 3, KIc: keystore.Alg3DES2, KID: keystore.AlgAES128},
	}}, func(c ICCID, l *keystore.List) error {
		for i := range l.Len() {
			p, err := l.Pair(i)
			if err != nil {
				return err
			}
			secrets = append(secrets, bytes.Clone(p.K[:]), bytes.Clone(p.OPc[:]))
			for _, s := range p.OTA {
				secrets = append(secrets, bytes.Clone(s.KIc.Bytes()), bytes.Clone(s.KID.Bytes()))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(secrets) != 40*3*(2+6) {
		t.Fatalf("captured %d keys", len(secrets))
	}
	for _, c := range iccids[:10] {
		if _, err := f.e.Release(c, 0, f.A.id); err != nil {
			t.Fatal(err)
		}
		if err := f.e.ReportSwitch(c, f.A.id, f.B.id, 1); err != nil {
			t.Fatal(err)
		}
		if _, err := f.e.Release(c, 1, f.B.id); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.e.Close(); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(f.path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(raw, []byte(iccids[7])) {
		t.Fatal("test is blind: the ICCID, a record key stored in clear, is not in the file")
	}
	for i, s := range secrets {
		if bytes.Contains(raw, s) {
			t.Fatalf("escrow file holds key #%d (%d bytes) in plaintext", i, len(s))
		}
	}
	if bytes.Contains(raw, testMaster(1)[:]) {
		t.Fatal("escrow file holds the master key")
	}
}

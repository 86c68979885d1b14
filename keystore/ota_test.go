package keystore

import (
	"errors"
	"testing"
)

func TestAlgorithmNamesAndKeyLengths(t *testing.T) {
	tests := []struct {
		alg  Algorithm
		name string
		len  int
	}{
		{AlgDES, "DES", 8},
		{Alg3DES2, "3DES-2KEY", 16},
		{Alg3DES3, "3DES-3KEY", 24},
		{AlgAES128, "AES-128", 16},
		{AlgAES192, "AES-192", 24},
		{AlgAES256, "AES-256", 32},
		{0, "Algorithm(0)", 0},
		{7, "Algorithm(7)", 0},
	}
	for _, tt := range tests {
		if got := tt.alg.String(); got != tt.name {
			t.Errorf("Algorithm(%d).String() = %q, want %q", uint8(tt.alg), got, tt.name)
		}
		if got := tt.alg.KeyLen(); got != tt.len {
			t.Errorf("%s.KeyLen() = %d, want %d", tt.alg, got, tt.len)
		}
		if tt.alg.Valid() != (tt.len != 0) {
			t.Errorf("%s.Valid() = %t", tt.alg, tt.alg.Valid())
		}
	}
}

func TestNewOTAKeyRejectsWrongLengthAndAlgorithm(t *testing.T) {
	if _, err := NewOTAKey(AlgAES128, make([]byte, 24)); !errors.Is(err, ErrInvalid) {
		t.Errorf("AES-128 with 24 bytes: err = %v, want ErrInvalid", err)
	}
	if _, err := NewOTAKey(0, nil); !errors.Is(err, ErrInvalid) {
		t.Errorf("algorithm 0: err = %v, want ErrInvalid", err)
	}
	k, err := NewOTAKey(AlgDES, mustHex(t, "0102030405060708"))
	if err != nil {
		t.Fatal(err)
	}
	if got := k.Bytes(); len(got) != 8 || got[7] != 8 {
		t.Errorf("Bytes() = %x", got)
	}
}

func TestPairValidateRejects(t *testing.T) {
	ok := func() Pair { return goldenPair(t) }
	tests := []struct {
		name string
		edit func(*Pair)
	}{
		{"negative index", func(p *Pair) { p.Index = -1 }},
		{"index beyond MaxPairs", func(p *Pair) { p.Index = MaxPairs }},
		{"KVN 0", func(p *Pair) { p.OTA[0].KVN = 0 }},
		{"KVN 16", func(p *Pair) { p.OTA[0].KVN = 16 }},
		{"duplicate KVN", func(p *Pair) { p.OTA[1].KVN = p.OTA[0].KVN }},
		{"KIc algorithm 0", func(p *Pair) { p.OTA[0].KIc.Alg = 0 }},
		{"KID algorithm 9", func(p *Pair) { p.OTA[0].KID.Alg = 9 }},
		{"counter over 5 bytes", func(p *Pair) { p.OTA[0].Counter = MaxCounter + 1 }},
		{"16 OTA key sets", func(p *Pair) { p.OTA = make([]OTAKeySet, 16) }},
	}
	good := ok()
	if err := good.Validate(); err != nil {
		t.Fatalf("golden pair invalid: %v", err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := ok()
			tt.edit(&p)
			if err := p.Validate(); !errors.Is(err, ErrInvalid) {
				t.Errorf("Validate() = %v, want ErrInvalid", err)
			}
			if _, err := AppendPair(nil, &p); !errors.Is(err, ErrInvalid) {
				t.Errorf("AppendPair() = %v, want ErrInvalid", err)
			}
		})
	}
}

func TestPairWipeZeroesSharedMemory(t *testing.T) {
	p := goldenPair(t)
	ota := p.OTA // the backing array a careless caller might still hold
	p.Wipe()
	if !p.K.IsZero() || !p.OPc.IsZero() || p.OTA != nil {
		t.Fatalf("after Wipe: %v", p)
	}
	for i := range ota {
		var z [MaxOTAKeyLen]byte
		if ota[i].KIc.val != z || ota[i].KID.val != z {
			t.Errorf("OTA key set %d still holds key bytes after Wipe", i)
		}
	}
}

package milenage_test

import (
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/uiccsim/uiccsim/milenage"
)

func mustKey(s string) milenage.Key {
	b, _ := hex.DecodeString(s)
	k, err := milenage.ParseKey(b)
	if err != nil {
		panic(err)
	}
	return k
}

// An AuC computes an authentication vector for one subscriber (TS 35.208
// test set 1) and the GSM triplet values derived from it.
func ExampleNewVector() {
	k := mustKey("465b5ce8b199b49faa5f0a2ee238a6bc")
	op := mustKey("cdc202d5123e20f62b6d676ac72cb318")
	alg := milenage.NewFromOP(k, op) // once per subscriber: expands the AES key

	var rand milenage.RAND
	hex.Decode(rand[:], []byte("23553cbe9637a89d218ae64dae47bf35"))
	v := milenage.NewVector(alg, rand, 0xff9bb4d0b607, 0xb9b9)
	sres, _ := v.Triplet()

	fmt.Println("AUTN:", v.AUTN)
	fmt.Println("XRES:", v.XRES)
	fmt.Println("SRES:", sres)
	fmt.Println("CK:  ", v.CK) // keys never print
	// Output:
	// AUTN: 55f328b43577b9b94a9ffac354dfafb3
	// XRES: a54211d5e3ba50bf
	// SRES: 46f8416a
	// CK:   Key(redacted)
}

// A USIM checks AUTNs with the TS 33.102 Annex C.2 array; a replayed AUTN
// makes it answer AUTS, from which the AuC recovers SQN_MS and issues a
// fresh vector the USIM accepts.
func ExamplePolicy_Authenticate() {
	alg := milenage.New(mustKey("465b5ce8b199b49faa5f0a2ee238a6bc"), mustKey("cd63cb71954a9f4e48a5994e37a02baf"))
	usim, _ := milenage.NewSQNState(milenage.DefaultINDBits) // persisted by the card
	var policy milenage.Policy                               // Δ = 2^28, no L
	rand := milenage.RAND{0x23, 0x55}

	// The AuC issues SEQ 1, IND 0.
	sqn, _ := milenage.DefaultSQNScheme.Join(1, 0)
	v := milenage.NewVector(alg, rand, sqn, 0x8000)
	a, err := policy.Authenticate(alg, &usim, rand, v.AUTN)
	fmt.Println(a.Result, err, a.RES.Equal(v.XRES))
	state := usim.Append(nil) // write atomically before answering
	fmt.Println("state bytes:", len(state))

	// The same AUTN again: synchronisation failure with AUTS.
	a, err = policy.Authenticate(alg, &usim, rand, v.AUTN)
	fmt.Println(a.Result, errors.Is(err, milenage.ErrSyncFailure))
	fmt.Printf("response: %x\n", a.AppendResponse(nil, true)[:2])

	// The AuC verifies MAC-S, recovers SQN_MS and moves past it.
	sqnMS, err := milenage.VerifyAUTS(alg, rand, a.AUTS)
	fmt.Println("SQN_MS:", sqnMS, err)
	next, _ := milenage.DefaultSQNScheme.Next(sqnMS, 1)
	v = milenage.NewVector(alg, rand, next, 0x8000)
	a, err = policy.Authenticate(alg, &usim, rand, v.AUTN)
	fmt.Println(a.Result, err)
	// Output:
	// successful 3G authentication <nil> true
	// state bytes: 198
	// synchronisation failure true
	// response: dc0e
	// SQN_MS: 000000000020 <nil>
	// successful 3G authentication <nil>
}

// A 5G home network turns the same vector into a 5G HE AV
// (TS 33.501 Annex A.2, A.4, A.5) for the serving network name.
func ExampleVector_FiveG() {
	alg := milenage.New(mustKey("00112233445566778899aabbccddeeff"), mustKey("62e75b8d6fa5bf46ec87a9276f9df54d"))
	var rand milenage.RAND
	hex.Decode(rand[:], []byte("00112233445566778899aabbccddeeff"))
	v := milenage.NewVector(alg, rand, 1, 0x8000)

	snn, _ := milenage.ServingNetworkName("001", "01")
	av := v.FiveG(snn)
	fmt.Println(snn)
	fmt.Println("XRES*: ", av.XRESStar)
	fmt.Println("HXRES*:", av.HXRESStar)
	fmt.Println("K_AUSF:", av.KAUSF)
	// Output:
	// 5G:mnc001.mcc001.3gppnetwork.org
	// XRES*:  31b6d938a5290ccc65bc829f9820a8d9
	// HXRES*: 3308fb7cf06a35f1cd086b904ce82ecf
	// K_AUSF: Key256(redacted)
}

// The TS 34.108 XOR test algorithm plugs into the same functions.
func ExampleNewXOR() {
	alg, _ := milenage.NewXOR(mustKey("000102030405060708090a0b0c0d0e0f"), 16)
	rand := milenage.RAND{0x34, 0x34, 0x34, 0x34, 0x34, 0x34, 0x34, 0x34, 0x34, 0x34, 0x34, 0x34, 0x34, 0x34, 0x34, 0x34}
	v := milenage.NewVector(alg, rand, 1, 0x8000)
	fmt.Println(v.AUTN, v.XRES)
	// Output:
	// 37303132333d8000343536373030b233 34353637303132333c3d3e3f38393a3b
}

// A USIM's sequence number memory restored from a record (TS 33.102 Annex
// C.2.2): with a 5-bit IND, SQN ff9bb4d0b607 was accepted with IND 7.
func ExampleNewSQNStateFrom() {
	seqs := make([]uint64, 32)
	seqs[7] = 0xff9bb4d0b607 >> 5
	st, err := milenage.NewSQNStateFrom(5, seqs)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("SQN_MS:", st.Highest())
	_, err = milenage.NewSQNStateFrom(5, seqs[:31])
	fmt.Println(errors.Is(err, milenage.ErrParam))
	// Output:
	// SQN_MS: ff9bb4d0b607
	// true
}

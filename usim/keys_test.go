package usim

import (
	"bytes"
	"encoding/hex"
	"errors"
	"testing"

	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/keystore"
	"github.com/uiccsim/uiccsim/keystore/cardapp"
	"github.com/uiccsim/uiccsim/milenage"
	"github.com/uiccsim/uiccsim/ota/scp80"
	"github.com/uiccsim/uiccsim/ota/server"
	"github.com/uiccsim/uiccsim/usim/client"
	"github.com/uiccsim/uiccsim/usim/ef"
	"github.com/uiccsim/uiccsim/usim/profile"
)

// The 3b list of the tests: pair 0 is the default subscription (TS 35.208
// set 1 K/OPc, the AES/3DES OTA sets of otaProfile), pairs 1 and 2 belong
// to operators B and C.
var (
	pairIMSI = []string{profile.DefaultIMSI, "001029000000001", "001039000000002"}
	pairK    = []string{"", "0f0e0d0c0b0a09080706050403020100", "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf"}
	pairOPc  = []string{"", "1f1e1d1c1b1a19181716151413121110", "b0b1b2b3b4b5b6b7b8b9babbbcbdbebf"}
	pairKIc  = []string{aesKIc, "202122232425262728292a2b2c2d2e2f", "404142434445464748494a4b4c4d4e4f"}
	pairKID  = []string{aesKID, "303132333435363738393a3b3c3d3e3f", "505152535455565758595a5b5c5d5e5f"}
)

func key128(t testing.TB, s string) profile.Key128 {
	t.Helper()
	var k profile.Key128
	if err := k.UnmarshalText([]byte(s)); err != nil {
		t.Fatal(err)
	}
	return k
}

// profile3b is otaProfile with the three-pair list.
func profile3b(t testing.TB) *profile.Profile {
	return otaProfile(func(p *profile.Profile) {
		p.KeyPairs = []profile.KeyPair{{Index: 0, IMSI: p.IMSI, K: p.Auth.K}}
		for i := 1; i < 3; i++ {
			opc := key128(t, pairOPc[i])
			p.KeyPairs = append(p.KeyPairs, profile.KeyPair{Index: i, IMSI: pairIMSI[i], K: key128(t, pairK[i]), OPc: &opc,
				OTAKeySets: []profile.OTAKeySet{{KVN: 1, KIc: profile.OTAKey{Algorithm: "aes", Key: profile.Secret(pairKIc[i])},
					KID: profile.OTAKey{Algorithm: "aes", Key: profile.Secret(pairKID[i])}}}})
		}
	})
}

// pairServer is operator i's OTA server for TAR with pair i's KVN 1 keys.
func pairServer(t testing.TB, i int, tar scp80.TAR, o scp80.SPIOptions) *server.Card {
	s := otaServer(t, 1, tar, o)
	s.Keys = scp80.Keys{Enc: mustCipher(t, scp80.AlgAES, pairKIc[i]), MAC: mustCipher(t, scp80.AlgAES, pairKID[i])}
	return s
}

// pairAlg is pair i's Milenage, as operator i's AuC holds it.
func pairAlg(t testing.TB, i int) milenage.Algorithm {
	if i == 0 {
		return milenage.New(milenage.Key(profile.TestK), milenage.Key(profile.TestOPc))
	}
	return milenage.New(milenage.Key(key128(t, pairK[i])), milenage.Key(key128(t, pairOPc[i])))
}

// authenticate runs one AKA with operator alg's vector for sqn and
// reports whether the card accepted it with the expected RES.
func authenticate(t testing.TB, term *Terminal, alg milenage.Algorithm, sqn milenage.SQN) bool {
	t.Helper()
	rand := milenage.RAND{0x23, 0x55, 0x3c, 0xbe, 0x96, 0x37, 0xa8, 0x9d, 0x21, 0x8a, 0xe6, 0x4d, 0xae, 0x47, 0xbf, 0x35}
	v := milenage.NewVector(alg, rand, sqn, 0x8000)
	r, err := term.Authenticate(v.RAND, v.AUTN)
	if err != nil {
		if errors.Is(err, apdu.SWAuthIncorrectMAC) {
			return false
		}
		t.Fatalf("AUTHENTICATE: %v", err)
	}
	return r.Outcome == client.AuthSuccess && bytes.Equal(v.XRES.Bytes(), r.RES)
}

// pair0Secrets are the keys of pair 0 (hex), which a SWITCH away from it
// must leave nowhere in the card.
func pair0Secrets() map[string]string {
	return map[string]string{"K0": hex.EncodeToString(profile.TestK[:]), "OPc0": hex.EncodeToString(profile.TestOPc[:]),
		"KIc0": pairKIc[0], "KID0": pairKID[0], "3DES KIc": desKIc, "3DES KID": desKID}
}

func switchScript(t testing.TB, to int, imsi string) [][]byte {
	t.Helper()
	i, err := ef.NewIMSI(imsi)
	if err != nil {
		t.Fatal(err)
	}
	cmd, err := cardapp.AppendSwitch(nil, to, i)
	if err != nil {
		t.Fatal(err)
	}
	return [][]byte{cmd}
}

func TestSwitch3bEndToEnd(t *testing.T) {
	c, term := activeTerminal(t, profile3b(t))
	if !authenticate(t, term, pairAlg(t, 0), 32) {
		t.Fatal("pair 0 does not authenticate before the switch")
	}
	before := c.Store().AppendImage(nil)

	// Operator A switches the card to pair 1 with B's IMSI; the PoR
	// comes back under A's keys (the server verifies its CC with them).
	srvA := pairServer(t, 0, cardapp.TAR, fullSPI)
	_, res, err := srvA.Run(term, switchScript(t, 1, pairIMSI[1]))
	if err != nil {
		t.Fatal(err)
	}
	if res.PoR.Status != scp80.StatusOK || !res.PoR.Secured || res.Executed != 1 || res.APDUs[0].SW != apdu.SWOK {
		t.Fatalf("SWITCH PoR %+v", res)
	}
	if term.Activations != 2 || len(term.Refreshes) != 1 || term.Refreshes[0].Mode != 0x04 {
		t.Fatalf("no UICC reset REFRESH: activations %d, refreshes %+v", term.Activations, term.Refreshes)
	}
	if term.IMSI.String() != pairIMSI[1] {
		t.Fatalf("IMSI after switch %v", term.IMSI)
	}
	// Right after the SWITCH, before later commands reuse the journal, no
	// byte of pair 0 is anywhere in store memory: the undo journal's copy
	// of the old key list was erased at commit (store.TestJournalResidueErased
	// shows the commit alone does it; the REFRESH reset erases again).
	mem := c.Store().AppendMemory(nil)
	for name, k := range pair0Secrets() {
		b, _ := hex.DecodeString(k)
		if !bytes.Contains(before, b) {
			t.Fatalf("%s not in the image before the switch: the check would prove nothing", name)
		}
		if bytes.Contains(mem, b) {
			t.Errorf("%s still in store memory (journal included) after the switch", name)
		}
	}
	if s := c.KeyState(); s.Active != 1 || s.Len != 3 {
		t.Fatalf("key state %+v", s)
	}
	// A's K no longer authenticates; B's does, from a fresh SQN array (SQN
	// 32 was used with pair 0 and is accepted again).
	if authenticate(t, term, pairAlg(t, 0), 64) {
		t.Fatal("old K still authenticates after the switch")
	}
	if !authenticate(t, term, pairAlg(t, 1), 32) {
		t.Fatal("new K does not authenticate after the switch")
	}
	// A's old OTA keys are refused (the card's KVN 1 is B's now): the
	// packet deciphers to garbage (05) or its CC fails (01).
	_, res, err = pairServer(t, 0, scp80.TARRFMUSIM, fullSPI).Run(term, updateIMSIScript(t, newIMSI))
	if err != nil || !securityRefusal(res.PoR.Status) || term.IMSI.String() != pairIMSI[1] {
		t.Fatalf("A's old keys after the switch: %v %+v", err, res)
	}
	// B's keys work, counters start again at 1.
	srvB := pairServer(t, 1, scp80.TARRFMUSIM, fullSPI)
	if _, res, err = srvB.Run(term, [][]byte{{0x00, 0xB0, 0x87, 0x00, 0x09}}); err != nil || res.PoR.Status != scp80.StatusOK || res.APDUs[0].SW != apdu.SWOK {
		t.Fatalf("B's keys: %v %+v", err, res)
	}
	// Nothing of pair 0 is left in the store image.
	img := c.Store().AppendImage(nil)
	for name, k := range pair0Secrets() {
		b, _ := hex.DecodeString(k)
		if !bytes.Contains(before, b) {
			t.Fatalf("%s not in the image before the switch: the check would prove nothing", name)
		}
		if bytes.Contains(img, b) {
			t.Errorf("%s still in the store image after the switch", name)
		}
	}

	// B → C, then the list is exhausted. The counter belongs to the key
	// set, whatever the TAR (TS 102 225 §5.1.1).
	srvB2 := pairServer(t, 1, cardapp.TAR, fullSPI)
	srvB2.Counter = srvB.Counter
	if _, res, err = srvB2.Run(term, switchScript(t, 2, pairIMSI[2])); err != nil || res.APDUs[0].SW != apdu.SWOK {
		t.Fatalf("switch to C: %v %+v", err, res)
	}
	if !c.Exhausted() || term.IMSI.String() != pairIMSI[2] || !authenticate(t, term, pairAlg(t, 2), 32) {
		t.Fatalf("after switch to C: exhausted %v, IMSI %v", c.Exhausted(), term.IMSI)
	}
	img = c.Store().AppendImage(nil)
	_, res, err = pairServer(t, 2, cardapp.TAR, fullSPI).Run(term, switchScript(t, 3, pairIMSI[1]))
	if err != nil || res.PoR.Status != scp80.StatusOK || res.APDUs[0].SW != cardapp.SWExhausted {
		t.Fatalf("switch beyond the list: %v %+v", err, res)
	}
	if c.KeyState().Active != 2 || term.IMSI.String() != pairIMSI[2] || len(term.Refreshes) != 2 {
		t.Fatal("refused switch changed the card")
	}
	// Only the counter moved.
	if got := c.Store().AppendImage(nil); len(got) != len(img) {
		t.Fatal("refused switch changed the store layout")
	}
}

func TestSwitchRefusedWithoutItsTARAndSecurity(t *testing.T) {
	c, term := activeTerminal(t, profile3b(t))
	// Without ciphering the key-management TAR refuses with PoR 0A.
	noCipher := fullSPI
	noCipher.Ciphered = false
	_, res, err := pairServer(t, 0, cardapp.TAR, noCipher).Run(term, switchScript(t, 1, pairIMSI[1]))
	if err != nil || res.PoR.Status != scp80.StatusInsufficientSecurity {
		t.Fatalf("unciphered SWITCH: %v %+v", err, res)
	}
	// Without a counter, likewise.
	noCounter := fullSPI
	noCounter.Counter = scp80.NoCounter
	_, res, err = pairServer(t, 0, cardapp.TAR, noCounter).Run(term, switchScript(t, 1, pairIMSI[1]))
	if err != nil || res.PoR.Status != scp80.StatusInsufficientSecurity {
		t.Fatalf("SWITCH without counter: %v %+v", err, res)
	}
	// Through the RFM TAR the SWITCH is just an unknown instruction for
	// the file system: the RFM application answers 6D00, as the terminal's
	// file system does for INS E2, and nothing switches.
	_, res, err = pairServer(t, 0, scp80.TARRFMUSIM, fullSPI).Run(term, switchScript(t, 1, pairIMSI[1]))
	if err != nil || res.PoR.Status != scp80.StatusOK || res.APDUs[0].SW != apdu.SWINSNotSupported {
		t.Fatalf("SWITCH through RFM: %v %+v", err, res)
	}
	if c.KeyState().Active != 0 || term.IMSI.String() != pairIMSI[0] || len(term.Refreshes) != 0 {
		t.Fatal("a refused SWITCH changed the card")
	}
	// The key-management application is not selectable by the terminal.
	if _, sw, _ := term.Client().Exchange(apdu.Command{CLA: 0x80, INS: cardapp.INSSwitch, Data: switchScript(t, 1, pairIMSI[1])[0][5:]}); sw == apdu.SWOK {
		t.Fatal("SWITCH accepted from the terminal")
	}
	if c.KeyState().Active != 0 {
		t.Fatal("terminal switched the card")
	}
}

func TestSwitchRefusals(t *testing.T) {
	c, term := activeTerminal(t, profile3b(t))
	srv := pairServer(t, 0, cardapp.TAR, fullSPI)
	imsi := imsiBytes(t, pairIMSI[1])
	for _, tc := range []struct {
		name string
		cmd  []byte
		want apdu.StatusWord
	}{
		{"backward", append([]byte{0x80, 0xE2, 0, 0, 14, 0x80, 1, 0, 0x81, 9}, imsi...), apdu.SWConditionsNotSatisfied},
		{"beyond the list", append([]byte{0x80, 0xE2, 0, 0, 14, 0x80, 1, 7, 0x81, 9}, imsi...), apdu.SWReferencedDataNotFound},
		{"no IMSI", []byte{0x80, 0xE2, 0, 0, 3, 0x80, 1, 1}, apdu.SWIncorrectDataField},
		{"bad IMSI", []byte{0x80, 0xE2, 0, 0, 14, 0x80, 1, 1, 0x81, 9, 0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}, apdu.SWIncorrectDataField},
		{"P1", append([]byte{0x80, 0xE2, 1, 0, 14, 0x80, 1, 1, 0x81, 9}, imsi...), apdu.SWIncorrectP1P2},
		{"CLA", append([]byte{0x00, 0xE2, 0, 0, 14, 0x80, 1, 1, 0x81, 9}, imsi...), apdu.SWCLANotSupported},
		{"INS", []byte{0x80, 0x10, 0, 0, 0}, apdu.SWINSNotSupported},
		{"replace keys without OPc", append([]byte{0x80, 0xE4, 0, 0, 18, 0x82, 16}, make([]byte, 16)...), apdu.SWIncorrectDataField},
	} {
		_, res, err := srv.Run(term, [][]byte{tc.cmd})
		if err != nil || res.PoR.Status != scp80.StatusOK || res.APDUs[0].SW != tc.want {
			t.Errorf("%s: %v %+v, want %v", tc.name, err, res, tc.want)
		}
	}
	if c.KeyState().Active != 0 || len(term.Refreshes) != 0 {
		t.Fatal("refused commands changed the card")
	}
	// GET STATE.
	_, res, err := srv.Run(term, [][]byte{cardapp.GetState})
	if err != nil || res.APDUs[0].SW != apdu.SWOK || !bytes.Equal(res.APDUs[0].Data, []byte{0x80, 1, 0, 0x87, 1, 2, 0x88, 1, 3}) {
		t.Fatalf("GET STATE: %v %+v", err, res)
	}
}

func TestReplaceKeys3aRotation(t *testing.T) {
	c, term := activeTerminal(t, otaProfile(nil))
	if !authenticate(t, term, pairAlg(t, 0), 32) {
		t.Fatal("initial K")
	}
	kic, _ := keystore.NewOTAKey(keystore.AlgAES128, hexb(t, pairKIc[1]))
	kid, _ := keystore.NewOTAKey(keystore.AlgAES128, hexb(t, pairKID[1]))
	p := keystore.Pair{K: keystore.Key128(key128(t, pairK[1])), OPc: keystore.Key128(key128(t, pairOPc[1])),
		OTA: []keystore.OTAKeySet{{KVN: 1, KIc: kic, KID: kid}}}
	cmd, err := cardapp.AppendReplaceKeys(nil, &p, true)
	if err != nil {
		t.Fatal(err)
	}
	// Operator B received A's keys (3a step 5) and rotates them.
	_, res, err := pairServer(t, 0, cardapp.TAR, fullSPI).Run(term, [][]byte{cmd})
	if err != nil || res.PoR.Status != scp80.StatusOK || res.APDUs[0].SW != apdu.SWOK {
		t.Fatalf("REPLACE KEYS: %v %+v", err, res)
	}
	if authenticate(t, term, pairAlg(t, 0), 64) || !authenticate(t, term, pairAlg(t, 1), 32) {
		t.Fatal("rotation: old K still works or new K does not (SQN reset asked)")
	}
	if _, res, err = pairServer(t, 0, scp80.TARRFMUSIM, fullSPI).Run(term, [][]byte{{0x00, 0xB0, 0x87, 0x00, 0x09}}); err != nil || !securityRefusal(res.PoR.Status) {
		t.Fatalf("old OTA keys after rotation: %v %+v", err, res)
	}
	if _, res, err = pairServer(t, 1, scp80.TARRFMUSIM, fullSPI).Run(term, [][]byte{{0x00, 0xB0, 0x87, 0x00, 0x09}}); err != nil || res.PoR.Status != scp80.StatusOK {
		t.Fatalf("new OTA keys after rotation: %v %+v", err, res)
	}
	// The 3DES set (KVN 2) went with the old keys.
	if _, res, err = otaServer(t, 2, scp80.TARRFMUSIM, fullSPI).Run(term, [][]byte{{0x00, 0xB0, 0x87, 0x00, 0x09}}); err != nil || res.PoR.Status == scp80.StatusOK {
		t.Fatalf("KVN 2 after rotation: %v %+v", err, res)
	}
	if bytes.Contains(c.Store().AppendImage(nil), profile.TestK[:]) {
		t.Fatal("old K in the store image after rotation")
	}
}

func hexb(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// securityRefusal reports the PoR status of a packet secured with keys the
// card does not hold: the cryptographic checksum is checked before the
// deciphered padding counter, so it is RC/CC/DS failed, TS 102 225 §5.1.2.
func securityRefusal(s scp80.Status) bool {
	return s == scp80.StatusRCCCDSFailed
}

func TestNewWithListAndImageCarryTheSwitch(t *testing.T) {
	var pairs []keystore.Pair
	for i := 0; i < 3; i++ {
		k, opc := keystore.Key128(profile.TestK), keystore.Key128(profile.TestOPc)
		if i > 0 {
			k, opc = keystore.Key128(key128(t, pairK[i])), keystore.Key128(key128(t, pairOPc[i]))
		}
		kic, _ := keystore.NewOTAKey(keystore.AlgAES128, hexb(t, pairKIc[i]))
		kid, _ := keystore.NewOTAKey(keystore.AlgAES128, hexb(t, pairKID[i]))
		pairs = append(pairs, keystore.Pair{Index: i, K: k, OPc: opc, OTA: []keystore.OTAKeySet{{KVN: 1, KIc: kic, KID: kid}}})
	}
	l, err := keystore.NewList(pairs)
	if err != nil {
		t.Fatal(err)
	}
	c, err := NewWithList(profile.Default(), l)
	if err != nil {
		t.Fatal(err)
	}
	l.Wipe() // the card keeps its own copy
	term := NewTerminal(c)
	if err := term.Activate(); err != nil {
		t.Fatal(err)
	}
	if _, res, err := pairServer(t, 0, cardapp.TAR, fullSPI).Run(term, switchScript(t, 1, pairIMSI[1])); err != nil || res.APDUs[0].SW != apdu.SWOK {
		t.Fatalf("switch: %v %+v", err, res)
	}
	path := t.TempDir() + "/card.img"
	if err := c.SaveImage(path); err != nil {
		t.Fatal(err)
	}
	c2, err := OpenImage(path)
	if err != nil {
		t.Fatal(err)
	}
	term2 := NewTerminal(c2)
	if err := term2.Activate(); err != nil {
		t.Fatal(err)
	}
	if c2.KeyState().Active != 1 || term2.IMSI.String() != pairIMSI[1] || !authenticate(t, term2, pairAlg(t, 1), 32) {
		t.Fatal("reopened card lost the switch")
	}
	if _, res, err := pairServer(t, 1, scp80.TARRFMUSIM, fullSPI).Run(term2, [][]byte{{0x00, 0xB0, 0x87, 0x00, 0x09}}); err != nil || res.PoR.Status != scp80.StatusOK {
		t.Fatalf("OTA on the reopened card: %v %+v", err, res)
	}
}

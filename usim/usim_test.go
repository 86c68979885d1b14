package usim

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/usim/profile"
)

func hx(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.NewReplacer(" ", "", "\n", "").Replace(s))
	if err != nil {
		t.Fatalf("bad hex %q", s)
	}
	return b
}

// vectors holds testdata/milenage-ts35208-sets1-6.json (TS 35.208 test
// sets cross-checked with osmo-auc-gen, and the worked AUTHENTICATE
// example of TS 31.102 §7.1.2).
type vectors struct {
	Sets []struct {
		K, OPc, RAND, SQN, AMF, AUTN string
		Resync                       struct{ AUTS string } `json:"resync_example"`
	} `json:"sets"`
	Ex struct {
		Command3G  struct{ APDU string } `json:"command_3g"`
		WithKc     struct{ Data string } `json:"response_3g_success_with_Kc"`
		WithoutKc  struct{ Data string } `json:"response_3g_success_without_Kc"`
		Sync       struct{ Data string } `json:"response_3g_sync_failure"`
		MAC        struct{ SW string }   `json:"response_3g_mac_failure"`
		CommandGSM struct{ APDU string } `json:"command_gsm"`
		GSM        struct{ Data string } `json:"response_gsm_success"`
	} `json:"authenticate_example"`
}

func loadVectors(t testing.TB) *vectors {
	t.Helper()
	b, err := os.ReadFile("testdata/milenage-ts35208-sets1-6.json")
	if err != nil {
		t.Fatal(err)
	}
	var v vectors
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	return &v
}

// tx sends one raw APDU and returns data and status word.
func tx(t testing.TB, c apdu.Transport, cmd []byte) ([]byte, apdu.StatusWord) {
	t.Helper()
	resp, err := c.Transmit(nil, cmd)
	if err != nil {
		t.Fatalf("Transmit(%X): %v", cmd, err)
	}
	data, sw, err := apdu.ParseResponse(resp)
	if err != nil {
		t.Fatalf("Transmit(%X): %v", cmd, err)
	}
	return data, sw
}

// expect sends cmd and checks the exact response (data ‖ SW).
func expect(t testing.TB, c apdu.Transport, cmd, want string) {
	t.Helper()
	resp, err := c.Transmit(nil, hx(t, cmd))
	if err != nil {
		t.Fatalf("%s: %v", cmd, err)
	}
	if !bytes.Equal(resp, hx(t, want)) {
		t.Fatalf("%s: answered %X, want %s", cmd, resp, strings.ToUpper(want))
	}
}

// cardForExample is the default profile whose SQN array already holds
// SQN = set-1 SQN - 32 (same IND 7, SEQ one lower), so the set-1 AUTN is
// fresh (TS 33.102 Annex C.2.2) and within Δ of SEQ_MS.
func cardForExample(t testing.TB, edit func(p *profile.Profile)) *Card {
	t.Helper()
	p := profile.Default()
	p.Auth.SQN.Accepted = []string{"ff9bb4d0b5e7"}
	if edit != nil {
		edit(p)
	}
	c, err := New(p)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

const (
	selectUSIM = "00a4040410a0000000871002ffffffff8907090000"
	verifyPIN1 = "0020000108 31323334ffffffff"
)

func TestAuthenticateWorkedExample(t *testing.T) {
	v := loadVectors(t)
	ex := &v.Ex
	c := cardForExample(t, nil)
	_, sw := tx(t, c, hx(t, selectUSIM))
	if sw.SW1() != 0x61 {
		t.Fatalf("SELECT USIM: %v", sw)
	}
	// Before PIN1: security status not satisfied, nothing changes.
	expect(t, c, ex.Command3G.APDU, "6982")
	expect(t, c, verifyPIN1, "9000")
	// 3G context, success with Kc (service n°27 available): T=0 announces
	// 0x35 = 53 bytes, GET RESPONSE returns them byte for byte.
	expect(t, c, ex.Command3G.APDU, "6135")
	expect(t, c, "00c0000035", ex.WithKc.Data+"9000")
	st, _ := c.SQNState()
	if st.Highest().String() != v.Sets[0].SQN {
		t.Errorf("SQN_MS after success = %v, want %s", st.Highest(), v.Sets[0].SQN)
	}
	// The same AUTN again is a replay: synchronisation failure with the
	// AUTS of SQN_MS = ff9bb4d0b607 (verified with osmo-auc-gen -A).
	expect(t, c, ex.Command3G.APDU, "6110")
	expect(t, c, "00c0000010", ex.Sync.Data+"9000")
	// MAC failure: flip the last MAC bit; 9862 and the SQN array stays.
	bad := hx(t, ex.Command3G.APDU)
	bad[len(bad)-2] ^= 1
	before := append([]byte(nil), c.Store().Bytes(c.usim.sqnRef)...)
	expect(t, c, hex.EncodeToString(bad), ex.MAC.SW)
	if !bytes.Equal(before, c.Store().Bytes(c.usim.sqnRef)) {
		t.Error("MAC failure changed the SQN array")
	}
	// GSM context (service n°38): '04' SRES '08' Kc of TS 35.208 set 1.
	expect(t, c, ex.CommandGSM.APDU, "610e")
	expect(t, c, "00c000000e", ex.GSM.Data+"9000")
}

func TestAuthenticateWithoutGSMAccessOmitsKc(t *testing.T) {
	ex := &loadVectors(t).Ex
	c := cardForExample(t, func(p *profile.Profile) {
		p.Files = map[string]profile.File{"ADF.USIM/EF.UST": {UST: []int{19, 21, 33, 34, 85}}}
	})
	tx(t, c, hx(t, selectUSIM))
	expect(t, c, verifyPIN1, "9000")
	expect(t, c, ex.Command3G.APDU, "612c")
	expect(t, c, "00c000002c", ex.WithoutKc.Data+"9000")
	// Without service n°38 the GSM context is not supported.
	expect(t, c, ex.CommandGSM.APDU, "9864")
}

func TestAuthenticateT1AndDisabledPIN(t *testing.T) {
	ex := &loadVectors(t).Ex
	c := cardForExample(t, func(p *profile.Profile) { f := false; p.PINs.PIN1.Enabled = &f })
	c.Runtime().SetT1(true)
	tx(t, c, hx(t, selectUSIM))
	expect(t, c, ex.Command3G.APDU, ex.WithKc.Data+"9000")
}

func TestAuthenticateDeltaRefusesFarSQN(t *testing.T) {
	// With the all-zero array of the default profile, set 1's SEQ is far
	// beyond SEQ_MS + Δ (2^28, TS 33.102 Annex C.2.1): synchronisation
	// failure with SQN_MS = 0.
	ex := &loadVectors(t).Ex
	c, err := New(nil)
	if err != nil {
		t.Fatal(err)
	}
	tx(t, c, hx(t, selectUSIM))
	expect(t, c, verifyPIN1, "9000")
	data, sw := tx(t, c, hx(t, ex.Command3G.APDU))
	if sw != 0x6110 {
		t.Fatalf("sw %v", sw)
	}
	data, sw = tx(t, c, hx(t, "00c0000010"))
	if sw != apdu.SWOK || data[0] != 0xDC || data[1] != 0x0E {
		t.Fatalf("%X %v", data, sw)
	}
	st, _ := c.SQNState()
	if st.Highest() != 0 {
		t.Errorf("state changed: %v", st.Highest())
	}
}

func TestAuthenticateRejectsBadParameters(t *testing.T) {
	ex := &loadVectors(t).Ex
	c := cardForExample(t, nil)
	tx(t, c, hx(t, selectUSIM))
	expect(t, c, verifyPIN1, "9000")
	cmd := ex.Command3G.APDU
	for _, tc := range []struct{ name, apdu, want string }{
		{"P1 not 00", "008801" + cmd[6:], "6a86"},
		{"RFU context", "008800" + "83" + cmd[8:], "6a86"},
		{"GBA context", "008800" + "84" + cmd[8:], "9864"},
		{"short data", "0088008121" + cmd[10:len(cmd)-4] + "00", "6700"},
		{"RAND length 0F", "0088008122" + "0f" + cmd[12:], "6a80"},
		{"proprietary class", "80" + cmd[2:], "6e00"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := append([]byte(nil), c.Store().Bytes(c.usim.sqnRef)...)
			expect(t, c, tc.apdu, tc.want)
			if !bytes.Equal(before, c.Store().Bytes(c.usim.sqnRef)) {
				t.Error("rejected command changed the SQN array")
			}
		})
	}
}

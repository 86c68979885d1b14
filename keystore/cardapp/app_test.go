package cardapp

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"testing"

	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/keystore"
	"github.com/uiccsim/uiccsim/ota/engine"
	"github.com/uiccsim/uiccsim/ota/rfm"
	"github.com/uiccsim/uiccsim/usim/ef"
)

// fakeHost is a key list held in memory, as the card would hold it, with a
// record of what the application asked.
type fakeHost struct {
	list     *keystore.List
	imsi     []byte
	resetSQN bool
	fail     error
}

func (h *fakeHost) KeyState() State { return State{Active: h.list.ActiveIndex(), Len: h.list.Len()} }

func (h *fakeHost) Switch(to int, imsi []byte) error {
	if h.fail != nil {
		return h.fail
	}
	if err := h.list.Advance(to); err != nil {
		return err
	}
	h.imsi = append([]byte(nil), imsi...)
	return nil
}

func (h *fakeHost) ReplaceKeys(p keystore.Pair, resetSQN bool) error {
	h.resetSQN = resetSQN
	return h.list.Replace(p)
}

func testPair(t testing.TB, i int, b byte) keystore.Pair {
	t.Helper()
	kic, err := keystore.NewOTAKey(keystore.AlgAES128, bytes.Repeat([]byte{b}, 16))
	if err != nil {
		t.Fatal(err)
	}
	kid, _ := keystore.NewOTAKey(keystore.Alg3DES2, bytes.Repeat([]byte{b + 1}, 16))
	p := keystore.Pair{Index: i, OTA: []keystore.OTAKeySet{{KVN: 1, KIc: kic, KID: kid}}}
	for j := range p.K {
		p.K[j], p.OPc[j] = b, b^0xFF
	}
	return p
}

func newHost(t testing.TB, n int) *fakeHost {
	var pairs []keystore.Pair
	for i := 0; i < n; i++ {
		pairs = append(pairs, testPair(t, i, byte(0x10*(i+1))))
	}
	l, err := keystore.NewList(pairs)
	if err != nil {
		t.Fatal(err)
	}
	return &fakeHost{list: l}
}

func mustIMSI(t testing.TB, s string) ef.IMSI {
	i, err := ef.NewIMSI(s)
	if err != nil {
		t.Fatal(err)
	}
	return i
}

// run runs a one-command script and returns the compact response (TS 102
// 226 §5.1.2).
func run(t *testing.T, a *App, cmd []byte) rfm.CompactResponse {
	t.Helper()
	out := a.Run(nil, cmd)
	r, err := rfm.ParseCompactResponse(out)
	if err != nil {
		t.Fatalf("response % X: %v", out, err)
	}
	return r
}

func TestSwitchMovesForwardAndQueuesUICCReset(t *testing.T) {
	h := newHost(t, 3)
	a := &App{Host: h}
	cmd, err := AppendSwitch(nil, 2, mustIMSI(t, "001019999999999"))
	if err != nil {
		t.Fatal(err)
	}
	if want := "80e200000e8001028109"; hex.EncodeToString(cmd[:10]) != want {
		t.Fatalf("SWITCH header % X, want %s", cmd[:10], want)
	}
	if r := run(t, a, cmd); r.Executed != 1 || r.SW != uint16(apdu.SWOK) {
		t.Fatalf("%+v", r)
	}
	if h.list.ActiveIndex() != 2 || !bytes.Equal(h.imsi, mustIMSI(t, "001019999999999").Append(nil)) {
		t.Fatal("host not switched")
	}
	fu := a.FollowUp()
	r, err := engine.ParseRefresh(fu)
	if err != nil || r.Mode != engine.RefreshUICCReset || len(r.Files) != 0 {
		t.Fatalf("follow-up % X: %+v %v", fu, r, err)
	}
	if a.FollowUp() != nil {
		t.Fatal("REFRESH queued twice")
	}
	// Exhausted now: its own status word, nothing queued.
	cmd, _ = AppendSwitch(nil, 3, mustIMSI(t, "001019999999999"))
	if r := run(t, a, cmd); r.SW != uint16(SWExhausted) || a.FollowUp() != nil {
		t.Fatalf("exhausted: %+v", r)
	}
}

func TestStatusWords(t *testing.T) {
	imsi := mustIMSI(t, "001019999999999").Append(nil)
	sw := func(index byte) []byte {
		return append([]byte{CLA, INSSwitch, 0, 0, 14, TagIndex, 1, index, TagIMSI, 9}, imsi...)
	}
	for _, tc := range []struct {
		name string
		cmd  []byte
		fail error
		want apdu.StatusWord
	}{
		{"switch backward", sw(0), nil, apdu.SWConditionsNotSatisfied},
		{"switch beyond", sw(9), nil, apdu.SWReferencedDataNotFound},
		{"store failure", sw(1), errors.New("power"), apdu.SWTechnicalProblem},
		{"index twice", append([]byte{CLA, INSSwitch, 0, 0, 17, TagIndex, 1, 1, TagIndex, 1, 1, TagIMSI, 9}, imsi...), nil, apdu.SWIncorrectDataField},
		{"unknown tag", append([]byte{CLA, INSSwitch, 0, 0, 17, TagIndex, 1, 1, 0x99, 1, 1, TagIMSI, 9}, imsi...), nil, apdu.SWIncorrectDataField},
		{"no data", []byte{CLA, INSSwitch, 0, 0, 0}, nil, apdu.SWWrongLength},
		{"get state P1", []byte{CLA, INSGetState, 1, 0, 0}, nil, apdu.SWIncorrectP1P2},
		{"replace P1", []byte{CLA, INSReplaceKeys, 2, 0, 1, 0}, nil, apdu.SWIncorrectP1P2},
		{"class", []byte{0xA0, INSGetState, 0, 0, 0}, nil, apdu.SWCLANotSupported},
		{"ins", []byte{CLA, 0x20, 0, 0, 0}, nil, apdu.SWINSNotSupported},
		{"not an APDU", []byte{CLA, INSSwitch, 0, 0, 9, 1}, nil, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHost(t, 3)
			h.fail = tc.fail
			a := &App{Host: h}
			out := a.Run(nil, tc.cmd)
			r, err := rfm.ParseCompactResponse(out)
			if tc.want == 0 {
				if r.Executed != 0 {
					t.Fatalf("malformed script executed: %+v %v", r, err)
				}
				return
			}
			if err != nil || r.SW != uint16(tc.want) {
				t.Fatalf("% X: %+v %v, want %v", out, r, err, tc.want)
			}
			if h.list.ActiveIndex() != 0 || a.FollowUp() != nil {
				t.Fatal("refused command changed the host or queued REFRESH")
			}
		})
	}
}

func TestReplaceKeysRoundTrip(t *testing.T) {
	h := newHost(t, 2)
	a := &App{Host: h}
	p := testPair(t, 0, 0x77)
	cmd, err := AppendReplaceKeys(nil, &p, true)
	if err != nil {
		t.Fatal(err)
	}
	if r := run(t, a, cmd); r.SW != uint16(apdu.SWOK) {
		t.Fatalf("%+v", r)
	}
	if !h.list.Active().Equal(p) || !h.resetSQN || a.FollowUp() != nil {
		t.Fatal("keys not replaced as sent")
	}
	got, err := ParseReplaceKeys(cmd[5:])
	if err != nil || !got.Equal(p) {
		t.Fatalf("parse of the encoding: %v", err)
	}
}

func TestGetState(t *testing.T) {
	h := newHost(t, 4)
	_ = h.list.Advance(1)
	r := run(t, &App{Host: h}, GetState)
	if r.SW != uint16(apdu.SWOK) || !bytes.Equal(r.Data, []byte{0x80, 1, 1, 0x87, 1, 2, 0x88, 1, 4}) {
		t.Fatalf("%+v", r)
	}
}

func FuzzParse(f *testing.F) {
	imsi := ef.IMSI{}
	if i, err := ef.NewIMSI("001019999999999"); err == nil {
		imsi = i
	}
	sw, _ := AppendSwitch(nil, 1, imsi)
	f.Add(sw[5:])
	p := testPair(f, 0, 0x42)
	rk, _ := AppendReplaceKeys(nil, &p, false)
	f.Add(rk[5:])
	f.Add([]byte{0x80, 0x81, 0x01})
	f.Fuzz(func(t *testing.T, data []byte) {
		if to, im, err := ParseSwitch(data); err == nil {
			i, err := ef.ParseIMSI(im)
			if err != nil {
				t.Fatalf("accepted IMSI that does not parse: %v", err)
			}
			enc, err := AppendSwitch(nil, to, i)
			if err != nil {
				return // index beyond what a list holds
			}
			to2, im2, err := ParseSwitch(enc[5:])
			if err != nil || to2 != to || !bytes.Equal(im2, im) {
				t.Fatalf("SWITCH re-encoding differs: %v", err)
			}
		}
		if p, err := ParseReplaceKeys(data); err == nil {
			enc, err := AppendReplaceKeys(nil, &p, false)
			if err != nil {
				t.Fatalf("accepted pair does not encode: %v", err)
			}
			q, err := ParseReplaceKeys(enc[5:])
			if err != nil || !q.Equal(p) {
				t.Fatalf("REPLACE KEYS re-encoding differs: %v", err)
			}
		}
		// The application never panics on any script.
		_ = (&App{Host: newHost(t, 2)}).Run(nil, data)
	})
}

func ExampleAppendSwitch() {
	imsi, _ := ef.NewIMSI("001029000000001")
	cmd, _ := AppendSwitch(nil, 1, imsi)
	fmt.Printf("% X\n", cmd)
	// Output: 80 E2 00 00 0E 80 01 01 81 09 08 09 10 20 09 00 00 00 10
}

package client

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/uiccsim/uiccsim/apdu"
)

func h(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatalf("bad hex %q", s)
	}
	return b
}

// authExample is the worked AUTHENTICATE example of
// testdata/milenage-ts35208-sets1-6.json (TS 35.208 set 1, cross-checked
// with osmo-auc-gen).
type authExample struct {
	Command3G struct {
		APDU string `json:"apdu"`
	} `json:"command_3g"`
	WithKc struct {
		Data string `json:"data"`
	} `json:"response_3g_success_with_Kc"`
	WithoutKc struct {
		Data string `json:"data"`
	} `json:"response_3g_success_without_Kc"`
	Sync struct {
		Data string `json:"data"`
	} `json:"response_3g_sync_failure"`
	MAC struct {
		SW string `json:"SW"`
	} `json:"response_3g_mac_failure"`
	CommandGSM struct {
		APDU string `json:"apdu"`
	} `json:"command_gsm"`
	GSM struct {
		Data string `json:"data"`
	} `json:"response_gsm_success"`
}

type milenageSet struct {
	RAND, AUTN, F2, F3, F4 string
	GSM                    struct{ SRES, Kc string } `json:"gsm_from_usim"`
	Resync                 struct{ AUTS string }     `json:"resync_example"`
}

func loadAuth(t testing.TB) (authExample, milenageSet) {
	t.Helper()
	b, err := os.ReadFile("testdata/milenage-ts35208-sets1-6.json")
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		Sets    []milenageSet `json:"sets"`
		Example authExample   `json:"authenticate_example"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	return v.Example, v.Sets[0]
}

// script is a transport that checks each command against an expected one
// and answers the canned response.
type script struct {
	t     testing.TB
	steps [][2]string // command hex, response hex
	i     int
}

func (s *script) Transmit(dst, cmd []byte) ([]byte, error) {
	if s.i >= len(s.steps) {
		s.t.Fatalf("unexpected command %X", cmd)
	}
	want := h(s.t, s.steps[s.i][0])
	if !bytes.Equal(cmd, want) {
		s.t.Fatalf("step %d: command %X, want %X", s.i, cmd, want)
	}
	resp := h(s.t, s.steps[s.i][1])
	s.i++
	return append(dst, resp...), nil
}
func (s *script) Reset(bool) ([]byte, error) { return nil, nil }
func (s *script) Close() error               { return nil }

func TestAuthenticateBuildsTheWorkedExampleAndFollowsT0(t *testing.T) {
	ex, set := loadAuth(t)
	// T=0: the card answers 6135, the client fetches 0x35 = 53 bytes.
	sc := &script{t: t, steps: [][2]string{
		{ex.Command3G.APDU, "6135"},
		{"00C0000035", ex.WithKc.Data + "9000"},
	}}
	c := New(sc)
	var rand, autn [16]byte
	copy(rand[:], h(t, set.RAND))
	copy(autn[:], h(t, set.AUTN))
	r, err := c.Authenticate(rand, autn)
	if err != nil {
		t.Fatal(err)
	}
	if r.Outcome != AuthSuccess || !bytes.Equal(r.RES, h(t, set.F2)) || !bytes.Equal(r.CK[:], h(t, set.F3)) ||
		!bytes.Equal(r.IK[:], h(t, set.F4)) || !r.HasKc || !bytes.Equal(r.Kc[:], h(t, set.GSM.Kc)) {
		t.Errorf("result %v does not match TS 35.208 set 1", r)
	}
	if sc.i != 2 {
		t.Errorf("%d exchanges", sc.i)
	}
}

func TestParseAuthResponseVectors(t *testing.T) {
	ex, set := loadAuth(t)
	r, err := ParseAuthResponse(h(t, ex.WithoutKc.Data))
	if err != nil || r.HasKc || !bytes.Equal(r.RES, h(t, set.F2)) {
		t.Errorf("without Kc: %v %v", r, err)
	}
	r, err = ParseAuthResponse(h(t, ex.Sync.Data))
	if err != nil || r.Outcome != AuthSyncFailure || !bytes.Equal(r.AUTS[:], h(t, set.Resync.AUTS)) {
		t.Errorf("sync failure: %v %v", r, err)
	}
	if s := fmt.Sprintf("%v %+v %#v", r, r, r); strings.Contains(s, set.F3[:8]) {
		t.Errorf("CK printed: %s", s)
	}
	for _, bad := range []string{"", "db", "db0311223310", "dc0d" + strings.Repeat("00", 14), "de00",
		ex.WithKc.Data + "00", strings.Replace(ex.WithoutKc.Data, "10b40b", "11b40b", 1)} {
		if _, err := ParseAuthResponse(h(t, bad)); !errors.Is(err, ErrBadAuthResponse) {
			t.Errorf("ParseAuthResponse(%s) = %v", bad, err)
		}
	}
}

func TestAuthenticateMACFailureWrapsSW(t *testing.T) {
	ex, set := loadAuth(t)
	sc := &script{t: t, steps: [][2]string{{ex.Command3G.APDU, ex.MAC.SW}}}
	var rand, autn [16]byte
	copy(rand[:], h(t, set.RAND))
	copy(autn[:], h(t, set.AUTN))
	_, err := New(sc).Authenticate(rand, autn)
	if !errors.Is(err, apdu.SWAuthIncorrectMAC) {
		t.Errorf("err = %v, want 9862", err)
	}
}

func TestAuthenticateGSM(t *testing.T) {
	ex, set := loadAuth(t)
	sc := &script{t: t, steps: [][2]string{{ex.CommandGSM.APDU, "610e"}, {"00c000000e", ex.GSM.Data + "9000"}}}
	var rand [16]byte
	copy(rand[:], h(t, set.RAND))
	sres, kc, err := New(sc).AuthenticateGSM(rand)
	if err != nil || !bytes.Equal(sres[:], h(t, set.GSM.SRES)) || !bytes.Equal(kc[:], h(t, set.GSM.Kc)) {
		t.Errorf("GSM: %x %v", sres, err)
	}
}

func TestExchangeResendsOn6C(t *testing.T) {
	// READ BINARY with Le=0A answered 6C09: resend with Le=09.
	sc := &script{t: t, steps: [][2]string{
		{"00b000000a", "6c09"},
		{"00b0000009", "0809101010325476989000"},
	}}
	data, sw, err := New(sc).Exchange(apdu.Command{INS: 0xB0, Ne: 10})
	if err != nil || sw != apdu.SWOK || len(data) != 9 {
		t.Errorf("%x %v %v", data, sw, err)
	}
}

func TestExchangeGetResponseKeepsChannel(t *testing.T) {
	// STATUS (class 80) on channel 1: GET RESPONSE is 01 C0.
	sc := &script{t: t, steps: [][2]string{
		{"81f2000000", "6102"},
		{"01c0000002", "abcd9000"},
	}}
	data, sw, err := New(sc).Exchange(apdu.Command{CLA: 0x81, INS: 0xF2, Ne: 256})
	if err != nil || sw != apdu.SWOK || !bytes.Equal(data, []byte{0xAB, 0xCD}) {
		t.Errorf("%x %v %v", data, sw, err)
	}
}

func TestExchangeBoundsRounds(t *testing.T) {
	steps := [][2]string{{"00c0000001", "6101"}}
	for i := 0; i < maxRounds; i++ {
		steps = append(steps, [2]string{"00c0000001", "6101"})
	}
	sc := &script{t: t, steps: steps}
	if _, _, err := New(sc).Exchange(apdu.Command{INS: 0xC0, Ne: 1}); !errors.Is(err, ErrProtocol) {
		t.Errorf("endless 61xx: %v", err)
	}
}

func TestSelectErrorWrapsStatusWord(t *testing.T) {
	sc := &script{t: t, steps: [][2]string{{"00a40004027f2000", "6a82"}}}
	_, err := New(sc).Select(0x7F20)
	if !errors.Is(err, apdu.SWFileNotFound) || err.Error() != "client: SELECT 7F20: 6A82 (file or application not found)" {
		t.Errorf("err = %v", err)
	}
}

func TestParseFCPOfRealCards(t *testing.T) {
	b, err := os.ReadFile("testdata/ef-codecs.json")
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		Selects []struct {
			ID     string `json:"id"`
			Inputs struct {
				Resp string `json:"resp_hex"`
			} `json:"inputs"`
			Expected struct {
				Decoded struct {
					FID *struct {
						Bytes string `json:"$bytes"`
					} `json:"file_identifier"`
					Size *int `json:"file_size"`
					SFI  *int `json:"short_file_identifier"`
					Name *struct {
						Bytes string `json:"$bytes"`
					} `json:"df_name"`
				} `json:"decoded"`
			} `json:"expected"`
		} `json:"select_responses"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, s := range v.Selects {
		if !strings.Contains(s.ID, "UICC") {
			// TS 51.011 GSM responses are not FCP templates.
			if _, err := ParseFCP(h(t, s.Inputs.Resp)); err == nil {
				t.Errorf("%s: GSM response accepted as FCP", s.ID)
			}
			continue
		}
		n++
		f, err := ParseFCP(h(t, s.Inputs.Resp))
		if err != nil {
			t.Errorf("%s: %v", s.ID, err)
			continue
		}
		d := s.Expected.Decoded
		if fid := h(t, d.FID.Bytes); f.FID != uint16(fid[0])<<8|uint16(fid[1]) {
			t.Errorf("%s: FID %04X", s.ID, f.FID)
		}
		if d.Size != nil && f.Size != *d.Size {
			t.Errorf("%s: size %d, want %d", s.ID, f.Size, *d.Size)
		}
		if d.SFI != nil && f.SFI != *d.SFI {
			t.Errorf("%s: SFI %d, want %d", s.ID, f.SFI, *d.SFI)
		}
		if d.Name != nil && !bytes.Equal(f.DFName, h(t, d.Name.Bytes)) {
			t.Errorf("%s: DF name %X", s.ID, f.DFName)
		}
	}
	if n != 5 {
		t.Errorf("%d UICC FCP vectors, want 5", n)
	}
}

func FuzzParseAuthResponse(f *testing.F) {
	ex, _ := loadAuth(f)
	f.Add(h(f, ex.WithKc.Data))
	f.Add(h(f, ex.WithoutKc.Data))
	f.Add(h(f, ex.Sync.Data))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := ParseAuthResponse(b)
		if err != nil {
			return
		}
		if r.Outcome == AuthSuccess && (len(r.RES) < 4 || len(r.RES) > 16) {
			t.Fatalf("RES of %d bytes accepted", len(r.RES))
		}
	})
}

func FuzzParseGSMAuthResponse(f *testing.F) {
	f.Add(h(f, "0446f8416a08eae4be823af9a08b"))
	f.Fuzz(func(t *testing.T, b []byte) {
		sres, kc, err := ParseGSMAuthResponse(b)
		if err == nil && (!bytes.Equal(sres[:], b[1:5]) || !bytes.Equal(kc[:], b[6:])) {
			t.Fatal("fields misplaced")
		}
	})
}

func FuzzParseFCP(f *testing.F) {
	f.Add(h(f, "621a82054221000e0283026fb78a01058b036f06088002001c880108"))
	f.Add(h(f, "623d8202782183027fd0840ca0000000871002ff49ff0589a50c80017183040003a7388701018a01058b032f0601c60f90017083010183018183010a83010b"))
	f.Fuzz(func(t *testing.T, b []byte) {
		fcp, err := ParseFCP(b)
		if err == nil && fcp.Descriptor.IsRecord() && fcp.Descriptor.RecordLen == 0 {
			t.Fatal("record EF with zero record length")
		}
	})
}

// replay is a transport answering each command with the next chunk of a
// fuzzed byte stream (length-prefixed), whatever the command.
type replay struct{ b []byte }

func (r *replay) Transmit(dst, _ []byte) ([]byte, error) {
	if len(r.b) == 0 {
		return append(dst, 0x90, 0x00), nil
	}
	n := int(r.b[0]) % 40
	r.b = r.b[1:]
	n = min(n, len(r.b))
	dst = append(dst, r.b[:n]...)
	r.b = r.b[n:]
	return dst, nil
}
func (r *replay) Reset(bool) ([]byte, error) { return nil, nil }
func (r *replay) Close() error               { return nil }

// FuzzExchange feeds arbitrary card answers to the client's T=0 exchange
// and typed reads: no panic, a bounded number of rounds, and either an
// error or a status word.
func FuzzExchange(f *testing.F) {
	f.Add([]byte{2, 0x61, 0x05, 7, 1, 2, 3, 4, 5, 0x90, 0x00})
	f.Add([]byte{2, 0x6C, 0x09, 11, 8, 9, 0x10, 0x10, 0x10, 0x32, 0x54, 0x76, 0x98, 0x90, 0x00})
	f.Add([]byte{1, 0x61})
	f.Fuzz(func(t *testing.T, b []byte) {
		c := New(&replay{b: b})
		_, sw, err := c.Exchange(apdu.Command{INS: 0xB0, Ne: 9})
		if err == nil && sw == 0 {
			t.Fatal("no status word and no error")
		}
		c = New(&replay{b: b})
		_, _ = c.ReadIMSI()
		c = New(&replay{b: b})
		_, _ = c.ReadMSISDN()
	})
}

// A refused command's error names the operation as the caller asked for
// it, although the name is only built on refusal.
func TestCommandErrorNamesTheOperation(t *testing.T) {
	tests := []struct {
		cmd  apdu.Command
		want string
	}{
		{apdu.Command{INS: 0xA4, P1: 0x00, P2: 0x04, Data: []byte{0x6F, 0x07}, Ne: 256}, "client: SELECT 6F07: "},
		{apdu.Command{INS: 0xA4, P1: 0x04, P2: 0x04, Data: []byte{0xA0, 0x00, 0x00, 0x00, 0x87}, Ne: 256}, "client: SELECT AID A000000087: "},
		{apdu.Command{INS: 0xB0, P1: 0x01, P2: 0x02, Ne: 10}, "client: READ BINARY at 258: "},
		{apdu.Command{INS: 0xB2, P1: 0x03, P2: 0x04, Ne: 10}, "client: READ RECORD 3: "},
		{apdu.Command{INS: 0x20, P2: 0x81, Data: make([]byte, 8)}, "client: VERIFY PIN2: "},
		{apdu.Command{INS: 0x88, P2: 0x81, Data: make([]byte, 34), Ne: 256}, "client: AUTHENTICATE 3G: "},
		{apdu.Command{INS: 0x88, P2: 0x80, Data: make([]byte, 17), Ne: 256}, "client: AUTHENTICATE GSM: "},
		{apdu.Command{CLA: 0x80, INS: 0xF2, Ne: 256}, "client: 80 F2 00 00: "},
	}
	for _, tc := range tests {
		raw, err := tc.cmd.Append(nil)
		if err != nil {
			t.Fatal(err)
		}
		c := New(&script{t: t, steps: [][2]string{{fmt.Sprintf("%X", raw), "6A82"}}})
		_, err = c.do(tc.cmd)
		var ce *CommandError
		if !errors.As(err, &ce) || !errors.Is(err, apdu.SWFileNotFound) || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%X: %v, want %q…", raw, err, tc.want)
		}
	}
}

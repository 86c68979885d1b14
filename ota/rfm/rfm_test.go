package rfm

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"testing"
)

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// card answers from a table of C-APDU → R-APDU and records what ran.
type card struct {
	answers map[string]string
	ran     []string
}

func (c *card) Exec(cmd, dst []byte) []byte {
	k := hex.EncodeToString(cmd)
	c.ran = append(c.ran, k)
	r, ok := c.answers[k]
	if !ok {
		r = "6d00"
	}
	b, _ := hex.DecodeString(r)
	return append(dst, b...)
}

// TestCompactMatchesRealCardPoRs replays the two real-card exchanges of
// the SCP80 vectors: the compact response our runner builds is the
// secured data the card put in its PoR.
func TestCompactMatchesRealCardPoRs(t *testing.T) {
	tests := []struct {
		name    string
		apdus   []string
		answers map[string]string
		por     string
	}{
		{"sysmoISIM-SJA5 SELECT MF (pySim test_ota)", []string{"00a40004023f00"},
			map[string]string{"00a40004023f00": "6132"}, "016132"},
		{"sysmoISIM-SJA2 SELECT DF.GSM + GET RESPONSE (smpp-ota-tool docs)", []string{"a0a40000027f20", "a0c0000016"},
			map[string]string{"a0a40000027f20": "9f16", "a0c0000016": "0000ffff7f2002000000000009b106350400838a838a9000"},
			"0290000000ffff7f2002000000000009b106350400838a838a"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var cmds [][]byte
			for _, a := range tc.apdus {
				cmds = append(cmds, unhex(t, a))
			}
			script, err := AppendCompact(nil, cmds...)
			if err != nil {
				t.Fatal(err)
			}
			if want := strings.Join(tc.apdus, ""); hex.EncodeToString(script) != want {
				t.Fatalf("script %x want %s", script, want)
			}
			if _, err := ParseCompact(script); err != nil {
				t.Fatal(err)
			}
			c := &card{answers: tc.answers}
			got, err := RunCompact(nil, script, c)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, unhex(t, tc.por)) {
				t.Fatalf("response %x want %s", got, tc.por)
			}
			r, err := ParseCompactResponse(got)
			if err != nil || r.Executed != len(tc.apdus) {
				t.Fatalf("%v %v", r, err)
			}
		})
	}
}

func TestCompactStopsAtFirstError(t *testing.T) {
	script := unhex(t, "00a40004026f07"+"00d6000009082905010000000010"+"00b0000009")
	c := &card{answers: map[string]string{"00a40004026f07": "6120", "00d6000009082905010000000010": "6982"}}
	got, err := RunCompact([]byte{0xEE}, script, c)
	if err != nil {
		t.Fatal(err)
	}
	if want := unhex(t, "ee 02 6982"); !bytes.Equal(got, want) {
		t.Fatalf("got %x want %x", got, want)
	}
	if len(c.ran) != 2 {
		t.Fatalf("ran %v", c.ran)
	}
}

func TestCompactCommandForms(t *testing.T) {
	// READ BINARY's P3 is Le (no data follows); DEACTIVATE FILE with P3 00
	// reaches the executor as a 4-octet case 1 command.
	script := unhex(t, "00b0000000"+"0004000000"+"00a4000c023f00")
	s, err := ParseCompact(script)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for cmd, rest, ok := s.Next(); ok; cmd, rest, ok = rest.Next() {
		got = append(got, hex.EncodeToString(cmd))
	}
	if want := []string{"00b0000000", "00040000", "00a4000c023f00"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("%v", got)
	}
	for _, bad := range []string{"00a40004", "00a4000402", "00d60000053f"} {
		if _, err := ParseCompact(unhex(t, bad)); !errors.Is(err, ErrFormat) {
			t.Errorf("%s: %v", bad, err)
		}
	}
	if _, err := AppendCompact(nil, unhex(t, "00b0000000ff")); !errors.Is(err, ErrFormat) {
		t.Errorf("READ BINARY with data accepted: %v", err)
	}
	// A truncated last command: the first still runs, then ErrFormat.
	c := &card{answers: map[string]string{"00a40004023f00": "9000"}}
	got2, err := RunCompact(nil, unhex(t, "00a40004023f00"+"00d60000"), c)
	if !errors.Is(err, ErrFormat) || !bytes.Equal(got2, unhex(t, "019000")) {
		t.Fatalf("%x %v", got2, err)
	}
}

func TestExpandedExactBytes(t *testing.T) {
	t.Run("definite AA", func(t *testing.T) {
		b, _ := AppendExpanded(nil, false, CAPDU(unhex(t, "80f24002024f0000")), CAPDU(unhex(t, "00a40004023f0000")))
		if want := "aa14220880f24002024f0000220800a40004023f0000"; hex.EncodeToString(b) != want {
			t.Fatalf("%x", b)
		}
	})
	t.Run("long C-APDU uses 81 lengths", func(t *testing.T) {
		capdu := append(unhex(t, "80f24000c3"), make([]byte, 195)...)
		b, _ := AppendExpanded(nil, false, CAPDU(capdu))
		if hex.EncodeToString(b[:6]) != "aa81cb2281c8" {
			t.Fatalf("% x", b[:6])
		}
		s, indef, err := ParseExpanded(b)
		if err != nil || indef {
			t.Fatal(err)
		}
		it, _, _ := s.Next()
		if !bytes.Equal(it.Value, capdu) {
			t.Fatal("C-APDU differs")
		}
	})
	t.Run("indefinite AE as a real SCP81 server sends it", func(t *testing.T) {
		b, _ := AppendExpanded(nil, true, CAPDU(unhex(t, "80caff2100")))
		if want := "ae80220580caff21000000"; hex.EncodeToString(b) != want {
			t.Fatalf("%x", b)
		}
		c := &card{answers: map[string]string{"80caff2100": "93059000"}}
		rsp, err := RunExpanded(nil, b, c)
		if err != nil {
			t.Fatal(err)
		}
		// AF 80 | 80 01 01 | 23 04 93 05 90 00 | 00 00
		if want := "af80800101230493059000" + "0000"; hex.EncodeToString(rsp) != want {
			t.Fatalf("%x", rsp)
		}
	})
}

func TestRunExpanded(t *testing.T) {
	script, _ := AppendExpanded(nil, false,
		Item{TagImmediateAction, []byte{0x01}},
		CAPDU(unhex(t, "00a40004026f07")),
		CAPDU(unhex(t, "00b0000009")),
		CAPDU(unhex(t, "00d6000001ff")),
		CAPDU(unhex(t, "00b0000001")))
	c := &card{answers: map[string]string{
		"00a40004026f07": "6120",
		"00b0000009":     "0829020100000000109000",
		"00d6000001ff":   "6982",
	}}
	rsp, err := RunExpanded(nil, script, c)
	if err != nil {
		t.Fatal(err)
	}
	want := "ab18" + "800103" + "23026120" + "230b0829020100000000109000" + "23026982"
	if hex.EncodeToString(rsp) != want {
		t.Fatalf("got  %x\nwant %s", rsp, want)
	}
	r, err := ParseExpandedResponse(rsp)
	if err != nil || r.Executed != 3 || len(r.Responses) != 3 {
		t.Fatalf("%+v %v", r, err)
	}
	if last, _ := r.Last(); last.SW != 0x6982 {
		t.Fatalf("last %+v", last)
	}
	// A response longer than 127 octets gets an 81 length, AB too.
	big := &card{answers: map[string]string{"00b00000c8": strings.Repeat("aa", 200) + "9000"}}
	s2, _ := AppendExpanded(nil, false, CAPDU(unhex(t, "00b00000c8")))
	rsp, _ = RunExpanded(nil, s2, big)
	if hex.EncodeToString(rsp[:9]) != "ab81d08001012381ca" {
		t.Fatalf("% x", rsp[:9])
	}
	if r, err := ParseExpandedResponse(rsp); err != nil || len(r.Responses[0].Data) != 200 {
		t.Fatal(err)
	}
}

func TestExpandedBadFormat(t *testing.T) {
	tests := []struct {
		name, script string
		code         byte
	}{
		{"unknown tag", "aa03990100", BadFormatUnknownTag},
		{"item longer than the template", "aa0422050000", BadFormatWrongLength},
		{"template length wrong", "aa05220100", BadFormatWrongLength},
		{"length missing", "aa0122", BadFormatLengthMissing},
		{"not a scripting template", "ab00", BadFormatUnknownTag},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := &card{}
			rsp, err := RunExpanded(nil, unhex(t, tc.script), c)
			var fe *FormatError
			if !errors.As(err, &fe) || fe.Code != tc.code || !errors.Is(err, ErrFormat) {
				t.Fatalf("err %v", err)
			}
			if want := fmt.Sprintf("ab068001009001%02x", tc.code); hex.EncodeToString(rsp) != want {
				t.Fatalf("response %x want %s", rsp, want)
			}
			if len(c.ran) != 0 {
				t.Fatal("a command of a malformed script ran")
			}
			r, err := ParseExpandedResponse(rsp)
			if err != nil || r.BadFormat != tc.code || r.Executed != 0 {
				t.Fatalf("%+v %v", r, err)
			}
		})
	}
}

func ExampleRunCompact() {
	script, _ := AppendCompact(nil, []byte{0x00, 0xA4, 0x00, 0x04, 0x02, 0x6F, 0x07}, []byte{0x00, 0xB0, 0x00, 0x00, 0x09})
	card := ExecFunc(func(cmd, dst []byte) []byte {
		if cmd[1] == 0xB0 {
			return append(dst, 0x08, 0x29, 0x02, 0x01, 0, 0, 0, 0, 0x10, 0x90, 0x00)
		}
		return append(dst, 0x90, 0x00)
	})
	rsp, _ := RunCompact(nil, script, card)
	r, _ := ParseCompactResponse(rsp)
	fmt.Printf("%X\n%v\n", rsp, r)
	// Output:
	// 029000082902010000000010
	// 2 executed, last SW 9000, 9 data octets
}

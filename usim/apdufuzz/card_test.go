package apdufuzz

import (
	"encoding/hex"
	"strings"
	"testing"

	"github.com/uiccsim/uiccsim/usim"
	"github.com/uiccsim/uiccsim/usim/profile"
)

// The full card: the usim package's UICC with its USIM, built from the
// default profile (PIN1 1234, PUK1 12345678, PIN2 5678, ADM1 88888888).

func fullCard(tb testing.TB) func() Target {
	p := profile.Default()
	return func() Target {
		c, err := usim.New(p)
		if err != nil {
			tb.Fatal(err)
		}
		return c
	}
}

func hexAPDUs(tb testing.TB, s ...string) [][]byte {
	out := make([][]byte, len(s))
	for i, x := range s {
		b, err := hex.DecodeString(strings.ReplaceAll(x, " ", ""))
		if err != nil {
			tb.Fatal(err)
		}
		out[i] = b
	}
	return out
}

// fullCardConfig aims at the UICC and USIM commands of ETSI TS 102 221
// §10.1.2 and 3GPP TS 31.102 §7 with the default profile's secrets, a
// start-up script and a PIN script as seeds, PIN counters checked and the
// PIN cells (written through) exempt from the torn-command comparison.
func fullCardConfig(tb testing.TB) Config {
	aid := "A0000000871002FFFFFFFF8907090000"
	pin1 := "31323334FFFFFFFF"
	return Config{
		INS: []byte{0xA4, 0xB0, 0xD6, 0xB2, 0xDC, 0xA2, 0x32, 0xF2, 0x20, 0x24, 0x26, 0x28, 0x2C,
			0x88, 0x84, 0x44, 0x04, 0x70, 0x10, 0xC2, 0x12, 0x14},
		Secrets: [][]byte{[]byte("1234\xFF\xFF\xFF\xFF"), []byte("12345678"), []byte("5678\xFF\xFF\xFF\xFF"),
			[]byte("88888888"), {0x3F, 0x00}, {0x7F, 0xFF}, {0x6F, 0x07}, {0x2F, 0xE2}, {0x6F, 0x7E}},
		PINs:       true,
		PINRefs:    []byte{0x01, 0x81, 0x0A, 0x11},
		PowerLoss:  true,
		TornExempt: []string{"pin.01", "pin.81", "pin.0A", "pin.11"},
		AIDs:       [][]byte{hexAPDUs(tb, aid)[0]},
		Scripts: [][][]byte{
			hexAPDUs(tb, // pySim-style start-up: MF, ICCID, EF_DIR, USIM, PIN1, IMSI, LOCI update
				"00A40004023F00", "00C0000000", "00A40004022FE2", "00B000000A",
				"00A4000C022F00", "00B2010400",
				"00A4040410"+aid, "80F2000C00", "0020000108"+pin1,
				"00A40004026F07", "00B0000009", "00A4000C026F7E", "00D600000BFFFFFFFF00F110FFFE0001"),
			hexAPDUs(tb, // PIN1 until blocked, then UNBLOCK with PUK1 and VERIFY
				"00A4040410"+aid, "00200001", "002000010831313131FFFFFFFF", "00200001",
				"002000010831313131FFFFFFFF", "002000010831313131FFFFFFFF", "00200001", "0020000108"+pin1,
				"002C0001", "002C0001103132333435363738"+pin1, "00200001", "0020000108"+pin1),
			hexAPDUs(tb, // CHANGE, DISABLE, ENABLE PIN1; logical channel 1 with the USIM
				"0024000110"+pin1+"35353535FFFFFFFF", "00260001083535353535FFFFFF", "0028000108"+"35353535FFFFFFFF",
				"0070000001", "01A4040410"+aid, "01B0000009", "01A40004026F07", "01B0000009", "00708001"),
		},
	}
}

// TestFullCardKeepsInvariants plays the seeds and random sessions against
// the full card: every answer a valid SW within Ne, rejected commands and
// resets change nothing, torn commands roll back, PIN counters move by
// the rules.
func TestFullCardKeepsInvariants(t *testing.T) {
	fz := New(fullCard(t), fullCardConfig(t))
	inputs := append(fz.SeedInputs(), randomInputs(3, 1500)...)
	var all strings.Builder
	for _, in := range inputs {
		s := play(fz, in)
		if s.v != nil {
			t.Fatal(s.v)
		}
		all.WriteString(s.log.String())
	}
	got := all.String()
	for _, want := range []string{"< 63C2", "< 63C0", "< 6983", "restart after the power loss", "< 6C", "< 61"} {
		if !strings.Contains(got, want) {
			t.Errorf("no session shows %q", want)
		}
	}
}

// FuzzFullCard fuzzes the whole UICC/USIM.
func FuzzFullCard(f *testing.F) {
	Fuzz(f, fullCard(f), fullCardConfig(f))
}

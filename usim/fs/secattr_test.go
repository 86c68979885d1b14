package fs

import (
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"github.com/uiccsim/uiccsim/usim/store"
)

// secAttrEFs are EFs of ADF.USIM (application PIN: PIN1) with the
// security attribute formats of TS 102 221 §11.1.1.4.7 other than the
// short 8B form; the compact values are the examples of the clause.
var secAttrEFs = []struct {
	fid  FileID
	spec Spec
	do   string // the DO expected in the FCP
}{
	{0x6FA1, Spec{Compact: hx("0100")}, "8C020100"},                                                          // read ALW
	{0x6FA2, Spec{Compact: hx("031000")}, "8C03031000"},                                                      // update PIN (user auth), read ALW
	{0x6FA3, Spec{Compact: hx("8100")}, "8C028100"},                                                          // AM byte with b8=1: unsupported, denies
	{0x6FA4, Spec{Compact: hx("039030")}, "8C03039030"},                                                      // update: all of (PIN); read: any of (ext auth, PIN)
	{0x6FA5, Spec{Compact: hx("03B000")}, "8C0303B000"},                                                      // update: all of (ext auth, PIN): never here
	{0x6FA6, Spec{Expanded: hx("8001019000800102A406830181950108")}, "AB108001019000800102A406830181950108"}, // read ALW, update PIN2
	{0x6FA7, Spec{ARR: ARRRef{FID: 0x6F06}, ARRBySE: []SERule{{SE: 1, Record: 2}, {SE: 0, Record: 1}}}, "8B066F0601020001"},
}

// addSecAttrEFs adds secAttrEFs (4-byte transparent EFs) to the test card.
func addSecAttrEFs(t testing.TB, c *testCard) []Node {
	t.Helper()
	var ns []Node
	for _, e := range secAttrEFs {
		s := e.spec
		s.FID, s.Size, s.Data = e.fid, 4, hx("01020304")
		n, err := c.fs.AddEF(c.adf, s)
		if err != nil {
			t.Fatal(err)
		}
		ns = append(ns, n)
	}
	return ns
}

// TestSecurityAttributeFormatsInFCP: the FCP carries the 8C, AB or long
// 8B DO in place of the short 8B, before C6 (TS 102 221 §11.1.1.3), and
// an image reopened with Open gives the same FCPs.
func TestSecurityAttributeFormatsInFCP(t *testing.T) {
	c := buildCard(t, Options{})
	ns := addSecAttrEFs(t, c)
	for i, e := range secAttrEFs {
		fcp := strings.ToUpper(hex.EncodeToString(c.fs.AppendFCP(nil, ns[i])))
		if !strings.Contains(fcp, "8A0105"+e.do+"C6") {
			t.Errorf("%s: FCP %s lacks 8A0105 %s C6", e.fid, fcp, e.do)
		}
	}
	st, err := store.ParseImage(c.st.AppendImage(nil))
	if err != nil {
		t.Fatal(err)
	}
	f2, err := Open(st, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range ns {
		a, b := c.fs.AppendFCP(nil, ns[i]), f2.AppendFCP(nil, ns[i])
		if hex.EncodeToString(a) != hex.EncodeToString(b) {
			t.Errorf("reopened FCP % X, was % X", b, a)
		}
	}
}

// TestSecurityAttributeFormatsGrantAccess runs READ/UPDATE BINARY on the
// secAttrEFs with PIN1 disabled (SE 00, user authentication holds) and
// enabled (SE 01, PIN1 needed) and PIN2 verified or not.
func TestSecurityAttributeFormatsGrantAccess(t *testing.T) {
	c := buildCard(t, Options{})
	addSecAttrEFs(t, c)
	sel := func(fid string) step { return step{"00A4000C02" + fid, "9000"} }
	c.run(t, []step{
		{selUSIM, "9000"},
		sel("6FA1"), {"00B0000004", "01020304 9000"}, {"00D6000001AA", "6982"},
		sel("6FA2"), {"00D6000001AA", "9000"}, // PIN1 disabled: user authentication holds
		sel("6FA3"), {"00B0000004", "6982"},
		sel("6FA4"), {"00B0000004", "01020304 9000"}, {"00D6000001BB", "9000"},
		sel("6FA5"), {"00D6000001AA", "6982"}, {"00B0000004", "01020304 9000"},
		sel("6FA6"), {"00B0000004", "01020304 9000"}, {"00D6000001AA", "6982"},
		{verifyPIN2, "9000"}, {"00D6000001AA", "9000"},
		sel("6FA7"), {"00B0000004", "01020304 9000"}, // SE 00: record 1, read ALW
		{"0028000108 31323334FFFFFFFF", "9000"}, // ENABLE PIN1 (verifies it)
	})
	if _, err := c.rt.Reset(true); err != nil {
		t.Fatal(err)
	}
	c.run(t, []step{
		{selUSIM, "9000"},
		sel("6FA7"), {"00B0000004", "6982"}, // SE 01: record 2, read PIN1
		sel("6FA2"), {"00D6000001CC", "6982"}, {"00B0000004", "AA020304 9000"},
		sel("6FA4"), {"00B0000004", "6982"},
		{"0020000108 31323334FFFFFFFF", "9000"},
		{"00B0000004", "BB020304 9000"},
		sel("6FA2"), {"00D6000001CC", "9000"},
		sel("6FA7"), {"00B0000004", "01020304 9000"},
	})
}

// TestSecurityAttributeSpecRejected: Spec checks of the formats.
func TestSecurityAttributeSpecRejected(t *testing.T) {
	c := buildCard(t, Options{})
	for i, s := range []Spec{
		{Compact: hx("0100"), Expanded: hx("8001019000")},
		{Compact: hx("0100"), ARR: arrADF(1)},
		{Compact: hx("01")},
		{Compact: hx("010000000000000000")},
		{Expanded: []byte{}},
		{ARRBySE: []SERule{{1, 2}}},                                      // no EF_ARR FID
		{ARR: ARRRef{FID: 0x6F06}, ARRBySE: []SERule{{1, 2}, {1, 3}}},    // SE twice
		{ARR: ARRRef{FID: 0x6F06}, ARRBySE: []SERule{{1, 0}}},            // record 0
		{ARR: ARRRef{FID: 0x6F06, Record: 1}, ARRBySE: []SERule{{1, 2}}}, // short and long
	} {
		s.FID, s.Size = FileID(0x6FB0+i), 1
		if _, err := c.fs.AddEF(c.adf, s); !errors.Is(err, ErrBadSpec) {
			t.Errorf("spec %d: %v, want ErrBadSpec", i, err)
		}
	}
}

// TestCompactAllowed evaluates compact rules directly (ISO/IEC 7816-4
// §7.4.3): SC bytes follow the AM bits from b7 down to b1.
func TestCompactAllowed(t *testing.T) {
	for _, c := range []struct {
		rule string
		mode Access
		held keys
		want bool
	}{
		{"0100", AccessRead, nil, true},
		{"0100", AccessUpdate, nil, false},
		{"031000", AccessUpdate, nil, false},
		{"031000", AccessUpdate, keys{KeyPIN1}, true},
		{"031000", AccessRead, nil, true},
		{"4300FF10", AccessDelete, nil, true},  // b7 DELETE: first SC
		{"4300FF10", AccessUpdate, nil, false}, // b2: second SC, never
		{"4300FF10", AccessRead, keys{KeyPIN1}, true},
		{"4300FF", AccessRead, keys{KeyPIN1}, false}, // SC byte missing
		{"0140", AccessRead, keys{KeyPIN1}, false},   // secure messaging
		{"0130", AccessRead, keys{KeyPIN1}, true},    // any of ext auth, PIN
		{"01B0", AccessRead, keys{KeyPIN1}, false},   // all of ext auth, PIN
		{"0101", AccessRead, keys{KeyPIN1}, false},   // SE number only
		{"", AccessRead, nil, false},
	} {
		if got := compactAllowed(hx(c.rule), c.mode, KeyPIN1, c.held); got != c.want {
			t.Errorf("compact %s %s %v = %t, want %t", c.rule, c.mode, c.held, got, c.want)
		}
	}
}

// FuzzCompactAllowed: any compact rule evaluates without panicking, and
// holding more keys never takes access away (the SC conditions have no
// negation).
func FuzzCompactAllowed(f *testing.F) {
	for _, e := range secAttrEFs {
		if e.spec.Compact != nil {
			f.Add(e.spec.Compact, byte(AccessUpdate))
		}
	}
	f.Add(hx("4300FF10"), byte(AccessRead))
	f.Fuzz(func(t *testing.T, rule []byte, mode byte) {
		few := compactAllowed(rule, Access(mode), KeyPIN1, keys{})
		many := compactAllowed(rule, Access(mode), KeyPIN1, keys{KeyPIN1})
		if few && !many {
			t.Fatalf("compact % X grants %s without PIN1 but not with it", rule, Access(mode))
		}
	})
}

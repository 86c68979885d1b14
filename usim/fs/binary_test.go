package fs

import (
	"fmt"
	"strings"
	"testing"

	"github.com/uiccsim/uiccsim/usim/jc"
)

const selUSIM = "00A4040C0CA0000000871002FF49FF0589"

func TestReadUpdateBinary(t *testing.T) {
	c := buildCard(t, Options{})
	c.run(t, []step{
		{"00B0000001", "6986"}, // no current EF
		{selUSIM, "9000"},
		{"00B0000001", "6986"},
		{"00A4000C026F07", "9000"},
		{"00B0000009", "082910101032547698 9000"}, // read PIN1: disabled, so granted
		{"00B0000403", "103254 9000"},
		{"00B0000801", "98 9000"},
		{"00B0000901", "6B00"}, // offset = file size: 6B00, not 6C00
		{"00B0100001", "6B00"},
		{"00B0000400", "1032547698 9000"}, // Le=00: the rest of the file
		{"00B000000A", "6C09"},            // T=0: Le longer than the file
		{"00B00000", "6109"},              // case 1: up to 256, via GET RESPONSE
		{"00C0000009", "082910101032547698 9000"},
		{"00B0000001AA", "6700"},      // data on a read (case 3)
		{"00B0870003", "082910 9000"}, // SFI 7 in the ADF
		{"00B0880001", "6A82"},        // SFI 8 unknown
		{"00B0A70001", "6A86"},        // P1 b7..b6 not 00
		{"00B0800001", "6A86"},        // SFI 0
		{"00D6000001FF", "6982"},      // update needs ADM1
		{"0020000A083838383838383838", "9000"},
		{"00D600000211", "6700"}, // Lc=2 but one byte: malformed
		{"00D60000021122", "9000"},
		{"00D6000802AABB", "6700"}, // runs past the end
		{"00D6000901AA", "6B00"},   // offset at the end
		{"00D60000", "6700"},       // no data
		{"00D68704013F", "9000"},   // by SFI
		{"00B0000009", "11221010 3F 32547698 9000"},
		{"00A4000C026FB7", "9000"},
		{"00B0000001", "6981"}, // a record EF
		{"00D6000001AA", "6981"},
		{"80B0000001", "6E00"},
	})
	c.rt.SetT1(true)
	c.run(t, []step{
		{"00A4000C026F07", "9000"},
		{"00B000000A", "11221010 3F 32547698 6282"}, // T=1: fewer bytes than Le, 6282
		{"00B0000004", "11221010 9000"},
		{"00B00000", "9000"}, // T=1 case 1: no data returned
	})
}

func TestFileLifeCycle(t *testing.T) {
	c := buildCard(t, Options{})
	c.run(t, []step{
		{selUSIM, "9000"},
		{"0004000000", "6986"}, // no current EF
		{"00A4000C026F3C", "9000"},
		{"00040000", "9000"},       // EF.SMS: (de)activate ALW
		{"00A40004026F3C", "6283"}, // warning, FCP kept for GET RESPONSE
		{"00C0000000", "622A 82054221000404 83026F3C 8A0104 8B036F0607 C60F900170830101830181 83010A83010B 80020010 8800 9000"},
		{"00B2010404", "6283"}, // not available while deactivated
		{"00DC01040411223344", "6283"},
		{"0004000000", "9000"}, // already deactivated: no change needed
		{"0044000000", "9000"},
		{"0044000002 6F3C", "9000"},
		{"0004000002 6F07", "6982"}, // EF.IMSI: ADM1
		{"0004000002 9999", "6A82"},
		{"0004000002 5F3B", "6981"}, // not an EF
		{"0004010000", "6A86"},
		{"0004000100", "6A86"},
		{"00A4000C026F3C", "9000"},
		{"0004000000", "9000"},
		{"00A4080C047FFF6F07", "9000"},
		{"0044090002 6F3C", "9000"}, // by path from the current DF
		{"00B2010404", "6982"},      // active again; read needs PIN2
	})
	info, _ := c.fs.Info(c.sms)
	if info.LCSI != LCSIActivated {
		t.Fatalf("LCSI %s", info.LCSI)
	}
}

func TestGetChallengeAndMisc(t *testing.T) {
	c := buildCard(t, Options{})
	r1 := c.xfer(t, "0084000008")
	r2 := c.xfer(t, "0084000008")
	if len(r1) != 20 || r1[16:] != "9000" || r1 == r2 {
		t.Fatalf("GET CHALLENGE %s %s", r1, r2)
	}
	if r := c.xfer(t, "0084000000"); len(r) != 2*256+4 {
		t.Fatalf("Le=00: %d hex digits", len(r))
	}
	c.run(t, []step{
		{"00840000", "6700"},
		{"0084010008", "6A86"},
		{"8084000008", "6E00"},
		{"00FE000000", "6D00"},
		{"80AA000005A903800101", "9000"}, // TERMINAL CAPABILITY (the runtime's)
		{"80AA0000", "6700"},
		{"00AA000005A903800101", "6D00"},
		{"80F2030000", "6A86"},
		{"80F2000200", "6A86"},
		{"80F200000100", "6700"}, // STATUS with data
		{"80F2010C00", "9000"},
	})
}

// Remote APDUs (jc.Runtime.Exec) run on their own channel with the remote
// access domain, not the terminal's verifications.
func TestRemoteExec(t *testing.T) {
	c := buildCard(t, Options{})
	var got []string
	exec := func(ctx *jc.Context, cmds ...string) {
		for _, s := range cmds {
			r, err := ctx.Runtime().Exec(nil, hx(s))
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, fmt.Sprintf("%X", r))
		}
	}
	c.rt.SetEnvelopeHandler(func(ctx *jc.Context, data []byte) error {
		exec(ctx, "00A4080C047FFF6F07", selUSIM, "00A4000C026F07", "00D6000001AA", "00B0000001")
		return nil
	})
	c.run(t, []step{
		{"0020000A083838383838383838", "9000"}, // the terminal's ADM1 does not count remotely
		{"80C2000001D1", "9000"},
	})
	if s := strings.Join(got, ","); s != "6A82,9000,9000,6982,089000" {
		t.Fatalf("remote answers %s", s)
	}
	got = nil
	c.fs.SetRemoteAccess(false, KeyADM1)
	c.run(t, []step{{"80C2000001D1", "9000"}})
	if s := strings.Join(got, ","); s != "9000,9000,9000,9000,AA9000" { // the remote channel kept its ADF
		t.Fatalf("remote answers with ADM1 rights %s", s)
	}
	if df, ef := c.fs.Current(0); df != 0 || ef != NoNode {
		t.Fatal("remote selections moved channel 0")
	}
	c.fs.SetRemoteAccess(true)
	got = nil
	c.rt.SetEnvelopeHandler(func(ctx *jc.Context, data []byte) error {
		exec(ctx, "00A4080C047FFF6F07", "00A4080C022FE2", "00D6000001AA") // 2FE2 update is NEV
		return nil
	})
	c.run(t, []step{{"80C2000001D1", "9000"}})
	if s := strings.Join(got, ","); s != "9000,9000,6982" {
		t.Fatalf("full access answers %s", s)
	}
}

// Responses longer than one short APDU: extended Le on T=1, 256-byte
// chunks and GET RESPONSE on T=0.
func TestLongResponses(t *testing.T) {
	c := buildCard(t, Options{})
	data := make([]byte, 300)
	for i := range data {
		data[i] = byte(i)
	}
	if _, err := c.fs.AddEF(c.adf, Spec{FID: 0x6F60, Name: "big", Size: 300, Data: data, ARR: arrADF(9)}); err != nil {
		t.Fatal(err)
	}
	c.run(t, []step{{selUSIM, "9000"}, {"00A4000C026F60", "9000"}})
	hexOf := func(b []byte) string { return fmt.Sprintf("%X", b) }
	// T=0, extended Le 0000 (65536): the first 256 bytes, then 61 2C.
	c.run(t, []step{
		{"00B00000000000", hexOf(data[:256]) + "612C"},
		{"00C000002C", hexOf(data[256:]) + "9000"},
		{"00B000000000FF", hexOf(data[:255]) + "9000"}, // READ BINARY reads Le bytes
		{"00B0010000", hexOf(data[256:]) + "9000"},
	})
	c.rt.SetT1(true)
	c.run(t, []step{
		{"00B00000000000", hexOf(data) + "9000"},
		{"00B00000000100", hexOf(data[:256]) + "9000"},
		{"00B0010000", hexOf(data[256:]) + "9000"},
	})
}

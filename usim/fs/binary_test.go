package fs

import "testing"

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
		{"80AA000003A10101", "9000"}, // TERMINAL CAPABILITY
		{"80AA0000", "6700"},
		{"00AA000003A10101", "6E00"},
		{"80F2030000", "6A86"},
		{"80F2000200", "6A86"},
		{"80F200000100", "6700"}, // STATUS with data
		{"80F2010C00", "9000"},
	})
}

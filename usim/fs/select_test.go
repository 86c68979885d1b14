package fs

import (
	"strings"
	"testing"
)

const (
	mfFCP   = "621E82027821 83023F00 8A0105 8B032F0601 C60C900160830101 83010A83010B"
	dirFCP  = "6228 82054221002303 83022F00 8A0105 8B032F0601 C60C900160830101 83010A83010B 80020069 8801F0"
	adfFCP  = "622F82027821 83027FD0 840CA0000000871002FF49FF0589 8A0105 8B032F0601 C60F900170830101830181 83010A83010B"
	imsiFCP = "6228 82024121 83026F07 8A0105 8B036F060A C60F900170830101830181 83010A83010B 80020009 880138"
)

// The start-up sequence of pySim-shell (../shared/notes/pc-sc-tool-startup.md)
// on T=0, answered as a real UICC answers it.
func TestPySimStartup(t *testing.T) {
	c := buildCard(t, Options{})
	c.run(t, []step{
		{"00A40004023F0000", "6120"}, // case 4 on T=0: 61xx
		{"00C0000020", mfFCP + "9000"},
		{"00A40004022F0000", "612A"},
		{"00C000002A", dirFCP + "9000"}, // LCSI 05, tags 80 and 82 present
		{"00B2010423", "61194F10A0000000871002FFFFFFFF890709000050055553696D31FFFFFFFFFFFFFFFF9000"},
		{"00A4040410A0000005591010FFFFFFFF8900000100", "6A82"}, // SGP.32 ISD-R probe
		{"00A4040409A00000015141434C0000", "6A82"},             // ARA-M
		{"00A4040408A00000000300000000", "6A82"},               // ISD
		{"00A40004027F2000", "6A82"},                           // add-on probes
		{"00A40004027FE000", "6A82"},
		{"00A40004023F0000", "6120"},
		{"00A40004022FE200", "6127"},
		{"00B000000A", "98103254769810325476 9000"},
		{"80F20000", "6120"}, // case-1 STATUS (4 bytes via vpcd)
		{"00C0000000", mfFCP + "9000"},
		{"80F2000000", mfFCP + "9000"}, // Le=00 answers what is available
		{"80F2000001", "6C20"},         // short Le: 6Cxx, not 6700
		{"80F2000C00", "9000"},
	})
}

func TestSelect(t *testing.T) {
	c := buildCard(t, Options{})
	c.run(t, []step{
		{"00A4000C027FFF", "6A82"}, // no current application
		{"80F2000100", "6A88"},
		{"00A4040407A0000000871002", "6131"}, // partial AID of ADF.USIM
		{"00C0000031", adfFCP + "9000"},
		{"80F2000100", "840CA0000000871002FF49FF0589 9000"},
		{"00A40004026F07", "612A"},
		{"00C000002A", imsiFCP + "9000"},
		{"00A4000C027FFF", "9000"}, // current ADF
		{"00A4000C027FD0", "9000"}, // current DF by its own FID
		{"00A4000C025F3B", "9000"}, // child DF
		{"00A4000C025F3B", "9000"}, // the current DF again
		{"00A4000C024F20", "9000"}, // child EF
		{"00A4000C026F07", "6A82"}, // an EF of the parent is not in the search order
		{"00A4000C027FD0", "9000"}, // the parent
		{"00A4010C025F3B", "9000"}, // P1=01 child DF
		{"00A4030C", "9000"},       // parent: ADF
		{"80F2000000", adfFCP + "9000"},
		{"00A4030C", "9000"},           // parent of the ADF: MF
		{"00A4030C", "6A82"},           // the MF has no parent
		{"00A4010C026F07", "6A82"},     // P1=01 wants a DF
		{"00A4080C047FFF6F07", "9000"}, // path from MF via the current ADF
		{"00A4080C043F002FE2", "9000"}, // a leading 3F00 is tolerated
		{"00A4080C022FE2", "9000"},
		{"00A4080C027FD0", "6A82"},         // an ADF is not a child of the MF
		{"00A4080C047FFF5F3B4F20", "6700"}, // Lc=04 but 6 bytes: malformed
		{"00A4080C067FFF5F3B4F20", "9000"},
		{"00A4080C062FE25F3B4F20", "6A82"}, // path through an EF
		{"00A4000C027FFF", "9000"},
		{"00A4090C045F3B4F20", "9000"}, // path from the current DF
		{"00A4090C035F3B4F", "6700"},   // odd path
		{"00A4000502 3F00", "6A86"},    // P2 RFU
		{"00A4020C023F00", "6A86"},     // P1 RFU
		{"00A4000C013F", "6700"},
		{"00A4000C", "6700"},
		{"80A4000C023F00", "6E00"},
		{"00A4030C3F00", "6700"}, // a 3F00 byte pair is Lc=3F: malformed
	})
}

// Failed selections leave the current DF and EF alone.
func TestSelectFailureKeepsCurrentFiles(t *testing.T) {
	c := buildCard(t, Options{})
	c.run(t, []step{
		{"00A4040C0CA0000000871002FF49FF0589", "9000"},
		{"00A4000C026F07", "9000"},
		{"00A4000C029999", "6A82"},
		{"00A4080C043F009999", "6A82"},
		{"00B0000009", "082910101032547698 9000"},
	})
	df, ef := c.fs.Current(0)
	if df != c.adf || ef != c.imsiEF {
		t.Fatalf("current DF %d EF %d", df, ef)
	}
}

func TestChannelsKeepTheirOwnFiles(t *testing.T) {
	c := buildCard(t, Options{})
	c.run(t, []step{
		{"00A4040C0CA0000000871002FF49FF0589", "9000"},
		{"00A4000C026F07", "9000"},
		{"0070000001", "01 9000"},
		{"01B0000001", "6986"}, // channel 1 starts at the MF, no EF
		{"01A4000C022FE2", "9000"},
		{"01B0000001", "98 9000"},
		{"00B0000001", "08 9000"},  // channel 0 still on EF.IMSI
		{"01A4000C027FFF", "6A82"}, // channel 1 has no application
		{"0070000001", "02 9000"},  // opened from channel 0 again
		{"0170000001", "03 9000"},  // from channel 1: inherits its DF (MF)
		{"03A4000C022FE2", "9000"},
		{"00707000", "6A86"},
		{"0070800100", "9000"},
		{"01B0000001", "6881"},
	})
	if got := c.xfer(t, "4AA4000C023F00"); got != "6881" { // channel 14 never opened
		t.Fatal(got)
	}
	if !strings.HasPrefix(c.xfer(t, "00B0000001"), "08") {
		t.Fatal("channel 0 lost its EF")
	}
}

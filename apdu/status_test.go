package apdu

import (
	"bytes"
	"errors"
	"fmt"
	"testing"
)

// The status words of ETSI TS 102 221 §10.2.1 (and the ISO/IEC 7816-4 §5.6
// ones UICCs return), each with the wording String must give.
func TestStatusWordString(t *testing.T) {
	tests := []struct {
		sw   StatusWord
		want string
	}{
		{0x9000, "9000 (normal ending)"},
		{0x6110, "6110 (normal ending, 16 response bytes available (GET RESPONSE))"},
		{0x6100, "6100 (normal ending, 256 response bytes available (GET RESPONSE))"},
		{0x6C05, "6C05 (wrong Le, 5 bytes available)"},
		{0x6C00, "6C00 (wrong Le, 256 bytes available)"},
		{0x911A, "911A (normal ending, proactive command of 26 bytes pending)"},
		{0x9201, "9201 (normal ending, extra information concerning an ongoing data transfer session)"},
		{0x9300, "9300 (SIM Application Toolkit is busy)"},
		{0x9F22, "9F22 (34 response bytes available (GSM GET RESPONSE))"},
		{0x9E10, "9E10 (16 response bytes available after SIM data download error)"},
		{0x6200, "6200 (warning, no information given, state unchanged)"},
		{0x6281, "6281 (warning, part of returned data may be corrupted)"},
		{0x6282, "6282 (warning, end of file/record reached before reading Le bytes)"},
		{0x6283, "6283 (warning, selected file invalidated)"},
		{0x6284, "6284 (warning, selected file in termination state)"},
		{0x62F1, "62F1 (warning, more data available)"},
		{0x62F2, "62F2 (warning, more data available and proactive command pending)"},
		{0x62F3, "62F3 (warning, response data available)"},
		{0x6299, "6299 (warning, state unchanged)"},
		{0x6300, "6300 (warning, no information given, state changed)"},
		{0x63C3, "63C3 (verification failed, 3 retries left)"},
		{0x63C0, "63C0 (verification failed, 0 retries left)"},
		{0x63F1, "63F1 (warning, more data expected)"},
		{0x63F2, "63F2 (warning, more data expected and proactive command pending)"},
		{0x6400, "6400 (execution error, no information given, state unchanged)"},
		{0x6500, "6500 (execution error, no information given, state changed)"},
		{0x6581, "6581 (memory problem)"},
		{0x6700, "6700 (wrong length)"},
		{0x6701, "6701 (wrong length (command-dependent diagnosis))"},
		{0x6800, "6800 (functions in CLA not supported, no information given)"},
		{0x6881, "6881 (logical channel not supported)"},
		{0x6882, "6882 (secure messaging not supported)"},
		{0x6900, "6900 (command not allowed, no information given)"},
		{0x6981, "6981 (command incompatible with file structure)"},
		{0x6982, "6982 (security status not satisfied)"},
		{0x6983, "6983 (authentication/PIN method blocked)"},
		{0x6984, "6984 (referenced data invalidated)"},
		{0x6985, "6985 (conditions of use not satisfied)"},
		{0x6986, "6986 (command not allowed (no EF selected))"},
		{0x6A80, "6A80 (incorrect parameters in the data field)"},
		{0x6A81, "6A81 (function not supported)"},
		{0x6A82, "6A82 (file or application not found)"},
		{0x6A83, "6A83 (record not found)"},
		{0x6A84, "6A84 (not enough memory space)"},
		{0x6A86, "6A86 (incorrect parameters P1 to P2)"},
		{0x6A87, "6A87 (Lc inconsistent with P1 to P2)"},
		{0x6A88, "6A88 (referenced data not found)"},
		{0x6A89, "6A89 (file already exists)"},
		{0x6B00, "6B00 (wrong parameter(s) P1-P2)"},
		{0x6D00, "6D00 (instruction code not supported or invalid)"},
		{0x6E00, "6E00 (class not supported)"},
		{0x6F00, "6F00 (technical problem, no precise diagnosis)"},
		{0x6F42, "6F42 (technical problem (command-dependent diagnosis))"},
		{0x9850, "9850 (INCREASE cannot be performed, maximum value reached)"},
		{0x9862, "9862 (authentication error, incorrect MAC)"},
		{0x9863, "9863 (authentication error, security session or association expired)"},
		{0x9864, "9864 (authentication error, security context not supported)"},
		{0x9865, "9865 (key freshness failure)"},
		{0x9804, "9804 (security management error)"},
		{0x1234, "1234 (unknown status)"},
	}
	for _, tc := range tests {
		if got := tc.sw.String(); got != tc.want {
			t.Errorf("StatusWord(%04X).String() = %q, want %q", uint16(tc.sw), got, tc.want)
		}
		if tc.sw.Error() != tc.want {
			t.Errorf("Error() differs from String() for %04X", uint16(tc.sw))
		}
	}
}

// Every named constant has its own wording: none falls through to the SW1
// default, and String always starts with the four hex digits.
func TestStatusWordConstantsNamed(t *testing.T) {
	for sw, m := range swNames {
		if m == "" {
			t.Errorf("%04X has an empty name", uint16(sw))
		}
		if got := sw.String(); got[:4] != fmt.Sprintf("%04X", uint16(sw)) {
			t.Errorf("String() = %q does not start with the hex value", got)
		}
	}
}

func TestSWNoProactiveSessionIsToolkitBusy(t *testing.T) {
	// TS 102 221 §10.2.1.2 codes "SIM Application Toolkit is busy" as 9300;
	// the old constant held 9320.
	if SWNoProactiveSession != 0x9300 || SWToolkitBusy != 0x9300 {
		t.Fatalf("SWNoProactiveSession = %04X, want 9300", uint16(SWNoProactiveSession))
	}
}

func TestStatusWordBytesAndOK(t *testing.T) {
	sw := StatusWord(0x6A82)
	if sw.SW1() != 0x6A || sw.SW2() != 0x82 {
		t.Fatalf("SW1/SW2 = %02X %02X", sw.SW1(), sw.SW2())
	}
	for _, ok := range []StatusWord{0x9000, 0x9110, 0x9200} {
		if !ok.OK() {
			t.Errorf("%v.OK() = false", ok)
		}
	}
	for _, bad := range []StatusWord{0x6A82, 0x6100, 0x9300, 0x63C1} {
		if bad.OK() {
			t.Errorf("%v.OK() = true", bad)
		}
	}
}

func TestStatusWordRetries(t *testing.T) {
	for n := -2; n <= 17; n++ {
		sw := SWRetries(n)
		want := min(max(n, 0), 15)
		got, ok := sw.Retries()
		if !ok || got != want || sw&0xFFF0 != 0x63C0 {
			t.Errorf("SWRetries(%d) = %04X, Retries() = %d,%v; want 63C%X", n, uint16(sw), got, ok, want)
		}
	}
	if _, ok := StatusWord(0x6300).Retries(); ok {
		t.Error("6300 reports a retry counter")
	}
	if _, ok := StatusWord(0x9000).Retries(); ok {
		t.Error("9000 reports a retry counter")
	}
}

func TestStatusWordAsError(t *testing.T) {
	var err error = fmt.Errorf("select EF_IMSI: %w", SWFileNotFound)
	var sw StatusWord
	if !errors.As(err, &sw) || sw != 0x6A82 {
		t.Fatalf("errors.As = %v, %04X", err, uint16(sw))
	}
	if !errors.Is(err, SWFileNotFound) {
		t.Fatal("errors.Is(err, SWFileNotFound) = false")
	}
	if err.Error() != "select EF_IMSI: 6A82 (file or application not found)" {
		t.Fatalf("Error() = %q", err.Error())
	}
}

func TestResponseRoundTrip(t *testing.T) {
	data := []byte{0x62, 0x03, 0x82, 0x01, 0x38}
	r := AppendResponse([]byte{0xEE}, data, SWOK)
	if !bytes.Equal(r, []byte{0xEE, 0x62, 0x03, 0x82, 0x01, 0x38, 0x90, 0x00}) {
		t.Fatalf("AppendResponse = %X", r)
	}
	d, sw, err := ParseResponse(r[1:])
	if err != nil || sw != SWOK || !bytes.Equal(d, data) {
		t.Fatalf("ParseResponse = %X %v %v", d, sw, err)
	}
	d, sw, err = ParseResponse([]byte{0x6A, 0x82})
	if err != nil || sw != SWFileNotFound || len(d) != 0 {
		t.Fatalf("ParseResponse(6A82) = %X %v %v", d, sw, err)
	}
	for _, short := range [][]byte{nil, {0x90}} {
		if _, _, err := ParseResponse(short); !errors.Is(err, ErrShortResponse) {
			t.Errorf("ParseResponse(%X) err = %v, want ErrShortResponse", short, err)
		}
	}
}

func FuzzParseResponse(f *testing.F) {
	f.Add([]byte{0x90, 0x00})
	f.Add([]byte{0x62, 0x03, 0x82, 0x01, 0x38, 0x90, 0x00})
	f.Add([]byte{0x6C})
	f.Fuzz(func(t *testing.T, in []byte) {
		d, sw, err := ParseResponse(in)
		if err != nil {
			if len(in) >= 2 {
				t.Fatalf("rejected %X", in)
			}
			return
		}
		if out := AppendResponse(nil, d, sw); !bytes.Equal(out, in) {
			t.Fatalf("round trip %X -> %X", in, out)
		}
		_ = sw.String()
	})
}

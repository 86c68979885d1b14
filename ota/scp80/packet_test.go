package scp80

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
)

type algCase struct {
	name string
	alg  Algorithm
	key  []byte
}

func algCases(t testing.TB) []algCase {
	return []algCase{
		{"DES", AlgDES, unhex(t, "0123456789abcdef")},
		{"3DES2", Alg3DES2, unhex(t, "300102030405060708090a0b0c0d0e0f")},
		{"3DES3", Alg3DES3, unhex(t, "300102030405060708090a0b0c0d0e0f1011121314151617")},
		{"AES128", AlgAES, unhex(t, "200102030405060708090a0b0c0d0e0f")},
		{"AES192", AlgAES, unhex(t, "200102030405060708090a0b0c0d0e0f1011121314151617")},
		{"AES256", AlgAES, unhex(t, "200102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")},
	}
}

// TestEverySPICombination builds, opens, answers and verifies a packet for
// every command integrity (none, CRC-16, CRC-32, CC) × ciphering × PoR
// integrity × PoR ciphering × algorithm, then checks that a flipped octet
// is caught whenever an RC or CC protects the packet.
func TestEverySPICombination(t *testing.T) {
	data := []byte{0x00, 0xB0, 0x00, 0x00, 0x09}
	for _, ac := range algCases(t) {
		enc, _ := NewCipher(ac.alg, ac.key)
		mac, _ := NewCipher(ac.alg, append([]byte{0x55}, ac.key[1:]...))
		keys := Keys{Enc: enc, MAC: mac}
		for integ := NoIntegrity; integ <= CryptoChecksum; integ++ {
			for _, crc := range []CRC{CRC16, CRC32} {
				if integ != RedundancyCheck && crc == CRC16 {
					continue // the CRC choice matters only for an RC
				}
				for _, ciph := range []bool{false, true} {
					for porInteg := NoIntegrity; porInteg <= CryptoChecksum; porInteg++ {
						for _, porCiph := range []bool{false, true} {
							o := SPIOptions{Integrity: integ, Ciphered: ciph, Counter: CounterHigher, PoR: PoRAlways,
								PoRIntegrity: porInteg, PoRCiphered: porCiph}
							spi := NewSPI(o)
							if spi.Options() != o {
								t.Fatalf("SPI %v does not decode to %+v", spi, o)
							}
							if (integ == CryptoChecksum && porInteg == RedundancyCheck) || (integ == RedundancyCheck && porInteg == CryptoChecksum) {
								continue // one KID cannot name both a CC algorithm and a CRC
							}
							kid := NewKID(ac.alg, 2)
							if integ == RedundancyCheck || porInteg == RedundancyCheck {
								kid = NewKIDRC(crc, 2)
							}
							h := Header{SPI: spi, KIc: NewKIc(ac.alg, 2), KID: kid, TAR: TARRFMUSIM}
							name := fmt.Sprintf("%s/%v crc%d ciph=%v/PoR %v ciph=%v", ac.name, integ, crc, ciph, porInteg, porCiph)
							roundTrip(t, name, h, data, keys)
						}
					}
				}
			}
		}
	}
}

func roundTrip(t *testing.T, name string, h Header, data []byte, keys Keys) {
	t.Helper()
	pkt, err := AppendCommand(nil, h, CounterOf(0x0102030405), data, keys)
	if err != nil {
		t.Fatalf("%s: AppendCommand: %v", name, err)
	}
	orig := bytes.Clone(pkt)
	cmd, err := OpenCommand(pkt, keys)
	if err != nil {
		t.Fatalf("%s: OpenCommand: %v", name, err)
	}
	if !bytes.Equal(cmd.Data, data) || cmd.CNTR != CounterOf(0x0102030405) || cmd.Header != h {
		t.Fatalf("%s: opened %+v", name, cmd)
	}
	rsp := []byte{0x01, 0x90, 0x00}
	por, err := AppendResponse(nil, h, cmd.CNTR, StatusOK, rsp, keys)
	if err != nil {
		t.Fatalf("%s: AppendResponse: %v", name, err)
	}
	porOrig := bytes.Clone(por)
	r, err := OpenResponse(por, h, keys)
	if err != nil {
		t.Fatalf("%s: OpenResponse: %v", name, err)
	}
	if !r.Secured || r.Status != StatusOK || !bytes.Equal(r.Data, rsp) || r.CNTR != cmd.CNTR {
		t.Fatalf("%s: PoR %+v", name, r)
	}
	if h.SPI.Integrity() != NoIntegrity {
		for _, i := range []int{0x0B, len(orig) - 1} { // a CNTR octet, the last octet
			bad := bytes.Clone(orig)
			bad[i] ^= 0x01
			if _, err := OpenCommand(bad, keys); err == nil {
				t.Fatalf("%s: command with octet %d flipped was accepted", name, i)
			} else if st := StatusOf(err); st != StatusRCCCDSFailed && st != StatusCipheringError {
				t.Fatalf("%s: flipped octet %d gave %v", name, i, err)
			}
		}
	}
	if h.SPI.PoRIntegrity() != NoIntegrity {
		bad := bytes.Clone(porOrig)
		bad[len(bad)-1] ^= 0x80
		if _, err := OpenResponse(bad, h, keys); err == nil {
			t.Fatalf("%s: tampered PoR accepted", name)
		}
	}
}

func TestOpenCommandRejects(t *testing.T) {
	aes, _ := NewCipher(AlgAES, unhex(t, "200102030405060708090a0b0c0d0e0f"))
	des3, _ := NewCipher(Alg3DES2, unhex(t, "300102030405060708090a0b0c0d0e0f"))
	keys := Keys{Enc: aes, MAC: aes}
	h := Header{SPI: SPI{0x06, 0x19}, KIc: 0x22, KID: 0x22, TAR: TARRFMUSIM}
	good, _ := AppendCommand(nil, h, Counter{}, []byte{1, 2, 3}, keys)
	mod := func(f func(p []byte) []byte) []byte { return f(bytes.Clone(good)) }
	tests := []struct {
		name string
		pkt  []byte
		keys Keys
		st   Status
		err  error
	}{
		{"shorter than the header", good[:10], keys, StatusUnidentifiedSecurity, ErrMalformed},
		{"CPL says more than present", mod(func(p []byte) []byte { p[1]++; return p }), keys, StatusUnidentifiedSecurity, ErrMalformed},
		{"CHL below 13", mod(func(p []byte) []byte { p[2] = 12; return p }), keys, StatusUnidentifiedSecurity, ErrMalformed},
		{"CHL disagrees with SPI", mod(func(p []byte) []byte { p[2] = 13; return p }), keys, StatusUnidentifiedSecurity, ErrMalformed},
		{"ciphered part not whole blocks", mod(func(p []byte) []byte { p = append(p, 0); p[1]++; return p }), keys, StatusCipheringError, ErrMalformed},
		{"no KIc key", good, Keys{MAC: aes}, StatusCipheringError, ErrKey},
		{"KIc names 3DES, key is AES", mod(func(p []byte) []byte { p[offKIc] = 0x25; return p }), keys, StatusCipheringError, ErrKey},
		{"KIc names DES-ECB", mod(func(p []byte) []byte { p[offKIc] = 0x2D; return p }), keys, StatusCipheringError, ErrUnsupported},
		{"wrong CC key", good, Keys{Enc: aes, MAC: des3}, StatusRCCCDSFailed, ErrKey},
		{"digital signature", mod(func(p []byte) []byte { p[offSPI] = 0x07; return p }), keys, StatusUnidentifiedSecurity, ErrUnsupported},
		{"CC mismatch", mod(func(p []byte) []byte { p[len(p)-1] ^= 1; return p }), keys, StatusRCCCDSFailed, StatusRCCCDSFailed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := OpenCommand(bytes.Clone(tc.pkt), tc.keys)
			if !errors.Is(err, tc.err) || StatusOf(err) != tc.st {
				t.Fatalf("err = %v (status %v), want %v / %v", err, StatusOf(err), tc.err, tc.st)
			}
		})
	}
	// Unciphered without a checksum, PCNTR beyond the data: unidentified
	// security error.
	plain := Header{SPI: SPI{0x00, 0x00}, KIc: 0x22, KID: 0x22, TAR: TARRFMUSIM}
	p, _ := AppendCommand(nil, plain, Counter{}, []byte{1}, keys)
	p[offPCNTR] = 5
	if _, err := OpenCommand(p, keys); StatusOf(err) != StatusUnidentifiedSecurity {
		t.Fatalf("PCNTR beyond data: %v", err)
	}
	// With a CC over the data, a PCNTR changed in transit fails the CC
	// first: RC/CC/DS failed (01), whatever the padding counter says.
	cc := Header{SPI: SPI{0x02, 0x00}, KIc: 0x22, KID: 0x22, TAR: TARRFMUSIM}
	p, _ = AppendCommand(nil, cc, Counter{}, []byte{1}, keys)
	p[offPCNTR] = 5
	if _, err := OpenCommand(p, keys); StatusOf(err) != StatusRCCCDSFailed {
		t.Fatalf("PCNTR changed under a CC: %v, want status 01", err)
	}
}

func TestCheckCounter(t *testing.T) {
	tests := []struct {
		mode           CounterMode
		received, held uint64
		want           Status
	}{
		{NoCounter, 0, 5, StatusOK},
		{CounterNoCheck, 1, 5, StatusOK},
		{CounterHigher, 6, 5, StatusOK},
		{CounterHigher, 100, 5, StatusOK},
		{CounterHigher, 5, 5, StatusCounterLow},
		{CounterHigher, 4, 5, StatusCounterLow},
		{CounterOneHigher, 6, 5, StatusOK},
		{CounterOneHigher, 7, 5, StatusCounterHigh},
		{CounterOneHigher, 5, 5, StatusCounterLow},
		{CounterHigher, MaxCounter, MaxCounter, StatusCounterBlocked},
	}
	for _, tc := range tests {
		spi := NewSPI(SPIOptions{Counter: tc.mode})
		if got := spi.CheckCounter(CounterOf(tc.received), CounterOf(tc.held)); got != tc.want {
			t.Errorf("%v received %d held %d: %v, want %v", tc.mode, tc.received, tc.held, got, tc.want)
		}
	}
}

func TestNamesSpeakTheSpec(t *testing.T) {
	tests := []struct{ got, want string }{
		{SPI{0x06, 0x19}.String(), "SPI 0619: cryptographic checksum, ciphered, no counter; PoR required, PoR cryptographic checksum, PoR ciphered, PoR by SMS-DELIVER-REPORT"},
		{SPI{0x11, 0x26}.String(), "SPI 1126: redundancy check, not ciphered, counter must be higher; PoR on error only, PoR redundancy check, PoR not ciphered, PoR by SMS-SUBMIT"},
		{SPI{0x18, 0x00}.String(), "SPI 1800: no RC, CC or DS, not ciphered, counter must be one higher; no PoR, PoR no RC, CC or DS, PoR not ciphered, PoR by SMS-DELIVER-REPORT"},
		{SPI{0x0B, 0x00}.String()[:60], "SPI 0B00: digital signature, not ciphered, counter available"},
		{KIc(0x35).String(), "KIc 35: 3DES 2-key-CBC, key version 3"},
		{KIc(0x22).String(), "KIc 22: AES-CBC, key version 2"},
		{KIc(0x19).String(), "KIc 19: 3DES 3-key-CBC, key version 1"},
		{KIc(0x11).String(), "KIc 11: DES-CBC, key version 1"},
		{KIc(0x1D).String(), "KIc 1D: DES-ECB, key version 1"},
		{KID(0x15).String(), "KID 15: CC 3DES 2-key / RC CRC-32, key version 1"},
		{KID(0x11).String(), "KID 11: CC DES / RC CRC-16, key version 1"},
		{TARRFMUSIM.String(), "B00010"},
		{CounterOf(100).String(), "0000000064"},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("got  %q\nwant %q", tc.got, tc.want)
		}
	}
	names := []string{"PoR OK (00)", "RC/CC/DS failed (01)", "CNTR low (02)", "CNTR high (03)", "CNTR blocked (04)",
		"ciphering error (05)", "unidentified security error (06)", "insufficient memory to process incoming message (07)",
		"more time (08)", "TAR unknown (09)", "insufficient security level (0A)",
		"actual response data to be sent using SMS-SUBMIT (0B)", "reserved status 0C"}
	for i, n := range names {
		if got := Status(i).String(); got != n {
			t.Errorf("Status(%d) = %q want %q", i, got, n)
		}
	}
}

func TestKeysNeverPrint(t *testing.T) {
	key := Key(unhex(t, "c21dd66acac13cb3bc8b331b24afb57b"))
	c, _ := NewCipher(Alg3DES2, key)
	for _, s := range []string{
		fmt.Sprint(key), fmt.Sprintf("%x %X %v %+v %#v %s %q", key, key, key, key, key, key, key),
		fmt.Sprintf("%v %#v %+v", c, c, Keys{Enc: c, MAC: c}),
	} {
		if strings.Contains(strings.ToLower(s), "c21d") || strings.Contains(s, "194") /* decimal of c2 */ {
			t.Fatalf("key material printed: %s", s)
		}
		if !strings.Contains(s, "redacted") {
			t.Fatalf("not redacted: %s", s)
		}
	}
}

func ExampleAppendCommand() {
	kic, _ := NewCipher(AlgAES, Key{0x20, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15})
	kid, _ := NewCipher(AlgAES, Key{0x20, 0x11, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15})
	keys := Keys{Enc: kic, MAC: kid}
	h := Header{SPI: SPI{0x06, 0x19}, KIc: NewKIc(AlgAES, 2), KID: NewKID(AlgAES, 2), TAR: TAR{0xB0, 0x00, 0x11}}
	pkt, _ := AppendCommand(nil, h, Counter{}, []byte{0x00, 0xA4, 0x00, 0x04, 0x02, 0x3F, 0x00}, keys)
	fmt.Printf("%x\n", pkt)

	// The card side: decipher in place, verify, answer.
	cmd, _ := OpenCommand(pkt, keys)
	fmt.Printf("TAR %v data %x\n", cmd.TAR, cmd.Data)
	por, _ := AppendResponse(nil, cmd.Header, cmd.CNTR, StatusOK, []byte{0x01, 0x61, 0x32}, keys)
	r, _ := OpenResponse(por, h, keys)
	fmt.Println(r.Status, r.Secured)
	// Output:
	// 00281506192222b00011e87cceebb2d93083011ce294f93fc4d8de80da1abae8c37ca3e72ec4432e5058
	// TAR B00011 data 00a40004023f00
	// PoR OK (00) true
}

func TestSPIMeetsMSL(t *testing.T) {
	tests := []struct {
		spi  SPI
		msl  MSL
		want bool
	}{
		{SPI{0x06, 0x19}, 0x06, true},  // the smpp-ota-tool vector: SPI 0619 to an application with MSL 06
		{SPI{0x16, 0x19}, 0x06, true},  // more than needed
		{SPI{0x02, 0x19}, 0x06, false}, // CC without ciphering
		{SPI{0x05, 0x19}, 0x06, false}, // RC + ciphering: RC is below CC
		{SPI{0x06, 0x00}, 0x16, false}, // counter required
		{SPI{0x1E, 0x00}, 0x16, true},  // one higher satisfies higher
		{SPI{0x00, 0x00}, 0x00, true},
	}
	for _, tc := range tests {
		if got := tc.spi.Meets(tc.msl); got != tc.want {
			t.Errorf("%v meets %v = %v", tc.spi, tc.msl, got)
		}
	}
	if s := MSL(0x16).String(); s != "MSL 16: at least cryptographic checksum, ciphering required, counter must be higher" {
		t.Errorf("%q", s)
	}
}

package scp80

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"

	"github.com/uiccsim/uiccsim/internal/systest"
)

// TestCMACRFC4493 runs the four AES-128 examples of RFC 4493 §4 (the
// NIST SP 800-38B AES-128 examples), full 16-octet tags and subkeys.
func TestCMACRFC4493(t *testing.T) {
	c, err := NewCipher(AlgAES, unhex(t, "2b7e151628aed2a6abf7158809cf4f3c"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(c.k1[:], unhex(t, "fbeed618357133667c85e08f7236a8de")) || !bytes.Equal(c.k2[:], unhex(t, "f7ddac306ae266ccf90bc11ee46d513b")) {
		t.Fatalf("subkeys K1 %x K2 %x", c.k1, c.k2)
	}
	msg := unhex(t, "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710")
	tests := []struct {
		name string
		n    int
		tag  string
	}{
		{"example 1, empty", 0, "bb1d6929e95937287fa37d129b756746"},
		{"example 2, 16 octets", 16, "070a16b46b4d4144f79bdd9dd04a287c"},
		{"example 3, 40 octets", 40, "dfa66747de9ae63030ca32611497c827"},
		{"example 4, 64 octets", 64, "51f0bebf7e3b9d92fc49741779363cfe"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, split := range []int{0, 1, 15, 16, 17} { // fed in two pieces
				if split > tc.n {
					continue
				}
				k, err := newChecker(CryptoChecksum, NewKID(AlgAES, 1), Keys{MAC: c})
				if err != nil {
					t.Fatal(err)
				}
				k.write(msg[:split])
				k.write(msg[split:tc.n])
				if got := k.final(); !bytes.Equal(got, unhex(t, tc.tag)) {
					t.Fatalf("split %d: tag %x want %s", split, got, tc.tag)
				}
			}
		})
	}
}

// TestCRCCheckValues: the ISO/IEC 13239 CRC-16 (CRC-16/IBM-SDLC) and
// CRC-32 of "123456789" are 906E and CBF43926.
func TestCRCCheckValues(t *testing.T) {
	for _, tc := range []struct {
		c    CRC
		want string
	}{{CRC16, "906e"}, {CRC32, "cbf43926"}} {
		k, err := newChecker(RedundancyCheck, NewKIDRC(tc.c, 1), Keys{})
		if err != nil {
			t.Fatal(err)
		}
		k.write([]byte("1234"))
		k.write([]byte("56789"))
		if got := k.sum(nil); !bytes.Equal(got, unhex(t, tc.want)) {
			t.Errorf("%v = %x want %s", tc.c, got, tc.want)
		}
	}
}

func requireOpenSSL(t *testing.T) string {
	return systest.LookPath(t, "openssl")
}

func openssl(t *testing.T, bin string, in []byte, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("openssl %s: %v %s", strings.Join(args, " "), err, stderr.String())
	}
	return out
}

// TestCiphersAgainstOpenSSL builds a ciphered, CC-protected command for
// every algorithm and checks it with OpenSSL, an independent
// implementation: OpenSSL deciphers CNTR..end (CBC, zero IV) and computes
// the CC (3DES/DES: last block of CBC over the zero-padded input; AES:
// CMAC) over CPL..PCNTR ‖ data ‖ padding.
func TestCiphersAgainstOpenSSL(t *testing.T) {
	bin := requireOpenSSL(t)
	k8 := unhex(t, "0123456789abcdef")
	k16 := unhex(t, "00112233445566778899aabbccddeeff")
	k24 := unhex(t, "00112233445566778899aabbccddeeff0123456789abcdef")
	k32 := unhex(t, "00112233445566778899aabbccddeeff0123456789abcdeffedcba9876543210")
	tests := []struct {
		name string
		alg  Algorithm
		key  []byte
		ossl string // openssl cipher
		okey []byte // key as openssl takes it
	}{
		{"DES", AlgDES, k8, "des-ede3-cbc", bytes.Repeat(k8, 3)}, // E_K = 3DES(K,K,K)
		{"3DES 2-key", Alg3DES2, k16, "des-ede3-cbc", append(bytes.Clone(k16), k16[:8]...)},
		{"3DES 3-key", Alg3DES3, k24, "des-ede3-cbc", k24},
		{"AES-128", AlgAES, k16, "aes-128-cbc", k16},
		{"AES-192", AlgAES, k24, "aes-192-cbc", k24},
		{"AES-256", AlgAES, k32, "aes-256-cbc", k32},
	}
	data := []byte("\x00\xa4\x00\x04\x02\x3f\x00 and some more data to span blocks")
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			enc, _ := NewCipher(tc.alg, tc.key)
			mac, _ := NewCipher(tc.alg, tc.key)
			h := Header{SPI: SPI{0x06, 0x00}, KIc: NewKIc(tc.alg, 1), KID: NewKID(tc.alg, 1), TAR: TARRFMUSIM}
			pkt, err := AppendCommand(nil, h, CounterOf(7), data, Keys{Enc: enc, MAC: mac})
			if err != nil {
				t.Fatal(err)
			}
			bs := tc.alg.BlockSize()
			iv := strings.Repeat("00", bs)
			plain := openssl(t, bin, pkt[offCNTR:], "enc", "-d", "-"+tc.ossl, "-K", hexs(tc.okey), "-iv", iv, "-nopad")
			if !bytes.Equal(plain[:5], []byte{0, 0, 0, 0, 7}) || !bytes.HasPrefix(plain[6+8:], data) {
				t.Fatalf("openssl plaintext %x", plain)
			}
			pcntr := int(plain[5])
			if (6+8+len(data)+pcntr)%bs != 0 || pcntr >= bs {
				t.Fatalf("PCNTR %d does not complete the block", pcntr)
			}
			ccIn := append(append(bytes.Clone(pkt[:offCNTR]), plain[:6]...), plain[6+8:]...)
			var want []byte
			if tc.alg == AlgAES {
				want = openssl(t, bin, ccIn, "mac", "-cipher", strings.ToUpper(tc.ossl), "-macopt", "hexkey:"+hexs(tc.okey), "-binary", "CMAC")[:8]
			} else {
				for len(ccIn)%8 != 0 {
					ccIn = append(ccIn, 0)
				}
				out := openssl(t, bin, ccIn, "enc", "-"+tc.ossl, "-K", hexs(tc.okey), "-iv", iv, "-nopad")
				want = out[len(out)-8:]
			}
			if !bytes.Equal(plain[6:14], want) {
				t.Fatalf("CC %x, openssl %x", plain[6:14], want)
			}
		})
	}
}

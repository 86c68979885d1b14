package scp80

import (
	"bytes"
	"testing"
)

func fuzzKeys(t testing.TB) (aes, des3 Keys) {
	a, _ := NewCipher(AlgAES, unhex(t, "200102030405060708090a0b0c0d0e0f"))
	am, _ := NewCipher(AlgAES, unhex(t, "201102030405060708090a0b0c0d0e0f"))
	d, _ := NewCipher(Alg3DES2, unhex(t, "300102030405060708090a0b0c0d0e0f"))
	dm, _ := NewCipher(Alg3DES2, unhex(t, "301102030405060708090a0b0c0d0e0f"))
	return Keys{Enc: a, MAC: am}, Keys{Enc: d, MAC: dm}
}

// FuzzOpenCommand: arbitrary packets never panic; a packet that opens
// rebuilds (same header, counter, data) to one that opens the same way.
func FuzzOpenCommand(f *testing.F) {
	for _, v := range loadVectors(f) {
		if s := str(v, "expected", "intermediate", "command_packet_spec_form"); s != "" {
			f.Add(unhex(f, s))
		}
	}
	aes, des3 := fuzzKeys(f)
	f.Fuzz(func(t *testing.T, pkt []byte) {
		for _, keys := range []Keys{aes, des3} {
			cmd, err := OpenCommand(bytes.Clone(pkt), keys)
			if err != nil {
				if StatusOf(err) == StatusOK {
					t.Fatalf("error without a PoR status: %v", err)
				}
				continue
			}
			again, err := AppendCommand(nil, cmd.Header, cmd.CNTR, cmd.Data, keys)
			if err != nil {
				t.Fatalf("opened packet does not rebuild: %v", err)
			}
			c2, err := OpenCommand(again, keys)
			if err != nil || !bytes.Equal(c2.Data, cmd.Data) || c2.CNTR != cmd.CNTR {
				t.Fatalf("rebuilt packet does not open the same: %v", err)
			}
		}
	})
}

// FuzzOpenCiphered reaches the deciphering and the checks after it with
// garbage: the fuzzer's octets become the ciphertext of a well-formed
// header (SPI 0619, AES and 3DES), so PCNTR and the CC see decrypted noise.
func FuzzOpenCiphered(f *testing.F) {
	f.Add([]byte("0123456789abcdef0123456789abcdef"), false)
	f.Add(bytes.Repeat([]byte{0xFF}, 48), true)
	aes, des3 := fuzzKeys(f)
	f.Fuzz(func(t *testing.T, body []byte, useDES bool) {
		keys, kic := aes, byte(0x22)
		if useDES {
			keys, kic = des3, 0x35
		}
		if len(body) > 300 {
			body = body[:300]
		}
		pkt := append([]byte{0, 0, 0x15, 0x06, 0x19, kic, kic, 0xB0, 0x00, 0x10}, body...)
		pkt[0], pkt[1] = byte((len(pkt)-2)>>8), byte(len(pkt)-2)
		cmd, err := OpenCommand(pkt, keys)
		if err == nil && len(cmd.Data) > len(body) {
			t.Fatal("data longer than the packet")
		}
		if err != nil && StatusOf(err) == StatusOK {
			t.Fatalf("error without a PoR status: %v", err)
		}
	})
}

// FuzzOpenResponse: arbitrary PoRs never panic, under every PoR option.
func FuzzOpenResponse(f *testing.F) {
	for _, v := range loadVectors(f) {
		for _, s := range []string{str(v, "inputs", "por_ud"), str(v, "expected", "por_user_data_received"), str(v, "expected", "por_user_data")} {
			if s != "" {
				f.Add(unhex(f, s), byte(0x19))
			}
		}
	}
	aes, des3 := fuzzKeys(f)
	f.Fuzz(func(t *testing.T, ud []byte, spi2 byte) {
		for _, keys := range []Keys{aes, des3} {
			kic := byte(0x22)
			if keys.Enc == des3.Enc {
				kic = 0x35
			}
			var tar TAR
			if len(ud) >= 9 {
				copy(tar[:], ud[6:9])
			}
			h := Header{SPI: SPI{0x06, spi2}, KIc: KIc(kic), KID: KID(kic), TAR: tar}
			r, err := OpenResponse(bytes.Clone(ud), h, keys)
			if err == nil && len(r.Data) > len(ud) {
				t.Fatal("data longer than the PoR")
			}
		}
	})
}

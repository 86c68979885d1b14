package scp80

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/des"
	"fmt"
	"strconv"
)

// Key is secret key material (a KIc or KID value). It never prints: every
// fmt verb shows only its length.
type Key []byte

func (k Key) String() string { return "Key(" + strconv.Itoa(len(k)) + " octets, redacted)" }

// GoString keeps %#v redacted too.
func (k Key) GoString() string { return k.String() }

// Format redacts every verb, %x and %v included.
func (k Key) Format(f fmt.State, verb rune) { f.Write([]byte(k.String())) }

// Cipher is a key expanded once for one algorithm of TS 102 225 §5.1.2 /
// §5.1.3.1, reused for every packet. It holds scratch space, so one Cipher
// must not be used by two goroutines at once.
type Cipher struct {
	alg    Algorithm
	b      cipher.Block
	bs     int
	k1, k2 [16]byte // AES-CMAC subkeys, NIST SP 800-38B §6.1
	// scratch for CBC and MAC: kept here so that passing it to the
	// cipher.Block interface does not move a stack array to the heap.
	x, y, buf [16]byte
}

// NewCipher expands key for algorithm a: DES needs 8 octets, 3DES 2-key 16
// (K1‖K2, used as K1‖K2‖K1), 3DES 3-key 24, AES 16, 24 or 32. DES parity
// bits are ignored.
func NewCipher(a Algorithm, key Key) (*Cipher, error) {
	c := &Cipher{alg: a, bs: a.BlockSize()}
	var err error
	switch a {
	case AlgDES:
		if len(key) != 8 {
			return nil, fail(StatusUnidentifiedSecurity, ErrKey, "key", -1, "DES needs an 8-octet key, have "+strconv.Itoa(len(key)))
		}
		c.b, err = des.NewCipher(key)
	case Alg3DES2:
		if len(key) != 16 {
			return nil, fail(StatusUnidentifiedSecurity, ErrKey, "key", -1, "3DES 2-key needs a 16-octet key, have "+strconv.Itoa(len(key)))
		}
		var k [24]byte
		copy(k[:16], key)
		copy(k[16:], key[:8])
		c.b, err = des.NewTripleDESCipher(k[:])
	case Alg3DES3:
		if len(key) != 24 {
			return nil, fail(StatusUnidentifiedSecurity, ErrKey, "key", -1, "3DES 3-key needs a 24-octet key, have "+strconv.Itoa(len(key)))
		}
		c.b, err = des.NewTripleDESCipher(key)
	case AlgAES:
		if len(key) != 16 && len(key) != 24 && len(key) != 32 {
			return nil, fail(StatusUnidentifiedSecurity, ErrKey, "key", -1, "AES needs a 16, 24 or 32-octet key, have "+strconv.Itoa(len(key)))
		}
		c.b, err = aes.NewCipher(key)
		if err == nil {
			c.cmacSubkeys()
		}
	default:
		return nil, fail(StatusUnidentifiedSecurity, ErrUnsupported, "algorithm", -1, a.String()+" is not supported")
	}
	if err != nil {
		return nil, fail(StatusUnidentifiedSecurity, ErrKey, "key", -1, err.Error())
	}
	return c, nil
}

// Algorithm returns the algorithm c was made for.
func (c *Cipher) Algorithm() Algorithm { return c.alg }

// String names the algorithm only; the key stays secret.
func (c *Cipher) String() string {
	if c == nil {
		return "Cipher(nil)"
	}
	return "Cipher(" + c.alg.String() + ", key redacted)"
}

// GoString keeps %#v redacted.
func (c *Cipher) GoString() string { return c.String() }

// Keys are the ciphers a packet needs: Enc for ciphering (the KIc key),
// MAC for the cryptographic checksum (the KID key). Either may be nil when
// the SPI does not use it.
type Keys struct {
	Enc *Cipher
	MAC *Cipher
}

// String names the algorithms only.
func (k Keys) String() string {
	return "Keys{Enc: " + k.Enc.String() + ", MAC: " + k.MAC.String() + "}"
}

// encFor checks that k.Enc may serve a KIc.
func (k Keys) encFor(kic KIc) (*Cipher, error) {
	if k.Enc == nil {
		return nil, fail(StatusCipheringError, ErrKey, "KIc", 5, "ciphering requested but no KIc key")
	}
	if a := kic.Algorithm(); a != AlgImplicit && a != k.Enc.alg {
		if a.BlockSize() == 0 {
			return nil, fail(StatusCipheringError, ErrUnsupported, "KIc", 5, a.String()+" is not supported")
		}
		return nil, fail(StatusCipheringError, ErrKey, "KIc", 5, "KIc names "+a.String()+" but the key is for "+k.Enc.alg.String())
	}
	return k.Enc, nil
}

// macFor checks that k.MAC may serve a KID for a CC.
func (k Keys) macFor(kid KID) (*Cipher, error) {
	if k.MAC == nil {
		return nil, fail(StatusRCCCDSFailed, ErrKey, "KID", 6, "cryptographic checksum requested but no KID key")
	}
	if a := kid.Algorithm(); a != AlgImplicit && a != k.MAC.alg {
		if a.BlockSize() == 0 {
			return nil, fail(StatusRCCCDSFailed, ErrUnsupported, "KID", 6, a.String()+" is not supported")
		}
		return nil, fail(StatusRCCCDSFailed, ErrKey, "KID", 6, "KID names "+a.String()+" but the key is for "+k.MAC.alg.String())
	}
	return k.MAC, nil
}

// encryptCBC enciphers p in place, CBC with a zero IV (TS 102 225 §5.1.2).
// len(p) must be a multiple of the block size.
func (c *Cipher) encryptCBC(p []byte) {
	bs := c.bs
	iv := c.x[:bs]
	clear(iv)
	for i := 0; i < len(p); i += bs {
		blk := p[i : i+bs]
		subtleXOR(blk, iv)
		c.b.Encrypt(blk, blk)
		iv = blk
	}
}

// decryptCBC deciphers p in place, CBC with a zero IV.
func (c *Cipher) decryptCBC(p []byte) {
	bs := c.bs
	prev, cur := c.x[:bs], c.y[:bs]
	clear(prev)
	for i := 0; i < len(p); i += bs {
		blk := p[i : i+bs]
		copy(cur, blk)
		c.b.Decrypt(blk, blk)
		subtleXOR(blk, prev)
		prev, cur = cur, prev
	}
}

func subtleXOR(dst, src []byte) {
	for i := range dst {
		dst[i] ^= src[i]
	}
}

// cmacSubkeys derives K1 and K2, NIST SP 800-38B §6.1.
func (c *Cipher) cmacSubkeys() {
	l := c.x[:16]
	clear(l)
	c.b.Encrypt(l, l)
	dbl(c.k1[:], l)
	dbl(c.k2[:], c.k1[:])
	clear(l)
}

// dbl is the doubling in GF(2^128) of SP 800-38B §6.1 (shift left, xor
// Rb = 0x87 when the top bit was set).
func dbl(dst, src []byte) {
	carry := src[0] >> 7
	for i := 0; i < 15; i++ {
		dst[i] = src[i]<<1 | src[i+1]>>7
	}
	dst[15] = src[15]<<1 ^ 0x87*carry
}

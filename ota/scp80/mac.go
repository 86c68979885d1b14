package scp80

import (
	"crypto/subtle"
	"hash/crc32"
)

// ccLen is the length of the cryptographic checksum, TS 102 225 §5.1.3.1:
// 8 octets for DES/3DES CBC-MAC and for AES-CMAC as SCP80 truncates it.
const ccLen = 8

// checker computes the RC or CC over data given in pieces (the checked
// octets are not contiguous: the checksum field sits between them).
type checker struct {
	kind Integrity
	crc  CRC
	c    *Cipher
	n    int    // octets in c.buf
	run  bool   // the MAC chain in c.x has been started
	r32  uint32 // running CRC-32
	r16  uint16 // running CRC-16
}

// sumLen is the RC/CC/DS field length for the chosen integrity.
func (k *checker) sumLen() int {
	switch k.kind {
	case RedundancyCheck:
		if k.crc == CRC16 {
			return 2
		}
		return 4
	case CryptoChecksum:
		return ccLen
	}
	return 0
}

func newChecker(kind Integrity, kid KID, keys Keys) (checker, error) {
	k := checker{kind: kind}
	switch kind {
	case NoIntegrity:
	case RedundancyCheck:
		switch kid.CRC() {
		case CRC16:
			k.crc, k.r16 = CRC16, 0xFFFF
		case CRC32, CRCImplicit:
			k.crc, k.r32 = CRC32, 0
		default:
			return k, fail(StatusRCCCDSFailed, ErrUnsupported, "KID", 6, kid.CRC().String()+" is not supported")
		}
	case CryptoChecksum:
		c, err := keys.macFor(kid)
		if err != nil {
			return k, err
		}
		k.c = c
	default:
		return k, fail(StatusRCCCDSFailed, ErrUnsupported, "SPI", 2, "digital signature is not supported")
	}
	return k, nil
}

// write feeds p.
func (k *checker) write(p []byte) {
	switch k.kind {
	case RedundancyCheck:
		if k.crc == CRC16 {
			k.r16 = crc16Update(k.r16, p)
		} else {
			k.r32 = crc32.Update(k.r32, crc32.IEEETable, p)
		}
	case CryptoChecksum:
		c := k.c
		bs := c.bs
		if !k.run {
			// Start the chain only now: the same Cipher may have served
			// for deciphering in between (KIc and KID keys may be one).
			clear(c.x[:])
			k.run = true
		}
		for len(p) > 0 {
			if k.n == bs {
				// A full block is held and more data follows: chain it.
				subtleXOR(c.x[:bs], c.buf[:bs])
				c.b.Encrypt(c.x[:bs], c.x[:bs])
				k.n = 0
			}
			m := copy(c.buf[k.n:bs], p)
			k.n += m
			p = p[m:]
		}
	}
}

// sum appends the RC or CC to dst, TS 102 225 §5.1.3: CRC values
// big-endian; DES/3DES CBC-MAC over the data zero-padded to the block size,
// keeping the last block; AES-CMAC (SP 800-38B §6.2) keeping the first 8
// octets.
func (k *checker) sum(dst []byte) []byte {
	switch k.kind {
	case RedundancyCheck:
		if k.crc == CRC16 {
			v := ^k.r16
			return append(dst, byte(v>>8), byte(v))
		}
		v := k.r32
		return append(dst, byte(v>>24), byte(v>>16), byte(v>>8), byte(v))
	case CryptoChecksum:
		dst = append(dst, k.final()[:ccLen]...)
		clear(k.c.x[:])
		clear(k.c.buf[:])
		return dst
	}
	return dst
}

// final completes the MAC and returns the whole last block (in c.x):
// CBC-MAC over zero padding for DES/3DES, CMAC (SP 800-38B §6.2) for AES.
func (k *checker) final() []byte {
	c := k.c
	bs := c.bs
	if !k.run {
		clear(c.x[:])
		k.run = true
	}
	if c.alg == AlgAES {
		if k.n == bs {
			subtleXOR(c.buf[:bs], c.k1[:])
		} else {
			c.buf[k.n] = 0x80
			clear(c.buf[k.n+1 : bs])
			subtleXOR(c.buf[:bs], c.k2[:])
		}
	} else if k.n < bs {
		clear(c.buf[k.n:bs])
	}
	subtleXOR(c.x[:bs], c.buf[:bs])
	c.b.Encrypt(c.x[:bs], c.x[:bs])
	return c.x[:bs]
}

// verify compares the computed sum with got in constant time.
func (k *checker) verify(got []byte) bool {
	var tmp [ccLen]byte
	want := k.sum(tmp[:0])
	return subtle.ConstantTimeCompare(want, got) == 1
}

// crc16Update runs the ISO/IEC 13239 CRC-16 (polynomial x^16+x^12+x^5+1,
// reflected, register preset to FFFF; the caller complements the result).
func crc16Update(crc uint16, p []byte) uint16 {
	for _, b := range p {
		crc ^= uint16(b)
		for i := 0; i < 8; i++ {
			if crc&1 != 0 {
				crc = crc>>1 ^ 0x8408
			} else {
				crc >>= 1
			}
		}
	}
	return crc
}

package scp80

import "strconv"

// Algorithm is a block cipher with its key length class, as KIc and KID
// select them (TS 102 225 §5.1.2 and §5.1.3.1).
type Algorithm uint8

// Algorithms of TS 102 225 §5.1.2 / §5.1.3.1. AES keys are 16, 24 or 32
// octets; the key itself tells which (TS 102 225 §5.1.2 note).
const (
	AlgImplicit    Algorithm = iota // known implicitly by both entities (the key set says)
	AlgDES                          // single DES (8-octet key), CBC
	Alg3DES2                        // triple DES, two keys (16 octets), outer CBC
	Alg3DES3                        // triple DES, three keys (24 octets), outer CBC
	AlgAES                          // AES-CBC for ciphering, AES-CMAC for CC
	AlgDESECB                       // DES in ECB mode (KIc only; not supported)
	AlgProprietary                  // proprietary implementation (not supported)
	AlgReserved                     // a reserved coding (not supported)
)

func (a Algorithm) String() string {
	switch a {
	case AlgImplicit:
		return "algorithm known implicitly"
	case AlgDES:
		return "DES"
	case Alg3DES2:
		return "3DES 2-key"
	case Alg3DES3:
		return "3DES 3-key"
	case AlgAES:
		return "AES"
	case AlgDESECB:
		return "DES-ECB"
	case AlgProprietary:
		return "proprietary"
	}
	return "reserved"
}

// BlockSize is the cipher block size in octets (0 for unsupported ones).
func (a Algorithm) BlockSize() int {
	switch a {
	case AlgDES, Alg3DES2, Alg3DES3:
		return 8
	case AlgAES:
		return 16
	}
	return 0
}

// KIc is the key and algorithm identifier for ciphering, TS 102 225
// §5.1.2: b2b1 algorithm family, b4b3 its mode, b8..b5 the key version
// number (KVN) of the key set.
type KIc byte

// NewKIc codes a KIc for algorithm a and key version kvn (0..15).
func NewKIc(a Algorithm, kvn int) KIc { return KIc(algoBits(a, false) | byte(kvn&15)<<4) }

// KeyVersion returns b8..b5.
func (k KIc) KeyVersion() int { return int(k >> 4) }

// Algorithm decodes b4..b1.
func (k KIc) Algorithm() Algorithm {
	switch k & 3 {
	case 0:
		return AlgImplicit
	case 1:
		return [4]Algorithm{AlgDES, Alg3DES2, Alg3DES3, AlgDESECB}[k>>2&3]
	case 2:
		if k&0x0C == 0 {
			return AlgAES
		}
		return AlgReserved
	}
	return AlgProprietary
}

func (k KIc) String() string {
	return "KIc " + hexs([]byte{byte(k)}) + ": " + k.Algorithm().String() + cbcSuffix(k.Algorithm()) + ", key version " + strconv.Itoa(k.KeyVersion())
}

func cbcSuffix(a Algorithm) string {
	if a.BlockSize() > 0 {
		return "-CBC"
	}
	return ""
}

// KID is the key and algorithm identifier for the RC/CC/DS, TS 102 225
// §5.1.3. Its low nibble reads differently for a CC (§5.1.3.1: the block
// cipher, as KIc) and an RC (§5.1.3.2: CRC-16 or CRC-32); the SPI says which.
type KID byte

// NewKID codes a KID for a CC algorithm and key version kvn.
func NewKID(a Algorithm, kvn int) KID { return KID(algoBits(a, true) | byte(kvn&15)<<4) }

// NewKIDRC codes a KID for a redundancy check, TS 102 225 §5.1.3.2.
func NewKIDRC(c CRC, kvn int) KID {
	b := byte(0x01)
	if c == CRC32 {
		b = 0x05
	}
	return KID(b | byte(kvn&15)<<4)
}

// KeyVersion returns b8..b5.
func (k KID) KeyVersion() int { return int(k >> 4) }

// Algorithm decodes the low nibble for a cryptographic checksum, §5.1.3.1.
func (k KID) Algorithm() Algorithm {
	switch k & 3 {
	case 0:
		return AlgImplicit
	case 1:
		return [4]Algorithm{AlgDES, Alg3DES2, Alg3DES3, AlgReserved}[k>>2&3]
	case 2:
		if k&0x0C == 0 {
			return AlgAES
		}
		return AlgReserved
	}
	return AlgProprietary
}

// CRC is the redundancy check of TS 102 225 §5.1.3.2.
type CRC uint8

// Redundancy checks, TS 102 225 §5.1.3.2.
const (
	CRCImplicit CRC = iota // known implicitly (this package reads it as CRC-32)
	CRC16                  // ISO/IEC 13239 CRC-16, 2 octets
	CRC32                  // ISO/IEC 13239 CRC-32, 4 octets
	CRCReserved
)

func (c CRC) String() string {
	switch c {
	case CRCImplicit:
		return "CRC known implicitly"
	case CRC16:
		return "CRC-16"
	case CRC32:
		return "CRC-32"
	}
	return "reserved CRC"
}

// CRC decodes the low nibble for a redundancy check, §5.1.3.2.
func (k KID) CRC() CRC {
	switch k & 0x0F {
	case 0:
		return CRCImplicit
	case 0x01:
		return CRC16
	case 0x05:
		return CRC32
	}
	return CRCReserved
}

func (k KID) String() string {
	return "KID " + hexs([]byte{byte(k)}) + ": CC " + k.Algorithm().String() + " / RC " + k.CRC().String() +
		", key version " + strconv.Itoa(k.KeyVersion())
}

func algoBits(a Algorithm, kid bool) byte {
	switch a {
	case AlgDES:
		return 0x01
	case Alg3DES2:
		return 0x05
	case Alg3DES3:
		return 0x09
	case AlgAES:
		return 0x02
	case AlgDESECB:
		if !kid {
			return 0x0D
		}
	case AlgProprietary:
		return 0x03
	}
	return 0x00
}

// TAR is the Toolkit Application Reference, TS 102 225 §5.1.1 and
// TS 101 220 §6: three octets naming the receiving application.
type TAR [3]byte

// Well-known TARs of TS 101 220 annex D / TS 31.115.
var (
	TARRFMUICC TAR = TAR{0xB0, 0x00, 0x00} // RFM for the UICC file system
	TARRFMUSIM TAR = TAR{0xB0, 0x00, 0x10} // RFM for ADF.USIM
	TARRAM     TAR = TAR{0x00, 0x00, 0x00} // card manager (RAM), ISD
)

// String is the six hex digits, e.g. "B00010".
func (t TAR) String() string { return hexs(t[:]) }

// Counter is the five-octet replay counter CNTR, TS 102 225 §5.1.1,
// big-endian.
type Counter [5]byte

// CounterOf returns n as a Counter (the low 40 bits).
func CounterOf(n uint64) Counter {
	return Counter{byte(n >> 32), byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)}
}

// Uint64 returns the counter's value.
func (c Counter) Uint64() uint64 {
	return uint64(c[0])<<32 | uint64(c[1])<<24 | uint64(c[2])<<16 | uint64(c[3])<<8 | uint64(c[4])
}

func (c Counter) String() string { return hexs(c[:]) }

// MaxCounter is the last counter value; a receiving entity holding it is
// blocked (status 04), TS 102 225 §5.1.2.
const MaxCounter = 1<<40 - 1

// CheckCounter applies the SPI's counter mode to a received counter and
// the value the receiving entity holds, TS 102 225 §5.1.1 and the status
// codes of §5.1.2: StatusOK when the packet may be processed. The caller
// stores received after processing when the mode is not NoCounter.
func (s SPI) CheckCounter(received, held Counter) Status {
	r, h := received.Uint64(), held.Uint64()
	switch s.Counter() {
	case NoCounter, CounterNoCheck:
		return StatusOK
	}
	if h == MaxCounter {
		return StatusCounterBlocked
	}
	if r <= h {
		return StatusCounterLow
	}
	if s.Counter() == CounterOneHigher && r != h+1 {
		return StatusCounterHigh
	}
	return StatusOK
}

package ef

import "strconv"

// KeysLen is the size of EF_KEYS and EF_KEYSPS, TS 31.102 §4.2.4 / §4.2.5.
const KeysLen = 33

// KSINoKey is the key set identifier value meaning "no key available"
// (TS 24.008 §10.5.1.2, used by TS 31.102 §4.2.4).
const KSINoKey = 0x07

// Keys is EF_KEYS (TS 31.102 §4.2.4, FID 6F08, SFI 08) or EF_KEYSPS
// (§4.2.5, FID 6F09, SFI 09): key set identifier (b1..b3, b4..b8 coded 0),
// ciphering key CK and integrity key IK. String never prints the keys.
type Keys struct {
	KSI byte
	CK  [16]byte
	IK  [16]byte
}

// EmptyKeys is the content after an invalidation: KSI '07' and keys 'FF'.
func EmptyKeys() Keys {
	k := Keys{KSI: KSINoKey}
	for i := range k.CK {
		k.CK[i], k.IK[i] = 0xFF, 0xFF
	}
	return k
}

// Append appends the 33 bytes.
func (k Keys) Append(dst []byte) []byte {
	dst = append(dst, k.KSI&7)
	dst = append(dst, k.CK[:]...)
	return append(dst, k.IK[:]...)
}

// String shows the KSI and redacts CK and IK.
func (k Keys) String() string {
	if k.KSI&7 == KSINoKey {
		return "Keys{KSI 7 (no key available)}"
	}
	return "Keys{KSI " + strconv.Itoa(int(k.KSI&7)) + ", CK [redacted], IK [redacted]}"
}

// GoString redacts the keys as String does, so %#v does not leak them.
func (k Keys) GoString() string { return k.String() }

// ParseKeys decodes EF_KEYS / EF_KEYSPS; bits b4..b8 of the KSI byte must
// be 0.
func ParseKeys(b []byte) (Keys, error) {
	if len(b) < KeysLen {
		return Keys{}, malformed("EF_KEYS", "", len(b), "want 33 bytes, got "+strconv.Itoa(len(b)))
	}
	if b[0]&0xF8 != 0 {
		return Keys{}, malformed("EF_KEYS", "KSI", 0, "bits b4..b8 not 0")
	}
	var k Keys
	k.KSI = b[0]
	copy(k.CK[:], b[1:17])
	copy(k.IK[:], b[17:33])
	return k, nil
}

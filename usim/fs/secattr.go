package fs

import (
	"errors"
	"math/bits"
)

// Security attribute formats of the FCP besides the short EF_ARR reference
// (ETSI TS 102 221 §11.1.1.4.7): a file carries exactly one of
//
//   - 8B, referenced format, short form: EF_ARR FID ‖ record (Spec.ARR);
//   - 8B, referenced format, long form: EF_ARR FID ‖ (SE ID ‖ record)…
//     (Spec.ARR.FID with Spec.ARRBySE): the record of the current
//     security environment applies (§9.5.1: SE 01 while the application
//     PIN is enabled, or disabled with the universal PIN enabled but not
//     used as its replacement; SE 00 otherwise);
//   - 8C, compact format: AM byte ‖ SC bytes (Spec.Compact, §11.1.1.4.7.1);
//   - AB, expanded format: AM DO ‖ SC DOs… as in an EF_ARR record
//     (Spec.Expanded, §11.1.1.4.7.2), evaluated by AccessAllowed.
const (
	tagSecCompact  = 0x8C
	tagSecExpanded = 0xAB
)

// SERule is one security environment's access rule in the long form of
// tag 8B (ETSI TS 102 221 §11.1.1.4.7.3): the EF_ARR record that applies
// while security environment SE is current.
type SERule struct {
	SE     uint8
	Record uint8
}

// secAttr is a file's security attribute other than the short 8B form:
// its tag (8B long form, 8C, AB) and value (for 8B: the SE ID ‖ record
// pairs only).
type secAttr struct {
	tag byte
	val []byte
}

// Allowed evaluates file n's security attributes for an operation (its
// access mode bit and instruction byte) against security status s: the
// EF_ARR rule of tag 8B (AccessRule; long form per security environment),
// the compact rule of 8C or the expanded rule of AB (ETSI TS 102 221
// §9.2, §11.1.1.4.7). An absent or malformed rule denies. It does not
// allocate.
func (f *FS) Allowed(n Node, mode Access, ins byte, s SecurityStatus) bool {
	if !f.valid(n) {
		return false
	}
	switch a := &f.nodes[n].sec; a.tag {
	case tagSecCompact:
		return compactAllowed(a.val, mode, f.appPIN(n), s)
	case tagSecExpanded:
		return AccessAllowed(a.val, mode, ins, s)
	}
	return AccessAllowed(f.AccessRule(n), mode, ins, s)
}

// compactAllowed evaluates a compact-format rule (ISO/IEC 7816-4 §7.4.3,
// ETSI TS 102 221 §9.2.3): the AM byte (b8=0; b7..b1 access modes, an
// AM byte with b8=1 names commands and is not supported: deny) is followed
// by one SC byte per mode bit set, from b7 down to b1. SC byte 00 is
// always, FF never; otherwise b8 asks all conditions (else any) of b7
// secure messaging and b6 external authentication (never satisfiable on
// this card) and b5 user authentication, which is the condition of the
// application PIN pin; b4..b1 (the SE number) are not used.
func compactAllowed(rule []byte, mode Access, pin KeyRef, s SecurityStatus) bool {
	if len(rule) < 1 || rule[0]&0x80 != 0 || mode == 0 {
		return false
	}
	am := rule[0]
	bit := byte(mode & -mode) // the lowest mode bit asked
	if am&bit == 0 {
		return false
	}
	i := 1 + bits.OnesCount8(am&^(bit<<1-1)) // SC bytes of higher bits come first
	if i >= len(rule) || 1+bits.OnesCount8(am) > len(rule) {
		return false
	}
	switch sc := rule[i]; sc {
	case 0x00:
		return true
	case 0xFF:
		return false
	default:
		conds := sc & 0x70
		if conds == 0 {
			return false
		}
		user := sc&0x10 != 0 && s.Holds(pin)
		if sc&0x80 != 0 { // all conditions
			return conds == 0x10 && user
		}
		return user
	}
}

// appPIN returns the application PIN that governs file n: the first
// application PIN (01..08) in the PIN status template of n's DF or the
// nearest DF above it that lists one, else PIN1 (ETSI TS 102 221 §9.4.2).
func (f *FS) appPIN(n Node) KeyRef {
	for d := n; d != NoNode; d = f.nodes[d].parent {
		for _, k := range f.nodes[d].pins {
			if k.appPIN() {
				return k
			}
		}
	}
	return KeyPIN1
}

// currentSE is the security environment of ETSI TS 102 221 §9.5.1 for
// file n: 01 while its application PIN is enabled, or disabled while the
// universal PIN is enabled and not used as replacement; 00 otherwise (the
// application PIN disabled and the universal PIN disabled, absent, or
// enabled and used as replacement).
func (f *FS) currentSE(n Node) uint8 {
	k := f.appPIN(n)
	i := f.pinIdx[k]
	if i < 0 || f.enabled(k) {
		return 1
	}
	if f.enabled(KeyUniversal) && f.st.Bytes(f.pins[i].ref)[pinFlags]&flagUseUniversal == 0 {
		return 1
	}
	return 0
}

// seRecord is the EF_ARR record the long form of tag 8B names for the
// current security environment (0 when none does).
func (f *FS) seRecord(n Node) uint8 {
	se := f.currentSE(n)
	v := f.nodes[n].sec.val
	for i := 0; i+1 < len(v); i += 2 {
		if v[i] == se {
			return v[i+1]
		}
	}
	return 0
}

// appendSecAttr appends file n's security attribute DO to an FCP.
func (f *FS) appendSecAttr(dst []byte, x *node) []byte {
	switch x.sec.tag {
	case tagSecCompact, tagSecExpanded:
		dst = append(dst, x.sec.tag, byte(len(x.sec.val)))
		return append(dst, x.sec.val...)
	case tagSecurityRef:
		dst = append(dst, tagSecurityRef, byte(2+len(x.sec.val)), byte(x.arr.FID>>8), byte(x.arr.FID))
		return append(dst, x.sec.val...)
	}
	return append(dst, tagSecurityRef, 3, byte(x.arr.FID>>8), byte(x.arr.FID), x.arr.Record)
}

// specSecAttr builds the security attribute of a Spec: at most one of
// ARRBySE, Compact and Expanded, and none of them with ARR.Record.
func specSecAttr(s Spec) (secAttr, error) {
	n := 0
	var a secAttr
	if s.ARRBySE != nil {
		n++
		a.tag = tagSecurityRef
		for _, r := range s.ARRBySE {
			a.val = append(a.val, r.SE, r.Record)
		}
	}
	if s.Compact != nil {
		n++
		a = secAttr{tag: tagSecCompact, val: append([]byte(nil), s.Compact...)}
	}
	if s.Expanded != nil {
		n++
		a = secAttr{tag: tagSecExpanded, val: append([]byte(nil), s.Expanded...)}
	}
	switch {
	case n > 1:
		return secAttr{}, errors.New("more than one of ARRBySE, Compact and Expanded")
	case n == 1 && s.ARR.Record != 0:
		return secAttr{}, errors.New("ARR.Record set with ARRBySE, Compact or Expanded")
	case n == 1 && !validSecAttr(a.tag, a.val, s.ARR):
		return secAttr{}, errors.New("security attribute: 1..63 SE/record pairs with records 1..254 and distinct SEs, compact 2..8 bytes, expanded 1..127 bytes")
	}
	return a, nil
}

// validSecAttr checks a security attribute's value (TS 102 221
// §11.1.1.4.7): a long 8B form has an EF_ARR FID and 1..63 (SE, record)
// pairs with distinct SEs and records 1..254; 8C is 2..8 bytes; AB 1..127.
func validSecAttr(tag byte, v []byte, arr ARRRef) bool {
	switch tag {
	case tagSecurityRef:
		if arr.FID == 0 || arr.Record != 0 || len(v) < 2 || len(v)%2 != 0 || len(v) > 126 {
			return false
		}
		for i := 0; i < len(v); i += 2 {
			if v[i+1] == 0 || v[i+1] == 0xFF {
				return false
			}
			for j := 0; j < i; j += 2 {
				if v[j] == v[i] {
					return false
				}
			}
		}
		return true
	case tagSecCompact:
		return len(v) >= 2 && len(v) <= 8
	case tagSecExpanded:
		return len(v) >= 1 && len(v) <= 127
	}
	return false
}

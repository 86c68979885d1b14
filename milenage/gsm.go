package milenage

import "encoding/binary"

// C2 is conversion function c2 of TS 33.102 §6.8.1.2: SRES = XRES*1 ⊕
// XRES*2 ⊕ XRES*3 ⊕ XRES*4, where XRES* is RES padded with zeros to 128
// bits and XRES*i are its 32-bit words.
func C2(res RES) SRES {
	p := res.padded()
	w := binary.BigEndian.Uint32(p[0:]) ^ binary.BigEndian.Uint32(p[4:]) ^
		binary.BigEndian.Uint32(p[8:]) ^ binary.BigEndian.Uint32(p[12:])
	var s SRES
	binary.BigEndian.PutUint32(s[:], w)
	return s
}

// C3 is conversion function c3 of TS 33.102 §6.8.1.2: Kc = CK1 ⊕ CK2 ⊕ IK1
// ⊕ IK2, with CKi and IKi the 64-bit halves of CK and IK.
func C3(ck, ik Key) Kc {
	w := binary.BigEndian.Uint64(ck[:8]) ^ binary.BigEndian.Uint64(ck[8:]) ^
		binary.BigEndian.Uint64(ik[:8]) ^ binary.BigEndian.Uint64(ik[8:])
	var kc Kc
	binary.BigEndian.PutUint64(kc[:], w)
	return kc
}

// C4 is conversion function c4 of TS 33.102 §6.8.1.2: CK = Kc ‖ Kc.
func C4(kc Kc) Key {
	var ck Key
	copy(ck[:8], kc[:])
	copy(ck[8:], kc[:])
	return ck
}

// C5 is conversion function c5 of TS 33.102 §6.8.1.2: IK = Kc1 ⊕ Kc2 ‖ Kc ‖
// Kc1 ⊕ Kc2, with Kci the 32-bit halves of Kc.
func C5(kc Kc) Key {
	var ik Key
	x := binary.BigEndian.Uint32(kc[:4]) ^ binary.BigEndian.Uint32(kc[4:])
	binary.BigEndian.PutUint32(ik[:4], x)
	copy(ik[4:12], kc[:])
	binary.BigEndian.PutUint32(ik[12:], x)
	return ik
}

// GSM is the USIM's answer to an AUTHENTICATE in GSM context
// (TS 33.102 §6.8.1.2, TS 31.102 §7.1.2.1): from RAND alone it computes RES,
// CK and IK and returns SRES = c2(RES) and Kc = c3(CK, IK). No SQN is
// checked in GSM context.
func GSM(alg Algorithm, rand RAND) (SRES, Kc) {
	o := alg.Compute(rand, 0, 0, F2|F3|F4)
	return C2(o.RES), C3(o.CK, o.IK)
}

// AppendGSMResponse appends the response data of AUTHENTICATE in GSM
// context (TS 31.102 §7.1.2.1): '04' ‖ SRES ‖ '08' ‖ Kc.
func AppendGSMResponse(dst []byte, sres SRES, kc Kc) []byte {
	dst = append(dst, 4)
	dst = append(dst, sres[:]...)
	dst = append(dst, 8)
	return append(dst, kc[:]...)
}

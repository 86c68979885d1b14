package milenage

import (
	"encoding/binary"
	"fmt"
)

// XOR is the test algorithm of TS 34.108 §8.1.2 used by test USIMs with
// protocol testers. With XDOUT = K ⊕ RAND and CDOUT = SQN ‖ AMF:
//
//	RES  = f2  = XDOUT[0 .. n-1]          (n = RES length, 32..128 bits)
//	CK   = f3  = XDOUT[8..127] ‖ XDOUT[0..7]
//	IK   = f4  = XDOUT[16..127] ‖ XDOUT[0..15]
//	AK   = f5  = XDOUT[24..71]
//	MAC  = f1  = XDOUT[0..63] ⊕ CDOUT[0..63]
//
// TS 34.108 uses f1 for MAC-S and f5 for AK* as well (f1* = f1, f5* = f5),
// which is also what osmo-auc-gen's XOR verifies.
//
// XOR gives no security at all: K is RES ⊕ RAND. It exists to talk to test
// equipment.
type XOR struct {
	k      Key
	resLen uint8
}

// NewXOR returns the TS 34.108 §8.1.2 algorithm for key K producing a RES
// of resLen bytes (4..16; test USIMs and osmo-auc-gen use 16).
func NewXOR(k Key, resLen int) (*XOR, error) {
	if resLen < 4 || resLen > 16 {
		return nil, fmt.Errorf("%w: XOR RES length %d bytes, want 4..16 (TS 34.108 §8.1.2)", ErrParam, resLen)
	}
	return &XOR{k: k, resLen: uint8(resLen)}, nil
}

// Compute evaluates the selected functions of TS 34.108 §8.1.2.
func (x *XOR) Compute(rand RAND, sqn SQN, amf AMF, fns Funcs) (o Output) {
	var xd [16]byte
	for i := range xd {
		xd[i] = x.k[i] ^ rand[i]
	}
	if fns&(F5|F5Star|SQNConcealed|SQNConcealedStar) != 0 {
		copy(o.AK[:], xd[3:9])
		o.AKStar = o.AK
		if fns&(SQNConcealed|SQNConcealedStar) != 0 {
			sqn ^= o.AK.sqn()
		}
	}
	if fns&(F1|F1Star) != 0 {
		cd := uint64(sqn&MaxSQN)<<16 | uint64(amf)
		binary.BigEndian.PutUint64(o.MACA[:], binary.BigEndian.Uint64(xd[:8])^cd)
		o.MACS = o.MACA
	}
	if fns&F2 != 0 {
		copy(o.RES.b[:x.resLen], xd[:x.resLen])
		o.RES.n = x.resLen
	}
	if fns&F3 != 0 {
		copy(o.CK[:15], xd[1:])
		o.CK[15] = xd[0]
	}
	if fns&F4 != 0 {
		copy(o.IK[:14], xd[2:])
		copy(o.IK[14:], xd[:2])
	}
	return o
}

// String names the algorithm without revealing K.
func (x *XOR) String() string { return "XOR(TS 34.108 §8.1.2, K redacted)" }

// GoString is like String.
func (x *XOR) GoString() string { return x.String() }

// Format prints String for every verb, so no fmt verb reaches the key.
func (x *XOR) Format(f fmt.State, verb rune) { _, _ = f.Write([]byte(x.String())) }

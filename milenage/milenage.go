package milenage

import (
	"crypto/aes"
	"crypto/cipher"
	"encoding/binary"
	"fmt"
	"sync"
)

// Constants are the operator-configurable rotation amounts r1..r5 (in bits,
// 0..127) and 128-bit constants c1..c5 of Milenage (TS 35.206 §4.1, §5.3).
type Constants struct {
	R [5]uint8
	C [5][16]byte
}

// StandardConstants are the default values of TS 35.206 §4.1: r1 = 64,
// r2 = 0, r3 = 32, r4 = 64, r5 = 96; c1 = 0, and c2..c5 with a single bit
// set in the last byte (1, 2, 4, 8).
var StandardConstants = Constants{
	R: [5]uint8{64, 0, 32, 64, 96},
	C: [5][16]byte{
		{},
		{15: 1},
		{15: 2},
		{15: 4},
		{15: 8},
	},
}

// u128 is a 128-bit block as two big-endian halves; bit 0 of TS 35.206 (the
// most significant bit) is bit 63 of hi.
type u128 struct{ hi, lo uint64 }

func load(b []byte) u128 {
	return u128{binary.BigEndian.Uint64(b[:8]), binary.BigEndian.Uint64(b[8:16])}
}

func (x u128) put(b []byte) {
	binary.BigEndian.PutUint64(b[:8], x.hi)
	binary.BigEndian.PutUint64(b[8:16], x.lo)
}

func (x u128) xor(y u128) u128 { return u128{x.hi ^ y.hi, x.lo ^ y.lo} }

// rot is rot(x, r) of TS 35.206 §4.1: a cyclic rotation by r bit positions
// towards the most significant bit, y[i] = x[(i+r) mod 128].
func (x u128) rot(r uint8) u128 {
	r &= 127
	if r >= 64 {
		x.hi, x.lo = x.lo, x.hi
		r -= 64
	}
	if r == 0 {
		return x
	}
	return u128{x.hi<<r | x.lo>>(64-r), x.lo<<r | x.hi>>(64-r)}
}

// Milenage is the Milenage algorithm set of TS 35.206 bound to one
// subscriber: the AES-128 key schedule of K is expanded once in New, so a
// Compute call costs six AES blocks at most and allocates nothing.
//
// A Milenage is safe for concurrent use; calls on one value serialise on a
// short internal lock. The AES inputs and outputs live in the value: the
// cipher.Block interface would otherwise move a stack buffer to the heap on
// every block, and one buffer per OUTi lets all inputs be written before the
// first of them is encrypted.
type Milenage struct {
	mu    sync.Mutex
	block cipher.Block
	buf   [6][16]byte // [0]: TEMP; [i]: OUTi
	opc   u128
	r     [5]uint8
	c     [5]u128
}

// ComputeOPc derives OPc = OP ⊕ E[OP]K (TS 35.206 §4.1).
func ComputeOPc(k, op Key) Key {
	b, _ := aes.NewCipher(k[:]) // a 16-byte key never fails
	var opc Key
	b.Encrypt(opc[:], op[:])
	for i := range opc {
		opc[i] ^= op[i]
	}
	return opc
}

// New returns Milenage for subscriber key K and OPc with the standard
// constants of TS 35.206 §4.1.
func New(k, opc Key) *Milenage {
	m, _ := NewWithConstants(k, opc, StandardConstants)
	return m
}

// NewFromOP returns Milenage for K and the operator variant OP, deriving
// OPc as TS 35.206 §4.1 does.
func NewFromOP(k, op Key) *Milenage { return New(k, ComputeOPc(k, op)) }

// NewWithConstants returns Milenage with operator-chosen r1..r5 and c1..c5
// (TS 35.206 §4.1, §5.3). A rotation above 127 bits is rejected with
// ErrParam.
func NewWithConstants(k, opc Key, c Constants) (*Milenage, error) {
	for i, r := range c.R {
		if r > 127 {
			return nil, fmt.Errorf("%w: r%d = %d, want 0..127 (TS 35.206 §4.1)", ErrParam, i+1, r)
		}
	}
	b, err := aes.NewCipher(k[:])
	if err != nil {
		return nil, err
	}
	m := &Milenage{block: b, opc: load(opc[:]), r: c.R}
	for i := range c.C {
		m.c[i] = load(c.C[i][:])
	}
	return m, nil
}

// encrypt replaces m.buf[i] with E[m.buf[i]]K; m.mu must be held.
func (m *Milenage) encrypt(i int) {
	m.block.Encrypt(m.buf[i][:], m.buf[i][:])
}

// in1 writes the OUT1 input E-argument TEMP ⊕ rot(IN1 ⊕ OPc, r1) ⊕ c1 with
// IN1 = SQN ‖ AMF ‖ SQN ‖ AMF (TS 35.206 §4.1).
func (m *Milenage) in1(temp u128, sqn SQN, amf AMF) {
	half := uint64(sqn&MaxSQN)<<16 | uint64(amf)
	temp.xor(u128{half, half}.xor(m.opc).rot(m.r[0])).xor(m.c[0]).put(m.buf[1][:])
}

// output returns OUTi = E[...]K ⊕ OPc from m.buf[i].
func (m *Milenage) output(i int) u128 { return load(m.buf[i][:]).xor(m.opc) }

// Compute evaluates the selected Milenage functions (TS 35.206 §4.1):
// TEMP = E[RAND ⊕ OPc]K once, then as needed OUT1 = E[TEMP ⊕ rot(IN1 ⊕ OPc,
// r1) ⊕ c1]K ⊕ OPc (f1 = bits 0..63, f1* = bits 64..127) with IN1 = SQN ‖
// AMF ‖ SQN ‖ AMF, and OUTi = E[rot(TEMP ⊕ OPc, ri) ⊕ ci]K ⊕ OPc for
// i = 2..5: OUT2 gives f5 (bits 0..47) and f2 (bits 64..127), OUT3 f3,
// OUT4 f4 and OUT5 f5* (bits 0..47).
func (m *Milenage) Compute(rand RAND, sqn SQN, amf AMF, fns Funcs) (o Output) {
	need1 := fns&(F1|F1Star) != 0
	need2 := fns&(F2|F5|SQNConcealed) != 0
	need5 := fns&(F5Star|SQNConcealedStar) != 0
	m.mu.Lock()
	load(rand[:]).xor(m.opc).put(m.buf[0][:])
	m.encrypt(0)
	temp := load(m.buf[0][:])
	tx := temp.xor(m.opc)
	// Write every independent input first, then encrypt them in turn.
	if need2 {
		tx.rot(m.r[1]).xor(m.c[1]).put(m.buf[2][:])
	}
	if fns&F3 != 0 {
		tx.rot(m.r[2]).xor(m.c[2]).put(m.buf[3][:])
	}
	if fns&F4 != 0 {
		tx.rot(m.r[3]).xor(m.c[3]).put(m.buf[4][:])
	}
	if need5 {
		tx.rot(m.r[4]).xor(m.c[4]).put(m.buf[5][:])
	}
	if need1 && fns&(SQNConcealed|SQNConcealedStar) == 0 {
		m.in1(temp, sqn, amf)
	}
	if need2 {
		m.encrypt(2)
		out2 := m.output(2)
		binary.BigEndian.PutUint64(o.RES.b[:8], out2.lo)
		o.RES.n = 8
		putAK(&o.AK, out2.hi)
		if fns&SQNConcealed != 0 {
			sqn ^= SQN(out2.hi >> 16)
			if need1 {
				m.in1(temp, sqn, amf)
			}
		}
	}
	if fns&F3 != 0 {
		m.encrypt(3)
		m.output(3).put(o.CK[:])
	}
	if fns&F4 != 0 {
		m.encrypt(4)
		m.output(4).put(o.IK[:])
	}
	if need5 {
		m.encrypt(5)
		out5 := m.output(5)
		putAK(&o.AKStar, out5.hi)
		if fns&SQNConcealedStar != 0 {
			sqn ^= SQN(out5.hi >> 16)
			if need1 {
				m.in1(temp, sqn, amf)
			}
		}
	}
	if need1 {
		m.encrypt(1)
		out1 := m.output(1)
		binary.BigEndian.PutUint64(o.MACA[:], out1.hi)
		binary.BigEndian.PutUint64(o.MACS[:], out1.lo)
	}
	m.mu.Unlock()
	return o
}

// putAK stores the 48 most significant bits of hi.
func putAK(ak *AK, hi uint64) {
	ak[0], ak[1], ak[2] = byte(hi>>56), byte(hi>>48), byte(hi>>40)
	ak[3], ak[4], ak[5] = byte(hi>>32), byte(hi>>24), byte(hi>>16)
}

// F1 returns MAC-A = f1(K, SQN, RAND, AMF) (TS 35.206 §4.1).
func (m *Milenage) F1(rand RAND, sqn SQN, amf AMF) MAC {
	return m.Compute(rand, sqn, amf, F1).MACA
}

// F1Star returns MAC-S = f1*(K, SQN, RAND, AMF) (TS 35.206 §4.1).
func (m *Milenage) F1Star(rand RAND, sqn SQN, amf AMF) MAC {
	return m.Compute(rand, sqn, amf, F1Star).MACS
}

// F2 returns RES = f2(K, RAND) (TS 35.206 §4.1).
func (m *Milenage) F2(rand RAND) RES { return m.Compute(rand, 0, 0, F2).RES }

// F3 returns CK = f3(K, RAND) (TS 35.206 §4.1).
func (m *Milenage) F3(rand RAND) Key { return m.Compute(rand, 0, 0, F3).CK }

// F4 returns IK = f4(K, RAND) (TS 35.206 §4.1).
func (m *Milenage) F4(rand RAND) Key { return m.Compute(rand, 0, 0, F4).IK }

// F5 returns AK = f5(K, RAND) (TS 35.206 §4.1).
func (m *Milenage) F5(rand RAND) AK { return m.Compute(rand, 0, 0, F5).AK }

// F5Star returns AK* = f5*(K, RAND) (TS 35.206 §4.1).
func (m *Milenage) F5Star(rand RAND) AK { return m.Compute(rand, 0, 0, F5Star).AKStar }

// String names the algorithm without revealing K or OPc.
func (m *Milenage) String() string { return "Milenage(K, OPc redacted)" }

// GoString is like String, so %#v does not print the key schedule.
func (m *Milenage) GoString() string { return m.String() }

// Format prints String for every verb, so no fmt verb reaches the key.
func (m *Milenage) Format(f fmt.State, verb rune) { _, _ = f.Write([]byte(m.String())) }

package atr

import (
	"strconv"
	"strings"
)

const hexDigits = "0123456789ABCDEF"

func hex2(b byte) string { return string([]byte{hexDigits[b>>4], hexDigits[b&15]}) }

func hexSpaced(b []byte) string {
	var sb strings.Builder
	for i, c := range b {
		if i > 0 {
			sb.WriteByte(' ')
		}
		sb.WriteString(hex2(c))
	}
	return sb.String()
}

// Clock rate conversion integer Fi and maximum frequency f(max) in kHz,
// indexed by FI, ISO/IEC 7816-3 §8.3 Table 7. Zero marks RFU values.
var fiTable = [16]struct{ fi, fmaxKHz int }{
	{372, 4000}, {372, 5000}, {558, 6000}, {744, 8000}, {1116, 12000}, {1488, 16000}, {1860, 20000}, {}, {},
	{512, 5000}, {768, 7500}, {1024, 10000}, {1536, 15000}, {2048, 20000}, {}, {},
}

// Baud rate adjustment integer Di indexed by DI, ISO/IEC 7816-3 §8.3
// Table 8. Zero marks RFU values.
var diTable = [16]int{0, 1, 2, 4, 8, 16, 32, 64, 12, 20, 0, 0, 0, 0, 0, 0}

// FiDi returns the clock rate conversion integer Fi, its maximum clock
// frequency in kHz and the baud rate adjustment integer Di coded by TA1
// (ISO/IEC 7816-3 §8.3 Tables 7–8), or the defaults Fd=372, 5 MHz, Dd=1
// when TA1 is absent. ok is false when FI or DI is an RFU value.
func (a *ATR) FiDi() (fi, fmaxKHz, di int, ok bool) {
	ta1, present := a.Interface('A', 1)
	if !present {
		return 372, 5000, 1, true
	}
	f := fiTable[ta1>>4]
	d := diTable[ta1&0x0F]
	return f.fi, f.fmaxKHz, d, f.fi != 0 && d != 0
}

// SpecificMode decodes TA2 (ISO/IEC 7816-3 §8.3): when present the card
// is in specific mode for protocol t; canChange is b8 = 0 (the card can
// switch to negotiable mode after a warm reset); implicit is b5 = 1
// (transmission parameters defined implicitly, not by TA1).
func (a *ATR) SpecificMode() (t Protocol, canChange, implicit, ok bool) {
	ta2, present := a.Interface('A', 2)
	if !present {
		return 0, false, false, false
	}
	return Protocol(ta2 & 0x0F), ta2&0x80 == 0, ta2&0x10 != 0, true
}

// ClockStop is the clock stop indicator XI of the first TA for T=15
// (ISO/IEC 7816-3 §8.3 Table 11; ETSI TS 102 221 §6.3.2).
type ClockStop uint8

// Clock stop indicators.
const (
	ClockStopNotSupported ClockStop = 0 // clock stop not supported
	ClockStopLow          ClockStop = 1 // supported in state L only
	ClockStopHigh         ClockStop = 2 // supported in state H only
	ClockStopAny          ClockStop = 3 // supported, no preference
)

// String describes the indicator as ISO/IEC 7816-3 §8.3 Table 11 does.
func (c ClockStop) String() string {
	return [...]string{"clock stop not supported", "clock stop in state L", "clock stop in state H", "clock stop with no preference"}[c&3]
}

// Classes is the class indicator UI of the first TA for T=15, bit b1 for
// class A (5 V), b2 class B (3 V), b3 class C (1.8 V) (ISO/IEC 7816-3 §8.3
// Table 12; ETSI TS 102 221 §6.2.1).
type Classes uint8

// Supply voltage classes.
const (
	ClassA Classes = 1 << iota // 5 V
	ClassB                     // 3 V
	ClassC                     // 1.8 V
)

// String lists the classes with their voltages, ISO/IEC 7816-3 §8.3 Table 12.
func (c Classes) String() string {
	var parts []string
	for i, name := range []string{"A (5 V)", "B (3 V)", "C (1.8 V)"} {
		if c&(1<<i) != 0 {
			parts = append(parts, name)
		}
	}
	if c&^7 != 0 {
		parts = append(parts, "RFU bits "+hex2(byte(c&^7)))
	}
	if len(parts) == 0 {
		return "no class"
	}
	return strings.Join(parts, ", ")
}

// ClockStopAndClasses decodes the first TA after a TD indicating T=15
// (ISO/IEC 7816-3 §8.3): XI in b8–b7, UI in b6–b1. A UICC must send it
// (ETSI TS 102 221 §6.3.2). ok is false when there is no such byte.
func (a *ATR) ClockStopAndClasses() (xi ClockStop, ui Classes, ok bool) {
	g, found := a.GroupFor(15)
	if !found || g.Present&HasTA == 0 {
		return 0, 0, false
	}
	return ClockStop(g.TA >> 6), Classes(g.TA & 0x3F), true
}

// String describes the ATR in one paragraph in the manner of pcsc_scan's
// ATR_analysis: every byte in order with its meaning, then the protocols
// offered.
func (a ATR) String() string {
	var sb strings.Builder
	raw, err := a.Append(nil)
	if err != nil {
		return "invalid ATR: " + err.Error()
	}
	sb.WriteString("ATR " + hexSpaced(raw) + ": TS=" + hex2(byte(a.TS)) + " " + a.TS.String())
	k := len(a.Historical)
	sb.WriteString("; T0=" + hex2(raw[1]) + " Y1=" + bits4(raw[1]>>4) + " K=" + strconv.Itoa(k) + " historical bytes")
	for j, g := range a.Groups {
		i := strconv.Itoa(j + 1)
		var proto Protocol // protocol the group's bytes refer to
		specific := j >= 2
		if j >= 1 {
			proto = a.Groups[j-1].T
		}
		if g.Present&HasTA != 0 {
			sb.WriteString("; TA" + i + "=" + hex2(g.TA) + " " + describeTA(a, j, g.TA, proto, specific))
		}
		if g.Present&HasTB != 0 {
			sb.WriteString("; TB" + i + "=" + hex2(g.TB) + " " + describeTB(j, g.TB, proto, specific))
		}
		if g.Present&HasTC != 0 {
			sb.WriteString("; TC" + i + "=" + hex2(g.TC) + " " + describeTC(j, g.TC, proto, specific))
		}
		if g.Present&HasTD != 0 {
			td, _ := a.Interface('D', j+1)
			sb.WriteString("; TD" + i + "=" + hex2(td) + " Y" + strconv.Itoa(j+2) + "=" + bits4(td>>4) + " " + g.T.String())
			if g.T == 15 {
				sb.WriteString(" (global interface bytes follow)")
			}
		}
	}
	if k > 0 {
		sb.WriteString("; historical bytes " + hexSpaced(a.Historical))
		if h, err := ParseHistorical(a.Historical); err == nil {
			sb.WriteString(" [" + h.String() + "]")
		}
	}
	if a.TCKRequired() {
		sb.WriteString("; TCK=" + hex2(raw[len(raw)-1]) + " (correct checksum)")
	}
	sb.WriteString("; protocols offered: " + a.Protocols().String() + ".")
	return sb.String()
}

func bits4(n byte) string {
	b := []byte("0000")
	for i := 0; i < 4; i++ {
		if n&(8>>i) != 0 {
			b[i] = '1'
		}
	}
	return string(b)
}

func describeTA(a ATR, j int, ta byte, proto Protocol, specific bool) string {
	switch {
	case j == 0:
		f := fiTable[ta>>4]
		d := diTable[ta&0x0F]
		if f.fi == 0 || d == 0 {
			return "(FI=" + strconv.Itoa(int(ta>>4)) + " DI=" + strconv.Itoa(int(ta&15)) + ", RFU value)"
		}
		s := "(Fi=" + strconv.Itoa(f.fi) + ", Di=" + strconv.Itoa(d)
		if f.fi%d == 0 {
			s += ", " + strconv.Itoa(f.fi/d) + " cycles/ETU"
		}
		return s + ", fmax " + khz(f.fmaxKHz) + ")"
	case j == 1:
		t, canChange, implicit, _ := a.SpecificMode()
		s := "(specific mode " + t.String()
		if canChange {
			s += ", can change to negotiable mode"
		} else {
			s += ", cannot change mode"
		}
		if implicit {
			s += ", implicit parameters"
		} else {
			s += ", parameters from TA1"
		}
		return s + ")"
	case specific && proto == 15:
		return "(" + ClockStop(ta>>6).String() + ", classes " + Classes(ta&0x3F).String() + ")"
	case specific && proto == 1:
		return "(IFSC " + strconv.Itoa(int(ta)) + ")"
	}
	return "(" + proto.String() + " specific)"
}

func describeTB(j int, tb byte, proto Protocol, specific bool) string {
	switch {
	case j == 0 || j == 1:
		return "(VPP, deprecated)"
	case specific && proto == 1:
		return "(BWI " + strconv.Itoa(int(tb>>4)) + ", CWI " + strconv.Itoa(int(tb&15)) + ")"
	case specific && proto == 15:
		return "(SPU " + hex2(tb) + ")"
	}
	return "(" + proto.String() + " specific)"
}

func describeTC(j int, tc byte, proto Protocol, specific bool) string {
	switch {
	case j == 0:
		return "(extra guard time N=" + strconv.Itoa(int(tc)) + ")"
	case j == 1:
		return "(T=0 waiting time integer WI=" + strconv.Itoa(int(tc)) + ")"
	case specific && proto == 1:
		if tc&1 != 0 {
			return "(T=1 error detection CRC)"
		}
		return "(T=1 error detection LRC)"
	}
	return "(" + proto.String() + " specific)"
}

func khz(k int) string {
	if k%1000 == 0 {
		return strconv.Itoa(k/1000) + " MHz"
	}
	return strconv.Itoa(k/1000) + "." + strconv.Itoa(k%1000/100) + " MHz"
}

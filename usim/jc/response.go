package jc

import "github.com/uiccsim/uiccsim/apdu"

// shape appends the response APDU under the transmission protocol's rules.
//
// T=0 (ISO/IEC 7816-3 §12.2, ETSI TS 102 221 §7.3.1): response data of a
// command without Le or with command data (cases 1, 3 and 4, whose Le the
// terminal strips) is kept for GET RESPONSE and announced by 61xx (by the
// warning itself when SW1 is 62/63); for a case-2 command, Le=00 answers
// what is available, a different Le than the data length answers 6Cxx.
//
// T=1: data up to Ne comes back directly; data beyond Ne is kept for GET
// RESPONSE and announced by 61xx; without Le no data is returned.
func (rt *Runtime) shape(dst []byte, c *apdu.Command, data []byte, sw apdu.StatusWord) []byte {
	if len(data) == 0 {
		return appendSW(dst, sw)
	}
	if !rt.t1 {
		if c.Ne == 0 || len(c.Data) > 0 {
			return rt.keep(dst, data, sw)
		}
		if len(data) > apdu.MaxShortNe { // more than one T=0 response holds
			n := min(c.Ne, apdu.MaxShortNe)
			rt.keepRest(data[n:], sw)
			return apdu.AppendResponse(dst, data[:n], moreSW(len(data)-n))
		}
		if len(data) == c.Ne || (c.Ne == apdu.MaxShortNe && len(data) < c.Ne) {
			return apdu.AppendResponse(dst, data, sw)
		}
		return appendSW(dst, apdu.StatusWord(0x6C00|len(data)&0xFF))
	}
	if c.Ne == 0 {
		return appendSW(dst, sw)
	}
	if len(data) > c.Ne {
		rt.keepRest(data[c.Ne:], sw)
		return apdu.AppendResponse(dst, data[:c.Ne], moreSW(len(data)-c.Ne))
	}
	return apdu.AppendResponse(dst, data, sw)
}

// wrongLe reports the T=0 answer 6Cxx to a case-2 command whose Le (not
// 00) differs from the response length (ISO/IEC 7816-3 §12.2.2, ETSI TS
// 102 221 §7.3.1.1.4). It is decided before the command commits, so the
// refused command is rolled back.
func (rt *Runtime) wrongLe(c *apdu.Command, data []byte, sw apdu.StatusWord) (apdu.StatusWord, bool) {
	if rt.t1 || len(data) == 0 || !carriesData(sw) || c.Ne == 0 || len(c.Data) > 0 {
		return 0, false
	}
	if len(data) == c.Ne || len(data) > apdu.MaxShortNe || (c.Ne == apdu.MaxShortNe && len(data) < c.Ne) {
		return 0, false
	}
	return apdu.StatusWord(0x6C00 | len(data)&0xFF), true
}

// keep stores data for GET RESPONSE on the current channel and appends
// the announcing status word (61xx, or the 62xx/63xx warning).
func (rt *Runtime) keep(dst, data []byte, sw apdu.StatusWord) []byte {
	rt.pend = append(rt.pend[:0], data...)
	rt.pendOff = 0
	rt.pendCh = rt.ctx.channel
	rt.hasPend = true
	rt.pendSW = apdu.SWOK
	switch s1 := sw.SW1(); {
	case s1 == 0x62 || s1 == 0x63:
		return appendSW(dst, sw) // the warning now, the data by GET RESPONSE
	case sw != apdu.SWOK && s1 != 0x91:
		rt.pendSW = sw // e.g. 9Exx: delivered with the data
	}
	return appendSW(dst, moreSW(len(data)))
}

// keepRest keeps the part of a response beyond Ne; the command's status
// word (unless 9000/91xx) then ends the last GET RESPONSE.
func (rt *Runtime) keepRest(data []byte, sw apdu.StatusWord) {
	rt.keep(nil, data, sw)
	if sw != apdu.SWOK && sw.SW1() != 0x91 {
		rt.pendSW = sw
	}
}

// moreSW is 61xx: xx more bytes available (00 for 256 or more).
func moreSW(n int) apdu.StatusWord {
	if n > 255 {
		n = 0
	}
	return apdu.StatusWord(0x6100 | n)
}

// getResponse is GET RESPONSE, ETSI TS 102 221 §11.1.13 / ISO/IEC 7816-4
// §7.6.1: it returns up to Le bytes of the kept response; on T=0 an Le
// other than 00 that exceeds what is left answers 6Cxx; what is still left
// afterwards is announced by 61xx, the end by 9000 (or 91xx, or the
// command's own 9xxx status word). Without Le
// (case 1) no data may come back, so it announces the rest again (61xx).
func (rt *Runtime) getResponse(dst []byte, c *apdu.Command) []byte {
	if sw := rt.checkClass(c); sw != 0 {
		rt.hasPend = false
		return appendSW(dst, sw)
	}
	if c.Class().Kind() != apdu.ClassInterindustry {
		rt.hasPend = false
		return appendSW(dst, apdu.SWCLANotSupported)
	}
	if c.P1 != 0 || c.P2 != 0 {
		return appendSW(dst, apdu.SWIncorrectP1P2)
	}
	if len(c.Data) != 0 {
		return appendSW(dst, apdu.SWWrongLength)
	}
	if !rt.hasPend || rt.pendCh != c.Class().Channel() {
		rt.hasPend = false
		return appendSW(dst, apdu.SWConditionsNotSatisfied)
	}
	left := len(rt.pend) - rt.pendOff
	ne := c.Ne
	if ne == 0 { // no Le (a 4-byte APDU): data cannot come back, announce it again
		return appendSW(dst, moreSW(left))
	}
	if !rt.t1 && ne < apdu.MaxShortNe && ne > left {
		return appendSW(dst, apdu.StatusWord(0x6C00|left))
	}
	n := min(ne, left)
	dst = append(dst, rt.pend[rt.pendOff:rt.pendOff+n]...)
	rt.pendOff += n
	if left -= n; left > 0 {
		return appendSW(dst, moreSW(left))
	}
	rt.hasPend = false
	if rt.pendSW != apdu.SWOK {
		return appendSW(dst, rt.pendSW)
	}
	return appendSW(dst, rt.proactiveSW())
}

package usim

import "github.com/uiccsim/uiccsim/usim/fs"

// allowed evaluates the access rule of file n (the EF_ARR record its tag
// 8B references, expanded format, ETSI TS 102 221 §9.2.4 and §9.2.6) for an
// operation against the RFM application's access domain (TS 102 226
// §8.2.1.3.2.3): a key-reference condition holds when the domain holds the
// key or the PIN is disabled. Command-header AM DOs naming the INS take
// precedence over the access mode byte; a missing rule denies.
func (r *rfmExec) allowed(n fs.Node, mode fs.Access, ins byte) bool {
	rule := r.arrRule(n)
	const (
		none = iota
		byAM
		byCH
	)
	cur := none
	var amOK, chOK, chSeen bool
	for len(rule) > 0 && rule[0] != 0xFF {
		tag, val, rest, ok := nextTLV(rule)
		if !ok {
			return false
		}
		rule = rest
		switch {
		case tag == 0x80:
			cur = none
			if len(val) == 1 && fs.Access(val[0])&mode != 0 {
				cur = byAM
			}
		case tag > 0x80 && tag <= 0x8F:
			cur = none
			if tag&0x04 != 0 {
				i := 0
				if tag&0x08 != 0 {
					i++
				}
				if i < len(val) && val[i] == ins {
					cur, chSeen = byCH, true
				}
			}
		case cur != none && r.condition(tag, val, 0):
			if cur == byAM {
				amOK = true
			} else {
				chOK = true
			}
		}
	}
	if chSeen {
		return chOK
	}
	return amOK
}

// condition evaluates one security condition DO (90 always, 97 never, A4
// key reference CRT, A0 OR, AF AND; ISO/IEC 7816-4 §9.3.3).
func (r *rfmExec) condition(tag byte, val []byte, depth int) bool {
	switch tag {
	case 0x90:
		return true
	case 0xA4:
		for len(val) > 0 {
			t, v, rest, ok := nextTLV(val)
			if !ok {
				return false
			}
			val = rest
			if t == 0x83 && len(v) == 1 {
				return r.holds(fs.KeyRef(v[0]))
			}
		}
	case 0xA0, 0xAF:
		if depth >= 4 {
			return false
		}
		any, all := false, true
		for len(val) > 0 {
			t, v, rest, ok := nextTLV(val)
			if !ok {
				return false
			}
			val = rest
			if r.condition(t, v, depth+1) {
				any = true
			} else {
				all = false
			}
		}
		if tag == 0xA0 {
			return any
		}
		return any && all
	}
	return false
}

// holds reports whether key reference k's condition holds for the RFM
// application: in its access domain, or a PIN that is disabled.
func (r *rfmExec) holds(k fs.KeyRef) bool {
	if r.access[k] {
		return true
	}
	s, err := r.fs.PINState(k)
	return err == nil && !s.Enabled
}

// arrRule returns the EF_ARR record that file n's ARR reference names,
// searched from n's DF up to the MF (TS 102 221 §9.2.6).
func (r *rfmExec) arrRule(n fs.Node) []byte {
	i := r.info(n)
	if i.ARR.Record == 0 {
		return nil
	}
	dir := n
	if i.Kind == fs.KindEF {
		dir = i.Parent
	}
	for dir != fs.NoNode {
		if a, ok := r.fs.Child(dir, i.ARR.FID); ok && r.info(a).Structure == fs.LinearFixed {
			b, err := r.fs.Record(a, int(i.ARR.Record))
			if err != nil {
				return nil
			}
			return b
		}
		dir = r.info(dir).Parent
	}
	return nil
}

// nextTLV reads one BER-TLV with a one-byte tag and a short or 81/82
// length, without allocating.
func nextTLV(b []byte) (tag byte, val, rest []byte, ok bool) {
	if len(b) < 2 {
		return 0, nil, nil, false
	}
	tag, n, i := b[0], int(b[1]), 2
	switch {
	case n == 0x81 && len(b) >= 3:
		n, i = int(b[2]), 3
	case n == 0x82 && len(b) >= 4:
		n, i = int(b[2])<<8|int(b[3]), 4
	case n > 0x7F:
		return 0, nil, nil, false
	}
	if n > len(b)-i {
		return 0, nil, nil, false
	}
	return tag, b[i : i+n], b[i+n:], true
}

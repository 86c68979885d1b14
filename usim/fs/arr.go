package fs

// Access is the access mode byte of an access rule, ISO/IEC 7816-4 §7.4.3
// Table 17 as used by ETSI TS 102 221 §9.2.4 (bits for EFs; for DFs b1..b3
// mean DELETE child, CREATE EF, CREATE DF).
type Access byte

// Access mode bits (ETSI TS 102 221 §9.2.4).
const (
	AccessRead       Access = 0x01 // READ BINARY/RECORD, SEARCH RECORD
	AccessUpdate     Access = 0x02 // UPDATE BINARY/RECORD, INCREASE
	AccessWrite      Access = 0x04 // WRITE / append
	AccessDeactivate Access = 0x08 // DEACTIVATE FILE
	AccessActivate   Access = 0x10 // ACTIVATE FILE
	AccessTerminate  Access = 0x20 // TERMINATE EF/DF
	AccessDelete     Access = 0x40 // DELETE FILE (self)
)

var accessNames = [...]string{"READ", "UPDATE", "WRITE", "DEACTIVATE", "ACTIVATE", "TERMINATE", "DELETE"}

// String lists the access modes set, e.g. "READ|UPDATE".
func (a Access) String() string {
	s := ""
	for i, n := range accessNames {
		if a&(1<<i) != 0 {
			if s != "" {
				s += "|"
			}
			s += n
		}
	}
	if s == "" {
		return "none"
	}
	return s
}

// Security condition and access mode DO tags of the expanded format (ETSI
// TS 102 221 §9.2.4, ISO/IEC 7816-4 §9.3.3).
const (
	tagAMByte  = 0x80 // access mode byte
	tagAlways  = 0x90 // always
	tagNever   = 0x97 // never
	tagCRT     = 0xA4 // control reference template: 83 key reference, 95 usage qualifier
	tagOR      = 0xA0 // OR template
	tagAND     = 0xAF // AND template
	tagKeyRef  = 0x83
	maxSCDepth = 4
)

// SecurityStatus is the security status an access rule is evaluated
// against (ETSI TS 102 221 §9.2.4, ISO/IEC 7816-4 §9.3.3): Holds reports
// whether the condition of key reference k holds — the PIN is verified in
// that context, lies in its access domain (remote file management, TS 102
// 226 §8.2.1.3.2.3), or is disabled.
type SecurityStatus interface {
	Holds(k KeyRef) bool
}

// AccessAllowed evaluates an access rule — one EF_ARR record in expanded
// format, a sequence of AM DOs each followed by its SC DOs (ETSI TS 102
// 221 §9.2.4; records are FF-padded) — for an operation, given by its
// access mode bit and instruction byte, against security status s.
// Command-header AM DOs (81..8F) naming the INS take precedence over the
// access mode byte (80); any satisfied SC DO of a matching AM DO grants
// access (90 always, 97 never, A4 key reference CRT, A0 OR and AF AND
// templates nested at most 4 deep; secure-messaging templates never hold).
// An empty, malformed or non-matching rule denies. It does not allocate.
func AccessAllowed(rule []byte, mode Access, ins byte, s SecurityStatus) bool {
	const (
		none = iota
		byAM
		byCH
	)
	cur := none
	var amOK, chOK, chSeen bool
	for len(rule) > 0 && rule[0] != 0xFF { // records are FF-padded
		tag, val, rest, ok := nextTLV(rule)
		if !ok {
			return false
		}
		rule = rest
		switch {
		case tag == tagAMByte:
			cur = none
			if len(val) == 1 && Access(val[0])&mode != 0 {
				cur = byAM
			}
		case tag > 0x80 && tag <= 0x8F:
			cur = none
			if headerMatches(tag, val, ins) {
				cur, chSeen = byCH, true
			}
		case cur != none && condition(tag, val, 0, s):
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

// terminalStatus is the security status of the command being processed
// (FS.satisfied), as a SecurityStatus.
type terminalStatus FS

// Holds implements SecurityStatus.
func (t *terminalStatus) Holds(k KeyRef) bool { return (*FS)(t).satisfied(k) }

// allowed evaluates the security attributes of file n (Allowed) for an
// operation against the security status of the command being processed.
func (f *FS) allowed(n Node, mode Access, ins byte) bool {
	return f.Allowed(n, mode, ins, (*terminalStatus)(f))
}

// headerMatches reports whether a command-header AM DO (tag 8X: b4 CLA,
// b3 INS, b2 P1, b1 P2 present, ISO/IEC 7816-4 §9.3.3) names ins.
func headerMatches(tag byte, val []byte, ins byte) bool {
	if tag&0x04 == 0 {
		return false
	}
	i := 0
	if tag&0x08 != 0 {
		i++ // CLA
	}
	return i < len(val) && val[i] == ins
}

// condition evaluates one security condition DO against s.
func condition(tag byte, val []byte, depth int, s SecurityStatus) bool {
	switch tag {
	case tagAlways:
		return true
	case tagNever:
		return false
	case tagCRT:
		for len(val) > 0 {
			t, v, rest, ok := nextTLV(val)
			if !ok {
				return false
			}
			val = rest
			if t == tagKeyRef && len(v) == 1 {
				return s.Holds(KeyRef(v[0]))
			}
		}
		return false
	case tagOR, tagAND:
		if depth >= maxSCDepth {
			return false
		}
		any, all := false, true
		for len(val) > 0 {
			t, v, rest, ok := nextTLV(val)
			if !ok {
				return false
			}
			val = rest
			if condition(t, v, depth+1, s) {
				any = true
			} else {
				all = false
			}
		}
		if tag == tagOR {
			return any
		}
		return any && all
	}
	return false // SM templates and anything unknown: not satisfiable here
}

// nextTLV reads one BER-TLV with a one-byte tag and a short or 81/82 long
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

// AccessRule returns the access rule of file n (a read-only view, valid
// until the next write): record ARR.Record of the EF_ARR ARR.FID that n's
// tag 8B names (in the long form, the record of the current security
// environment, secattr.go), searched in the DF itself (for a DF) or the EF's DF, then
// in each parent up to the MF (ETSI TS 102 221 §9.2.6). nil when n, the
// EF_ARR or the record is absent.
func (f *FS) AccessRule(n Node) []byte {
	if !f.valid(n) {
		return nil
	}
	ref := f.nodes[n].arr
	if f.nodes[n].sec.tag == tagSecurityRef { // long form: the current SE's record
		ref.Record = f.seRecord(n)
	}
	if ref.Record == 0 {
		return nil
	}
	dir := n
	if f.nodes[n].kind == KindEF {
		dir = f.nodes[n].parent
	}
	for dir != NoNode {
		for _, c := range f.nodes[dir].children {
			e := &f.nodes[c]
			if e.fid == ref.FID && e.kind == KindEF && e.structure == LinearFixed {
				if int(ref.Record) > e.nrec {
					return nil
				}
				return f.record(c, int(ref.Record))
			}
		}
		dir = f.nodes[dir].parent
	}
	return nil
}

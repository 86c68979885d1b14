package ef

import (
	"strconv"
	"strings"
)

// KeyRef is a key reference of TS 102 221 §9.5.1 Table 9.3 (the PIN and
// ADM numbering used in CRTs, VERIFY P2 and PS_DOs).
type KeyRef byte

// Key references of TS 102 221 §9.5.1.
const (
	KeyPIN1         KeyRef = 0x01 // PIN Appl 1 (the USIM's PIN1)
	KeyUniversalPIN KeyRef = 0x11
	KeyPIN2         KeyRef = 0x81 // second PIN Appl 1 (PIN2)
	KeyADM1         KeyRef = 0x0A
	KeyADM2         KeyRef = 0x0B
	KeyADM3         KeyRef = 0x0C
	KeyADM4         KeyRef = 0x0D
	KeyADM5         KeyRef = 0x0E
)

// String names the key as TS 102 221 Table 9.3 does: "PIN1" .. "PIN8"
// (PIN Appl 1..8), "PIN2" for the second PIN of application 1 and
// "2nd PIN Appl n" for the others, "ADM1".."ADM10", "universal PIN".
func (k KeyRef) String() string {
	switch {
	case k >= 0x01 && k <= 0x08:
		return "PIN" + strconv.Itoa(int(k))
	case k == KeyPIN2:
		return "PIN2"
	case k >= 0x82 && k <= 0x88:
		return "2nd PIN Appl " + strconv.Itoa(int(k-0x80))
	case k >= 0x0A && k <= 0x0E:
		return "ADM" + strconv.Itoa(int(k-0x09))
	case k >= 0x8A && k <= 0x8E:
		return "ADM" + strconv.Itoa(int(k-0x8A+6))
	case k == KeyUniversalPIN:
		return "universal PIN"
	}
	return "key " + strconv.FormatUint(uint64(k), 16)
}

// AccessMode is the access mode byte of an AM_DO '80' (ISO/IEC 7816-4
// §9.3.6 Table 17 as profiled by TS 102 221 §9.2.4). The bit meanings for
// an EF are given; for a DF, b1..b3 mean DELETE FILE (child), CREATE EF,
// CREATE DF.
type AccessMode byte

// Access mode bits for EFs, TS 102 221 §9.2.4.
const (
	AMRead       AccessMode = 0x01 // READ / SEARCH / COMPARE
	AMUpdate     AccessMode = 0x02 // UPDATE / ERASE
	AMWrite      AccessMode = 0x04 // WRITE / APPEND
	AMDeactivate AccessMode = 0x08 // DEACTIVATE FILE / record
	AMActivate   AccessMode = 0x10 // ACTIVATE FILE / record
	AMTerminate  AccessMode = 0x20 // TERMINATE EF
	AMDelete     AccessMode = 0x40 // DELETE FILE (self)
)

var amNames = [...]string{"READ", "UPDATE", "WRITE", "DEACTIVATE", "ACTIVATE", "TERMINATE", "DELETE"}

// String lists the operations, e.g. "READ|UPDATE".
func (m AccessMode) String() string {
	var p []string
	for i, n := range amNames {
		if m&(1<<i) != 0 {
			p = append(p, n)
		}
	}
	if m&0x80 != 0 {
		p = append(p, "b8")
	}
	if p == nil {
		return "none"
	}
	return strings.Join(p, "|")
}

// SCKind is the tag of a security condition data object, TS 102 221 §9.2.4.
type SCKind byte

// Security condition DOs of TS 102 221 §9.2.4 / ISO/IEC 7816-4 Table 18.
const (
	SCAlways SCKind = 0x90 // always
	SCNever  SCKind = 0x97 // never
	SCKey    SCKind = 0xA4 // control reference template: user authentication with a key
	SCOr     SCKind = 0xA0 // OR template: one of the nested conditions
	SCAnd    SCKind = 0xAF // AND template: all of the nested conditions
)

// SecurityCondition is one SC_DO. For SCKey, Key is the key reference
// (CRT tag '83') and Usage the usage qualifier (tag '95', '08' = user
// authentication, knowledge based; 0 when absent). For SCOr/SCAnd, Sub
// holds the nested conditions.
type SecurityCondition struct {
	Kind  SCKind
	Key   KeyRef
	Usage byte
	Sub   []SecurityCondition
}

// Always returns the ALW condition.
func Always() SecurityCondition { return SecurityCondition{Kind: SCAlways} }

// Never returns the NEV condition.
func Never() SecurityCondition { return SecurityCondition{Kind: SCNever} }

// Key returns the condition "k verified", with usage qualifier '08'.
func Key(k KeyRef) SecurityCondition {
	return SecurityCondition{Kind: SCKey, Key: k, Usage: 0x08}
}

// String renders the condition: "ALW", "NEV", "ADM1", "(PIN1 OR ADM1)".
func (c SecurityCondition) String() string {
	switch c.Kind {
	case SCAlways:
		return "ALW"
	case SCNever:
		return "NEV"
	case SCKey:
		return c.Key.String()
	case SCOr, SCAnd:
		op := " OR "
		if c.Kind == SCAnd {
			op = " AND "
		}
		p := make([]string, len(c.Sub))
		for i, s := range c.Sub {
			p[i] = s.String()
		}
		return "(" + strings.Join(p, op) + ")"
	}
	return "SC " + strconv.FormatUint(uint64(c.Kind), 16)
}

// Satisfied evaluates the condition given which keys are verified.
func (c SecurityCondition) Satisfied(verified func(KeyRef) bool) bool {
	switch c.Kind {
	case SCAlways:
		return true
	case SCKey:
		return verified(c.Key)
	case SCOr:
		for _, s := range c.Sub {
			if s.Satisfied(verified) {
				return true
			}
		}
	case SCAnd:
		for _, s := range c.Sub {
			if !s.Satisfied(verified) {
				return false
			}
		}
		return len(c.Sub) > 0
	}
	return false
}

func (c SecurityCondition) append(dst []byte, depth int) ([]byte, error) {
	switch c.Kind {
	case SCAlways, SCNever:
		return append(dst, byte(c.Kind), 0), nil
	case SCKey:
		dst = append(dst, byte(SCKey), 3, 0x83, 1, byte(c.Key))
		if c.Usage != 0 {
			dst[len(dst)-4] = 6
			dst = append(dst, 0x95, 1, c.Usage)
		}
		return dst, nil
	case SCOr, SCAnd:
		if depth > 2 {
			return dst, invalid("EF_ARR", "security condition", "templates nested deeper than 2")
		}
		var in []byte
		for _, s := range c.Sub {
			var err error
			if in, err = s.append(in, depth+1); err != nil {
				return dst, err
			}
		}
		return appendTLV(dst, byte(c.Kind), in), nil
	}
	return dst, invalid("EF_ARR", "security condition", "unknown kind "+strconv.FormatUint(uint64(c.Kind), 16))
}

// Rule is one access rule of an EF_ARR record: an access mode DO and the
// security conditions that grant it; any one of the listed conditions
// suffices (ISO/IEC 7816-4 §9.3.6, TS 102 221 §9.2.4). AMTag is '80' with AM
// the access mode byte, or '81'..'8F' (command header description) with AM
// the header bytes it names, e.g. '84' ‖ INS.
type Rule struct {
	AMTag byte
	AM    []byte
	Conds []SecurityCondition
}

// Modes returns the access mode byte of an '80' rule, 0 otherwise.
func (r Rule) Modes() AccessMode {
	if r.AMTag == 0x80 && len(r.AM) > 0 {
		return AccessMode(r.AM[len(r.AM)-1])
	}
	return 0
}

// String renders the rule, e.g. "READ: ALW" or "INS D4: ADM1".
func (r Rule) String() string {
	var s string
	if r.AMTag == 0x80 {
		s = r.Modes().String()
	} else {
		s = "command " + strconv.FormatUint(uint64(r.AMTag), 16) + " " + hexString(r.AM)
		if r.AMTag == 0x84 && len(r.AM) == 1 {
			s = "INS " + hexString(r.AM)
		}
	}
	p := make([]string, len(r.Conds))
	for i, c := range r.Conds {
		p[i] = c.String()
	}
	return s + ": " + strings.Join(p, " OR ")
}

// ARR is one EF_ARR record (TS 102 221 §9.2.4 expanded format, FID 2F06
// under the MF, 6F06 under ADF.USIM).
type ARR []Rule

// Allows reports whether the rules grant every operation in op, given which
// keys are verified; an operation no rule mentions is not granted (NEV).
func (a ARR) Allows(op AccessMode, verified func(KeyRef) bool) bool {
	for bit := AccessMode(1); bit != 0 && bit <= 0x40; bit <<= 1 {
		if op&bit == 0 {
			continue
		}
		granted := false
		for _, r := range a {
			if r.Modes()&bit == 0 {
				continue
			}
			for _, c := range r.Conds {
				if c.Satisfied(verified) {
					granted = true
					break
				}
			}
			break // the first rule naming the operation decides
		}
		if !granted {
			return false
		}
	}
	return op != 0
}

// String renders the rules separated by "; ".
func (a ARR) String() string {
	p := make([]string, len(a))
	for i, r := range a {
		p[i] = r.String()
	}
	return strings.Join(p, "; ")
}

// Append appends the record's DOs, unpadded (use PadFF for the record
// length). Errors wrap ErrInvalid.
func (a ARR) Append(dst []byte) ([]byte, error) {
	start := len(dst)
	for _, r := range a {
		if r.AMTag < 0x80 || r.AMTag > 0x8F || len(r.AM) == 0 || len(r.AM) > 4 {
			return dst[:start], invalid("EF_ARR", "access mode DO", "tag "+strconv.FormatUint(uint64(r.AMTag), 16)+" with "+strconv.Itoa(len(r.AM))+" bytes")
		}
		if len(r.Conds) == 0 {
			return dst[:start], invalid("EF_ARR", "rule", "access mode "+r.String()+" has no security condition")
		}
		dst = appendTLV(dst, r.AMTag, r.AM)
		for _, c := range r.Conds {
			var err error
			if dst, err = c.append(dst, 0); err != nil {
				return dst[:start], err
			}
		}
	}
	return dst, nil
}

// ParseARR decodes one EF_ARR record (TS 102 221 §9.2.4), stopping at 'FF'
// padding.
func ParseARR(b []byte) (ARR, error) {
	const f = "EF_ARR"
	if allFF(b) {
		return nil, empty(f)
	}
	r := tlvReader{b: b}
	var out ARR
	for {
		tag, val, at, ok, why := r.next()
		if !ok {
			if why != "" {
				return nil, malformed(f, "data object", at, why)
			}
			break
		}
		switch {
		case tag >= 0x80 && tag <= 0x8F:
			if len(val) == 0 || len(val) > 4 {
				return nil, malformed(f, "access mode DO", at, "length "+strconv.Itoa(len(val)))
			}
			out = append(out, Rule{AMTag: byte(tag), AM: append([]byte(nil), val...)})
		default:
			if len(out) == 0 {
				return nil, malformed(f, "security condition", at, "no access mode DO before it")
			}
			c, err := parseSC(tag, val, at, 0)
			if err != nil {
				return nil, err
			}
			out[len(out)-1].Conds = append(out[len(out)-1].Conds, c)
		}
	}
	if len(r.b) != 0 && !allFF(r.b) {
		return nil, malformed(f, "padding", r.off, "data after padding")
	}
	for _, ru := range out {
		if len(ru.Conds) == 0 {
			return nil, malformed(f, "rule", -1, ru.String()+" has no security condition")
		}
	}
	return out, nil
}

func parseSC(tag uint16, val []byte, at, depth int) (SecurityCondition, error) {
	const f = "EF_ARR"
	switch SCKind(tag) {
	case SCAlways, SCNever:
		if len(val) != 0 {
			return SecurityCondition{}, malformed(f, "security condition", at, "ALW/NEV with content")
		}
		return SecurityCondition{Kind: SCKind(tag)}, nil
	case SCKey:
		c := SecurityCondition{Kind: SCKey}
		in := tlvReader{b: val, off: at + 2}
		seenKey := false
		for {
			t, v, a, ok, why := in.next()
			if !ok {
				if why != "" || len(in.b) != 0 {
					return c, malformed(f, "CRT", a, "bad data object in '"+"A4' template "+why)
				}
				break
			}
			if len(v) != 1 {
				return c, malformed(f, "CRT", a, "tag "+strconv.FormatUint(uint64(t), 16)+" length "+strconv.Itoa(len(v)))
			}
			switch t {
			case 0x83:
				c.Key, seenKey = KeyRef(v[0]), true
			case 0x95:
				c.Usage = v[0]
			}
		}
		if !seenKey {
			return c, malformed(f, "CRT", at, "no key reference '83'")
		}
		return c, nil
	case SCOr, SCAnd:
		if depth > 2 {
			return SecurityCondition{}, malformed(f, "security condition", at, "templates nested deeper than 2")
		}
		c := SecurityCondition{Kind: SCKind(tag)}
		in := tlvReader{b: val, off: at + 2}
		for {
			t, v, a, ok, why := in.next()
			if !ok {
				if why != "" || len(in.b) != 0 {
					return c, malformed(f, "template", a, "bad nested condition "+why)
				}
				break
			}
			s, err := parseSC(t, v, a, depth+1)
			if err != nil {
				return c, err
			}
			c.Sub = append(c.Sub, s)
		}
		if len(c.Sub) == 0 {
			return c, malformed(f, "template", at, "empty OR/AND template")
		}
		return c, nil
	}
	return SecurityCondition{}, malformed(f, "security condition", at, "unknown tag "+strconv.FormatUint(uint64(tag), 16))
}

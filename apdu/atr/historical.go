package atr

import "strconv"

// Category indicators of the historical bytes, ISO/IEC 7816-4 §8.1.1.1.
const (
	CategoryCompactStatus byte = 0x00 // compact-TLV objects, then a 3-byte status indicator
	CategoryDIRReference  byte = 0x10 // one byte follows: a DIR data reference
	CategoryCompact       byte = 0x80 // compact-TLV objects (status, if any, in tag 8)
)

// CompactTLV is one COMPACT-TLV data object of the historical bytes
// (ISO/IEC 7816-4 §8.1.1.2): a byte with the tag in the high nibble and the
// length in the low nibble, then the value.
type CompactTLV struct {
	Tag   uint8
	Value []byte // aliases the historical bytes
}

// Compact-TLV tags of ISO/IEC 7816-4 §8.1.1.2 Table 83 (2013 edition).
var compactNames = [16]string{
	1: "country code", 2: "issuer identification number", 3: "card service data",
	4: "initial access data", 5: "card issuer's data", 6: "pre-issuing data",
	7: "card capabilities", 8: "status indicator", 15: "application identifier",
}

// Name returns the ISO/IEC 7816-4 §8.1.1.2 name of the object's tag.
func (o CompactTLV) Name() string {
	if n := compactNames[o.Tag&15]; n != "" {
		return n
	}
	return "tag " + strconv.Itoa(int(o.Tag))
}

// Historical is the decoded historical bytes of an ATR (ISO/IEC 7816-4
// §8.1.1): the category indicator, then for categories '00' and '80' the
// COMPACT-TLV objects, for '00' also the mandatory status indicator (life
// cycle status, SW1, SW2) in the last three bytes, and for '10' the DIR
// data reference. Other categories are proprietary and left undecoded.
type Historical struct {
	Category     byte
	Objects      []CompactTLV
	Status       []byte // category '00': LCS SW1 SW2
	DIRReference byte   // category '10'
}

// ParseHistorical decodes historical bytes per ISO/IEC 7816-4 §8.1.1.
// Offsets in errors count from the first historical byte.
func ParseHistorical(h []byte) (Historical, error) {
	var d Historical
	if len(h) == 0 {
		return d, nil
	}
	d.Category = h[0]
	body := h[1:]
	switch d.Category {
	case CategoryDIRReference:
		if len(body) != 1 {
			return Historical{}, &Error{1, "category '10' takes exactly one DIR data reference byte", ErrMalformed}
		}
		d.DIRReference = body[0]
		return d, nil
	case CategoryCompactStatus:
		if len(body) < 3 {
			return Historical{}, &Error{len(h), "category '00' needs a 3-byte status indicator at the end", ErrMalformed}
		}
		d.Status = body[len(body)-3:]
		body = body[:len(body)-3]
	case CategoryCompact:
	default:
		return d, nil
	}
	for i := 0; i < len(body); {
		tag, n := body[i]>>4, int(body[i]&15)
		if i+1+n > len(body) {
			return Historical{}, &Error{1 + i, "COMPACT-TLV object of " + strconv.Itoa(n) + " bytes runs past the end", ErrMalformed}
		}
		d.Objects = append(d.Objects, CompactTLV{Tag: tag, Value: body[i+1 : i+1+n : i+1+n]})
		i += 1 + n
	}
	return d, nil
}

// MaxLogicalChannels decodes the third card-capabilities byte (tag 7,
// ISO/IEC 7816-4 §8.1.1.2.7 Table 88): the number of logical channels the
// card supports (b3–b1 + 1; 8 means "eight or more") and whether the card
// assigns channel numbers (b5). ok is false without that byte.
func (d Historical) MaxLogicalChannels() (n int, cardAssigns, ok bool) {
	for _, o := range d.Objects {
		if o.Tag == 7 && len(o.Value) >= 3 {
			c := o.Value[2]
			return int(c&7) + 1, c&0x10 != 0, true
		}
	}
	return 0, false, false
}

// String describes the historical bytes in the words of ISO/IEC 7816-4
// §8.1.1.
func (d Historical) String() string {
	switch d.Category {
	case CategoryDIRReference:
		return "category 10, DIR data reference " + hex2(d.DIRReference)
	case CategoryCompactStatus, CategoryCompact:
	default:
		return "category " + hex2(d.Category) + " (proprietary)"
	}
	s := "category " + hex2(d.Category) + ", COMPACT-TLV"
	for i, o := range d.Objects {
		if i == 0 {
			s += ": "
		} else {
			s += ", "
		}
		s += o.Name()
		if len(o.Value) > 0 {
			s += " " + hexSpaced(o.Value)
		}
		if o.Tag == 7 && len(o.Value) >= 3 {
			n, card, _ := d.MaxLogicalChannels()
			switch {
			case n == 1:
				s += " (1 logical channel"
			case n == 8:
				s += " (8 or more logical channels"
			default:
				s += " (" + strconv.Itoa(n) + " logical channels"
			}
			if card {
				s += ", assigned by the card"
			}
			s += ")"
		}
	}
	if d.Status != nil {
		s += "; status indicator LCS " + hex2(d.Status[0]) + " SW " + hex2(d.Status[1]) + hex2(d.Status[2])
	}
	return s
}

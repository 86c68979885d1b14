package sms

import "fmt"

// Concat is a concatenated short message information element, TS 23.040
// §9.2.3.24.1 (IEI 00, 8-bit reference) or §9.2.3.24.8 (IEI 08, 16-bit
// reference).
type Concat struct {
	Ref   uint16 // concatenated short message reference number
	Wide  bool   // 16-bit reference (IEI 08) rather than 8-bit (IEI 00)
	Total int    // maximum number of short messages, 1..255
	Seq   int    // sequence number of this short message, 1..Total
}

func (c Concat) String() string {
	return fmt.Sprintf("part %d/%d of ref %d", c.Seq, c.Total, c.Ref)
}

// IE returns c as an information element; data is c's octets backed by buf.
func (c Concat) IE(buf *[4]byte) IE {
	if c.Wide {
		buf[0], buf[1], buf[2], buf[3] = byte(c.Ref>>8), byte(c.Ref), byte(c.Total), byte(c.Seq)
		return IE{ID: IEIConcat16, Data: buf[:4]}
	}
	buf[0], buf[1], buf[2] = byte(c.Ref), byte(c.Total), byte(c.Seq)
	return IE{ID: IEIConcat8, Data: buf[:3]}
}

// ParseConcat decodes the data of an IEI 00 or 08 element and checks the
// rules of §9.2.3.24.1: Total and Seq are non-zero and Seq ≤ Total.
func ParseConcat(ie IE) (Concat, error) {
	var c Concat
	switch ie.ID {
	case IEIConcat8:
		if len(ie.Data) != 3 {
			return c, errAt(ErrLength, "IEDL", -1, "IEI 00 must carry 3 octets")
		}
		c = Concat{Ref: uint16(ie.Data[0]), Total: int(ie.Data[1]), Seq: int(ie.Data[2])}
	case IEIConcat16:
		if len(ie.Data) != 4 {
			return c, errAt(ErrLength, "IEDL", -1, "IEI 08 must carry 4 octets")
		}
		c = Concat{Ref: uint16(ie.Data[0])<<8 | uint16(ie.Data[1]), Wide: true, Total: int(ie.Data[2]), Seq: int(ie.Data[3])}
	default:
		return c, errAt(ErrInvalid, "IEI", -1, "not a concatenation element: "+ie.ID.String())
	}
	if c.Total == 0 || c.Seq == 0 || c.Seq > c.Total {
		return c, errAt(ErrInvalid, "concatenation IE", -1, fmt.Sprintf("sequence %d of %d", c.Seq, c.Total))
	}
	return c, nil
}

// FindConcat returns the concatenation element of h, if any.
func FindConcat(h UDH) (Concat, bool, error) {
	for ie, rest, ok := h.Next(); ok; ie, rest, ok = rest.Next() {
		if ie.ID == IEIConcat8 || ie.ID == IEIConcat16 {
			c, err := ParseConcat(ie)
			return c, err == nil, err
		}
	}
	return Concat{}, false, nil
}

// Split cuts payload into the TP-UD of one or more 8-bit short messages of
// at most MaxUserData octets, TS 23.040 §9.2.3.24.1. first are header IEs
// carried in the first message only (TS 31.115 §4.2 puts the command packet
// IEI 70 there). One message that fits needs no concatenation element; else
// every message gets a concatenation element (IEI 08 when wide, else IEI 00)
// after first's IEs. Each returned UD is a fresh slice.
func Split(payload []byte, first []IE, ref uint16, wide bool) ([][]byte, error) {
	h0 := udhLen(first)
	if len(first) == 0 {
		h0 = 0
	}
	if h0+len(payload) <= MaxUserData {
		ud := make([]byte, 0, h0+len(payload))
		var err error
		if len(first) > 0 {
			if ud, err = AppendUDH(ud, first...); err != nil {
				return nil, err
			}
		}
		return [][]byte{append(ud, payload...)}, nil
	}
	cl := 5 // octets of the concatenation IE: IEI, IEDL, data
	if wide {
		cl = 6
	}
	room0 := MaxUserData - udhLen(first) - cl // udhLen counts UDHL
	room := MaxUserData - 1 - cl
	if room0 <= 0 {
		return nil, errAt(ErrLength, "UDH", -1, "first message header leaves no room for data")
	}
	total := 1
	if rest := len(payload) - room0; rest > 0 {
		total += (rest + room - 1) / room
	}
	if total > 255 {
		return nil, errAt(ErrLength, "TP-UD", -1, "payload needs more than 255 messages")
	}
	if !wide && ref > 0xFF {
		return nil, errAt(ErrInvalid, "concatenation reference", -1, "8-bit reference over 255")
	}
	out := make([][]byte, 0, total)
	ies := make([]IE, 0, len(first)+1)
	var buf [4]byte
	for seq := 1; seq <= total; seq++ {
		ies = ies[:0]
		n := room
		if seq == 1 {
			ies = append(ies, first...)
			n = room0
		}
		if n > len(payload) {
			n = len(payload)
		}
		ies = append(ies, Concat{Ref: ref, Wide: wide, Total: total, Seq: seq}.IE(&buf))
		ud, err := AppendUDH(make([]byte, 0, MaxUserData), ies...)
		if err != nil {
			return nil, err
		}
		out = append(out, append(ud, payload[:n]...))
		payload = payload[n:]
	}
	return out, nil
}

// Reassembler joins concatenated short messages, TS 23.040 §9.2.3.24.1. It
// keeps one message being assembled per (reference, width); a part that
// contradicts the parts already held (other total, sequence out of range,
// same sequence with other content) is rejected and leaves the held parts
// unchanged.
type Reassembler struct {
	pending map[concatKey]*partial
}

type concatKey struct {
	ref  uint16
	wide bool
}

type partial struct {
	total int
	got   int
	parts [][]byte // payload per sequence number - 1
	first []byte   // UDH (without UDHL) of part 1, concatenation IE included
}

// Message is a complete, reassembled short message.
type Message struct {
	Header UDH    // the user data header of the first part
	Data   []byte // the payloads of all parts in sequence order
}

// Add takes the TP-UD of one received short message whose TP-UDHI is set
// (or not: a message without a concatenation element is complete by
// itself). It returns the message when the last missing part arrived.
func (r *Reassembler) Add(ud []byte, udhi bool) (Message, bool, error) {
	if !udhi {
		return Message{Data: append([]byte(nil), ud...)}, true, nil
	}
	h, payload, err := SplitUserData(ud)
	if err != nil {
		return Message{}, false, err
	}
	c, ok, err := FindConcat(h)
	if err != nil {
		return Message{}, false, err
	}
	if !ok {
		return Message{Header: append(UDH(nil), h...), Data: append([]byte(nil), payload...)}, true, nil
	}
	if c.Total == 1 {
		return Message{Header: append(UDH(nil), h...), Data: append([]byte(nil), payload...)}, true, nil
	}
	if r.pending == nil {
		r.pending = make(map[concatKey]*partial)
	}
	k := concatKey{c.Ref, c.Wide}
	p := r.pending[k]
	if p == nil {
		p = &partial{total: c.Total, parts: make([][]byte, c.Total)}
		r.pending[k] = p
	}
	if c.Total != p.total {
		return Message{}, false, errAt(ErrInvalid, "concatenation IE", -1,
			fmt.Sprintf("ref %d announces %d parts, earlier parts said %d", c.Ref, c.Total, p.total))
	}
	if old := p.parts[c.Seq-1]; old != nil {
		if string(old) != string(payload) {
			return Message{}, false, errAt(ErrInvalid, "concatenation IE", -1,
				fmt.Sprintf("part %d of ref %d received twice with different data", c.Seq, c.Ref))
		}
		return Message{}, false, nil // exact duplicate: ignored
	}
	p.parts[c.Seq-1] = append(make([]byte, 0, len(payload)), payload...)
	if c.Seq == 1 {
		p.first = append([]byte(nil), h...)
	}
	p.got++
	if p.got < p.total {
		return Message{}, false, nil
	}
	delete(r.pending, k)
	n := 0
	for _, part := range p.parts {
		n += len(part)
	}
	data := make([]byte, 0, n)
	for _, part := range p.parts {
		data = append(data, part...)
	}
	return Message{Header: p.first, Data: data}, true, nil
}

// Pending reports how many messages are incomplete.
func (r *Reassembler) Pending() int { return len(r.pending) }

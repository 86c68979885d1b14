package scp80

import "strconv"

// Header is the clear part of a command packet after CPL and CHL,
// TS 102 225 §5.1.1: SPI, KIc, KID and TAR. A PoR is built and checked
// against the header of the command it answers.
type Header struct {
	SPI SPI
	KIc KIc
	KID KID
	TAR TAR
}

func (h Header) String() string {
	return "TAR " + h.TAR.String() + ", " + h.SPI.String() + ", " + h.KIc.String() + ", " + h.KID.String()
}

// Command is an opened (deciphered and verified) command packet.
type Command struct {
	Header
	CNTR  Counter
	PCNTR int    // padding octets the sender added (already removed from Data)
	Data  []byte // the secured data, aliasing the packet
}

// Offsets in a command packet (TS 31.115 §4.2 / TS 102 225 §5.1.1) and in
// a response UD (TS 31.115 §4.4, after the UDH 02 71 00 the layout
// repeats): both have a 16-octet clear-or-ciphered header.
const (
	offCHL    = 2
	offSPI    = 3
	offKIc    = 5
	offKID    = 6
	offTAR    = 7
	offCNTR   = 10
	offPCNTR  = 15
	offSum    = 16
	chlNoSum  = 13 // SPI..PCNTR
	maxPacket = 0xFFFF
)

// AppendCommand appends a secured command packet, TS 31.115 §4.2 (the
// part after the UDH: CPL, CHL, SPI, KIc, KID, TAR, CNTR, PCNTR, RC/CC/DS,
// data, padding). When SPI asks for ciphering, data is padded with zeros so
// that CNTR..end fills whole cipher blocks (PCNTR counts the padding) and
// CNTR..end is ciphered CBC with a zero IV; the CC covers CPL..PCNTR ‖ data
// ‖ padding, zero-padded to the block for DES/3DES.
func AppendCommand(dst []byte, h Header, cntr Counter, data []byte, keys Keys) ([]byte, error) {
	chk, err := newChecker(h.SPI.Integrity(), h.KID, keys)
	if err != nil {
		return dst, err
	}
	sig := chk.sumLen()
	var enc *Cipher
	pad := 0
	if h.SPI.Ciphered() {
		if enc, err = keys.encFor(h.KIc); err != nil {
			return dst, err
		}
		n := 6 + sig + len(data)
		pad = (enc.bs - n%enc.bs) % enc.bs
	}
	cpl := 1 + chlNoSum + sig + len(data) + pad
	if cpl > maxPacket {
		return dst, fail(StatusInsufficientMemory, ErrMalformed, "CPL", -1, "packet over 65535 octets")
	}
	start := len(dst)
	dst = append(dst, byte(cpl>>8), byte(cpl), byte(chlNoSum+sig), h.SPI[0], h.SPI[1], byte(h.KIc), byte(h.KID),
		h.TAR[0], h.TAR[1], h.TAR[2], cntr[0], cntr[1], cntr[2], cntr[3], cntr[4], byte(pad))
	return appendSealed(dst, start, sig, pad, offCNTR, data, &chk, enc), nil
}

// ParseCommandHeader checks the lengths of a command packet (CPL counts the
// octets after it, CHL at least 13 and inside the packet) and returns its
// clear header, TS 102 225 §5.1.1. The card uses the KIc/KID key versions
// and the TAR to find the keys for OpenCommand.
func ParseCommandHeader(pkt []byte) (Header, error) {
	if len(pkt) < offSum {
		return Header{}, fail(StatusUnidentifiedSecurity, ErrMalformed, "CPL", 0, "packet of "+strconv.Itoa(len(pkt))+" octets is shorter than its 16-octet header")
	}
	if cpl := int(pkt[0])<<8 | int(pkt[1]); cpl != len(pkt)-2 {
		return Header{}, fail(StatusUnidentifiedSecurity, ErrMalformed, "CPL", 0, "CPL "+strconv.Itoa(cpl)+" but "+strconv.Itoa(len(pkt)-2)+" octets follow")
	}
	if chl := int(pkt[offCHL]); chl < chlNoSum || 3+chl > len(pkt) {
		return Header{}, fail(StatusUnidentifiedSecurity, ErrMalformed, "CHL", offCHL, "CHL "+strconv.Itoa(chl)+" outside 13.."+strconv.Itoa(len(pkt)-3))
	}
	var h Header
	h.SPI = SPI{pkt[offSPI], pkt[offSPI+1]}
	h.KIc, h.KID = KIc(pkt[offKIc]), KID(pkt[offKID])
	copy(h.TAR[:], pkt[offTAR:offTAR+3])
	return h, nil
}

// OpenCommand deciphers pkt in place (when SPI asks for it), verifies its
// RC or CC in constant time and returns the secured data without padding,
// TS 102 225 §5.1.1–§5.1.3. It does not judge the counter (SPI.CheckCounter
// does, against the value the receiving entity keeps) nor whether the SPI
// meets the target's minimum security level. Errors carry the PoR Status.
func OpenCommand(pkt []byte, keys Keys) (Command, error) {
	h, err := ParseCommandHeader(pkt)
	if err != nil {
		return Command{}, err
	}
	return openCommand(pkt, h, keys)
}

func openCommand(pkt []byte, h Header, keys Keys) (Command, error) {
	if h.SPI.Integrity() == DigitalSignature {
		return Command{}, fail(StatusUnidentifiedSecurity, ErrUnsupported, "SPI", offSPI, "digital signature is not supported")
	}
	sig := 0
	switch h.SPI.Integrity() {
	case RedundancyCheck:
		sig = 4
		if h.KID.CRC() == CRC16 {
			sig = 2
		}
	case CryptoChecksum:
		sig = ccLen
	}
	if chl := int(pkt[offCHL]); chl != chlNoSum+sig {
		return Command{}, fail(StatusUnidentifiedSecurity, ErrMalformed, "CHL", offCHL,
			"CHL "+strconv.Itoa(chl)+" but the SPI's "+h.SPI.Integrity().String()+" needs "+strconv.Itoa(chlNoSum+sig))
	}
	sec := pkt[offCNTR:]
	if h.SPI.Ciphered() {
		enc, err := keys.encFor(h.KIc)
		if err != nil {
			return Command{}, err
		}
		if len(sec)%enc.bs != 0 {
			return Command{}, fail(StatusCipheringError, ErrMalformed, "CNTR", offCNTR,
				"ciphered part of "+strconv.Itoa(len(sec))+" octets is not whole "+strconv.Itoa(enc.bs)+"-octet blocks")
		}
		enc.decryptCBC(sec)
	}
	if len(pkt) < offSum+sig {
		return Command{}, fail(StatusUnidentifiedSecurity, ErrMalformed, "RC/CC/DS", offSum, "packet ends inside the checksum")
	}
	data := pkt[offSum+sig:]
	// The RC/CC/DS covers the data with its padding, so it is checked
	// before PCNTR: a packet under wrong keys fails as 01, not 05.
	if sig > 0 {
		chk, err := newChecker(h.SPI.Integrity(), h.KID, keys)
		if err != nil {
			return Command{}, err
		}
		chk.write(pkt[:offSum])
		chk.write(data)
		if !chk.verify(pkt[offSum : offSum+sig]) {
			return Command{}, fail(StatusRCCCDSFailed, nil, "RC/CC/DS", offSum, h.SPI.Integrity().String()+" does not match")
		}
	}
	pcntr := int(pkt[offPCNTR])
	if pcntr > len(data) {
		st := StatusUnidentifiedSecurity
		if h.SPI.Ciphered() {
			st = StatusCipheringError
		}
		return Command{}, fail(st, ErrMalformed, "PCNTR", offPCNTR, "PCNTR "+strconv.Itoa(pcntr)+" exceeds the "+strconv.Itoa(len(data))+" data octets")
	}
	c := Command{Header: h, PCNTR: pcntr, Data: data[:len(data)-pcntr]}
	copy(c.CNTR[:], pkt[offCNTR:offCNTR+5])
	return c, nil
}

// appendSealed finishes a packet whose header (from dst[start:] up to the
// checksum field, offSum octets) is already appended: it appends the
// RC/CC/DS field, data and pad zero octets, fills the RC/CC/DS in over the
// packet without that field, then ciphers from cipherFrom to the end (CBC,
// zero IV). TS 102 225 §5.1.1 (command, ciphered from CNTR) and §5.1.2
// (response, ciphered from CNTR after the UDH) share this step.
func appendSealed(dst []byte, start, sig, pad, cipherFrom int, data []byte, chk *checker, enc *Cipher) []byte {
	for i := 0; i < sig; i++ {
		dst = append(dst, 0)
	}
	dst = append(dst, data...)
	for i := 0; i < pad; i++ {
		dst = append(dst, 0)
	}
	p := dst[start:]
	if sig > 0 {
		chk.write(p[:offSum])
		chk.write(p[offSum+sig:])
		var tmp [ccLen]byte
		copy(p[offSum:offSum+sig], chk.sum(tmp[:0]))
	}
	if enc != nil {
		enc.encryptCBC(p[cipherFrom:])
	}
	return dst
}

package scp80

import (
	"errors"
	"strconv"
)

// Response is an opened Proof of Receipt, TS 102 225 §5.1.2 as TS 31.115
// §4.4 carries it.
type Response struct {
	TAR     TAR
	CNTR    Counter
	PCNTR   int
	Status  Status
	Data    []byte // additional response data without padding, aliasing the input
	Secured bool   // false for an error PoR sent without the RC/CC and ciphering its SPI asked for
}

// ErrMismatch reports a PoR that does not answer the command: another TAR.
var ErrMismatch = errors.New("scp80: PoR does not match the command")

// responseUDH is the user data header of a response packet, TS 31.115 §4.4:
// UDHL 02, IEIa 71 (response packet), IEIDLa 00. The PoR CC covers it.
var responseUDH = [3]byte{0x02, 0x71, 0x00}

// AppendResponse appends the TP-UD of a response packet, TS 31.115 §4.4 /
// TS 102 225 §5.1.2: UDH 02 71 00, RPL, RHL, TAR, CNTR, PCNTR, status,
// RC/CC/DS, data and padding, secured as the second SPI octet of the
// command's header asks (PoR RC/CC, PoR ciphered) with the command's keys.
// The CC covers 02 71 00 ‖ RPL..status ‖ data ‖ padding; ciphering covers
// CNTR to the end. The same octets go in the SMS-DELIVER-REPORT (ENVELOPE
// response) and in an SMS-SUBMIT.
func AppendResponse(dst []byte, h Header, cntr Counter, st Status, data []byte, keys Keys) ([]byte, error) {
	chk, err := newChecker(h.SPI.PoRIntegrity(), h.KID, keys)
	if err != nil {
		return dst, err
	}
	sig := chk.sumLen()
	var enc *Cipher
	pad := 0
	if h.SPI.PoRCiphered() {
		if enc, err = keys.encFor(h.KIc); err != nil {
			return dst, err
		}
		n := 7 + sig + len(data)
		pad = (enc.bs - n%enc.bs) % enc.bs
	}
	return appendResponse(dst, h.TAR, cntr, st, data, sig, pad, &chk, enc)
}

// AppendUnsecuredResponse appends a response packet without RC/CC/DS and
// unciphered (RHL 0A), whatever the SPI asked: what a card answers when it
// cannot or will not secure the PoR, e.g. a real card's status 06 for a
// replayed counter (the smpp-ota-tool vector).
func AppendUnsecuredResponse(dst []byte, tar TAR, cntr Counter, st Status, data []byte) ([]byte, error) {
	return appendResponse(dst, tar, cntr, st, data, 0, 0, nil, nil)
}

func appendResponse(dst []byte, tar TAR, cntr Counter, st Status, data []byte, sig, pad int, chk *checker, enc *Cipher) ([]byte, error) {
	rhl := 10 + sig
	rpl := 1 + rhl + len(data) + pad
	if rpl > maxPacket {
		return dst, fail(StatusInsufficientMemory, ErrMalformed, "RPL", -1, "response over 65535 octets")
	}
	start := len(dst)
	dst = append(dst, responseUDH[0], responseUDH[1], responseUDH[2], byte(rpl>>8), byte(rpl), byte(rhl),
		tar[0], tar[1], tar[2], cntr[0], cntr[1], cntr[2], cntr[3], cntr[4], byte(pad), byte(st))
	// CNTR starts at octet 9: UDH 02 71 00, RPL, RHL, TAR.
	return appendSealed(dst, start, sig, pad, 9, data, chk, enc), nil
}

// OpenResponse deciphers a response packet's TP-UD in place and verifies
// it against the header of the command it answers, TS 31.115 §4.4 /
// TS 102 225 §5.1.2. A PoR whose RHL is 0A although the SPI asked for an
// RC/CC is accepted only with a status other than PoR OK (an error a card
// reported unsecured), and comes back with Secured false.
func OpenResponse(ud []byte, h Header, keys Keys) (Response, error) {
	if len(ud) < offSum {
		return Response{}, fail(StatusUnidentifiedSecurity, ErrMalformed, "RPL", 0, "response of "+strconv.Itoa(len(ud))+" octets is shorter than its header")
	}
	if ud[0] != responseUDH[0] || ud[1] != responseUDH[1] || ud[2] != responseUDH[2] {
		return Response{}, fail(StatusUnidentifiedSecurity, ErrMalformed, "UDH", 0, "want 02 71 00 (response packet identifier)")
	}
	if rpl := int(ud[3])<<8 | int(ud[4]); rpl != len(ud)-5 {
		return Response{}, fail(StatusUnidentifiedSecurity, ErrMalformed, "RPL", 3, "RPL "+strconv.Itoa(rpl)+" but "+strconv.Itoa(len(ud)-5)+" octets follow")
	}
	rhl := int(ud[5])
	var r Response
	copy(r.TAR[:], ud[6:9])
	if r.TAR != h.TAR {
		return Response{}, fail(StatusTARUnknown, ErrMismatch, "TAR", 6, "PoR for "+r.TAR.String()+", command was for "+h.TAR.String())
	}
	chk, err := newChecker(h.SPI.PoRIntegrity(), h.KID, keys)
	if err != nil {
		return Response{}, err
	}
	sig := chk.sumLen()
	r.Secured = true
	unsecured := false
	if rhl == 10 && Status(ud[15]) != StatusOK {
		switch {
		case sig > 0:
			// RHL leaves no room for the RC/CC the SPI asked for.
			unsecured = true
		case h.SPI.PoRCiphered() && keys.Enc != nil && (len(ud)-9)%keys.Enc.bs != 0:
			// Cannot be ciphered: not whole blocks.
			unsecured = true
		}
	}
	if unsecured {
		r.Secured, sig = false, 0
	} else if rhl != 10+sig {
		return Response{}, fail(StatusUnidentifiedSecurity, ErrMalformed, "RHL", 5, "RHL "+strconv.Itoa(rhl)+" but the SPI's PoR "+h.SPI.PoRIntegrity().String()+" needs "+strconv.Itoa(10+sig))
	}
	if r.Secured && h.SPI.PoRCiphered() {
		enc, err := keys.encFor(h.KIc)
		if err != nil {
			return Response{}, err
		}
		if (len(ud)-9)%enc.bs != 0 {
			return Response{}, fail(StatusCipheringError, ErrMalformed, "CNTR", 9, "ciphered part is not whole blocks")
		}
		enc.decryptCBC(ud[9:])
	}
	if len(ud) < offSum+sig {
		return Response{}, fail(StatusUnidentifiedSecurity, ErrMalformed, "RC/CC/DS", offSum, "response ends inside the checksum")
	}
	data := ud[offSum+sig:]
	r.PCNTR = int(ud[14])
	if r.PCNTR > len(data) {
		return Response{}, fail(StatusCipheringError, ErrMalformed, "PCNTR", 14, "PCNTR exceeds the data")
	}
	if sig > 0 {
		chk.write(ud[:offSum])
		chk.write(data)
		if !chk.verify(ud[offSum : offSum+sig]) {
			return Response{}, fail(StatusRCCCDSFailed, nil, "RC/CC/DS", offSum, "PoR "+h.SPI.PoRIntegrity().String()+" does not match")
		}
	}
	copy(r.CNTR[:], ud[9:14])
	r.Status = Status(ud[15])
	r.Data = data[:len(data)-r.PCNTR]
	return r, nil
}

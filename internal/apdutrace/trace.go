package apdutrace

import (
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/uiccsim/uiccsim/apdu"
)

// Entry is one command/response pair described in the specifications' terms.
type Entry struct {
	// Channel is the logical channel of the class byte (TS 102 221 §10.1.1).
	Channel int `json:"channel"`
	// Command is the command name ("SELECT"), or "CLA xx INS yy" when the
	// pair is not known.
	Command string `json:"command"`
	// Detail says what P1, P2 and the data select or address: file names,
	// offsets, record numbers, key references, contexts. It never holds PIN
	// or key values.
	Detail string `json:"detail,omitempty"`
	// SW is the status word; Status its meaning (ISO/IEC 7816-4 §5.6, TS
	// 102 221 §10.2). Both are zero/empty when no response was given.
	SW     apdu.StatusWord `json:"-"`
	Status string          `json:"status,omitempty"`
	// ResponseLen is the number of response data bytes (without SW1 SW2).
	ResponseLen int `json:"response_len"`
}

// String renders the entry on one line:
// "SELECT EF.ICCID (2FE2): by FID, return FCP → 9000 (normal ending), 10 bytes".
func (e Entry) String() string {
	var b strings.Builder
	if e.Channel != 0 {
		fmt.Fprintf(&b, "[channel %d] ", e.Channel)
	}
	b.WriteString(e.Command)
	if e.Detail != "" {
		b.WriteString(" ")
		b.WriteString(e.Detail)
	}
	if e.Status != "" {
		b.WriteString(" → ")
		b.WriteString(e.Status)
		if e.ResponseLen > 0 {
			fmt.Fprintf(&b, ", %d bytes", e.ResponseLen)
		}
	}
	return b.String()
}

// Tracer describes a session pair by pair, following SELECTs so that file
// identifiers are named in the directory they live in. The zero value starts
// with nothing selected, as after a reset (TS 102 221 §11.1.1.1: the MF is
// selected after ATR, so DirUnknown still names MF-level files).
type Tracer struct {
	dir [20]Dir // per logical channel (TS 102 221 §10.1.1: channels 0..19)
	adf [20]Dir // the application 7FFF refers to
}

// Reset forgets what was selected, as a card reset does.
func (t *Tracer) Reset() { *t = Tracer{} }

// Describe describes command capdu and its response rapdu (data ‖ SW1 SW2;
// empty when the card gave none) and updates the selection state on a
// successful SELECT. Malformed input is described, never rejected.
func (t *Tracer) Describe(capdu, rapdu []byte) Entry {
	var e Entry
	cmd, err := apdu.ParseCommand(capdu)
	if err != nil {
		e.Command = "malformed C-APDU"
		e.Detail = fmt.Sprintf("%s: %v", hex.EncodeToString(capdu), err)
	}
	ok := false
	if len(rapdu) >= 2 {
		e.SW = apdu.StatusWord(uint16(rapdu[len(rapdu)-2])<<8 | uint16(rapdu[len(rapdu)-1]))
		e.Status = e.SW.Error()
		e.ResponseLen = len(rapdu) - 2
		ok = success(e.SW)
	} else if len(rapdu) == 1 {
		e.Status = "response of 1 byte, no status word"
	}
	if err != nil {
		return e
	}
	cla := cmd.Class()
	ch := cla.Channel()
	if ch < 0 || ch >= len(t.dir) {
		ch = 0
	}
	e.Channel = ch
	e.Command = CommandName(cmd.CLA, cmd.INS, cmd.P1)
	if e.Command == "" {
		e.Command = fmt.Sprintf("CLA %02X INS %02X", cmd.CLA, cmd.INS)
	}
	var data []byte
	if len(rapdu) >= 2 {
		data = rapdu[:len(rapdu)-2]
	}
	e.Detail = t.detail(&cmd, ch, data, ok)
	return e
}

// success reports whether sw means the command was executed: 9000, 61xx and
// 9Fxx (response data waiting), 91xx/92xx (normal ending with extra
// information), and the 62xx/63xx warnings (TS 102 221 §10.2.1.1-§10.2.1.3).
func success(sw apdu.StatusWord) bool {
	switch sw >> 8 {
	case 0x90, 0x61, 0x9F, 0x91, 0x92, 0x62:
		return true
	}
	return false
}

// detail describes P1, P2 and the data of cmd. ok says the card executed it.
func (t *Tracer) detail(cmd *apdu.Command, ch int, resp []byte, ok bool) string {
	gsm := cmd.Class().Kind() == apdu.ClassGSM
	iso := cmd.Class().Kind() == apdu.ClassInterindustry
	dir := t.dir[ch]
	switch {
	case cmd.INS == 0xA4 && (iso || gsm):
		return t.selectDetail(cmd, ch, gsm, ok)
	case (cmd.INS == 0xB0 || cmd.INS == 0xD6) && (iso || gsm):
		return binaryDetail(dir, cmd)
	case (cmd.INS == 0xB2 || cmd.INS == 0xDC) && (iso || gsm):
		return recordDetail(dir, cmd, gsm)
	case cmd.INS == 0xC0 && (iso || gsm):
		return fmt.Sprintf("%d bytes", cmd.Ne)
	case iso && (cmd.INS == 0x20 || cmd.INS == 0x24 || cmd.INS == 0x26 || cmd.INS == 0x28 || cmd.INS == 0x2C):
		d := keyRefName(cmd.P2)
		if cmd.INS == 0x20 && cmd.Nc() == 0 {
			d += ", retry counter query" // TS 102 221 §11.1.9.1
		}
		return d
	case iso && (cmd.INS == 0x88 || cmd.INS == 0x89):
		return authDetail(cmd, resp, ok)
	case cmd.Class().Kind() == apdu.ClassProprietary && cmd.INS == 0xF2 && cmd.P1&0xF0 == 0:
		return statusDetail(cmd)
	case iso && cmd.INS == 0x70:
		if cmd.P1 == 0x80 {
			return fmt.Sprintf("close channel %d", cmd.P2)
		}
		if cmd.P2 == 0 {
			if ok && len(resp) == 1 {
				return fmt.Sprintf("open, card assigned channel %d", resp[0])
			}
			return "open, card assigns the channel"
		}
		return fmt.Sprintf("open channel %d", cmd.P2)
	case cmd.Class().Kind() == apdu.ClassProprietary && cmd.INS == 0xC2 && cmd.Nc() > 0:
		if n := envelopeTags[cmd.Data[0]]; n != "" {
			return n
		}
		return fmt.Sprintf("BER-TLV tag %02X", cmd.Data[0])
	case cmd.Class().Kind() == apdu.ClassProprietary && cmd.INS == 0x12:
		if ok {
			if n := proactiveName(resp); n != "" {
				return n
			}
		}
		return fmt.Sprintf("%d bytes", cmd.Ne)
	case cmd.Class().Kind() == apdu.ClassProprietary && cmd.INS == 0x14:
		if n := proactiveName(cmd.Data); n != "" {
			return "to " + n
		}
	}
	if cmd.Nc() > 0 {
		return fmt.Sprintf("%d data bytes", cmd.Nc())
	}
	return ""
}

// selectDetail describes SELECT (TS 102 221 §11.1.1.2 Table 11.1 and 11.2,
// TS 51.011 §9.2.1 for class A0) and follows it on success.
func (t *Tracer) selectDetail(cmd *apdu.Command, ch int, gsm, ok bool) string {
	var target, how string
	newDir, moves := t.dir[ch], false
	switch cmd.P1 {
	case 0x00, 0x01:
		how = "by FID"
		if cmd.P1 == 0x01 {
			how = "child DF"
		}
		if cmd.Nc() != 2 {
			how += fmt.Sprintf(", %d data bytes", cmd.Nc())
			break
		}
		fid := uint16(cmd.Data[0])<<8 | uint16(cmd.Data[1])
		target = fileLabel(t.dir[ch], fid)
		newDir, moves = t.dirAfter(ch, t.dir[ch], fid)
	case 0x03:
		how, target = "parent DF", ""
	case 0x04:
		how = "by AID"
		name, d := AIDName(cmd.Data)
		target = strings.ToUpper(hex.EncodeToString(cmd.Data))
		if name != "" {
			target = name + " (" + target + ")"
		}
		newDir, moves = d, true
	case 0x08, 0x09:
		how = "by path from MF"
		d := DirMF
		if cmd.P1 == 0x09 {
			how, d = "by path from current DF", t.dir[ch]
		}
		var parts []string
		for p := cmd.Data; len(p) >= 2; p = p[2:] {
			fid := uint16(p[0])<<8 | uint16(p[1])
			parts = append(parts, fileLabel(d, fid))
			if nd, m := t.dirAfter(ch, d, fid); m {
				d, moves = nd, true
			}
		}
		target, newDir = strings.Join(parts, "/"), d
	default:
		how = fmt.Sprintf("P1 %02X", cmd.P1)
	}
	if !gsm {
		how += ", " + selectP2(cmd.P2)
	}
	if ok && moves {
		t.dir[ch] = newDir
		if newDir == DirUSIM || newDir == DirISIM {
			t.adf[ch] = newDir
		}
	}
	if target == "" {
		return how
	}
	return target + ": " + how
}

// dirAfter says where selecting fid from dir leaves the tracer, and whether
// fid is a DF at all (selecting an EF keeps the current DF).
func (t *Tracer) dirAfter(ch int, dir Dir, fid uint16) (Dir, bool) {
	switch fid {
	case 0x3F00:
		return DirMF, true
	case 0x7F10:
		return DirTelecom, true
	case 0x7F20:
		return DirGSM, true
	case 0x7FFF:
		return t.adf[ch], true
	}
	// ISO/IEC 7816-4 §8.2.1.1 leaves FIDs free, but TS 102 221 §8.2 and TS
	// 31.102 give DFs '5F'/'7F' first bytes and EFs '2F'/'4F'/'6F'.
	if hi := fid >> 8; hi == 0x5F || hi == 0x7F {
		return DirUnknown, true
	}
	return dir, false
}

// selectP2 describes P2 of SELECT (TS 102 221 §11.1.1.2 Table 11.2).
func selectP2(p2 byte) string {
	var parts []string
	switch p2 & 0x0C {
	case 0x04:
		parts = append(parts, "return FCP")
	case 0x0C:
		parts = append(parts, "no data returned")
	case 0x00:
		parts = append(parts, "return FCI") // ISO/IEC 7816-4 §11.1.1 Table 40
	case 0x08:
		parts = append(parts, "return FMD")
	}
	switch p2 & 0x03 {
	case 0x02:
		parts = append(parts, "next occurrence")
	case 0x01, 0x03:
		parts = append(parts, "occurrence "+fmt.Sprint(p2&3))
	}
	if p2&0x60 == 0x40 {
		parts = append(parts, "terminate application session")
	}
	return strings.Join(parts, ", ")
}

// binaryDetail describes READ/UPDATE BINARY (TS 102 221 §11.1.3, §11.1.4):
// P1 b8 = 1 selects by SFI in P1 b5..b1 with the offset in P2, otherwise
// P1 ‖ P2 is a 15-bit offset.
func binaryDetail(dir Dir, cmd *apdu.Command) string {
	var d string
	off := int(cmd.P1)<<8 | int(cmd.P2)
	if cmd.P1&0x80 != 0 {
		sfi := cmd.P1 & 0x1F
		d = sfiLabel(dir, sfi) + ", "
		off = int(cmd.P2)
	}
	d += fmt.Sprintf("offset %d", off)
	if cmd.INS == 0xB0 {
		return d + fmt.Sprintf(", %d bytes", cmd.Ne)
	}
	return d + fmt.Sprintf(", %d bytes", cmd.Nc())
}

// recordDetail describes READ/UPDATE RECORD (TS 102 221 §11.1.5, §11.1.6):
// P1 is the record number, P2 b8..b4 an SFI (0 = current EF) and b3..b1 the
// mode (Table 11.6).
func recordDetail(dir Dir, cmd *apdu.Command, gsm bool) string {
	var mode string
	switch cmd.P2 & 0x07 {
	case 0x02:
		mode = "next"
	case 0x03:
		mode = "previous"
	case 0x04:
		mode = "absolute"
	default:
		mode = fmt.Sprintf("mode %d", cmd.P2&7)
	}
	d := fmt.Sprintf("record %d (%s)", cmd.P1, mode)
	if sfi := cmd.P2 >> 3; sfi != 0 && !gsm {
		d = sfiLabel(dir, sfi) + ", " + d
	}
	if cmd.INS == 0xB2 {
		return d + fmt.Sprintf(", %d bytes", cmd.Ne)
	}
	return d + fmt.Sprintf(", %d bytes", cmd.Nc())
}

func sfiLabel(dir Dir, sfi byte) string {
	if n := SFIName(dir, sfi); n != "" {
		return fmt.Sprintf("%s (SFI %02X)", n, sfi)
	}
	if n := SFIName(DirMF, sfi); n != "" && dir == DirUnknown {
		return fmt.Sprintf("%s (SFI %02X)", n, sfi)
	}
	return fmt.Sprintf("SFI %02X", sfi)
}

// keyRefName names a PIN key reference (TS 102 221 §9.5.1 Table 9.3).
func keyRefName(ref byte) string {
	switch {
	case ref >= 0x01 && ref <= 0x08:
		if ref == 0x01 {
			return "PIN1 (key reference 01)"
		}
		return fmt.Sprintf("PIN Appl %d (key reference %02X)", ref, ref)
	case ref == 0x11:
		return "Universal PIN (key reference 11)"
	case ref >= 0x81 && ref <= 0x88:
		if ref == 0x81 {
			return "PIN2 (key reference 81)"
		}
		return fmt.Sprintf("second PIN Appl %d (key reference %02X)", ref-0x80, ref)
	case ref >= 0x0A && ref <= 0x0E:
		return fmt.Sprintf("ADM%d (key reference %02X)", ref-0x09, ref)
	case ref >= 0x8A && ref <= 0x8E:
		return fmt.Sprintf("ADM%d (key reference %02X)", ref-0x84, ref)
	}
	return fmt.Sprintf("key reference %02X", ref)
}

// authDetail describes AUTHENTICATE (TS 31.102 §7.1.2: P2 '80' GSM context,
// '81' 3G, '82' VGCS/VBS, '84' GBA, '85' MBMS, '86' local key
// establishment) and, on success, the kind of answer ('DB' success, 'DC'
// synchronisation failure, §7.1.2.1).
func authDetail(cmd *apdu.Command, resp []byte, ok bool) string {
	var d string
	switch cmd.P2 {
	case 0x80:
		d = "GSM context"
	case 0x81:
		d = "3G context"
	case 0x82:
		d = "VGCS/VBS context"
	case 0x84:
		d = "GBA context"
	case 0x85:
		d = "MBMS context"
	case 0x86:
		d = "local key establishment"
	default:
		d = fmt.Sprintf("P2 %02X", cmd.P2)
	}
	if ok && len(resp) > 0 && cmd.P2 != 0x80 {
		switch resp[0] {
		case 0xDB:
			d += ", successful (RES, CK, IK)"
		case 0xDC:
			d += ", synchronisation failure (AUTS)"
		}
	}
	return d
}

// statusDetail describes STATUS (TS 102 221 §11.1.2.1).
func statusDetail(cmd *apdu.Command) string {
	var p1, p2 string
	switch cmd.P1 {
	case 0x00:
		p1 = "no indication"
	case 0x01:
		p1 = "application initialised"
	case 0x02:
		p1 = "application terminating"
	default:
		p1 = fmt.Sprintf("P1 %02X", cmd.P1)
	}
	switch cmd.P2 {
	case 0x00:
		p2 = "return FCP of current DF/ADF"
	case 0x01:
		p2 = "return DF name"
	case 0x0C:
		p2 = "no data returned"
	default:
		p2 = fmt.Sprintf("P2 %02X", cmd.P2)
	}
	return p1 + ", " + p2
}

// envelopeTags are the ENVELOPE BER-TLV tags of TS 102 223 §9.1 / Annex C
// and TS 31.111 §9.1.
var envelopeTags = map[byte]string{
	0xD1: "SMS-PP download",
	0xD2: "cell broadcast download",
	0xD3: "menu selection",
	0xD4: "call control",
	0xD5: "MO short message control",
	0xD6: "event download",
	0xD7: "timer expiration",
}

// proactiveTypes are the type-of-command values of TS 102 223 §9.4.
var proactiveTypes = map[byte]string{
	0x01: "REFRESH", 0x02: "MORE TIME", 0x03: "POLL INTERVAL", 0x04: "POLLING OFF",
	0x05: "SET UP EVENT LIST", 0x10: "SET UP CALL", 0x13: "SEND SHORT MESSAGE",
	0x14: "SEND DTMF", 0x15: "LAUNCH BROWSER", 0x20: "PLAY TONE", 0x21: "DISPLAY TEXT",
	0x22: "GET INKEY", 0x23: "GET INPUT", 0x24: "SELECT ITEM", 0x25: "SET UP MENU",
	0x26: "PROVIDE LOCAL INFORMATION", 0x27: "TIMER MANAGEMENT",
	0x28: "SET UP IDLE MODE TEXT", 0x40: "OPEN CHANNEL", 0x41: "CLOSE CHANNEL",
	0x42: "RECEIVE DATA", 0x43: "SEND DATA", 0x44: "GET CHANNEL STATUS",
}

// proactiveName finds the command details object (tag 01/81, TS 102 223
// §8.6) in a proactive command (tag D0) or a TERMINAL RESPONSE and names its
// type of command; "" when there is none.
func proactiveName(b []byte) string {
	if len(b) >= 2 && b[0] == 0xD0 {
		// Proactive command: D0, length (1 byte or 81 xx), then objects.
		if b[1] == 0x81 {
			if len(b) < 3 {
				return ""
			}
			b = b[3:]
		} else {
			b = b[2:]
		}
	}
	if len(b) >= 5 && b[0]&0x7F == 0x01 && b[1] == 0x03 {
		if n := proactiveTypes[b[3]]; n != "" {
			return n
		}
		return fmt.Sprintf("proactive command type %02X", b[3])
	}
	return ""
}

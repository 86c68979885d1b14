package fs

import "github.com/uiccsim/uiccsim/usim/jc"

// This file holds the security status of the terminal's channels (ETSI TS
// 102 221 §9.4, §9.5) in the card's model of an MF plus application DFs:
//
//   - Global key references (TS 102 221 Table 9.3, P2 b8=0 of Table 11.15):
//     application PINs 01..08, the universal PIN 11, ADM1..ADM5 0A..0E. A
//     verification counts card-wide, on every channel and in every
//     application, until a wrong presentation or a reset: an application
//     PIN "has global access rights with respect to files" (§9.4.2), and
//     the universal PIN's status is not reset by application activation or
//     termination (§9.4.1).
//   - Local key references (b8=1): second application PINs 81..88 (PIN2)
//     and ADM6..ADM10 8A..8E. A verification belongs to the application
//     session it was made in — the ADF current on the channel then, or no
//     application — and counts only on channels where that application is
//     the current one. It is lost when the application's session ends on
//     the last channel that has it: SELECT of another ADF on the channel,
//     deselection of the application, MANAGE CHANNEL close, or reset.
//   - An application PIN disabled with DISABLE PIN P1=91 (§11.1.11) is
//     replaced by the universal PIN: its conditions hold when the
//     universal PIN is verified, or when the universal PIN is disabled
//     (the SE 00 / SE 01 table of §9.5.1: disabled application PIN and
//     enabled universal PIN used → universal PIN to verify; universal PIN
//     not enabled → no PIN). A disabled application PIN without
//     replacement, and any other disabled PIN, holds.
//
// The security environment (SE 00 / 01 of §9.5.1) picks the record of a
// long-form tag 8B (secattr.go). Not modelled: PINs shared by several
// applications through their PS_DO (the owner of a local key is the
// session it was verified in, not the PS_DO) and secure messaging. The
// FCP's PIN status template shows the replacement in the universal PIN's
// usage qualifier (fcp.go).

// Local reports a key reference specific to an application (b8 set, TS
// 102 221 §9.5.1 Table 9.3 and §11.1.9 Table 11.15): second application
// PINs 81..88 and ADM6..ADM10 8A..8E.
func (k KeyRef) Local() bool { return k&0x80 != 0 && k.Valid() }

// appPIN reports an application PIN, level 1, 01..08 (TS 102 221 §9.4.2).
func (k KeyRef) appPIN() bool { return k >= 0x01 && k <= 0x08 }

// p1ReplaceByUniversal is DISABLE PIN P1 '91': b8=1, an alternative global
// key reference replaces the PIN, b5..b1 its number 11, the universal PIN
// (TS 102 221 §11.1.11.3).
const p1ReplaceByUniversal = 0x80 | byte(KeyUniversal)

// setVerified records a verification (on) or its loss on the channel of
// the command being processed; a local key's verification belongs to the
// channel's current application.
func (f *FS) setVerified(k KeyRef, on bool) {
	f.verified[k] = on
	if on && k.Local() {
		f.localIn[k] = f.curADF()
	}
}

// curADF is the current application of the command's channel (NoNode for
// none, and for the remote channel outside 0..jc.RemoteChannel).
func (f *FS) curADF() Node {
	if f.curCh < 0 || f.curCh >= len(f.ch) {
		return NoNode
	}
	return f.ch[f.curCh].adf
}

// verifiedNow reports k verified for the command's channel: globally, or
// for a local key in the channel's current application session.
func (f *FS) verifiedNow(k KeyRef) bool {
	return f.verified[k] && (!k.Local() || f.localIn[k] == f.curADF())
}

// verifiedAnywhere reports k verified on some channel.
func (f *FS) verifiedAnywhere(k KeyRef) bool {
	if !f.verified[k] || !k.Local() {
		return f.verified[k]
	}
	for i := range f.ch {
		if f.ch[i].adf == f.localIn[k] {
			return true
		}
	}
	return false
}

// satisfied reports whether key reference k's access condition holds for
// the command being processed: it is verified for the channel (on the
// remote channel: in the remote access domain), or it is a disabled PIN —
// an application PIN replaced by the universal PIN then needs the
// universal PIN's condition (TS 102 221 §9.5.1).
func (f *FS) satisfied(k KeyRef) bool {
	remote := f.curCh == jc.RemoteChannel
	if remote && (f.remoteFull || f.remoteKeys[k]) {
		return true
	}
	i := f.pinIdx[k]
	if i < 0 {
		return false
	}
	if !remote && f.verifiedNow(k) {
		return true
	}
	flags := f.st.Bytes(f.pins[i].ref)[pinFlags]
	if flags&flagEnabled != 0 {
		return false
	}
	if flags&flagUseUniversal != 0 && k != KeyUniversal && f.enabled(KeyUniversal) {
		return f.satisfied(KeyUniversal)
	}
	return true
}

// endSession ends application adf's session on a channel that had it
// (another ADF selected, the application deselected, the channel closed):
// when no channel has adf any more, the verifications of local keys made
// in its session are lost (TS 102 221 §9.5.1). adf NoNode is the context
// without application, which ends for every channel as soon as one
// channel selects an application.
func (f *FS) endSession(adf Node) {
	for i := range f.ch {
		if adf != NoNode && f.ch[i].adf == adf {
			return
		}
	}
	for k := range f.localIn {
		if f.localIn[k] == adf && KeyRef(k).Local() {
			f.verified[k] = false
		}
	}
}

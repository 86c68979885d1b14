package fs

import (
	"fmt"

	"github.com/uiccsim/uiccsim/apdu"
)

// This file holds the file operations an application with a file-system
// context of its own needs, such as the remote file management
// application of ETSI TS 102 226 §7 (§5 in Release 6; RFM), which keeps its own current
// DF/EF, record pointer and security status and evaluates access rules
// against its access domain itself. They check only what the file system
// must: the file's kind and structure, the data's length, the PIN's state.
// The caller checks access conditions. Writes go into the running store
// transaction.

// PushRecord writes data as the new record 1 of cyclic EF n: the oldest
// record is overwritten and becomes record 1, the others move down one
// (UPDATE RECORD in PREVIOUS mode and INCREASE, ETSI TS 102 221 §11.1.6,
// §11.1.8, the cyclic structure of §8.1.2.3). data must be one record
// long. Errors wrap ErrNotFound (no cyclic EF) or ErrBadSpec (length).
func (f *FS) PushRecord(n Node, data []byte) error {
	if !f.valid(n) || f.nodes[n].kind != KindEF || f.nodes[n].structure != Cyclic {
		return fmt.Errorf("%w: cyclic EF %d", ErrNotFound, n)
	}
	if len(data) != f.nodes[n].recLen {
		return fmt.Errorf("%w: %d bytes for records of %d", ErrBadSpec, len(data), f.nodes[n].recLen)
	}
	return f.pushCyclic(n, data)
}

// SetActivated sets EF n's life cycle status to operational-activated
// (on) or operational-deactivated, the effect of ACTIVATE FILE (TS 102 221
// §11.1.15) and DEACTIVATE FILE (§11.1.14); LCSI codings of §11.1.1.4.9.
// Setting the state the file is in writes nothing. Errors wrap
// ErrNotFound for a node that is no EF.
func (f *FS) SetActivated(n Node, on bool) error {
	if !f.valid(n) || f.nodes[n].kind != KindEF {
		return fmt.Errorf("%w: EF %d", ErrNotFound, n)
	}
	lcsi := LCSIDeactivated
	if on {
		lcsi = LCSIActivated
	}
	if f.lcsi(n) == lcsi {
		return nil
	}
	x := &f.nodes[n]
	return f.st.Write(x.ref, x.at, []byte{byte(lcsi)})
}

// PresentPIN compares an 8-byte, FF-padded value with PIN k as VERIFY PIN
// does (TS 102 221 §11.1.9): the retry counter counts the try and returns
// to its maximum when the value is right. It answers nil for the right
// value, 63Cx (x tries left) for a wrong one, 6983 when the PIN is
// blocked, 6984 when it is disabled, 6A88 when the card has no PIN k, 6700
// for a value not 8 bytes long. No channel's security status changes: the
// caller keeps the security status its own context gains (an RFM
// application of TS 102 226 §7 has a context of its own; the terminal's
// verification is not the RFM's, nor the reverse).
func (f *FS) PresentPIN(k KeyRef, value []byte) error {
	i := f.pinIdx[k]
	if !k.Valid() || i < 0 {
		return apdu.SWReferencedDataNotFound
	}
	if len(value) != 8 {
		return apdu.SWWrongLength
	}
	p := f.pins[i]
	b := f.st.Bytes(p.ref)
	if b[pinTries] != 0 && b[pinFlags]&flagEnabled == 0 {
		return apdu.SWReferencedDataInvalid
	}
	keep := f.verified[k]
	ok, sw, err := f.try(p, value, false)
	f.verified[k] = keep
	if err != nil {
		return err
	}
	if !ok {
		return sw
	}
	return nil
}

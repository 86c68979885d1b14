package fs

import (
	"errors"
	"fmt"
)

// Sentinel errors of building and opening a file system; test with errors.Is.
var (
	// ErrBadSpec reports a file description that cannot be built (wrong
	// sizes, duplicate FID or SFI, reserved FID…); the wrapping error names
	// the file and the field.
	ErrBadSpec = errors.New("fs: bad file specification")
	// ErrNotFound reports a file, record or PIN that does not exist.
	ErrNotFound = errors.New("fs: not found")
	// ErrCorrupt reports a store whose file-system cells do not parse.
	ErrCorrupt = errors.New("fs: corrupt file-system state in store")
)

// FileID is a 2-byte file identifier, ETSI TS 102 221 §8.2.
type FileID uint16

// Reserved file identifiers (ETSI TS 102 221 §8.2).
const (
	FIDMF         FileID = 0x3F00 // master file
	FIDCurrentADF FileID = 0x7FFF // the current application's ADF
	FIDInvalid    FileID = 0xFFFF // reserved
)

// String is the 4-digit hex form, e.g. "6F07".
func (f FileID) String() string { return fmt.Sprintf("%04X", uint16(f)) }

// SFI is a short file identifier, 1..30 (ETSI TS 102 221 §8.3); 0 means
// the EF has none.
type SFI uint8

// String is the decimal SFI ("SFI 7") or "no SFI".
func (s SFI) String() string {
	if s == 0 {
		return "no SFI"
	}
	return fmt.Sprintf("SFI %d", uint8(s))
}

// Kind says what a file is (ETSI TS 102 221 §8.1).
type Kind uint8

// File kinds.
const (
	KindMF  Kind = iota + 1 // master file
	KindDF                  // dedicated file
	KindADF                 // application dedicated file
	KindEF                  // elementary file
)

var kindNames = [...]string{"", "MF", "DF", "ADF", "EF"}

// String names the kind as TS 102 221 §8.1 does: MF, DF, ADF, EF.
func (k Kind) String() string {
	if int(k) < len(kindNames) && k != 0 {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// IsDF reports a directory: MF, DF or ADF.
func (k Kind) IsDF() bool { return k == KindMF || k == KindDF || k == KindADF }

// Structure is an EF's structure (ETSI TS 102 221 §8.1, §11.1.1.4.3).
type Structure uint8

// EF structures.
const (
	Transparent Structure = iota + 1 // byte string
	LinearFixed                      // numbered records of equal length
	Cyclic                           // ring of records, record 1 the newest
)

var structureNames = [...]string{"", "transparent", "linear fixed", "cyclic"}

// String names the structure: transparent, linear fixed, cyclic.
func (s Structure) String() string {
	if int(s) < len(structureNames) && s != 0 {
		return structureNames[s]
	}
	return fmt.Sprintf("Structure(%d)", uint8(s))
}

// descriptorByte is the file descriptor byte of tag 82 (TS 102 221
// §11.1.1.4.3): b8=0, b7 shareable, b6..b4 file type, b3..b1 structure.
func (s Structure) descriptorByte() byte {
	switch s {
	case LinearFixed:
		return 0x02
	case Cyclic:
		return 0x06
	}
	return 0x01
}

// LCSI is the life cycle status integer, ISO/IEC 7816-4 §7.4.10 Table 13
// as used by ETSI TS 102 221 §11.1.1.4.9.
type LCSI uint8

// Life cycle states used by the emulated card.
const (
	LCSICreation    LCSI = 0x01
	LCSIInit        LCSI = 0x03
	LCSIActivated   LCSI = 0x05 // operational state, activated
	LCSIDeactivated LCSI = 0x04 // operational state, deactivated
	LCSITerminated  LCSI = 0x0C
)

// String names the life cycle state of ISO/IEC 7816-4 Table 13.
func (l LCSI) String() string {
	switch {
	case l == LCSICreation:
		return "creation"
	case l == LCSIInit:
		return "initialisation"
	case l&0xFD == 0x05:
		return "operational, activated"
	case l&0xFD == 0x04:
		return "operational, deactivated"
	case l&0xFC == 0x0C:
		return "termination"
	}
	return fmt.Sprintf("LCSI(%02X)", uint8(l))
}

// Activated reports the operational activated state (05 or 07).
func (l LCSI) Activated() bool { return l&0xFD == 0x05 }

// ARRRef references an access rule: record Record of the EF_ARR with file
// identifier FID (tag 8B, ETSI TS 102 221 §11.1.1.4.7.3).
type ARRRef struct {
	FID    FileID
	Record uint8
}

// Spec describes a file to create (AddDF, AddADF, AddEF). Zero fields take
// the defaults noted.
type Spec struct {
	// FID is the file identifier (mandatory; not 3F00, 7FFF or FFFF).
	FID FileID
	// Name is a human label kept with the file ("EF.IMSI"); optional.
	Name string
	// SFI is the EF's short file identifier, 1..30; 0 for none.
	SFI SFI
	// Structure of an EF (default Transparent).
	Structure Structure
	// Size of a transparent EF in bytes (1..65535).
	Size int
	// RecordLen (1..255) and Records (1..254) of a record EF.
	RecordLen, Records int
	// ARR is the access rule reference (tag 8B, short form). Mandatory
	// unless ARRBySE, Compact or Expanded gives the security attributes.
	ARR ARRRef
	// ARRBySE gives the long form of tag 8B instead (ETSI TS 102 221
	// §11.1.1.4.7.3): for each security environment the record of the
	// EF_ARR ARR.FID (ARR.Record must be 0). See secattr.go.
	ARRBySE []SERule
	// Compact is the value of a compact-format security attribute (tag
	// 8C: AM byte ‖ SC bytes, 2..8 bytes, §11.1.1.4.7.1) used instead of
	// an EF_ARR reference (ARR zero).
	Compact []byte
	// Expanded is the value of an expanded-format security attribute (tag
	// AB: AM DO ‖ SC DOs…, 1..127 bytes, §11.1.1.4.7.2) used instead of an
	// EF_ARR reference (ARR zero).
	Expanded []byte
	// NotShareable clears the shareable bit of the file descriptor.
	NotShareable bool
	// Data is the initial content: bytes of a transparent EF or the
	// records of a record EF back to back (record 1 first); shorter data
	// is padded with FF.
	Data []byte
	// AID is the DF name of an ADF (mandatory for AddADF, 5..16 bytes).
	AID []byte
	// PINs are the key references listed in the PIN status template DO
	// (tag C6) of a DF or ADF, in order, e.g. PIN1, PIN2, ADM1.
	PINs []KeyRef
	// LCSI is the initial life cycle state (default activated, 05).
	LCSI LCSI
}

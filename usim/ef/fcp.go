package ef

import "strconv"

// FileType is bits b6..b4 of the file descriptor byte, TS 102 221
// §11.1.1.4.3 Table 11.5.
type FileType uint8

// File types of TS 102 221 Table 11.5.
const (
	WorkingEF  FileType = 0 // working EF
	InternalEF FileType = 1 // internal EF
	DFOrADF    FileType = 7 // DF or ADF
)

// String names the type as TS 102 221 does.
func (t FileType) String() string {
	switch t {
	case WorkingEF:
		return "working EF"
	case InternalEF:
		return "internal EF"
	case DFOrADF:
		return "DF or ADF"
	}
	return "RFU file type " + strconv.Itoa(int(t))
}

// Structure is bits b3..b1 of the file descriptor byte (TS 102 221 Table 11.5).
type Structure uint8

// EF structures of TS 102 221 Table 11.5.
const (
	NoInformation Structure = 0 // no information given (DFs)
	Transparent   Structure = 1
	LinearFixed   Structure = 2
	Cyclic        Structure = 6
)

// String names the structure.
func (s Structure) String() string {
	switch s {
	case NoInformation:
		return "no information given"
	case Transparent:
		return "transparent"
	case LinearFixed:
		return "linear fixed"
	case Cyclic:
		return "cyclic"
	}
	return "RFU structure " + strconv.Itoa(int(s))
}

// FileDescriptor is the file descriptor DO '82' of an FCP template, TS 102
// 221 §11.1.1.4.3: the descriptor byte, the data coding byte ('21') and,
// for record EFs, the record length (2 bytes) and number of records.
// BERTLV marks a BER-TLV structured EF (descriptor bits b6..b1 = 111001).
type FileDescriptor struct {
	Shareable  bool
	Type       FileType
	Structure  Structure
	BERTLV     bool
	RecordLen  uint16
	NumRecords uint8
}

// DataCoding is the data coding byte TS 102 221 §11.1.1.4.3 fixes at '21'.
const DataCoding = 0x21

// Byte returns the file descriptor byte.
func (d FileDescriptor) Byte() byte {
	var b byte
	if d.Shareable {
		b |= 0x40
	}
	if d.BERTLV {
		return b | 0x39
	}
	return b | byte(d.Type&7)<<3 | byte(d.Structure&7)
}

// IsRecord reports whether the EF is linear fixed or cyclic.
func (d FileDescriptor) IsRecord() bool {
	return !d.BERTLV && d.Type != DFOrADF && (d.Structure == LinearFixed || d.Structure == Cyclic)
}

// String renders the descriptor, e.g. "shareable working EF linear fixed, 5 records of 110 bytes".
func (d FileDescriptor) String() string {
	s := ""
	if d.Shareable {
		s = "shareable "
	}
	switch {
	case d.BERTLV:
		s += "working EF BER-TLV"
	case d.Type == DFOrADF:
		s += "DF or ADF"
	default:
		s += d.Type.String() + " " + d.Structure.String()
	}
	if d.IsRecord() {
		s += ", " + strconv.Itoa(int(d.NumRecords)) + " records of " + strconv.Itoa(int(d.RecordLen)) + " bytes"
	}
	return s
}

// Append appends the complete DO: '82' L FDB '21' [record length, number
// of records].
func (d FileDescriptor) Append(dst []byte) []byte {
	if d.IsRecord() {
		return append(dst, 0x82, 5, d.Byte(), DataCoding, byte(d.RecordLen>>8), byte(d.RecordLen), d.NumRecords)
	}
	return append(dst, 0x82, 2, d.Byte(), DataCoding)
}

// ParseFileDescriptor decodes a file descriptor DO '82' (TS 102 221
// §11.1.1.4.3), tag and length included; bytes after the DO are ignored.
func ParseFileDescriptor(b []byte) (FileDescriptor, error) {
	const f = "file descriptor"
	r := tlvReader{b: b}
	tag, v, _, ok, why := r.next()
	if !ok {
		if why == "" {
			why = "no data object"
		}
		return FileDescriptor{}, malformed(f, "", 0, why)
	}
	if tag != 0x82 {
		return FileDescriptor{}, malformed(f, "tag", 0, strconv.FormatUint(uint64(tag), 16)+", want 82")
	}
	return ParseFileDescriptorValue(v)
}

// ParseFileDescriptorValue decodes the value of DO '82' (2 or 5 bytes).
func ParseFileDescriptorValue(v []byte) (FileDescriptor, error) {
	const f = "file descriptor"
	if len(v) != 2 && len(v) != 5 {
		return FileDescriptor{}, malformed(f, "length", 1, strconv.Itoa(len(v))+" bytes, want 2 or 5")
	}
	fdb := v[0]
	if fdb&0x80 != 0 {
		return FileDescriptor{}, malformed(f, "descriptor byte", 2, "b8 set")
	}
	d := FileDescriptor{Shareable: fdb&0x40 != 0}
	if fdb&0x3F == 0x39 {
		d.BERTLV = true
	} else {
		d.Type = FileType(fdb >> 3 & 7)
		d.Structure = Structure(fdb & 7)
	}
	switch {
	case d.BERTLV:
	case d.Type == DFOrADF:
		if d.Structure != NoInformation {
			return FileDescriptor{}, malformed(f, "descriptor byte", 2, "DF with EF structure bits")
		}
	case d.Type == WorkingEF || d.Type == InternalEF:
		if d.Structure != Transparent && d.Structure != LinearFixed && d.Structure != Cyclic {
			return FileDescriptor{}, malformed(f, "descriptor byte", 2, d.Structure.String())
		}
	default:
		return FileDescriptor{}, malformed(f, "descriptor byte", 2, d.Type.String())
	}
	if v[1] != DataCoding {
		return FileDescriptor{}, malformed(f, "data coding byte", 3, strconv.FormatUint(uint64(v[1]), 16)+", want 21")
	}
	if d.IsRecord() {
		if len(v) != 5 {
			return FileDescriptor{}, malformed(f, "length", 1, "record EF without record length and count")
		}
		d.RecordLen = uint16(v[2])<<8 | uint16(v[3])
		d.NumRecords = v[4]
		if d.RecordLen == 0 {
			return FileDescriptor{}, malformed(f, "record length", 4, "zero")
		}
	} else if len(v) == 5 {
		return FileDescriptor{}, malformed(f, "length", 1, "record fields on a non-record file")
	}
	return d, nil
}

// LifeCycle is the life cycle status integer, DO '8A' (TS 102 221
// §11.1.1.4.9 Table 11.7b).
type LifeCycle byte

// Life cycle states of TS 102 221 Table 11.7b (the canonical codings).
const (
	LCSINoInformation LifeCycle = 0x00
	LCSICreation      LifeCycle = 0x01
	LCSIInitialise    LifeCycle = 0x03
	LCSIActivated     LifeCycle = 0x05 // operational state – activated
	LCSIDeactivated   LifeCycle = 0x04 // operational state – deactivated
	LCSITerminated    LifeCycle = 0x0C
)

// String names the state; the operational states accept any b1 and b3
// bits as Table 11.7b allows (0000 01x1 activated, 0000 01x0 deactivated).
func (l LifeCycle) String() string {
	switch {
	case l == 0:
		return "no information given"
	case l == 1:
		return "creation state"
	case l == 3:
		return "initialisation state"
	case l&0xFD == 0x05:
		return "operational state - activated"
	case l&0xFD == 0x04:
		return "operational state - deactivated"
	case l&0xFC == 0x0C:
		return "termination state"
	}
	return "proprietary " + strconv.FormatUint(uint64(l), 16)
}

// Append appends the DO '8A' 01 l.
func (l LifeCycle) Append(dst []byte) []byte { return append(dst, 0x8A, 1, byte(l)) }

// ParseLifeCycle decodes a DO '8A' with tag and length.
func ParseLifeCycle(b []byte) (LifeCycle, error) {
	if len(b) < 3 || b[0] != 0x8A || b[1] != 1 {
		return 0, malformed("life cycle status", "", 0, "want 8A 01 xx")
	}
	return LifeCycle(b[2]), nil
}

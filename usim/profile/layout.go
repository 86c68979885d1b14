package profile

import "github.com/uiccsim/uiccsim/usim/ef"

// FileSpec describes one elementary file of the emulated card: where it
// lives, its identifiers and structure, and the EF_ARR record that guards
// it. The content comes from Profile.Content.
type FileSpec struct {
	// Path is relative to the MF: "EF.ICCID", "ADF.USIM/EF.IMSI".
	Path string
	// FID is the file identifier; SFI the short file identifier (0: none).
	FID uint16
	SFI uint8
	// Structure is ef.Transparent, ef.LinearFixed or ef.Cyclic.
	Structure ef.Structure
	// Size is the size of a transparent EF; RecordLen and Records give a
	// record EF's shape.
	Size      int
	RecordLen int
	Records   int
	// ARRRecord is the record number in the parent's EF_ARR ('8B' DO).
	ARRRecord int
}

// FileSize returns the file's size in bytes.
func (s FileSpec) FileSize() int {
	if s.Structure == ef.Transparent {
		return s.Size
	}
	return s.RecordLen * s.Records
}

// Descriptor returns the FCP file descriptor of the file.
func (s FileSpec) Descriptor() ef.FileDescriptor {
	d := ef.FileDescriptor{Type: ef.WorkingEF, Structure: s.Structure}
	if s.Structure != ef.Transparent {
		d.RecordLen, d.NumRecords = uint16(s.RecordLen), uint8(s.Records)
	}
	return d
}

// Directory names of the layout.
const (
	DirMF   = ""         // files directly under the MF
	DirUSIM = "ADF.USIM" // files under the USIM application
)

// Dir returns the directory part of the path ("" or "ADF.USIM").
func (s FileSpec) Dir() string {
	if len(s.Path) > len(DirUSIM) && s.Path[:len(DirUSIM)+1] == DirUSIM+"/" {
		return DirUSIM
	}
	return DirMF
}

// EF_ARR record numbers of the default access rules (MFRules, USIMRules).
const (
	// Under the MF (EF_ARR 2F06).
	ARRMFReadAlwaysUpdateADM = 1 // EF_ICCID, EF_DIR, EF_ARR
	ARRMFReadAlwaysUpdatePIN = 2 // EF_PL
	ARRMFDF                  = 3 // the MF itself
	// Under ADF.USIM (EF_ARR 6F06).
	ARRReadPINUpdateADM    = 1 // IMSI, AD, UST, ACC, HPPLMN, SPN, THRESHOLD
	ARRReadPINUpdatePIN    = 2 // LOCI, PSLOCI, EPSLOCI, KEYS, KEYSPS, FPLMN, START-HFN, MSISDN
	ARRReadAlwaysUpdateADM = 3 // ECC, ARR
	ARRReadAlwaysUpdatePIN = 4 // LI
	ARRReadPINUpdatePIN2   = 5 // EST
	ARRADF                 = 6 // ADF.USIM itself
)

func rule(am ef.AccessMode, c ef.SecurityCondition) ef.Rule {
	return ef.Rule{AMTag: 0x80, AM: []byte{byte(am)}, Conds: []ef.SecurityCondition{c}}
}

var (
	adm1 = ef.Key(ef.KeyADM1)
	pin1 = ef.Key(ef.KeyPIN1)
	pin2 = ef.Key(ef.KeyPIN2)
	alw  = ef.Always()
	nev  = ef.Never()
	// The DF access modes: b1 delete child, b2 create EF, b3 create DF.
	dfAdmin = ef.AccessMode(0x01 | 0x02 | 0x04)
	lifeOps = ef.AMDeactivate | ef.AMActivate
)

// MFRules are the default EF_ARR records under the MF (TS 102 221 §9.2.4),
// in record order.
var MFRules = []ef.ARR{
	{rule(ef.AMRead, alw), rule(ef.AMUpdate, adm1), rule(lifeOps, adm1), rule(ef.AMTerminate|ef.AMDelete|ef.AMWrite, nev)},
	{rule(ef.AMRead, alw), rule(ef.AMUpdate, pin1), rule(lifeOps, adm1), rule(ef.AMTerminate|ef.AMDelete|ef.AMWrite, nev)},
	{rule(dfAdmin, adm1), rule(lifeOps, adm1), rule(ef.AMTerminate|ef.AMDelete, nev)},
}

// USIMRules are the default EF_ARR records under ADF.USIM, following the
// access conditions TS 31.102 §4.2 gives each file.
var USIMRules = []ef.ARR{
	{rule(ef.AMRead, pin1), rule(ef.AMUpdate, adm1), rule(lifeOps, adm1), rule(ef.AMTerminate|ef.AMDelete|ef.AMWrite, nev)},
	{rule(ef.AMRead, pin1), rule(ef.AMUpdate, pin1), rule(lifeOps, adm1), rule(ef.AMTerminate|ef.AMDelete|ef.AMWrite, nev)},
	{rule(ef.AMRead, alw), rule(ef.AMUpdate, adm1), rule(lifeOps, adm1), rule(ef.AMTerminate|ef.AMDelete|ef.AMWrite, nev)},
	{rule(ef.AMRead, alw), rule(ef.AMUpdate, pin1), rule(lifeOps, adm1), rule(ef.AMTerminate|ef.AMDelete|ef.AMWrite, nev)},
	{rule(ef.AMRead, pin1), rule(ef.AMUpdate, pin2), rule(lifeOps, adm1), rule(ef.AMTerminate|ef.AMDelete|ef.AMWrite, nev)},
	{rule(dfAdmin, adm1), rule(lifeOps, adm1), rule(ef.AMTerminate|ef.AMDelete, nev)},
}

// ARRRecordLen is the record length of both EF_ARR files.
const ARRRecordLen = 48

// Layout is the file tree of the emulated card: the MF files of TS 102 221
// §13 and the ADF.USIM files of TS 31.102 §4.2 with their FIDs and SFIs
// (e.g. EF_AD SFI 03, EF_EPSLOCI SFI 1E) as modems read them.
var Layout = []FileSpec{
	{Path: "EF.ICCID", FID: 0x2FE2, SFI: 0x02, Structure: ef.Transparent, Size: ef.ICCIDLen, ARRRecord: ARRMFReadAlwaysUpdateADM},
	{Path: "EF.DIR", FID: 0x2F00, SFI: 0x1E, Structure: ef.LinearFixed, RecordLen: 32, Records: 2, ARRRecord: ARRMFReadAlwaysUpdateADM},
	{Path: "EF.PL", FID: 0x2F05, SFI: 0x05, Structure: ef.Transparent, Size: 10, ARRRecord: ARRMFReadAlwaysUpdatePIN},
	{Path: "EF.ARR", FID: 0x2F06, SFI: 0x06, Structure: ef.LinearFixed, RecordLen: ARRRecordLen, Records: len(MFRules), ARRRecord: ARRMFReadAlwaysUpdateADM},

	{Path: "ADF.USIM/EF.LI", FID: 0x6F05, SFI: 0x02, Structure: ef.Transparent, Size: 10, ARRRecord: ARRReadAlwaysUpdatePIN},
	{Path: "ADF.USIM/EF.ARR", FID: 0x6F06, SFI: 0x17, Structure: ef.LinearFixed, RecordLen: ARRRecordLen, Records: len(USIMRules), ARRRecord: ARRReadAlwaysUpdateADM},
	{Path: "ADF.USIM/EF.IMSI", FID: 0x6F07, SFI: 0x07, Structure: ef.Transparent, Size: ef.IMSILen, ARRRecord: ARRReadPINUpdateADM},
	{Path: "ADF.USIM/EF.KEYS", FID: 0x6F08, SFI: 0x08, Structure: ef.Transparent, Size: ef.KeysLen, ARRRecord: ARRReadPINUpdatePIN},
	{Path: "ADF.USIM/EF.KEYSPS", FID: 0x6F09, SFI: 0x09, Structure: ef.Transparent, Size: ef.KeysLen, ARRRecord: ARRReadPINUpdatePIN},
	{Path: "ADF.USIM/EF.HPPLMN", FID: 0x6F31, SFI: 0x12, Structure: ef.Transparent, Size: 1, ARRRecord: ARRReadPINUpdateADM},
	{Path: "ADF.USIM/EF.UST", FID: 0x6F38, SFI: 0x04, Structure: ef.Transparent, Size: 17, ARRRecord: ARRReadPINUpdateADM},
	{Path: "ADF.USIM/EF.MSISDN", FID: 0x6F40, Structure: ef.LinearFixed, RecordLen: 34, Records: 2, ARRRecord: ARRReadPINUpdatePIN},
	{Path: "ADF.USIM/EF.SPN", FID: 0x6F46, Structure: ef.Transparent, Size: ef.SPNLen, ARRRecord: ARRReadPINUpdateADM},
	{Path: "ADF.USIM/EF.EST", FID: 0x6F56, SFI: 0x05, Structure: ef.Transparent, Size: 1, ARRRecord: ARRReadPINUpdatePIN2},
	{Path: "ADF.USIM/EF.START-HFN", FID: 0x6F5B, SFI: 0x0F, Structure: ef.Transparent, Size: 6, ARRRecord: ARRReadPINUpdatePIN},
	{Path: "ADF.USIM/EF.THRESHOLD", FID: 0x6F5C, SFI: 0x10, Structure: ef.Transparent, Size: 3, ARRRecord: ARRReadPINUpdateADM},
	{Path: "ADF.USIM/EF.PSLOCI", FID: 0x6F73, SFI: 0x0C, Structure: ef.Transparent, Size: ef.PSLOCILen, ARRRecord: ARRReadPINUpdatePIN},
	{Path: "ADF.USIM/EF.ACC", FID: 0x6F78, SFI: 0x06, Structure: ef.Transparent, Size: 2, ARRRecord: ARRReadPINUpdateADM},
	{Path: "ADF.USIM/EF.FPLMN", FID: 0x6F7B, SFI: 0x0D, Structure: ef.Transparent, Size: 12, ARRRecord: ARRReadPINUpdatePIN},
	{Path: "ADF.USIM/EF.LOCI", FID: 0x6F7E, SFI: 0x0B, Structure: ef.Transparent, Size: ef.LOCILen, ARRRecord: ARRReadPINUpdatePIN},
	{Path: "ADF.USIM/EF.AD", FID: 0x6FAD, SFI: 0x03, Structure: ef.Transparent, Size: 4, ARRRecord: ARRReadPINUpdateADM},
	{Path: "ADF.USIM/EF.ECC", FID: 0x6FB7, SFI: 0x01, Structure: ef.LinearFixed, RecordLen: 14, Records: 5, ARRRecord: ARRReadAlwaysUpdateADM},
	{Path: "ADF.USIM/EF.EPSLOCI", FID: 0x6FE3, SFI: 0x1E, Structure: ef.Transparent, Size: ef.EPSLOCILen, ARRRecord: ARRReadPINUpdatePIN},
}

// Spec returns the layout entry for path ("MF/" prefix optional).
func Spec(path string) (FileSpec, bool) {
	if len(path) > 3 && path[:3] == "MF/" {
		path = path[3:]
	}
	for _, s := range Layout {
		if s.Path == path {
			return s, true
		}
	}
	return FileSpec{}, false
}

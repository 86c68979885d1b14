package apdutrace

import (
	"bytes"
	"fmt"
	"strings"
)

// Dir is the directory a Tracer believes is selected, which decides how a
// FID or an SFI is named.
type Dir uint8

// Directories with well-known contents.
const (
	DirUnknown Dir = iota // nothing selected yet, or a DF without a table
	DirMF                 // MF, TS 102 221 §13
	DirTelecom            // DF.TELECOM 7F10, TS 31.102 §4.4
	DirGSM                // DF.GSM 7F20, TS 51.011 §10.3
	DirUSIM               // ADF.USIM, TS 31.102 §4.2
	DirISIM               // ADF.ISIM, TS 31.103 §4.2
)

// String names the directory as the specifications do.
func (d Dir) String() string {
	switch d {
	case DirMF:
		return "MF"
	case DirTelecom:
		return "DF.TELECOM"
	case DirGSM:
		return "DF.GSM"
	case DirUSIM:
		return "ADF.USIM"
	case DirISIM:
		return "ADF.ISIM"
	}
	return "unknown DF"
}

// mfFiles are the MF-level files of TS 102 221 §13 and the DFs of TS 31.102
// §4.4 / TS 51.011 §10.7 directly under the MF.
var mfFiles = map[uint16]string{
	0x3F00: "MF",
	0x2FE2: "EF.ICCID", // TS 102 221 §13.2
	0x2F00: "EF.DIR",   // TS 102 221 §13.1
	0x2F05: "EF.PL",    // TS 102 221 §13.5
	0x2F06: "EF.ARR",   // TS 102 221 §13.4
	0x2F08: "EF.UMPC",  // TS 102 221 §13.6
	0x7F10: "DF.TELECOM",
	0x7F20: "DF.GSM",
	0x7FFF: "ADF (current application)", // TS 102 221 §8.3
}

// telecomFiles are files of DF.TELECOM (TS 31.102 §4.4, TS 51.011 §10.5).
var telecomFiles = map[uint16]string{
	0x6F06: "EF.ARR",
	0x6F3A: "EF.ADN",
	0x6F3B: "EF.FDN",
	0x6F3C: "EF.SMS",
	0x6F40: "EF.MSISDN",
	0x6F42: "EF.SMSP",
	0x6F43: "EF.SMSS",
	0x6F44: "EF.LND",
	0x6F47: "EF.SMSR",
	0x6F49: "EF.SDN",
	0x6F4A: "EF.EXT1",
	0x6F54: "EF.SUME",
	0x5F3A: "DF.PHONEBOOK",
	0x5F50: "DF.GRAPHICS",
	0x5F3B: "DF.MULTIMEDIA",
}

// gsmFiles are files of DF.GSM (TS 51.011 §10.3).
var gsmFiles = map[uint16]string{
	0x6F05: "EF.LP",
	0x6F07: "EF.IMSI",
	0x6F20: "EF.Kc",
	0x6F30: "EF.PLMNsel",
	0x6F31: "EF.HPPLMN",
	0x6F37: "EF.ACMmax",
	0x6F38: "EF.SST",
	0x6F39: "EF.ACM",
	0x6F3E: "EF.GID1",
	0x6F3F: "EF.GID2",
	0x6F41: "EF.PUCT",
	0x6F46: "EF.SPN",
	0x6F74: "EF.BCCH",
	0x6F78: "EF.ACC",
	0x6F7B: "EF.FPLMN",
	0x6F7E: "EF.LOCI",
	0x6FAD: "EF.AD",
	0x6FAE: "EF.Phase",
	0x6FB7: "EF.ECC",
}

// usimFiles are files of ADF.USIM (TS 31.102 §4.2 and its DFs, §4.3, §4.4.11).
var usimFiles = map[uint16]string{
	0x6F05: "EF.LI",         // §4.2.1
	0x6F06: "EF.ARR",        // §4.2.57
	0x6F07: "EF.IMSI",       // §4.2.2
	0x6F08: "EF.Keys",       // §4.2.4
	0x6F09: "EF.KeysPS",     // §4.2.5
	0x6F31: "EF.HPPLMN",     // §4.2.6
	0x6F37: "EF.ACMmax",     // §4.2.7
	0x6F38: "EF.UST",        // §4.2.8
	0x6F39: "EF.ACM",        // §4.2.9
	0x6F3B: "EF.FDN",        // §4.2.24
	0x6F3C: "EF.SMS",        // §4.2.25
	0x6F3E: "EF.GID1",       // §4.2.10
	0x6F3F: "EF.GID2",       // §4.2.11
	0x6F40: "EF.MSISDN",     // §4.2.26
	0x6F41: "EF.PUCT",       // §4.2.13
	0x6F42: "EF.SMSP",       // §4.2.27
	0x6F43: "EF.SMSS",       // §4.2.28
	0x6F45: "EF.CBMI",       // §4.2.14
	0x6F46: "EF.SPN",        // §4.2.12
	0x6F48: "EF.CBMID",      // §4.2.20
	0x6F49: "EF.SDN",        // §4.2.29
	0x6F4B: "EF.EXT2",       // §4.2.30
	0x6F4C: "EF.EXT3",       // §4.2.31
	0x6F56: "EF.EST",        // §4.2.47
	0x6F5B: "EF.START-HFN",  // §4.2.51
	0x6F5C: "EF.THRESHOLD",  // §4.2.52
	0x6F60: "EF.PLMNwAcT",   // §4.2.5
	0x6F61: "EF.OPLMNwAcT",  // §4.2.53
	0x6F62: "EF.HPLMNwAcT",  // §4.2.54
	0x6F73: "EF.PSLOCI",     // §4.2.23
	0x6F78: "EF.ACC",        // §4.2.15
	0x6F7B: "EF.FPLMN",      // §4.2.16
	0x6F7E: "EF.LOCI",       // §4.2.17
	0x6FAD: "EF.AD",         // §4.2.18
	0x6FB7: "EF.ECC",        // §4.2.21
	0x6FC4: "EF.NETPAR",     // §4.2.59
	0x6FC5: "EF.PNN",        // §4.2.58
	0x6FC6: "EF.OPL",        // §4.2.59
	0x6FE3: "EF.EPSLOCI",    // §4.2.91
	0x6FE4: "EF.EPSNSC",     // §4.2.92
	0x5F3A: "DF.PHONEBOOK",  // §4.4.2
	0x5F3B: "DF.GSM-ACCESS", // §4.4.5
	0x5FC0: "DF.5GS",        // §4.4.11
}

// isimFiles are files of ADF.ISIM (TS 31.103 §4.2).
var isimFiles = map[uint16]string{
	0x6F02: "EF.IMPI",
	0x6F03: "EF.DOMAIN",
	0x6F04: "EF.IMPU",
	0x6F06: "EF.ARR",
	0x6F07: "EF.IST",
	0x6F09: "EF.P-CSCF",
	0x6FAD: "EF.AD",
}

// FileName names the file with identifier fid in directory dir, or returns ""
// when it is not a well-known file there. MF-level names (MF, EF.DIR, ...)
// are found from any directory, as a SELECT by FID may reach them (TS 102
// 221 §8.4.1).
func FileName(dir Dir, fid uint16) string {
	var t map[uint16]string
	switch dir {
	case DirTelecom:
		t = telecomFiles
	case DirGSM:
		t = gsmFiles
	case DirUSIM:
		t = usimFiles
	case DirISIM:
		t = isimFiles
	}
	if n := t[fid]; n != "" {
		return n
	}
	return mfFiles[fid]
}

// mfSFI are the short file identifiers of TS 102 221 §13.
var mfSFI = [32]string{0x02: "EF.ICCID", 0x05: "EF.PL", 0x06: "EF.ARR", 0x1E: "EF.DIR"}

// usimSFI are the short file identifiers of TS 31.102 §4.2 (Annex H lists
// them).
var usimSFI = [32]string{
	0x01: "EF.ECC", 0x02: "EF.LI", 0x03: "EF.AD", 0x04: "EF.UST", 0x05: "EF.EST",
	0x06: "EF.ACC", 0x07: "EF.IMSI", 0x08: "EF.Keys", 0x09: "EF.KeysPS",
	0x0A: "EF.PLMNwAcT", 0x0B: "EF.LOCI", 0x0C: "EF.PSLOCI", 0x0D: "EF.FPLMN",
	0x0E: "EF.CBMID", 0x0F: "EF.START-HFN", 0x10: "EF.THRESHOLD",
	0x11: "EF.OPLMNwAcT", 0x12: "EF.HPPLMN", 0x13: "EF.HPLMNwAcT",
	0x17: "EF.ARR", 0x18: "EF.EPSNSC", 0x1E: "EF.EPSLOCI",
}

// SFIName names the EF with short file identifier sfi (1..30) in dir, or
// returns "".
func SFIName(dir Dir, sfi byte) string {
	if sfi >= 32 {
		return ""
	}
	switch dir {
	case DirMF:
		return mfSFI[sfi]
	case DirUSIM:
		return usimSFI[sfi]
	}
	return ""
}

// knownAIDs are application identifiers of ETSI TS 101 220 Annex E, GSMA
// SGP.02/SGP.22 and GlobalPlatform, matched as prefixes (a USIM AID carries
// a PIX extension after the 7-byte 3GPP prefix).
var knownAIDs = []struct {
	prefix []byte
	name   string
	dir    Dir
}{
	{[]byte{0xA0, 0x00, 0x00, 0x00, 0x87, 0x10, 0x02}, "ADF.USIM", DirUSIM},
	{[]byte{0xA0, 0x00, 0x00, 0x00, 0x87, 0x10, 0x04}, "ADF.ISIM", DirISIM},
	{[]byte{0xA0, 0x00, 0x00, 0x03, 0x43, 0x10, 0x02}, "ADF.CSIM", DirUnknown},
	{[]byte{0xA0, 0x00, 0x00, 0x01, 0x51, 0x41, 0x43, 0x4C, 0x00}, "ARA-M", DirUnknown},
	{[]byte{0xA0, 0x00, 0x00, 0x05, 0x59, 0x10, 0x10, 0xFF, 0xFF, 0xFF, 0xFF, 0x89, 0x00, 0x00, 0x01, 0x00}, "ISD-R", DirUnknown},
	{[]byte{0xA0, 0x00, 0x00, 0x05, 0x59, 0x10, 0x10, 0xFF, 0xFF, 0xFF, 0xFF, 0x89, 0x00, 0x00, 0x02, 0x00}, "ECASD", DirUnknown},
	{[]byte{0xA0, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00}, "ISD", DirUnknown},
	{[]byte{0xA0, 0x00, 0x00, 0x01, 0x51, 0x00, 0x00, 0x00}, "ISD", DirUnknown},
}

// AIDName names the application with identifier aid (or a right-truncated
// prefix of it, as SELECT by DF name allows, TS 102 221 §8.5.1), or returns
// "" when it is not well known. dir is where a successful SELECT leaves the
// tracer.
func AIDName(aid []byte) (name string, dir Dir) {
	for _, k := range knownAIDs {
		if bytes.HasPrefix(aid, k.prefix) || (len(aid) >= 7 && bytes.HasPrefix(k.prefix, aid)) {
			return k.name, k.dir
		}
	}
	return "", DirUnknown
}

// fileLabel renders "EF.IMSI (6F07)" or "6F07".
func fileLabel(dir Dir, fid uint16) string {
	if n := FileName(dir, fid); n != "" {
		return fmt.Sprintf("%s (%04X)", n, fid)
	}
	return fmt.Sprintf("%04X", fid)
}

// LookupFile finds the FID of the file named name ("EF.IMSI", "ef.imsi",
// "DF.TELECOM") in directory dir, as FileName names it; ok is false when no
// well-known file has that name there.
func LookupFile(dir Dir, name string) (fid uint16, ok bool) {
	tables := []map[uint16]string{mfFiles}
	switch dir {
	case DirTelecom:
		tables = append([]map[uint16]string{telecomFiles}, tables...)
	case DirGSM:
		tables = append([]map[uint16]string{gsmFiles}, tables...)
	case DirUSIM:
		tables = append([]map[uint16]string{usimFiles}, tables...)
	case DirISIM:
		tables = append([]map[uint16]string{isimFiles}, tables...)
	}
	for _, t := range tables {
		for f, n := range t {
			if strings.EqualFold(n, name) {
				return f, true
			}
		}
	}
	return 0, false
}

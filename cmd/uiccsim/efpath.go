package main

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/uiccsim/uiccsim/internal/apdutrace"
	"github.com/uiccsim/uiccsim/usim/client"
	"github.com/uiccsim/uiccsim/usim/ef"
)

// efTarget is an elementary file reached by a path such as
// "ADF.USIM/EF.IMSI", "EF.ICCID", "3F00/2FE2" or "ADF.USIM/6F38".
type efTarget struct {
	Path string     // as given
	Name string     // EF name when well known ("EF.IMSI"), else ""
	FID  uint16     // the EF's file identifier
	FCP  client.FCP // as the card returned it on SELECT
	dir  apdutrace.Dir
}

// selectPath walks path from the MF: "MF"/"3F00" is the root, "ADF.USIM"
// (or "7FFF" after it) the USIM found in EF_DIR, "DF.TELECOM"/"DF.GSM" and
// 4-hex-digit FIDs select DFs, and the last element names the EF (TS 102 221
// §8.4 file selection). It returns the selected EF.
func selectPath(cl *client.Client, path string) (*efTarget, error) {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	if len(parts) > 0 && (strings.EqualFold(parts[0], "MF") || strings.EqualFold(parts[0], "3F00")) {
		parts = parts[1:]
	}
	if len(parts) == 0 || parts[0] == "" {
		return nil, usagef("path %q names no EF; e.g. EF.ICCID or ADF.USIM/EF.IMSI", path)
	}
	if _, err := cl.Select(client.FIDMF); err != nil {
		return nil, cardErr("selecting MF", err)
	}
	t := &efTarget{Path: path, dir: apdutrace.DirMF}
	for i, p := range parts {
		last := i == len(parts)-1
		if strings.EqualFold(p, "ADF.USIM") || strings.EqualFold(p, "USIM") {
			if last {
				return nil, usagef("path %q ends at a DF; add the EF, e.g. %s/EF.IMSI", path, p)
			}
			if _, err := cl.SelectUSIM(); err != nil {
				return nil, cardErr("selecting ADF.USIM", err)
			}
			t.dir = apdutrace.DirUSIM
			continue
		}
		fid, ok := apdutrace.LookupFile(t.dir, p)
		if !ok {
			v, err := strconv.ParseUint(p, 16, 16)
			if err != nil || len(p) != 4 {
				return nil, usagef("path %q: %q is neither a known file name in %v nor a 4-digit hex FID", path, p, t.dir)
			}
			fid = uint16(v)
		}
		fcp, err := cl.Select(fid)
		if err != nil {
			return nil, cardErr(fmt.Sprintf("selecting %s (%04X)", p, fid), err)
		}
		if last {
			if fcp.Descriptor.Type == ef.DFOrADF {
				return nil, usagef("path %q ends at a DF; add the EF", path)
			}
			t.FID, t.FCP, t.Name = fid, fcp, apdutrace.FileName(t.dir, fid)
			return t, nil
		}
		switch fid {
		case 0x7F10:
			t.dir = apdutrace.DirTelecom
		case 0x7F20:
			t.dir = apdutrace.DirGSM
		case 0x7FFF:
			t.dir = apdutrace.DirUSIM
		default:
			t.dir = apdutrace.DirUnknown
		}
	}
	return nil, errors.New("unreachable")
}

// decodeEF decodes one EF (or one record of it) with the ef codecs of TS
// 102 221 §13 and TS 31.102 §4.2; "" when there is no codec for name.
// Secrets (EF.Keys) decode to their redacted form.
func decodeEF(name string, b []byte) (string, error) {
	switch strings.ToUpper(name) {
	case "EF.ICCID":
		return show(ef.ParseICCID(b))
	case "EF.IMSI":
		return show(ef.ParseIMSI(b))
	case "EF.AD":
		return show(ef.ParseAD(b))
	case "EF.UST":
		u, err := ef.ParseUST(b)
		if err != nil {
			return "", err
		}
		var s []string
		for _, sv := range u.Services() {
			s = append(s, fmt.Sprintf("n°%d %s", int(sv), sv))
		}
		return "available services: " + strings.Join(s, "; "), nil
	case "EF.EST":
		return show(ef.ParseEST(b))
	case "EF.SPN":
		s, err := ef.ParseSPN(b)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("%q (display condition %v)", s.Name, s.Display), nil
	case "EF.MSISDN", "EF.ADN", "EF.FDN", "EF.SDN":
		return show(ef.ParseDialNumber(b))
	case "EF.DIR":
		return show(ef.ParseApplication(b))
	case "EF.ARR":
		return show(ef.ParseARR(b))
	case "EF.ECC":
		return show(ef.ParseECC(b))
	case "EF.LOCI":
		return show(ef.ParseLOCI(b))
	case "EF.PSLOCI":
		return show(ef.ParsePSLOCI(b))
	case "EF.EPSLOCI":
		return show(ef.ParseEPSLOCI(b))
	case "EF.FPLMN":
		return show(ef.ParsePLMNList(b))
	case "EF.PLMNWACT", "EF.OPLMNWACT", "EF.HPLMNWACT":
		return show(ef.ParsePLMNwAcTList(b))
	case "EF.HPPLMN":
		return show(ef.ParseHPPLMN(b))
	case "EF.ACC":
		return show(ef.ParseACC(b))
	case "EF.LI", "EF.PL":
		return show(ef.ParseLanguages(b))
	case "EF.KEYS", "EF.KEYSPS":
		return show(ef.ParseKeys(b))
	case "EF.START-HFN":
		return show(ef.ParseStartHFN(b))
	case "EF.THRESHOLD":
		return show(ef.ParseThreshold(b))
	}
	return "", nil
}

// encodeEF encodes a typed value for the EFs whose value is one string:
// digits for EF.IMSI (TS 31.102 §4.2.2) and EF.ICCID (TS 102 221 §13.2), a
// name for EF.SPN (§4.2.12, display condition kept at 01). ok is false when
// name has no typed form; use --hex then.
func encodeEF(name, value string) (b []byte, ok bool, err error) {
	switch strings.ToUpper(name) {
	case "EF.IMSI":
		v, err := ef.NewIMSI(value)
		if err != nil {
			return nil, true, err
		}
		return v.Append(nil), true, nil
	case "EF.ICCID":
		v, err := ef.NewICCID(value)
		if err != nil {
			return nil, true, err
		}
		return v.Append(nil), true, nil
	case "EF.SPN":
		b, err := ef.SPN{Display: ef.SPNShowPLMNInHPLMN, Name: value}.Append(nil)
		return b, true, err
	}
	return nil, false, nil
}

// show formats a decoded value with its String method (fmt.Sprint).
func show[T any](v T, err error) (string, error) {
	if err != nil {
		return "", err
	}
	return fmt.Sprint(v), nil
}

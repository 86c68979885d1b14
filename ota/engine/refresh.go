package engine

import (
	"fmt"

	"github.com/uiccsim/uiccsim/apdu/tlv"
	"github.com/uiccsim/uiccsim/ota/smspp"
)

// RefreshMode is the command qualifier of the proactive command REFRESH,
// ETSI TS 102 223 §8.6 (command details) and §6.4.7.
type RefreshMode byte

// REFRESH modes, TS 102 223 §8.6.
const (
	RefreshNAAInitFullFCN  RefreshMode = 0x00 // NAA initialization and full file change notification
	RefreshFCN             RefreshMode = 0x01 // file change notification
	RefreshNAAInitFCN      RefreshMode = 0x02 // NAA initialization and file change notification
	RefreshNAAInit         RefreshMode = 0x03 // NAA initialization
	RefreshUICCReset       RefreshMode = 0x04 // UICC reset
	RefreshNAAAppReset     RefreshMode = 0x05 // NAA application reset (3G session reset in TS 31.111)
	RefreshNAASessionReset RefreshMode = 0x06 // NAA session reset
)

func (m RefreshMode) String() string {
	switch m {
	case RefreshNAAInitFullFCN:
		return "NAA initialization and full file change notification"
	case RefreshFCN:
		return "file change notification"
	case RefreshNAAInitFCN:
		return "NAA initialization and file change notification"
	case RefreshNAAInit:
		return "NAA initialization"
	case RefreshUICCReset:
		return "UICC reset"
	case RefreshNAAAppReset:
		return "NAA application reset"
	case RefreshNAASessionReset:
		return "NAA session reset"
	}
	return fmt.Sprintf("reserved REFRESH mode %02X", byte(m))
}

// needsFiles reports whether the mode carries a File List, §6.4.7.
func (m RefreshMode) needsFiles() bool { return m == RefreshFCN || m == RefreshNAAInitFCN }

// TypeRefresh is the type of command of REFRESH, TS 102 223 §9.4.
const TypeRefresh = 0x01

// AppendRefresh appends the proactive command REFRESH, TS 102 223 §6.6.13:
// D0, command details (81 03 number 01 mode), device identities (82 02 81
// 82: UICC to terminal), the File List (92, §8.18) for the file change
// modes, and the AID (AF, §8.60) of the NAA when aid is not empty. Each
// file is its full path from the MF, FIDs of two octets starting 3F00.
func AppendRefresh(dst []byte, number byte, mode RefreshMode, files [][]byte, aid []byte) ([]byte, error) {
	if mode.needsFiles() && len(files) == 0 {
		return dst, fmt.Errorf("engine: REFRESH %v needs a file list", mode)
	}
	if len(files) > 255 {
		return dst, fmt.Errorf("engine: REFRESH file list of %d files", len(files))
	}
	for _, f := range files {
		if len(f) < 2 || len(f)%2 != 0 || f[0] != 0x3F || f[1] != 0x00 {
			return dst, fmt.Errorf("engine: REFRESH file path % X does not start at the MF (3F00)", f)
		}
	}
	b := tlv.NewBuilder(dst)
	b.AddBER(TagProactiveCommand, func(b *tlv.Builder) {
		b.AddComprehension(tlv.CTagCommandDetails, true, []byte{number, TypeRefresh, byte(mode)})
		b.AddComprehension(tlv.CTagDeviceIdentities, true, []byte{smspp.DeviceUICC, smspp.DeviceTerminal})
		if len(files) > 0 {
			b.AddComprehensionFunc(tlv.CTagFileList, true, func(b *tlv.Builder) {
				b.AddUint8(uint8(len(files)))
				for _, f := range files {
					b.AddBytes(f)
				}
			})
		}
		if len(aid) > 0 {
			b.AddComprehension(tlv.CTagAID, true, aid)
		}
	})
	return b.Bytes()
}

// Refresh is a decoded REFRESH proactive command.
type Refresh struct {
	Number byte
	Mode   RefreshMode
	Files  [][]byte // full paths, aliasing the input
	AID    []byte
}

// ParseRefresh decodes a REFRESH proactive command, TS 102 223 §6.6.13,
// splitting the File List (§8.18) into paths: each starts with 3F00 and
// runs to the next 3F00.
func ParseRefresh(b []byte) (Refresh, error) {
	var r Refresh
	rd := tlv.NewReader(b)
	var body tlv.Reader
	if !rd.ReadExpectBER(TagProactiveCommand, &body) || !rd.Empty() {
		return r, fmt.Errorf("engine: not one proactive command: %v", rd.Err())
	}
	seen := false
	for !body.Empty() {
		var tag tlv.CTag
		var cr bool
		var v []byte
		if !body.ReadComprehensionBytes(&tag, &cr, &v) {
			return r, fmt.Errorf("engine: REFRESH: %w", body.Err())
		}
		switch tag {
		case tlv.CTagCommandDetails:
			if len(v) != 3 || v[1] != TypeRefresh {
				return r, fmt.Errorf("engine: command details % X are not REFRESH", v)
			}
			r.Number, r.Mode, seen = v[0], RefreshMode(v[2]), true
		case tlv.CTagFileList:
			files, err := splitFileList(v)
			if err != nil {
				return r, err
			}
			r.Files = files
		case tlv.CTagAID:
			r.AID = v
		}
	}
	if !seen {
		return r, fmt.Errorf("engine: REFRESH without command details")
	}
	if r.Mode.needsFiles() && len(r.Files) == 0 {
		return r, fmt.Errorf("engine: REFRESH %v without a file list", r.Mode)
	}
	return r, nil
}

func splitFileList(v []byte) ([][]byte, error) {
	if len(v) < 1 {
		return nil, fmt.Errorf("engine: empty file list")
	}
	n, p := int(v[0]), v[1:]
	if len(p)%2 != 0 {
		return nil, fmt.Errorf("engine: file list paths of odd length")
	}
	var files [][]byte
	for i := 0; i < len(p); i += 2 {
		if p[i] == 0x3F && p[i+1] == 0x00 {
			files = append(files, p[i:i+2])
			continue
		}
		if len(files) == 0 {
			return nil, fmt.Errorf("engine: file list path does not start with 3F00")
		}
		last := &files[len(files)-1]
		*last = p[i-len(*last) : i+2]
	}
	if len(files) != n {
		return nil, fmt.Errorf("engine: file list announces %d files, holds %d", n, len(files))
	}
	return files, nil
}

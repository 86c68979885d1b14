package client

import (
	"errors"
	"fmt"

	"github.com/uiccsim/uiccsim/apdu/tlv"
	"github.com/uiccsim/uiccsim/usim/ef"
)

// ErrBadFCP reports an FCP template the client cannot use.
var ErrBadFCP = errors.New("client: malformed FCP")

// FCP is the part of a file control parameters template (TS 102 221
// §11.1.1.3, tag '62') the client uses.
type FCP struct {
	Descriptor ef.FileDescriptor // DO '82'
	FID        uint16            // DO '83'
	DFName     []byte            // DO '84' (ADF AID)
	Size       int               // DO '80' file size (EF), -1 if absent
	LifeCycle  ef.LifeCycle      // DO '8A'
	SFI        int               // DO '88': SFI, 0 if no SFI, -1 if absent
}

// Records returns the number of records of a record EF (from '82'), or
// Size / record length when the descriptor's count is zero.
func (f *FCP) Records() int {
	if !f.Descriptor.IsRecord() {
		return 0
	}
	if f.Descriptor.NumRecords != 0 {
		return int(f.Descriptor.NumRecords)
	}
	return f.Size / int(f.Descriptor.RecordLen)
}

// ParseFCP decodes an FCP template (TS 102 221 §11.1.1.3): '62' L { '82',
// '83', '84', '80', '8A', '88', ... }; other DOs are skipped.
func ParseFCP(b []byte) (FCP, error) {
	f := FCP{Size: -1, SFI: -1}
	r := tlv.NewReader(b)
	var v tlv.Reader
	if !r.ReadExpectBER(tlv.TagFCP, &v) {
		return f, fmt.Errorf("%w: %v", ErrBadFCP, r.Err())
	}
	seenFD := false
	for {
		v.SkipPadding()
		if v.Empty() {
			break
		}
		var t tlv.Tag
		var val []byte
		if !v.ReadBERBytes(&t, &val) {
			return f, fmt.Errorf("%w: %v", ErrBadFCP, v.Err())
		}
		switch t {
		case 0x82:
			d, err := ef.ParseFileDescriptorValue(val)
			if err != nil {
				return f, fmt.Errorf("%w: %v", ErrBadFCP, err)
			}
			f.Descriptor, seenFD = d, true
		case 0x83:
			if len(val) != 2 {
				return f, fmt.Errorf("%w: file identifier of %d bytes", ErrBadFCP, len(val))
			}
			f.FID = uint16(val[0])<<8 | uint16(val[1])
		case 0x84:
			f.DFName = append([]byte(nil), val...)
		case 0x80:
			if len(val) == 0 || len(val) > 4 {
				return f, fmt.Errorf("%w: file size of %d bytes", ErrBadFCP, len(val))
			}
			f.Size = 0
			for _, c := range val {
				f.Size = f.Size<<8 | int(c)
			}
		case 0x8A:
			if len(val) != 1 {
				return f, fmt.Errorf("%w: life cycle status of %d bytes", ErrBadFCP, len(val))
			}
			f.LifeCycle = ef.LifeCycle(val[0])
		case 0x88:
			switch len(val) {
			case 0:
				f.SFI = 0
			case 1:
				f.SFI = int(val[0] >> 3)
			default:
				return f, fmt.Errorf("%w: SFI of %d bytes", ErrBadFCP, len(val))
			}
		}
	}
	if !seenFD {
		return f, fmt.Errorf("%w: no file descriptor '82'", ErrBadFCP)
	}
	return f, nil
}

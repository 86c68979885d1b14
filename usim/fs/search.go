package fs

import (
	"bytes"

	"github.com/uiccsim/uiccsim/apdu"
)

// Search indication, the first two data bytes of an enhanced SEARCH RECORD
// (ETSI TS 102 221 §11.1.7.3 Table 11.13): byte 1 b8..b5 RFU (0), b4 the
// start within each record (0: at the offset in byte 2; 1: after the first
// occurrence of the value in byte 2), b3..b1 the records searched.
const (
	searchByValue      = 0x08
	searchFromP1Fwd    = 0x04 // forward from the record P1 names
	searchFromP1Back   = 0x05 // backward from the record P1 names
	searchFromNextFwd  = 0x06 // forward from the record after it
	searchFromPrevBack = 0x07 // backward from the record before it
)

// SearchModeSupported reports a SEARCH RECORD P2 whose b3..b1 name a
// search the card performs (TS 102 221 §11.1.7.3): simple search forward
// (100) or backward (101) and enhanced search (110); proprietary search
// (111) and the RFU codes are not.
func SearchModeSupported(p2 byte) bool {
	m := p2 & 0x07
	return m == modeForward || m == modeBackward || m == modeEnhanced
}

// SearchRecords performs the search of SEARCH RECORD (ETSI TS 102 221
// §11.1.7) on record EF n, whose current record is cur (0: none), and
// appends the numbers of the records found, in search order, to dst; it
// returns the first (0 and 6282 when none). It reads only: the caller
// checks the access rule and moves the record pointer.
//
// P2 b3..b1 (SearchModeSupported) chooses the search:
//   - 100 / 101, simple search: records from P1 (00: the current record, or
//     the first / last when there is none) forward / backward whose bytes
//     contain the search string data anywhere;
//   - 110, enhanced search: data is the 2-byte search indication, then the
//     search string. Indication byte 1 b3..b1 = 100 / 101 search from P1 as
//     above; 110 / 111 from the record after / before the one P1 names (00:
//     the current record; none current: from the first / the last). b4=0
//     looks for the string from offset byte 2 of each record; b4=1 from
//     the byte after the first occurrence of value byte 2 (a record without
//     the value does not match).
//
// Status words: 6A86 another P2 mode, 6700 a search string empty or longer
// than a record, 6A80 a search indication with RFU bits or codes (or
// shorter than 2 bytes), 6A83 P1 beyond the last record, 6981 an EF that is
// not a record EF.
func (f *FS) SearchRecords(dst []byte, n Node, p1, p2 byte, data []byte, cur int) ([]byte, int, error) {
	if !f.valid(n) || f.nodes[n].kind != KindEF || f.nodes[n].structure == Transparent {
		return dst, 0, apdu.SWCommandIncompatible
	}
	x := &f.nodes[n]
	how := p2 & 0x07
	var byValue bool
	var at byte
	switch how {
	case modeForward, modeBackward:
	case modeEnhanced:
		if len(data) < 2 {
			return dst, 0, apdu.SWWrongLength
		}
		ind := data[0]
		if ind&0xF0 != 0 || ind&0x07 < searchFromP1Fwd {
			return dst, 0, apdu.SWIncorrectDataField
		}
		how, byValue, at, data = ind&0x07, ind&searchByValue != 0, data[1], data[2:]
	default:
		return dst, 0, apdu.SWIncorrectP1P2
	}
	if len(data) < 1 || len(data) > x.recLen {
		return dst, 0, apdu.SWWrongLength
	}
	if int(p1) > x.nrec {
		return dst, 0, apdu.SWRecordNotFound
	}
	ref := int(p1)
	if ref == 0 {
		ref = cur
	}
	forward := how == searchFromP1Fwd || how == searchFromNextFwd
	start := ref
	switch {
	case ref == 0 && forward:
		start = 1
	case ref == 0:
		start = x.nrec
	case how == searchFromNextFwd:
		start = ref + 1
	case how == searchFromPrevBack:
		start = ref - 1
	}
	step, stop := 1, x.nrec+1
	if !forward {
		step, stop = -1, 0
	}
	first := 0
	for i := start; i != stop && i >= 1 && i <= x.nrec; i += step {
		r := f.record(n, i)
		if byValue {
			v := bytes.IndexByte(r, at)
			if v < 0 {
				continue
			}
			r = r[v+1:]
		} else {
			if int(at) >= len(r) {
				continue
			}
			r = r[at:]
		}
		if bytes.Contains(r, data) {
			dst = append(dst, byte(i))
			if first == 0 {
				first = i
			}
		}
	}
	if first == 0 {
		return dst, 0, apdu.SWWarningEOF
	}
	return dst, first, nil
}

package client

import (
	"bytes"
	"fmt"

	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/usim/ef"
)

// File identifiers the client selects (TS 102 221 §13, TS 31.102 §4.2).
const (
	FIDMF     = 0x3F00
	FIDDIR    = 0x2F00
	FIDICCID  = 0x2FE2
	FIDIMSI   = 0x6F07
	FIDAD     = 0x6FAD
	FIDUST    = 0x6F38
	FIDSPN    = 0x6F46
	FIDMSISDN = 0x6F40
)

// maxChunk is the most READ BINARY asks for at once (255, as PC/SC tools
// do; Le=00 is avoided because some readers mishandle it).
const maxChunk = 255

// Select selects a file by FID (SELECT P1=00, P2=04: return the FCP, TS 102
// 221 §11.1.1) and returns its decoded FCP.
func (c *Client) Select(fid uint16) (FCP, error) {
	data, err := c.do(apdu.Command{
		CLA: c.CLA, INS: 0xA4, P1: 0x00, P2: 0x04, Data: []byte{byte(fid >> 8), byte(fid)}, Ne: 256})
	if err != nil {
		return FCP{}, err
	}
	return ParseFCP(data)
}

// SelectAID selects an application by its AID (SELECT P1=04, P2=04).
func (c *Client) SelectAID(aid []byte) (FCP, error) {
	data, err := c.do(apdu.Command{
		CLA: c.CLA, INS: 0xA4, P1: 0x04, P2: 0x04, Data: aid, Ne: 256})
	if err != nil {
		return FCP{}, err
	}
	return ParseFCP(data)
}

// ReadBinary reads n bytes at offset from the current transparent EF
// (READ BINARY, TS 102 221 §11.1.3), in chunks of at most 255 bytes.
func (c *Client) ReadBinary(offset, n int) ([]byte, error) {
	out := make([]byte, 0, n)
	for len(out) < n {
		off := offset + len(out)
		if off > 0x7FFF {
			return out, fmt.Errorf("client: READ BINARY offset %d beyond 32767", off)
		}
		k := min(n-len(out), maxChunk)
		data, err := c.do(apdu.Command{
			CLA: c.CLA, INS: 0xB0, P1: byte(off >> 8), P2: byte(off), Ne: k})
		if err != nil {
			return out, err
		}
		if len(data) == 0 {
			return out, fmt.Errorf("%w: READ BINARY returned no data", ErrProtocol)
		}
		out = append(out, data...)
	}
	return out[:n], nil
}

// ReadRecord reads record n (absolute mode, P2=04) of length l from the
// current record EF (READ RECORD, TS 102 221 §11.1.5).
func (c *Client) ReadRecord(n, l int) ([]byte, error) {
	data, err := c.do(apdu.Command{
		CLA: c.CLA, INS: 0xB2, P1: byte(n), P2: 0x04, Ne: l})
	if err != nil {
		return nil, err
	}
	return bytes.Clone(data), nil
}

// ReadTransparent selects fid and reads the whole file (size from FCP '80').
func (c *Client) ReadTransparent(fid uint16) ([]byte, error) {
	f, err := c.Select(fid)
	if err != nil {
		return nil, err
	}
	if f.Descriptor.Structure != ef.Transparent || f.Size < 0 {
		return nil, fmt.Errorf("%w: %04X is %v without a file size", ErrBadFCP, fid, f.Descriptor)
	}
	return c.ReadBinary(0, f.Size)
}

// ReadRecords selects fid and reads every record (count and length from
// FCP '82', as pySim does).
func (c *Client) ReadRecords(fid uint16) ([][]byte, error) {
	f, err := c.Select(fid)
	if err != nil {
		return nil, err
	}
	if !f.Descriptor.IsRecord() {
		return nil, fmt.Errorf("%w: %04X is %v, not a record EF", ErrBadFCP, fid, f.Descriptor)
	}
	out := make([][]byte, 0, f.Records())
	for i := 1; i <= f.Records(); i++ {
		r, err := c.ReadRecord(i, int(f.Descriptor.RecordLen))
		if err != nil {
			return out, err
		}
		out = append(out, r)
	}
	return out, nil
}

package main

import (
	"encoding/hex"
	"fmt"
	"io"

	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/usim/client"
)

func init() {
	register(&command{
		name:     "read",
		summary:  "read an elementary file by path and decode it (EF.IMSI, EF.AD, EF.UST, EF.SPN, EF.MSISDN, EF.DIR, ...)",
		synopsis: "[--reader NAME | --image FILE] [--pin DIGITS] [--adm KEY] [--record N] PATH",
		example: `uiccsim read EF.ICCID
uiccsim read --pin 1234 ADF.USIM/EF.IMSI`,
		setup: setupRead,
	})
	register(&command{
		name:     "write",
		summary:  "update an elementary file by path, from a typed value (EF.IMSI, EF.ICCID, EF.SPN) or hex",
		synopsis: "[--reader NAME | --image FILE] [--pin DIGITS] [--adm KEY] [--record N] PATH (VALUE | --hex HEX)",
		example: `uiccsim write --adm 88888888 ADF.USIM/EF.IMSI 001010000000042
uiccsim write --pin 1234 --record 1 --hex 4142ffffffffffffffffffffffffffffffffffff0791947106004034ffffffffffff ADF.USIM/EF.MSISDN`,
		setup: setupWrite,
	})
}

// recordOut is one record of a record EF.
type recordOut struct {
	N       int    `json:"n"`
	Hex     string `json:"hex"`
	Decoded string `json:"decoded,omitempty"`
}

// readResult is the JSON form of "uiccsim read" and "uiccsim write".
type readResult struct {
	Path      string      `json:"path"`
	Name      string      `json:"name,omitempty"`
	FID       string      `json:"fid"`
	Structure string      `json:"structure"`
	Size      int         `json:"size"`
	Hex       string      `json:"hex,omitempty"`
	Decoded   string      `json:"decoded,omitempty"`
	DecodeErr string      `json:"decode_error,omitempty"`
	Records   []recordOut `json:"records,omitempty"`
	Written   bool        `json:"written,omitempty"`
}

func setupRead(e *env, fs *flagSet) func([]string) error {
	cf := addCardFlags(fs)
	rec := fs.Int("record", 0, "record EF: read only record `N` (1-based)")
	return func(args []string) error {
		if len(args) != 1 {
			return usagef("want exactly one PATH, e.g. ADF.USIM/EF.IMSI")
		}
		s, err := cf.open()
		if err != nil {
			return err
		}
		res, err := readEF(s, cf, args[0], *rec)
		if cerr := s.close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
		return e.output(res, res.print)
	}
}

func readEF(s *session, cf *cardFlags, path string, rec int) (*readResult, error) {
	if err := s.verify(cf); err != nil {
		return nil, err
	}
	t, err := selectPath(s.cl, path)
	if err != nil {
		return nil, err
	}
	res := &readResult{Path: path, Name: t.Name, FID: fmt.Sprintf("%04X", t.FID), Structure: t.FCP.Descriptor.Structure.String(), Size: t.FCP.Size}
	if t.FCP.Descriptor.IsRecord() {
		n, l := t.FCP.Records(), int(t.FCP.Descriptor.RecordLen)
		from, to := 1, n
		if rec != 0 {
			if rec < 1 || rec > n {
				return nil, usagef("--record %d: %s has records 1..%d", rec, path, n)
			}
			from, to = rec, rec
		}
		for i := from; i <= to; i++ {
			b, err := s.cl.ReadRecord(i, l)
			if err != nil {
				return nil, cardErr(fmt.Sprintf("reading record %d of %s", i, path), err)
			}
			r := recordOut{N: i, Hex: hex.EncodeToString(b)}
			if allFF(b) {
				r.Decoded = "(empty)"
			} else if d, err := decodeEF(t.Name, b); err == nil {
				r.Decoded = d
			} else {
				r.Decoded = "not decodable: " + err.Error()
			}
			res.Records = append(res.Records, r)
		}
		return res, nil
	}
	if rec != 0 {
		return nil, usagef("--record: %s is a transparent EF", path)
	}
	b, err := s.cl.ReadBinary(0, t.FCP.Size)
	if err != nil {
		return nil, cardErr("reading "+path, err)
	}
	res.Hex = hex.EncodeToString(b)
	if d, err := decodeEF(t.Name, b); err != nil {
		res.DecodeErr = err.Error()
	} else {
		res.Decoded = d
	}
	return res, nil
}

func allFF(b []byte) bool {
	for _, c := range b {
		if c != 0xFF {
			return false
		}
	}
	return true
}

func (r *readResult) print(w io.Writer) {
	name := ""
	if r.Name != "" {
		name = " " + r.Name
	}
	verb := "read"
	if r.Written {
		verb = "wrote"
	}
	fmt.Fprintf(w, "%s %s (FID %s%s, %s, %d bytes)\n", verb, r.Path, r.FID, name, r.Structure, r.Size)
	if r.Hex != "" {
		fmt.Fprintf(w, "  hex      %s\n", r.Hex)
	}
	if r.Decoded != "" {
		fmt.Fprintf(w, "  decoded  %s\n", r.Decoded)
	}
	if r.DecodeErr != "" {
		fmt.Fprintf(w, "  not decodable: %s\n", r.DecodeErr)
	}
	for _, rec := range r.Records {
		fmt.Fprintf(w, "  record %-3d %s\n", rec.N, rec.Hex)
		if rec.Decoded != "" {
			fmt.Fprintf(w, "             %s\n", rec.Decoded)
		}
	}
}

func setupWrite(e *env, fs *flagSet) func([]string) error {
	cf := addCardFlags(fs)
	rec := fs.Int("record", 0, "record EF: update record `N` (1-based, absolute mode)")
	hexv := fs.hexFlag("hex", 0, "raw content in `HEX`: written from offset 0 (transparent) or as the record, padded with FF")
	return func(args []string) error {
		if len(args) == 0 || len(args) > 2 || (len(args) == 2) == hexv.set {
			return usagef("want PATH and either a VALUE or --hex HEX")
		}
		path := args[0]
		s, err := cf.open()
		if err != nil {
			return err
		}
		res, err := writeEF(s, cf, path, args[1:], hexv, *rec)
		if cerr := s.close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
		return e.output(res, res.print)
	}
}

func writeEF(s *session, cf *cardFlags, path string, value []string, hexv *hexValue, rec int) (*readResult, error) {
	if err := s.verify(cf); err != nil {
		return nil, err
	}
	t, err := selectPath(s.cl, path)
	if err != nil {
		return nil, err
	}
	data := hexv.b
	if !hexv.set {
		b, ok, err := encodeEF(t.Name, value[0])
		if !ok {
			return nil, usagef("%s has no typed form (typed: EF.IMSI, EF.ICCID, EF.SPN); give --hex", path)
		}
		if err != nil {
			return nil, usagef("%s value %q: %v", path, value[0], err)
		}
		data = b
	}
	if t.FCP.Descriptor.IsRecord() {
		n, l := t.FCP.Records(), int(t.FCP.Descriptor.RecordLen)
		if rec < 1 || rec > n {
			return nil, usagef("--record: %s has records 1..%d; give one", path, n)
		}
		if len(data) > l {
			return nil, usagef("%d bytes do not fit a record of %d", len(data), l)
		}
		padded := padFF(data, l)
		// UPDATE RECORD, absolute mode (TS 102 221 §11.1.6, P2 = 04).
		if err := update(s.cl, apdu.Command{INS: 0xDC, P1: byte(rec), P2: 0x04, Data: padded}, path); err != nil {
			return nil, err
		}
		return readBack(s, t, path, rec, padded), nil
	}
	if rec != 0 {
		return nil, usagef("--record: %s is a transparent EF", path)
	}
	if len(data) > t.FCP.Size {
		return nil, usagef("%d bytes do not fit %s (%d bytes)", len(data), path, t.FCP.Size)
	}
	if !hexv.set {
		data = padFF(data, t.FCP.Size)
	}
	// UPDATE BINARY in chunks of at most 255 bytes (TS 102 221 §11.1.4).
	for off := 0; off < len(data); off += 255 {
		chunk := data[off:min(off+255, len(data))]
		if err := update(s.cl, apdu.Command{INS: 0xD6, P1: byte(off >> 8), P2: byte(off), Data: chunk}, path); err != nil {
			return nil, err
		}
	}
	return readBack(s, t, path, 0, data), nil
}

// readBack reads the EF just written, as the card now holds it (the PINs
// verified before stay verified). When the card refuses the read (reading
// may need PIN1 where updating needed ADM1), the result shows what was
// written instead.
func readBack(s *session, t *efTarget, path string, rec int, written []byte) *readResult {
	res, err := readEF(s, &cardFlags{}, path, rec)
	if err != nil {
		res = &readResult{Path: path, Name: t.Name, FID: fmt.Sprintf("%04X", t.FID), Structure: t.FCP.Descriptor.Structure.String(), Size: t.FCP.Size}
		if rec != 0 {
			res.Records = []recordOut{{N: rec, Hex: hex.EncodeToString(written), Decoded: "written; not read back: " + err.Error()}}
		} else {
			res.Hex = hex.EncodeToString(written)
			res.DecodeErr = "written; not read back: " + err.Error()
		}
	}
	res.Written = true
	return res
}

func update(cl *client.Client, cmd apdu.Command, path string) error {
	cmd.CLA = cl.CLA
	_, sw, err := cl.Exchange(cmd)
	if err != nil {
		return cardErr("updating "+path, err)
	}
	if sw != apdu.SWOK {
		return cardErr("updating "+path, sw)
	}
	return nil
}

func padFF(b []byte, n int) []byte {
	out := make([]byte, n)
	copy(out, b)
	for i := len(b); i < n; i++ {
		out[i] = 0xFF
	}
	return out
}

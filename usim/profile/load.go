package profile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// Parse decodes a profile from JSON and validates it. Unknown keys other
// than "_comment" are errors that name the key; JSON syntax errors give the
// line and column.
func Parse(b []byte) (*Profile, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var p Profile
	if err := dec.Decode(&p); err != nil {
		return nil, jsonError(b, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%w: data after the profile object", ErrInvalid)
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return &p, nil
}

// jsonError rewrites encoding/json errors into FieldErrors with the field
// path, or syntax errors with line:column.
func jsonError(b []byte, err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		line, col := lineCol(b, int64(len(b)))
		return fmt.Errorf("%w: line %d column %d: unexpected end of the profile", ErrInvalid, line, col)
	case errors.As(err, &se):
		line, col := lineCol(b, se.Offset)
		return fmt.Errorf("%w: line %d column %d: %v", ErrInvalid, line, col, se)
	case errors.As(err, &te):
		f := te.Field
		if f == "" {
			f = "(top level)"
		}
		return &FieldError{Field: f, Reason: fmt.Sprintf("JSON %s cannot hold a %s", te.Value, te.Type)}
	}
	msg := err.Error()
	if rest, ok := strings.CutPrefix(msg, "json: unknown field "); ok {
		return &FieldError{Field: strings.Trim(rest, `"`), Reason: "unknown field (only \"_comment\" may be added)"}
	}
	// Errors from UnmarshalText (keys, hex) carry no path in encoding/json.
	return fmt.Errorf("%w: %v", ErrInvalid, msg)
}

func lineCol(b []byte, off int64) (int, int) {
	if off > int64(len(b)) {
		off = int64(len(b))
	}
	line := 1 + bytes.Count(b[:off], []byte("\n"))
	col := int(off) - bytes.LastIndexByte(b[:off], '\n')
	return line, col
}

// Load reads and validates a profile file.
func Load(path string) (*Profile, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	p, err := Parse(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return p, nil
}

// Marshal validates p and encodes it as indented JSON.
func (p *Profile) Marshal() ([]byte, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	b, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// Save validates p and writes it to path (mode 0600: it holds keys),
// replacing the file atomically.
func (p *Profile) Save(path string) error {
	b, err := p.Marshal()
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// Template returns the default profile with a "_comment" on each section
// explaining its fields, and one example override per typed file form
// kept to the default values, so it loads to a card identical to Default.
func Template() *Profile {
	p := Default()
	hpplmn := 5
	p.Comment = "uiccsim card profile. Keys named _comment are prose and ignored. " +
		"iccid: 1..20 digits (19/20 need a valid Luhn check digit); imsi: 6..15 digits; mnc_len: 2 or 3; " +
		"usim_aid: optional hex AID of ADF.USIM (default A0000000871002FFFFFFFF8907090000). " +
		"This file holds the card's secrets: protect it."
	p.Auth.Comment = "algorithm: milenage (TS 35.206) or xor (TS 34.108 8.1.2). k, opc/op: 32 hex digits; " +
		"give opc or op for milenage, neither for xor. res_len: XOR RES bytes (4..16). delta: Annex C.2.1 limit, 0 = 2^28. " +
		"sqn: TS 33.102 Annex C array, ind_bits 0..6, seq_ms = SEQ_MS(0..), accepted = 48-bit SQNs (12 hex) already used."
	p.Auth.SQN.Comment = "the card updates this state on every successful AUTHENTICATE"
	p.PINs.Comment = "value: digits, stored ASCII and FF-padded to 8 bytes (TS 102 221 9.5.1); adm1 may use hex (16 hex digits) instead. " +
		"retries: attempts left; max: initial counter 1..15; enabled: PIN1/PIN2 only, default true. Key refs: PIN1 01, PIN2 81, ADM1 0A."
	p.Files = map[string]File{
		"ADF.USIM/EF.SPN": {Comment: "typed forms per file: spn, msisdn, ust, est, plmns (FPLMN), hpplmn, ecc, acc, languages (PL/LI); " +
			"any file also takes hex (transparent) or records (record EF). Paths: see profile.Layout.",
			SPN: &SPNValue{Name: "uiccsim", Display: 1}},
		"ADF.USIM/EF.UST": {Comment: "service numbers of TS 31.102 4.2.8",
			UST: []int{19, 21, 27, 33, 34, 38, 85}},
		"ADF.USIM/EF.HPPLMN": {Comment: "higher priority PLMN search period, TS 31.102 4.2.6", HPPLMN: &hpplmn},
	}
	return p
}

// WriteTemplate writes Template() as indented JSON.
func WriteTemplate(w io.Writer) error {
	b, err := Template().Marshal()
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

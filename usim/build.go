package usim

import (
	"fmt"

	"github.com/uiccsim/uiccsim/usim/ef"
	"github.com/uiccsim/uiccsim/usim/fs"
	"github.com/uiccsim/uiccsim/usim/profile"
	"github.com/uiccsim/uiccsim/usim/store"
)

// EF_ARR file identifiers of the MF and ADF.USIM (TS 102 221 §13.4,
// TS 31.102 §4.2.x).
const (
	FIDARRMF   = 0x2F06
	FIDARRUSIM = 0x6F06
)

func structure(s ef.Structure) fs.Structure {
	switch s {
	case ef.LinearFixed:
		return fs.LinearFixed
	case ef.Cyclic:
		return fs.Cyclic
	}
	return fs.Transparent
}

// build creates the file tree of profile.Layout with p's contents and the
// PINs in st.
func build(st *store.Store, p *profile.Profile) (*fs.FS, fs.Node, error) {
	f, err := fs.New(st, fs.Spec{Name: "MF", ARR: fs.ARRRef{FID: FIDARRMF, Record: profile.ARRMFDF},
		PINs: []fs.KeyRef{fs.KeyPIN1, fs.KeyADM1}}, fs.Options{Proprietary: Proprietary})
	if err != nil {
		return nil, fs.NoNode, err
	}
	adf, err := f.AddADF(fs.Spec{FID: ADFUSIMFID, Name: "ADF.USIM", AID: p.AID(),
		ARR: fs.ARRRef{FID: FIDARRMF, Record: profile.ARRMFDF}, PINs: []fs.KeyRef{fs.KeyPIN1, fs.KeyPIN2, fs.KeyADM1}})
	if err != nil {
		return nil, fs.NoNode, err
	}
	for _, s := range profile.Layout {
		data, err := p.Content(s.Path)
		if err != nil {
			return nil, fs.NoNode, err
		}
		parent, arrFID := f.MF(), fs.FileID(FIDARRMF)
		if s.Dir() == profile.DirUSIM {
			parent, arrFID = adf, FIDARRUSIM
		}
		_, err = f.AddEF(parent, fs.Spec{FID: fs.FileID(s.FID), Name: s.Path, SFI: fs.SFI(s.SFI),
			Structure: structure(s.Structure), Size: s.Size, RecordLen: s.RecordLen, Records: s.Records,
			ARR: fs.ARRRef{FID: arrFID, Record: uint8(s.ARRRecord)}, Data: data})
		if err != nil {
			return nil, fs.NoNode, fmt.Errorf("usim: %s: %w", s.Path, err)
		}
	}
	pins := &p.PINs
	// The profile's remaining tries become the counters' failed
	// presentations (fs.PIN.Failed): a counter at Retries of Max has
	// counted Max-Retries wrong values (TS 102 221 §9.5.2).
	for _, x := range []fs.PIN{
		{Ref: fs.KeyPIN1, Value: []byte(pins.PIN1.Value), PUK: []byte(pins.PUK1.Value),
			Retries: pins.PIN1.Max, Failed: pins.PIN1.Max - pins.PIN1.Retries,
			PUKRetries: pins.PUK1.Max, PUKFailed: pins.PUK1.Max - pins.PUK1.Retries, Disabled: !pins.PIN1.IsEnabled()},
		{Ref: fs.KeyPIN2, Value: []byte(pins.PIN2.Value), PUK: []byte(pins.PUK2.Value),
			Retries: pins.PIN2.Max, Failed: pins.PIN2.Max - pins.PIN2.Retries,
			PUKRetries: pins.PUK2.Max, PUKFailed: pins.PUK2.Max - pins.PUK2.Retries, Disabled: !pins.PIN2.IsEnabled()},
		{Ref: fs.KeyADM1, Value: admValue(pins.ADM1), Retries: pins.ADM1.Max, Failed: pins.ADM1.Max - pins.ADM1.Retries},
	} {
		if err := f.AddPIN(x); err != nil {
			return nil, fs.NoNode, err
		}
	}
	return f, adf, nil
}

func admValue(p profile.PIN) []byte {
	if p.Hex != "" {
		b := p.Block()
		return b[:]
	}
	return []byte(p.Value)
}

// Package uicc puts the OTA engine (package ota/engine) on the emulated
// UICC (package usim): the SCP80 key sets of the card's profile become
// the engine's keys, their replay counters live in the card's store (so a
// counter update commits or rolls back with the ENVELOPE that caused it),
// the TARs of remote file management for the UICC file system (B00000)
// and for ADF.USIM (B00010, TS 101 220 annex D) run their command scripts
// (TS 102 226 §5) on the card's file system, and SMS-PP download ENVELOPEs
// (TS 31.111 §7.1.1) reach the engine through the runtime's ENVELOPE hook,
// with PoRs by SMS-SUBMIT and REFRESH queued as proactive commands.
package uicc

import (
	"errors"
	"fmt"

	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/ota/engine"
	"github.com/uiccsim/uiccsim/ota/scp80"
	"github.com/uiccsim/uiccsim/usim"
	"github.com/uiccsim/uiccsim/usim/fs"
	"github.com/uiccsim/uiccsim/usim/jc"
	"github.com/uiccsim/uiccsim/usim/profile"
	"github.com/uiccsim/uiccsim/usim/store"
)

// Options tune the OTA of one card.
type Options struct {
	// MSL is the minimum security level of the RFM applications (TS 102
	// 226 §8.2.1.3.2.4); zero means 0x06: cryptographic checksum and
	// ciphering required.
	MSL scp80.MSL
	// Refresh, when set, makes RFM queue a REFRESH of this mode after a
	// script that changed files (TS 102 223 §6.4.7).
	Refresh *engine.RefreshMode
}

// OTA is the OTA receiving entity installed on one card.
type OTA struct {
	Engine *engine.Engine
	card   *usim.Card
}

// counterCell names the store cell of key set kvn's counter.
func counterCell(kvn int) string { return fmt.Sprintf("ota.cntr.%d", kvn) }

// Install wires OTA into card from the key sets of p (which must be the
// profile the card was built from, or the one it was restored with: keys
// are not kept in the store). The counter cells are created on first
// install with the profile's initial counters and found again after an
// image restore.
func Install(card *usim.Card, p *profile.Profile, o Options) (*OTA, error) {
	if o.MSL == 0 {
		o.MSL = 0x06
	}
	st := card.Store()
	keys := engine.KeyTable{}
	counters := &storeCounters{st: st, refs: map[int]store.Ref{}}
	tarSets := map[scp80.TAR][]int{}
	for _, ks := range p.OTAKeySets {
		enc, err := cipherOf(ks.KIc)
		if err != nil {
			return nil, fmt.Errorf("uicc: key set %d KIc: %w", ks.KVN, err)
		}
		mac, err := cipherOf(ks.KID)
		if err != nil {
			return nil, fmt.Errorf("uicc: key set %d KID: %w", ks.KVN, err)
		}
		keys[ks.KVN] = scp80.Keys{Enc: enc, MAC: mac}
		ref, ok := st.Lookup(counterCell(ks.KVN))
		if !ok {
			if ref, err = st.Alloc(counterCell(ks.KVN), 5); err != nil {
				return nil, err
			}
			if len(ks.Counter) == 5 {
				if err := st.Update(func() error { return st.Write(ref, 0, ks.Counter) }); err != nil {
					return nil, err
				}
			}
		}
		counters.refs[ks.KVN] = ref
		for _, t := range ks.TARs {
			tarSets[scp80.TAR(t)] = append(tarSets[scp80.TAR(t)], ks.KVN)
		}
	}
	f := card.FS()
	adf, ok := f.ADF(card.AID())
	if !ok {
		return nil, errors.New("uicc: card has no ADF.USIM")
	}
	targets := map[scp80.TAR]engine.Target{}
	for tar, kvns := range tarSets {
		var start fs.Node
		switch tar {
		case scp80.TARRFMUICC:
			start = 0 // the MF
		case scp80.TARRFMUSIM:
			start = adf
		default:
			continue // not an application this card runs
		}
		targets[tar] = engine.Target{App: &rfmApp{fs: f, start: start, adf: adf, refresh: o.Refresh, aid: card.AID().Bytes()},
			MSL: o.MSL, KeySets: kvns}
	}
	rt := card.Runtime()
	e := &engine.Engine{Keys: keys, Counters: counters, Targets: targets, Proactive: rt}
	rt.SetEnvelopeHandler(func(ctx *jc.Context, data []byte) error {
		if data[0] != byte(engineTagSMSPP) {
			return nil // other ENVELOPEs (event download, menu selection) have no handler here
		}
		out, rep := e.Download(ctx.Out, data)
		ctx.Out = out
		if rep.SW != apdu.SWOK {
			return rep.SW
		}
		return nil
	})
	return &OTA{Engine: e, card: card}, nil
}

const engineTagSMSPP = 0xD1

// cipherOf expands one profile key: "aes" (16/24/32 octets) or "des3"
// (16 octets: 2-key, 24: 3-key).
func cipherOf(k profile.OTAKey) (*scp80.Cipher, error) {
	b := k.Bytes()
	defer clear(b)
	switch k.Algorithm {
	case "aes":
		return scp80.NewCipher(scp80.AlgAES, b)
	case "des3":
		if len(b) == 24 {
			return scp80.NewCipher(scp80.Alg3DES3, b)
		}
		return scp80.NewCipher(scp80.Alg3DES2, b)
	}
	return nil, fmt.Errorf("algorithm %q", k.Algorithm)
}

// storeCounters keeps each key set's CNTR in a 5-octet store cell.
type storeCounters struct {
	st   *store.Store
	refs map[int]store.Ref
}

func (s *storeCounters) Counter(kvn int) scp80.Counter {
	var c scp80.Counter
	if ref, ok := s.refs[kvn]; ok {
		copy(c[:], s.st.Bytes(ref))
	}
	return c
}

// SetCounter writes inside the ENVELOPE's transaction: the counter commits
// with the command, or rolls back with it on a power loss.
func (s *storeCounters) SetCounter(kvn int, c scp80.Counter) error {
	ref, ok := s.refs[kvn]
	if !ok {
		return fmt.Errorf("uicc: no counter cell for key set %d", kvn)
	}
	return s.st.Write(ref, 0, c[:])
}

// Counter returns the counter the card holds for key set kvn.
func (o *OTA) Counter(kvn int) scp80.Counter {
	return o.Engine.Counters.Counter(kvn)
}

package usim

import (
	"fmt"

	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/keystore/cardapp"
	"github.com/uiccsim/uiccsim/ota/engine"
	"github.com/uiccsim/uiccsim/ota/scp80"
	"github.com/uiccsim/uiccsim/usim/fs"
	"github.com/uiccsim/uiccsim/usim/jc"
	"github.com/uiccsim/uiccsim/usim/profile"
	"github.com/uiccsim/uiccsim/usim/store"
)

// cellOTA holds the card's OTA applications (profile.OTAApp), so that a
// card reopened from its store installs the same targets:
//
//	version(1)=1 count(1) { kind(1) TAR(3) MSL(1) refresh(1) n(1) access(n) }*
//
// kind 1 RFM UICC, 2 RFM USIM, 3 key management; refresh is the REFRESH
// command qualifier (TS 102 223 §8.6) or FF for none.
const cellOTA = "usim.ota"

const (
	kindRFMUICC = 1
	kindRFMUSIM = 2
	kindKeyMgmt = 3
	refreshNone = 0xFF
)

// Default OTA applications of a profile without ota_apps: RFM of the UICC
// (TAR B00000) and of ADF.USIM (TAR B00010), each with MSL 12 (CC and a
// counter higher than the last, TS 102 225 §5.1.1), access domain ADM1,
// PIN1, PIN2, and REFRESH in UICC reset mode after a script changed a file;
// and the key-management application at cardapp.TAR with cardapp.MSL.
const DefaultRFMMSL scp80.MSL = 0x12

// DefaultRFMAccess is the access domain of the default RFM applications
// (TS 102 226 §8.2.1.3.2.3): ADM1, PIN1, PIN2.
var DefaultRFMAccess = []byte{byte(fs.KeyADM1), byte(fs.KeyPIN1), byte(fs.KeyPIN2)}

// otaConfig encodes the profile's OTA applications (or the defaults).
func otaConfig(p *profile.Profile) []byte {
	b := []byte{1, 0}
	add := func(kind byte, tar []byte, msl byte, refresh byte, access []byte) {
		b = append(b, kind)
		b = append(b, tar...)
		b = append(b, msl, refresh, byte(len(access)))
		b = append(b, access...)
		b[1]++
	}
	if len(p.OTAApps) == 0 {
		add(kindRFMUICC, scp80.TARRFMUICC[:], byte(DefaultRFMMSL), byte(engine.RefreshUICCReset), DefaultRFMAccess)
		add(kindRFMUSIM, scp80.TARRFMUSIM[:], byte(DefaultRFMMSL), byte(engine.RefreshUICCReset), DefaultRFMAccess)
		add(kindKeyMgmt, cardapp.TAR[:], byte(cardapp.MSL), refreshNone, nil)
		return b
	}
	for _, a := range p.OTAApps {
		kind := byte(kindKeyMgmt)
		switch a.App {
		case profile.AppRFMUICC:
			kind = kindRFMUICC
		case profile.AppRFMUSIM:
			kind = kindRFMUSIM
		}
		r := byte(engine.RefreshUICCReset)
		switch a.Refresh {
		case profile.RefreshNone:
			r = refreshNone
		case profile.RefreshFCN:
			r = byte(engine.RefreshFCN)
		case profile.RefreshNAAInit:
			r = byte(engine.RefreshNAAInitFCN)
		}
		access := []byte(a.Access)
		if len(access) == 0 && kind != kindKeyMgmt {
			access = DefaultRFMAccess
		}
		add(kind, a.TAR, a.MSL[0], r, access)
	}
	return b
}

// otaState is the card's OTA receiving entity: the engine with the active
// pair's keys and counters, and the applications by TAR.
type otaState struct {
	eng  engine.Engine
	last engine.Report
}

// rfmApp is an RFM application on the card's file system that queues a
// REFRESH after a script changed files.
type rfmApp struct {
	x    *rfmExec
	mode engine.RefreshMode
	none bool
	aid  []byte
}

// Run implements engine.Application.
func (a *rfmApp) Run(dst, data []byte) []byte {
	a.x.begin()
	return engine.RFM{Exec: a.x}.Run(dst, data)
}

// FollowUp implements engine.Follower.
func (a *rfmApp) FollowUp() []byte { return a.x.refresh(a.mode, a.none, a.aid) }

// setupOTA installs the ENVELOPE handler and the OTA applications the
// store's usim.ota cell lists (none when the cell is absent: an image from
// before OTA).
func (c *Card) setupOTA() error {
	c.ota = &otaState{}
	e := &c.ota.eng
	e.Keys, e.Counters, e.Proactive = c.usim.creds, c.usim.creds, c.rt
	e.Targets = map[scp80.TAR]engine.Target{}
	if r, ok := c.st.Lookup(cellOTA); ok {
		b := c.st.Bytes(r)
		if len(b) < 2 || b[0] != 1 {
			return fmt.Errorf("%w: %s header", ErrCorrupt, cellOTA)
		}
		n, b := int(b[1]), b[2:]
		for i := 0; i < n; i++ {
			if len(b) < 7 || len(b) < 7+int(b[6]) {
				return fmt.Errorf("%w: %s entry %d truncated", ErrCorrupt, cellOTA, i)
			}
			kind, tar, msl, refresh, access := b[0], scp80.TAR(b[1:4]), scp80.MSL(b[4]), b[5], b[7:7+int(b[6])]
			b = b[7+int(b[6]):]
			var app engine.Application
			switch kind {
			case kindRFMUICC, kindRFMUSIM:
				start := c.fs.MF()
				if kind == kindRFMUSIM {
					start = c.adf
				}
				ra := &rfmApp{x: newRFMExec(c.fs, start, c.adf, access), mode: engine.RefreshMode(refresh), none: refresh == refreshNone}
				if ra.mode != engine.RefreshUICCReset {
					ra.aid = c.aid.Bytes()
				}
				app = ra
			case kindKeyMgmt:
				app = &cardapp.App{Host: host{c}}
			default:
				return fmt.Errorf("%w: %s entry %d: kind %d", ErrCorrupt, cellOTA, i, kind)
			}
			e.Targets[tar] = engine.Target{App: app, MSL: msl}
		}
	}
	c.rt.SetEnvelopeHandler(c.envelope)
	return nil
}

// envelope handles ENVELOPE (ETSI TS 102 221 §11.2.2): SMS-PP data download
// (tag D1, 3GPP TS 31.111 §7.1.1) goes to the OTA engine; its response
// data (the PoR for the SMS-DELIVER-REPORT) comes back 61xx/GET RESPONSE
// on T=0, and a PoR by SMS-SUBMIT or a REFRESH is queued for FETCH (91xx).
// Everything the packet changes — counter, files, key list — is written in
// this command's store transaction.
func (c *Card) envelope(ctx *jc.Context, data []byte) error {
	c.usim.creds.fresh()
	var rep engine.Report
	ctx.Out, rep = c.ota.eng.Download(ctx.Out, data)
	c.ota.last = rep
	if rep.SW != apdu.SWOK {
		c.usim.creds.stale = true // the runtime rolls the command back
		return rep.SW
	}
	return nil
}

// LastOTA returns the engine's report on the last SMS-PP download ENVELOPE
// (for logs and tests).
func (c *Card) LastOTA() engine.Report { return c.ota.last }

// OTATargets returns the TARs the card's OTA engine serves, with their
// minimum security levels.
func (c *Card) OTATargets() map[scp80.TAR]scp80.MSL {
	m := make(map[scp80.TAR]scp80.MSL, len(c.ota.eng.Targets))
	for t, x := range c.ota.eng.Targets {
		m[t] = x.MSL
	}
	return m
}

// OTACounter returns the replay counter (CNTR, TS 102 225 §5.1.1) of the
// active pair's OTA key set kvn.
func (c *Card) OTACounter(kvn int) uint64 {
	c.usim.creds.fresh()
	return c.usim.creds.Counter(kvn).Uint64()
}

// writeOTA stores the OTA application table.
func writeOTA(st *store.Store, p *profile.Profile) error {
	b := otaConfig(p)
	return st.Update(func() error {
		r, err := st.Alloc(cellOTA, len(b))
		if err != nil {
			return err
		}
		return st.Write(r, 0, b)
	})
}

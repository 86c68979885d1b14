package usim

import (
	"errors"
	"fmt"

	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/keystore"
	"github.com/uiccsim/uiccsim/milenage"
	"github.com/uiccsim/uiccsim/usim/fs"
	"github.com/uiccsim/uiccsim/usim/jc"
	"github.com/uiccsim/uiccsim/usim/profile"
	"github.com/uiccsim/uiccsim/usim/store"
)

// ErrCorrupt reports a store image whose USIM state does not parse.
var ErrCorrupt = errors.New("usim: corrupt card state")

// JournalSize is the store's undo journal: the largest command (UPDATE
// BINARY of 255 bytes, or AUTHENTICATE's 198-byte SQN array) journals well
// under 1 KiB, so 4 KiB keeps the card small.
const JournalSize = 4 << 10

// ADFUSIMFID is the file identifier given to ADF.USIM (an ADF is selected
// by AID; the FID is what FCP tag 83 reports, as real cards do).
const ADFUSIMFID = 0x7FF0

// Proprietary is the FCP proprietary information DO (A5) of the MF and
// ADF: UICC characteristics 71, available memory 0003A738, supported
// commands (TERMINAL CAPABILITY) — the values of the real-card FCPs in the
// ef-codecs vectors.
var Proprietary = []byte{0x80, 0x01, 0x71, 0x83, 0x04, 0x00, 0x03, 0xA7, 0x38, 0x87, 0x01, 0x01}

// Card is an emulated UICC with a USIM. It is an apdu.Transport and an
// apdu.PowerOffer; it is not safe for concurrent use.
type Card struct {
	rt   *jc.Runtime
	fs   *fs.FS
	st   *store.Store
	adf  fs.Node
	aid  jc.AID
	usim *applet
	ota  *otaState
}

var (
	_ apdu.Transport  = (*Card)(nil)
	_ apdu.PowerOffer = (*Card)(nil)
)

// New builds a card from a validated copy of p and powers it on (cold
// reset), so it is ready for Transmit.
func New(p *profile.Profile) (*Card, error) {
	if p == nil {
		p = profile.Default()
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	pairs, err := pairsFromProfile(p)
	if err != nil {
		return nil, err
	}
	list, err := keystore.NewList(pairs)
	for i := range pairs {
		pairs[i].Wipe()
	}
	if err != nil {
		return nil, fmt.Errorf("usim: key pairs: %w", err)
	}
	defer list.Wipe()
	return newCard(p, list)
}

// NewWithList builds a card from p whose credentials are the key-pair list
// l (3GPP TR 33.812 §5.3.2.2 step 2, e.g. from a keystore/escrow batch)
// instead of p's auth.k/OPc, ota_key_sets and key_pairs: AUTHENTICATE uses
// the active pair's K/OPc with p's algorithm (Milenage), the OTA engine its
// key sets. p's IMSI should be the one that goes with l's active pair. The
// card stores a copy of l, which the caller may wipe.
func NewWithList(p *profile.Profile, l *keystore.List) (*Card, error) {
	if p == nil {
		p = profile.Default()
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if p.Auth.Algorithm != profile.Milenage {
		return nil, fmt.Errorf("usim: a key-pair list needs Milenage, profile has %q", p.Auth.Algorithm)
	}
	if l == nil {
		return nil, fmt.Errorf("usim: NewWithList without a list")
	}
	return newCard(p, l)
}

// newCard builds the store of a card with credentials list and powers it
// on.
func newCard(p *profile.Profile, list *keystore.List) (*Card, error) {
	// The journal must hold a SWITCH: the whole key list cell besides
	// EF_IMSI and the SQN array.
	keysCell := 2 + len(keystore.AppendList(nil, list)) + keysSlack
	st := store.New(store.Options{JournalSize: JournalSize + 2*keysCell})
	f, adf, err := build(st, p)
	if err != nil {
		return nil, err
	}
	if err := writeAuth(st, p); err != nil {
		return nil, err
	}
	if err := writeKeys(st, list); err != nil {
		return nil, err
	}
	if err := writeOTA(st, p); err != nil {
		return nil, err
	}
	c, err := assemble(st, f, adf)
	if err != nil {
		return nil, err
	}
	if err := c.applyCounters(p); err != nil {
		return nil, err
	}
	if _, err := c.rt.Reset(true); err != nil {
		return nil, err
	}
	return c, nil
}

// assemble attaches the file system to a runtime and installs the USIM
// applet under the ADF's AID.
func assemble(st *store.Store, f *fs.FS, adf fs.Node) (*Card, error) {
	info, err := f.Info(adf)
	if err != nil {
		return nil, err
	}
	aid := info.AID
	a, err := openApplet(st, f.App(adf))
	if err != nil {
		return nil, err
	}
	rt := jc.New(jc.Options{Store: st})
	f.Attach(rt)
	if err := rt.Install(aid, a); err != nil {
		return nil, err
	}
	if err := f.InstallApps(rt); err != nil {
		return nil, err
	}
	c := &Card{rt: rt, fs: f, st: st, adf: adf, aid: aid, usim: a}
	if err := c.setupOTA(); err != nil {
		return nil, err
	}
	return c, nil
}

// OpenImage restores a card saved with SaveImage and powers it on.
func OpenImage(path string) (*Card, error) {
	st, err := store.LoadFile(path)
	if err != nil {
		return nil, err
	}
	return Open(st)
}

// Open rebuilds a card from its store (after store.ParseImage or a
// Restart) and powers it on.
func Open(st *store.Store) (*Card, error) {
	f, err := fs.Open(st, fs.Options{Proprietary: Proprietary})
	if err != nil {
		return nil, err
	}
	adf := fs.NoNode
	for n := fs.Node(0); int(n) < f.Files(); n++ {
		if i, err := f.Info(n); err == nil && i.Kind == fs.KindADF && i.AID.HasPrefix(usimPrefix) {
			adf = n
			break
		}
	}
	if adf == fs.NoNode {
		return nil, fmt.Errorf("%w: no ADF.USIM", ErrCorrupt)
	}
	c, err := assemble(st, f, adf)
	if err != nil {
		return nil, err
	}
	if _, err := c.rt.Reset(true); err != nil {
		return nil, err
	}
	return c, nil
}

var usimPrefix = []byte{0xA0, 0x00, 0x00, 0x00, 0x87, 0x10, 0x02}

// SaveImage writes the card's whole persistent state to path.
func (c *Card) SaveImage(path string) error { return c.st.SaveFile(path) }

// Transmit processes one command APDU (apdu.Transport).
func (c *Card) Transmit(dst, cmd []byte) ([]byte, error) { return c.rt.Transmit(dst, cmd) }

// Reset resets the card and returns its ATR (apdu.Transport). The RAM view
// of the key-pair list is reloaded from the store, which a power loss may
// have rolled back.
func (c *Card) Reset(cold bool) ([]byte, error) {
	atr, err := c.rt.Reset(cold)
	if err != nil {
		return atr, err
	}
	if err := c.usim.creds.reload(); err != nil {
		return nil, err
	}
	return atr, nil
}

// Close powers the card off (apdu.Transport).
func (c *Card) Close() error { return c.rt.Close() }

// PowerOff removes power (apdu.PowerOffer).
func (c *Card) PowerOff() error { return c.rt.PowerOff() }

// Runtime returns the card's runtime (to install more applets).
func (c *Card) Runtime() *jc.Runtime { return c.rt }

// FS returns the card's file system.
func (c *Card) FS() *fs.FS { return c.fs }

// Store returns the card's persistent store.
func (c *Card) Store() *store.Store { return c.st }

// AID returns the USIM's AID.
func (c *Card) AID() jc.AID { return c.aid }

// SQNState returns the USIM's current SQN array (TS 33.102 Annex C.2).
func (c *Card) SQNState() (milenage.SQNState, error) { return c.usim.sqnState() }

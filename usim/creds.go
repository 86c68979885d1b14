package usim

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"sort"

	"github.com/uiccsim/uiccsim/keystore"
	"github.com/uiccsim/uiccsim/milenage"
	"github.com/uiccsim/uiccsim/ota/scp80"
	"github.com/uiccsim/uiccsim/usim/profile"
	"github.com/uiccsim/uiccsim/usim/store"
)

// cellKeys holds the card's key-pair list (3GPP TR 33.812 §5.3.2.2): a
// 2-byte big-endian length, the keystore.AppendList encoding, and zeros to
// the end of the cell. Wiped pairs are encoded without keys and the tail is
// zero-filled at every rewrite, so no key left behind stays in the store.
const cellKeys = "usim.keys"

// keysSlack is the room a keys cell keeps beyond its first encoding, so a
// REPLACE KEYS may bring longer keys (one pair with 15 AES-256 key sets).
const keysSlack = 2 + 32 + 1 + keystore.MaxOTAKeySets*(1+1+32+1+32+5)

// ErrNoKeyList reports a card image from before the key-pair list (no
// usim.keys cell): it authenticates with the auth cell's K/OPc and has no
// OTA keys.
var ErrNoKeyList = errors.New("usim: card has no key-pair list")

// creds is the card's RAM view of the key-pair list in the store: the
// decoded list, the expanded OTA ciphers of the active pair, the
// authentication algorithm keyed with the active pair's K/OPc, and where in
// the cell each active counter lives. reload rebuilds it from the store;
// every change goes to the store first. The ciphers and the Milenage
// instance are built on first use after a reload (KeySet, algo): a SWITCH
// and the REFRESH after it reload twice, and an idle card keeps no expanded
// keys.
type creds struct {
	st     *store.Store
	ref    store.Ref // 0 for an old image without a list
	list   *keystore.List
	keys   [16]scp80.Keys
	has    [16]bool
	ctrOff [16]int            // offset in the cell of the active set's CNTR, by KVN
	alg    milenage.Algorithm // nil until algo builds it (Milenage)
	k, opc milenage.Key       // the active K/OPc algo keys Milenage with
	// from the auth cell
	algKind byte
	resLen  int
	authK   milenage.Key
	authOPc milenage.Key
	buf     []byte
	// sum is the SHA-256 of the list encoding the view was built from
	// (valid if summed): reload keeps a view whose cell still hashes to it.
	sum    [sha256.Size]byte
	summed bool
	stale  bool // a command that may have changed the list was rolled back
}

// fresh reloads the RAM view if the last command's writes were rolled back.
func (c *creds) fresh() {
	if c.stale {
		c.stale = false
		_ = c.reload()
	}
}

// pairsFromProfile builds the key-pair list of p: its key_pairs (indexed
// 0..n-1) or, without them, one pair of auth.k/OPc and the ota_key_sets.
// Pair 0 without OTA key sets takes the top-level ones.
func pairsFromProfile(p *profile.Profile) ([]keystore.Pair, error) {
	opcOf := func(o *profile.Key128, k profile.Key128) keystore.Key128 {
		switch {
		case o != nil:
			return keystore.Key128(*o)
		case p.Auth.OPc != nil && k == p.Auth.K:
			return keystore.Key128(*p.Auth.OPc)
		case p.Auth.OP != nil:
			return keystore.Key128(milenage.ComputeOPc(milenage.Key(k), milenage.Key(*p.Auth.OP)))
		}
		return keystore.Key128{}
	}
	top, err := otaSets(p.OTAKeySets)
	if err != nil {
		return nil, err
	}
	if len(p.KeyPairs) == 0 {
		return []keystore.Pair{{Index: 0, K: keystore.Key128(p.Auth.K), OPc: opcOf(p.Auth.OPc, p.Auth.K), OTA: top}}, nil
	}
	kp := append([]profile.KeyPair(nil), p.KeyPairs...)
	sort.Slice(kp, func(i, j int) bool { return kp[i].Index < kp[j].Index })
	out := make([]keystore.Pair, len(kp))
	for i, x := range kp {
		if x.Index != i {
			return nil, fmt.Errorf("usim: key_pairs must be indexed 0..%d without gaps, found index %d at position %d", len(kp)-1, x.Index, i)
		}
		sets, err := otaSets(x.OTAKeySets)
		if err != nil {
			return nil, err
		}
		if i == 0 && len(sets) == 0 {
			sets = top
		}
		out[i] = keystore.Pair{Index: i, K: keystore.Key128(x.K), OPc: opcOf(x.OPc, x.K), OTA: sets}
	}
	return out, nil
}

// otaSets converts profile key sets to keystore ones.
func otaSets(in []profile.OTAKeySet) ([]keystore.OTAKeySet, error) {
	var out []keystore.OTAKeySet
	for _, s := range in {
		kic, err := otaKey(s.KIc)
		if err != nil {
			return nil, err
		}
		kid, err := otaKey(s.KID)
		if err != nil {
			return nil, err
		}
		var c uint64
		for _, b := range s.Counter {
			c = c<<8 | uint64(b)
		}
		out = append(out, keystore.OTAKeySet{KVN: uint8(s.KVN), KIc: kic, KID: kid, Counter: c})
	}
	return out, nil
}

func otaKey(k profile.OTAKey) (keystore.OTAKey, error) {
	b := k.Bytes()
	var alg keystore.Algorithm
	switch {
	case k.Algorithm == "aes" && len(b) == 16:
		alg = keystore.AlgAES128
	case k.Algorithm == "aes" && len(b) == 24:
		alg = keystore.AlgAES192
	case k.Algorithm == "aes" && len(b) == 32:
		alg = keystore.AlgAES256
	case k.Algorithm == "des3" && len(b) == 16:
		alg = keystore.Alg3DES2
	case k.Algorithm == "des3" && len(b) == 24:
		alg = keystore.Alg3DES3
	default:
		return keystore.OTAKey{}, fmt.Errorf("usim: OTA key %q of %d bytes", k.Algorithm, len(b))
	}
	return keystore.NewOTAKey(alg, b)
}

// scpAlg maps a keystore algorithm to the SCP80 cipher (TS 102 225 §5.1.2).
func scpAlg(a keystore.Algorithm) scp80.Algorithm {
	switch a {
	case keystore.AlgDES:
		return scp80.AlgDES
	case keystore.Alg3DES2:
		return scp80.Alg3DES2
	case keystore.Alg3DES3:
		return scp80.Alg3DES3
	}
	return scp80.AlgAES
}

// writeKeys allocates the keys cell for list l.
func writeKeys(st *store.Store, l *keystore.List) error {
	enc := keystore.AppendList(nil, l)
	defer clear(enc)
	return st.Update(func() error {
		r, err := st.Alloc(cellKeys, 2+len(enc)+keysSlack)
		if err != nil {
			return err
		}
		cell := make([]byte, 2, 2+len(enc))
		binary.BigEndian.PutUint16(cell, uint16(len(enc)))
		cell = append(cell, enc...)
		defer clear(cell)
		return st.Write(r, 0, cell)
	})
}

// openCreds loads the auth cell and the key list.
func openCreds(st *store.Store) (*creds, error) {
	ra, ok := st.Lookup(cellAuth)
	if !ok || st.Len(ra) != authLen {
		return nil, fmt.Errorf("%w: missing %s cell", ErrCorrupt, cellAuth)
	}
	cell := st.Bytes(ra)
	if cell[0] != authVersion {
		return nil, fmt.Errorf("%w: %s version %d", ErrCorrupt, cellAuth, cell[0])
	}
	c := &creds{st: st, algKind: cell[1], resLen: int(cell[2])}
	copy(c.authK[:], cell[3:19])
	copy(c.authOPc[:], cell[19:35])
	if r, ok := st.Lookup(cellKeys); ok {
		c.ref = r
	}
	if err := c.reload(); err != nil {
		return nil, err
	}
	return c, nil
}

// reload rebuilds the RAM view from the store (after a change, a power
// loss or a rolled-back command). A keys cell that still holds exactly the
// encoding the view was built from (a REFRESH or power cycle with nothing
// changed or rolled back) keeps the view as it is.
func (c *creds) reload() error {
	if c.list != nil && c.ref != 0 {
		if cell := c.st.Bytes(c.ref); len(cell) >= 2 {
			if n := int(binary.BigEndian.Uint16(cell)); 2+n <= len(cell) && c.summed && sha256.Sum256(cell[2:2+n]) == c.sum {
				return nil
			}
		}
	}
	if c.list != nil {
		c.list.Wipe()
	}
	c.summed = false
	c.list = nil
	c.keys, c.has, c.ctrOff = [16]scp80.Keys{}, [16]bool{}, [16]int{}
	k, opc := c.authK, c.authOPc
	if c.ref != 0 {
		cell := c.st.Bytes(c.ref)
		if len(cell) < 2 {
			return fmt.Errorf("%w: %s cell of %d bytes", ErrCorrupt, cellKeys, len(cell))
		}
		n := int(binary.BigEndian.Uint16(cell))
		if 2+n > len(cell) {
			return fmt.Errorf("%w: %s length %d beyond the cell", ErrCorrupt, cellKeys, n)
		}
		l, err := keystore.ParseList(cell[2 : 2+n])
		if err != nil {
			return fmt.Errorf("%w: %s: %v", ErrCorrupt, cellKeys, err)
		}
		c.list = l
		a := l.Active()
		k, opc = milenage.Key(a.K), milenage.Key(a.OPc)
		if err := c.expand(cell[2 : 2+n]); err != nil {
			return err
		}
	}
	c.alg = nil
	switch c.algKind {
	case authAlgMil:
		c.k, c.opc = k, opc // Milenage is keyed on first use (algo)
	case authAlgXOR:
		x, err := milenage.NewXOR(k, c.resLen)
		if err != nil {
			return fmt.Errorf("%w: %v", ErrCorrupt, err)
		}
		c.alg = x
	default:
		return fmt.Errorf("%w: algorithm %d", ErrCorrupt, c.algKind)
	}
	if c.list != nil {
		// Only a view built without error is kept by the next reload.
		cell := c.st.Bytes(c.ref)
		c.sum, c.summed = sha256.Sum256(cell[2:2+int(binary.BigEndian.Uint16(cell))]), true
	}
	return nil
}

// algo returns the authentication algorithm keyed with the active pair's
// K/OPc (TS 35.206 Milenage, or the test XOR of TS 34.108 §8.1.2), building
// the Milenage instance on first use after a reload.
func (c *creds) algo() milenage.Algorithm {
	if c.alg == nil {
		c.alg = milenage.New(c.k, c.opc)
	}
	return c.alg
}

// expand notes which KVNs the active pair holds and finds each counter's
// offset in the cell by walking the encoding (the layout of
// keystore.EncodingVersion 1); KeySet builds the ciphers on first use.
func (c *creds) expand(enc []byte) error {
	off := 2 + 3 // cell length prefix, list header
	for i := 0; i < c.list.Len(); i++ {
		if i < c.list.ActiveIndex() {
			off += 2 // wiped: index, flags
			continue
		}
		p, _ := c.list.Pair(i)
		off += 2 + 16 + 16 + 1
		for j := range p.OTA {
			s := &p.OTA[j]
			kl, dl := s.KIc.Alg.KeyLen(), s.KID.Alg.KeyLen()
			if i == c.list.ActiveIndex() {
				if len(s.KIc.Bytes()) != kl || len(s.KID.Bytes()) != dl {
					return fmt.Errorf("%w: KVN %d keys of %d and %d bytes", ErrCorrupt, s.KVN, len(s.KIc.Bytes()), len(s.KID.Bytes()))
				}
				c.has[s.KVN] = true
				c.ctrOff[s.KVN] = off + 1 + 1 + kl + 1 + dl
			}
			off += 1 + 1 + kl + 1 + dl + 5
		}
	}
	if off != 2+len(enc) {
		return fmt.Errorf("%w: %s: walked %d bytes of %d", ErrCorrupt, cellKeys, off-2, len(enc))
	}
	return nil
}

// KeySet implements engine.KeyStore with the active pair's key sets.
func (c *creds) KeySet(kvn int) (scp80.Keys, bool) {
	if kvn < 0 || kvn > 15 || !c.has[kvn] || c.list == nil {
		return scp80.Keys{}, false
	}
	if c.keys[kvn].Enc == nil {
		s := c.list.Active().OTAKeySet(uint8(kvn))
		if s == nil {
			return scp80.Keys{}, false
		}
		enc, err := scp80.NewCipher(scpAlg(s.KIc.Alg), s.KIc.Bytes())
		if err != nil {
			return scp80.Keys{}, false
		}
		mac, err := scp80.NewCipher(scpAlg(s.KID.Alg), s.KID.Bytes())
		if err != nil {
			return scp80.Keys{}, false
		}
		c.keys[kvn] = scp80.Keys{Enc: enc, MAC: mac}
	}
	return c.keys[kvn], true
}

// Counter implements engine.CounterStore: the active pair's CNTR of kvn.
func (c *creds) Counter(kvn int) scp80.Counter {
	if c.list == nil || kvn < 0 || kvn > 15 {
		return scp80.Counter{}
	}
	s := c.list.Active().OTAKeySet(uint8(kvn))
	if s == nil {
		return scp80.Counter{}
	}
	return scp80.CounterOf(s.Counter)
}

// SetCounter implements engine.CounterStore: one 5-byte write into the
// keys cell, inside the ENVELOPE command's store transaction, so the
// counter and whatever the command changes commit together (TS 102 225
// §5.1.1: no replay window after a power loss).
func (c *creds) SetCounter(kvn int, v scp80.Counter) error {
	if c.list == nil || kvn < 0 || kvn > 15 || !c.has[kvn] {
		return fmt.Errorf("usim: no OTA key set with KVN %d", kvn)
	}
	if err := c.st.Write(c.ref, c.ctrOff[kvn], v[:]); err != nil {
		return err
	}
	if err := c.list.SetCounter(uint8(kvn), v.Uint64()); err != nil {
		return c.reload()
	}
	cell := c.st.Bytes(c.ref) // the view still matches the cell
	c.sum = sha256.Sum256(cell[2 : 2+int(binary.BigEndian.Uint16(cell))])
	return nil
}

// commit writes list l as the new content of the keys cell (inside the
// caller's transaction), zero-filling what the old encoding occupied
// beyond the new one, then reloads the RAM view.
func (c *creds) commit(l *keystore.List) error {
	if c.ref == 0 {
		return ErrNoKeyList
	}
	cell := c.st.Bytes(c.ref)
	old := 2 + int(binary.BigEndian.Uint16(cell))
	b := c.buf[:0]
	b = binary.BigEndian.AppendUint16(b, 0)
	b = keystore.AppendList(b, l)
	n := len(b) - 2
	if len(b) > len(cell) {
		clear(b)
		return fmt.Errorf("usim: key list of %d bytes exceeds its %d-byte cell", n, len(cell)-2)
	}
	binary.BigEndian.PutUint16(b, uint16(n))
	for len(b) < old {
		b = append(b, 0)
	}
	err := c.st.Write(c.ref, 0, b)
	clear(b)
	c.buf = b[:0]
	if err != nil {
		return err
	}
	return c.reload()
}

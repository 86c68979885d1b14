package operator

import (
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"

	"github.com/uiccsim/uiccsim/keystore/escrow"
	"github.com/uiccsim/uiccsim/keystore/sealed"
	"github.com/uiccsim/uiccsim/milenage"
	"github.com/uiccsim/uiccsim/ota/server"

	"golang.org/x/crypto/nacl/box"
)

// Record kinds of the operator's sealed store (sealed.Kind).
const (
	kindSubscriber sealed.Kind = 1
	kindIdentity   sealed.Kind = 2
	kindMSIN       sealed.Kind = 3
)

const (
	bucketSubscribers = "subscribers"
	bucketMeta        = "operator"
)

var (
	keyIdentity = []byte("x25519")
	keyMSIN     = []byte("next-msin")
)

// DefaultReserve is how far Open moves every AuC SEQ and OTA counter ahead of
// the stored value (see the package documentation): more than the vectors and
// commands one subscriber is sent between two Syncs.
const DefaultReserve = 1 << 10

// Config identifies an operator.
type Config struct {
	// ID is the operator's name at the escrow, e.g. "MNO-A".
	ID escrow.OperatorID
	// PLMN is MCC ‖ MNC (5 or 6 digits, TS 23.003 §2.2), the prefix of the
	// IMSIs AllocateIMSIs hands out.
	PLMN string
	// Reserve is the SEQ and counter skip on Open; 0 means DefaultReserve.
	Reserve uint64
}

// Operator is one MNO's subscriber database, AuC and OTA server. It is safe
// for concurrent use: subscribers are locked one at a time, and operations
// on different subscribers run in parallel.
type Operator struct {
	id        escrow.OperatorID
	plmn      string
	pub, priv *[32]byte
	escrowKey ed25519.PublicKey
	store     *sealed.Store

	mu       sync.Mutex
	subs     map[escrow.ICCID]*record
	byIMSI   map[string]*record
	dirty    map[escrow.ICCID]*record
	removed  map[escrow.ICCID]struct{}
	nextMSIN uint64
}

// record is a subscriber in memory with what the AuC and OTA server keep
// expanded: the Milenage key schedule and the OTA ciphers.
type record struct {
	iccid escrow.ICCID // immutable
	mu    sync.Mutex
	sub   Subscriber
	alg   *milenage.Milenage
	ota   *server.Card
	gen   milenage.SQNGenerator
}

// Open opens (or creates) the operator's sealed store at path under master.
// A new store gets a fresh X25519 key pair, the operator's identity towards
// the escrow and other operators; an existing one keeps its key pair, and
// every subscriber's SEQ and OTA counter move ahead by cfg.Reserve.
func Open(path string, master *sealed.MasterKey, cfg Config, o *sealed.Options) (*Operator, error) {
	if err := cfg.ID.Validate(); err != nil {
		return nil, fmt.Errorf("%w: operator ID: %w", ErrInvalid, err)
	}
	if n := len(cfg.PLMN); n != 5 && n != 6 || !digits(cfg.PLMN) {
		return nil, fmt.Errorf("%w: operator %s: PLMN %q is not 5 or 6 digits", ErrInvalid, cfg.ID, cfg.PLMN)
	}
	if cfg.Reserve == 0 {
		cfg.Reserve = DefaultReserve
	}
	st, err := sealed.Open(path, master, o)
	if err != nil {
		return nil, fmt.Errorf("operator %s: %w", cfg.ID, err)
	}
	op := &Operator{
		id: cfg.ID, plmn: cfg.PLMN, store: st,
		subs: map[escrow.ICCID]*record{}, byIMSI: map[string]*record{},
		dirty: map[escrow.ICCID]*record{}, removed: map[escrow.ICCID]struct{}{},
	}
	if err := op.load(cfg.Reserve); err != nil {
		_ = st.Close()
		return nil, err
	}
	return op, nil
}

func (o *Operator) load(reserve uint64) error {
	return o.store.Update(func(tx *sealed.Tx) error {
		id, err := tx.Get(nil, bucketMeta, keyIdentity, kindIdentity)
		switch {
		case errors.Is(err, sealed.ErrNotFound):
			pub, priv, err := box.GenerateKey(rand.Reader)
			if err != nil {
				return fmt.Errorf("operator %s: key pair: %w", o.id, err)
			}
			o.pub, o.priv = pub, priv
			if err := tx.Put(bucketMeta, keyIdentity, kindIdentity, priv[:]); err != nil {
				return err
			}
		case err != nil:
			return fmt.Errorf("operator %s: identity: %w", o.id, err)
		case len(id) != 32:
			return fmt.Errorf("%w: operator %s: identity of %d bytes", ErrMalformed, o.id, len(id))
		default:
			o.priv = new([32]byte)
			copy(o.priv[:], id)
			clear(id)
			o.pub = publicOf(o.priv)
		}
		if m, err := tx.Get(nil, bucketMeta, keyMSIN, kindMSIN); err == nil {
			if o.nextMSIN, err = strconv.ParseUint(string(m), 10, 64); err != nil {
				return fmt.Errorf("%w: operator %s: MSIN counter: %w", ErrMalformed, o.id, err)
			}
		} else if !errors.Is(err, sealed.ErrNotFound) {
			return err
		}
		err = tx.ForEach(bucketSubscribers, kindSubscriber, func(_, pt []byte) error {
			s, err := ParseSubscriber(pt)
			if err != nil {
				return err
			}
			s.SEQ += reserve
			for i := range s.Pair.OTA {
				s.Pair.OTA[i].Counter += reserve
			}
			r, err := newRecord(s)
			if err != nil {
				return err
			}
			o.subs[s.ICCID] = r
			o.byIMSI[s.IMSI] = r
			o.dirty[s.ICCID] = r
			return nil
		})
		if err != nil && !errors.Is(err, sealed.ErrNotFound) {
			return fmt.Errorf("operator %s: subscribers: %w", o.id, err)
		}
		return o.writeDirty(tx)
	})
}

func newRecord(s Subscriber) (*record, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	r := &record{iccid: s.ICCID, sub: s}
	r.rekey()
	return r, nil
}

// rekey expands the record's keys: Milenage's key schedule and the OTA
// ciphers (the server card is rebuilt on next use).
func (r *record) rekey() {
	r.alg = milenage.New(milenage.Key(r.sub.Pair.K), milenage.Key(r.sub.Pair.OPc))
	r.ota = nil
	r.gen = milenage.SQNGenerator{Scheme: milenage.DefaultSQNScheme, SEQ: r.sub.SEQ}
}

// Close writes the pending records (Sync) and closes the store.
func (o *Operator) Close() error {
	err := o.Sync()
	return errors.Join(err, o.store.Close())
}

// ID returns the operator's name at the escrow.
func (o *Operator) ID() escrow.OperatorID { return o.id }

// PLMN returns MCC ‖ MNC.
func (o *Operator) PLMN() string { return o.plmn }

// PublicKey returns the operator's X25519 public key: the escrow seals
// releases to it (TR 33.812 §5.3.2.2 step 7) and other operators seal 3a
// handovers to it (§5.3.1.2 step 5).
func (o *Operator) PublicKey() *[32]byte { k := *o.pub; return &k }

// Register records the operator's public key with the escrow and trusts the
// escrow's Ed25519 key for the releases it will open.
func (o *Operator) Register(e *escrow.Escrow) error {
	if err := e.RegisterOperator(o.id, o.pub); err != nil {
		return fmt.Errorf("operator %s: %w", o.id, err)
	}
	o.escrowKey = e.PublicKey()
	return nil
}

// String names the operator.
func (o *Operator) String() string {
	return fmt.Sprintf("operator %s (PLMN %s)", o.id, o.plmn)
}

// Store returns the operator's sealed store (for tests reading it raw).
func (o *Operator) Store() *sealed.Store { return o.store }

// AllocateIMSIs hands out n fresh IMSIs MCC ‖ MNC ‖ MSIN from the operator's
// range (TS 23.003 §2.2, 15 digits), the list MNO B delivers to MNO A (TR
// 33.812 §5.3.1.2 step 3, §5.3.2.2 step 4). The counter is persisted by Sync.
func (o *Operator) AllocateIMSIs(n int) ([]string, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	width := 15 - len(o.plmn)
	limit := uint64(1)
	for range width {
		limit *= 10
	}
	if n < 0 || o.nextMSIN+uint64(n) > limit {
		return nil, fmt.Errorf("%w: operator %s: %d IMSIs exceed the MSIN range", ErrInvalid, o.id, n)
	}
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s%0*d", o.plmn, width, o.nextMSIN)
		o.nextMSIN++
	}
	return out, nil
}

// Add creates subscriber records (onboarding after personalisation, or
// adopting a 3a handover or a 3b escrow release), refusing an ICCID or IMSI
// already held. Either all are added or none.
func (o *Operator) Add(subs ...Subscriber) error {
	recs := make([]*record, len(subs))
	seenICCID := make(map[escrow.ICCID]bool, len(subs))
	seenIMSI := make(map[string]bool, len(subs))
	for i := range subs {
		r, err := newRecord(subs[i].Clone())
		if err != nil {
			return fmt.Errorf("operator %s: %w", o.id, err)
		}
		recs[i] = r
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, r := range recs {
		s := &r.sub
		if _, ok := o.subs[s.ICCID]; ok || seenICCID[s.ICCID] {
			return fmt.Errorf("%w: operator %s: %s", ErrSubscriberExists, o.id, s.ICCID)
		}
		if _, ok := o.byIMSI[s.IMSI]; ok || seenIMSI[s.IMSI] {
			return fmt.Errorf("%w: operator %s: IMSI %s of %s", ErrSubscriberExists, o.id, s.IMSI, s.ICCID)
		}
		seenICCID[s.ICCID], seenIMSI[s.IMSI] = true, true
	}
	for _, r := range recs {
		o.subs[r.sub.ICCID] = r
		o.byIMSI[r.sub.IMSI] = r
		o.dirty[r.sub.ICCID] = r
		delete(o.removed, r.sub.ICCID)
	}
	return nil
}

// Subscriber returns a deep copy of the record of iccid.
func (o *Operator) Subscriber(iccid escrow.ICCID) (Subscriber, error) {
	r, err := o.get(iccid)
	if err != nil {
		return Subscriber{}, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.sub.Clone(), nil
}

// Has reports whether the operator holds a record for iccid.
func (o *Operator) Has(iccid escrow.ICCID) bool {
	_, err := o.get(iccid)
	return err == nil
}

// Len returns the number of subscribers.
func (o *Operator) Len() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return len(o.subs)
}

// ICCIDs returns the ICCIDs of every subscriber, in no particular order.
func (o *Operator) ICCIDs() []escrow.ICCID {
	o.mu.Lock()
	defer o.mu.Unlock()
	out := make([]escrow.ICCID, 0, len(o.subs))
	for c := range o.subs {
		out = append(out, c)
	}
	return out
}

func (o *Operator) get(iccid escrow.ICCID) (*record, error) {
	o.mu.Lock()
	r, ok := o.subs[iccid]
	o.mu.Unlock()
	if !ok {
		return nil, fmt.Errorf("%w: operator %s has no record of %s", ErrUnknownSubscriber, o.id, iccid)
	}
	return r, nil
}

func (o *Operator) markDirty(r *record) {
	o.mu.Lock()
	if o.subs[r.sub.ICCID] == r {
		o.dirty[r.sub.ICCID] = r
	}
	o.mu.Unlock()
}

// Update applies fn to the record of iccid under its lock (an IMSI change
// or a key rotation after the card's PoR confirmed it) and marks it for the
// next Sync. A change fn makes that leaves the record invalid is refused and
// undone.
func (o *Operator) Update(iccid escrow.ICCID, fn func(*Subscriber) error) error {
	r, err := o.get(iccid)
	if err != nil {
		return err
	}
	r.mu.Lock()
	s := r.sub.Clone()
	if err := fn(&s); err != nil {
		r.mu.Unlock()
		s.Wipe()
		return err
	}
	if s.ICCID != r.sub.ICCID {
		r.mu.Unlock()
		return fmt.Errorf("%w: operator %s: update changes the ICCID of %s", ErrInvalid, o.id, iccid)
	}
	if err := s.Validate(); err != nil {
		r.mu.Unlock()
		return fmt.Errorf("operator %s: %w", o.id, err)
	}
	oldIMSI := r.sub.IMSI
	if s.IMSI != oldIMSI {
		o.mu.Lock()
		if _, taken := o.byIMSI[s.IMSI]; taken {
			o.mu.Unlock()
			r.mu.Unlock()
			return fmt.Errorf("%w: operator %s: IMSI %s", ErrSubscriberExists, o.id, s.IMSI)
		}
		delete(o.byIMSI, oldIMSI)
		o.byIMSI[s.IMSI] = r
		o.mu.Unlock()
	}
	rekey := !s.Pair.K.Equal(r.sub.Pair.K) || !s.Pair.OPc.Equal(r.sub.Pair.OPc) || otaChanged(&s, &r.sub)
	r.sub.Wipe()
	r.sub = s
	if rekey {
		r.rekey()
	} else {
		r.gen.SEQ = s.SEQ
	}
	r.mu.Unlock()
	o.markDirty(r)
	return nil
}

func otaChanged(a, b *Subscriber) bool {
	if len(a.Pair.OTA) != len(b.Pair.OTA) {
		return true
	}
	for i := range a.Pair.OTA {
		x, y := &a.Pair.OTA[i], &b.Pair.OTA[i]
		if x.KVN != y.KVN || !x.KIc.Equal(y.KIc) || !x.KID.Equal(y.KID) {
			return true
		}
	}
	return false
}

// Remove deletes the records of iccids and wipes their keys: the subscriber
// moved to another operator (TR 33.812 §5.3.1.2 step 5, §5.3.2.2 step 6),
// and the keys the old operator held are of no further use to it. Unknown
// ICCIDs are ignored. The deletion reaches the file at the next Sync.
func (o *Operator) Remove(iccids ...escrow.ICCID) {
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, c := range iccids {
		r, ok := o.subs[c]
		if !ok {
			continue
		}
		delete(o.subs, c)
		delete(o.byIMSI, r.sub.IMSI)
		delete(o.dirty, c)
		o.removed[c] = struct{}{}
		r.mu.Lock()
		r.sub.Wipe()
		r.alg, r.ota = nil, nil
		r.mu.Unlock()
	}
}

// Sync writes every changed record, every removal and the MSIN counter in
// one transaction of the sealed store (one commit, one fsync unless the
// store was opened with NoSync).
func (o *Operator) Sync() error {
	return o.store.Update(func(tx *sealed.Tx) error { return o.writeDirty(tx) })
}

// writeDirty writes the pending changes in tx; they are forgotten only if tx
// commits, which the callers ensure by returning its error.
func (o *Operator) writeDirty(tx *sealed.Tx) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	// Keys in order: bbolt inserts into a leaf by shifting, so keys put in
	// ascending order append instead of moving the leaf on every Put.
	keys := make([]escrow.ICCID, 0, len(o.dirty))
	for c := range o.dirty {
		keys = append(keys, c)
	}
	slices.Sort(keys)
	var buf, key []byte
	for _, c := range keys {
		r := o.dirty[c]
		r.mu.Lock()
		var err error
		buf, err = AppendSubscriber(buf[:0], &r.sub)
		r.mu.Unlock()
		if err != nil {
			return err
		}
		key = append(key[:0], c...)
		if err := tx.Put(bucketSubscribers, key, kindSubscriber, buf); err != nil {
			clear(buf)
			return err
		}
	}
	clear(buf)
	keys = keys[:0]
	for c := range o.removed {
		keys = append(keys, c)
	}
	slices.Sort(keys)
	for _, c := range keys {
		key = append(key[:0], c...)
		if err := tx.Delete(bucketSubscribers, key); err != nil {
			return err
		}
	}
	if err := tx.Put(bucketMeta, keyMSIN, kindMSIN, strconv.AppendUint(nil, o.nextMSIN, 10)); err != nil {
		return err
	}
	clear(o.dirty)
	clear(o.removed)
	return nil
}

// NewSubscriber builds a subscriber record for delivery d of an escrow
// release with IMSI imsi, the AuC starting at SEQ 0 and the OTA counters the
// escrow generated.
func NewSubscriber(d *escrow.Delivery, imsi string) Subscriber {
	return Subscriber{ICCID: d.ICCID, IMSI: imsi, Pair: d.Pair.Clone()}
}

// OpenRelease opens a batch release of the escrow sealed to this operator
// (TR 33.812 §5.3.2.2 steps 2 and 7), checking the escrow's signature with
// the key Register recorded.
func (o *Operator) OpenRelease(r *escrow.BatchRelease) ([]escrow.Delivery, error) {
	if o.escrowKey == nil {
		return nil, fmt.Errorf("%w: operator %s is not registered with an escrow", ErrInvalid, o.id)
	}
	ds, err := escrow.OpenBatchRelease(r, o.escrowKey, o.pub, o.priv)
	if err != nil {
		return nil, fmt.Errorf("operator %s: %w", o.id, err)
	}
	return ds, nil
}

// Onboard adds a subscriber for every pair of release r with the IMSIs
// given in the same order (the initial operator after personalisation, TR
// 33.812 §5.3.2.2 step 2).
func (o *Operator) Onboard(r *escrow.BatchRelease, imsis []string) error {
	ds, err := o.OpenRelease(r)
	if err != nil {
		return err
	}
	defer wipeDeliveries(ds)
	if len(ds) != len(imsis) {
		return fmt.Errorf("%w: operator %s: %d pairs, %d IMSIs", ErrInvalid, o.id, len(ds), len(imsis))
	}
	subs := make([]Subscriber, len(ds))
	for i := range ds {
		subs[i] = NewSubscriber(&ds[i], imsis[i])
	}
	defer func() {
		for i := range subs {
			subs[i].Wipe()
		}
	}()
	return o.Add(subs...)
}

func wipeDeliveries(ds []escrow.Delivery) {
	for i := range ds {
		ds[i].Pair.Wipe()
	}
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// ActiveIndex returns the index of the K/OTA key pair the operator uses for
// subscriber iccid (TR 33.812 §5.3.2.2 step 6's "index value").
func (o *Operator) ActiveIndex(iccid escrow.ICCID) (int, error) {
	r, err := o.get(iccid)
	if err != nil {
		return 0, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.sub.Pair.Index, nil
}

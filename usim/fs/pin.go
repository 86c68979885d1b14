package fs

import (
	"crypto/subtle"
	"fmt"

	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/usim/store"
)

// KeyRef is a PIN key reference, ETSI TS 102 221 §9.5.1 Table 9.3.
type KeyRef uint8

// Key references of ETSI TS 102 221 Table 9.3.
const (
	KeyPIN1      KeyRef = 0x01 // PIN Appl 1 (level 1); 02..08 for further applications
	KeyUniversal KeyRef = 0x11 // universal PIN
	KeyPIN2      KeyRef = 0x81 // second PIN Appl 1 (level 2); 82..88 for further applications
	KeyADM1      KeyRef = 0x0A // ADM1 (level 3); 0B..0E are ADM2..ADM5
	KeyADM2      KeyRef = 0x0B
	KeyADM3      KeyRef = 0x0C
	KeyADM4      KeyRef = 0x0D
	KeyADM5      KeyRef = 0x0E
)

// String names the key reference as TS 102 221 Table 9.3 does: PIN1,
// PIN1.APP2, UPIN, PIN2, ADM1…ADM10.
func (k KeyRef) String() string {
	switch {
	case k == KeyPIN1:
		return "PIN1"
	case k >= 0x02 && k <= 0x08:
		return fmt.Sprintf("PIN1.APP%d", k)
	case k == KeyUniversal:
		return "UPIN"
	case k == KeyPIN2:
		return "PIN2"
	case k >= 0x82 && k <= 0x88:
		return fmt.Sprintf("PIN2.APP%d", k-0x80)
	case k >= 0x0A && k <= 0x0E:
		return fmt.Sprintf("ADM%d", k-0x09)
	case k >= 0x8A && k <= 0x8E:
		return fmt.Sprintf("ADM%d", k-0x84)
	}
	return fmt.Sprintf("KeyRef(%02X)", uint8(k))
}

// Valid reports a key reference of Table 9.3.
func (k KeyRef) Valid() bool {
	return (k >= 0x01 && k <= 0x08) || k == KeyUniversal || (k >= 0x81 && k <= 0x88) ||
		(k >= 0x0A && k <= 0x0E) || (k >= 0x8A && k <= 0x8E)
}

// IsADM reports an administrative key (levels 3 and 4).
func (k KeyRef) IsADM() bool { return (k >= 0x0A && k <= 0x0E) || (k >= 0x8A && k <= 0x8E) }

// userPIN reports a PIN whose value is 4..8 digits (TS 102 221 §9.5.1):
// all but the ADM keys.
func (k KeyRef) userPIN() bool { return k.Valid() && !k.IsADM() }

// disablable reports a PIN that DISABLE PIN may switch off: application
// PINs and the universal PIN (TS 102 221 §11.1.11).
func (k KeyRef) disablable() bool { return (k >= 0x01 && k <= 0x08) || k == KeyUniversal }

// PIN describes a PIN or ADM key to create (AddPIN). Its String redacts
// the secrets.
type PIN struct {
	Ref KeyRef
	// Value is the PIN, 1..8 bytes, padded with FF to 8 (user PINs: 4..8
	// ASCII digits, TS 102 221 §9.5.1).
	Value []byte
	// PUK is the unblock key (8 bytes after FF padding); nil for none.
	PUK []byte
	// Retries and PUKRetries are the try limits, 1..15 (defaults 3, 10):
	// the value a retry counter returns to after a correct presentation
	// (TS 102 221 §9.5.2).
	Retries, PUKRetries int
	// Failed and PUKFailed are the consecutive wrong presentations the card
	// has already counted, 0..Retries (0..PUKRetries): the retry counter
	// starts at Retries-Failed, so the zero value is a fresh counter and
	// Failed == Retries creates the PIN blocked (VERIFY answers 6983 until
	// UNBLOCK PIN, TS 102 221 §11.1.9, §11.1.13); PUKFailed == PUKRetries
	// blocks the unblock key for good. A card restored from a record of
	// 63Cx counters sets them to Retries-x.
	Failed, PUKFailed int
	// Disabled starts the PIN disabled (its access conditions hold).
	Disabled bool
}

// String prints the key reference and counters, never the values.
func (p PIN) String() string {
	return fmt.Sprintf("%s (value redacted, %d retries, %d failed, PUK set: %t)", p.Ref, p.Retries, p.Failed, p.PUK != nil)
}

const (
	pinPrefix   = "pin."
	pinRef      = 0
	pinFlags    = 1 // b1 enabled, b2 has PUK
	pinTries    = 2
	pinMax      = 3
	pinPUKTries = 4
	pinPUKMax   = 5
	pinValue    = 6
	pinPUK      = 14
	pinCellSize = 22

	flagEnabled      = 0x01
	flagHasPUK       = 0x02
	flagUseUniversal = 0x04 // application PIN replaced by the universal PIN (DISABLE PIN P1=91)
)

type pin struct {
	ref store.Ref
	key KeyRef
}

func pad8(b []byte) ([8]byte, bool) {
	var v [8]byte
	for i := range v {
		v[i] = 0xFF
	}
	if len(b) < 1 || len(b) > 8 {
		return v, false
	}
	copy(v[:], b)
	return v, true
}

// validValue checks a user PIN's format: 4..8 ASCII digits then FF
// padding (TS 102 221 §9.5.1). ADM values are free.
func validValue(k KeyRef, v []byte) bool {
	if !k.userPIN() {
		return true
	}
	n := 0
	for n < len(v) && v[n] >= '0' && v[n] <= '9' {
		n++
	}
	for i := n; i < len(v); i++ {
		if v[i] != 0xFF {
			return false
		}
	}
	return n >= 4
}

// AddPIN creates a PIN or ADM key with its retry counters in the store:
// Retries-Failed tries left for the PIN, PUKRetries-PUKFailed for its
// unblock key (TS 102 221 §9.5.2).
func (f *FS) AddPIN(p PIN) error {
	bad := func(what string) error { return fmt.Errorf("%w: %s: %s", ErrBadSpec, p.Ref, what) }
	if !p.Ref.Valid() {
		return bad("not a key reference of TS 102 221 Table 9.3")
	}
	if f.pinIdx[p.Ref] >= 0 {
		return bad("defined twice")
	}
	v, ok := pad8(p.Value)
	if !ok || !validValue(p.Ref, v[:]) {
		return bad("value must be 1..8 bytes (4..8 digits for a user PIN)")
	}
	if p.Retries == 0 {
		p.Retries = 3
	}
	if p.PUKRetries == 0 {
		p.PUKRetries = 10
	}
	if p.Retries < 1 || p.Retries > 15 || p.PUKRetries < 1 || p.PUKRetries > 15 {
		return bad("retries outside 1..15")
	}
	if p.Failed < 0 || p.Failed > p.Retries {
		return bad(fmt.Sprintf("failed presentations %d outside 0..%d (the retry limit)", p.Failed, p.Retries))
	}
	if p.PUKFailed < 0 || p.PUKFailed > p.PUKRetries {
		return bad(fmt.Sprintf("failed unblock key presentations %d outside 0..%d (the unblock retry limit)", p.PUKFailed, p.PUKRetries))
	}
	if p.Disabled && p.Failed == p.Retries {
		// A disabled PIN refuses VERIFY without counting (§11.1.9) and a
		// blocked one cannot be disabled (§11.1.12): never both.
		return bad("a disabled PIN cannot start blocked")
	}
	if p.PUK == nil && p.PUKFailed != 0 {
		return bad("failed unblock key presentations without an unblock key")
	}
	if p.Disabled && !p.Ref.disablable() {
		return bad("only application PINs and the universal PIN can be disabled")
	}
	cell := make([]byte, pinCellSize)
	cell[pinRef] = byte(p.Ref)
	if !p.Disabled {
		cell[pinFlags] |= flagEnabled
	}
	cell[pinTries], cell[pinMax] = byte(p.Retries-p.Failed), byte(p.Retries)
	copy(cell[pinValue:], v[:])
	if p.PUK != nil {
		u, ok := pad8(p.PUK)
		if !ok {
			return bad("PUK must be 1..8 bytes")
		}
		cell[pinFlags] |= flagHasPUK
		cell[pinPUKTries], cell[pinPUKMax] = byte(p.PUKRetries-p.PUKFailed), byte(p.PUKRetries)
		copy(cell[pinPUK:], u[:])
	}
	var ref store.Ref
	err := f.st.Update(func() error {
		var err error
		if ref, err = f.st.Alloc(fmt.Sprintf("%s%02X", pinPrefix, byte(p.Ref)), pinCellSize); err != nil {
			return err
		}
		return f.st.Write(ref, 0, cell)
	})
	if err != nil {
		return fmt.Errorf("fs: PIN %s: %w", p.Ref, err)
	}
	f.pinIdx[p.Ref] = int16(len(f.pins))
	f.pins = append(f.pins, pin{ref: ref, key: p.Ref})
	return nil
}

func (f *FS) openPIN(r store.Ref) error {
	b := f.st.Bytes(r)
	if len(b) != pinCellSize || !KeyRef(b[pinRef]).Valid() || f.pinIdx[b[pinRef]] >= 0 ||
		b[pinTries] > b[pinMax] || b[pinPUKTries] > b[pinPUKMax] {
		return fmt.Errorf("%w: PIN cell %q", ErrCorrupt, f.st.Name(r))
	}
	f.pinIdx[b[pinRef]] = int16(len(f.pins))
	f.pins = append(f.pins, pin{ref: r, key: KeyRef(b[pinRef])})
	return nil
}

// PINState reports a PIN's remaining tries, whether it is enabled and
// whether it is verified on the card now.
type PINState struct {
	Tries, PUKTries int
	Enabled         bool
	// Verified reports a verification that counts now on some channel:
	// for a local key reference (Local), in the application session it
	// was verified in.
	Verified bool
	// UseUniversal reports an application PIN disabled with replacement
	// by the universal PIN (DISABLE PIN P1=91, TS 102 221 §11.1.11): its
	// access conditions need the universal PIN while that is enabled.
	UseUniversal bool
}

// PINState returns the state of key reference k.
func (f *FS) PINState(k KeyRef) (PINState, error) {
	if f.pinIdx[k] < 0 {
		return PINState{}, fmt.Errorf("%w: PIN %s", ErrNotFound, k)
	}
	b := f.st.Bytes(f.pins[f.pinIdx[k]].ref)
	return PINState{Tries: int(b[pinTries]), PUKTries: int(b[pinPUKTries]),
		Enabled: b[pinFlags]&flagEnabled != 0, Verified: f.verifiedAnywhere(k),
		UseUniversal: b[pinFlags]&(flagEnabled|flagUseUniversal) == flagUseUniversal}, nil
}

// enabled reports a PIN's enabled flag (for the PS_DO of tag C6).
func (f *FS) enabled(k KeyRef) bool {
	i := f.pinIdx[k]
	return i >= 0 && f.st.Bytes(f.pins[i].ref)[pinFlags]&flagEnabled != 0
}

// try compares value with the PIN (puk=false) or its unblock key, counting
// down first and restoring the counter on success, so that cutting the
// power after the comparison never saves a try. Counters are written
// through (not undone when the command fails).
func (f *FS) try(p pin, value []byte, puk bool) (bool, apdu.StatusWord, error) {
	tries, max, off := pinTries, pinMax, pinValue
	if puk {
		tries, max, off = pinPUKTries, pinPUKMax, pinPUK
	}
	b := f.st.Bytes(p.ref)
	left := b[tries]
	if left == 0 {
		return false, apdu.SWAuthMethodBlocked, nil
	}
	if err := f.st.WriteThrough(p.ref, tries, []byte{left - 1}); err != nil {
		return false, 0, err
	}
	if subtle.ConstantTimeCompare(value, b[off:off+8]) != 1 {
		f.setVerified(p.key, false)
		return false, apdu.SWRetries(int(left - 1)), nil
	}
	if err := f.st.WriteThrough(p.ref, tries, []byte{b[max]}); err != nil {
		return false, 0, err
	}
	return true, 0, nil
}

// pinCommand decodes P1/P2 of VERIFY, CHANGE, DISABLE, ENABLE and UNBLOCK
// PIN (TS 102 221 §11.1.9–§11.1.13): P1=00, P2 a key reference.
func (f *FS) pinCommand(p1, p2 byte) (pin, error) {
	k := KeyRef(p2)
	if p1 != 0 || !k.Valid() {
		return pin{}, apdu.SWIncorrectP1P2
	}
	i := f.pinIdx[k]
	if i < 0 {
		return pin{}, apdu.SWReferencedDataNotFound
	}
	return f.pins[i], nil
}

// verify is VERIFY PIN, TS 102 221 §11.1.9. Without data it reports the
// retry counter (63Cx) or 9000 when no verification is needed; a PIN value
// needs the PIN enabled (else 6984, referenced data invalidated) and not
// blocked (6983).
func (f *FS) verify(cmd *apdu.Command) error {
	p, err := f.pinCommand(cmd.P1, cmd.P2)
	if err != nil {
		return err
	}
	b := f.st.Bytes(p.ref)
	if len(cmd.Data) == 0 {
		switch {
		case b[pinTries] == 0:
			return apdu.SWAuthMethodBlocked
		case f.verifiedNow(p.key) || b[pinFlags]&flagEnabled == 0:
			return nil
		}
		return apdu.SWRetries(int(b[pinTries]))
	}
	if len(cmd.Data) != 8 {
		return apdu.SWWrongLength
	}
	if b[pinTries] != 0 && b[pinFlags]&flagEnabled == 0 {
		return apdu.SWReferencedDataInvalid
	}
	ok, sw, err := f.try(p, cmd.Data, false)
	if err != nil || !ok {
		return firstErr(err, sw)
	}
	f.setVerified(p.key, true)
	return nil
}

// change is CHANGE PIN, TS 102 221 §11.1.10: old ‖ new, 16 bytes.
func (f *FS) change(cmd *apdu.Command) error {
	p, err := f.pinCommand(cmd.P1, cmd.P2)
	if err != nil {
		return err
	}
	if len(cmd.Data) != 16 {
		return apdu.SWWrongLength
	}
	b := f.st.Bytes(p.ref)
	switch {
	case b[pinTries] == 0:
		return apdu.SWAuthMethodBlocked
	case b[pinFlags]&flagEnabled == 0:
		return apdu.SWReferencedDataInvalid
	case !validValue(p.key, cmd.Data[8:]):
		return apdu.SWIncorrectDataField
	}
	ok, sw, err := f.try(p, cmd.Data[:8], false)
	if err != nil || !ok {
		return firstErr(err, sw)
	}
	if err := f.st.Write(p.ref, pinValue, cmd.Data[8:]); err != nil {
		return err
	}
	f.setVerified(p.key, true)
	return nil
}

// enableDisable is DISABLE PIN (§11.1.11, enable=false) and ENABLE PIN
// (§11.1.12): the PIN value, 8 bytes. DISABLE with P1=91 (b8 set: an
// alternative global key reference replaces the PIN; b5..b1 = 11, the
// universal PIN) disables an application PIN (01..08) and makes the
// universal PIN its replacement (§9.4.1, §9.5.1); ENABLE (P1=00) drops the
// replacement. Other P1 values answer 6A86, P1=91 on a card without a
// universal PIN 6A88.
func (f *FS) enableDisable(cmd *apdu.Command, enable bool) error {
	replace := !enable && cmd.P1 == p1ReplaceByUniversal
	p1 := cmd.P1
	if replace {
		p1 = 0
	}
	p, err := f.pinCommand(p1, cmd.P2)
	if err != nil {
		return err
	}
	if !p.key.disablable() || (replace && !p.key.appPIN()) {
		return apdu.SWIncorrectP1P2
	}
	if replace && f.pinIdx[KeyUniversal] < 0 {
		return apdu.SWReferencedDataNotFound
	}
	if len(cmd.Data) != 8 {
		return apdu.SWWrongLength
	}
	b := f.st.Bytes(p.ref)
	if b[pinTries] == 0 {
		return apdu.SWAuthMethodBlocked
	}
	if (b[pinFlags]&flagEnabled != 0) == enable {
		return apdu.SWConditionsNotSatisfied
	}
	ok, sw, err := f.try(p, cmd.Data, false)
	if err != nil || !ok {
		return firstErr(err, sw)
	}
	flags := b[pinFlags] &^ (flagEnabled | flagUseUniversal)
	switch {
	case enable:
		flags |= flagEnabled
	case replace:
		flags |= flagUseUniversal
	}
	if err := f.st.Write(p.ref, pinFlags, []byte{flags}); err != nil {
		return err
	}
	// Replaced, the PIN's conditions need the universal PIN (§11.1.11):
	// its own presentation here grants nothing.
	f.setVerified(p.key, !replace)
	return nil
}

// unblock is UNBLOCK PIN, TS 102 221 §11.1.13: unblock key ‖ new PIN, or
// no data to read the unblock counter. Success sets the new value, resets
// both counters, enables the PIN and satisfies its access condition.
func (f *FS) unblock(cmd *apdu.Command) error {
	p, err := f.pinCommand(cmd.P1, cmd.P2)
	if err != nil {
		return err
	}
	b := f.st.Bytes(p.ref)
	if b[pinFlags]&flagHasPUK == 0 {
		return apdu.SWReferencedDataNotFound
	}
	if len(cmd.Data) == 0 {
		if b[pinPUKTries] == 0 {
			return apdu.SWAuthMethodBlocked
		}
		return apdu.SWRetries(int(b[pinPUKTries]))
	}
	if len(cmd.Data) != 16 {
		return apdu.SWWrongLength
	}
	if b[pinPUKTries] == 0 {
		return apdu.SWAuthMethodBlocked
	}
	if !validValue(p.key, cmd.Data[8:]) {
		return apdu.SWIncorrectDataField
	}
	ok, sw, err := f.try(p, cmd.Data[:8], true)
	if err != nil || !ok {
		return firstErr(err, sw)
	}
	if err := f.st.Write(p.ref, pinValue, cmd.Data[8:]); err != nil {
		return err
	}
	if b[pinFlags]&flagEnabled == 0 {
		if err := f.st.Write(p.ref, pinFlags, []byte{b[pinFlags] | flagEnabled}); err != nil {
			return err
		}
	}
	if err := f.st.WriteThrough(p.ref, pinTries, []byte{b[pinMax]}); err != nil {
		return err
	}
	f.setVerified(p.key, true)
	return nil
}

func firstErr(err error, sw apdu.StatusWord) error {
	if err != nil {
		return err
	}
	return sw
}

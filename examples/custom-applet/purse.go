package main

import (
	"crypto/subtle"
	"encoding/binary"
	"fmt"

	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/usim/jc"
	"github.com/uiccsim/uiccsim/usim/store"
)

// PurseAID is the purse's application identifier: RID F0 75 69 63 63
// (category F, proprietary and unregistered, ISO/IEC 7816-5 §5.2) and PIX
// "simPURSE".
var PurseAID = jc.MustAID("F075696363" + "73696D5055525345")

// Instructions of the purse. VERIFY is the interindustry command of
// ISO/IEC 7816-4 §7.5.6 (class 00); the others are proprietary (class 80,
// ETSI TS 102 221 §10.1.1) and answer the new balance when the command
// has Le (case 4) — on T=0 through 61 04 and GET RESPONSE.
const (
	// InsVerify is VERIFY: 00 20 00 01 08 PIN (PIN FF-padded to 8 bytes).
	// Empty data asks for the retry counter (63Cx), as in ETSI TS 102 221
	// §11.1.9.
	InsVerify = 0x20
	// InsGetBalance is GET BALANCE: 80 50 00 00 04, answers 4 bytes.
	InsGetBalance = 0x50
	// InsCredit is CREDIT: 80 52 00 00 04 amount [Le].
	InsCredit = 0x52
	// InsDebit is DEBIT: 80 54 00 00 04 amount [Le]; needs VERIFY first
	// on the same logical channel.
	InsDebit = 0x54
)

// PINRef is the key reference of the purse PIN (P2 of VERIFY): a local
// PIN, ISO/IEC 7816-4 §7.5.1 (b8 = 1: specific reference data).
const PINRef = 0x81

// Limits.
const (
	MaxBalance = 1_000_000 // units; CREDIT beyond it answers 6A80
	PINTries   = 3         // consecutive wrong PINs before 6983
)

// Status words the purse answers, ISO/IEC 7816-4 §5.6 (the ISOException
// idiom: Process returns them as its error).
const (
	SWBadAmount     = apdu.SWIncorrectDataField     // 6A80: amount 0, or beyond MaxBalance
	SWNotVerified   = apdu.SWSecurityNotSatisfied   // 6982: DEBIT before VERIFY
	SWInsufficient  = apdu.SWConditionsNotSatisfied // 6985: DEBIT beyond the balance
	SWBlocked       = apdu.SWAuthMethodBlocked      // 6983: PIN blocked
	SWWrongLength   = apdu.SWWrongLength            // 6700
	SWWrongP1P2     = apdu.SWIncorrectP1P2          // 6A86
	SWUnknownINS    = apdu.SWINSNotSupported        // 6D00
	SWClassMismatch = apdu.SWCLANotSupported        // 6E00
)

// Store cells of the purse. The balance and the PIN are written inside the
// command's transaction (all or nothing); the try counter is written
// through, decremented before the PIN is compared so that cutting power
// cannot save a guess (Java Card OwnerPIN, JCRE §7.2).
const (
	cellBalance = "purse.balance"
	cellPIN     = "purse.pin"
	CellTries   = "purse.tries"
)

// Purse is a small stored-value applet: a balance kept in the card's
// store, CREDIT for anyone, DEBIT after VERIFY.
type Purse struct {
	balance, pin, tries store.Ref
	verified            [jc.MaxChannels]bool // volatile, per logical channel
}

// NewPurse finds the purse's cells in st or, on a blank card, allocates
// them with the given PIN (1..8 bytes, FF-padded) and opening balance.
func NewPurse(st *store.Store, pin []byte, balance uint32) (*Purse, error) {
	p := &Purse{}
	var ok [3]bool
	p.balance, ok[0] = st.Lookup(cellBalance)
	p.pin, ok[1] = st.Lookup(cellPIN)
	p.tries, ok[2] = st.Lookup(CellTries)
	if ok == [3]bool{true, true, true} {
		return p, nil
	}
	if len(pin) == 0 || len(pin) > 8 || balance > MaxBalance {
		return nil, fmt.Errorf("purse: PIN of %d bytes (1..8) or balance %d beyond %d", len(pin), balance, MaxBalance)
	}
	var err error
	if p.balance, err = st.Alloc(cellBalance, 4); err != nil {
		return nil, err
	}
	if p.pin, err = st.Alloc(cellPIN, 8); err != nil {
		return nil, err
	}
	if p.tries, err = st.Alloc(CellTries, 1); err != nil {
		return nil, err
	}
	padded := [8]byte{0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}
	copy(padded[:], pin)
	if err := st.Write(p.pin, 0, padded[:]); err != nil {
		return nil, err
	}
	if err := st.Write(p.tries, 0, []byte{PINTries}); err != nil {
		return nil, err
	}
	return p, st.Write(p.balance, 0, binary.BigEndian.AppendUint32(nil, balance))
}

// Select makes the purse current on a channel; the PIN must be presented
// again there.
func (p *Purse) Select(ctx *jc.Context, cmd *apdu.Command) error {
	p.verified[ctx.Channel()] = false
	return nil
}

// Deselect forgets the channel's PIN verification.
func (p *Purse) Deselect(ctx *jc.Context) { p.verified[ctx.Channel()] = false }

// Process handles VERIFY, GET BALANCE, CREDIT and DEBIT.
func (p *Purse) Process(ctx *jc.Context, cmd *apdu.Command) error {
	if cmd.INS == InsVerify {
		if cmd.Class().Kind() != apdu.ClassInterindustry {
			return SWClassMismatch
		}
		return p.verify(ctx, cmd)
	}
	if cmd.Class().Kind() != apdu.ClassProprietary {
		return SWUnknownINS
	}
	if cmd.P1 != 0 || cmd.P2 != 0 {
		return SWWrongP1P2
	}
	st := ctx.Store()
	balance := binary.BigEndian.Uint32(st.Bytes(p.balance))
	switch cmd.INS {
	case InsGetBalance:
		if len(cmd.Data) != 0 || cmd.Ne == 0 {
			return SWWrongLength
		}
		ctx.Out = binary.BigEndian.AppendUint32(ctx.Out, balance)
		return nil
	case InsCredit, InsDebit:
		if len(cmd.Data) != 4 {
			return SWWrongLength
		}
		amount := binary.BigEndian.Uint32(cmd.Data)
		if amount == 0 || amount > MaxBalance {
			return SWBadAmount
		}
		if cmd.INS == InsCredit {
			if balance+amount > MaxBalance {
				return SWBadAmount
			}
			balance += amount
		} else {
			if !p.verified[ctx.Channel()] {
				return SWNotVerified
			}
			if amount > balance {
				return SWInsufficient
			}
			balance -= amount
		}
		var b [4]byte
		binary.BigEndian.PutUint32(b[:], balance)
		if err := st.Write(p.balance, 0, b[:]); err != nil {
			return err
		}
		if cmd.Ne > 0 {
			ctx.Out = append(ctx.Out, b[:]...)
		}
		return nil
	}
	return SWUnknownINS
}

// verify is VERIFY, ISO/IEC 7816-4 §7.5.6 with the retry-counter query of
// ETSI TS 102 221 §11.1.9: the counter goes down before the comparison
// (constant-time), back to PINTries on success; 63Cx tells the tries left,
// 6983 a blocked PIN.
func (p *Purse) verify(ctx *jc.Context, cmd *apdu.Command) error {
	if cmd.P1 != 0 || cmd.P2 != PINRef {
		return SWWrongP1P2
	}
	if cmd.Ne != 0 || (len(cmd.Data) != 0 && len(cmd.Data) != 8) {
		return SWWrongLength
	}
	st := ctx.Store()
	left := st.Bytes(p.tries)[0]
	if len(cmd.Data) == 0 {
		if p.verified[ctx.Channel()] {
			return nil
		}
		return apdu.SWRetries(int(left))
	}
	if left == 0 {
		return SWBlocked
	}
	if err := st.WriteThrough(p.tries, 0, []byte{left - 1}); err != nil {
		return err
	}
	if subtle.ConstantTimeCompare(st.Bytes(p.pin), cmd.Data) != 1 {
		p.verified[ctx.Channel()] = false
		return apdu.SWRetries(int(left - 1))
	}
	if err := st.WriteThrough(p.tries, 0, []byte{PINTries}); err != nil {
		return err
	}
	p.verified[ctx.Channel()] = true
	return nil
}

package apdufuzz

import (
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/uiccsim/uiccsim/apdu"
)

// Invariant names a rule every exchange must keep.
type Invariant uint8

// The invariants checked after every exchange (see the package comment for
// their clauses).
const (
	// NoPanic: the target never panics.
	NoPanic Invariant = iota + 1
	// ExchangeOK: Transmit and Reset return no error, unless power was cut.
	ExchangeOK
	// ValidSW: SW1 is 61–6F or 90–9F (ISO/IEC 7816-4 §5.6; 60 is the T=0
	// NULL procedure byte, never a status).
	ValidSW
	// DataWithSW: response data comes only with SW1 61, 62, 63 or 90–9F
	// (ETSI TS 102 221 §10.2, ISO/IEC 7816-4 §5.6).
	DataWithSW
	// WithinNe: response data never exceeds the command's Ne, and a command
	// without Le gets none (ISO/IEC 7816-4 §5.1, §5.3.2).
	WithinNe
	// GetResponseKept: after 61xx, GET RESPONSE with Le=xx returns xx bytes
	// (ISO/IEC 7816-3 §12.2 cases 2S and 4S, ISO/IEC 7816-4 §7.6.1).
	GetResponseKept
	// WrongLeKept: after 6Cxx, the command resent with Le=xx returns xx
	// bytes (ISO/IEC 7816-3 §12.2.3, case 2S.3).
	WrongLeKept
	// RejectedUnchanged: a command answered SW1 64 or 66–6F changes no
	// persistent state (ISO/IEC 7816-4 §5.6 Table 5); 6Cxx included, since
	// a T=0 terminal then resends the command (ISO/IEC 7816-3 §12.2.3).
	RejectedUnchanged
	// MalformedRejected: an APDU that fits none of the seven cases of
	// ISO/IEC 7816-3 §12.1.3 is answered with an error and changes nothing.
	MalformedRejected
	// ResetUnchanged: a reset changes no persistent state.
	ResetUnchanged
	// PowerLossRecovered: after a power loss in a command and a restart the
	// card answers again and holds the state before that command (JCRE §7
	// atomicity; the store's journal recovery).
	PowerLossRecovered
	// PINCounters: PIN/PUK retry counters move only as ETSI TS 102 221
	// §11.1.9–§11.1.13 say.
	PINCounters
)

var invariantNames = [...]string{
	NoPanic:            "no panic",
	ExchangeOK:         "exchange succeeds",
	ValidSW:            "valid status word",
	DataWithSW:         "response data only with SW1 61/62/63/9X",
	WithinNe:           "response not longer than Ne",
	GetResponseKept:    "61xx kept by GET RESPONSE",
	WrongLeKept:        "6Cxx kept by the resent command",
	RejectedUnchanged:  "rejected command changes nothing",
	MalformedRejected:  "malformed APDU rejected",
	ResetUnchanged:     "reset changes nothing",
	PowerLossRecovered: "power loss recovered",
	PINCounters:        "PIN counters move as specified",
}

// String names the invariant.
func (v Invariant) String() string {
	if int(v) < len(invariantNames) && v != 0 {
		return invariantNames[v]
	}
	return fmt.Sprintf("invariant(%d)", uint8(v))
}

// Violation is a broken invariant: which one, at which step of the session,
// what was wrong, and the session's transcript up to and including it.
type Violation struct {
	Invariant  Invariant
	Step       int    // 1-based index of the exchange in the transcript
	Detail     string // what was wrong
	Transcript string // every exchange so far, one per line, in hex
}

// Error reports the invariant, the step and the transcript.
func (v *Violation) Error() string {
	return fmt.Sprintf("apdufuzz: %s broken at step %d: %s\ntranscript (> command, < response):\n%s",
		v.Invariant, v.Step, v.Detail, v.Transcript)
}

// Transcript record kinds.
const (
	recCommand byte = iota + 1
	recReset
	recPowerLoss // the next command runs with a loss armed after N writes
	recNote
)

// transcript is the session log, kept as raw bytes so that recording costs
// no allocation: kind(1) ‖ len(4) ‖ a ‖ len(4) ‖ b per entry.
type transcript struct {
	b []byte
	n int
}

func (t *transcript) reset() { t.b, t.n = t.b[:0], 0 }

func (t *transcript) add(kind byte, a, b []byte) int {
	t.b = append32(append(t.b, kind), len(a))
	t.b = append(t.b, a...)
	t.b = append32(t.b, len(b))
	t.b = append(t.b, b...)
	t.n++
	return t.n
}

// setLast replaces the response of the last entry (entries are written
// before the exchange so that a panic still shows the command).
func (t *transcript) setLast(start int, b []byte) {
	t.b = append32(t.b[:start], len(b))
	t.b = append(t.b, b...)
}

// String renders one line per entry.
func (t *transcript) String() string {
	var sb strings.Builder
	b := t.b
	for i := 1; len(b) >= 9; i++ {
		kind := b[0]
		na := be32(b[1:])
		a := b[5 : 5+na]
		b = b[5+na:]
		nb := be32(b)
		r := b[4 : 4+nb]
		b = b[4+nb:]
		switch kind {
		case recCommand:
			fmt.Fprintf(&sb, "%4d > %s", i, hexOrEmpty(a))
			if c, err := apdu.ParseCommand(a); err == nil {
				fmt.Fprintf(&sb, "  (%s, channel %d)", c.Case(), c.Class().Channel())
			} else {
				sb.WriteString("  (malformed)")
			}
			fmt.Fprintf(&sb, "\n       < %s", hexOrEmpty(r))
			if len(r) >= 2 {
				fmt.Fprintf(&sb, "  (%s)", (apdu.StatusWord(r[len(r)-2])<<8 | apdu.StatusWord(r[len(r)-1])).Meaning())
			}
			sb.WriteByte('\n')
		case recReset:
			fmt.Fprintf(&sb, "%4d   reset %s, ATR %s\n", i, a, hexOrEmpty(r))
		case recPowerLoss:
			fmt.Fprintf(&sb, "%4d   power loss armed after %s more persistent writes\n", i, a)
		case recNote:
			fmt.Fprintf(&sb, "%4d   %s\n", i, a)
		}
	}
	return sb.String()
}

func hexOrEmpty(b []byte) string {
	if len(b) == 0 {
		return "(nothing)"
	}
	return strings.ToUpper(hex.EncodeToString(b))
}

func append32(b []byte, n int) []byte {
	return append(b, byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
}

func be32(b []byte) int {
	return int(b[0])<<24 | int(b[1])<<16 | int(b[2])<<8 | int(b[3])
}

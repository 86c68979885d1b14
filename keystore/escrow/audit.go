package escrow

import (
	"encoding/binary"
	"fmt"
	"iter"
	"strconv"
	"time"

	"github.com/uiccsim/uiccsim/keystore/sealed"
	"golang.org/x/crypto/cryptobyte"
)

// Event is what an audit entry records.
type Event uint8

// Audited events.
const (
	EventRegister    Event = iota + 1 // an operator registered its public key
	EventPersonalise                  // a card was personalised and pair 0 released to the initial operator (TR 33.812 §5.3.2.2 step 2)
	EventRelease                      // a pair was released to its recorded owner (step 7)
	EventSwitch                       // the current owner reported a switch to a new owner and index (step 6)
)

var eventNames = [...]string{
	EventRegister:    "register",
	EventPersonalise: "personalise",
	EventRelease:     "release",
	EventSwitch:      "switch",
}

// String names the event.
func (e Event) String() string {
	if e < EventRegister || e > EventSwitch {
		return "Event(" + strconv.Itoa(int(e)) + ")"
	}
	return eventNames[e]
}

// AuditEntry is one entry of the escrow's append-only audit log. Entries
// never hold key material.
type AuditEntry struct {
	Seq      uint64 // position in the log, from 1
	Time     time.Time
	Event    Event
	Refused  bool       // the request was refused; Reason says why
	ICCID    ICCID      // empty for EventRegister
	Index    int        // pair index, -1 if none
	Operator OperatorID // the requesting operator (for a switch: the reporting owner)
	To       OperatorID // for a switch: the new owner
	Reason   string
}

// String renders the entry on one line.
func (a AuditEntry) String() string {
	s := "#" + strconv.FormatUint(a.Seq, 10) + " " + a.Time.UTC().Format(time.RFC3339Nano) + " " + a.Event.String()
	if a.Refused {
		s += " REFUSED"
	}
	if a.ICCID != "" {
		s += " iccid=" + string(a.ICCID)
	}
	if a.Index >= 0 {
		s += " index=" + strconv.Itoa(a.Index)
	}
	s += " operator=" + string(a.Operator)
	if a.To != "" {
		s += " to=" + string(a.To)
	}
	if a.Reason != "" {
		s += ": " + a.Reason
	}
	return s
}

const (
	auditLog     = "audit"
	noIndex      = 0xffff
	maxReasonLen = 1024
	flagRefused  = 0x01
)

// appendAudit encodes an audit entry (sealed under kindAudit; the sequence
// number is the log's key, not part of the value):
//
//	version(1)=1 event(1) flags(1) unixnano(8) len(1) ICCID index(2, FFFF=none)
//	len(1) operator len(1) to len(2) reason
func appendAudit(dst []byte, a *AuditEntry) []byte {
	var flags byte
	if a.Refused {
		flags |= flagRefused
	}
	dst = append(dst, recordVersion, byte(a.Event), flags)
	dst = binary.BigEndian.AppendUint64(dst, uint64(a.Time.UnixNano()))
	dst = append(dst, byte(len(a.ICCID)))
	dst = append(dst, a.ICCID...)
	idx := uint16(noIndex)
	if a.Index >= 0 {
		idx = uint16(a.Index)
	}
	dst = binary.BigEndian.AppendUint16(dst, idx)
	dst = append(dst, byte(len(a.Operator)))
	dst = append(dst, a.Operator...)
	dst = append(dst, byte(len(a.To)))
	dst = append(dst, a.To...)
	r := a.Reason
	if len(r) > maxReasonLen {
		r = r[:maxReasonLen]
	}
	dst = binary.BigEndian.AppendUint16(dst, uint16(len(r)))
	return append(dst, r...)
}

// parseAudit decodes an audit entry.
func parseAudit(seq uint64, b []byte) (AuditEntry, error) {
	s := cryptobyte.String(b)
	a := AuditEntry{Seq: seq}
	var v, ev, flags uint8
	var nanos uint64
	var iccid, op, to, reason cryptobyte.String
	var idx uint16
	if !s.ReadUint8(&v) || !s.ReadUint8(&ev) || !s.ReadUint8(&flags) || !s.ReadUint64(&nanos) ||
		!s.ReadUint8LengthPrefixed(&iccid) || !s.ReadUint16(&idx) || !s.ReadUint8LengthPrefixed(&op) ||
		!s.ReadUint8LengthPrefixed(&to) || !s.ReadUint16LengthPrefixed(&reason) || !s.Empty() {
		return AuditEntry{}, fmt.Errorf("%w: audit entry %d truncated or too long (%d bytes)", ErrMalformed, seq, len(b))
	}
	a.Event = Event(ev)
	switch {
	case v != recordVersion:
		return AuditEntry{}, fmt.Errorf("%w: audit entry %d version %d", ErrMalformed, seq, v)
	case a.Event < EventRegister || a.Event > EventSwitch:
		return AuditEntry{}, fmt.Errorf("%w: audit entry %d: unknown event %d", ErrMalformed, seq, ev)
	case flags&^flagRefused != 0:
		return AuditEntry{}, fmt.Errorf("%w: audit entry %d: unknown flags %#02x", ErrMalformed, seq, flags)
	case len(reason) > maxReasonLen:
		return AuditEntry{}, fmt.Errorf("%w: audit entry %d: reason of %d bytes", ErrMalformed, seq, len(reason))
	}
	a.Refused = flags&flagRefused != 0
	a.Time = time.Unix(0, int64(nanos))
	a.ICCID, a.Operator, a.To, a.Reason = ICCID(iccid), OperatorID(op), OperatorID(to), string(reason)
	a.Index = int(idx)
	if idx == noIndex {
		a.Index = -1
	}
	return a, nil
}

// auditPage is how many entries Audit reads per read transaction.
const auditPage = 256

// Audit iterates over the audit log from sequence number from (1 is the
// first entry). It reads pages of entries in short read transactions and
// holds none while the loop body runs, so the body may call the escrow. A
// tampered log (an entry removed, reordered or rewritten) yields an error
// wrapping sealed.ErrCorrupt and ends the iteration.
func (e *Escrow) Audit(from uint64) iter.Seq2[AuditEntry, error] {
	return func(yield func(AuditEntry, error) bool) {
		if from == 0 {
			from = 1
		}
		for {
			page := make([]AuditEntry, 0, auditPage)
			err := e.st.View(func(tx *sealed.Tx) error {
				return tx.ReadLog(auditLog, kindAudit, from, func(seq uint64, pt []byte) error {
					a, err := parseAudit(seq, pt)
					if err != nil {
						return err
					}
					page = append(page, a)
					if len(page) == auditPage {
						return sealed.Stop
					}
					return nil
				})
			})
			for _, a := range page {
				if !yield(a, nil) {
					return
				}
			}
			if err != nil {
				yield(AuditEntry{}, fmt.Errorf("escrow: reading the audit log from entry %d: %w", from, err))
				return
			}
			if len(page) < auditPage {
				return
			}
			from = page[len(page)-1].Seq + 1
		}
	}
}

// appendAuditTx writes one audit entry in tx, encoding it in s (which may
// be nil).
func appendAuditTx(tx *sealed.Tx, a *AuditEntry, s *scratch) error {
	a.Time = time.Now()
	if s == nil {
		s = new(scratch)
	}
	s.enc = appendAudit(s.enc[:0], a)
	_, err := tx.Append(auditLog, kindAudit, s.enc)
	return err
}

// AuditAnchor returns the anchor of the audit log's last entry. An operator
// or auditor that keeps it (e.g. with each release it receives) can later
// have the escrow prove, with CheckAuditAnchor, that the log was neither
// truncated nor rolled back past that point: the check on the trust the
// operators must place in the escrow (TR 33.812 §7.4.2 items 1 and 7).
func (e *Escrow) AuditAnchor() (sealed.Anchor, error) {
	var a sealed.Anchor
	err := e.st.View(func(tx *sealed.Tx) error {
		var err error
		a, err = tx.Head(auditLog)
		return err
	})
	return a, err
}

// CheckAuditAnchor checks that the audit log still holds the anchored
// entry unchanged and an intact chain from it to the last entry; it wraps
// sealed.ErrCorrupt if not.
func (e *Escrow) CheckAuditAnchor(a sealed.Anchor) error {
	return e.st.View(func(tx *sealed.Tx) error {
		if err := tx.CheckAnchor(auditLog, a); err != nil {
			return fmt.Errorf("escrow: audit anchor at entry %d: %w", a.Seq, err)
		}
		return nil
	})
}

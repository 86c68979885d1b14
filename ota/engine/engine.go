// Package engine is the card side of OTA over SMS-PP: it takes the data of
// an SMS-PP download ENVELOPE (3GPP TS 31.111 §7.1.1), reassembles
// concatenated messages (TS 23.040 §9.2.3.24.1), opens the secured command
// packet (ETSI TS 102 225 §5.1.1, TS 31.115 §4.2) with the key set its KIc
// and KID name, checks the target application's minimum security level and
// the replay counter, hands the secured data to the application the TAR
// names (an RFM command script, TS 102 226 §5) and answers the Proof of
// Receipt the SPI asks for: in the ENVELOPE response (SMS-DELIVER-REPORT)
// or as a proactive SEND SHORT MESSAGE (TS 102 223 §6.6.9). An RFM
// application can follow its PoR with a proactive REFRESH (TS 102 223
// §6.4.7) naming the files the script changed (RefreshingRFM).
//
// The engine does not depend on a card runtime: keys, counters, targets and
// the proactive queue are interfaces that the emulated card implements on
// its persistent store.
package engine

import (
	"github.com/uiccsim/uiccsim/ota/rfm"
	"github.com/uiccsim/uiccsim/ota/scp80"
	"github.com/uiccsim/uiccsim/ota/sms"
)

// KeyStore gives the expanded keys of a key version number (KVN 1..15,
// the high nibble of KIc and KID, TS 102 225 §5.1.2/§5.1.3): Enc is the
// ciphering key (KIc), MAC the CC key (KID).
type KeyStore interface {
	KeySet(kvn int) (scp80.Keys, bool)
}

// KeyTable is a KeyStore held in memory.
type KeyTable map[int]scp80.Keys

// KeySet implements KeyStore.
func (t KeyTable) KeySet(kvn int) (scp80.Keys, bool) { k, ok := t[kvn]; return k, ok }

// CounterStore keeps the replay counter of each key set (TS 102 225
// §5.1.1: the counter belongs to the key set). SetCounter must be atomic
// and durable before it returns: the engine stores a command's counter
// before running the command, so a power loss can never reopen a replay
// window.
type CounterStore interface {
	Counter(kvn int) scp80.Counter
	SetCounter(kvn int, c scp80.Counter) error
}

// MemCounters is a CounterStore held in memory (not durable).
type MemCounters map[int]scp80.Counter

// Counter implements CounterStore.
func (m MemCounters) Counter(kvn int) scp80.Counter { return m[kvn] }

// SetCounter implements CounterStore.
func (m MemCounters) SetCounter(kvn int, c scp80.Counter) error { m[kvn] = c; return nil }

// Application receives the secured data of a command packet addressed to
// its TAR and appends the additional response data of the PoR to dst.
type Application interface {
	Run(dst, data []byte) []byte
}

// RFM is a remote file management application, TS 102 226 §5: it runs
// the command script (expanded when it starts with tag AA or AE, compact
// otherwise) against Exec, the file system's APDU processor with the access
// rights the RFM application holds.
type RFM struct {
	Exec rfm.Executor
}

// Run implements Application.
func (r RFM) Run(dst, data []byte) []byte {
	if len(data) > 0 && (data[0] == rfm.TagCommandScript || data[0] == rfm.TagCommandScriptIndefinite) {
		dst, _ = rfm.RunExpanded(dst, data, r.Exec)
		return dst
	}
	dst, _ = rfm.RunCompact(dst, data, r.Exec)
	return dst
}

// Target is an application reachable by OTA with its minimum security
// level (TS 102 226 §8.2.1.3.2.4).
type Target struct {
	App Application
	MSL scp80.MSL
	// KeySets lists the key version numbers the application accepts
	// (TS 102 226 §8.2.1.3.2.1 ties TARs to key sets); empty accepts any.
	KeySets []int
}

// accepts reports whether key version kvn may address t.
func (t Target) accepts(kvn int) bool {
	if len(t.KeySets) == 0 {
		return true
	}
	for _, k := range t.KeySets {
		if k == kvn {
			return true
		}
	}
	return false
}

// Proactive queues a proactive command (BER-TLV D0) for FETCH; the card
// runtime answers 91xx.
type Proactive interface {
	Enqueue(cmd []byte) error
}

// Engine is the OTA receiving entity of one card.
type Engine struct {
	Keys      KeyStore
	Counters  CounterStore
	Targets   map[scp80.TAR]Target
	Proactive Proactive // needed for a PoR by SMS-SUBMIT; without it the PoR goes in the ENVELOPE response

	reasm sms.Reassembler
	ref   uint8  // concatenation reference of the last PoR sent in parts
	pkt   []byte // scratch: the command packet, deciphered in place
	out   []byte // scratch: the application's response data
}

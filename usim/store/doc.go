// Package store holds all persistent state of an emulated card (the card's
// EEPROM/flash) behind one transactional store, in the manner of the Java
// Card runtime's transaction facility (Java Card 3 Runtime Environment
// Specification §7 "Atomicity and Transactions").
//
// State lives in cells: fixed-size byte blocks allocated by name (Alloc) and
// addressed by a Ref. Reads (Bytes) return a read-only view of the cell and
// never allocate. Writes (Write) inside a transaction first record the old
// bytes in an undo journal that is itself part of persistent memory, so the
// outer transaction either commits all of its writes or none of them:
//
//	Begin → Write… → Commit   (all writes durable)
//	Begin → Write… → Abort    (every write undone from the journal)
//
// Every individual persistent write (journal record, journal count, cell
// data, commit record) is counted, and FailAfter(n) injects a power loss
// after the n-th of them: the write n+1 does not happen, the store is dead
// (ErrPowerLost) until Restart, and Restart recovers by rolling back the
// incomplete transaction from the journal. The journal protocol is:
//
//  1. write the undo record (old bytes) after the valid records
//  2. increment the persistent record count — the record's commit point
//  3. write the new bytes into the cell
//  4. at the outermost Commit, set the record count to 0 — the commit record
//
// A cut between any two of these leaves either a journal whose valid records
// restore the old state exactly (undo is idempotent, so a cut during
// recovery is safe too) or an empty journal and the new state. A single
// persistent write is atomic, as Java Card guarantees for a single field
// update (JCRE §7.2).
//
// # Journal residue
//
// An undo record holds the bytes a write replaced, which may be a secret
// (the key list a key-pair SWITCH overwrites). The journal bytes of a
// transaction are therefore erased when they die: at the outermost Commit
// right after the commit record, when Abort or recovery undoes them, and
// at Restart for the unused part of the journal. The erase is not counted
// as a persistent write and FailAfter cannot cut it: with the record count
// at 0 no recovery reads those bytes, so a cut during the erase could not
// change the state a card recovers to, and modelling it as part of the
// commit record write keeps the cut points exactly the four steps above.
// A card whose power fails between the commit record and the erase on real
// hardware would erase the residue at its next Restart (unused journal
// cleared there). AppendMemory shows every byte the store holds, journal
// included, for tests that check no old key is left.
//
// Nested Begin/Commit/Abort (up to MaxDepth levels) act as savepoints: an
// applet's explicit Abort rolls back to its Begin while the command's
// enclosing transaction still commits or aborts as a whole. WriteThrough is
// the non-transactional write Java Card uses for PIN try counters
// (OwnerPIN): it is durable at once and not undone by Abort.
//
// The whole store serializes to an image (AppendImage / ParseImage,
// SaveFile / LoadFile with an atomic temp-file + fsync + rename), so a card
// outlives its process.
package store

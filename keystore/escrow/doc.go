// Package escrow is the UICC manufacturer's key escrow of 3GPP TR 33.812
// §5.3.2 (alternative 3b): it personalises batches of cards with indexed
// lists of K/OTA key pairs (§5.3.2.2 step 2), reveals pair 0 to the initial
// operator, keeps the rest secret, records operator changes reported by the
// current owner (step 6) and releases pair i only to the operator recorded
// as the card's owner for index i (step 7).
//
// It addresses the weaknesses TR 33.812 §7.4.2 lists for the escrow role:
//
//   - "Exposure of subscriber authentication keys" (item 1): every key is
//     sealed at rest (package keystore/sealed, XChaCha20-Poly1305 under a
//     master key, additional data binding ICCID, index and record kind);
//     pairs a card has moved past are destroyed at the switch, so the escrow
//     holds only the keys still usable; a release is sealed to the recipient
//     operator's X25519 key (NaCl anonymous sealed box), never in clear.
//   - The trust every operator must place in the escrow (items 1 and 7):
//     every release, switch and refusal lands in an append-only,
//     hash-chained audit log in the same file.
//   - Operators "not willing to trust the central authority" (item 5) keep
//     their own keys: only the owner recorded for an index can obtain it.
//
// One bbolt file holds everything; each operation is one transaction, so a
// crash leaves the escrow wholly before or wholly after it.
//
// The API follows the steps: Personalise (step 2, returning pair 0 of
// every card as one BatchRelease for the initial operator), ReportSwitch
// (step 6, by the current owner once the card's PoR confirmed the switch),
// Release and ReleaseBatch (step 7; the batch form seals a whole fleet's
// pairs in one box so the X25519/Ed25519 cost is paid once per batch),
// OpenRelease and OpenBatchRelease (the operator's side), Audit and Verify.
// Exhaustion (step 9) is ErrExhausted, the same sentinel as the card's
// keystore.List.
package escrow

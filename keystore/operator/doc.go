// Package operator is a small mobile network operator (an MNO of 3GPP TR
// 33.812 §5.3) as far as remote operator change needs one: an identity with
// an X25519 key pair registered with the UICC manufacturer's escrow
// (package keystore/escrow, TR 33.812 §5.3.2.2 steps 2 and 7), subscriber
// records (ICCID → IMSI, active K/OTA key pair index, K and OPc, OTA key set
// and counter, the HE/AuC's SQN state) kept in a sealed store (package
// keystore/sealed, so the records file read raw holds no key), the AuC
// (Milenage vectors of TS 33.102 §6.3.2, resynchronisation on AUTS of
// §6.3.5), an attach routine that authenticates a device (3G AUTHENTICATE,
// TS 31.102 §7.1.2) and the OTA server of package ota/server for every
// subscriber (ETSI TS 102 225, TS 31.115).
//
// Records are held in memory and written back by Sync in one bbolt
// transaction, so a fleet campaign pays one commit (and one fsync) per
// batch, not per device. A crash between two Syncs loses at most the
// counters advanced since the last one; Open skips every AuC sequence number
// and OTA counter ahead by Reserve so that nothing sent before the crash is
// ever sent again (TS 33.102 Annex C.3.2 leaves room for such jumps: the USIM
// accepts SEQ steps up to Δ; ETSI TS 102 225 §5.1.1 counter mode "higher"
// accepts any higher counter).
//
// The procedures that move subscribers between operators (TR 33.812
// alternatives 3a and 3b) live in package keystore/procedure.
package operator

// Package procedure runs the remote subscription changes of 3GPP TR 33.812
// between two operators (package keystore/operator) as library functions a
// back office can call over a fleet of M2M devices:
//
//   - Alternative 3a (§5.3.1.2, IMSI change and key transfer): MNO B
//     delivers IMSIs (step 3); MNO A rewrites EF_IMSI of each card over
//     OTA remote file management (ETSI TS 102 226 §5, TAR B00010) and the
//     card resets by REFRESH (step 4); A delivers K and the OTA keys of the
//     cards whose PoR confirmed, sealed to B's X25519 key (step 5, never in
//     clear); B optionally replaces the keys over OTA with REPLACE KEYS of
//     the key-management application (step 6).
//   - Alternative 3b (§5.3.2.2, pre-configured K/OTA key list): B delivers
//     IMSIs (step 4); A sends SWITCH (new IMSI, next index) to the card's
//     key-management application (step 5); only once the card's PoR
//     confirms does A report the switch to the escrow and hand the device
//     to B (step 6); B obtains pair i from the escrow by ICCID and index,
//     batched for a fleet (step 7); the move repeats to C and on until the
//     card reports its list exhausted (step 9, SW 6A84, never wrapped).
//
// A Campaign holds one move of a fleet from one operator to another and
// may be run several times: the devices that did not confirm (offline, no
// PoR) stay with the old operator — who still holds their keys, so they are
// never stranded (TR 33.812 §7.4.2 item 3) — and are retried by the next Run.
//
// A lost PoR strands no device either. A SWITCH that went out without a PoR
// coming back is, on the retry, first checked against the IMSI the device
// presents after polling the card (STATUS, which lets the terminal carry out
// the pending REFRESH): EF_IMSI changes only in the SWITCH's transaction,
// together with the active pair, so the new IMSI proves the switch and the
// old operator reports it instead of sending SWITCH under keys the card no
// longer holds. A REPLACE KEYS without a PoR is checked by a state query
// under the keys it carried: a verified PoR proves the card took them, a
// refusal that it did not.
//
// Power loss on the card during a SWITCH leaves it wholly on the old or the
// new subscription: usim's TestTearingSwitch cuts power at every store
// write; TestPowerLossDuringSwitchIsAllOrNothing here checks the outcome as
// the operators see it.
package procedure

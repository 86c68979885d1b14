// Package cardapp is the key-management application of the emulated UICC
// for 3GPP TR 33.812 §5.3.1 (alternative 3a) and §5.3.2 (alternative 3b):
// a Java Card–style applet reachable ONLY over OTA, through its own TAR,
// with a minimum security level of cryptographic checksum + ciphering +
// counter higher (MSL 16, TS 102 226 §8.2.1.3.2.4). It switches the card
// to the next K/OTA key pair of its pre-configured list (SWITCH, 3b step
// 5) and installs new keys for the active pair (REPLACE KEYS, 3a step 6).
//
// # TAR
//
// The application's TAR is BF FF 33 (TAR). It is a value uiccsim chose, not
// one ETSI TS 101 220 allocates; it lies outside the RFM (B0 00 00 …) and
// card-manager (00 00 00) values so that neither RFM nor RAM can reach it.
//
// # Command format
//
// The secured data of a command packet to the TAR is a compact script
// (ETSI TS 102 226 §5.1.1: C-APDUs back to back), answered like one
// (§5.1.2: number of executed commands, last status word, last response
// data), stopping at the first command that fails. Commands use CLA 80:
//
//	SWITCH        80 E2 00 00 Lc  80 01 index  81 09 EF_IMSI
//	REPLACE KEYS  80 E4 P1 00 Lc  82 10 K  83 10 OPc  { A0 L  84 01 KVN
//	                              85 L alg‖KIc  86 L alg‖KID }*
//	GET STATE     80 CA 00 00 [Le]  → 80 01 active  87 01 remaining  88 01 count
//
// SWITCH makes pair index the active pair, writes the 9-byte EF_IMSI
// content (3GPP TS 31.102 §4.2.2), wipes every pair before index, clears
// the SQN array (TS 33.102 Annex C) and sets the new pair's OTA counters to
// zero, all in the ENVELOPE command's one store transaction; the PoR goes
// out under the old keys (they were chosen before the application ran), and
// the application then queues a proactive REFRESH in UICC reset mode (ETSI TS
// 102 223 §6.4.7) so the device presents the new IMSI on next activation.
//
// REPLACE KEYS replaces K, OPc and the OTA key sets of the active pair; P1
// 01 also clears the SQN array (the new operator's AuC starts its own SQN
// sequence), P1 00 keeps it. alg is a keystore.Algorithm value (1 DES, 2
// 3DES 2-key, 3 3DES 3-key, 4 AES-128, 5 AES-192, 6 AES-256); the new key
// sets' counters start at zero.
//
// GET STATE reports the active index, how many unused pairs follow it and
// the list length.
//
// # Status words
//
//	9000  done
//	6A84  SWExhausted: the last pair is active, no switch is possible
//	      (TR 33.812 §5.3.2.2 step 9)
//	6985  the target index does not move forward
//	6A88  the target index is beyond the list
//	6A80  a data object is missing, repeated or malformed, or the IMSI
//	      is not a valid EF_IMSI
//	6700  Lc wrong (missing data, or data on GET STATE)
//	6A86  P1/P2 not as above;  6D00 INS unknown;  6E00 CLA not 80
//	6F00  the card could not store the change (nothing changed)
//
// The PoR's status (TS 102 225 §5.1.2) is 00 whenever the packet passed
// the security checks; the command's status word travels in the PoR's
// additional response data. A packet that fails the MSL — sent to this TAR
// without ciphering, CC or counter — is refused with PoR status 0A
// (insufficient security level) and runs nothing.
package cardapp

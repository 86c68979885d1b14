// Package milenage implements 3GPP authentication and key agreement (AKA)
// for both ends of the air interface: the Milenage algorithm set
// (TS 35.205/35.206) and the TS 34.108 §8.1.2 XOR test algorithm behind one
// Algorithm interface; the HE/AuC side of UMTS AKA (TS 33.102 §6.3.2
// vectors, §6.3.5 AUTS verification, Annex C.1 SEQ ‖ IND sequence numbers);
// the USIM side (TS 33.102 §6.3.3 with the Annex C.2 array freshness scheme,
// answering RES/CK/IK/Kc, AUTS or a MAC failure); the GSM conversions c2..c5
// (TS 33.102 §6.8.1.2); and the 5G AKA derivations K_AUSF, RES*/XRES*,
// HXRES* and K_SEAF (TS 33.501 Annex A via the TS 33.220 Annex B.2 KDF).
//
// A Milenage value is built once per subscriber and keeps the expanded
// AES-128 key schedule, so computing a vector or checking an AUTN does not
// allocate. Key material (K, OP, OPc, CK, IK, Kc, K_AUSF) is typed Key, Kc
// or Key256 and never prints its value; MACs and responses are compared in
// constant time.
//
// Byte strings are big-endian as in the specifications: bit 0 of
// TS 35.206 is the most significant bit of the first byte.
package milenage

// Package atr decodes and encodes the answer-to-reset of ISO/IEC 7816-3 §8
// (as profiled for the UICC by ETSI TS 102 221 §6.3): the initial character
// TS (§8.1: '3B' direct, '3F' inverse convention), the format byte T0
// (§8.2.2), the chain of interface-byte groups TAi TBi TCi TDi (§8.2.3),
// the historical bytes (§8.2.4, ISO/IEC 7816-4 §8.1.1) and the check byte
// TCK (§8.2.5), which is present unless T=0 is the only protocol indicated.
//
// Parse and Append form a pair: Parse(b).Append(nil) gives back b for every
// ATR that Parse accepts, and Append computes TCK. The decoded ATR answers
// the questions a reader driver asks — offered protocols, Fi and Di from
// TA1 (§8.3 Tables 7–8), the specific mode of TA2 (§8.3), the class and
// clock-stop indicator of the first TA for T=15 (§8.3) — and String
// describes it in one paragraph, much as pcsc_scan's ATR_analysis does.
//
// Errors are *Error values that give the byte offset and wrap ErrMalformed,
// plus ErrChecksum for a wrong TCK.
package atr

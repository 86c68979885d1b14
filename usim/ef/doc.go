// Package ef holds typed codecs for the elementary files of a UICC and its
// USIM application: 3GPP TS 31.102 (USIM EFs), ETSI TS 102 221 (MF EFs, FCP
// file descriptor, access rules) and the 3GPP TS 24.008 / TS 51.011 layouts
// they borrow (PLMN, ADN-like records).
//
// Every codec is an Append/Parse pair: a value's Append(dst) method appends
// the file (or record) bytes to dst, and ParseXxx(b) decodes them, returning
// an error that wraps ErrMalformed (or ErrEmpty for an erased, all-FF
// content) and names the offending field. Parsers never panic, never retain
// b, and accept trailing FF padding where the spec pads.
package ef

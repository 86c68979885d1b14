// Package sms implements the parts of 3GPP TS 23.040 that carry OTA secured
// packets to and from a UICC: the SMS-DELIVER (§9.2.2.1) and SMS-SUBMIT
// (§9.2.2.2) TPDUs with their address fields (§9.1.2.5), service centre time
// stamp (§9.2.3.11) and user data (§9.2.3.24 user data header information
// elements, including IEI 70/71 of TS 31.115), and the concatenation of long
// user data into several messages (§9.2.3.24.1 IEI 00 and §9.2.3.24.8 IEI 08).
//
// Parsers alias their input (an address's Digits is the one string they allocate); builders append to a
// caller's slice (AppendXxx(dst) / ParseXxx(b) pairs). Every error wraps one
// of the sentinels ErrTruncated, ErrLength, ErrInvalid.
package sms

package apdu

import "fmt"

// StatusWord is the SW1-SW2 trailer of a response APDU, ISO/IEC 7816-4
// §5.6 and ETSI TS 102 221 §10.2. It implements error so that a card's
// refusal can travel as a Go error; 9000 is not an error by convention but
// still formats as one.
type StatusWord uint16

// Status words of ISO/IEC 7816-4 §5.6 Tables 5–6 and ETSI TS 102 221 §10.2.1.
const (
	SWOK                      StatusWord = 0x9000 // normal ending
	SWWarningNoInfo           StatusWord = 0x6200 // state unchanged, no information
	SWWarningPartCorrupted    StatusWord = 0x6281 // part of returned data may be corrupted
	SWWarningEOF              StatusWord = 0x6282 // end of file/record reached before Ne bytes
	SWWarningDeactivated      StatusWord = 0x6283 // selected file invalidated (deactivated)
	SWWarningTerminated       StatusWord = 0x6284 // selected file in termination state (TS 102 221 §10.2.1.3)
	SWWarningFCI              StatusWord = 0x6285 // selected file in termination state (ISO/IEC 7816-4 coding)
	SWWarningMoreData         StatusWord = 0x62F1 // more data available (TS 102 221)
	SWWarningMoreDataProact   StatusWord = 0x62F2 // more data and proactive command pending
	SWWarningResponseData     StatusWord = 0x62F3 // response data available
	SWWarningChanged          StatusWord = 0x6300 // state changed, no information
	SWWarningMoreDataAvail    StatusWord = 0x63F1 // more data expected
	SWWarningMoreDataExpProac StatusWord = 0x63F2 // more data expected and proactive command pending
	SWExecErrorUnchanged      StatusWord = 0x6400 // execution error, state unchanged (TS 102 221 §10.2.1.4)
	SWExecErrorChanged        StatusWord = 0x6500 // execution error, state changed (TS 102 221 §10.2.1.4)
	SWMemoryProblem           StatusWord = 0x6581 // memory problem
	SWWrongLength             StatusWord = 0x6700 // wrong length
	SWCLAFunctionNotSupported StatusWord = 0x6800 // functions in CLA not supported, no information (TS 102 221 §10.2.1.5)
	SWLogicalChannelNotSupp   StatusWord = 0x6881 // logical channel not supported
	SWSecureMessagingNotSupp  StatusWord = 0x6882 // secure messaging not supported
	SWLastCommandExpected     StatusWord = 0x6883 // last command of the chain expected
	SWChainingNotSupported    StatusWord = 0x6884 // command chaining not supported
	SWCommandNotAllowed       StatusWord = 0x6900 // command not allowed, no information (TS 102 221 §10.2.1.5)
	SWCommandIncompatible     StatusWord = 0x6981 // command incompatible with file structure
	SWSecurityNotSatisfied    StatusWord = 0x6982 // security status not satisfied
	SWAuthMethodBlocked       StatusWord = 0x6983 // authentication/PIN method blocked
	SWReferencedDataInvalid   StatusWord = 0x6984 // referenced data invalidated
	SWConditionsNotSatisfied  StatusWord = 0x6985 // conditions of use not satisfied
	SWNoCurrentEF             StatusWord = 0x6986 // command not allowed (no EF selected)
	SWIncorrectDataField      StatusWord = 0x6A80 // incorrect parameters in the data field
	SWFunctionNotSupported    StatusWord = 0x6A81 // function not supported
	SWFileNotFound            StatusWord = 0x6A82 // file or application not found
	SWRecordNotFound          StatusWord = 0x6A83 // record not found
	SWNotEnoughMemory         StatusWord = 0x6A84 // not enough memory space in the file
	SWIncorrectP1P2           StatusWord = 0x6A86 // incorrect parameters P1-P2
	SWLcInconsistentP1P2      StatusWord = 0x6A87 // Lc inconsistent with P1-P2
	SWReferencedDataNotFound  StatusWord = 0x6A88 // referenced data not found
	SWFileExists              StatusWord = 0x6A89 // file already exists (ISO/IEC 7816-4 §5.6 Table 6)
	SWDFNameExists            StatusWord = 0x6A8A // DF name already exists (ISO/IEC 7816-4 §5.6 Table 6)
	SWWrongP1P2               StatusWord = 0x6B00 // wrong parameters P1-P2 (offset outside the EF)
	SWINSNotSupported         StatusWord = 0x6D00 // instruction code not supported or invalid
	SWCLANotSupported         StatusWord = 0x6E00 // class not supported
	SWTechnicalProblem        StatusWord = 0x6F00 // technical problem, no precise diagnosis
	SWIncreaseMaxReached      StatusWord = 0x9850 // INCREASE cannot be performed, maximum value reached (TS 102 221 §10.2.1.6)
	SWAuthIncorrectMAC        StatusWord = 0x9862 // authentication error, incorrect MAC (TS 102 221)
	SWAuthSessionExpired      StatusWord = 0x9863 // security session or association expired
	SWAuthContextNotSupported StatusWord = 0x9864 // authentication error, security context not supported
	SWKeyFreshnessFailure     StatusWord = 0x9865 // key freshness failure
	SWToolkitBusy             StatusWord = 0x9300 // SIM Application Toolkit is busy, postponed processing (TS 102 221 §10.2.1.2)

	// SWNoProactiveSession is the former name of SWToolkitBusy. It used to
	// hold 9320, a value no specification defines; TS 102 221 §10.2.1.2
	// codes "SIM Application Toolkit is busy" as 9300.
	//
	// Deprecated: use SWToolkitBusy.
	SWNoProactiveSession = SWToolkitBusy
)

// SW1 returns the first status byte.
func (sw StatusWord) SW1() byte { return byte(sw >> 8) }

// SW2 returns the second status byte.
func (sw StatusWord) SW2() byte { return byte(sw) }

// OK reports whether the command completed normally: 9000, or 91xx / 92xx
// (normal ending with extra information, ETSI TS 102 221 §10.2.1.1).
func (sw StatusWord) OK() bool {
	s1 := sw.SW1()
	return sw == SWOK || s1 == 0x91 || s1 == 0x92
}

// Retries returns the remaining retry counter of a 63Cx status word and
// true, or 0 and false for any other status word.
func (sw StatusWord) Retries() (int, bool) {
	if sw&0xFFF0 == 0x63C0 {
		return int(sw & 0x0F), true
	}
	return 0, false
}

// SWRetries returns 63Cx: verification failed, x retries left (ISO/IEC
// 7816-4 §5.6, ETSI TS 102 221 §10.2.1.3).
func SWRetries(n int) StatusWord {
	if n < 0 {
		n = 0
	}
	if n > 15 {
		n = 15
	}
	return 0x63C0 | StatusWord(n)
}

// Error formats the status word as an error: "6A82 file or application not found".
func (sw StatusWord) Error() string { return sw.String() }

// String gives the hex value and its meaning, e.g. "6A82 (file or application not found)".
func (sw StatusWord) String() string {
	return fmt.Sprintf("%04X (%s)", uint16(sw), sw.Meaning())
}

// Meaning returns the specification's wording for the status word: the
// exact entry of ETSI TS 102 221 §10.2.1 or ISO/IEC 7816-4 §5.6 Tables 5–6
// when there is one, else the meaning of SW1 alone with SW2 decoded where
// it carries a number (61xx, 6Cxx, 91xx, 9Fxx, 63Cx).
func (sw StatusWord) Meaning() string {
	if m, ok := swNames[sw]; ok {
		return m
	}
	s1, s2 := sw.SW1(), sw.SW2()
	switch s1 {
	case 0x61: // ISO/IEC 7816-4 §5.6 Table 5; TS 102 221 §7.3.1.1.4
		return fmt.Sprintf("normal ending, %d response bytes available (GET RESPONSE)", shortLen(s2))
	case 0x6C: // ISO/IEC 7816-4 §5.6 Table 6; TS 102 221 §7.3.1.1.4
		return fmt.Sprintf("wrong Le, %d bytes available", shortLen(s2))
	case 0x91: // TS 102 221 §10.2.1.1
		return fmt.Sprintf("normal ending, proactive command of %d bytes pending", shortLen(s2))
	case 0x92: // TS 102 221 §10.2.1.1
		return "normal ending, extra information concerning an ongoing data transfer session"
	case 0x9E: // 3GPP TS 51.011 §9.4.1
		return fmt.Sprintf("%d response bytes available after SIM data download error", shortLen(s2))
	case 0x9F: // 3GPP TS 51.011 §9.4.1
		return fmt.Sprintf("%d response bytes available (GSM GET RESPONSE)", shortLen(s2))
	case 0x63: // TS 102 221 §10.2.1.3, §11.1.9
		if s2&0xF0 == 0xC0 {
			return fmt.Sprintf("verification failed, %d retries left", s2&0x0F)
		}
		return "warning, state changed"
	case 0x62:
		return "warning, state unchanged"
	case 0x64:
		return "execution error, state unchanged"
	case 0x65:
		return "execution error, state changed"
	case 0x66:
		return "security-related issue"
	case 0x67: // TS 102 221 §10.2.1.4: XX != 00 is command dependent
		return "wrong length (command-dependent diagnosis)"
	case 0x68:
		return "functions in CLA not supported"
	case 0x69:
		return "command not allowed"
	case 0x6A:
		return "wrong parameters P1-P2 or data field"
	case 0x6B:
		return "wrong parameter(s) P1-P2"
	case 0x6F: // TS 102 221 §10.2.1.4: XX != 00 is command dependent
		return "technical problem (command-dependent diagnosis)"
	case 0x98:
		return "security management error"
	}
	return "unknown status"
}

var swNames = map[StatusWord]string{
	SWOK:                      "normal ending",
	SWWarningNoInfo:           "warning, no information given, state unchanged",
	SWWarningPartCorrupted:    "warning, part of returned data may be corrupted",
	SWWarningEOF:              "warning, end of file/record reached before reading Le bytes",
	SWWarningDeactivated:      "warning, selected file invalidated",
	SWWarningTerminated:       "warning, selected file in termination state",
	SWWarningFCI:              "warning, selected file in termination state",
	SWWarningMoreData:         "warning, more data available",
	SWWarningMoreDataProact:   "warning, more data available and proactive command pending",
	SWWarningResponseData:     "warning, response data available",
	SWWarningChanged:          "warning, no information given, state changed",
	SWWarningMoreDataAvail:    "warning, more data expected",
	SWWarningMoreDataExpProac: "warning, more data expected and proactive command pending",
	SWExecErrorUnchanged:      "execution error, no information given, state unchanged",
	SWExecErrorChanged:        "execution error, no information given, state changed",
	SWMemoryProblem:           "memory problem",
	SWWrongLength:             "wrong length",
	SWCLAFunctionNotSupported: "functions in CLA not supported, no information given",
	SWLogicalChannelNotSupp:   "logical channel not supported",
	SWSecureMessagingNotSupp:  "secure messaging not supported",
	SWLastCommandExpected:     "last command of the chain expected",
	SWChainingNotSupported:    "command chaining not supported",
	SWCommandNotAllowed:       "command not allowed, no information given",
	SWCommandIncompatible:     "command incompatible with file structure",
	SWSecurityNotSatisfied:    "security status not satisfied",
	SWAuthMethodBlocked:       "authentication/PIN method blocked",
	SWReferencedDataInvalid:   "referenced data invalidated",
	SWConditionsNotSatisfied:  "conditions of use not satisfied",
	SWNoCurrentEF:             "command not allowed (no EF selected)",
	SWIncorrectDataField:      "incorrect parameters in the data field",
	SWFunctionNotSupported:    "function not supported",
	SWFileNotFound:            "file or application not found",
	SWRecordNotFound:          "record not found",
	SWNotEnoughMemory:         "not enough memory space",
	SWIncorrectP1P2:           "incorrect parameters P1 to P2",
	SWLcInconsistentP1P2:      "Lc inconsistent with P1 to P2",
	SWReferencedDataNotFound:  "referenced data not found",
	SWFileExists:              "file already exists",
	SWDFNameExists:            "DF name already exists",
	SWWrongP1P2:               "wrong parameter(s) P1-P2",
	SWINSNotSupported:         "instruction code not supported or invalid",
	SWCLANotSupported:         "class not supported",
	SWTechnicalProblem:        "technical problem, no precise diagnosis",
	SWIncreaseMaxReached:      "INCREASE cannot be performed, maximum value reached",
	SWAuthIncorrectMAC:        "authentication error, incorrect MAC",
	SWAuthSessionExpired:      "authentication error, security session or association expired",
	SWAuthContextNotSupported: "authentication error, security context not supported",
	SWKeyFreshnessFailure:     "key freshness failure",
	SWToolkitBusy:             "SIM Application Toolkit is busy",
}

// ParseResponse splits a response APDU into its data field and status word,
// ISO/IEC 7816-4 §5.1. The data aliases b.
func ParseResponse(b []byte) (data []byte, sw StatusWord, err error) {
	if len(b) < 2 {
		return nil, 0, fmt.Errorf("%w: %d bytes", ErrShortResponse, len(b))
	}
	n := len(b) - 2
	return b[:n], StatusWord(b[n])<<8 | StatusWord(b[n+1]), nil
}

// AppendResponse appends data ‖ SW1 SW2 to dst, ISO/IEC 7816-4 §5.1.
func AppendResponse(dst, data []byte, sw StatusWord) []byte {
	dst = append(dst, data...)
	return append(dst, sw.SW1(), sw.SW2())
}

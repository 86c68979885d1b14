package scp80

import "strings"

// SPI is the two-octet Security Parameter Indicator, TS 102 225 §5.1.1.
// The first octet says how the command packet is secured, the second what
// Proof of Receipt the sending entity asks for.
type SPI [2]byte

// Integrity is the RC/CC/DS choice of SPI b2b1 (command) and SPI2 b4b3
// (PoR), TS 102 225 §5.1.1.
type Integrity uint8

// Integrity choices, TS 102 225 §5.1.1.
const (
	NoIntegrity      Integrity = 0 // no RC, CC or DS
	RedundancyCheck  Integrity = 1 // RC
	CryptoChecksum   Integrity = 2 // CC
	DigitalSignature Integrity = 3 // DS (not supported by this package)
)

func (i Integrity) String() string {
	switch i {
	case NoIntegrity:
		return "no RC, CC or DS"
	case RedundancyCheck:
		return "redundancy check"
	case CryptoChecksum:
		return "cryptographic checksum"
	}
	return "digital signature"
}

// CounterMode is SPI1 b5b4, TS 102 225 §5.1.1.
type CounterMode uint8

// Counter modes, TS 102 225 §5.1.1.
const (
	NoCounter        CounterMode = 0 // no counter available
	CounterNoCheck   CounterMode = 1 // counter available; no replay or sequence checking
	CounterHigher    CounterMode = 2 // process only if counter is higher than the RE's
	CounterOneHigher CounterMode = 3 // process only if counter is one higher than the RE's
)

func (m CounterMode) String() string {
	switch m {
	case NoCounter:
		return "no counter"
	case CounterNoCheck:
		return "counter available, no replay or sequence checking"
	case CounterHigher:
		return "counter must be higher"
	}
	return "counter must be one higher"
}

// PoRRequest is SPI2 b2b1, TS 102 225 §5.1.1.
type PoRRequest uint8

// PoR requests, TS 102 225 §5.1.1.
const (
	NoPoR      PoRRequest = 0 // no PoR reply to the sending entity
	PoRAlways  PoRRequest = 1 // PoR required
	PoROnError PoRRequest = 2 // PoR required only when an error has occurred
	PoRRFU     PoRRequest = 3 // reserved for future use
)

func (p PoRRequest) String() string {
	switch p {
	case NoPoR:
		return "no PoR"
	case PoRAlways:
		return "PoR required"
	case PoROnError:
		return "PoR on error only"
	}
	return "PoR request reserved"
}

// Integrity returns the command's RC/CC/DS choice (SPI1 b2b1).
func (s SPI) Integrity() Integrity { return Integrity(s[0] & 3) }

// Ciphered reports SPI1 b3: the command is ciphered.
func (s SPI) Ciphered() bool { return s[0]&0x04 != 0 }

// Counter returns SPI1 b5b4.
func (s SPI) Counter() CounterMode { return CounterMode(s[0] >> 3 & 3) }

// PoR returns SPI2 b2b1.
func (s SPI) PoR() PoRRequest { return PoRRequest(s[1] & 3) }

// PoRIntegrity returns SPI2 b4b3: the RC/CC/DS the PoR carries.
func (s SPI) PoRIntegrity() Integrity { return Integrity(s[1] >> 2 & 3) }

// PoRCiphered reports SPI2 b5: the PoR shall be ciphered.
func (s SPI) PoRCiphered() bool { return s[1]&0x10 != 0 }

// PoRBySubmit reports SPI2 b6: the PoR is sent by SMS-SUBMIT (a proactive
// SEND SHORT MESSAGE), not in the SMS-DELIVER-REPORT (the ENVELOPE
// response), TS 31.115 §4.2.
func (s SPI) PoRBySubmit() bool { return s[1]&0x20 != 0 }

// Reserved reports whether any reserved bit (SPI1 b8..b6, SPI2 b8b7) is set.
func (s SPI) Reserved() bool { return s[0]&0xE0 != 0 || s[1]&0xC0 != 0 }

// SPIOptions lists every field of an SPI; NewSPI assembles them.
type SPIOptions struct {
	Integrity    Integrity
	Ciphered     bool
	Counter      CounterMode
	PoR          PoRRequest
	PoRIntegrity Integrity
	PoRCiphered  bool
	PoRBySubmit  bool
}

// NewSPI codes o as TS 102 225 §5.1.1 says.
func NewSPI(o SPIOptions) SPI {
	var s SPI
	s[0] = byte(o.Integrity&3) | byte(o.Counter&3)<<3
	if o.Ciphered {
		s[0] |= 0x04
	}
	s[1] = byte(o.PoR&3) | byte(o.PoRIntegrity&3)<<2
	if o.PoRCiphered {
		s[1] |= 0x10
	}
	if o.PoRBySubmit {
		s[1] |= 0x20
	}
	return s
}

// Options decodes every field of s.
func (s SPI) Options() SPIOptions {
	return SPIOptions{s.Integrity(), s.Ciphered(), s.Counter(), s.PoR(), s.PoRIntegrity(), s.PoRCiphered(), s.PoRBySubmit()}
}

// String names every option, e.g. "SPI 0619: cryptographic checksum,
// ciphered, no counter; PoR required, PoR cryptographic checksum, PoR
// ciphered, PoR by SMS-DELIVER-REPORT".
func (s SPI) String() string {
	var b strings.Builder
	b.WriteString("SPI ")
	b.WriteString(hexs(s[:]))
	b.WriteString(": ")
	b.WriteString(s.Integrity().String())
	if s.Ciphered() {
		b.WriteString(", ciphered")
	} else {
		b.WriteString(", not ciphered")
	}
	b.WriteString(", ")
	b.WriteString(s.Counter().String())
	b.WriteString("; ")
	b.WriteString(s.PoR().String())
	b.WriteString(", PoR ")
	b.WriteString(s.PoRIntegrity().String())
	if s.PoRCiphered() {
		b.WriteString(", PoR ciphered")
	} else {
		b.WriteString(", PoR not ciphered")
	}
	if s.PoRBySubmit() {
		b.WriteString(", PoR by SMS-SUBMIT")
	} else {
		b.WriteString(", PoR by SMS-DELIVER-REPORT")
	}
	if s.Reserved() {
		b.WriteString(", reserved bits set")
	}
	return b.String()
}

func hexs(b []byte) string {
	const h = "0123456789ABCDEF"
	out := make([]byte, 2*len(b))
	for i, c := range b {
		out[2*i], out[2*i+1] = h[c>>4], h[c&15]
	}
	return string(out)
}

// MSL is a Minimum Security Level, the first octet of the MSL parameter a
// target application is installed with (TS 102 226 §8.2.1.3.2.4, coded
// like SPI1 of TS 102 225 §5.1.1): the least integrity, ciphering and
// counter protection a command to that application must carry.
type MSL byte

// Meets reports whether the command security of s is at least m, reading
// each SPI1 field as a level (TS 102 226 §8.2.1.3.2.4): integrity none <
// RC < CC < DS, ciphering off < on, counter none < available < higher <
// one higher.
func (s SPI) Meets(m MSL) bool {
	need := SPI{byte(m), 0}
	if s.Integrity() < need.Integrity() {
		return false
	}
	if need.Ciphered() && !s.Ciphered() {
		return false
	}
	return s.Counter() >= need.Counter()
}

func (m MSL) String() string {
	s := SPI{byte(m), 0}
	c := "ciphering not required"
	if s.Ciphered() {
		c = "ciphering required"
	}
	return "MSL " + hexs([]byte{byte(m)}) + ": at least " + s.Integrity().String() + ", " + c + ", " + s.Counter().String()
}

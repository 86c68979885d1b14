package ef

import (
	"strconv"
	"strings"
)

// Service table coding shared by EF_UST (TS 31.102 §4.2.8) and EF_EST
// (§4.2.47): service n is bit (n-1) mod 8 of byte (n-1)/8, b1 first.

func tableHas(t []byte, n int) bool {
	if n < 1 || (n-1)/8 >= len(t) {
		return false
	}
	return t[(n-1)/8]&(1<<((n-1)%8)) != 0
}

func tableSet(t []byte, n int, on bool) []byte {
	if n < 1 {
		return t
	}
	for (n-1)/8 >= len(t) {
		t = append(t, 0)
	}
	if on {
		t[(n-1)/8] |= 1 << ((n - 1) % 8)
	} else {
		t[(n-1)/8] &^= 1 << ((n - 1) % 8)
	}
	return t
}

func tableList(t []byte) []int {
	var out []int
	for i := 0; i < 8*len(t); i++ {
		if t[i/8]&(1<<(i%8)) != 0 {
			out = append(out, i+1)
		}
	}
	return out
}

// UST is EF_UST, the USIM Service Table (TS 31.102 §4.2.8, FID 6F38, SFI 04):
// a bitmap where service n is "available" when its bit is 1.
type UST []byte

// Has reports whether service n is available.
func (u UST) Has(n USIMService) bool { return tableHas(u, int(n)) }

// Set marks service n available (on) or not, growing the table as needed.
func (u UST) Set(n USIMService, on bool) UST { return tableSet(u, int(n), on) }

// Services lists the available services in ascending order.
func (u UST) Services() []USIMService {
	l := tableList(u)
	out := make([]USIMService, len(l))
	for i, n := range l {
		out[i] = USIMService(n)
	}
	return out
}

// Append appends the table bytes.
func (u UST) Append(dst []byte) []byte { return append(dst, u...) }

// String lists the available services by number and name.
func (u UST) String() string {
	var parts []string
	for _, s := range u.Services() {
		parts = append(parts, strconv.Itoa(int(s))+" "+s.String())
	}
	return "UST{" + strings.Join(parts, "; ") + "}"
}

// ParseUST decodes EF_UST. Any bitmap of at least one byte is valid.
func ParseUST(b []byte) (UST, error) {
	if len(b) == 0 {
		return nil, malformed("EF_UST", "", 0, "content is empty")
	}
	return UST(append([]byte(nil), b...)), nil
}

// EST is EF_EST, the Enabled Services Table (TS 31.102 §4.2.47, FID 6F56,
// SFI 05).
type EST []byte

// Has reports whether service n is enabled.
func (e EST) Has(n EnabledService) bool { return tableHas(e, int(n)) }

// Set enables or disables service n.
func (e EST) Set(n EnabledService, on bool) EST { return tableSet(e, int(n), on) }

// Append appends the table bytes.
func (e EST) Append(dst []byte) []byte { return append(dst, e...) }

// String lists the enabled services.
func (e EST) String() string {
	var parts []string
	for _, n := range tableList(e) {
		parts = append(parts, strconv.Itoa(n)+" "+EnabledService(n).String())
	}
	return "EST{" + strings.Join(parts, "; ") + "}"
}

// ParseEST decodes EF_EST.
func ParseEST(b []byte) (EST, error) {
	if len(b) == 0 {
		return nil, malformed("EF_EST", "", 0, "content is empty")
	}
	return EST(append([]byte(nil), b...)), nil
}

// EnabledService numbers the services of EF_EST, TS 31.102 §4.2.47.
type EnabledService int

// Services of EF_EST.
const (
	ESTFDN EnabledService = 1 // Fixed Dialling Numbers
	ESTBDN EnabledService = 2 // Barred Dialling Numbers
	ESTACL EnabledService = 3 // APN Control List
)

// String names the service as TS 31.102 §4.2.47 does.
func (s EnabledService) String() string {
	switch s {
	case ESTFDN:
		return "Fixed Dialling Numbers (FDN)"
	case ESTBDN:
		return "Barred Dialling Numbers (BDN)"
	case ESTACL:
		return "APN Control List (ACL)"
	}
	return "RFU"
}

package apdufuzz

import (
	"fmt"

	"github.com/uiccsim/uiccsim/apdu"
)

// counter is what the session has learnt of one retry counter: its value
// lies in lo..hi when known (a range after a torn command).
type counter struct {
	lo, hi int
	known  bool
}

// pinModel follows the PIN retry counters (index 0, by key reference P2)
// and the UNBLOCK PIN counters (index 1) through the status words of ETSI
// TS 102 221 §11.1.9 VERIFY PIN, §11.1.10 CHANGE PIN, §11.1.11 DISABLE
// PIN, §11.1.12 ENABLE PIN and §11.1.13 UNBLOCK PIN:
//
//   - 63Cx answers a retry query (empty data, VERIFY and UNBLOCK): x is the
//     counter, unchanged;
//   - 63Cx answers a failed presentation: the counter went down by one;
//   - a success resets the counter (to its unknown maximum) and is
//     impossible once the counter is 0; a successful UNBLOCK also resets
//     the PIN's counter;
//   - 6983 (blocked) is answered only at 0;
//   - any other answer leaves the counter as it was, which the next 63Cx
//     shows.
type pinModel struct {
	c [2][256]counter
}

var pinCommandNames = map[byte]string{
	0x20: "VERIFY PIN", 0x24: "CHANGE PIN", 0x26: "DISABLE PIN", 0x28: "ENABLE PIN", 0x2C: "UNBLOCK PIN",
}

// which returns the counter a PIN command uses, or -1.
func which(c *apdu.Command) int {
	if c.Class().Kind() != apdu.ClassInterindustry {
		return -1
	}
	switch c.INS {
	case 0x20, 0x24, 0x26, 0x28:
		return 0
	case 0x2C:
		return 1
	}
	return -1
}

// observe checks one answer against the model and updates it; it returns
// what is wrong, or "".
func (m *pinModel) observe(c *apdu.Command, sw apdu.StatusWord) string {
	w := which(c)
	if w < 0 {
		return ""
	}
	ctr := &m.c[w][c.P2]
	name := pinCommandNames[c.INS]
	query := len(c.Data) == 0 && (c.INS == 0x20 || c.INS == 0x2C)
	if x, ok := sw.Retries(); ok {
		switch {
		case !ctr.known:
		case query && (x < ctr.lo || x > ctr.hi):
			return fmt.Sprintf("%s %02X with empty data answered %d tries, the counter was %s", name, c.P2, x, ctr)
		case !query && (x < ctr.lo-1 || x > ctr.hi-1):
			return fmt.Sprintf("failed %s %02X left %d tries, the counter was %s: it must go down by exactly one", name, c.P2, x, ctr)
		}
		*ctr = counter{x, x, true}
		return ""
	}
	switch {
	case sw.OK() && !query:
		if ctr.known && ctr.hi == 0 {
			return fmt.Sprintf("%s %02X succeeded with its counter at 0 (blocked)", name, c.P2)
		}
		ctr.known = false
		if w == 1 {
			m.c[0][c.P2].known = false
		}
	case sw == apdu.SWAuthMethodBlocked && (c.INS == 0x20 || c.INS == 0x2C):
		if ctr.known && ctr.lo > 0 {
			return fmt.Sprintf("%s %02X answered 6983 (blocked) with %s tries left", name, c.P2, ctr)
		}
		*ctr = counter{0, 0, true}
	}
	return ""
}

// torn forgets what a power loss in a PIN command may have changed: a
// presentation cut after its decrement (written through before the
// comparison, JCRE §7) or after its success leaves the counter anywhere
// between 0 and its maximum as far as the model knows.
func (m *pinModel) torn(c *apdu.Command) {
	w := which(c)
	if w < 0 || len(c.Data) == 0 {
		return
	}
	m.c[w][c.P2].known = false
	if w == 1 { // a torn successful UNBLOCK may have reset the PIN
		m.c[0][c.P2].known = false
	}
}

func (c counter) String() string {
	if c.lo == c.hi {
		return fmt.Sprint(c.lo)
	}
	return fmt.Sprintf("%d..%d", c.lo, c.hi)
}

package usim

import "github.com/uiccsim/uiccsim/usim/fs"

// allowed evaluates the security attributes of file n (fs.FS.Allowed:
// the EF_ARR record its tag 8B references, ETSI TS 102 221 §9.2.4 and
// §9.2.6, or its compact 8C / expanded AB rule) for an operation against
// the RFM application's access domain (TS 102 226 §8.2.1.3.2.3), the
// evaluation the terminal's commands use.
func (r *rfmExec) allowed(n fs.Node, mode fs.Access, ins byte) bool {
	return r.fs.Allowed(n, mode, ins, r)
}

// Holds implements fs.SecurityStatus for the RFM application: key
// reference k's condition holds when k is in its access domain, was
// verified by the script, or is a disabled PIN (an application PIN
// replaced by the universal PIN: the universal PIN's condition).
func (r *rfmExec) Holds(k fs.KeyRef) bool {
	if r.access[k] || r.verified[k] {
		return true
	}
	s, err := r.fs.PINState(k)
	if err != nil || s.Enabled {
		return false
	}
	if s.UseUniversal && k != fs.KeyUniversal {
		// An application PIN replaced by the universal PIN (TS 102 221
		// §11.1.11) needs the universal PIN while that is enabled.
		if u, err := r.fs.PINState(fs.KeyUniversal); err == nil && u.Enabled {
			return r.Holds(fs.KeyUniversal)
		}
	}
	return true
}

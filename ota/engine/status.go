package engine

import (
	"fmt"

	"github.com/uiccsim/uiccsim/ota/scp80"
)

// StatusApplication is an Application that also chooses the response
// status code of its PoR (ETSI TS 102 225 §5.1.2, response status codes): the engine
// calls RunStatus instead of Run. An application may answer 00 (PoR OK),
// 07 (insufficient memory to process incoming message), 08 (more time),
// 0B (actual response data to be sent using SMS-SUBMIT, 3GPP TS 31.115
// §4.4) or a proprietary code C0..FE; the others are verdicts on the
// secured packet itself that only the engine gives, and an application
// returning one gets PoR OK and an error in the Report (ErrAppStatus).
//
// TS 102 225 has no status for a command the application refused: a
// command script that ran is PoR OK, and the refusing R-APDU's status word
// travels in the additional response data (TS 102 226 §5.1.2, §5.2.2: the
// number of commands executed and the last R-APDU). So an application
// sets a status only for what Table 5.5 names.
type StatusApplication interface {
	Application
	RunStatus(dst, data []byte) ([]byte, scp80.Status)
}

// ErrAppStatus reports a StatusApplication that returned a status only the
// engine may give (see StatusApplication); the PoR said 00 instead.
var ErrAppStatus = engineError("engine: application returned a PoR status reserved to the security layer (TS 102 225 §5.1.2)")

// appStatusAllowed reports a status code an application may set.
func appStatusAllowed(s scp80.Status) bool {
	switch {
	case s == scp80.StatusOK, s == scp80.StatusInsufficientMemory, s == scp80.StatusMoreTime, s == scp80.StatusDataBySMSSubmit:
		return true
	case s >= 0xC0 && s <= 0xFE:
		return true // reserved for proprietary use
	}
	return false
}

// run hands the secured data to t's application and returns the PoR
// status it sets (00 for a plain Application).
func (e *Engine) run(t Target, data []byte) (scp80.Status, error) {
	sa, ok := t.App.(StatusApplication)
	if !ok {
		e.out = t.App.Run(e.out[:0], data)
		return scp80.StatusOK, nil
	}
	var st scp80.Status
	e.out, st = sa.RunStatus(e.out[:0], data)
	if !appStatusAllowed(st) {
		return scp80.StatusOK, fmt.Errorf("%w: %v", ErrAppStatus, st)
	}
	return st, nil
}

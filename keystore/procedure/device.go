package procedure

import (
	"fmt"

	"github.com/uiccsim/uiccsim/keystore"
	"github.com/uiccsim/uiccsim/keystore/escrow"
	"github.com/uiccsim/uiccsim/usim"
	"github.com/uiccsim/uiccsim/usim/profile"
)

// NewDevice builds the M2M device of card iccid as the UICC manufacturer
// delivers it (TR 33.812 §5.3.2.2 step 2: the initial IMSI imsi and the
// indexed list of K/OTA key pairs l, pair 0 active; PIN1 disabled as on
// unattended M2M equipment): the emulated UICC (usim.NewWithList) behind a
// test terminal, activated as a device powering up (TERMINAL PROFILE, SELECT
// ADF.USIM, READ EF_IMSI). The terminal is the transport the network reaches
// the card through: OTA ENVELOPEs, the REFRESH the card asks for,
// AUTHENTICATE. The card keeps its own copy of l.
func NewDevice(iccid escrow.ICCID, imsi string, l *keystore.List) (*usim.Terminal, error) {
	if l.ActiveIndex() != 0 {
		return nil, fmt.Errorf("%w: a new card's list starts at pair 0, not %d", ErrInvalid, l.ActiveIndex())
	}
	p := profile.Default()
	p.Name = "M2M " + string(iccid)
	p.ICCID, p.IMSI = string(iccid), imsi
	off := false
	p.PINs.PIN1.Enabled = &off
	c, err := usim.NewWithList(p, l)
	if err != nil {
		return nil, err
	}
	t := usim.NewTerminal(c)
	if err := t.Activate(); err != nil {
		return nil, err
	}
	return t, nil
}

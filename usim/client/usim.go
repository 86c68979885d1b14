package client

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/usim/ef"
)

// ErrNoUSIM reports a card whose EF_DIR lists no USIM application.
var ErrNoUSIM = errors.New("client: no USIM application in EF_DIR")

// Applications selects the MF and EF_DIR and decodes every used record
// (TS 102 221 §13.1).
func (c *Client) Applications() ([]ef.Application, error) {
	if _, err := c.Select(FIDMF); err != nil {
		return nil, err
	}
	recs, err := c.ReadRecords(FIDDIR)
	if err != nil {
		return nil, err
	}
	var apps []ef.Application
	for i, r := range recs {
		a, err := ef.ParseApplication(r)
		if errors.Is(err, ef.ErrEmpty) {
			continue
		}
		if err != nil {
			return apps, fmt.Errorf("client: EF_DIR record %d: %w", i+1, err)
		}
		apps = append(apps, a)
	}
	return apps, nil
}

// SelectUSIM finds the first USIM (AID prefix A0000000871002) in EF_DIR and
// selects it by its full AID; later calls reselect the same AID.
func (c *Client) SelectUSIM() (FCP, error) {
	if c.usimAID == nil {
		apps, err := c.Applications()
		if err != nil {
			return FCP{}, err
		}
		for _, a := range apps {
			if a.IsUSIM() {
				c.usimAID = a.AID
				break
			}
		}
		if c.usimAID == nil {
			return FCP{}, ErrNoUSIM
		}
	}
	return c.SelectAID(c.usimAID)
}

// USIMAID returns the AID SelectUSIM found, nil before.
func (c *Client) USIMAID() []byte { return bytes.Clone(c.usimAID) }

// ReadICCID reads EF_ICCID under the MF.
func (c *Client) ReadICCID() (ef.ICCID, error) {
	if _, err := c.Select(FIDMF); err != nil {
		return ef.ICCID{}, err
	}
	b, err := c.ReadTransparent(FIDICCID)
	if err != nil {
		return ef.ICCID{}, err
	}
	return ef.ParseICCID(b)
}

// usimFile selects ADF.USIM and reads a transparent EF of it.
func (c *Client) usimFile(fid uint16) ([]byte, error) {
	if _, err := c.SelectUSIM(); err != nil {
		return nil, err
	}
	return c.ReadTransparent(fid)
}

// ReadIMSI reads EF_IMSI (needs PIN1 verified or disabled).
func (c *Client) ReadIMSI() (ef.IMSI, error) {
	b, err := c.usimFile(FIDIMSI)
	if err != nil {
		return ef.IMSI{}, err
	}
	return ef.ParseIMSI(b)
}

// ReadAD reads EF_AD.
func (c *Client) ReadAD() (ef.AD, error) {
	b, err := c.usimFile(FIDAD)
	if err != nil {
		return ef.AD{}, err
	}
	return ef.ParseAD(b)
}

// ReadUST reads EF_UST.
func (c *Client) ReadUST() (ef.UST, error) {
	b, err := c.usimFile(FIDUST)
	if err != nil {
		return nil, err
	}
	return ef.ParseUST(b)
}

// ReadSPN reads EF_SPN.
func (c *Client) ReadSPN() (ef.SPN, error) {
	b, err := c.usimFile(FIDSPN)
	if err != nil {
		return ef.SPN{}, err
	}
	return ef.ParseSPN(b)
}

// ReadMSISDN reads the used records of EF_MSISDN.
func (c *Client) ReadMSISDN() ([]ef.DialNumber, error) {
	if _, err := c.SelectUSIM(); err != nil {
		return nil, err
	}
	recs, err := c.ReadRecords(FIDMSISDN)
	if err != nil {
		return nil, err
	}
	var out []ef.DialNumber
	for i, r := range recs {
		d, err := ef.ParseDialNumber(r)
		if errors.Is(err, ef.ErrEmpty) {
			continue
		}
		if err != nil {
			return out, fmt.Errorf("client: EF_MSISDN record %d: %w", i+1, err)
		}
		out = append(out, d)
	}
	return out, nil
}

// PINBlock codes a PIN as VERIFY carries it: ASCII digits padded with 'FF'
// to 8 bytes (TS 102 221 §9.5.1).
func PINBlock(pin string) ([8]byte, error) {
	var b [8]byte
	if len(pin) < 4 || len(pin) > 8 {
		return b, fmt.Errorf("client: PIN of %d characters, want 4 to 8", len(pin))
	}
	for i := range b {
		b[i] = 0xFF
	}
	copy(b[:], pin)
	return b, nil
}

// Verify presents an 8-byte PIN block for key reference ref (VERIFY PIN,
// TS 102 221 §11.1.9). A wrong PIN answers a *CommandError wrapping 63Cx;
// sw.Retries() gives the attempts left.
func (c *Client) Verify(ref ef.KeyRef, block [8]byte) error {
	_, err := c.do(apdu.Command{CLA: c.CLA, INS: 0x20, P1: 0x00, P2: byte(ref), Data: block[:]})
	return err
}

// VerifyPIN verifies a PIN given as digits.
func (c *Client) VerifyPIN(ref ef.KeyRef, pin string) error {
	b, err := PINBlock(pin)
	if err != nil {
		return err
	}
	return c.Verify(ref, b)
}

// PINStatus asks for the retry counter of ref with an empty VERIFY (TS 102
// 221 §11.1.9: 63Cx, or 9000 when verification is not needed). verified
// is true when the card answered 9000.
func (c *Client) PINStatus(ref ef.KeyRef) (retries int, verified bool, err error) {
	_, sw, err := c.Exchange(apdu.Command{CLA: c.CLA, INS: 0x20, P1: 0x00, P2: byte(ref)})
	if err != nil {
		return 0, false, err
	}
	if sw == apdu.SWOK {
		return 0, true, nil
	}
	if n, ok := sw.Retries(); ok {
		return n, false, nil
	}
	return 0, false, &CommandError{Op: "VERIFY " + ref.String() + " (status)", SW: sw, INS: 0x20}
}

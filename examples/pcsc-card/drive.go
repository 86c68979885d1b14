package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/apdu/atr"
	"github.com/uiccsim/uiccsim/usim/client"
	"github.com/uiccsim/uiccsim/usim/ef"
)

// line prints one labelled line of the report.
func line(w io.Writer, label, format string, args ...any) {
	fmt.Fprintf(w, "%-9s %s\n", label, fmt.Sprintf(format, args...))
}

// drive runs the client on the card — the same code whatever the card is —
// and prints what it reads. atrBytes is the ATR the reader reported.
func drive(w io.Writer, tr apdu.Transport, atrBytes []byte, cfg config) error {
	// ISO/IEC 7816-3 §8: the ATR, decoded.
	line(w, "ATR", "%X", atrBytes)
	if a, err := atr.Parse(atrBytes); err != nil {
		line(w, "", "does not decode: %v", err)
	} else {
		line(w, "", "%s", a)
	}

	cl := client.New(tr)
	// TS 102 221 §13.2: EF_ICCID under the MF, readable always.
	iccid, err := cl.ReadICCID()
	if err != nil {
		return fmt.Errorf("reading EF_ICCID: %w", err)
	}
	luhn := "Luhn check digit valid"
	if !iccid.LuhnValid() {
		luhn = "Luhn check digit NOT valid"
	}
	line(w, "ICCID", "%s (%s)", iccid, luhn)

	// TS 102 221 §13.1: the applications EF_DIR lists.
	apps, err := cl.Applications()
	if err != nil {
		return fmt.Errorf("reading EF_DIR: %w", err)
	}
	line(w, "EF.DIR", "%d application(s)", len(apps))
	for _, a := range apps {
		kind := ""
		if a.IsUSIM() {
			kind = " (USIM)"
		}
		line(w, "", "AID %X label %q%s", a.AID, a.Label, kind)
	}

	// TS 31.102 §4: ADF.USIM, selected by the AID EF_DIR gives.
	if _, err := cl.SelectUSIM(); err != nil {
		return fmt.Errorf("selecting ADF.USIM: %w", err)
	}
	line(w, "ADF.USIM", "selected, AID %X", cl.USIMAID())

	if err := verifyPIN1(w, cl, cfg); err != nil {
		return err
	}

	// TS 31.102 §4.2.2, §4.2.18: IMSI, with the MNC length from EF_AD.
	imsi, err := cl.ReadIMSI()
	if err != nil {
		return fmt.Errorf("reading EF_IMSI: %w", err)
	}
	ad, err := cl.ReadAD()
	if err != nil {
		return fmt.Errorf("reading EF_AD: %w", err)
	}
	if ad.MNCLen == 2 || ad.MNCLen == 3 {
		line(w, "IMSI", "%s (MCC %s, MNC %s)", imsi, imsi.MCC(), imsi.MNC(int(ad.MNCLen)))
	} else {
		line(w, "IMSI", "%s (MCC %s; EF_AD gives no MNC length)", imsi, imsi.MCC())
	}
	line(w, "AD", "UE operation mode: %s; MNC length %d", ad.Mode, ad.MNCLen)

	// TS 31.102 §4.2.12: EF_SPN is optional (service 19 of EF_UST).
	switch spn, err := cl.ReadSPN(); {
	case errors.Is(err, apdu.SWFileNotFound):
		line(w, "SPN", "no EF_SPN (6A82)")
	case errors.Is(err, ef.ErrEmpty):
		line(w, "SPN", "EF_SPN erased (all FF)")
	case err != nil:
		return fmt.Errorf("reading EF_SPN: %w", err)
	default:
		line(w, "SPN", "%q, display: %s", spn.Name, spn.Display)
	}

	// TS 31.102 §4.2.8: the services the USIM offers.
	ust, err := cl.ReadUST()
	if err != nil {
		return fmt.Errorf("reading EF_UST: %w", err)
	}
	svcs := ust.Services()
	line(w, "UST", "%d service(s) available", len(svcs))
	for _, s := range svcs {
		line(w, "", "%3d %s", int(s), s)
	}

	if cfg.k != nil {
		return authenticate(w, cl, cfg)
	}
	line(w, "AUTH", "skipped (give -k and -opc to run AUTHENTICATE)")
	return nil
}

// verifyPIN1 makes PIN1 verified if the card needs it (TS 102 221 §11.1.9):
// an empty VERIFY asks the card; a physical card's PIN is never guessed.
func verifyPIN1(w io.Writer, cl *client.Client, cfg config) error {
	retries, verified, err := cl.PINStatus(ef.KeyPIN1)
	if err != nil {
		return fmt.Errorf("asking PIN1 status: %w", err)
	}
	switch {
	case verified:
		line(w, "PIN1", "not needed (disabled or already verified)")
		return nil
	case retries == 0:
		return errors.New("PIN1 is blocked (63C0): unblock it with PUK1 first (TS 102 221 §11.1.13)")
	case cfg.pin == "":
		return fmt.Errorf("PIN1 must be verified to read the USIM's files (%d tries left): give it with -pin", retries)
	}
	err = cl.VerifyPIN(ef.KeyPIN1, cfg.pin)
	var ce *client.CommandError
	if errors.As(err, &ce) {
		if left, ok := ce.SW.Retries(); ok {
			return fmt.Errorf("VERIFY PIN1: wrong PIN (%v), %d tries left", ce.SW, left)
		}
	}
	if err != nil {
		return fmt.Errorf("VERIFY PIN1: %w", err)
	}
	from := "-pin"
	if cfg.pinFromProfile {
		from = "the emulated profile's PIN1"
	}
	line(w, "PIN1", "verified with %s (%d tries were left)", from, retries)
	return nil
}

package main

import (
	"encoding/hex"
	"fmt"
	"io"
	"strings"

	"github.com/uiccsim/uiccsim/apdu/atr"
	"github.com/uiccsim/uiccsim/usim/ef"
)

func init() {
	register(&command{
		name:     "info",
		summary:  "show a card: ATR decoded, ICCID, applications, PIN state, IMSI, MSISDN, SPN, AD, UST services",
		synopsis: "[--reader NAME | --image FILE] [--pin DIGITS]",
		example: `uiccsim info --pin 1234
uiccsim info --reader "Virtual PCD 00 01" --json`,
		setup: setupInfo,
	})
}

// pinState is the retry counter of one PIN (TS 102 221 §11.1.9 with no data:
// 63Cx, or 9000 when no verification is needed).
type pinState struct {
	Retries int    `json:"retries"`
	NoNeed  bool   `json:"verified_or_disabled"`
	Error   string `json:"error,omitempty"`
}

// service is one available service of EF_UST (TS 31.102 §4.2.8).
type service struct {
	N    int    `json:"n"`
	Name string `json:"name"`
}

// infoResult is the JSON form of "uiccsim info".
type infoResult struct {
	Reader       string              `json:"reader"`
	ATR          string              `json:"atr"`
	ATRDecoded   string              `json:"atr_decoded,omitempty"`
	ICCID        string              `json:"iccid,omitempty"`
	Applications []appInfo           `json:"applications,omitempty"`
	PINs         map[string]pinState `json:"pins,omitempty"`
	IMSI         string              `json:"imsi,omitempty"`
	MCC          string              `json:"mcc,omitempty"`
	MNC          string              `json:"mnc,omitempty"`
	MSISDN       []string            `json:"msisdn,omitempty"`
	SPN          string              `json:"spn,omitempty"`
	AD           string              `json:"ad,omitempty"`
	UST          []service           `json:"ust,omitempty"`
	// Unread lists what could not be read and why (e.g. PIN1 needed).
	Unread map[string]string `json:"unread,omitempty"`
}

type appInfo struct {
	AID   string `json:"aid"`
	Label string `json:"label,omitempty"`
	USIM  bool   `json:"usim,omitempty"`
}

func setupInfo(e *env, fs *flagSet) func([]string) error {
	cf := addCardFlags(fs)
	return func(args []string) error {
		if len(args) > 0 {
			return usagef("unexpected argument %q", args[0])
		}
		s, err := cf.open()
		if err != nil {
			return err
		}
		res, err := gatherInfo(s, cf)
		if cerr := s.close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
		return e.output(res, res.print)
	}
}

// gatherInfo reads what it can; a file the card refuses (PIN1 not given) is
// listed in Unread rather than failing the command.
func gatherInfo(s *session, cf *cardFlags) (*infoResult, error) {
	res := &infoResult{Reader: s.reader, ATR: strings.ToUpper(hex.EncodeToString(s.atr)), Unread: map[string]string{}}
	if a, err := atr.Parse(s.atr); err == nil {
		res.ATRDecoded = a.String()
	} else {
		res.ATRDecoded = "not a valid ATR: " + err.Error()
	}
	cl := s.cl
	iccid, err := cl.ReadICCID()
	if err != nil {
		return nil, cardErr("reading EF.ICCID", err)
	}
	res.ICCID = iccid.String()
	apps, err := cl.Applications()
	if err != nil {
		res.Unread["applications"] = err.Error()
	}
	for _, a := range apps {
		res.Applications = append(res.Applications, appInfo{AID: strings.ToUpper(hex.EncodeToString(a.AID)), Label: a.Label, USIM: a.IsUSIM()})
	}
	if _, err := cl.SelectUSIM(); err != nil {
		// A SIM-only card, or a UICC without a USIM: show what there is.
		res.Unread["ADF.USIM"] = cardErr("selecting ADF.USIM", err).Error()
		return res, nil
	}
	res.PINs = map[string]pinState{}
	for _, ref := range []ef.KeyRef{ef.KeyPIN1, ef.KeyPIN2, ef.KeyADM1} {
		n, ok, err := cl.PINStatus(ref)
		st := pinState{Retries: n, NoNeed: ok}
		if err != nil {
			st.Error = err.Error()
		}
		res.PINs[ref.String()] = st
	}
	if err := s.verify(cf); err != nil {
		return nil, err
	}
	unread := func(what string, err error) {
		res.Unread[what] = cardErr("reading "+what, err).Error()
	}
	ad, adErr := cl.ReadAD()
	if adErr != nil {
		unread("EF.AD", adErr)
	} else {
		res.AD = ad.String()
	}
	if imsi, err := cl.ReadIMSI(); err != nil {
		unread("EF.IMSI", err)
	} else {
		res.IMSI = imsi.String()
		res.MCC = imsi.MCC()
		if adErr == nil && ad.MNCLen != 0 {
			res.MNC = imsi.MNC(int(ad.MNCLen))
		}
	}
	if nums, err := cl.ReadMSISDN(); err != nil {
		unread("EF.MSISDN", err)
	} else {
		for _, n := range nums {
			res.MSISDN = append(res.MSISDN, n.String())
		}
	}
	if spn, err := cl.ReadSPN(); err != nil {
		unread("EF.SPN", err)
	} else {
		res.SPN = spn.Name
	}
	if ust, err := cl.ReadUST(); err != nil {
		unread("EF.UST", err)
	} else {
		for _, sv := range ust.Services() {
			res.UST = append(res.UST, service{N: int(sv), Name: sv.String()})
		}
	}
	if len(res.Unread) == 0 {
		res.Unread = nil
	}
	return res, nil
}

func (r *infoResult) print(w io.Writer) {
	fmt.Fprintf(w, "reader    %s\n", r.Reader)
	fmt.Fprintf(w, "ATR       %s\n", r.ATR)
	for _, l := range strings.Split(r.ATRDecoded, "\n") {
		fmt.Fprintf(w, "          %s\n", l)
	}
	fmt.Fprintf(w, "ICCID     %s\n", r.ICCID)
	for _, a := range r.Applications {
		kind := ""
		if a.USIM {
			kind = " (USIM)"
		}
		fmt.Fprintf(w, "app       %s %q%s\n", a.AID, a.Label, kind)
	}
	for _, name := range []string{ef.KeyPIN1.String(), ef.KeyPIN2.String(), ef.KeyADM1.String()} {
		st, ok := r.PINs[name]
		if !ok {
			continue
		}
		switch {
		case st.Error != "":
			fmt.Fprintf(w, "%-9s %s\n", name, st.Error)
		case st.NoNeed:
			fmt.Fprintf(w, "%-9s no verification needed (disabled or already verified)\n", name)
		default:
			fmt.Fprintf(w, "%-9s %d tries left\n", name, st.Retries)
		}
	}
	if r.IMSI != "" {
		fmt.Fprintf(w, "IMSI      %s (MCC %s", r.IMSI, r.MCC)
		if r.MNC != "" {
			fmt.Fprintf(w, ", MNC %s", r.MNC)
		}
		fmt.Fprintln(w, ")")
	}
	for _, m := range r.MSISDN {
		fmt.Fprintf(w, "MSISDN    %s\n", m)
	}
	if r.SPN != "" {
		fmt.Fprintf(w, "SPN       %q\n", r.SPN)
	}
	if r.AD != "" {
		fmt.Fprintf(w, "AD        %s\n", r.AD)
	}
	if len(r.UST) > 0 {
		fmt.Fprintln(w, "UST       available services:")
		for _, sv := range r.UST {
			fmt.Fprintf(w, "          n°%-3d %s\n", sv.N, sv.Name)
		}
	}
	for _, what := range []string{"ADF.USIM", "EF.IMSI", "EF.AD", "EF.MSISDN", "EF.SPN", "EF.UST", "applications"} {
		if why, ok := r.Unread[what]; ok {
			fmt.Fprintf(w, "%-9s not read: %s\n", what, why)
		}
	}
}

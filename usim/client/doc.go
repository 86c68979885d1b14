// Package client drives a UICC/USIM over any apdu.Transport — the
// emulated card in-process, a card served through vpcd, or a physical card
// over PC/SC — with typed operations: select the MF and ADF.USIM (found in
// EF_DIR, ETSI TS 102 221 §13.1), read and decode EF_IMSI, EF_ICCID,
// EF_AD, EF_UST, EF_SPN and EF_MSISDN (package ef), verify PINs (TS 102
// 221 §11.1.9) and run AUTHENTICATE in 3G and GSM context (3GPP TS 31.102
// §7.1.2).
//
// The client speaks T=0 as terminals do (ETSI TS 102 221 §7.3.1.1.4): it
// fetches response data announced by 61xx (and 9Fxx) with GET RESPONSE and
// resends a command refused with 6Cxx with the Le the card asked for.
//
// A card's refusal comes back as a *CommandError that wraps the status
// word, so errors.Is(err, apdu.SWFileNotFound) works.
package client

// Package usim builds the emulated UICC with its USIM application from a
// profile (package profile): the MF with EF_ICCID, EF_DIR, EF_PL and
// EF_ARR (ETSI TS 102 221 §13), ADF.USIM with the files of 3GPP TS 31.102
// §4.2 at their FIDs and SFIs, the PINs and ADM key, and the USIM applet
// that adds AUTHENTICATE (TS 31.102 §7.1.2) in 3G and GSM context with
// Milenage or the XOR test algorithm, keeping the SQN array of TS 33.102
// Annex C in the card's store so every update is atomic with the command.
//
// A Card is an apdu.Transport: drive it in-process with package client, or
// serve it to vpcd. All persistent state lives in one usim/store Store, so
// Card.SaveImage and OpenImage carry a card across processes.
package usim

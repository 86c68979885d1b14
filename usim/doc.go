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
//
// # Key pairs
//
// The card holds its credentials as a keystore.List (3GPP TR 33.812
// §5.3.2.2) in the store cell usim.keys: the profile's key_pairs, or one
// pair of auth.k/OPc and ota_key_sets. AUTHENTICATE and the OTA engine
// always use the active pair's K/OPc and OTA key sets (KeyState,
// Exhausted). Pairs left behind are encoded without keys and the cell's
// tail is zero-filled at every rewrite, so the store image keeps no wiped
// key.
//
// # OTA
//
// ENVELOPE (SMS-PP data download, tag D1, 3GPP TS 31.111 §7.1.1) goes to
// an ota/engine Engine: KIc/KID key version → the active pair's key set,
// the replay counter per key set written into usim.keys inside the
// ENVELOPE command's store transaction (so it commits with whatever the
// packet changes: a torn write never opens a replay window), TAR →
// application with its MSL (profile ota_apps, stored in usim.ota; by
// default):
//
//	B00000  RFM of the UICC file system (TS 102 226 §5)  MSL 12  access ADM1 PIN1 PIN2
//	B00010  RFM of ADF.USIM (TS 31.116)                  MSL 12  access ADM1 PIN1 PIN2
//	BFFF33  key management (package keystore/cardapp)    MSL 16
//
// RFM runs its scripts on the card's file system in its own context
// (current DF/EF starting at the MF or the ADF) with the access domain's
// key references evaluated against EF_ARR, never touching the terminal's
// channels or PIN status, and queues a proactive REFRESH (TS 102 223
// §6.4.7: UICC reset by default, or NAA initialisation / file change
// notification naming the changed files) after the PoR when a script
// changed a file. The PoR comes in the ENVELOPE response (61xx / GET
// RESPONSE on T=0) or as a proactive SEND SHORT MESSAGE (91xx, FETCH), as
// the SPI asks.
//
// Terminal is a test terminal (the device) that activates the card,
// fetches and carries out proactive commands (REFRESH: reset, re-select,
// re-read EF_IMSI) and is the apdu.Transport an ota/server Card talks
// through.
package usim

// Package jc is a Java Card–style card runtime (after the Java Card 3
// Runtime Environment Specification) speaking the UICC transmission rules
// of ETSI TS 102 221:
//
//   - applets installed under an AID (RID ‖ PIX) with Select / Deselect /
//     Process hooks; a handler returns an apdu.StatusWord as its error
//     (the ISOException idiom) and appends response data to ctx.Out;
//   - SELECT by DF name (P1=04) with full or right-truncated names and
//     first/last/next/previous occurrence, application session termination
//     (TS 102 221 §11.1.1);
//   - logical channels 0–19 (MANAGE CHANNEL, §11.1.17; class byte coding
//     §10.1.1), each with its own current application, while the issuer
//     layer (Base, the usim/fs file system) keeps each channel's DF and EF;
//   - response data only with SW1 61, 62, 63 or 90–9F; T=0 behaviour
//     (61xx + GET RESPONSE, 6Cxx) by default, T=1 direct answers on request;
//   - every command in one usim/store transaction, committed when it
//     succeeds and rolled back when it fails or power is lost;
//   - proactive plumbing (TS 102 221 §7.4.2, §11.2): TERMINAL PROFILE,
//     ENVELOPE and TERMINAL RESPONSE hooks, a FETCH queue announced by 91xx;
//   - Exec, which runs remote APDUs (ETSI TS 102 226) for an OTA applet on
//     an internal channel (RemoteChannel) inside the current transaction.
//
// A Runtime is an apdu.Transport (and apdu.PowerOffer): Reset returns the
// ATR (a T=0 UICC ATR by default), Transmit appends the response APDU, so
// it can be driven in-process or served to vpcd. A Runtime is not safe for
// concurrent use: a card processes one command at a time, and so must its
// callers.
package jc

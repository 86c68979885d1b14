// Package keystore models the pre-configured list of subscriber key pairs of
// 3GPP TR 33.812 §5.3.2 (alternative 3b): an indexed list of K/OTA key pairs
// personalised into the UICC by its manufacturer, of which exactly one — the
// active pair — serves authentication (K and OPc, 3GPP TS 35.206 §2) and
// remote management (the OTA keys KIc and KID of ETSI TS 102 225 §5.1.2).
//
// The list only moves forward (TR 33.812 §5.3.2.2 step 5: "the next K/OTA key
// pair in the list"); the pairs left behind are wiped; when the last pair is
// active the list is exhausted (§5.3.2.2 step 9) and a further switch fails
// with ErrExhausted rather than wrapping around.
//
// The package also defines the compact, versioned binary encoding in which a
// card persists its list and in which the escrow (package keystore/escrow)
// stores and releases single pairs. Key material redacts itself in every fmt
// verb, so a key never reaches a log by accident.
package keystore

// Package apdufuzz fuzzes a card, an applet or any APDU handler with
// `go test -fuzz`: it decodes the fuzzer's bytes into a session of command
// APDUs — all seven cases of ISO/IEC 7816-3 §12.1.2 (short and extended),
// logical channels 0–19 in the class byte coding of ETSI TS 102 221
// §10.1.1 / ISO/IEC 7816-4 §5.4.1, command chaining (§5.3.3), SELECT by DF
// name of the applets under test, MANAGE CHANNEL, GET RESPONSE, cold and
// warm resets, malformed encodings (Lc mismatch, truncation, trailing
// bytes) and, for cards whose persistent state is a usim/store.Store,
// power loss after a chosen persistent write followed by a restart — and
// checks after every exchange the invariants a real card keeps:
//
//   - no panic, and the exchange itself never fails;
//   - a valid status word: SW1 in 61–6F or 90–9F, never 60 (the T=0 NULL
//     procedure byte) nor anything else (ISO/IEC 7816-4 §5.6, ETSI TS 102
//     221 §10.2);
//   - response data only with SW1 61, 62, 63 or 90–9F, never more than the
//     command's Ne, and none without Le (ISO/IEC 7816-4 §5.1); a 61xx
//     promise is kept by GET RESPONSE with Le=xx, a 6Cxx one by the
//     command resent with Le=xx (ISO/IEC 7816-3 §12.2, cases 2S and 4S);
//   - a rejected command (SW1 64 or 66–6F: execution errors with memory
//     unchanged and checking errors, ISO/IEC 7816-4 §5.6 Table 5) and a
//     reset change no persistent state, and a malformed APDU is rejected.
//     This includes 6Cxx: on T=0 the terminal resends the command with
//     Le=xx (ISO/IEC 7816-3 §12.2.3, case 2S.3), so a command that changed
//     state before answering 6Cxx runs twice;
//   - a power loss at any write leaves, after restart, the state before the
//     torn command (JCRE §7 atomicity);
//   - optionally, PIN and PUK retry counters move only as ETSI TS 102 221
//     §11.1.9–§11.1.13 say: one down per failed presentation, reset only by
//     a success, never a success once blocked.
//
// A user fuzzes an applet with a fuzz test of one line:
//
//	func FuzzPurse(f *testing.F) {
//		apdufuzz.Fuzz(f, newCard, apdufuzz.Config{INS: []byte{0x20, 0x50, 0x52, 0x54}})
//	}
//
// where newCard returns a fresh card (a *jc.Runtime with the applet
// installed, a usim.Card, any apdu.Transport). New, Fuzzer.Seeds and
// Fuzzer.Fuzz split the same into parts; Check returns the violation as an
// error instead of failing a test. The input format is private to the
// package: seeds come from Fuzzer.SeedInputs and Config.Scripts.
//
// A broken invariant fails the test with a Violation: the invariant, the
// step, what was wrong and the whole APDU transcript so far in hex.
package apdufuzz

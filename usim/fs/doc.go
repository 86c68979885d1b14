// Package fs is the UICC file system of ETSI TS 102 221 §8, §9 and §11:
// MF, DFs and ADFs; transparent, linear fixed and cyclic EFs with file and
// short file identifiers; FCP templates; SELECT (by FID with the §8.4.1
// search order, child DF, parent, path from the MF or the current DF;
// ADFs by AID through the runtime), STATUS, READ/UPDATE BINARY, READ/UPDATE
// RECORD, SEARCH RECORD (simple and enhanced, search.go), INCREASE,
// ACTIVATE/DEACTIVATE FILE, access rules from EF_ARR (§9.2.4 expanded
// format; tag 8B short or per security environment) or in the FCP itself
// (8C compact, AB expanded; secattr.go), the PIN commands (VERIFY, CHANGE,
// DISABLE, ENABLE, UNBLOCK) with retry counters and the scoping of
// security.go, and GET CHALLENGE.
//
// All state — every file's content and life cycle status, cyclic record
// order, PIN values and counters, and the tree itself — lives in cells of
// a usim/store Store, so a card saved as an image and reopened with Open
// comes back whole. Per-channel current DF/EF/application and PIN
// verification are volatile. Verification follows the key reference's
// scope (TS 102 221 §9.4, §9.5.1; security.go): global keys (application
// PINs 01..08, universal PIN 11, ADM 0A..0E) count card-wide, local keys
// (PIN2 81..88, ADM 8A..8E) only within the application session they were
// verified in; DISABLE PIN P1=91 replaces an application PIN by the
// universal PIN.
//
// # Building a card
//
// A caller (a profile loader) builds the tree once, attaches it to a jc
// runtime and installs the applications:
//
//	st := store.New(store.Options{})
//	f, _ := fs.New(st, fs.Spec{Name: "MF", ARR: fs.ARRRef{FID: 0x2F06, Record: 1},
//		PINs: []fs.KeyRef{fs.KeyPIN1, fs.KeyADM1}}, fs.Options{})
//	f.AddEF(f.MF(), fs.Spec{FID: 0x2F06, Name: "EF.ARR", Structure: fs.LinearFixed,
//		RecordLen: 32, Records: 4, Data: rules, ARR: fs.ARRRef{FID: 0x2F06, Record: 1}})
//	f.AddEF(f.MF(), fs.Spec{FID: 0x2FE2, SFI: 2, Name: "EF.ICCID", Size: 10,
//		Data: iccid, ARR: fs.ARRRef{FID: 0x2F06, Record: 2}})
//	adf, _ := f.AddADF(fs.Spec{FID: 0x7FF0, Name: "ADF.USIM", AID: usimAID,
//		ARR: ..., PINs: []fs.KeyRef{fs.KeyPIN1, fs.KeyPIN2, fs.KeyADM1}})
//	f.AddEF(adf, fs.Spec{FID: 0x6F07, SFI: 7, Name: "EF.IMSI", Size: 9, ...})
//	f.AddPIN(fs.PIN{Ref: fs.KeyPIN1, Value: []byte("1234"), PUK: []byte("12345678")})
//	f.AddPIN(fs.PIN{Ref: fs.KeyADM1, Value: adm})
//
//	rt := jc.New(jc.Options{Store: st})
//	f.Attach(rt)                        // the file system handles commands no applet claims
//	rt.Install(usimAID, &USIM{App: f.App(adf)}) // an application with commands of its own
//	f.InstallApps(rt)                   // the plain App for every other ADF
//	rt.Reset(true)
//
// An application applet embeds *App (or calls App.Select / FS.Process):
// App.Select makes the ADF current and answers its FCP; its Process passes
// everything to the file system, so an applet overrides Process for its
// own instructions (AUTHENTICATE) and forwards the rest. Handlers read EF
// contents with Content / Record (read-only views) and change them with
// Write / WriteRecord, which run inside the command's store transaction.
//
// Commands an OTA applet runs for the card (jc.Runtime.Exec, remote APDUs
// of ETSI TS 102 226) use the remote channel, whose rights SetRemoteAccess
// grants (full access, or those of ADM1…) instead of the terminal's PIN
// verifications.
//
// After restoring an image (store.LoadFile), fs.Open(st, opts) rebuilds the
// same FS; attach it and install the applets again. Store cell names
// beginning "fs." and "pin." belong to this package; applets keep their own
// state in cells under other names.
package fs

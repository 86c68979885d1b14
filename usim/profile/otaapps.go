package profile

// Kinds of OTA application a profile can install (OTAApp.App).
const (
	// AppRFMUICC is remote file management of the UICC file system,
	// ETSI TS 102 226 §5 (conventional TAR B00000, TS 101 220 Annex D).
	AppRFMUICC = "rfm-uicc"
	// AppRFMUSIM is remote file management of ADF.USIM, 3GPP TS 31.116
	// (conventional TAR B00010): a script starts with the ADF current.
	AppRFMUSIM = "rfm-usim"
	// AppKeyManagement is uiccsim's key-management application of 3GPP
	// TR 33.812 alternatives 3a/3b (package keystore/cardapp): SWITCH and
	// REPLACE KEYS.
	AppKeyManagement = "keymgmt"
)

// REFRESH modes an RFM application may queue after a script changed files
// (OTAApp.Refresh), ETSI TS 102 223 §8.6.
const (
	RefreshNone      = "none"       // no REFRESH
	RefreshFCN       = "fcn"        // file change notification (01)
	RefreshNAAInit   = "naa-init"   // NAA initialisation and file change notification (02)
	RefreshUICCReset = "uicc-reset" // UICC reset (04)
)

// OTAApp installs one application reachable by OTA: its TAR (ETSI TS 101
// 220 §6), its minimum security level (MSL, TS 102 226 §8.2.1.3.2.4, coded
// like SPI1 of TS 102 225 §5.1.1), and for RFM the access domain (TS 102
// 226 §8.2.1.3.2.3: the key references whose access conditions the
// application satisfies) and the REFRESH it queues after changing files.
type OTAApp struct {
	Comment string `json:"_comment,omitempty"`
	// App is AppRFMUICC, AppRFMUSIM or AppKeyManagement.
	App string `json:"app"`
	// TAR is the 3-byte toolkit application reference.
	TAR HexBytes `json:"tar"`
	// MSL is the one-byte minimum security level, e.g. "16": CC,
	// ciphering, counter higher.
	MSL HexBytes `json:"msl"`
	// Access lists the key references (TS 102 221 Table 9.3) the RFM
	// application holds, e.g. "0a" for ADM1; empty means ADM1, PIN1 and
	// PIN2.
	Access HexBytes `json:"access,omitempty"`
	// Refresh is the REFRESH an RFM application queues after changing
	// files: RefreshNone, RefreshFCN, RefreshNAAInit or RefreshUICCReset
	// (the default).
	Refresh string `json:"refresh,omitempty"`
}

func validateOTAApps(apps []OTAApp) error {
	seen := map[string]bool{}
	for i, a := range apps {
		f := idx("ota_apps", i)
		switch a.App {
		case AppRFMUICC, AppRFMUSIM, AppKeyManagement:
		default:
			return bad(f+".app", "%q, want %q, %q or %q", a.App, AppRFMUICC, AppRFMUSIM, AppKeyManagement)
		}
		if len(a.TAR) != 3 {
			return bad(f+".tar", "TAR of %d bytes, want 3", len(a.TAR))
		}
		if seen[string(a.TAR)] {
			return bad(f+".tar", "TAR %X installed twice", []byte(a.TAR))
		}
		seen[string(a.TAR)] = true
		if len(a.MSL) != 1 {
			return bad(f+".msl", "MSL of %d bytes, want 1", len(a.MSL))
		}
		if a.MSL[0]&0xE0 != 0 {
			return bad(f+".msl", "MSL %02X uses bits b8..b6, which SPI1 reserves", a.MSL[0])
		}
		for j, k := range a.Access {
			if !(k >= 0x01 && k <= 0x08) && !(k >= 0x81 && k <= 0x88) && k != 0x11 && !(k >= 0x0A && k <= 0x0E) && !(k >= 0x8A && k <= 0x8E) {
				return bad(idx(f+".access", j), "%02X is no key reference of TS 102 221 Table 9.3", k)
			}
		}
		switch a.Refresh {
		case "", RefreshNone, RefreshFCN, RefreshNAAInit, RefreshUICCReset:
		default:
			return bad(f+".refresh", "%q, want %q, %q, %q or %q", a.Refresh, RefreshNone, RefreshFCN, RefreshNAAInit, RefreshUICCReset)
		}
	}
	return nil
}

// Package profile describes one emulated UICC/USIM in a human-readable JSON
// file: its identities (ICCID, IMSI), its authentication secrets and state
// (K, OPc or OP, Milenage or the XOR test algorithm, the SQN array of
// TS 33.102 Annex C), its PINs, PUKs and ADM keys with retry counters, the
// elementary files whose content differs from the defaults, and the OTA key
// sets and key-pair lists later features use.
//
// # File format
//
// A profile is a JSON object (see Template for a complete, commented one):
//
//	{
//	  "_comment": "free text; every object may carry one",
//	  "name": "lab card 7",
//	  "iccid": "8900101012345678901X",          // 1..20 digits, Luhn checked when 19/20
//	  "imsi": "001010123456789",                // 6..15 digits
//	  "mnc_len": 2,                             // MNC digits in the IMSI, EF_AD byte 4
//	  "auth": {
//	    "algorithm": "milenage",                // or "xor" (TS 34.108 §8.1.2)
//	    "k": "<32 hex>", "opc": "<32 hex>",     // or "op" instead of "opc"
//	    "sqn": {"ind_bits": 5, "seq_ms": [0, 0, ...], "accepted": ["<12 hex>"]}
//	  },
//	  "pins": {"pin1": {"value": "1234", "retries": 3, "max": 3, "enabled": true}, ...},
//	  "files": {"ADF.USIM/EF.SPN": {"spn": {"name": "uiccsim", "display": 1}},
//	            "ADF.USIM/EF.FPLMN": {"hex": "62f210ffffff..."}},
//	  "ota_key_sets": [{"kvn": 1, "kic": {"algorithm": "aes", "key": "<hex>"},
//	                    "kid": {"algorithm": "aes", "key": "<hex>"}, "tars": ["b00010"]}],
//	  "key_pairs": [{"index": 0, "imsi": "<the profile's imsi>", "k": "<auth.k>"},
//	                {"index": 1, "imsi": "...", "k": "<32 hex>", "opc": "<32 hex>",
//	                 "ota_key_sets": [{"kvn": 1, "kic": {...}, "kid": {...}}]}],
//	  "ota_apps": [{"app": "rfm-usim", "tar": "b00010", "msl": "12",
//	                "access": "0a0181", "refresh": "uicc-reset"},
//	               {"app": "keymgmt", "tar": "bfff33", "msl": "16"}]
//	}
//
// key_pairs is the indexed K/OTA key list of 3GPP TR 33.812 alternative
// 3b; pair 0 is the initial subscription (the profile's imsi and auth.k)
// and takes the top-level ota_key_sets when it lists none. ota_apps
// installs the applications reachable by OTA (TAR, minimum security level
// coded like SPI1 of ETSI TS 102 225 §5.1.1, for RFM the access domain of
// TS 102 226 §8.2.1.3.2.3 and the REFRESH it queues); left out, the card
// installs its defaults (package usim).
//
// JSON has no comments, so the format reserves the key "_comment" in every
// object for prose; loading ignores it and rejects every other unknown key,
// so a typo is named instead of silently dropped. WriteTemplate writes the
// default profile with a "_comment" on each section.
//
// Secrets (K, OP/OPc, PIN values, OTA keys) are held in types whose
// String and GoString are redacted; they appear in clear only in the JSON
// file itself, which is the card's key material and must be protected as
// such.
//
// # Validation
//
// Load and Validate name the first bad field with its JSON path and what
// was wrong, e.g. "profile: imsi: digit count 16 exceeds 15", and wrap
// ErrInvalid (and the ef sentinel where a codec refused the value).
package profile

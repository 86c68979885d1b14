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
//	  "ota_key_sets": [...], "key_pairs": [...]
//	}
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

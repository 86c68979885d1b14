// Command uiccsim serves, inspects, authenticates and decodes UICC/USIM cards,
// emulated or physical, from the shell.
//
// Usage:
//
//	uiccsim [--json] <command> [flags] [arguments]
//	uiccsim help [command]
//
// Commands:
//
//	serve     run an emulated card behind vpcd (vsmartcard), so pcscd and every
//	          PC/SC program see it; --image keeps it between runs, -v traces
//	readers   list PC/SC readers and the ATRs of their cards
//	info      ATR decoded, ICCID, applications, PIN state, IMSI, MSISDN, SPN,
//	          AD, UST services
//	read      read an EF by path (ADF.USIM/EF.IMSI) and decode it
//	write     update an EF by path from a typed value or hex
//	apdu      send command APDUs and show the responses decoded
//	auth      AUTHENTICATE with a fresh vector (resynchronising once) and
//	          verify RES/CK/IK/Kc, or send raw RAND/AUTN
//	aka       compute vectors and check AUTS like osmo-auc-gen
//	ota       send an SCP80-secured RFM script by ENVELOPE, or print its
//	          SMS-DELIVER TPDUs for an SMSC
//	profile   write, validate and show card profiles
//	trace     decode a hex APDU log into spec names
//
// Commands that talk to a card take --reader NAME (default: the only reader
// holding a card) or --image FILE, which works on an emulated card saved by
// "serve --image" in-process and saves it back.
//
// Every command prints a human-readable result by default and one JSON
// document with --json (given before or after the command name), so scripts
// never parse the human form; "serve --json" writes one JSON object per line.
// "uiccsim <command> -h" prints the command's flags and an example.
//
// Exit codes:
//
//	0  success
//	1  the card or the check said no: a status word other than 9000, a MAC or
//	   RES that does not verify, a PoR that is not OK, a profile that does not
//	   validate
//	2  usage: unknown command, bad flag, malformed hex or argument
//	3  environment: no reader, file not readable, transport or I/O failure
//
// A 30-second tour (pcscd and vsmartcard-vpcd installed; pcscd running):
//
//	# terminal 1
//	uiccsim serve -v
//	# terminal 2
//	uiccsim readers
//	uiccsim info --pin 1234
//	uiccsim read --pin 1234 ADF.USIM/EF.IMSI
//	uiccsim auth --pin 1234 --k 465b5ce8b199b49faa5f0a2ee238a6bc --opc cd63cb71954a9f4e48a5994e37a02baf
//
// and over the air, with a profile that has an OTA key set:
//
//	uiccsim profile new --ota --random-keys card.json
//	uiccsim serve --profile card.json --image card.img     # terminal 1
//	uiccsim ota send --profile card.json 00A40004026F07 00D6000009080910100000000024 00B0000009
//	uiccsim read --pin 1234 ADF.USIM/EF.IMSI               # 001010000000042
package main

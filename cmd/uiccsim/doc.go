// Command uiccsim serves, inspects, authenticates and decodes UICC/USIM cards,
// emulated or physical, from the shell.
//
// Usage:
//
//	uiccsim [--json] <command> [flags] [arguments]
//	uiccsim help [command]
//
// Every command prints a human-readable result by default and one JSON
// document with --json (given before or after the command name), so scripts
// never parse the human form. "uiccsim <command> -h" prints the command's
// flags and an example.
//
// Exit codes:
//
//	0  success
//	1  the card or the check said no: a status word other than 9000, a MAC or
//	   RES that does not verify, a profile that does not validate
//	2  usage: unknown command, bad flag, malformed hex or argument
//	3  environment: no reader, file not readable, transport or I/O failure
package main

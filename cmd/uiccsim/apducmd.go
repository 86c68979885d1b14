package main

import (
	"encoding/hex"
	"fmt"
	"io"
	"strings"

	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/internal/apdutrace"
)

func init() {
	register(&command{
		name:     "apdu",
		summary:  "send command APDUs to a card and show each response decoded (T=0 GET RESPONSE handled unless --raw)",
		synopsis: "[--reader NAME | --image FILE] [--pin DIGITS] [--adm KEY] [--raw] APDU...",
		example: `uiccsim apdu 00A40004023F0000 80F2000000
uiccsim apdu --pin 1234 00A4040407A0000000871002 00A40004026F07 00B0000009`,
		setup: setupAPDU,
	})
}

// apduExchange is one command and the card's final answer.
type apduExchange struct {
	Command  string `json:"command"`
	Response string `json:"response"`
	SW       string `json:"sw"`
	apdutrace.Entry
}

func setupAPDU(e *env, fs *flagSet) func([]string) error {
	cf := addCardFlags(fs)
	raw := fs.Bool("raw", false, "send each APDU as given and show the card's first answer (no GET RESPONSE for 61xx/9Fxx, no resend for 6Cxx)")
	return func(args []string) error {
		if len(args) == 0 {
			return usagef("give at least one command APDU in hex")
		}
		cmds := make([][]byte, len(args))
		for i, a := range args {
			b, err := parseHex(a)
			if err != nil {
				return usagef("APDU %d: %v", i+1, err)
			}
			if _, err := apdu.ParseCommand(b); err != nil {
				return usagef("APDU %d %s: %v", i+1, a, err)
			}
			cmds[i] = b
		}
		s, err := cf.open()
		if err != nil {
			return err
		}
		res, err := sendAPDUs(s, cf, cmds, *raw)
		if cerr := s.close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
		if err := e.output(res, func(w io.Writer) {
			for _, x := range res {
				fmt.Fprintf(w, "> %s\n< %s\n  %s\n", x.Command, strings.TrimSpace(x.Response+" "+x.SW), x.Entry.String())
			}
		}); err != nil {
			return err
		}
		// Exit 1 when the card refused the last command (a script's
		// outcome), after everything was shown.
		if last := res[len(res)-1].Entry.SW; !executed(last) {
			return &exitError{exitNo, errSilent}
		}
		return nil
	}
}

// executed reports whether sw ends a command normally: 9000, 91xx/92xx
// (normal ending with extra information) or 61xx/9Fxx (response bytes
// waiting, seen with --raw), TS 102 221 §10.2.1.1.
func executed(sw apdu.StatusWord) bool {
	switch sw >> 8 {
	case 0x90, 0x91, 0x92, 0x61, 0x9F:
		return true
	}
	return false
}

// sendAPDUs sends each command; the answers, not their status words,
// decide nothing here: a refusal is shown like any answer.
func sendAPDUs(s *session, cf *cardFlags, cmds [][]byte, raw bool) ([]apduExchange, error) {
	if err := s.verify(cf); err != nil {
		return nil, err
	}
	var tr apdutrace.Tracer
	out := make([]apduExchange, 0, len(cmds))
	for _, c := range cmds {
		var rsp []byte
		if raw {
			r, err := s.t.Transmit(nil, c)
			if err != nil {
				return out, envf("transmit %X: %v", c, err)
			}
			rsp = r
		} else {
			cmd, _ := apdu.ParseCommand(c)
			data, sw, err := s.cl.Exchange(cmd)
			if err != nil {
				return out, envf("transmit %X: %v", c, err)
			}
			rsp = apdu.AppendResponse(nil, data, sw)
		}
		if len(rsp) < 2 {
			return out, envf("card answered %X to %X: no status word", rsp, c)
		}
		x := apduExchange{
			Command:  strings.ToUpper(hex.EncodeToString(c)),
			Response: strings.ToUpper(hex.EncodeToString(rsp[:len(rsp)-2])),
			SW:       strings.ToUpper(hex.EncodeToString(rsp[len(rsp)-2:])),
			Entry:    tr.Describe(c, rsp),
		}
		out = append(out, x)
	}
	return out, nil
}

package main

import (
	"encoding/hex"
	"fmt"
	"io"
	"strings"

	"github.com/uiccsim/uiccsim/apdu/pcsc"
)

func init() {
	register(&command{
		name:     "readers",
		summary:  "list the PC/SC readers and the ATR of the card in each",
		synopsis: "",
		example:  `uiccsim readers`,
		setup:    setupReaders,
	})
}

// readerInfo is the JSON form of one reader.
type readerInfo struct {
	Index  int    `json:"index"`
	Name   string `json:"name"`
	Card   bool   `json:"card"`
	ATR    string `json:"atr,omitempty"`
	Status string `json:"status,omitempty"`
}

func setupReaders(e *env, fs *flagSet) func([]string) error {
	return func(args []string) error {
		if len(args) > 0 {
			return usagef("unexpected argument %q", args[0])
		}
		ctx, err := pcsc.Open()
		if err != nil {
			return pcscErr(err)
		}
		defer ctx.Close()
		// The reader states carry each card's ATR, so listing connects to no
		// card and cannot wait behind another program's transaction.
		states, err := ctx.ReaderStates()
		if err != nil {
			return pcscErr(err)
		}
		list := make([]readerInfo, 0, len(states))
		for i, st := range states {
			ri := readerInfo{Index: i, Name: st.Name, Card: st.Present}
			if st.Present {
				ri.ATR = strings.ToUpper(hex.EncodeToString(st.ATR))
				switch {
				case st.Mute:
					ri.Status = "mute card"
				case st.Exclusive:
					ri.Status = "in exclusive use"
				}
			}
			list = append(list, ri)
		}
		return e.output(list, func(w io.Writer) {
			if len(list) == 0 {
				fmt.Fprintln(w, "no PC/SC readers (vpcd: apt-get install vsmartcard-vpcd)")
			}
			for _, r := range list {
				state := "empty"
				if r.Card {
					state = "card, ATR " + r.ATR
					if r.Status != "" {
						state += " (" + r.Status + ")"
					}
				}
				fmt.Fprintf(w, "%d: %s  [%s]\n", r.Index, r.Name, state)
			}
		})
	}
}

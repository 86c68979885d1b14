// Command pcsc-card drives a UICC/USIM in a PC/SC reader — a physical card,
// or uiccsim's emulated USIM served to the vsmartcard vpcd reader — with
// the same client code (package usim/client over package apdu/pcsc): it
// decodes the ATR (ISO/IEC 7816-3 §8), reads EF_ICCID and EF_DIR (ETSI
// TS 102 221 §13.2, §13.1), selects ADF.USIM, verifies PIN1 if needed
// (TS 102 221 §11.1.9) and reads EF_IMSI, EF_AD, EF_SPN and EF_UST (3GPP
// TS 31.102 §4.2.2, §4.2.18, §4.2.12, §4.2.8); given K and OPc it runs
// AUTHENTICATE (TS 31.102 §7.1.2) with a vector computed by package
// milenage and checks RES, CK and IK.
//
//	go run ./examples/pcsc-card                # the card in the first reader that holds one
//	go run ./examples/pcsc-card -emulate       # serve the built-in USIM to vpcd, then drive it
//	go run ./examples/pcsc-card -emulate -k 465B5CE8B199B49FAA5F0A2EE238A6BC \
//	    -opc CD63CB71954A9F4E48A5994E37A02BAF  # ... and authenticate (TS 35.208 set 1)
//
// Flags:
//
//	-reader NAME  use this reader (default: the first that holds a card;
//	              with -emulate: the vpcd reader of -vpcd's port)
//	-pin DIGITS   PIN1 to verify (with -emulate the profile's, 1234, is
//	              used when the card asks and none is given; a physical
//	              card's PIN is never guessed)
//	-k, -opc HEX  subscriber key and OPc: run AUTHENTICATE and check it
//	-sqn HEX      SQN of the first vector (12 hex digits); a card that
//	              answers with AUTS is resynchronised once
//	-emulate      serve usim.New(profile.Default()) to vpcd first
//	-vpcd ADDR    vpcd address for -emulate (default 127.0.0.1:35963)
//	-t0           wrap the card in apdu/t0 (GET RESPONSE below the client)
//
// It exits 0 when every step worked, 1 with a message on stderr otherwise.
package main

import (
	"context"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/apdu/pcsc"
	"github.com/uiccsim/uiccsim/apdu/t0"
	"github.com/uiccsim/uiccsim/apdu/vpcd"
	"github.com/uiccsim/uiccsim/milenage"
)

// config is what the flags ask for.
type config struct {
	reader string
	pin    string
	// pinFromProfile says pin is the emulated profile's PIN1: presented
	// only when the card asks for it.
	pinFromProfile bool
	k, opc         *milenage.Key // nil unless given
	sqn            milenage.SQN
	emulate        bool
	vpcd           string
	t0             bool
}

// errUsage marks a bad command line (exit status 2, as package flag does).
var errUsage = errors.New("usage")

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var cfg config
	fs := flag.NewFlagSet("pcsc-card", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cfg.reader, "reader", "", "PC/SC reader to use (default: the first holding a card; with -emulate: the vpcd reader of -vpcd)")
	fs.StringVar(&cfg.pin, "pin", "", "PIN1 to verify (digits)")
	k := fs.String("k", "", "subscriber key K, 32 hex digits (with -opc: run AUTHENTICATE)")
	opc := fs.String("opc", "", "OPc, 32 hex digits (with -k)")
	sqn := fs.String("sqn", "000000000020", "SQN of the first authentication vector, 12 hex digits (SEQ 1, IND 0 with a 5-bit IND)")
	fs.BoolVar(&cfg.emulate, "emulate", false, "serve uiccsim's built-in USIM (profile.Default) to vpcd and drive it over PC/SC")
	fs.StringVar(&cfg.vpcd, "vpcd", vpcd.DefaultAddr, "vpcd address the emulated card connects to (-emulate)")
	fs.BoolVar(&cfg.t0, "t0", false, "wrap the card in apdu/t0, which follows 61xx/6Cxx below the client")
	if err := fs.Parse(args); err != nil {
		return cfg, fmt.Errorf("%w: %w", errUsage, err)
	}
	if fs.NArg() > 0 {
		return cfg, fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	}
	if (*k == "") != (*opc == "") {
		return cfg, fmt.Errorf("%w: -k and -opc go together", errUsage)
	}
	if *k != "" {
		kk, err := parseKey("-k", *k)
		if err != nil {
			return cfg, err
		}
		oo, err := parseKey("-opc", *opc)
		if err != nil {
			return cfg, err
		}
		cfg.k, cfg.opc = &kk, &oo
	}
	b, err := hex.DecodeString(*sqn)
	if err == nil {
		cfg.sqn, err = milenage.ParseSQN(b)
	}
	if err != nil {
		return cfg, fmt.Errorf("%w: -sqn %q: want 12 hex digits (%v)", errUsage, *sqn, err)
	}
	for _, c := range cfg.pin {
		if c < '0' || c > '9' {
			return cfg, fmt.Errorf("%w: -pin: digits only", errUsage)
		}
	}
	if len(cfg.pin) > 8 || (cfg.pin != "" && len(cfg.pin) < 4) {
		return cfg, fmt.Errorf("%w: -pin: 4 to 8 digits (TS 102 221 §9.5.1)", errUsage)
	}
	return cfg, nil
}

// parseKey decodes a 128-bit key flag without echoing its value.
func parseKey(name, s string) (milenage.Key, error) {
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != 16 {
		return milenage.Key{}, fmt.Errorf("%w: %s: want 32 hex digits (got %d characters)", errUsage, name, len(s))
	}
	return milenage.ParseKey(b)
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is the whole program; it returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	cfg, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "pcsc-card: %v\n", err)
		return 2
	}
	if err := session(cfg, stdout); err != nil {
		fmt.Fprintf(stderr, "pcsc-card: %v\n", err)
		return 1
	}
	return 0
}

// connectWait bounds how long the example waits for a card that another
// program holds in a transaction (pcscd holds SCardConnect back meanwhile).
const connectWait = 10 * time.Second

// session finds (or serves) the card, connects to it over PC/SC and
// drives it.
func session(cfg config, w io.Writer) error {
	ctx, err := pcsc.Open()
	if errors.Is(err, pcsc.ErrNoService) {
		return fmt.Errorf("%w\n  pcscd is not running: start it (systemctl start pcscd.socket, or pcscd -f as root); "+
			"for -emulate it also needs vsmartcard's vpcd driver (apt-get install pcscd vsmartcard-vpcd)", err)
	}
	if err != nil {
		return err
	}
	defer ctx.Close()

	reader, origin := cfg.reader, "PC/SC reader"
	if cfg.emulate {
		em, err := emulate(ctx, cfg, w)
		if err != nil {
			return err
		}
		defer em.stop()
		reader, origin = em.reader, "emulated card served to vpcd at "+cfg.vpcd
		if cfg.pin == "" {
			cfg.pin, cfg.pinFromProfile = em.pin1, true
		}
	} else {
		states, err := ctx.ReaderStates()
		if err != nil {
			return err
		}
		st, err := chooseReader(states, reader)
		if err != nil {
			return err
		}
		reader = st.Name
	}

	card, err := connectWithin(ctx, reader, connectWait)
	if err != nil {
		return err
	}
	defer card.Close()
	atr, err := card.ATR()
	if err != nil {
		return err
	}
	var tr apdu.Transport = card
	how := card.Protocol().String()
	if cfg.t0 {
		tr = t0.New(card)
		how += ", through apdu/t0"
	}
	fmt.Fprintf(w, "%-9s %s (%s, %s)\n", "reader", reader, origin, how)
	return drive(w, tr, atr, cfg)
}

// connectWithin connects to reader, giving up after wait: a card that
// another program keeps in a transaction is reported busy instead of
// hanging the example.
func connectWithin(ctx *pcsc.Context, reader string, wait time.Duration) (*pcsc.Card, error) {
	type result struct {
		c   *pcsc.Card
		err error
	}
	ch := make(chan result) // unbuffered: a late result goes to cancel's branch
	cctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		c, err := ctx.Connect(reader, pcsc.Any)
		select {
		case ch <- result{c, err}:
		case <-cctx.Done():
			if c != nil {
				c.Close()
			}
		}
	}()
	select {
	case r := <-ch:
		return r.c, r.err
	case <-time.After(wait):
		return nil, fmt.Errorf("reader %q: card busy, another program holds it in a transaction (waited %v)", reader, wait)
	}
}

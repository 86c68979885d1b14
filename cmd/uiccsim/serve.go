package main

import (
	"context"
	"encoding/hex"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"

	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/apdu/vpcd"
	"github.com/uiccsim/uiccsim/internal/apdutrace"
	"github.com/uiccsim/uiccsim/usim"
	"github.com/uiccsim/uiccsim/usim/client"
	"github.com/uiccsim/uiccsim/usim/profile"
)

func init() {
	register(&command{
		name:     "serve",
		summary:  "run an emulated card behind vpcd so every PC/SC program (pcsc_scan, opensc-tool, pySim) sees it",
		synopsis: "[--profile FILE] [--image FILE] [--vpcd HOST:PORT] [-v]",
		example: `uiccsim serve -v
uiccsim serve --profile card.json --image card.img --vpcd 127.0.0.1:35964`,
		setup: setupServe,
	})
}

// vpcdReaders names the readers of Debian's vpcd configuration by the port
// the card connects to (shared/README.md).
var vpcdReaders = map[string]string{
	"35963": "Virtual PCD 00 00",
	"35964": "Virtual PCD 00 01",
}

// serveEvent is one line of "serve --json": the start, every APDU with -v,
// resets with -v, and the stop.
type serveEvent struct {
	Event  string `json:"event"`
	Addr   string `json:"vpcd,omitempty"`
	Reader string `json:"reader,omitempty"`
	ICCID  string `json:"iccid,omitempty"`
	IMSI   string `json:"imsi,omitempty"`
	Image  string `json:"image,omitempty"`
	ATR    string `json:"atr,omitempty"`
	Cold   bool   `json:"cold,omitempty"`
	Msg    string `json:"message,omitempty"`
	*apdutrace.Entry
}

func setupServe(e *env, fs *flagSet) func([]string) error {
	profilePath := fs.String("profile", "", "card profile `FILE` (JSON, see \"uiccsim profile new\"); the built-in test profile when absent; ignored when --image restores a card")
	image := fs.String("image", "", "card image `FILE`: the card is restored from it when it exists (then --profile is not needed) and saved to it after every change and at exit")
	addr := fs.String("vpcd", vpcd.DefaultAddr, "vpcd address `HOST:PORT` (port 35963 is reader \"Virtual PCD 00 00\", 35964 \"Virtual PCD 00 01\")")
	verbose := fs.Bool("v", false, "print every APDU decoded: command name, file names, status word meaning (never PIN or key values)")
	return func(args []string) error {
		if len(args) > 0 {
			return usagef("unexpected argument %q", args[0])
		}
		card, ev, err := openServedCard(*profilePath, *image)
		if err != nil {
			return err
		}
		defer card.Close()
		ev.Addr = *addr
		ev.Reader = vpcdReaders[(*addr)[strings.LastIndexByte(*addr, ':')+1:]]
		out := &eventWriter{e: e}
		sc := &servedCard{card: card, image: *image, verbose: *verbose, out: out, saved: card.Store().Writes()}

		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		var lastLog string // a vpcd that stays away is reported once, not at every retry
		srv := vpcd.NewServer(sc,
			vpcd.WithAddr(*addr),
			vpcd.WithLogf(func(format string, a ...any) {
				msg := strings.TrimPrefix(fmt.Sprintf(format, a...), "vpcd: ")
				key, _, retry := strings.Cut(msg, "; retrying")
				if key == lastLog {
					return
				}
				lastLog = key
				if retry {
					msg = key + "; retrying until vpcd is there (is pcscd running with the vpcd driver?)"
				}
				out.emit(serveEvent{Event: "vpcd", Msg: msg})
			}),
			vpcd.WithOnConnect(func() {
				lastLog = ""
				out.emit(serveEvent{Event: "connected", Addr: *addr})
			}),
		)
		ev.Event = "serving"
		out.emit(ev)
		serveErr := srv.Serve(ctx)
		stop()
		saveErr := sc.save()
		out.emit(serveEvent{Event: "stopped", Image: *image})
		if serveErr != nil {
			return envf("serving on vpcd %s: %v", *addr, serveErr)
		}
		if saveErr != nil {
			return envf("saving card image: %v", saveErr)
		}
		return nil
	}
}

// openServedCard restores the card from image when that file exists, else
// builds it from the profile (or the built-in default), and describes it.
func openServedCard(profilePath, image string) (*usim.Card, serveEvent, error) {
	ev := serveEvent{Image: image}
	if image != "" {
		if _, err := os.Stat(image); err == nil {
			card, err := usim.OpenImage(image)
			if err != nil {
				return nil, ev, envf("restoring card from %s: %v", image, err)
			}
			// Read the ICCID (always readable, TS 102 221 §13.2) for the
			// banner, then reset so the terminal sees a fresh card.
			if iccid, err := client.New(card).ReadICCID(); err == nil {
				ev.ICCID = iccid.String()
			}
			if _, err := card.Reset(true); err != nil {
				return nil, ev, envf("resetting restored card: %v", err)
			}
			ev.Msg = "restored from image"
			if profilePath != "" {
				ev.Msg += "; --profile ignored (the image holds the whole card, keys included)"
			}
			return card, ev, nil
		}
	}
	p := profile.Default()
	ev.Msg = "built-in test profile (K/OPc of TS 35.208 set 1, PIN1 1234, ADM1 88888888)"
	if profilePath != "" {
		var err error
		if p, err = loadProfile(profilePath); err != nil {
			return nil, ev, err
		}
		ev.Msg = "profile " + profilePath
	}
	card, err := usim.New(p)
	if err != nil {
		return nil, ev, refusedf("building the card: %v", err)
	}
	ev.ICCID, ev.IMSI = p.ICCID, p.IMSI
	if n := len(p.OTAKeySets); n > 0 {
		ev.Msg += fmt.Sprintf("; %d OTA key set(s)", n)
	}
	if image != "" {
		if err := card.SaveImage(image); err != nil {
			card.Close()
			return nil, ev, envf("writing card image: %v", err)
		}
		ev.Msg += "; new image " + image
	}
	return card, ev, nil
}

// eventWriter prints serve events: one JSON object per line with --json,
// readable lines otherwise. vpcd's goroutine and the card share it.
type eventWriter struct {
	mu sync.Mutex
	e  *env
}

func (w *eventWriter) emit(ev serveEvent) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.e.json {
		b, err := jsonLine(ev)
		if err == nil {
			w.e.stdout.Write(b)
		}
		return
	}
	o := w.e.stdout
	switch ev.Event {
	case "serving":
		fmt.Fprintf(o, "uiccsim: serving card ICCID %s", ev.ICCID)
		if ev.IMSI != "" {
			fmt.Fprintf(o, " IMSI %s", ev.IMSI)
		}
		fmt.Fprintf(o, " (%s) on vpcd %s", ev.Msg, ev.Addr)
		if ev.Reader != "" {
			fmt.Fprintf(o, ", reader %q", ev.Reader)
		}
		fmt.Fprintln(o, "; Ctrl-C stops")
	case "connected":
		fmt.Fprintf(o, "uiccsim: connected to vpcd at %s\n", ev.Addr)
	case "reset":
		kind := "warm"
		if ev.Cold {
			kind = "cold"
		}
		fmt.Fprintf(o, "-- %s reset, ATR %s\n", kind, ev.ATR)
	case "apdu":
		fmt.Fprintln(o, ev.Entry.String())
	case "stopped":
		fmt.Fprint(o, "uiccsim: stopped")
		if ev.Image != "" {
			fmt.Fprintf(o, ", card saved to %s", ev.Image)
		}
		fmt.Fprintln(o)
	default:
		fmt.Fprintf(o, "uiccsim: %s: %s\n", ev.Event, ev.Msg)
	}
}

// servedCard is the card as vpcd sees it: it traces each APDU with -v and
// saves the card image whenever the card's persistent memory changed.
type servedCard struct {
	card    *usim.Card
	image   string
	verbose bool
	out     *eventWriter
	tracer  apdutrace.Tracer
	saved   uint64 // store write count at the last save
}

// Transmit implements apdu.Transport.
func (s *servedCard) Transmit(dst, cmd []byte) ([]byte, error) {
	n := len(dst)
	resp, err := s.card.Transmit(dst, cmd)
	if s.verbose && err == nil {
		ent := s.tracer.Describe(cmd, resp[n:])
		s.out.emit(serveEvent{Event: "apdu", Entry: &ent})
	}
	if err == nil {
		if serr := s.save(); serr != nil {
			s.out.emit(serveEvent{Event: "error", Msg: "saving card image: " + serr.Error()})
		}
	}
	return resp, err
}

// Reset implements apdu.Transport.
func (s *servedCard) Reset(cold bool) ([]byte, error) {
	atr, err := s.card.Reset(cold)
	s.tracer.Reset()
	if s.verbose && err == nil {
		s.out.emit(serveEvent{Event: "reset", Cold: cold, ATR: strings.ToUpper(hex.EncodeToString(atr))})
	}
	return atr, err
}

// PowerOff implements apdu.PowerOffer.
func (s *servedCard) PowerOff() error { return s.card.PowerOff() }

// Close implements apdu.Transport; the command closes the card itself.
func (s *servedCard) Close() error { return nil }

// save writes the image when the card's store was written since the last
// save (usim/store counts every persistent write).
func (s *servedCard) save() error {
	if s.image == "" {
		return nil
	}
	w := s.card.Store().Writes()
	if w == s.saved {
		return nil
	}
	if err := s.card.SaveImage(s.image); err != nil {
		return err
	}
	s.saved = w
	return nil
}

var _ apdu.PowerOffer = (*servedCard)(nil)

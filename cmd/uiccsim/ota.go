package main

import (
	"encoding/hex"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/uiccsim/uiccsim/ota/scp80"
	"github.com/uiccsim/uiccsim/ota/server"
	"github.com/uiccsim/uiccsim/ota/sms"
	"github.com/uiccsim/uiccsim/usim/profile"
)

func init() {
	register(&command{
		name:     "ota",
		summary:  "remote file management over SMS-PP: send a secured APDU script to a card, or print its SMS-DELIVER TPDUs",
		synopsis: "(send [--reader NAME | --image FILE] | sms [--envelope]) --profile FILE [--kvn N] [--tar HEX] [--spi HEX] [--counter N] APDU...",
		example: `uiccsim ota send --profile card.json --tar B00010 00A40004026F07 00B0000009
uiccsim ota sms --profile card.json 00A40004026F07 00D6000009080910100000000024`,
		setup: setupOTA,
	})
}

// otaKeyFlags say which key set secures the packet (TS 102 225 §5.1).
type otaKeyFlags struct {
	profile  *string
	kvn      *int
	kic, kid *hexValue
	alg      *string
	tar      *hexValue
	spi      *hexValue
	counter  *string
	expanded *bool
	orig     *string
}

// otaResult is the JSON form of "uiccsim ota".
type otaResult struct {
	Reader    string    `json:"reader,omitempty"`
	TAR       string    `json:"tar"`
	SPI       string    `json:"spi"`
	KIc       string    `json:"kic"`
	KID       string    `json:"kid"`
	Counter   uint64    `json:"counter"`
	TPDUs     []string  `json:"tpdus,omitempty"`
	Envelopes []string  `json:"envelopes,omitempty"`
	PoR       *porOut   `json:"por,omitempty"`
	APDUs     []apduOut `json:"apdus,omitempty"`
	// Proactive lists what the card asked the terminal to do afterwards
	// (REFRESH after a file changed, TS 102 226 §9.2).
	Proactive []string    `json:"proactive,omitempty"`
	Error     string      `json:"error,omitempty"`
	key       otaKeyFlags // not printed
}

type porOut struct {
	Status   string `json:"status"`
	StatusOK bool   `json:"ok"`
	Counter  string `json:"counter"`
	Executed int    `json:"executed"`
}

type apduOut struct {
	Command  string `json:"command"`
	Executed bool   `json:"executed"`
	SW       string `json:"sw,omitempty"`
	Data     string `json:"data,omitempty"`
	Text     string `json:"text"`
}

func setupOTA(e *env, fs *flagSet) func([]string) error {
	k := otaKeyFlags{
		profile:  fs.String("profile", "", "the card's profile `FILE`: its OTA key set gives KIc/KID keys and algorithms"),
		kvn:      fs.Int("kvn", 0, "key version number `N` of the profile's key set (default: its first)"),
		kic:      fs.hexFlag("kic", 0, "ciphering key in `HEX`, overriding the profile's (with --kid, --alg)"),
		kid:      fs.hexFlag("kid", 0, "checksum key in `HEX`, overriding the profile's"),
		alg:      fs.String("alg", "aes", "algorithm of --kic/--kid: `aes` or des3"),
		tar:      fs.hexFlag("tar", 3, "TAR of the receiving application in `HEX` (TS 101 220 Annex D: B00000 RFM UICC, B00010 RFM USIM)"),
		spi:      fs.hexFlag("spi", 2, "SPI in `HEX` (TS 102 225 §5.1.1; default 1619: CC, ciphered, counter higher, PoR with CC, ciphered)"),
		counter:  fs.String("counter", "", "CNTR as `N` (default: milliseconds since 2020, higher at every send)"),
		expanded: fs.Bool("expanded", false, "use the expanded remote command format (TS 102 226 §5.2) instead of the compact one"),
		orig:     fs.String("originator", "+4912345", "TP-OA of the SMS-DELIVERs (`DIGITS`, + for international)"),
	}
	cf := addCardFlags(fs)
	envelope := fs.Bool("envelope", false, "sms: print the ENVELOPE (SMS-PP download, TS 31.111 §7.1.1) C-APDUs instead of the TPDUs")
	return func(args []string) error {
		if len(args) == 0 || (args[0] != "send" && args[0] != "sms") {
			return usagef("want a subcommand: send or sms")
		}
		sub, args := args[0], args[1:]
		if len(args) == 0 {
			return usagef("%s: give at least one APDU in hex", sub)
		}
		apdus := make([][]byte, len(args))
		for i, a := range args {
			b, err := parseHex(a)
			if err != nil || len(b) < 4 {
				return usagef("APDU %d %q: want a command APDU in hex", i+1, a)
			}
			apdus[i] = b
		}
		card, err := k.serverCard()
		if err != nil {
			return err
		}
		res := &otaResult{TAR: card.TAR.String(), SPI: fmt.Sprintf("%02X%02X", card.SPI[0], card.SPI[1]),
			KIc: fmt.Sprintf("%02X", byte(card.KIc)), KID: fmt.Sprintf("%02X", byte(card.KID)), Counter: card.Counter + 1}
		if sub == "sms" {
			m, err := card.Prepare(apdus)
			if err != nil {
				return usagef("building the secured packet: %v", err)
			}
			if *envelope {
				envs, err := card.Envelopes(m)
				if err != nil {
					return usagef("building the ENVELOPEs: %v", err)
				}
				for _, c := range envs {
					res.Envelopes = append(res.Envelopes, strings.ToUpper(hex.EncodeToString(c.Bytes())))
				}
			} else {
				for _, t := range m.TPDUs {
					res.TPDUs = append(res.TPDUs, strings.ToUpper(hex.EncodeToString(t)))
				}
			}
			return e.output(res, res.print)
		}
		s, err := cf.open()
		if err != nil {
			return err
		}
		res.Reader = s.reader
		term := &proactiveTerminal{tr: s.t}
		m, r, err := card.Run(term, apdus)
		res.Proactive = term.done
		if cerr := s.close(); err == nil {
			err = cerr
		}
		if m != nil {
			for _, t := range m.TPDUs {
				res.TPDUs = append(res.TPDUs, strings.ToUpper(hex.EncodeToString(t)))
			}
		}
		if r != nil {
			res.PoR = &porOut{Status: r.PoR.Status.Error(), StatusOK: r.PoR.Status == scp80.StatusOK, Counter: hex.EncodeToString(r.PoR.CNTR[:]), Executed: r.Executed}
			for _, a := range r.APDUs {
				o := apduOut{Command: strings.ToUpper(hex.EncodeToString(a.Command)), Executed: a.Executed, Text: a.String()}
				if a.Reported {
					o.SW = fmt.Sprintf("%04X", uint16(a.SW))
					o.Data = strings.ToUpper(hex.EncodeToString(a.Data))
				}
				res.APDUs = append(res.APDUs, o)
			}
			if err == nil && !res.PoR.StatusOK {
				err = refusedf("the card's PoR says %s", res.PoR.Status)
			}
			if err == nil && r.Executed != len(apdus) {
				err = refusedf("the card executed %d of %d APDUs", r.Executed, len(apdus))
			}
		}
		if err != nil && e.json {
			res.Error = err.Error()
			if oerr := e.emitJSON(res); oerr != nil {
				return oerr
			}
			return &exitError{exitCode(err), errSilent}
		}
		if r != nil || err == nil {
			if oerr := e.output(res, res.print); err == nil {
				err = oerr
			}
		}
		if err != nil && exitCode(err) == exitEnv && r == nil {
			return envf("OTA: %v", err)
		}
		return err
	}
}

// serverCard builds the OTA server's view of the card: keys from the
// profile's key set (or the flags), KIc/KID bytes naming algorithm and KVN
// (TS 102 225 §5.1.2), the TAR, SPI and counter.
func (k *otaKeyFlags) serverCard() (*server.Card, error) {
	var p *profile.Profile
	var encAlg, macAlg string
	var enc, mac []byte
	kvn := *k.kvn
	if k.kic.set != k.kid.set {
		return nil, usagef("give both --kic and --kid")
	}
	if *k.profile != "" {
		var err error
		if p, err = loadProfile(*k.profile); err != nil {
			return nil, err
		}
	}
	switch {
	case k.kic.set:
		// Explicit keys win over the profile's.
		encAlg, macAlg, enc, mac = *k.alg, *k.alg, k.kic.b, k.kid.b
		if kvn == 0 {
			kvn = 1
		}
	case p != nil:
		if len(p.OTAKeySets) == 0 {
			return nil, usagef("%s has no OTA key set (\"uiccsim profile new --ota\" adds one)", *k.profile)
		}
		ks := p.OTAKeySets[0]
		if kvn != 0 {
			found := false
			for _, s := range p.OTAKeySets {
				if s.KVN == kvn {
					ks, found = s, true
				}
			}
			if !found {
				return nil, usagef("%s has no key set with KVN %d", *k.profile, kvn)
			}
		}
		kvn = ks.KVN
		encAlg, enc, macAlg, mac = ks.KIc.Algorithm, ks.KIc.Bytes(), ks.KID.Algorithm, ks.KID.Bytes()
	default:
		return nil, usagef("give --profile (the card's key set) or --kic and --kid")
	}
	ea, ec, err := otaCipher(encAlg, enc)
	if err != nil {
		return nil, usagef("KIc key: %v", err)
	}
	ma, mc, err := otaCipher(macAlg, mac)
	if err != nil {
		return nil, usagef("KID key: %v", err)
	}
	c := &server.Card{
		TAR:      scp80.TARRFMUSIM,
		SPI:      scp80.SPI{0x16, 0x19},
		KIc:      scp80.NewKIc(ea, kvn),
		KID:      scp80.NewKID(ma, kvn),
		Keys:     scp80.Keys{Enc: ec, MAC: mc},
		Expanded: *k.expanded,
	}
	if k.tar.set {
		c.TAR = scp80.TAR(k.tar.b)
	}
	if k.spi.set {
		c.SPI = scp80.SPI(k.spi.b)
	}
	// Milliseconds since 2020 fit the 40-bit CNTR (TS 102 225 §5.1.1) until
	// 2054 and grow between any two runs of the command.
	cntr := uint64(time.Since(counterEpoch).Milliseconds())
	if *k.counter != "" {
		if cntr, err = strconv.ParseUint(*k.counter, 0, 64); err != nil || cntr == 0 || cntr > scp80.MaxCounter {
			return nil, usagef("--counter %q: want 1..%d", *k.counter, uint64(scp80.MaxCounter))
		}
	}
	c.Counter = cntr - 1 // Prepare sends Counter+1
	digits := strings.TrimPrefix(*k.orig, "+")
	c.Originator = sms.Address{TON: sms.TONUnknown, NPI: sms.NPIISDN, Digits: digits}
	if strings.HasPrefix(*k.orig, "+") {
		c.Originator.TON = sms.TONInternational
	}
	return c, nil
}

// counterEpoch is where the default CNTR counts milliseconds from.
var counterEpoch = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)

// otaCipher expands a key as the card does (ota/uicc): "aes" with 16, 24
// or 32 octets, "des3" with 16 (2-key) or 24 (3-key) octets.
func otaCipher(alg string, key []byte) (scp80.Algorithm, *scp80.Cipher, error) {
	a := scp80.AlgAES
	switch strings.ToLower(alg) {
	case "aes":
	case "des3":
		a = scp80.Alg3DES2
		if len(key) == 24 {
			a = scp80.Alg3DES3
		}
	default:
		return 0, nil, fmt.Errorf("algorithm %q: want aes or des3", alg)
	}
	c, err := scp80.NewCipher(a, key)
	return a, c, err
}

func (r *otaResult) print(w io.Writer) {
	if r.Reader != "" {
		fmt.Fprintf(w, "reader    %s\n", r.Reader)
	}
	if r.PoR == nil {
		for _, t := range r.TPDUs {
			fmt.Fprintln(w, t)
		}
		for _, c := range r.Envelopes {
			fmt.Fprintln(w, c)
		}
		return
	}
	fmt.Fprintf(w, "sent      TAR %s SPI %s KIc %s KID %s CNTR %d in %d SMS-DELIVER\n", r.TAR, r.SPI, r.KIc, r.KID, r.Counter, len(r.TPDUs))
	fmt.Fprintf(w, "PoR       %s, CNTR %s, %d APDUs executed\n", r.PoR.Status, r.PoR.Counter, r.PoR.Executed)
	for i, a := range r.APDUs {
		fmt.Fprintf(w, "APDU %-4d %s\n", i+1, a.Text)
	}
	for _, d := range r.Proactive {
		fmt.Fprintf(w, "terminal  %s\n", d)
	}
}

package main

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/uiccsim/uiccsim/usim/profile"
)

func init() {
	register(&command{
		name:     "profile",
		summary:  "write a commented default card profile, validate one, or show one with keys hidden",
		synopsis: "new [--force] [--imsi N] [--iccid N] [--random-keys] [--ota] [FILE] | check FILE... | show [--show-keys] [FILE]",
		example: `uiccsim profile new --imsi 001010000000042 --random-keys card.json
uiccsim profile check card.json
uiccsim profile show card.json`,
		setup: setupProfile,
	})
}

// hidden replaces a secret in "profile show" unless --show-keys is given.
const hidden = "(hidden; --show-keys shows it)"

func setupProfile(e *env, fs *flagSet) func([]string) error {
	force := fs.Bool("force", false, "new: overwrite an existing FILE")
	name := fs.String("name", "", "new: the profile's name")
	imsi := fs.String("imsi", "", "new: IMSI, 6..15 digits (TS 31.102 §4.2.2)")
	iccid := fs.String("iccid", "", "new: ICCID, 1..20 digits, Luhn-checked at 19/20 (TS 102 221 §13.2)")
	k := fs.hexFlag("k", 16, "new: subscriber key K, 16 bytes in `HEX`")
	opc := fs.hexFlag("opc", 16, "new: Milenage OPc, 16 bytes in `HEX`")
	randomKeys := fs.Bool("random-keys", false, "new: draw K and OPc from crypto/rand instead of the TS 35.208 test set 1 values")
	ota := fs.Bool("ota", false, "new: add OTA key set 1 (random AES KIc/KID, TARs B00000 RFM UICC and B00010 RFM USIM, TS 102 225/226)")
	showKeys := fs.Bool("show-keys", false, "show: print K, OPc/OP, PINs and OTA keys in clear")
	return func(args []string) error {
		if len(args) == 0 {
			return usagef("want a subcommand: new, check or show")
		}
		sub, args := args[0], args[1:]
		switch sub {
		case "new":
			if len(args) > 1 {
				return usagef("new: at most one FILE")
			}
			p := profile.Template()
			if *name != "" {
				p.Name = *name
			}
			if *imsi != "" {
				p.IMSI = *imsi
			}
			if *iccid != "" {
				p.ICCID = *iccid
			}
			if *randomKeys && (k.set || opc.set) {
				return usagef("new: --random-keys and --k/--opc exclude each other")
			}
			if *randomKeys {
				var kk, oo profile.Key128
				if _, err := rand.Read(kk[:]); err != nil {
					return envf("random K: %v", err)
				}
				if _, err := rand.Read(oo[:]); err != nil {
					return envf("random OPc: %v", err)
				}
				p.Auth.K, p.Auth.OPc, p.Auth.OP = kk, &oo, nil
			}
			if k.set {
				p.Auth.K = profile.Key128(k.b)
			}
			if opc.set {
				o := profile.Key128(opc.b)
				p.Auth.OPc, p.Auth.OP = &o, nil
			}
			if *ota {
				ks, err := randomOTAKeySet()
				if err != nil {
					return err
				}
				p.OTAKeySets = append(p.OTAKeySets, ks)
			}
			if err := p.Validate(); err != nil {
				return usagef("%v", err)
			}
			return profileNew(e, p, args, *force)
		case "check":
			if len(args) == 0 {
				return usagef("check: want at least one FILE")
			}
			return profileCheck(e, args)
		case "show":
			if len(args) > 1 {
				return usagef("show: at most one FILE")
			}
			p := profile.Default()
			src := "built-in default profile"
			if len(args) == 1 {
				var err error
				if p, err = loadProfile(args[0]); err != nil {
					return err
				}
				src = args[0]
			}
			return profileShow(e, p, src, *showKeys)
		}
		return usagef("unknown profile subcommand %q: want new, check or show", sub)
	}
}

// randomOTAKeySet returns key set 1 with fresh AES-128 KIc and KID for the
// RFM applications of the UICC and ADF.USIM (TS 101 220 Annex D).
func randomOTAKeySet() (profile.OTAKeySet, error) {
	var kic, kid [16]byte
	if _, err := rand.Read(kic[:]); err != nil {
		return profile.OTAKeySet{}, envf("random KIc: %v", err)
	}
	if _, err := rand.Read(kid[:]); err != nil {
		return profile.OTAKeySet{}, envf("random KID: %v", err)
	}
	return profile.OTAKeySet{
		Comment: "SCP80 key set (TS 102 225 5.1): kvn 1..15, kic/kid algorithm aes or des3 with hex keys, TARs reached with it, counter = last CNTR accepted",
		KVN:     1,
		KIc:     profile.OTAKey{Algorithm: "aes", Key: profile.Secret(hex.EncodeToString(kic[:]))},
		KID:     profile.OTAKey{Algorithm: "aes", Key: profile.Secret(hex.EncodeToString(kid[:]))},
		TARs:    []profile.HexBytes{{0xB0, 0x00, 0x00}, {0xB0, 0x00, 0x10}},
	}, nil
}

// loadProfile loads and validates a profile file: a missing or unreadable
// file is an environment failure, an invalid one a refusal (exit 1) whose
// message names the field.
func loadProfile(path string) (*profile.Profile, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, envf("%v", err)
	}
	p, err := profile.Load(path)
	if err != nil {
		msg := err.Error()
		if !strings.Contains(msg, path) {
			msg = path + ": " + msg
		}
		if errors.Is(err, profile.ErrInvalid) {
			return nil, refusedf("%s", msg)
		}
		return nil, envf("%s", msg)
	}
	return p, nil
}

func profileNew(e *env, p *profile.Profile, args []string, force bool) error {
	if len(args) == 0 || args[0] == "-" {
		b, err := p.Marshal()
		if err != nil {
			return envf("%v", err)
		}
		_, err = e.stdout.Write(b)
		return err
	}
	path := args[0]
	if _, err := os.Stat(path); err == nil && !force {
		return usagef("%s exists; --force overwrites it", path)
	}
	if err := p.Save(path); err != nil {
		return envf("writing %s: %v", path, err)
	}
	return e.output(map[string]string{"written": path, "iccid": p.ICCID, "imsi": p.IMSI}, func(w io.Writer) {
		fmt.Fprintf(w, "wrote %s (ICCID %s, IMSI %s); it holds the card's keys: keep it private\n", path, p.ICCID, p.IMSI)
	})
}

// checkResult is the JSON form of one checked file.
type checkResult struct {
	File  string `json:"file"`
	Valid bool   `json:"valid"`
	Error string `json:"error,omitempty"`
}

func profileCheck(e *env, files []string) error {
	var res []checkResult
	var first error
	for _, f := range files {
		_, err := loadProfile(f)
		r := checkResult{File: f, Valid: err == nil}
		if err != nil {
			r.Error = err.Error()
			if first == nil || exitCode(err) > exitCode(first) {
				first = err
			}
		}
		res = append(res, r)
	}
	if e.json {
		if err := e.emitJSON(res); err != nil {
			return err
		}
		if first != nil {
			return &exitError{exitCode(first), errSilent}
		}
		return nil
	}
	for _, r := range res {
		if r.Valid {
			fmt.Fprintf(e.stdout, "%s: valid\n", r.File)
		}
	}
	return first
}

// profileShow prints the profile: a summary for people, the profile's JSON
// for --json; secrets are replaced unless showKeys.
func profileShow(e *env, p *profile.Profile, src string, showKeys bool) error {
	b, err := p.Marshal()
	if err != nil {
		return refusedf("%s: %v", src, err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		return envf("re-reading profile JSON: %v", err)
	}
	if !showKeys {
		redactProfile(doc)
	}
	if e.json {
		return e.emitJSON(doc)
	}
	w := e.stdout
	str := func(m map[string]any, k string) string {
		if v, ok := m[k]; ok && v != nil {
			return fmt.Sprint(v)
		}
		return ""
	}
	fmt.Fprintf(w, "profile   %s (%s)\n", str(doc, "name"), src)
	fmt.Fprintf(w, "ICCID     %s\nIMSI      %s (MNC %s digits)\n", p.ICCID, p.IMSI, str(doc, "mnc_len"))
	fmt.Fprintf(w, "USIM AID  %X\n", p.AID())
	if a, ok := doc["auth"].(map[string]any); ok {
		fmt.Fprintf(w, "auth      %s\n", str(a, "algorithm"))
		for _, key := range []string{"k", "opc", "op"} {
			if v := str(a, key); v != "" {
				fmt.Fprintf(w, "  %-7s %s\n", strings.ToUpper(key), v)
			}
		}
		if s, ok := a["sqn"].(map[string]any); ok {
			fmt.Fprintf(w, "  SQN     IND %s bits", str(s, "ind_bits"))
			if v := str(s, "seq_ms"); v != "" {
				fmt.Fprintf(w, ", SEQ_MS %s", v)
			}
			fmt.Fprintln(w)
		}
	}
	if pins, ok := doc["pins"].(map[string]any); ok {
		fmt.Fprintln(w, "PINs")
		for _, n := range []string{"pin1", "pin2", "puk1", "puk2", "adm1"} {
			pm, _ := pins[n].(map[string]any)
			if pm == nil {
				continue
			}
			v := str(pm, "value")
			if v == "" {
				v = str(pm, "hex")
			}
			line := fmt.Sprintf("  %-7s %s, %s of %s tries left", strings.ToUpper(n), v, str(pm, "retries"), str(pm, "max"))
			if str(pm, "enabled") == "false" {
				line += ", disabled"
			}
			fmt.Fprintln(w, line)
		}
	}
	if len(p.Files) > 0 {
		names := make([]string, 0, len(p.Files))
		for n := range p.Files {
			names = append(names, n)
		}
		sort.Strings(names)
		fmt.Fprintf(w, "files     %s (others at their defaults)\n", strings.Join(names, ", "))
	}
	for _, ks := range p.OTAKeySets {
		kic, kid := hidden, hidden
		if showKeys {
			kic, kid = string(ks.KIc.Key), string(ks.KID.Key)
		}
		tars := make([]string, len(ks.TARs))
		for i, t := range ks.TARs {
			tars[i] = fmt.Sprintf("%X", []byte(t))
		}
		fmt.Fprintf(w, "OTA KVN %d  KIc %s %s, KID %s %s, TARs %s\n", ks.KVN, ks.KIc.Algorithm, kic, ks.KID.Algorithm, kid, strings.Join(tars, " "))
	}
	for _, kp := range p.KeyPairs {
		kv := hidden
		if showKeys {
			kv = fmt.Sprintf("%x", kp.K[:])
		}
		fmt.Fprintf(w, "key pair  #%d IMSI %s K %s\n", kp.Index, kp.IMSI, kv)
	}
	return nil
}

// redactProfile replaces every secret of a profile's JSON form (K, OP, OPc,
// PIN/PUK/ADM values, OTA keys, key-pair keys) with a placeholder.
func redactProfile(doc map[string]any) {
	hide := func(m map[string]any, keys ...string) {
		for _, k := range keys {
			if _, ok := m[k]; ok {
				m[k] = hidden
			}
		}
	}
	if a, ok := doc["auth"].(map[string]any); ok {
		hide(a, "k", "opc", "op")
	}
	if pins, ok := doc["pins"].(map[string]any); ok {
		for _, v := range pins {
			if pm, ok := v.(map[string]any); ok {
				hide(pm, "value", "hex")
			}
		}
	}
	if sets, ok := doc["ota_key_sets"].([]any); ok {
		for _, s := range sets {
			if sm, ok := s.(map[string]any); ok {
				for _, k := range []string{"kic", "kid"} {
					if km, ok := sm[k].(map[string]any); ok {
						hide(km, "key")
					}
				}
			}
		}
	}
	if kps, ok := doc["key_pairs"].([]any); ok {
		for _, kp := range kps {
			if m, ok := kp.(map[string]any); ok {
				hide(m, "k", "opc")
			}
		}
	}
}

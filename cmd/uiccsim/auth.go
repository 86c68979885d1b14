package main

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"io"
	"strings"

	"github.com/uiccsim/uiccsim/milenage"
	"github.com/uiccsim/uiccsim/usim/client"
)

func init() {
	register(&command{
		name:     "auth",
		summary:  "run AUTHENTICATE on a card with a fresh vector and verify RES, CK, IK and Kc (or send raw RAND/AUTN)",
		synopsis: "[--reader NAME | --image FILE] [--pin DIGITS] --k HEX (--opc HEX | --op HEX) [--sqn N] [--amf HEX] [--gsm] | --rand HEX --autn HEX",
		example: `uiccsim auth --pin 1234 --k 465b5ce8b199b49faa5f0a2ee238a6bc --opc cd63cb71954a9f4e48a5994e37a02baf
uiccsim auth --pin 1234 --rand 23553cbe9637a89d218ae64dae47bf35 --autn 55f328b43577b9b94a9ffac354dfafb3`,
		setup: setupAuth,
	})
}

// authAttempt is one AUTHENTICATE in 3G context (TS 31.102 §7.1.2).
type authAttempt struct {
	RAND    string  `json:"rand"`
	AUTN    string  `json:"autn"`
	SQN     *uint64 `json:"sqn,omitempty"`
	Outcome string  `json:"outcome"`
	AUTS    string  `json:"auts,omitempty"`
	SQNMS   *uint64 `json:"sqn_ms,omitempty"`
}

// authResult is the JSON form of "uiccsim auth".
type authResult struct {
	Reader   string        `json:"reader"`
	Attempts []authAttempt `json:"attempts"`
	RES      string        `json:"res,omitempty"`
	// CK, IK and Kc are printed only for raw --rand/--autn without --k,
	// where there is nothing to compare them with.
	CK string `json:"ck,omitempty"`
	IK string `json:"ik,omitempty"`
	Kc string `json:"kc,omitempty"`
	// Checks maps what was verified (RES, CK, IK, Kc, GSM SRES, GSM Kc) to
	// whether the card's value matched the one computed from K.
	Checks map[string]bool `json:"checks,omitempty"`
	// Error says why the command failed after talking to the card.
	Error string `json:"error,omitempty"`
}

func setupAuth(e *env, fs *flagSet) func([]string) error {
	cf := addCardFlags(fs)
	alg := fs.String("alg", "milenage", "algorithm of the card: `milenage` or xor")
	resLen := fs.Int("res-len", 8, "xor: RES length in `BYTES` (4..16; profiles default to 8)")
	k := fs.hexFlag("k", 16, "subscriber key K, 16 bytes in `HEX`")
	opc := fs.hexFlag("opc", 16, "Milenage OPc, 16 bytes in `HEX`")
	op := fs.hexFlag("op", 16, "Milenage OP, 16 bytes in `HEX`")
	sqnStr := fs.String("sqn", "32", "SQN of the first vector as `N` (decimal or 0x hex); a card that answers with AUTS is resynchronised once (TS 33.102 §6.3.5)")
	amf := fs.hexFlag("amf", 2, "AMF, 2 bytes in `HEX` (default 0000)")
	rnd := fs.hexFlag("rand", 16, "raw RAND, 16 bytes in `HEX` (with --autn: sent as given)")
	autn := fs.hexFlag("autn", 16, "raw AUTN, 16 bytes in `HEX` (with --rand)")
	gsm := fs.Bool("gsm", false, "also run AUTHENTICATE in GSM context (P2=80) and check SRES and Kc (TS 33.102 §6.8.1.2)")
	return func(args []string) error {
		if len(args) > 0 {
			return usagef("unexpected argument %q", args[0])
		}
		if autn.set != rnd.set && autn.set {
			return usagef("--autn needs --rand")
		}
		raw := autn.set
		var a milenage.Algorithm
		if k.set {
			var err error
			if a, err = akaAlgorithm(*alg, k, opc, op, *resLen); err != nil {
				return err
			}
		} else if !raw {
			return usagef("give --k with --opc/--op to run a fresh vector, or --rand and --autn to send raw values")
		}
		sqn, err := parseSQN(*sqnStr)
		if err != nil {
			return usagef("--sqn: %v", err)
		}
		var m milenage.AMF
		if amf.set {
			m = milenage.AMF(uint16(amf.b[0])<<8 | uint16(amf.b[1]))
		}
		s, err := cf.open()
		if err != nil {
			return err
		}
		res, err := runAuth(s, cf, a, raw, rnd, autn, sqn, m, *gsm)
		if cerr := s.close(); err == nil {
			err = cerr
		}
		if res == nil {
			return err
		}
		if err != nil && e.json {
			// One JSON document: the attempts made and the error.
			res.Error = err.Error()
			if oerr := e.emitJSON(res); oerr != nil {
				return oerr
			}
			return &exitError{exitCode(err), errSilent}
		}
		if oerr := e.output(res, res.print); err == nil {
			err = oerr
		}
		return err
	}
}

// akaAlgorithm builds the algorithm from the key flags (as "aka" does).
func akaAlgorithm(alg string, k, opc, op *hexValue, resLen int) (milenage.Algorithm, error) {
	key := milenage.Key(k.b)
	switch strings.ToLower(alg) {
	case "milenage":
		switch {
		case opc.set && op.set:
			return nil, usagef("give --opc or --op, not both")
		case opc.set:
			return milenage.New(key, milenage.Key(opc.b)), nil
		case op.set:
			return milenage.NewFromOP(key, milenage.Key(op.b)), nil
		}
		return nil, usagef("milenage needs --opc or --op")
	case "xor":
		if opc.set || op.set {
			return nil, usagef("the xor algorithm takes no --opc/--op")
		}
		x, err := milenage.NewXOR(key, resLen)
		if err != nil {
			return nil, usagef("--res-len %d: %v", resLen, err)
		}
		return x, nil
	}
	return nil, usagef("--alg %q: want milenage or xor", alg)
}

func runAuth(s *session, cf *cardFlags, a milenage.Algorithm, raw bool, rnd, autnv *hexValue, sqn milenage.SQN, amf milenage.AMF, gsm bool) (*authResult, error) {
	res := &authResult{Reader: s.reader, Checks: map[string]bool{}}
	if err := s.verify(cf); err != nil {
		return nil, err
	}
	if _, err := s.cl.SelectUSIM(); err != nil {
		return nil, cardErr("selecting ADF.USIM", err)
	}
	var r milenage.RAND
	var v milenage.Vector
	var an milenage.AUTN
	if raw {
		r, an = milenage.RAND(rnd.b), milenage.AUTN(autnv.b)
		if a != nil {
			// Recover SQN = (SQN ⊕ AK) ⊕ f5(RAND) to compute the expected
			// values (TS 33.102 §6.3.3).
			ak := a.Compute(r, 0, 0, milenage.F5).AK
			conc := an.ConcealedSQN()
			var akv milenage.SQN
			for _, b := range ak {
				akv = akv<<8 | milenage.SQN(b)
			}
			v = milenage.NewVector(a, r, conc^akv, an.AMF())
		}
	} else {
		if rnd.set {
			r = milenage.RAND(rnd.b)
		} else if _, err := rand.Read(r[:]); err != nil {
			return nil, envf("random RAND: %v", err)
		}
		v = milenage.NewVector(a, r, sqn, amf)
		an = v.AUTN
	}
	for try := 0; ; try++ {
		att := authAttempt{RAND: hex.EncodeToString(r[:]), AUTN: hex.EncodeToString(an[:])}
		if !raw {
			sv := uint64(sqn)
			att.SQN = &sv
		}
		out, err := s.cl.Authenticate(r, an)
		if err != nil {
			att.Outcome = "refused"
			res.Attempts = append(res.Attempts, att)
			return res, cardErr("AUTHENTICATE", err)
		}
		att.Outcome = out.Outcome.String()
		if out.Outcome == client.AuthSyncFailure {
			att.AUTS = hex.EncodeToString(out.AUTS[:])
			res.Attempts = append(res.Attempts, att)
			if raw || a == nil || try > 0 {
				return res, refusedf("the card rejected the SQN (synchronisation failure, AUTS %s)", att.AUTS)
			}
			ms, err := milenage.VerifyAUTS(a, r, milenage.AUTS(out.AUTS))
			if err != nil {
				return res, refusedf("the card's AUTS does not verify with this K: %v", err)
			}
			msv := uint64(ms)
			res.Attempts[len(res.Attempts)-1].SQNMS = &msv
			// TS 33.102 §6.3.5: the HE continues after SQN_MS with a fresh
			// vector.
			if sqn, err = milenage.DefaultSQNScheme.Next(ms, 0); err != nil {
				return res, refusedf("no SQN after SQN_MS %d: %v", ms, err)
			}
			if _, err := rand.Read(r[:]); err != nil {
				return nil, envf("random RAND: %v", err)
			}
			v = milenage.NewVector(a, r, sqn, amf)
			an = v.AUTN
			continue
		}
		res.Attempts = append(res.Attempts, att)
		res.RES = hex.EncodeToString(out.RES)
		if a == nil {
			res.CK, res.IK = hex.EncodeToString(out.CK[:]), hex.EncodeToString(out.IK[:])
			if out.HasKc {
				res.Kc = hex.EncodeToString(out.Kc[:])
			}
			return res, nil
		}
		cardRES, err := milenage.NewRES(out.RES)
		res.Checks["RES"] = err == nil && cardRES.Equal(v.XRES)
		res.Checks["CK"] = subtle.ConstantTimeCompare(out.CK[:], v.CK[:]) == 1
		res.Checks["IK"] = subtle.ConstantTimeCompare(out.IK[:], v.IK[:]) == 1
		if out.HasKc {
			kc := milenage.C3(v.CK, v.IK)
			res.Checks["Kc"] = subtle.ConstantTimeCompare(out.Kc[:], kc[:]) == 1
		}
		break
	}
	if gsm && a != nil {
		sres, kc, err := s.cl.AuthenticateGSM(r)
		if err != nil {
			return res, cardErr("AUTHENTICATE (GSM context)", err)
		}
		wantS, wantKc := milenage.GSM(a, r)
		res.Checks["GSM SRES"] = subtle.ConstantTimeCompare(sres[:], wantS[:]) == 1
		res.Checks["GSM Kc"] = subtle.ConstantTimeCompare(kc[:], wantKc[:]) == 1
	}
	for what, ok := range res.Checks {
		if !ok {
			return res, refusedf("the card's %s differs from the value computed from K", what)
		}
	}
	return res, nil
}

func (r *authResult) print(w io.Writer) {
	fmt.Fprintf(w, "reader    %s\n", r.Reader)
	for _, a := range r.Attempts {
		fmt.Fprintf(w, "RAND      %s\nAUTN      %s", a.RAND, a.AUTN)
		if a.SQN != nil {
			fmt.Fprintf(w, " (SQN %d)", *a.SQN)
		}
		fmt.Fprintf(w, "\ncard      %s", a.Outcome)
		if a.AUTS != "" {
			fmt.Fprintf(w, ", AUTS %s", a.AUTS)
		}
		if a.SQNMS != nil {
			fmt.Fprintf(w, ", SQN.MS %d: resynchronised", *a.SQNMS)
		}
		fmt.Fprintln(w)
	}
	if r.RES != "" {
		fmt.Fprintf(w, "RES       %s\n", r.RES)
	}
	for _, kv := range [][2]string{{"CK", r.CK}, {"IK", r.IK}, {"Kc", r.Kc}} {
		if kv[1] != "" {
			fmt.Fprintf(w, "%-9s %s\n", kv[0], kv[1])
		}
	}
	for _, what := range []string{"RES", "CK", "IK", "Kc", "GSM SRES", "GSM Kc"} {
		ok, done := r.Checks[what]
		if !done {
			continue
		}
		verdict := "matches the value computed from K"
		if !ok {
			verdict = "DIFFERS from the value computed from K"
		}
		fmt.Fprintf(w, "%-9s %s\n", what, verdict)
	}
}

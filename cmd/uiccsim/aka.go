package main

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/uiccsim/uiccsim/milenage"
)

func init() {
	register(&command{
		name:     "aka",
		summary:  "compute a UMTS AKA vector, or check an AUTS resync, as the HE/AuC does (like osmo-auc-gen)",
		synopsis: "--k HEX (--opc HEX | --op HEX) [--rand HEX] [--sqn N] [--amf HEX] [--auts HEX] [--alg milenage|xor]",
		example: `uiccsim aka --k 465b5ce8b199b49faa5f0a2ee238a6bc --opc cd63cb71954a9f4e48a5994e37a02baf --rand 23553cbe9637a89d218ae64dae47bf35 --sqn 0xff9bb4d0b607 --amf b9b9
uiccsim aka --k 465b5ce8b199b49faa5f0a2ee238a6bc --opc cd63cb71954a9f4e48a5994e37a02baf --rand 23553cbe9637a89d218ae64dae47bf35 --auts ba853f3c123ccf44e93596e355c6`,
		setup: setupAKA,
	})
}

// akaResult is the JSON form of "uiccsim aka"; the human form uses the field
// names of osmo-auc-gen.
type akaResult struct {
	Alg      string  `json:"alg"`
	RAND     string  `json:"rand"`
	AUTN     string  `json:"autn"`
	IK       string  `json:"ik"`
	CK       string  `json:"ck"`
	RES      string  `json:"res"`
	IMSNonce string  `json:"ims_nonce"`
	IMSRes   string  `json:"ims_res"`
	SRES     string  `json:"sres"`
	Kc       string  `json:"kc"`
	SQN      uint64  `json:"sqn"`
	SQNHex   string  `json:"sqn_hex"`
	IND      uint    `json:"ind"`
	SQNMS    *uint64 `json:"sqn_ms,omitempty"`
}

func setupAKA(e *env, fs *flagSet) func([]string) error {
	alg := fs.String("alg", "milenage", "algorithm: `milenage` (TS 35.206) or xor (TS 34.108 §8.1.2 test algorithm)")
	k := fs.hexFlag("k", 16, "subscriber key K, 16 bytes in `HEX`")
	opc := fs.hexFlag("opc", 16, "operator variant OPc, 16 bytes in `HEX` (Milenage)")
	op := fs.hexFlag("op", 16, "operator variant OP, 16 bytes in `HEX` (Milenage; OPc is derived, TS 35.206 §4.1)")
	rnd := fs.hexFlag("rand", 16, "challenge RAND, 16 bytes in `HEX` (random when absent)")
	sqnStr := fs.String("sqn", "0", "sequence number SQN as `N`: decimal, or hex with 0x; 48 bits")
	amf := fs.hexFlag("amf", 2, "authentication management field AMF, 2 bytes in `HEX` (default 0000)")
	auts := fs.hexFlag("auts", 14, "resynchronisation token AUTS from the USIM, 14 bytes in `HEX`: verify it (TS 33.102 §6.3.5), print SQN.MS and the next vector")
	ind := fs.Uint("ind", 0, "IND slot of the next SQN after a resync (TS 33.102 Annex C.1)")
	indLen := fs.Uint("ind-len", 5, "IND length in bits (TS 33.102 Annex C.1)")
	resLen := fs.Int("res-len", 16, "xor: RES length in `BYTES` (4..16; osmo-auc-gen uses 16)")
	return func(args []string) error {
		if len(args) > 0 {
			return usagef("unexpected argument %q", args[0])
		}
		if !k.set {
			return usagef("--k is required")
		}
		a, err := akaAlgorithm(*alg, k, opc, op, *resLen)
		if err != nil {
			return err
		}
		sqn, err := parseSQN(*sqnStr)
		if err != nil {
			return usagef("--sqn: %v", err)
		}
		if *indLen > milenage.MaxINDBits {
			return usagef("--ind-len %d: at most %d", *indLen, milenage.MaxINDBits)
		}
		scheme := milenage.SQNScheme{INDBits: uint8(*indLen)}
		var r milenage.RAND
		if rnd.set {
			r = milenage.RAND(rnd.b)
		} else if _, err := rand.Read(r[:]); err != nil {
			return envf("reading random RAND: %v", err)
		}
		var m milenage.AMF
		if amf.set {
			m = milenage.AMF(uint16(amf.b[0])<<8 | uint16(amf.b[1]))
		}
		var sqnMS *uint64
		if auts.set {
			ms, err := milenage.VerifyAUTS(a, r, milenage.AUTS(auts.b))
			if err != nil {
				return refusedf("AUTS %x does not verify for this RAND and key: %v", auts.b, err)
			}
			next, err := scheme.Next(ms, *ind)
			if err != nil {
				return usagef("--ind %d: %v", *ind, err)
			}
			v := uint64(ms)
			sqnMS, sqn = &v, next
		}
		res := akaVector(*alg, a, r, sqn, m, scheme)
		res.SQNMS = sqnMS
		return e.output(res, res.print)
	}
}

// akaVector computes the vector (TS 33.102 §6.3.2) and its GSM triplet
// (§6.8.2.1) in the form printed.
func akaVector(alg string, a milenage.Algorithm, r milenage.RAND, sqn milenage.SQN, amf milenage.AMF, scheme milenage.SQNScheme) *akaResult {
	v := milenage.NewVector(a, r, sqn, amf)
	sres, kc := v.Triplet()
	xres := v.XRES.Append(nil)
	nonce := append(append([]byte(nil), v.RAND[:]...), v.AUTN[:]...)
	return &akaResult{
		Alg:      strings.ToLower(alg),
		RAND:     hex.EncodeToString(v.RAND[:]),
		AUTN:     hex.EncodeToString(v.AUTN[:]),
		IK:       hex.EncodeToString(v.IK[:]),
		CK:       hex.EncodeToString(v.CK[:]),
		RES:      hex.EncodeToString(xres),
		IMSNonce: base64.StdEncoding.EncodeToString(nonce),
		IMSRes:   base64.StdEncoding.EncodeToString(xres),
		SRES:     hex.EncodeToString(sres[:]),
		Kc:       hex.EncodeToString(kc[:]),
		SQN:      uint64(sqn),
		SQNHex:   sqn.String(),
		IND:      scheme.IND(sqn),
	}
}

// print writes the vector with osmo-auc-gen's field names and order.
func (r *akaResult) print(w io.Writer) {
	fmt.Fprintf(w, "RAND:\t%s\nAUTN:\t%s\nIK:\t%s\nCK:\t%s\nRES:\t%s\n", r.RAND, r.AUTN, r.IK, r.CK, r.RES)
	fmt.Fprintf(w, "IMS nonce:\t%s\nIMS res:\t%s\n", r.IMSNonce, r.IMSRes)
	fmt.Fprintf(w, "SRES:\t%s\nKc:\t%s\nSQN:\t%d\nIND:\t%d\n", r.SRES, r.Kc, r.SQN, r.IND)
	if r.SQNMS != nil {
		fmt.Fprintf(w, "SQN.MS:\t%d\n", *r.SQNMS)
	}
}

// parseSQN reads a 48-bit sequence number in decimal (as osmo-auc-gen takes
// it) or in hex with a 0x prefix (as the TS 35.208 test sets give it).
func parseSQN(s string) (milenage.SQN, error) {
	var v uint64
	var err error
	if h, ok := strings.CutPrefix(strings.ToLower(s), "0x"); ok {
		v, err = strconv.ParseUint(h, 16, 64)
	} else {
		v, err = strconv.ParseUint(s, 10, 64)
	}
	if err != nil {
		return 0, errors.New("not a decimal or 0x-hex number: " + strconv.Quote(s))
	}
	if v > uint64(milenage.MaxSQN) {
		return 0, fmt.Errorf("%d does not fit 48 bits", v)
	}
	return milenage.SQN(v), nil
}

package usim

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/uiccsim/uiccsim/internal/systest"
	"github.com/uiccsim/uiccsim/usim/client"
	"github.com/uiccsim/uiccsim/usim/ef"
	"github.com/uiccsim/uiccsim/usim/profile"
)

// osmoAUC runs osmo-auc-gen (libosmocore, an independent Milenage/XOR
// implementation) and returns its "NAME:\tvalue" lines.
func osmoAUC(t *testing.T, bin string, args ...string) map[string]string {
	t.Helper()
	out, err := exec.Command(bin, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("osmo-auc-gen %v: %v\n%s", args, err, out)
	}
	m := map[string]string{}
	for _, line := range strings.Split(string(out), "\n") {
		if k, v, ok := strings.Cut(line, ":\t"); ok {
			m[k] = strings.TrimSpace(v) // a later AUTN (after -A) overwrites the first
		}
	}
	return m
}

// TestAuthenticateAgainstOsmoAucGen is a differential test: for random
// subscribers the network side is osmo-auc-gen, the USIM side is this card
// driven through the client. RES, CK, IK, Kc (3G context), SRES and Kc
// (GSM context) must agree, and the AUTS of a replayed AUTN must verify in
// osmo-auc-gen -A with SQN.MS equal to the accepted SQN.
func TestAuthenticateAgainstOsmoAucGen(t *testing.T) {
	bin := systest.LookPath(t, "osmo-auc-gen")
	rng := rand.New(rand.NewPCG(4, 1812))
	for i := 0; i < 24; i++ {
		xor := i%4 == 3
		useOP := i%4 == 1
		var k, opx profile.Key128
		var rnd [16]byte
		for j := range k {
			k[j], opx[j], rnd[j] = byte(rng.Uint32()), byte(rng.Uint32()), byte(rng.Uint32())
		}
		seq, ind := 1+rng.Uint64N(1<<26), rng.Uint64N(32)
		sqn := seq<<5 | ind
		p := profile.Default()
		p.Auth.K = k
		args := []string{"-3", "-k", hex.EncodeToString(k[:]), "-r", hex.EncodeToString(rnd[:]), "-f", "8000"}
		switch {
		case xor:
			// osmo-auc-gen's XOR mode uses SQN-32 (../shared/README.md).
			p.Auth = profile.Auth{Algorithm: profile.XOR, K: k, RESLen: 16, SQN: profile.SQNState{INDBits: 5}}
			args = append(args, "-a", "XOR", "-s", strconv.FormatUint(sqn+32, 10))
		case useOP:
			p.Auth.OPc, p.Auth.OP = nil, &opx
			args = append(args, "-a", "MILENAGE", "-O", hex.EncodeToString(opx[:]), "-s", strconv.FormatUint(sqn, 10))
		default:
			p.Auth.OPc = &opx
			args = append(args, "-a", "MILENAGE", "-o", hex.EncodeToString(opx[:]), "-s", strconv.FormatUint(sqn, 10))
		}
		t.Run(fmt.Sprintf("case%d", i), func(t *testing.T) {
			net := osmoAUC(t, bin, args...)
			card, err := New(p)
			if err != nil {
				t.Fatal(err)
			}
			cl := client.New(card)
			if err := cl.VerifyPIN(ef.KeyPIN1, "1234"); err != nil {
				t.Fatal(err)
			}
			if _, err := cl.SelectUSIM(); err != nil {
				t.Fatal(err)
			}
			var autn [16]byte
			copy(autn[:], hx(t, net["AUTN"]))
			r, err := cl.Authenticate(rnd, autn)
			if err != nil || r.Outcome != client.AuthSuccess {
				t.Fatalf("AUTHENTICATE: %v %v (osmo %v)", r, err, net)
			}
			if !bytes.Equal(r.RES, hx(t, net["RES"])) || !bytes.Equal(r.CK[:], hx(t, net["CK"])) ||
				!bytes.Equal(r.IK[:], hx(t, net["IK"])) || !r.HasKc || !bytes.Equal(r.Kc[:], hx(t, net["Kc"])) {
				t.Errorf("3G context differs from osmo-auc-gen: RES %x vs %s", r.RES, net["RES"])
			}
			sres, kc, err := cl.AuthenticateGSM(rnd)
			if err != nil || !bytes.Equal(sres[:], hx(t, net["SRES"])) || !bytes.Equal(kc[:], hx(t, net["Kc"])) {
				t.Errorf("GSM context: SRES %x vs %s, %v", sres, net["SRES"], err)
			}
			r, err = cl.Authenticate(rnd, autn)
			if err != nil || r.Outcome != client.AuthSyncFailure {
				t.Fatalf("replay: %v %v", r, err)
			}
			if xor {
				return // osmo-auc-gen -A verifies MAC-S with Milenage only
			}
			resync := append(args[:len(args)-2:len(args)-2], "-A", hex.EncodeToString(r.AUTS[:]))
			chk := osmoAUC(t, bin, resync...)
			want := sqn
			if got, _ := strconv.ParseUint(chk["SQN.MS"], 10, 64); got != want {
				t.Errorf("osmo-auc-gen -A: SQN.MS %s, want %d", chk["SQN.MS"], want)
			}
		})
	}
}

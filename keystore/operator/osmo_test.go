package operator

import (
	"encoding/hex"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/uiccsim/uiccsim/internal/systest"
	"github.com/uiccsim/uiccsim/milenage"
)

// The AuC's vectors checked against an independent Milenage implementation,
// osmo-auc-gen (libosmocore): for subscribers with keys from the escrow's
// CSPRNG, the AUTN (SQN ⊕ AK ‖ AMF ‖ MAC-A), XRES, CK and IK it prints for
// the same K, OPc, RAND, SQN and AMF must be ours.
func TestVectorsMatchOsmoAucGen(t *testing.T) {
	bin := systest.LookPath(t, "osmo-auc-gen")
	w := newWorld(t, 3, 1)
	for _, c := range w.cards {
		s, _ := w.A.Subscriber(c)
		v, err := w.A.Vector(c)
		if err != nil {
			t.Fatal(err)
		}
		after, _ := w.A.Subscriber(c)
		sqn, err := milenage.DefaultSQNScheme.Join(after.SEQ, IND)
		if err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(bin, "-3", "-a", "MILENAGE",
			"-k", hex.EncodeToString(s.Pair.K[:]), "-o", hex.EncodeToString(s.Pair.OPc[:]),
			"-r", hex.EncodeToString(v.RAND[:]), "-s", strconv.FormatUint(uint64(sqn), 10),
			"-f", AMF.String()).CombinedOutput()
		if err != nil {
			t.Fatalf("osmo-auc-gen: %v\n%s", err, out)
		}
		got := map[string]string{}
		for _, line := range strings.Split(string(out), "\n") {
			if k, val, ok := strings.Cut(line, ":"); ok {
				got[strings.TrimSpace(k)] = strings.TrimSpace(val)
			}
		}
		want := map[string]string{
			"AUTN": hex.EncodeToString(v.AUTN[:]),
			"RES":  hex.EncodeToString(v.XRES.Bytes()),
			"CK":   hex.EncodeToString(v.CK[:]),
			"IK":   hex.EncodeToString(v.IK[:]),
		}
		for k, wv := range want {
			if got[k] != wv {
				t.Errorf("%s: %s: osmo-auc-gen %q, AuC %q", c, k, got[k], wv)
			}
		}
	}
}

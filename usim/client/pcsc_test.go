package client_test

import (
	"github.com/uiccsim/uiccsim/usim/client"

	"bytes"
	"errors"
	"testing"

	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/apdu/pcsc"
	"github.com/uiccsim/uiccsim/apdu/t0"
	"github.com/uiccsim/uiccsim/internal/pcsctest"
	"github.com/uiccsim/uiccsim/milenage"
	"github.com/uiccsim/uiccsim/usim"
	"github.com/uiccsim/uiccsim/usim/ef"
	"github.com/uiccsim/uiccsim/usim/profile"
)

// serveDefault serves a card built from profile.Default() on a vpcd slot
// of the real pcscd and connects to it with apdu/pcsc. The card offers T=0
// only (jc.DefaultATR), so the connection must come up with T=0. Without
// pcscd, vpcd or cgo the test skips loudly (fails under
// UICCSIM_REQUIRE_SYSTEM=1); the slot is held until the test ends.
func serveDefault(t testing.TB) (*pcsc.Card, *profile.Profile) {
	t.Helper()
	p := profile.Default()
	card, err := usim.New(p)
	if err != nil {
		t.Fatal(err)
	}
	reader := pcsctest.Serve(t, card)
	pc, err := pcsc.Dial(reader, pcsc.Any)
	if err != nil {
		t.Fatalf("pcsc.Dial(%q): %v", reader, err)
	}
	t.Cleanup(func() { pc.Close() })
	if got := pc.Protocol(); got != pcsc.T0 {
		t.Fatalf("protocol %v, want T=0 (the card's ATR offers T=0 only)", got)
	}
	return pc, p
}

// networkSide is the HE/AuC of the default profile: Milenage with the TS
// 35.208 set 1 K and OPc the profile carries.
func networkSide(p *profile.Profile) milenage.Algorithm {
	return milenage.New(milenage.Key(p.Auth.K), milenage.Key(*p.Auth.OPc))
}

// The typed client reads ICCID and IMSI and runs AUTHENTICATE (TS 31.102
// §7.1.2) against a served default card through pcscd + vpcd, once over
// plain apdu/pcsc (the client follows 61xx itself) and once over apdu/t0
// (Le stripped from case-4 commands as a T=0 terminal does, ISO/IEC 7816-3
// §12.2.5). Expected values come from the profile and from milenage's
// network side, never from the card.
func TestClientThroughPCSCD(t *testing.T) {
	pc, p := serveDefault(t)
	alg := networkSide(p)
	scheme := milenage.SQNScheme{INDBits: uint8(p.Auth.SQN.INDBits)}
	for i, tr := range []struct {
		name string
		tp   apdu.Transport
	}{
		{"apdu/pcsc", pc},
		{"apdu/t0 over apdu/pcsc", t0.New(pc)},
	} {
		t.Run(tr.name, func(t *testing.T) {
			if _, err := pc.Reset(false); err != nil { // a fresh session: no PIN verified
				t.Fatal(err)
			}
			cl := client.New(tr.tp)
			iccid, err := cl.ReadICCID()
			if err != nil || iccid.String() != p.ICCID {
				t.Fatalf("ReadICCID: %v %v, want %s", iccid, err, p.ICCID)
			}
			if _, err := cl.ReadIMSI(); !errors.Is(err, apdu.SWSecurityNotSatisfied) {
				t.Fatalf("ReadIMSI before PIN1: %v, want 6982", err)
			}
			if n, ok, err := cl.PINStatus(ef.KeyPIN1); n != p.PINs.PIN1.Retries || ok || err != nil {
				t.Fatalf("PIN1 status: %d tries, verified %v, %v", n, ok, err)
			}
			if err := cl.VerifyPIN(ef.KeyPIN1, string(p.PINs.PIN1.Value)); err != nil {
				t.Fatal(err)
			}
			imsi, err := cl.ReadIMSI()
			if err != nil || imsi.String() != p.IMSI {
				t.Fatalf("ReadIMSI: %v %v, want %s", imsi, err, p.IMSI)
			}

			// 3G success with a fresh vector: SEQ i+1 with IND i.
			var rand milenage.RAND
			for j := range rand {
				rand[j] = byte(0x10*i + j)
			}
			sqn, err := scheme.Join(uint64(i+1), uint(i))
			if err != nil {
				t.Fatal(err)
			}
			vec := milenage.NewVector(alg, rand, sqn, 0x8000)
			if _, err := cl.SelectUSIM(); err != nil {
				t.Fatal(err)
			}
			r, err := cl.Authenticate(rand, vec.AUTN)
			if err != nil || r.Outcome != client.AuthSuccess {
				t.Fatalf("AUTHENTICATE (SQN %v): %v %v", sqn, r, err)
			}
			wantSRES, wantKc := vec.Triplet()
			if !bytes.Equal(r.RES, vec.XRES.Bytes()) || r.CK != vec.CK || r.IK != vec.IK {
				t.Errorf("RES %x, XRES %x; CK/IK equal: %v %v", r.RES, vec.XRES.Bytes(), r.CK == vec.CK, r.IK == vec.IK)
			}
			// EF_UST of the default profile has service 27 (GSM access):
			// the response carries Kc = c3(CK, IK) (TS 31.102 §7.1.2.1).
			if !r.HasKc || r.Kc != wantKc {
				t.Errorf("Kc present %v, equal to c3(CK, IK): %v", r.HasKc, r.Kc == wantKc)
			}

			// The same AUTN again: SEQ ≤ SEQ_MS(IND), synchronisation
			// failure; the AuC recovers SQN_MS (the SQN just accepted,
			// the highest in the array) from AUTS.
			r, err = cl.Authenticate(rand, vec.AUTN)
			if err != nil || r.Outcome != client.AuthSyncFailure {
				t.Fatalf("replayed AUTN: %v %v", r, err)
			}
			sqnMS, err := milenage.VerifyAUTS(alg, rand, milenage.AUTS(r.AUTS))
			if err != nil || sqnMS != sqn {
				t.Fatalf("VerifyAUTS: SQN_MS %v, %v; want %v", sqnMS, err, sqn)
			}

			// A MAC that does not verify: 9862, nothing changes (the next
			// SQN of the same IND is still accepted).
			next, _ := scheme.Join(uint64(i+2), uint(i))
			vec2 := milenage.NewVector(alg, rand, next, 0x8000)
			bad := vec2.AUTN
			bad[15] ^= 0x01
			var ce *client.CommandError
			if _, err := cl.Authenticate(rand, bad); !errors.As(err, &ce) || ce.SW != apdu.SWAuthIncorrectMAC {
				t.Fatalf("AUTN with a bad MAC: %v, want 9862", err)
			}
			if r, err := cl.Authenticate(rand, vec2.AUTN); err != nil || r.Outcome != client.AuthSuccess {
				t.Fatalf("next SQN after the MAC failure: %v %v", r, err)
			}

			// GSM context (P2=80): SRES = c2(RES), Kc = c3(CK, IK) of the
			// same RAND (TS 31.102 §7.1.2.2); no SQN involved.
			sres, kc, err := cl.AuthenticateGSM(rand)
			if err != nil || sres != wantSRES || kc != wantKc {
				t.Fatalf("GSM context: SRES %x (want %x), Kc equal %v, %v", sres, wantSRES, kc == wantKc, err)
			}
		})
	}
}

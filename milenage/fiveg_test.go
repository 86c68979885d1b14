package milenage

import "testing"

// TestFiveGAKAExchangeVerifies runs 5G AKA end to end from one vector: the
// home network's XRES*/HXRES*/K_AUSF (TS 33.501 §6.1.3.2) against what the
// UE derives from the USIM's answer (RES* per Annex A.4, K_AUSF per A.2).
func TestFiveGAKAExchangeVerifies(t *testing.T) {
	m, rand := usimFixture(t)
	snn, err := ServingNetworkName("208", "93")
	if err != nil || snn != "5G:mnc093.mcc208.3gppnetwork.org" {
		t.Fatalf("ServingNetworkName = %q, %v", snn, err)
	}
	sqn, _ := DefaultSQNScheme.Join(9, 2)
	v := NewVector(m, rand, sqn, 0x8000)
	he := v.FiveG(snn)

	st, _ := NewSQNState(DefaultINDBits)
	a, err := Policy{}.Authenticate(m, &st, rand, he.AUTN)
	if err != nil {
		t.Fatal(err)
	}
	resStar := ResStar(a.CK, a.IK, snn, rand, a.RES)
	if !resStar.Equal(he.XRESStar) {
		t.Fatalf("RES* %v != XRES* %v", resStar, he.XRESStar)
	}
	if HashResStar(rand, resStar) != he.HXRESStar {
		t.Fatal("SEAF: HRES* != HXRES*")
	}
	if KAUSF(a.CK, a.IK, snn, he.AUTN) != he.KAUSF {
		t.Fatal("UE and AUSF derive different K_AUSF")
	}
	// Another serving network, or a wrong RES, does not verify.
	other, _ := ServingNetworkName("001", "01")
	if ResStar(a.CK, a.IK, other, rand, a.RES).Equal(he.XRESStar) {
		t.Fatal("RES* does not bind the serving network name")
	}
	bad := a.RES
	bad.b[0] ^= 1
	if ResStar(a.CK, a.IK, snn, rand, bad).Equal(he.XRESStar) {
		t.Fatal("RES* does not bind RES")
	}
}

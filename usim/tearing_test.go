package usim

import (
	"bytes"
	"testing"

	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/keystore/cardapp"
	"github.com/uiccsim/uiccsim/ota/scp80"
	"github.com/uiccsim/uiccsim/ota/server"
	"github.com/uiccsim/uiccsim/usim/profile"
)

// sendEnvelope sends one ENVELOPE and returns the PoR (through GET
// RESPONSE), or an error when the card is mute.
func sendEnvelope(t *testing.T, c *Card, env []byte, m *server.Message, keys scp80.Keys) (scp80.Response, error) {
	t.Helper()
	rsp, err := c.Transmit(nil, env)
	if err != nil {
		return scp80.Response{}, err
	}
	_, sw, _ := apdu.ParseResponse(rsp)
	if sw.SW1() != 0x61 {
		t.Fatalf("ENVELOPE answered %v, want 61xx", sw)
	}
	if rsp, err = c.Transmit(nil, []byte{0x00, 0xC0, 0x00, 0x00, sw.SW2()}); err != nil {
		t.Fatal(err)
	}
	data, _, _ := apdu.ParseResponse(rsp)
	por, err := scp80.OpenResponse(data, m.Header, keys)
	if err != nil {
		t.Fatalf("PoR: %v", err)
	}
	return por, nil
}

// tear cuts the power after every persistent write of one OTA packet and
// checks that the recovered card is byte for byte the card before the
// packet or the card after it, and that replaying the packet is refused
// exactly when its effect is there: no mix, no replay window.
// refusedReplay says which PoR status a replay on the new card must get.
func tear(t *testing.T, p *profile.Profile, srv *server.Card, script [][]byte, effect func(c *Card) bool, refusedReplay func(scp80.Status) bool) {
	m, err := srv.Prepare(script)
	if err != nil {
		t.Fatal(err)
	}
	envs, err := srv.Envelopes(m)
	if err != nil || len(envs) != 1 {
		t.Fatalf("envelopes: %v (%d)", err, len(envs))
	}
	env, _ := envs[0].Append(nil)

	ref, err := New(p)
	if err != nil {
		t.Fatal(err)
	}
	oldImg := ref.Store().AppendImage(nil)
	if effect(ref) {
		t.Fatal("effect present before the packet")
	}
	w0 := ref.Store().Writes()
	if por, err := sendEnvelope(t, ref, env, m, srv.Keys); err != nil || por.Status != scp80.StatusOK {
		t.Fatalf("reference run: %v %+v", err, por)
	}
	writes := int(ref.Store().Writes() - w0)
	newImg := ref.Store().AppendImage(nil)
	if !effect(ref) {
		t.Fatal("reference run has no effect")
	}
	if writes < 4 {
		t.Fatalf("only %d writes: nothing to tear", writes)
	}
	var sawOld, sawNew bool
	for n := 0; n <= writes; n++ {
		c, err := New(p)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(c.Store().AppendImage(nil), oldImg) {
			t.Fatal("New is not deterministic: images differ")
		}
		c.Store().FailAfter(n)
		_, err = c.Transmit(nil, env)
		switch {
		case n < writes && err == nil && !c.Store().Dead():
			t.Fatalf("cut after write %d of %d: the command survived", n, writes)
		case n == writes:
			// Every write made it: power goes right after the command.
			if err != nil || c.Store().Dead() {
				t.Fatalf("uncut run: %v", err)
			}
			_ = c.PowerOff()
		default:
			// Cut the recovery too, once, after a few of its writes.
			c.Store().FailAfter(n % 3)
			_, _ = c.Reset(true)
		}
		c.Store().FailAfter(-1)
		if _, err := c.Reset(true); err != nil {
			t.Fatalf("cut after write %d: restart: %v", n, err)
		}
		img := c.Store().AppendImage(nil)
		isOld, isNew := bytes.Equal(img, oldImg), bytes.Equal(img, newImg)
		if !isOld && !isNew {
			t.Fatalf("cut after write %d of %d: the card is neither the old nor the new one", n, writes)
		}
		if effect(c) != isNew {
			t.Fatalf("cut after write %d: effect %v on the %v card", n, effect(c), map[bool]string{true: "new", false: "old"}[isNew])
		}
		// Replay the packet: accepted only if it never took effect.
		por, err := sendEnvelope(t, c, env, m, srv.Keys)
		if err != nil {
			t.Fatal(err)
		}
		if isNew {
			sawNew = true
			if !refusedReplay(por.Status) {
				t.Fatalf("cut after write %d (new card): replay answered %v", n, por.Status)
			}
		} else {
			sawOld = true
			if por.Status != scp80.StatusOK {
				t.Fatalf("cut after write %d (old card): the packet, never run, answered %v", n, por.Status)
			}
		}
	}
	if !sawOld || !sawNew {
		t.Fatalf("old card seen %v, new card seen %v: want both", sawOld, sawNew)
	}
}

func TestTearingRFMUpdateIMSIAndCounter(t *testing.T) {
	for _, kvn := range []int{1, 2} {
		p := otaProfile(nil)
		want := imsiBytes(t, newIMSI)
		tear(t, p, otaServer(t, kvn, scp80.TARRFMUSIM, fullSPI), updateIMSIScript(t, newIMSI), func(c *Card) bool {
			return bytes.Equal(imsiContent(t, c), want)
		}, func(s scp80.Status) bool { return s == scp80.StatusCounterLow })
	}
}

func TestTearingSwitch(t *testing.T) {
	p := profile3b(t)
	want := imsiBytes(t, pairIMSI[1])
	tear(t, p, pairServer(t, 0, cardapp.TAR, fullSPI), switchScript(t, 1, pairIMSI[1]), func(c *Card) bool {
		sw := c.KeyState().Active == 1
		if sw != bytes.Equal(imsiContent(t, c), want) {
			t.Fatalf("active index %d with EF_IMSI % X: a mix", c.KeyState().Active, imsiContent(t, c))
		}
		return sw
	}, securityRefusal) // the old keys are gone with the switch
}

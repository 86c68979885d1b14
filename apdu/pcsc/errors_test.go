package pcsc

import (
	"testing"
	"time"
)

func TestProtocolString(t *testing.T) {
	for p, want := range map[Protocol]string{T0: "T=0", T1: "T=1", Any: "T=0|T=1", 0: "undefined", 4: "protocol(0x4)"} {
		if got := p.String(); got != want {
			t.Errorf("Protocol(%d).String() = %q, want %q", uint32(p), got, want)
		}
	}
}

func TestClosedHandles(t *testing.T) {
	var c Card
	if _, err := c.Transmit(nil, []byte{0x00, 0xA4, 0x00, 0x00}); err == nil {
		t.Error("Transmit on an unconnected Card succeeded")
	}
	if _, err := c.Reset(false); err == nil {
		t.Error("Reset on an unconnected Card succeeded")
	}
	if _, err := c.ATR(); err == nil {
		t.Error("ATR on an unconnected Card succeeded")
	}
	if err := c.Close(); err == nil {
		t.Error("Close on an unconnected Card succeeded")
	}
	var ctx Context
	if _, err := ctx.Readers(); err == nil {
		t.Error("Readers on a closed Context succeeded")
	}
	if _, err := ctx.Connect("Virtual PCD 00 00", Any); err == nil {
		t.Error("Connect on a closed Context succeeded")
	}
	if err := ctx.WaitCard("Virtual PCD 00 00", time.Millisecond); err == nil {
		t.Error("WaitCard on a closed Context succeeded")
	}
}

package engine

import (
	"bytes"
	"errors"
	"testing"

	"github.com/uiccsim/uiccsim/ota/scp80"
)

// statusApp answers fixed response data with a fixed PoR status.
type statusApp struct {
	data []byte
	st   scp80.Status
	ran  int
}

func (a *statusApp) Run(dst, data []byte) []byte { a.ran++; return append(dst, a.data...) }
func (a *statusApp) RunStatus(dst, data []byte) ([]byte, scp80.Status) {
	return a.Run(dst, data), a.st
}

func TestApplicationSetsThePoRStatus(t *testing.T) {
	for _, tc := range []struct {
		name    string
		spi2    byte // SPI second octet: b2b1 01 PoR always, 10 on error
		st      scp80.Status
		wantPoR bool
		wantSt  scp80.Status
		wantErr error
	}{
		{"PoR OK with the application's data", 0x19, scp80.StatusOK, true, scp80.StatusOK, nil},
		{"insufficient memory, PoR always", 0x19, scp80.StatusInsufficientMemory, true, scp80.StatusInsufficientMemory, nil},
		{"more time, PoR on error", 0x1A, scp80.StatusMoreTime, true, scp80.StatusMoreTime, nil},
		{"PoR OK, PoR on error: none", 0x1A, scp80.StatusOK, false, scp80.StatusOK, nil},
		{"proprietary code", 0x19, 0xC3, true, 0xC3, nil},
		{"security verdict is the engine's", 0x19, scp80.StatusRCCCDSFailed, true, scp80.StatusOK, ErrAppStatus},
		{"TAR unknown is the engine's", 0x19, scp80.StatusTARUnknown, true, scp80.StatusOK, ErrAppStatus},
	} {
		t.Run(tc.name, func(t *testing.T) {
			app := &statusApp{data: []byte{0x01, 0x6A, 0x84}, st: tc.st}
			e, _ := newEngine(t, nil)
			e.Targets[scp80.TARRFMUSIM] = Target{App: app, MSL: 0x06}
			h := scp80.Header{SPI: scp80.SPI{0x16, tc.spi2}, KIc: 0x12, KID: 0x12, TAR: scp80.TARRFMUSIM}
			pkt, err := scp80.AppendCommand(nil, h, scp80.CounterOf(1), []byte{0x80, 0xE2, 0, 0}, aesKeys(t))
			if err != nil {
				t.Fatal(err)
			}
			por, rep := e.Download(nil, envelopeFor(t, pkt))
			if app.ran != 1 || rep.Status != tc.wantSt || rep.PoR != tc.wantPoR || !errors.Is(rep.Err, tc.wantErr) {
				t.Fatalf("ran %d, report %+v", app.ran, rep)
			}
			if !tc.wantPoR {
				if len(por) != 0 {
					t.Fatalf("PoR % X without one asked for", por)
				}
				return
			}
			r, err := scp80.OpenResponse(por, h, aesKeys(t))
			if err != nil || r.Status != tc.wantSt || !r.Secured || !bytes.Equal(r.Data, app.data) {
				t.Fatalf("PoR %+v %v", r, err)
			}
		})
	}
}

//go:build !cgo

package pcsc

import (
	"errors"
	"testing"
)

func TestWithoutCGOEverythingSaysSo(t *testing.T) {
	if _, err := Open(); !errors.Is(err, ErrNoCGO) {
		t.Errorf("Open: %v, want ErrNoCGO", err)
	}
	if _, err := Dial("Virtual PCD 00 00", Any); !errors.Is(err, ErrNoCGO) {
		t.Errorf("Dial: %v, want ErrNoCGO", err)
	}
	if ErrNoCGO.Error() != "uiccsim built without cgo: PC/SC needs cgo and libpcsclite" {
		t.Errorf("ErrNoCGO = %q", ErrNoCGO)
	}
}

package usim

import (
	"errors"

	"github.com/uiccsim/uiccsim/usim/profile"
	"github.com/uiccsim/uiccsim/usim/store"
)

func errorsIs(err, target error) bool { return errors.Is(err, target) }

func storeRef(i int) store.Ref { return store.Ref(i) }

// layoutFIDs are the file identifiers of profile.Layout plus some absent ones.
var layoutFIDs = func() []uint16 {
	var out []uint16
	for _, s := range profile.Layout {
		out = append(out, s.FID)
	}
	return append(out, 0x7F20, 0x6F3A, 0x3F00, 0x7FFF)
}()

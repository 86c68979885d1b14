package usim

import (
	"encoding/binary"
	"fmt"

	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/milenage"
	"github.com/uiccsim/uiccsim/usim/ef"
	"github.com/uiccsim/uiccsim/usim/fs"
	"github.com/uiccsim/uiccsim/usim/jc"
	"github.com/uiccsim/uiccsim/usim/profile"
	"github.com/uiccsim/uiccsim/usim/store"
)

// Store cells of the USIM applet.
const (
	cellAuth = "usim.auth" // algorithm and secrets, authLen bytes
	cellSQN  = "usim.sqn"  // milenage.SQNState encoding (CRC-protected)
)

// Layout of the auth cell: version, algorithm, RES length, K, OPc, Δ.
const (
	authVersion = 1
	authAlgMil  = 1
	authAlgXOR  = 2
	authLen     = 3 + 16 + 16 + 8
)

// INSAuthenticate is AUTHENTICATE (even INS), TS 31.102 §7.1.2.
const INSAuthenticate = 0x88

// Security contexts of AUTHENTICATE P2 (TS 31.102 §7.1.2.1 Table: b8 = 1
// "specific reference data", b3..b1 the context).
const (
	P2GSM  = 0x80 // GSM context
	P2UMTS = 0x81 // 3G context
)

// writeAuth stores the profile's algorithm, Δ and SQN array; K and OPc go
// to the key-pair list (cellKeys), so the auth cell keeps zeros in their
// place and no key is stored twice.
func writeAuth(st *store.Store, p *profile.Profile) error {
	a := &p.Auth
	var cell [authLen]byte
	cell[0] = authVersion
	switch a.Algorithm {
	case profile.Milenage:
		cell[1], cell[2] = authAlgMil, 8
	case profile.XOR:
		cell[1], cell[2] = authAlgXOR, 8
		if a.RESLen != 0 {
			cell[2] = byte(a.RESLen)
		}
	}
	binary.BigEndian.PutUint64(cell[35:], a.Delta)

	arr, err := a.SQN.Array()
	if err != nil {
		return err
	}
	sqn, err := milenage.NewSQNStateFrom(a.SQN.INDBits, arr)
	if err != nil {
		return fmt.Errorf("usim: SQN state: %w", err)
	}
	return st.Update(func() error {
		ra, err := st.Alloc(cellAuth, authLen)
		if err != nil {
			return err
		}
		if err := st.Write(ra, 0, cell[:]); err != nil {
			return err
		}
		rs, err := st.Alloc(cellSQN, milenage.SQNStateSize(a.SQN.INDBits))
		if err != nil {
			return err
		}
		return st.Write(rs, 0, sqn.Append(nil))
	})
}

// applet is the USIM application: the ADF's file-system applet plus
// AUTHENTICATE.
type applet struct {
	*fs.App
	st     *store.Store
	sqnRef store.Ref
	creds  *creds // the active key pair's algorithm and OTA keys
	policy milenage.Policy
	ust    fs.Node
	buf    [2 + 6<<milenage.MaxINDBits + 4]byte
}

// openApplet loads the algorithm and SQN cell from the store.
func openApplet(st *store.Store, app *fs.App) (*applet, error) {
	ra, ok := st.Lookup(cellAuth)
	rs, ok2 := st.Lookup(cellSQN)
	if !ok || !ok2 || st.Len(ra) != authLen {
		return nil, fmt.Errorf("%w: missing %s/%s cells", ErrCorrupt, cellAuth, cellSQN)
	}
	cr, err := openCreds(st)
	if err != nil {
		return nil, err
	}
	cell := st.Bytes(ra)
	a := &applet{App: app, st: st, sqnRef: rs, ust: fs.NoNode, creds: cr}
	a.policy.Delta = binary.BigEndian.Uint64(cell[35:])
	if n, ok := app.FS.Lookup(app.ADF, 0x6F38); ok {
		a.ust = n
	}
	if _, err := a.sqnState(); err != nil {
		return nil, err
	}
	return a, nil
}

func (a *applet) sqnState() (milenage.SQNState, error) {
	s, err := milenage.ParseSQNState(a.st.Bytes(a.sqnRef))
	if err != nil {
		return s, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	return s, nil
}

// service reports whether EF_UST marks service n available.
func (a *applet) service(n ef.USIMService) bool {
	if a.ust == fs.NoNode {
		return false
	}
	b, err := a.FS.Content(a.ust)
	return err == nil && ef.UST(b).Has(n)
}

// Process handles AUTHENTICATE and passes every other command to the file
// system.
func (a *applet) Process(ctx *jc.Context, cmd *apdu.Command) error {
	if cmd.INS != INSAuthenticate {
		return a.App.Process(ctx, cmd)
	}
	if cmd.Class().Kind() != apdu.ClassInterindustry {
		return apdu.SWCLANotSupported
	}
	return a.authenticate(ctx, cmd)
}

// authenticate is AUTHENTICATE, TS 31.102 §7.1.2. Checks in the order a
// card makes them: P1 (6A86), P2 context (6A86 for RFU codings, 9864 for
// contexts this USIM does not support), PIN1 (6982), data length (6700)
// and coding (6A80). In 3G context a MAC failure answers 9862 and a
// synchronisation failure 'DC' AUTS; success answers 'DB' RES CK IK [Kc]
// after the SQN array was written to the store in the command's
// transaction.
func (a *applet) authenticate(ctx *jc.Context, cmd *apdu.Command) error {
	if cmd.P1 != 0 {
		return apdu.SWIncorrectP1P2
	}
	switch cmd.P2 {
	case P2UMTS:
	case P2GSM:
		if !a.service(ef.ServiceGSMSecurityCtx) {
			return apdu.SWAuthContextNotSupported
		}
	case 0x82, 0x84, 0x85, 0x86: // VGCS/VBS, GBA, MBMS, local key establishment
		return apdu.SWAuthContextNotSupported
	default:
		return apdu.SWIncorrectP1P2
	}
	if s, err := a.FS.PINState(fs.KeyPIN1); err != nil || (s.Enabled && !s.Verified) {
		return apdu.SWSecurityNotSatisfied
	}
	a.creds.fresh()
	d := cmd.Data
	var rand milenage.RAND
	if cmd.P2 == P2GSM {
		if len(d) != 17 {
			return apdu.SWWrongLength
		}
		if d[0] != 16 {
			return apdu.SWIncorrectDataField
		}
		copy(rand[:], d[1:17])
		sres, kc := milenage.GSM(a.creds.algo(), rand)
		ctx.Out = milenage.AppendGSMResponse(ctx.Out, sres, kc)
		return nil
	}
	if len(d) != 34 {
		return apdu.SWWrongLength
	}
	if d[0] != 16 || d[17] != 16 {
		return apdu.SWIncorrectDataField
	}
	copy(rand[:], d[1:17])
	autn := milenage.AUTN(d[18:34])
	st, err := a.sqnState()
	if err != nil {
		return apdu.SWTechnicalProblem
	}
	ans, _ := a.policy.Authenticate(a.creds.algo(), &st, rand, autn)
	switch ans.Result {
	case milenage.ResultMACFailure:
		return apdu.SWAuthIncorrectMAC
	case milenage.ResultSuccess:
		enc := st.Append(a.buf[:0])
		if err := a.st.Write(a.sqnRef, 0, enc); err != nil {
			return err
		}
	}
	ctx.Out = ans.AppendResponse(ctx.Out, a.service(ef.ServiceGSMAccess))
	return nil
}

package fs

import (
	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/usim/jc"
)

// Instruction codes of ETSI TS 102 221 §10.1.2 Table 10.5 handled here.
const (
	insSelect       = 0xA4
	insStatus       = 0xF2
	insReadBinary   = 0xB0
	insUpdateBinary = 0xD6
	insReadRecord   = 0xB2
	insUpdateRecord = 0xDC
	insSearchRecord = 0xA2
	insIncrease     = 0x32
	insVerify       = 0x20
	insChangePIN    = 0x24
	insDisablePIN   = 0x26
	insEnablePIN    = 0x28
	insUnblockPIN   = 0x2C
	insDeactivate   = 0x04
	insActivate     = 0x44
	insGetChallenge = 0x84
)

// Process handles one file-system command (jc.Base): the class byte must
// be the one TS 102 221 Table 10.5 gives the instruction ('0X' or '8X'
// family), else 6E00; unknown instructions answer 6D00.
func (f *FS) Process(ctx *jc.Context, cmd *apdu.Command) error {
	f.saved, f.savedCh = f.ch[ctx.Channel()], ctx.Channel()
	f.curCh = ctx.Channel()
	prop := cmd.Class().Kind() == apdu.ClassProprietary
	switch cmd.INS {
	case insStatus, insIncrease:
		if !prop {
			return apdu.SWCLANotSupported
		}
	case insSelect, insReadBinary, insUpdateBinary, insReadRecord, insUpdateRecord,
		insSearchRecord, insVerify, insChangePIN, insDisablePIN, insEnablePIN,
		insUnblockPIN, insDeactivate, insActivate, insGetChallenge:
		if prop {
			return apdu.SWCLANotSupported
		}
	default:
		return apdu.SWINSNotSupported
	}
	switch cmd.INS {
	case insSelect:
		return f.selectFile(ctx, cmd)
	case insStatus:
		return f.status(ctx, cmd)
	case insReadBinary:
		return f.readBinary(ctx, cmd)
	case insUpdateBinary:
		return f.updateBinary(ctx, cmd)
	case insReadRecord:
		return f.readRecord(ctx, cmd)
	case insUpdateRecord:
		return f.updateRecord(ctx, cmd)
	case insSearchRecord:
		return f.searchRecord(ctx, cmd)
	case insIncrease:
		return f.increase(ctx, cmd)
	case insVerify:
		return f.verify(cmd)
	case insChangePIN:
		return f.change(cmd)
	case insDisablePIN:
		return f.enableDisable(cmd, false)
	case insEnablePIN:
		return f.enableDisable(cmd, true)
	case insUnblockPIN:
		return f.unblock(cmd)
	case insDeactivate:
		return f.activation(ctx, cmd, false)
	case insActivate:
		return f.activation(ctx, cmd, true)
	case insGetChallenge:
		return f.getChallenge(ctx, cmd)
	}
	return apdu.SWINSNotSupported
}

// Attach makes the file system the runtime's issuer layer (jc.Base). The
// tree is built by then, so its node table and child lists are first
// trimmed to their length (files added later grow them again).
func (f *FS) Attach(rt *jc.Runtime) {
	f.trim()
	rt.SetBase(f)
}

// App is the applet of an application DF: selecting its AID makes the ADF
// the channel's current application and DF and answers its FCP; every
// other command goes to the file system. Applications with commands of
// their own (AUTHENTICATE) embed it and override Process.
type App struct {
	FS  *FS
	ADF Node
}

// App returns the applet for adf, ready for jc.Runtime.Install under the
// ADF's AID.
func (f *FS) App(adf Node) *App { return &App{FS: f, ADF: adf} }

// Select implements jc.Applet.
func (a *App) Select(ctx *jc.Context, cmd *apdu.Command) error {
	return a.FS.SelectADF(ctx, a.ADF, cmd.P2)
}

// Deselect implements jc.Applet; the file system keeps the channel's DF.
// The application session ends on the channel (security.go).
func (a *App) Deselect(ctx *jc.Context) {
	ch := &a.FS.ch[ctx.Channel()]
	if ch.adf == a.ADF {
		ch.adf = NoNode
		a.FS.endSession(a.ADF)
	}
}

// Process implements jc.Applet by passing the command to the file system.
func (a *App) Process(ctx *jc.Context, cmd *apdu.Command) error { return a.FS.Process(ctx, cmd) }

// InstallApps installs the default App of every ADF whose AID the runtime
// does not know yet (install your own applets for some ADFs first).
func (f *FS) InstallApps(rt *jc.Runtime) error {
	known := rt.Applets()
	for i := range f.nodes {
		if f.nodes[i].kind != KindADF {
			continue
		}
		dup := false
		for _, a := range known {
			dup = dup || a == f.nodes[i].aid
		}
		if !dup {
			if err := rt.Install(f.nodes[i].aid, f.App(Node(i))); err != nil {
				return err
			}
		}
	}
	return nil
}

package jc

import (
	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/usim/store"
)

// Applet is an application reachable by SELECT by AID, in the manner of
// javacard.framework.Applet (Java Card 3 API): the runtime calls Select when
// the applet becomes current on a logical channel, Process for every
// further command on that channel, and Deselect when another application is
// selected there or the channel is closed.
//
// A handler answers by appending response data to ctx.Out and returning nil
// (9000), a warning or error apdu.StatusWord (the ISOException idiom:
// `return apdu.SWFileNotFound`), or any other error (answered 6F00). The
// runtime drops response data unless SW1 is 61, 62, 63 or 90–9F, and rolls
// back every persistent write of a command that fails.
type Applet interface {
	// Select activates the applet on ctx.Channel() in answer to cmd (the
	// SELECT APDU); it may answer data (e.g. the FCP). An error refuses
	// the selection and the channel keeps its previous application.
	Select(ctx *Context, cmd *apdu.Command) error
	// Deselect tells the applet it is no longer current on ctx.Channel().
	Deselect(ctx *Context)
	// Process handles one command APDU.
	Process(ctx *Context, cmd *apdu.Command) error
}

// Base is the card's issuer layer, the UICC operating system of ETSI TS
// 102 221 (the usim/fs file system): it handles every command on a channel
// without a selected applet, and applets may pass commands to it
// (Context.Base). It keeps its own per-channel state and hears of channel
// life-cycle events.
type Base interface {
	// Process handles one command APDU.
	Process(ctx *Context, cmd *apdu.Command) error
	// OpenChannel initialises channel ch, opened from channel from (TS 102
	// 221 §11.1.17: from the basic channel the MF becomes current, from
	// another channel that channel's current DF and application).
	OpenChannel(ch, from int)
	// CloseChannel forgets channel ch's state.
	CloseChannel(ch int)
	// Reset returns to the state after the answer-to-reset (MF current,
	// volatile security status cleared).
	Reset()
	// Undo restores channel ch's volatile state (current files, record
	// pointer) to what it was before the last Process call: the runtime
	// calls it when it refuses the command's answer after the handler
	// ran (6Cxx for a wrong Le on T=0), so the refused command changes
	// nothing.
	Undo(ch int)
}

// Context is the runtime's view of the command being processed; handlers
// receive it and must not keep it.
type Context struct {
	// Out collects response data; append to it. It is empty when a
	// handler is called.
	Out []byte

	rt      *Runtime
	channel int
}

// Channel returns the logical channel (0..19) the command arrived on.
func (c *Context) Channel() int { return c.channel }

// Store returns the card's persistent store; every write of the command
// runs inside its transaction.
func (c *Context) Store() *store.Store { return c.rt.st }

// Runtime returns the runtime processing the command.
func (c *Context) Runtime() *Runtime { return c.rt }

// Selected returns the application current on this channel, and whether
// there is one.
func (c *Context) Selected() (AID, bool) {
	ch := &c.rt.ch[c.channel]
	if ch.app < 0 {
		return AID{}, false
	}
	return c.rt.apps[ch.app].aid, true
}

// Base passes cmd to the issuer layer (the file system), as a USIM applet
// does with every command that is not its own.
func (c *Context) Base(cmd *apdu.Command) error {
	if c.rt.base == nil {
		return apdu.SWINSNotSupported
	}
	return c.rt.base.Process(c, cmd)
}

// BeginTransaction opens an applet transaction nested in the command's
// (JCSystem.beginTransaction): AbortTransaction undoes only its writes.
func (c *Context) BeginTransaction() error { return c.rt.st.Begin() }

// CommitTransaction ends the applet transaction; its writes become durable
// with the command's. Without an open applet transaction it answers
// store.ErrNoTransaction (TransactionException.NOT_IN_PROGRESS) and leaves
// the command's own transaction alone.
func (c *Context) CommitTransaction() error {
	if c.rt.st.Depth() < 2 {
		return store.ErrNoTransaction
	}
	return c.rt.st.Commit()
}

// AbortTransaction undoes the applet transaction's writes (or answers
// store.ErrNoTransaction when none is open).
func (c *Context) AbortTransaction() error {
	if c.rt.st.Depth() < 2 {
		return store.ErrNoTransaction
	}
	return c.rt.st.Abort()
}

package jc

import (
	"errors"
	"fmt"

	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/usim/store"
)

// MaxChannels is the number of logical channels, 0..19 (ETSI TS 102 221
// §10.1.1: the basic channel, 3 of the first interindustry coding and 16 of
// the further coding).
const MaxChannels = 20

// RemoteChannel is the internal channel on which Exec runs commands for
// the card itself (remote APDUs of ETSI TS 102 226 carried by OTA): it
// has its own current application, DF and EF, and no class byte reaches it.
const RemoteChannel = MaxChannels

// Channels is the number of channel states a Base keeps: the 20 logical
// channels and RemoteChannel.
const Channels = MaxChannels + 1

// DefaultATR is the answer-to-reset of a UICC offering T=0 (and T=15
// global parameters), as a commercial programmable UICC answers it:
// TS=3B, T0=9F (TA1, TD1, 15 historical bytes), TA1=96 (Fi=512, Di=32),
// TD1=80, TD2=1F (T=15), TA3=C7 (clock stop, class A/B/C), historical bytes
// 80 31 A0 73 BE 21 13 67 43 20 07 18 00 00 01, TCK=A5 (ISO/IEC 7816-3 §8,
// ETSI TS 102 221 §6.3).
var DefaultATR = []byte{0x3B, 0x9F, 0x96, 0x80, 0x1F, 0xC7, 0x80, 0x31, 0xA0, 0x73,
	0xBE, 0x21, 0x13, 0x67, 0x43, 0x20, 0x07, 0x18, 0x00, 0x00, 0x01, 0xA5}

// Errors of the transport side (a card's refusal is a status word, not an
// error); test with errors.Is.
var (
	// ErrNoPower reports Transmit to a card that was never reset or was
	// powered off.
	ErrNoPower = errors.New("jc: card not powered")
	// ErrMute reports a card that lost power mid-command (store power-loss
	// injection): it answers nothing until the next Reset.
	ErrMute = errors.New("jc: card mute after power loss")
	// ErrDuplicateAID reports Install of an AID already installed.
	ErrDuplicateAID = errors.New("jc: AID already installed")
	// ErrQueueFull reports too many pending proactive commands.
	ErrQueueFull = errors.New("jc: proactive queue full")
)

// Options configure a Runtime.
type Options struct {
	// Store holds the card's persistent state; nil means a new empty one.
	Store *store.Store
	// ATR is the answer-to-reset; nil means DefaultATR.
	ATR []byte
	// T1 switches the T=0 response behaviour (61xx / GET RESPONSE, 6Cxx)
	// off: response data then comes back directly, as on T=1.
	T1 bool
}

type installed struct {
	aid    AID
	applet Applet
}

type channel struct {
	open bool
	app  int // index into Runtime.apps; -1: no application
}

// Runtime is a Java Card–style card runtime: it owns the logical channels,
// the applet registry, the command transaction and the transmission
// protocol's response rules, and it is an apdu.Transport (and
// apdu.PowerOffer) so a card can be driven in-process or served to vpcd.
type Runtime struct {
	st   *store.Store
	base Base
	apps []installed
	ch   [Channels]channel
	t1   bool
	atr  []byte

	powered          bool
	extendedChannels bool // TERMINAL CAPABILITY announced channels 4..19
	ctx              Context
	cmd              apdu.Command // the command being processed (kept here so it never escapes)
	rctx             Context      // Exec's context and command
	rcmd             apdu.Command
	inExec           bool
	busy             bool // inside Transmit: handlers must use Exec, not Transmit

	// T=0 / T=1 pending response for GET RESPONSE.
	pend    []byte
	pendOff int
	pendCh  int
	pendSW  apdu.StatusWord // status word ending the last GET RESPONSE
	hasPend bool

	proactive
}

// New returns a powered-off runtime; call Reset before Transmit.
func New(o Options) *Runtime {
	rt := &Runtime{st: o.Store, t1: o.T1, atr: o.ATR}
	if rt.st == nil {
		rt.st = store.New(store.Options{})
	}
	if rt.atr == nil {
		rt.atr = DefaultATR
	}
	rt.atr = append([]byte(nil), rt.atr...)
	// The response buffers (ctx.Out, rctx.Out, pend) start nil and grow
	// on first use to the largest answer the card gives, then are reused:
	// an idle card holds no buffer, a busy one allocates nothing per APDU.
	rt.ctx.rt = rt
	rt.rctx = Context{rt: rt, channel: RemoteChannel}
	rt.resetChannels()
	return rt
}

// Store returns the runtime's persistent store.
func (rt *Runtime) Store() *store.Store { return rt.st }

// SetBase installs the issuer layer (the file system) that handles
// commands no applet claims.
func (rt *Runtime) SetBase(b Base) { rt.base = b }

// SetT1 switches between T=0 response behaviour (false, the default) and
// direct T=1 responses (true).
func (rt *Runtime) SetT1(on bool) { rt.t1 = on }

// Install registers an applet under aid, reachable by SELECT by DF name.
// Registration order decides "first occurrence" for partial names.
func (rt *Runtime) Install(aid AID, a Applet) error {
	if aid.IsZero() {
		return fmt.Errorf("%w: empty", ErrBadAID)
	}
	for _, x := range rt.apps {
		if x.aid == aid {
			return fmt.Errorf("%w: %s", ErrDuplicateAID, aid)
		}
	}
	rt.apps = append(rt.apps, installed{aid, a})
	return nil
}

// Applets returns the installed AIDs in registration order.
func (rt *Runtime) Applets() []AID {
	r := make([]AID, len(rt.apps))
	for i, x := range rt.apps {
		r[i] = x.aid
	}
	return r
}

func (rt *Runtime) resetChannels() {
	for i := range rt.ch {
		rt.ch[i] = channel{app: -1}
	}
	rt.ch[0].open = true
	rt.ch[RemoteChannel].open = true
	rt.hasPend = false
}

// Reset powers the card up (cold) or resets it (warm) and returns a copy
// of the ATR. Volatile state goes: channels 1..19 close, no application is
// selected, the MF is current, PIN verification and the proactive session
// end. A store that lost power recovers its journal here.
func (rt *Runtime) Reset(cold bool) ([]byte, error) {
	if rt.st.Dead() || cold {
		if err := rt.st.Restart(); err != nil {
			return nil, fmt.Errorf("jc: reset: %w", err)
		}
	}
	rt.resetChannels()
	rt.extendedChannels = false
	rt.proactive.reset()
	if rt.base != nil {
		rt.base.Reset()
	}
	rt.powered = true
	return append([]byte(nil), rt.atr...), nil
}

// PowerOff removes power (the vpcd power-off message); Reset powers up.
func (rt *Runtime) PowerOff() error {
	rt.powered = false
	return nil
}

// Close powers the card off; the runtime may be reset and used again.
func (rt *Runtime) Close() error { return rt.PowerOff() }

// ATR returns the answer-to-reset (not a copy: do not modify).
func (rt *Runtime) ATR() []byte { return rt.atr }

// Transmit processes one command APDU and appends the response APDU to dst
// (apdu.Transport). Every command runs in one store transaction, committed
// when it succeeds and rolled back when it answers an error status word.
// It does not allocate in steady state.
func (rt *Runtime) Transmit(dst, cmd []byte) ([]byte, error) {
	if !rt.powered {
		return dst, ErrNoPower
	}
	if rt.st.Dead() {
		return dst, ErrMute
	}
	if rt.busy {
		return dst, errors.New("jc: Transmit called from a command handler (use Exec)")
	}
	rt.busy = true
	defer func() { rt.busy = false }()
	var err error
	if rt.cmd, err = apdu.ParseCommand(cmd); err != nil {
		return appendSW(dst, apdu.SWWrongLength), nil
	}
	c := &rt.cmd
	if c.INS == insGetResponse {
		return rt.getResponse(dst, c), nil
	}
	rt.hasPend = false
	ctx := &rt.ctx
	ctx.Out = ctx.Out[:0]
	sw := rt.checkClass(c)
	if sw == 0 {
		ctx.channel = c.Class().Channel()
		if err := rt.st.Begin(); err != nil {
			return dst, fmt.Errorf("%w: %w", ErrMute, err)
		}
		sw = statusOf(rt.dispatch(ctx, c))
		if rt.st.Dead() {
			rt.powered = false
			return dst, ErrMute
		}
		if le, bad := rt.wrongLe(c, ctx.Out, sw); bad {
			sw = le
			if rt.base != nil {
				rt.base.Undo(ctx.channel)
			}
		}
		sw = rt.end(sw)
		if rt.st.Dead() {
			rt.powered = false
			return dst, ErrMute
		}
	}
	data := ctx.Out
	if !carriesData(sw) {
		data = nil
	}
	if sw == apdu.SWOK {
		sw = rt.proactiveSW()
	}
	return rt.shape(dst, c, data, sw), nil
}

// end commits the command's transaction on success and rolls it back
// otherwise; a failing commit turns into 6581 (memory problem).
func (rt *Runtime) end(sw apdu.StatusWord) apdu.StatusWord {
	if commits(sw) {
		for rt.st.Depth() > 1 { // applet left its transaction open
			if err := rt.st.Commit(); err != nil {
				break
			}
		}
		if err := rt.st.Commit(); err != nil {
			rt.abortAll()
			return apdu.SWMemoryProblem
		}
		return sw
	}
	rt.abortAll()
	return sw
}

func (rt *Runtime) abortAll() {
	for rt.st.Depth() > 0 {
		if rt.st.Abort() != nil {
			return
		}
	}
}

// commits reports whether a command ending with sw keeps its writes:
// normal endings (90 00, 91xx, 92xx) and warnings other than a failed
// verification (62xx, 63xx but not 63Cx), ISO/IEC 7816-4 §5.6.
func commits(sw apdu.StatusWord) bool {
	switch sw.SW1() {
	case 0x90, 0x91, 0x92, 0x62:
		return true
	case 0x63:
		return sw.SW2()&0xF0 != 0xC0
	}
	return false
}

// carriesData reports whether a response may hold data with this status
// word: SW1 61, 62, 63 or 90–9F (ISO/IEC 7816-4 §5.6, ETSI TS 102 221
// §10.2).
func carriesData(sw apdu.StatusWord) bool {
	s1 := sw.SW1()
	return s1 == 0x61 || s1 == 0x62 || s1 == 0x63 || (s1 >= 0x90 && s1 <= 0x9F)
}

// statusOf maps a handler's error to the status word answered: nil is
// 9000, a StatusWord is itself, a journal overflow is 6581 and anything
// else 6F00.
func statusOf(err error) apdu.StatusWord {
	if err == nil {
		return apdu.SWOK
	}
	var sw apdu.StatusWord
	if errors.As(err, &sw) {
		return sw
	}
	if errors.Is(err, store.ErrJournalFull) {
		return apdu.SWMemoryProblem
	}
	return apdu.SWTechnicalProblem
}

// checkClass answers the class-byte errors of ETSI TS 102 221 §10.1.1 and
// §10.2.1: invalid or GSM class 6E00, closed channel 6881, secure
// messaging 6882, chaining 6884. It returns 0 when the class is usable.
func (rt *Runtime) checkClass(c *apdu.Command) apdu.StatusWord {
	cla := c.Class()
	switch cla.Kind() {
	case apdu.ClassInterindustry, apdu.ClassProprietary:
	default:
		return apdu.SWCLANotSupported
	}
	ch := cla.Channel()
	if ch >= MaxChannels || !rt.ch[ch].open {
		return apdu.SWLogicalChannelNotSupp
	}
	if cla.SecureMessaging() != 0 {
		return apdu.SWSecureMessagingNotSupp
	}
	if cla.Chained() {
		return apdu.SWChainingNotSupported
	}
	return 0
}

// Instruction codes the runtime itself handles (ETSI TS 102 221 §10.1.2).
const (
	insSelect           = 0xA4
	insManageChannel    = 0x70
	insGetResponse      = 0xC0
	insTerminalProfile  = 0x10
	insFetch            = 0x12
	insTerminalResponse = 0x14
	insEnvelope         = 0xC2
	insTerminalCap      = 0xAA
)

func (rt *Runtime) dispatch(ctx *Context, c *apdu.Command) error {
	proprietary := c.Class().Kind() == apdu.ClassProprietary
	switch {
	case c.INS == insSelect && c.P1 == 0x04:
		if proprietary {
			return apdu.SWCLANotSupported
		}
		return rt.selectAID(ctx, c)
	case c.INS == insManageChannel:
		if proprietary {
			return apdu.SWCLANotSupported
		}
		return rt.manageChannel(ctx, c)
	case proprietary && c.INS == insTerminalCap:
		return rt.terminalCapability(c)
	case proprietary && c.INS == insTerminalProfile:
		return rt.terminalProfile(c)
	case proprietary && c.INS == insFetch:
		return rt.fetch(ctx, c)
	case proprietary && c.INS == insTerminalResponse:
		return rt.terminalResponse(ctx, c)
	case proprietary && c.INS == insEnvelope:
		return rt.envelope(ctx, c)
	}
	if app := rt.ch[ctx.channel].app; app >= 0 {
		return rt.apps[app].applet.Process(ctx, c)
	}
	if rt.base != nil {
		return rt.base.Process(ctx, c)
	}
	return apdu.SWINSNotSupported
}

func appendSW(dst []byte, sw apdu.StatusWord) []byte {
	return append(dst, sw.SW1(), sw.SW2())
}

// Exec runs one command APDU for the card itself on RemoteChannel — the
// remote APDUs of ETSI TS 102 226 that an OTA applet executes while it
// handles an ENVELOPE — and appends data ‖ SW1 SW2 to dst without any
// transmission-protocol shaping (no 61xx, 6Cxx or 91xx). Its writes join
// the enclosing command's transaction as a savepoint: an error status
// word undoes them alone. The class byte's channel bits are ignored.
// Exec does not nest.
func (rt *Runtime) Exec(dst, cmd []byte) ([]byte, error) {
	if rt.inExec {
		return dst, errors.New("jc: Exec called from a command run by Exec")
	}
	if rt.st.Dead() {
		return dst, ErrMute
	}
	var err error
	if rt.rcmd, err = apdu.ParseCommand(cmd); err != nil {
		return appendSW(dst, apdu.SWWrongLength), nil
	}
	c := &rt.rcmd
	c.CLA = byte(apdu.CLA(c.CLA).WithChannel(0))
	ctx := &rt.rctx
	ctx.Out = ctx.Out[:0]
	sw := apdu.StatusWord(0)
	switch c.INS {
	case insGetResponse, insManageChannel, insTerminalProfile, insFetch,
		insTerminalResponse, insEnvelope, insTerminalCap: // terminal-only commands
		sw = apdu.SWINSNotSupported
	default:
		sw = rt.checkClass(c)
	}
	if sw == 0 {
		if err := rt.st.Begin(); err != nil {
			return dst, fmt.Errorf("%w: %w", ErrMute, err)
		}
		rt.inExec = true
		sw = statusOf(rt.dispatch(ctx, c))
		rt.inExec = false
		if rt.st.Dead() {
			rt.powered = false
			return dst, ErrMute
		}
		if commits(sw) {
			err = rt.st.Commit()
		} else {
			err = rt.st.Abort()
		}
		if rt.st.Dead() {
			rt.powered = false
			return dst, ErrMute
		}
		if err != nil {
			sw = apdu.SWMemoryProblem
		}
	}
	if carriesData(sw) {
		dst = append(dst, ctx.Out...)
	}
	return appendSW(dst, sw), nil
}

// Compile-time checks: a Runtime is a transport with power control.
var (
	_ apdu.Transport  = (*Runtime)(nil)
	_ apdu.PowerOffer = (*Runtime)(nil)
)

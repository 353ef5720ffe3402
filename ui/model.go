package ui

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"matui/client"
	"matui/themes"
	"matui/ui/alert"
	"matui/ui/details"
	"matui/ui/keys"
	"matui/ui/pin"
	"matui/ui/store"
	"matui/ui/table"
	"matui/ui/toast"
	"matui/ui/uictx"
	"matui/ui/usage"
)

// authPause is how long automatic polling waits after the credentials were
// refused: in practice until the user presses r.
const authPause = 100 * 365 * 24 * time.Hour

// HeaderInfo is what the header says about where the data comes from.
type HeaderInfo struct {
	Profile string // config-file profile in use; "" when none
	Backend string // "simulator" or "ModelArts"
	Cloud   string // e.g. "OTC", "HWC"
	Region  string
	Project string
}

// Options configures a dashboard.
type Options struct {
	// Theme is a theme name; "" picks dark or light from the terminal
	// background.
	Theme string
	// ThemeDir is where user themes (<name>.yaml/.yml/.json) live; "" means
	// built-in themes only.
	ThemeDir string
	// NoColor disables colour (NO_COLOR); the caller reads the environment.
	NoColor bool
	// Keys remaps actions by name ("up", "stop", "page_down", …; see
	// keys.Map.ByName) to key lists.
	Keys map[string][]string
	// PollFast and PollSlow are the list intervals while something is
	// changing (or just after an action) and when everything is settled.
	PollFast, PollSlow time.Duration
	Header             HeaderInfo
	// Now is the local clock (tests fix it). Defaults to time.Now.
	Now func() time.Time
	// ReadOnly disables start, stop, delete and renew: their keys only
	// say "read-only session". It is a courtesy to viewers of a shared
	// server (matui serve); the server refuses their mutations anyway.
	ReadOnly bool
	// Audit returns up to n of the most recently audited actions, newest
	// first (:audit). matui serve supplies it; nil elsewhere, where no
	// audit log is kept. It reads memory only, so Update may call it.
	Audit func(n int) []AuditEntry
	// Connect connects to another profile of the config file (:profile
	// NAME), the way the command line connected to the first one. The
	// dashboard runs it in a command, never in Update, and adopts every
	// backend it returns, so the implementation releases the previous
	// backend (e.g. stops an embedded simulator) when it succeeds, and
	// keeps it when it fails. nil: :profile is not available (tests, SSH
	// sessions).
	Connect func(ctx context.Context, profile string) (Backend, HeaderInfo, error)
	// Profiles lists the config file's profiles for :profile and its
	// completion; it reads the file, so it too runs in a command.
	Profiles func() ([]string, error)
	// Alerts configures the auto-stop alerts; nil: none.
	Alerts *Alerts
	// Pins, when set, is where keep-alive pins live and who renews them
	// (matui serve's, shared by its sessions); nil: the dashboard keeps
	// its own and renews them while it runs, PinMargin before the
	// auto-stop (0: the default 10 min).
	Pins      Pins
	PinMargin time.Duration
	// Prices, when set, adds cost per hour and cost so far to :usage.
	Prices *usage.Prices
	// AllUsers starts the dashboard in the all-users scope (-A): every
	// user's instances, for administrators; :scope all|mine switches.
	AllUsers bool
	// User is the user's name as instances name their owner ("" when
	// unknown): in an all-users listing only the user's own instances
	// alert, unless Alerts.AllUsers.
	User string
}

// Defaults for Options.
const (
	DefaultPollFast = 2 * time.Second
	DefaultPollSlow = 15 * time.Second
	// fastAfterAction keeps polling fast this long after an action even if
	// the server has not yet reported a transitional state.
	fastAfterAction = 30 * time.Second
	tickEvery       = time.Second
)

type viewMode int

const (
	modeList viewMode = iota
	modeDetails
)

// Model is the dashboard: the one tea.Model of the program. Components are
// plain types it owns and drives; overlays (dialogs, forms, pickers,
// browsers, the help, the command line) sit on a stack over the list.
type Model struct {
	backend Backend
	opts    Options
	ctx     *uictx.Context

	table   *table.Table
	details *details.Details
	toasts  *toast.Stack

	overlays []*opened // the overlay stack, top last
	lastID   int       // numbers overlays

	// store is the list's state (server rows per source, optimistic
	// states, created rows); shown is its version the table last got.
	store    *store.Store
	shown    uint64
	tableFed bool
	mode     viewMode

	describe  string
	themeName string
	themeSet  bool // explicit theme: ignore the terminal background

	// Polling state. At most one list call is in flight (listing, below);
	// the single tick decides when the next one is due.
	base       context.Context
	cancel     context.CancelFunc
	refreshNow bool // "r" or an action finished while a poll was in flight
	nextPoll   time.Time
	lastOK     time.Time
	lastErr    error
	partial    error // the last list was incomplete (some listings failed)
	errCount   int
	// pollStarted is when the list call in flight started; lastPollCost
	// is how long the last one took (it stretches the poll interval).
	pollStarted  time.Time
	lastPollCost time.Duration
	fastUntil    time.Time
	// The poll in flight, page by page (nil listing: none): the listing,
	// its cancel, the pages so far, each source's progress, and when the
	// table was last redrawn from its pages.
	listing       *client.Listing
	listingCancel context.CancelFunc
	pollPages     int
	progress      map[store.Source]progress
	lastDraw      time.Time
	// allUsers: the listing is every user's instances (-A, :scope all).
	allUsers bool
	loaded   bool // a listing has succeeded (else the table says loading)

	// :profile. conn numbers the backends: list results of an earlier one
	// are dropped.
	conn        int
	switching   string   // profile being connected to; "" when none
	switchToast int      // its "connecting…" toast
	profiles    []string // cached for completion

	lastFailure *failure // the most recent error, for the last-error view

	// Auto-stop alerts (nil watcher: off) and the alerts still shown.
	alerts     *alert.Watcher
	notifier   alert.Notifier
	alerting   []pendingAlert
	alertToast int // the toast showing them (0: none)

	// burn is the header's summary of what runs now ("running: 3× Ascend
	// 910 · 58 vCPU"), computed when the list changes.
	burn string

	// Keep-alive pins; ownPins is set when this dashboard renews them.
	pins    Pins
	ownPins *pin.Set
	// pinsVersion is the pins' Version the PIN column shows.
	pinsVersion uint64

	quitting bool
}

// New returns a dashboard for b.
func New(b Backend, opts Options) *Model {
	if opts.PollFast <= 0 {
		opts.PollFast = DefaultPollFast
	}
	if opts.PollSlow <= 0 {
		opts.PollSlow = DefaultPollSlow
	}
	if opts.PollSlow < opts.PollFast {
		opts.PollSlow = opts.PollFast
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	ctx := &uictx.Context{Width: 80, Height: 24, Keys: keys.Default(), Now: opts.Now, ServerNow: b.ServerNow()}
	ctx.Frame = int(ctx.ServerNow.Unix() & 0xff)
	keyErr := ctx.Keys.Apply(opts.Keys)
	m := &Model{
		backend:  b,
		opts:     opts,
		ctx:      ctx,
		describe: b.Describe(),
		store:    store.New(),
		progress: map[store.Source]progress{},
		allUsers: opts.AllUsers,
	}
	m.base, m.cancel = context.WithCancel(context.Background())
	name := themes.Dark
	if opts.Theme != "" {
		if _, ok := themes.Builtin(opts.Theme); ok {
			name = opts.Theme
		}
		m.themeSet = true
	}
	p, _ := themes.Builtin(name)
	m.applyPalette(p)
	m.table = table.New(ctx)
	m.details = details.New(ctx)
	m.toasts = toast.New(ctx)
	if keyErr != nil {
		m.toasts.Push(toast.Error, keyErr.Error())
	}
	m.newWatcher()
	m.newPins()
	m.layout()
	return m
}

func (m *Model) applyPalette(p themes.Palette) {
	m.themeName = p.Name
	m.ctx.Styles = themes.New(p, m.opts.NoColor)
	if m.table != nil {
		m.table.InvalidateStyles()
		m.details.Refresh()
	}
}

type (
	tickMsg  struct{}
	themeMsg struct {
		palette themes.Palette
		err     error
		quiet   bool // startup load: no success toast
	}
)

// Init starts the single tick, the first poll and theme detection.
func (m *Model) Init() tea.Cmd {
	cmds := []tea.Cmd{m.tick(), m.poll()}
	if m.opts.Connect != nil && m.opts.Profiles != nil {
		cmds = append(cmds, m.loadProfiles(false))
	}
	switch {
	case !m.themeSet:
		cmds = append(cmds, tea.RequestBackgroundColor)
	case m.opts.ThemeDir != "" || m.themeName != m.opts.Theme:
		cmds = append(cmds, m.loadTheme(m.opts.Theme, true))
	}
	return tea.Batch(cmds...)
}

func (m *Model) tick() tea.Cmd {
	return tea.Tick(tickEvery, func(time.Time) tea.Msg { return tickMsg{} })
}

func (m *Model) loadTheme(name string, quiet bool) tea.Cmd {
	dir := m.opts.ThemeDir
	return func() tea.Msg {
		p, err := themes.Load(dir, name)
		return themeMsg{palette: p, err: err, quiet: quiet}
	}
}

// pollCostFactor keeps listing to at most about a fifth of the time: after
// a listing that took d, the next starts no sooner than pollCostFactor×d
// later. A project of a few hundred instances lists in well under a second
// and never notices; a huge one (100,000 instances page by page) is not
// listed back to back for ever.
const pollCostFactor = 5

func (m *Model) interval() time.Duration {
	now := m.ctx.Now()
	iv := m.opts.PollSlow
	if m.table.Transitional() || now.Before(m.fastUntil) || m.store.Changing() {
		iv = m.opts.PollFast
	}
	return max(iv, pollCostFactor*m.lastPollCost)
}

// publish hands the store's merged list to the table (and the details
// view) when it changed since the last time.
func (m *Model) publish() {
	if v := m.store.Version(); v != m.shown || !m.tableFed {
		m.shown, m.tableFed = v, true
		if m.loaded || m.store.Len() > 0 {
			m.table.SetInstances(m.store.Instances())
			m.syncAlerts()
			m.burn = usage.Summarize(m.store.Instances()).String()
		}
	}
	if m.mode == modeDetails {
		if in, ok := m.table.Get(m.details.Instance().ID); ok {
			m.details.SetInstance(in)
		} else {
			m.details.SetGone()
		}
	}
}

func (m *Model) onTick() tea.Cmd {
	now := m.ctx.Now()
	m.ctx.ServerNow = m.backend.ServerNow()
	// The spinner frame follows the server clock's seconds rather than a
	// tick counter: same motion, but deterministic under a fixed clock.
	m.ctx.Frame = int(m.ctx.ServerNow.Unix() & 0xff)
	m.toasts.Expire(now)
	if m.mode == modeDetails {
		m.details.Refresh()
	}
	// Optimistic states the server never confirmed and created rows no
	// listing reported run out.
	if m.store.Expire(now) {
		m.publish()
	}
	m.followPins()
	cmds := []tea.Cmd{m.tick(), m.tickAlerts(), m.tickPins()}
	if !m.polling() && !now.Before(m.nextPoll) {
		cmds = append(cmds, m.poll())
	}
	return tea.Batch(cmds...)
}

// layout recomputes component sizes after a resize or when the panels
// between the body and the footer change height.
func (m *Model) layout() {
	w, h := m.ctx.Width, m.ctx.Height
	m.toasts.SetSize(w) // before panelHeight: wrapped toasts depend on it
	body := max(h-headerLines-footerLines-m.panelHeight(), 0)
	m.table.SetSize(w, body)
	m.details.SetSize(w, body)
}

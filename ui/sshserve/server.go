// Package sshserve serves the matui dashboard over SSH (matui serve): every
// session gets its own dashboard program — window size, colour profile,
// selection, theme detection — over one shared listing (hub.Hub), so a team
// watches the same project for the price of one poller.
//
// Access is by public key only, from two authorized_keys files: operators
// may act, viewers may only look (their UI disables actions and their
// session's backend refuses them). Every mutation is appended to the audit log (JSON lines,
// fsync'd) before the dashboard reports it.
//
// Middleware, outermost first: panic recovery, connection logging (the
// key's identity; client-chosen strings sanitised), the session limit,
// then either the plain listing (no PTY: ssh host > file) or the
// dashboard. New connections are rate-limited per IP before the handshake,
// and must authenticate within the login timeout, with only so many
// unauthenticated at once per IP; idle (no input) and absolute session
// timeouts end sessions.
//
// Identity comes from the key: the audit log, :audit and the logs name the
// key's holder as the key lists do (a name="…" option or the comment) with
// its fingerprint; the SSH user name is the client's choice and is only
// recorded beside it.
package sshserve

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/log/v2"
	"charm.land/wish/v2"
	rm "charm.land/wish/v2/recover"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/ssh"
	gossh "golang.org/x/crypto/ssh"
	"golang.org/x/time/rate"

	"matui/client/hub"
	"matui/ui"
	"matui/ui/alert"
	"matui/ui/listing"
	"matui/ui/pin"
)

// Defaults for Config.
const (
	DefaultMaxSessions = 32
	DefaultIdleTimeout = 30 * time.Minute
	DefaultRate        = rate.Limit(1) // new connections per second per IP
	DefaultBurst       = 10
	// DefaultLoginTimeout is how long a connection may take to
	// authenticate (sshd's LoginGraceTime). A key login takes well under
	// a second; 20 s leaves room for a slow link or an agent asking for
	// confirmation, and bounds what a silent connection holds.
	DefaultLoginTimeout = 20 * time.Second
	// DefaultMaxUnauthenticated is how many connections one IP may have
	// open before they authenticate.
	DefaultMaxUnauthenticated = 8

	connIdleGrace = 30 * time.Second
)

// Config configures a Server.
type Config struct {
	// HostKeyPath is the server's ed25519 private key; it is generated
	// (mode 0600) when missing. An existing key readable by group or
	// others is refused, as sshd does.
	HostKeyPath string
	// AuthorizedKeysPath lists operators' public keys, ViewerKeysPath
	// read-only viewers' (authorized_keys format). At least one must be
	// set; they are re-read for every connection.
	AuthorizedKeysPath string
	ViewerKeysPath     string
	// AuditLogPath receives one JSON line per mutation. Empty: mutations
	// are logged through Logger instead (not fsync'd).
	AuditLogPath string
	MaxSessions  int           // concurrent sessions; 0 means DefaultMaxSessions
	IdleTimeout  time.Duration // no keyboard/mouse input; 0 means DefaultIdleTimeout, <0 none
	MaxTimeout   time.Duration // absolute session length; 0 means none
	// RateLimit and RateBurst bound new connections per remote IP; zero
	// means DefaultRate and DefaultBurst.
	RateLimit rate.Limit
	RateBurst int
	// LoginTimeout closes a connection that has not authenticated by then;
	// 0 means DefaultLoginTimeout, <0 none.
	LoginTimeout time.Duration
	// MaxUnauthenticated bounds the connections per remote IP that have not
	// authenticated yet; 0 means DefaultMaxUnauthenticated.
	MaxUnauthenticated int
	// Upstream is the one backend every session goes through (the
	// *client.Client that holds the credentials): sessions list through a
	// shared hub over it and send their mutations to it.
	Upstream ui.Backend
	Header   ui.HeaderInfo
	// Dashboard is the template for every session's ui.Options (theme,
	// keys, poll intervals); Header and ReadOnly are set per session. Its
	// poll intervals also pace the shared listing: however many sessions
	// watch, ModelArts sees the lists of one dashboard.
	Dashboard ui.Options
	// AlertDesktop is the config file's alerts.desktop: with "auto" (or
	// ""), each session's terminal, as its environment tells, decides which
	// desktop notification it gets (Dashboard.Alerts holds the rest).
	AlertDesktop string
	// AllUsers lists every user's instances for every session (the
	// credentials must be an administrator's).
	AllUsers bool
	// PinMargin is how close to its auto-stop a pinned instance is renewed
	// (0: the default 10 min). The pins live in the server.
	PinMargin time.Duration
	Logger    *log.Logger // nil: a logger on stderr
}

// Server is an SSH server of dashboards.
type Server struct {
	cfg       Config
	log       *log.Logger
	srv       *ssh.Server
	operators keyList
	viewers   keyList
	audit     *AuditTrail // the durable auditor, remembering recent records for :audit
	auditLog  *AuditLog   // nil when auditing through the logger
	console   *console    // what the sessions' backends share
	keeper    *keeper     // renews the pinned instances
	limiter   *connLimiter
	logins    *loginGuard
	slots     chan struct{} // one token per running session
	sessions  inFlight      // running sessions, for Shutdown

	// stop ends every session on Shutdown.
	stopCtx context.Context
	stop    context.CancelFunc

	closeOnce sync.Once

	mu      sync.Mutex
	shut    bool               // Shutdown has begun
	serving []*trackedListener // listeners handed to Serve

	// observe, when set (tests), sees every message a dashboard receives.
	observe func(Actor, tea.Msg)
}

// New checks cfg, loads or creates the host key and opens the audit log.
func New(cfg Config) (*Server, error) {
	if cfg.Upstream == nil {
		return nil, errors.New("sshserve: no upstream backend")
	}
	if cfg.AuthorizedKeysPath == "" && cfg.ViewerKeysPath == "" {
		return nil, errors.New("sshserve: refusing to start without an allow list (authorized keys or viewer keys)")
	}
	if cfg.HostKeyPath == "" {
		return nil, errors.New("sshserve: no host key path")
	}
	if cfg.MaxSessions <= 0 {
		cfg.MaxSessions = DefaultMaxSessions
	}
	if cfg.IdleTimeout == 0 {
		cfg.IdleTimeout = DefaultIdleTimeout
	}
	if cfg.RateLimit <= 0 {
		cfg.RateLimit = DefaultRate
	}
	if cfg.RateBurst <= 0 {
		cfg.RateBurst = DefaultBurst
	}
	if cfg.LoginTimeout == 0 {
		cfg.LoginTimeout = DefaultLoginTimeout
	}
	if cfg.MaxUnauthenticated <= 0 {
		cfg.MaxUnauthenticated = DefaultMaxUnauthenticated
	}
	s := &Server{
		cfg:       cfg,
		log:       cfg.Logger,
		operators: keyList(cfg.AuthorizedKeysPath),
		viewers:   keyList(cfg.ViewerKeysPath),
		limiter:   newConnLimiter(cfg.RateLimit, cfg.RateBurst, 4096),
		slots:     make(chan struct{}, cfg.MaxSessions),
	}
	if s.log == nil {
		s.log = log.NewWithOptions(os.Stderr, log.Options{ReportTimestamp: true, Prefix: "serve"})
	}
	s.logins = newLoginGuard(cfg.LoginTimeout, cfg.MaxUnauthenticated, s.log)
	// Fail at start, not at the first login, on a list that cannot be read.
	n := 0
	var lists []string
	for _, l := range []struct {
		what string
		keys keyList
	}{{"authorized keys", s.operators}, {"viewer keys", s.viewers}} {
		if l.keys == "" {
			continue
		}
		keys, err := l.keys.keys()
		if err != nil {
			return nil, fmt.Errorf("sshserve: %s: %w", l.what, err)
		}
		n += len(keys)
		lists = append(lists, string(l.keys))
	}
	if n == 0 {
		return nil, fmt.Errorf("sshserve: the allow lists hold no keys (%s): nobody could log in", strings.Join(lists, ", "))
	}
	if err := checkHostKey(cfg.HostKeyPath); err != nil {
		return nil, err
	}
	if cfg.AuditLogPath != "" {
		al, err := OpenAuditLog(cfg.AuditLogPath)
		if err != nil {
			return nil, err
		}
		s.auditLog, s.audit = al, NewAuditTrail(al, auditRemembered)
	} else {
		s.audit = NewAuditTrail(logAuditor{s.log}, auditRemembered)
	}
	s.console = newConsole(cfg.Upstream, cfg.AllUsers, listPace(cfg.Dashboard), s.audit)
	pins, err := pin.NewSet(cmp.Or(cfg.PinMargin, pin.DefaultMargin))
	if err != nil {
		s.console.listing.Close()
		s.closeAudit()
		return nil, fmt.Errorf("sshserve: %w", err)
	}
	s.keeper = newKeeper(s.console, pins, s.log)
	s.stopCtx, s.stop = context.WithCancel(context.Background())

	mw := []wish.Middleware{
		s.sessionMiddleware, // innermost: listing or dashboard
		s.limitMiddleware,
		s.logMiddleware,
	}
	opts := []ssh.Option{
		wish.WithHostKeyPath(cfg.HostKeyPath),
		wish.WithPublicKeyAuth(s.authenticate),
		wish.WithMiddleware(rm.MiddlewareWithLogger(s.log, mw...)),
		func(srv *ssh.Server) error {
			srv.ConnCallback = s.admit
			srv.ServerConfigCallback = s.sshConfig
			srv.PtyHandler = capturePty()
			return nil
		},
	}
	// The connection-level idle timeout also resets on output, so it only
	// catches dead peers; the dashboard's idle timer (input only) is what
	// ends an unattended session. The grace lets that timer fire first and
	// say why, instead of the connection just dropping.
	if cfg.IdleTimeout > 0 {
		opts = append(opts, wish.WithIdleTimeout(cfg.IdleTimeout+connIdleGrace))
	}
	if cfg.MaxTimeout > 0 {
		opts = append(opts, wish.WithMaxTimeout(cfg.MaxTimeout))
	}
	srv, err := wish.NewServer(opts...)
	if err != nil {
		s.console.listing.Close()
		s.closeAudit()
		return nil, fmt.Errorf("sshserve: %w", err)
	}
	s.srv = srv
	s.keeper.run(s.stopCtx)
	return s, nil
}

// listPace paces the shared listing like one dashboard with opts: a list
// may be PollFast old while something changes, PollSlow old otherwise.
func listPace(opts ui.Options) hub.Options {
	return hub.Options{
		MinAge:  cmp.Or(opts.PollFast, ui.DefaultPollFast),
		SlowAge: cmp.Or(opts.PollSlow, ui.DefaultPollSlow),
	}
}

// checkHostKey refuses an existing host key that is not a file, that
// others can read, or that is not an SSH private key (saying which); a
// missing one is generated by wish (keygen writes 0600).
func checkHostKey(path string) error {
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("sshserve: host key: %w", err)
	case fi.IsDir():
		return fmt.Errorf("sshserve: host key %s is a directory: give the key file's path (a missing key is generated)", path)
	case !fi.Mode().IsRegular():
		return fmt.Errorf("sshserve: host key %s is not a regular file", path)
	case fi.Mode().Perm()&0o077 != 0:
		return fmt.Errorf("sshserve: host key %s is accessible by others (mode %v); chmod 600 it", path, fi.Mode().Perm())
	}
	pem, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("sshserve: host key: %w", err)
	}
	if _, err := gossh.ParsePrivateKey(pem); err != nil {
		return fmt.Errorf("sshserve: host key %s is not an unencrypted SSH private key: %w", path, err)
	}
	return nil
}

// Serve serves on l (the caller listens, so that a bad address is its
// error before anything is served; tests use 127.0.0.1:0). It returns
// ssh.ErrServerClosed after Shutdown.
//
// ssh.Server registers a listener only once Serve runs, and a Shutdown
// racing that registration would miss the listener (Serve then accepts
// forever) and race on its WaitGroup; so Serve reports when the listener
// is registered — its first Accept — and Shutdown waits for that.
func (s *Server) Serve(l net.Listener) error {
	s.mu.Lock()
	if s.shut {
		s.mu.Unlock()
		_ = l.Close()
		return ssh.ErrServerClosed
	}
	tl := &trackedListener{Listener: l, ready: make(chan struct{})}
	s.serving = append(s.serving, tl)
	s.mu.Unlock()
	defer tl.markReady() // Serve may fail before its first Accept
	return s.srv.Serve(tl)
}

type trackedListener struct {
	net.Listener
	once  sync.Once
	ready chan struct{}
}

func (l *trackedListener) markReady() { l.once.Do(func() { close(l.ready) }) }

func (l *trackedListener) Accept() (net.Conn, error) {
	l.markReady()
	return l.Listener.Accept()
}

// Shutdown stops accepting connections, ends every session (dashboards
// quit and restore the client's terminal) and waits for connections to
// close until ctx is done, then closes what is left. The shared listing and
// the audit log are closed last, after every session's mutations have been
// recorded.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.shut = true
	serving := s.serving
	s.mu.Unlock()
	s.sessions.close()
	s.stop()
	for _, l := range serving {
		select {
		case <-l.ready:
		case <-ctx.Done():
		}
	}
	// ssh.Server's Shutdown closes the listeners and waits for every
	// connection to close, which is the client's call: a client whose
	// session has ended may keep its connection open. So once the sessions
	// have ended (they were told to), the clients get hangupGrace to hang
	// up, and the connections left are closed.
	conns := make(chan error, 1)
	go func() { conns <- s.srv.Shutdown(ctx) }()
	err := s.sessions.wait(ctx)
	if err != nil {
		err = fmt.Errorf("sshserve: sessions still running at shutdown: %w", err)
	}
	hangup := time.NewTimer(hangupGrace)
	defer hangup.Stop()
	select {
	case cerr := <-conns:
		if cerr != nil {
			_ = s.srv.Close()
		}
		err = errors.Join(err, cerr)
	case <-hangup.C:
		_ = s.srv.Close()
		<-conns
	}
	// Actions users started finish and are audited before the log closes;
	// the keep-alive sends no more.
	s.keeper.wait()
	if derr := s.console.Drain(ctx); derr != nil {
		s.log.Error("shutdown", "err", derr)
		err = errors.Join(err, derr)
	}
	s.console.listing.Close()
	s.closeAudit()
	return err
}

func (s *Server) closeAudit() {
	s.closeOnce.Do(func() {
		if s.auditLog != nil {
			if err := s.auditLog.Close(); err != nil {
				s.log.Error("closing the audit log", "err", err)
			}
		}
	})
}

// pendingKey holds a connection's *pendingConn in its ssh.Context until it
// authenticates.
type pendingKey struct{}

// admit runs for every new connection before the handshake: the per-IP
// rate limit, then the login guard.
func (s *Server) admit(ctx ssh.Context, c net.Conn) net.Conn {
	if !s.limiter.allow(c.RemoteAddr()) {
		s.log.Warn("connection rate limit", "remote-addr", c.RemoteAddr().String())
		return nil
	}
	pc, ok := s.logins.admit(c)
	if !ok {
		s.log.Warn("too many unauthenticated connections", "remote-addr", c.RemoteAddr().String(), "max", s.cfg.MaxUnauthenticated)
		return nil
	}
	ctx.SetValue(pendingKey{}, pc)
	return pc
}

// sshConfig is the connection's SSH configuration before ssh.Server adds
// its handlers: it ends the login guard's watch when the connection
// authenticates, and logs refused attempts of methods the server does not
// offer (a refused key is logged by authenticate, with its fingerprint).
func (s *Server) sshConfig(ctx ssh.Context) *gossh.ServerConfig {
	return &gossh.ServerConfig{
		AuthLogCallback: func(meta gossh.ConnMetadata, method string, err error) {
			switch {
			case err == nil:
				if pc, ok := ctx.Value(pendingKey{}).(*pendingConn); ok {
					pc.authenticated()
				}
			case method != "none" && method != "publickey":
				s.log.Warn("authentication refused", "remote-addr", meta.RemoteAddr().String(),
					"user", cleanName(meta.User()), "method", cleanName(method))
			}
		},
	}
}

// authenticate is the public key check: the key must be on a list. A
// refusal is logged with the address and the key's fingerprint.
func (s *Server) authenticate(ctx ssh.Context, key ssh.PublicKey) bool {
	if _, ok := s.identify(key); ok {
		return true
	}
	s.log.Warn("authentication refused: key not on the lists", "remote-addr", ctx.RemoteAddr().String(),
		"user", cleanName(ctx.User()), "fingerprint", gossh.FingerprintSHA256(key), "key-type", key.Type())
	return false
}

// logMiddleware logs each session's start and end, naming the key's holder.
func (s *Server) logMiddleware(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		began := time.Now()
		pty, _ := ptyOf(sess)
		who := []any{"user", cleanName(sess.User()), "remote-addr", sess.RemoteAddr().String()}
		if id, ok := s.identify(sess.PublicKey()); ok {
			who = append(who, "name", id.Name, "fingerprint", id.Fingerprint)
		}
		s.log.Info("connect", append(who, "command", cleanName(strings.Join(sess.Command(), " ")),
			"term", cleanName(pty.Term), "width", pty.Window.Width, "height", pty.Window.Height,
			"client-version", cleanName(sess.Context().ClientVersion()))...)
		next(sess)
		s.log.Info("disconnect", append(who, "duration", time.Since(began))...)
	}
}

// limitMiddleware refuses sessions beyond MaxSessions.
func (s *Server) limitMiddleware(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		if !s.sessions.enter() {
			wish.Fatalln(sess, "matui: server shutting down")
			return
		}
		defer s.sessions.leave()
		select {
		case s.slots <- struct{}{}:
			defer func() { <-s.slots }()
			next(sess)
		default:
			s.log.Warn("session limit reached", "remote-addr", sess.RemoteAddr().String(), "max", s.cfg.MaxSessions)
			wish.Fatalln(sess, "matui: too many sessions, try again later")
		}
	}
}

// actor identifies the session's key. The key is looked up again (not
// carried from authentication) so that a key removed since the handshake
// gets nothing.
func (s *Server) actor(sess ssh.Session) (Actor, bool) {
	id, ok := s.identify(sess.PublicKey())
	if !ok {
		return Actor{}, false
	}
	return Actor{Identity: id, User: cleanName(sess.User())}, true
}

// sessionMiddleware is the application: the listing without a PTY, the
// dashboard with one.
func (s *Server) sessionMiddleware(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		actor, ok := s.actor(sess)
		if !ok {
			wish.Fatalln(sess, "matui: access revoked")
			return
		}
		pty, hasPty := ptyOf(sess)
		s.log.Info("session", "name", actor.Name, "fingerprint", actor.Fingerprint, "user", actor.User, "role", actor.Role.String(), "pty", hasPty)
		backend := s.console.session(actor)
		defer backend.Close()
		if !hasPty {
			s.listing(sess, backend)
		} else {
			s.dashboard(sess, actor, backend, pty)
		}
		next(sess)
	}
}

// listing answers a session without a terminal (ssh -T host, ssh host |
// less) with the plain table instead of escape sequences.
func (s *Server) listing(sess ssh.Session, backend *sessionBackend) {
	ctx, cancel := context.WithTimeout(sess.Context(), hub.DefaultFetchTimeout)
	defer cancel()
	insts, err := backend.ListInstances(ctx)
	if err != nil && len(insts) == 0 {
		wish.Fatalln(sess, "matui:", ui.ErrorText(err))
		return
	}
	if err != nil {
		wish.Errorln(sess, "matui: warning:", ui.ErrorText(err))
	}
	if err := listing.Table(sess, insts, backend.ServerNow()); err != nil {
		_ = sess.Exit(1)
		return
	}
	_ = sess.Exit(0)
}

// idleMsg ends a dashboard nobody has typed into for IdleTimeout.
type idleMsg struct{}

// sessionModel wraps a dashboard to watch for input (the idle timer).
type sessionModel struct {
	*ui.Model
	idle    time.Duration
	timer   *time.Timer
	idled   bool
	actor   Actor
	observe func(Actor, tea.Msg)
}

func (m *sessionModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if m.observe != nil {
		m.observe(m.actor, msg)
	}
	switch msg.(type) {
	case tea.KeyPressMsg, tea.MouseMsg, tea.PasteMsg:
		if m.timer != nil {
			m.timer.Reset(m.idle)
		}
	case idleMsg:
		m.idled = true
		return m, tea.Quit
	}
	_, cmd := m.Model.Update(msg)
	return m, cmd
}

// dashboard runs one session's program. wish's bubbletea middleware is not
// used: it gives no hook to stop the idle timer or to end the program on
// server shutdown, its resize relay and the program's own input reader can
// be made to hang (input.go), and its MakeOptions reads the terminal racily
// (pty.go). The options below are its options for an emulated PTY.
func (s *Server) dashboard(sess ssh.Session, actor Actor, backend *sessionBackend, pty sessionPty) {
	opts := s.cfg.Dashboard
	opts.Header = s.cfg.Header
	opts.ReadOnly = actor.Role != RoleOperator
	opts.Audit = s.recentAudit
	opts.Pins = sessionPins{set: s.keeper.set, backend: backend}
	opts.User = "" // every session sees the project's own listing
	envs := append(sess.Environ(), "TERM="+pty.Term)
	if opts.Alerts != nil {
		// Each session's terminal decides which desktop notification it
		// understands (alerts are per session: each has its own watcher).
		a := *opts.Alerts
		a.Desktop = alert.DesktopSetting(s.cfg.AlertDesktop, envLookup(envs))
		opts.Alerts = &a
	}
	m := &sessionModel{Model: ui.New(backend, opts), idle: s.cfg.IdleTimeout, actor: actor, observe: s.observe}

	ctx, cancel := context.WithCancel(sess.Context())
	defer cancel()
	stopOnShutdown := context.AfterFunc(s.stopCtx, cancel)
	defer stopOnShutdown()

	width, height := pty.Window.Width, pty.Window.Height
	if width <= 0 || height <= 0 {
		// Clients without a local terminal (ssh -tt < file) report 0×0,
		// which renders nothing; draw the classic 80×24 until a resize.
		width, height = 80, 24
	}
	popts := []tea.ProgramOption{
		tea.WithInput(noInput{}), // see pumpInput
		tea.WithOutput(sess),
		// No real terminal to ask: the profile follows the client's TERM
		// and environment.
		tea.WithColorProfile(colorprofile.Env(envs)),
		tea.WithEnvironment(envs),
		tea.WithWindowSize(width, height),
		tea.WithFilter(func(_ tea.Model, msg tea.Msg) tea.Msg {
			if _, ok := msg.(tea.SuspendMsg); ok {
				return tea.ResumeMsg{} // ctrl+z cannot suspend a remote session
			}
			return msg
		}),
	}
	p := tea.NewProgram(m, popts...)
	if m.idle > 0 {
		m.timer = time.AfterFunc(m.idle, func() { p.Send(idleMsg{}) })
		defer m.timer.Stop()
	}
	pumpInput(ctx, sess, pty.Term, p.Send) // ends with the channel, after this handler
	resized := relayResizes(ctx, pty.resizes, p.Send)
	ended := make(chan struct{})
	stopProgram := context.AfterFunc(ctx, func() { s.endProgram(sess, p, ended) })
	_, err := p.Run()
	close(ended)
	cancel()
	<-resized
	stopProgram()
	switch {
	case m.idled:
		wish.Println(sess, "matui: idle timeout")
	case s.stopCtx.Err() != nil:
		wish.Println(sess, "matui: server shutting down")
	case err != nil && !errors.Is(err, tea.ErrProgramKilled):
		s.log.Error("dashboard", "name", actor.Name, "fingerprint", actor.Fingerprint, "err", err)
	}
	_ = sess.Exit(0)
}

// hangupGrace is how long Shutdown waits, once every session has ended,
// for the clients to close their connections.
const hangupGrace = time.Second

// quitGrace is how long a program told to quit may take before its
// connection is closed under it: a client that stops reading its output
// leaves the renderer waiting for window space, which nothing else frees.
const quitGrace = 3 * time.Second

// endProgram tells p to quit (the user's terminal is restored) and, if it
// has not ended within quitGrace, closes the session's connection.
func (s *Server) endProgram(sess ssh.Session, p *tea.Program, ended <-chan struct{}) {
	go p.Quit() // returns once taken, or once the program has ended
	t := time.NewTimer(quitGrace)
	defer t.Stop()
	select {
	case <-ended:
	case <-t.C:
		s.log.Warn("session did not end in time; closing its connection", "remote-addr", sess.RemoteAddr().String())
		if c, ok := sess.Context().Value(ssh.ContextKeyConn).(gossh.Conn); ok {
			_ = c.Close()
		}
	}
}

// envLookup reads a KEY=value list like os.Getenv.
func envLookup(envs []string) func(string) string {
	return func(k string) string {
		for i := len(envs) - 1; i >= 0; i-- {
			if v, ok := strings.CutPrefix(envs[i], k+"="); ok {
				return v
			}
		}
		return ""
	}
}

// recentAudit is :audit's view of the trail.
func (s *Server) recentAudit(n int) []ui.AuditEntry {
	recs := s.audit.Recent(n)
	out := make([]ui.AuditEntry, len(recs))
	for i, r := range recs {
		who := Identity{Name: r.Name, Fingerprint: r.Fingerprint}.Who()
		out[i] = ui.AuditEntry{Time: r.Time, User: who, Role: r.Role, Action: r.Action,
			InstanceID: r.InstanceID, InstanceName: r.InstanceName, Result: r.Result,
			Code: r.Code, Detail: r.Detail, Error: r.Error}
	}
	return out
}

// auditRemembered is how many recent audit records :audit can show.
const auditRemembered = 500

// logAuditor records mutations through the server log when no audit file
// is configured.
type logAuditor struct{ logger *log.Logger }

func (a logAuditor) Record(r Record) error {
	a.logger.Info("audit", "name", r.Name, "fingerprint", r.Fingerprint, "user", r.SSHUser, "role", r.Role, "action", r.Action,
		"instance", r.InstanceID, "instance-name", r.InstanceName, "result", r.Result, "code", r.Code)
	return nil
}

package sshserve

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/log/v2"
	gossh "golang.org/x/crypto/ssh"

	"matui/model"
	"matui/ui"
)

type keyPair struct {
	signer gossh.Signer
	line   []byte // authorized_keys line
}

func newKey(t *testing.T) keyPair {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return keyPair{signer: s, line: gossh.MarshalAuthorizedKey(s.PublicKey())}
}

type env struct {
	srv      *Server
	addr     string
	up       *fakeUp
	operator keyPair
	viewer   keyPair
	dir      string
	logs     *syncBuf // the server's log
	served   chan error
	msgs     chan tea.Msg // every WindowSizeMsg a dashboard received
}

func start(t *testing.T, mod ...func(*Config)) *env {
	t.Helper()
	dir := t.TempDir()
	e := &env{
		dir:      dir,
		operator: newKey(t),
		viewer:   newKey(t),
		up:       newFakeUp(),
		logs:     &syncBuf{},
		served:   make(chan error, 1),
		msgs:     make(chan tea.Msg, 64),
	}
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	cfg := Config{
		HostKeyPath:        filepath.Join(dir, "host_ed25519"),
		AuthorizedKeysPath: write("operators", e.operator.line),
		ViewerKeysPath:     write("viewers", e.viewer.line),
		AuditLogPath:       filepath.Join(dir, "audit.jsonl"),
		Upstream:           e.up,
		Header:             ui.HeaderInfo{Backend: "test", Cloud: "OTC", Region: "eu-de", Project: "p"},
		Dashboard:          ui.Options{Theme: "dark", PollFast: 50 * time.Millisecond, PollSlow: 100 * time.Millisecond},
		Logger:             log.New(e.logs),
		RateBurst:          1000,
	}
	for _, f := range mod {
		f(&cfg)
	}
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv.observe = func(_ Actor, msg tea.Msg) {
		if ws, ok := msg.(tea.WindowSizeMsg); ok {
			select {
			case e.msgs <- ws:
			default:
			}
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	e.srv, e.addr = srv, ln.Addr().String()
	go func() { e.served <- srv.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		if err := <-e.served; err != nil && !errors.Is(err, net.ErrClosed) && err.Error() != "ssh: Server closed" {
			t.Errorf("serve: %v", err)
		}
	})
	return e
}

func (e *env) dial(k keyPair, user string) (*gossh.Client, error) {
	return gossh.Dial("tcp", e.addr, &gossh.ClientConfig{
		User:            user,
		Auth:            []gossh.AuthMethod{gossh.PublicKeys(k.signer)},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(),
		Timeout:         10 * time.Second,
	})
}

// syncBuf collects a session's output.
type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuf) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// term is a PTY session driven by the test.
type term struct {
	client *gossh.Client
	sess   *gossh.Session
	in     io.WriteCloser
	out    *syncBuf
	done   chan error
}

func (e *env) openTerm(t *testing.T, k keyPair, user string) *term {
	t.Helper()
	c, s := e.ptySession(t, k, user, 30, 120)
	tm := &term{client: c, sess: s, out: &syncBuf{}, done: make(chan error, 1)}
	s.Stdout, s.Stderr = tm.out, tm.out
	var err error
	if tm.in, err = s.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	if err := s.Shell(); err != nil {
		t.Fatal(err)
	}
	go func() { tm.done <- s.Wait() }()
	return tm
}

// ptySession logs in with k as user and asks for a rows×cols terminal;
// the caller wires its input and output and starts the shell. The
// connection is closed with the test.
func (e *env) ptySession(t *testing.T, k keyPair, user string, rows, cols int) (*gossh.Client, *gossh.Session) {
	t.Helper()
	c, err := e.dial(k, user)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	s, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RequestPty("xterm-256color", rows, cols, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	return c, s
}

func (tm *term) waitOutput(t *testing.T, s string) {
	t.Helper()
	waitFor(t, "output "+s, func() bool { return strings.Contains(tm.out.String(), s) })
}

func (tm *term) send(t *testing.T, keys string) {
	t.Helper()
	if _, err := tm.in.Write([]byte(keys)); err != nil {
		t.Fatal(err)
	}
}

func (tm *term) close() {
	_ = tm.sess.Close()
	_ = tm.client.Close()
}

func readAudit(t *testing.T, path string) []Record {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []Record
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var r Record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("audit line %q: %v", sc.Text(), err)
		}
		out = append(out, r)
	}
	return out
}

// waitAudit waits until the audit file holds n records and returns them.
func (e *env) waitAudit(t *testing.T, n int) []Record {
	t.Helper()
	path := filepath.Join(e.dir, "audit.jsonl")
	waitFor(t, "the audit records", func() bool { return len(readAudit(t, path)) == n })
	return readAudit(t, path)
}

func TestUnknownKeyRefused(t *testing.T) {
	e := start(t)
	c, err := e.dial(newKey(t), "mallory")
	if err == nil {
		_ = c.Close()
		t.Fatal("a key on no list logged in")
	}
	if !strings.Contains(err.Error(), "unable to authenticate") {
		t.Fatalf("dial: %v", err)
	}
	// Password auth is not offered at all.
	_, err = gossh.Dial("tcp", e.addr, &gossh.ClientConfig{
		User: "x", Auth: []gossh.AuthMethod{gossh.Password("x")},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 10 * time.Second,
	})
	if err == nil {
		t.Fatal("password login succeeded")
	}
}

func TestRefusesToStartWithoutAllowList(t *testing.T) {
	up := newFakeUp()
	dir := t.TempDir()
	_, err := New(Config{HostKeyPath: filepath.Join(dir, "k"), Upstream: up})
	if err == nil || !strings.Contains(err.Error(), "allow list") {
		t.Fatalf("New without lists: %v", err)
	}
	empty := filepath.Join(dir, "empty")
	if err := os.WriteFile(empty, []byte("# nobody\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := New(Config{HostKeyPath: filepath.Join(dir, "k"), AuthorizedKeysPath: empty, Upstream: up}); err == nil {
		t.Fatal("New with an empty list succeeded")
	}
}

func TestHostKeyGeneratedPrivateAndReused(t *testing.T) {
	e := start(t)
	path := filepath.Join(e.dir, "host_ed25519")
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Fatalf("host key mode %v, want 0600", fi.Mode().Perm())
	}
	first, _ := os.ReadFile(path)
	// A second server on the same path uses the same key.
	s2, err := New(Config{HostKeyPath: path, AuthorizedKeysPath: filepath.Join(e.dir, "operators"), Upstream: e.up, Logger: log.New(io.Discard)})
	if err != nil {
		t.Fatal(err)
	}
	_ = s2.Shutdown(context.Background())
	second, _ := os.ReadFile(path)
	if !bytes.Equal(first, second) {
		t.Fatal("host key changed on restart")
	}
	// A key others can read is refused.
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := New(Config{HostKeyPath: path, AuthorizedKeysPath: filepath.Join(e.dir, "operators"), Upstream: e.up}); err == nil {
		t.Fatal("New accepted a world-readable host key")
	}
}

func TestOperatorStopsAndIsAudited(t *testing.T) {
	e := start(t)
	tm := e.openTerm(t, e.operator, "olivia")
	tm.waitOutput(t, "alpha")
	tm.send(t, "x")
	tm.waitOutput(t, "Stop alpha?")
	tm.send(t, "y")
	waitFor(t, "the stop upstream", func() bool { return slices.Contains(e.up.Calls(), "stop i-alpha") })
	r := e.waitAudit(t, 1)[0]
	want := gossh.FingerprintSHA256(e.operator.signer.PublicKey())
	if r.SSHUser != "olivia" || r.Fingerprint != want || r.Role != "operator" || r.Action != "stop" ||
		r.InstanceID != "i-alpha" || r.InstanceName != "alpha" || r.Result != ResultOK || r.Time.IsZero() {
		t.Fatalf("audit record %+v", r)
	}
	// The same record is what every session's :audit shows (remembered
	// right after the file write the wait above saw).
	waitFor(t, "the :audit trail", func() bool { return len(e.srv.audit.Recent(10)) == 1 })
	if rec := e.srv.audit.Recent(10); rec[0].Action != "stop" || rec[0].SSHUser != "olivia" {
		t.Fatalf(":audit trail %+v", rec)
	}
	tm.send(t, "q")
	select {
	case <-tm.done:
	case <-time.After(15 * time.Second):
		t.Fatal("session did not end after q")
	}
}

func TestViewerCannotAct(t *testing.T) {
	e := start(t)
	tm := e.openTerm(t, e.viewer, "vera")
	tm.waitOutput(t, "alpha")
	tm.send(t, "x")
	tm.waitOutput(t, "read-only session")
	tm.send(t, "y")
	// Server side, without the UI: the viewer's backend refuses.
	vera := Actor{Identity: Identity{Fingerprint: gossh.FingerprintSHA256(e.viewer.signer.PublicKey()), Role: RoleViewer}, User: "vera"}
	if role, ok := e.srv.identify(e.viewer.signer.PublicKey()); !ok || role.Role != RoleViewer {
		t.Fatalf("viewer key has role %v, %v", role, ok)
	}
	backend := e.srv.console.session(vera)
	defer backend.Close()
	if _, err := backend.StopInstance(context.Background(), e.up.items[0]); !errors.Is(err, ErrReadOnly) {
		t.Fatalf("viewer stop: %v", err)
	}
	if calls := e.up.Calls(); len(calls) != 0 {
		t.Fatalf("upstream saw %v", calls)
	}
	recs := readAudit(t, filepath.Join(e.dir, "audit.jsonl"))
	if len(recs) != 1 || recs[0].Result != ResultDenied || recs[0].Role != "viewer" {
		t.Fatalf("audit %+v", recs)
	}
}

func TestNoPTYGetsListing(t *testing.T) {
	e := start(t)
	c, err := e.dial(e.viewer, "script")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	s, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	out, err := s.Output("")
	if err != nil {
		t.Fatalf("session: %v (%s)", err, out)
	}
	if !strings.Contains(string(out), "alpha") || !strings.Contains(string(out), "RUNNING") || bytes.Contains(out, []byte("\x1b[")) {
		t.Fatalf("listing:\n%q", out)
	}
}

func TestResizeReachesProgram(t *testing.T) {
	e := start(t)
	tm := e.openTerm(t, e.operator, "olivia")
	tm.waitOutput(t, "alpha")
	if err := tm.sess.WindowChange(40, 100); err != nil {
		t.Fatal(err)
	}
	deadline := time.After(15 * time.Second)
	for {
		select {
		case msg := <-e.msgs:
			if ws := msg.(tea.WindowSizeMsg); ws.Width == 100 && ws.Height == 40 {
				return
			}
		case <-deadline:
			t.Fatal("the resize never reached the program")
		}
	}
}

func TestSessionLimit(t *testing.T) {
	e := start(t, func(c *Config) { c.MaxSessions = 1 })
	tm := e.openTerm(t, e.operator, "first")
	tm.waitOutput(t, "alpha")
	c, err := e.dial(e.operator, "second")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	s, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	out, _ := s.CombinedOutput("")
	if !strings.Contains(string(out), "too many sessions") {
		t.Fatalf("second session got %q", out)
	}
}

func TestIdleTimeoutEndsSession(t *testing.T) {
	e := start(t, func(c *Config) { c.IdleTimeout = 300 * time.Millisecond })
	tm := e.openTerm(t, e.operator, "olivia")
	select {
	case <-tm.done:
	case <-time.After(15 * time.Second):
		t.Fatal("idle session was not ended")
	}
	if !strings.Contains(tm.out.String(), "idle timeout") {
		t.Fatalf("no idle notice in %q", tm.out.String())
	}
}

func TestShutdownEndsSessions(t *testing.T) {
	e := start(t)
	tm := e.openTerm(t, e.operator, "olivia")
	tm.waitOutput(t, "alpha")
	shut := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		shut <- e.srv.Shutdown(ctx)
	}()
	select {
	case <-tm.done:
	case <-time.After(15 * time.Second):
		t.Fatal("session survived shutdown")
	}
	tm.close()
	if err := <-shut; err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	if !strings.Contains(tm.out.String(), "server shutting down") {
		t.Fatalf("no shutdown notice in %q", tm.out.String())
	}
}

// goroutineBaseline is the server's goroutine count at rest after one
// session has come and gone, so that lazily started runtime and library
// goroutines are part of it. (The sleeps only let things settle; the
// tests' assertions wait for a condition.)
func (e *env) goroutineBaseline(t *testing.T) int {
	t.Helper()
	warm := e.openTerm(t, e.operator, "warm")
	warm.waitOutput(t, "alpha")
	warm.close()
	<-warm.done
	n := runtime.NumGoroutine()
	for range 100 {
		time.Sleep(20 * time.Millisecond)
		n = min(n, runtime.NumGoroutine())
	}
	return n
}

// Sessions that come and go leave no goroutines behind.
func TestDisconnectedSessionsLeaveNoGoroutines(t *testing.T) {
	e := start(t)
	base := e.goroutineBaseline(t)
	for i := range 5 {
		k := e.operator
		if i%2 == 1 {
			k = e.viewer
		}
		tm := e.openTerm(t, k, "u")
		tm.waitOutput(t, "alpha")
		tm.close()
		<-tm.done
	}
	waitFor(t, "goroutines to settle", func() bool { return runtime.NumGoroutine() <= base })
	t.Logf("baseline %d goroutines, now %d", base, runtime.NumGoroutine())
}

// A client without a local terminal reports a 0×0 PTY; it still gets a
// dashboard (80×24) rather than a blank screen.
func TestZeroSizePTYStillRenders(t *testing.T) {
	e := start(t)
	c, s := e.ptySession(t, e.operator, "olivia", 0, 0)
	tm := &term{client: c, sess: s, out: &syncBuf{}, done: make(chan error, 1)}
	s.Stdout, s.Stderr = tm.out, tm.out
	if err := s.Shell(); err != nil {
		t.Fatal(err)
	}
	go func() { tm.done <- s.Wait() }()
	tm.waitOutput(t, "alpha")
	tm.close()
	<-tm.done
}

func TestConnectionRateLimitPerIP(t *testing.T) {
	// One connection, then nothing for a very long time.
	e := start(t, func(c *Config) { c.RateLimit, c.RateBurst = 1e-6, 1 })
	c, err := e.dial(e.operator, "first")
	if err != nil {
		t.Fatal(err)
	}
	_ = c.Close()
	if c, err := e.dial(e.operator, "second"); err == nil {
		_ = c.Close()
		t.Fatal("second connection within the limit was accepted")
	}
}

func TestMaxTimeoutEndsSession(t *testing.T) {
	e := start(t, func(c *Config) { c.MaxTimeout = 500 * time.Millisecond })
	tm := e.openTerm(t, e.operator, "olivia")
	tm.waitOutput(t, "alpha")
	select {
	case <-tm.done:
	case <-time.After(15 * time.Second):
		t.Fatal("session outlived MaxTimeout")
	}
}

// An operator's dashboard creates through its session's backend: the form
// reaches the upstream, the create is audited, and the new row shows.
// (Moved from ui's TestFormsOverHubSession, now over a real SSH session.)
func TestOperatorCreatesThroughTheSession(t *testing.T) {
	e := start(t)
	tm := e.openTerm(t, e.operator, "olivia")
	tm.waitOutput(t, "alpha")
	tm.send(t, "n")
	tm.waitOutput(t, "Gen 2")
	tm.send(t, "\r")
	tm.waitOutput(t, "Name")
	tm.send(t, "via-hub")
	tm.send(t, "\x13") // ctrl+s: review
	tm.waitOutput(t, "Review")
	tm.send(t, "\r")
	waitFor(t, "the create upstream", func() bool { return slices.Contains(e.up.Calls(), "create via-hub") })
	tm.waitOutput(t, "CREATING")
	if r := e.waitAudit(t, 1)[0]; r.Action != "create" || r.InstanceName != "via-hub" || r.Result != ResultOK {
		t.Fatalf("audit record %+v", r)
	}
}

// runningAlpha makes the upstream's first row a running Gen 2 notebook
// "alpha" whose lease ends two hours after now, and returns it.
func (e *env) runningAlpha(now time.Time) model.Instance {
	alpha := model.Instance{Generation: model.Gen2, ID: "i-alpha", Name: "alpha", Status: "RUNNING", Class: model.ClassRunning,
		AutoStop: model.AutoStop{Enabled: true, Type: model.LeaseTiming, Deadline: now.Add(2 * time.Hour)}}
	e.up.mu.Lock()
	e.up.items[0] = alpha
	e.up.mu.Unlock()
	return alpha
}

// A pin the server holds shows in every session's PIN column, as a
// dashboard's own pins do in its own. (The PIN column was wired to the
// dashboard's own pins only: under matui serve it never showed.)
func TestServerPinShowsInTheSessions(t *testing.T) {
	e := start(t)
	now := time.Now()
	alpha := e.runningAlpha(now)
	capAt := now.Add(3 * time.Hour)
	if _, err := e.srv.keeper.set.Add(alpha, time.Hour, capAt, now, "op"); err != nil {
		t.Fatal(err)
	}
	tm := e.openTerm(t, e.viewer, "vera")
	tm.waitOutput(t, "alpha")
	tm.waitOutput(t, "⚑ until "+capAt.Format("15:04"))
}

// New refuses a host key or allow list it cannot use, saying which file
// and what is wrong with it, before anything starts. (A directory as the
// host key was "accessible by others; chmod 600 it", or a bare "read …: is
// a directory"; a file that holds no private key "ssh: no key found"; a
// missing allow list an "open …" naming neither list.)
func TestNewNamesTheBadFile(t *testing.T) {
	up := newFakeUp()
	dir := t.TempDir()
	write := func(name, data string, mode os.FileMode) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(data), mode); err != nil {
			t.Fatal(err)
		}
		return p
	}
	ops := write("operators", string(newKey(t).line), 0o600)
	empty := write("empty", "", 0o600)
	hostDir := filepath.Join(dir, "hostkeys")
	if err := os.Mkdir(hostDir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		cfg  Config
		want string
	}{
		{"host key is a directory", Config{HostKeyPath: hostDir, AuthorizedKeysPath: ops},
			"host key " + hostDir + " is a directory"},
		{"host key is no key", Config{HostKeyPath: write("hk-garbage", "garbage\n", 0o600), AuthorizedKeysPath: ops},
			"hk-garbage is not an unencrypted SSH private key"},
		{"host key is a public key", Config{HostKeyPath: write("hk-pub", string(newKey(t).line), 0o600), AuthorizedKeysPath: ops},
			"hk-pub is not an unencrypted SSH private key"},
		{"missing operator list", Config{HostKeyPath: filepath.Join(dir, "hk"), AuthorizedKeysPath: filepath.Join(dir, "nope")},
			"authorized keys: open " + filepath.Join(dir, "nope")},
		{"viewer list is a directory", Config{HostKeyPath: filepath.Join(dir, "hk"), AuthorizedKeysPath: ops, ViewerKeysPath: hostDir},
			"viewer keys: read " + hostDir},
		{"malformed viewer line", Config{HostKeyPath: filepath.Join(dir, "hk"), AuthorizedKeysPath: ops,
			ViewerKeysPath: write("viewers", "# team\nssh-ed25519 not-base64\n", 0o600)},
			"viewer keys: " + filepath.Join(dir, "viewers") + ":2:"},
		{"empty list", Config{HostKeyPath: filepath.Join(dir, "hk"), AuthorizedKeysPath: empty},
			"the allow lists hold no keys (" + empty + ")"},
	} {
		tt.cfg.Upstream, tt.cfg.Logger = up, log.New(io.Discard)
		s, err := New(tt.cfg)
		if err == nil {
			_ = s.Shutdown(context.Background())
			t.Errorf("%s: New succeeded", tt.name)
			continue
		}
		if !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want %q", tt.name, err, tt.want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "hk")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a refused configuration generated a host key: %v", err)
	}
}

// A pin set after a session opened (by another session, here straight on
// the server's set) shows in that session's PIN column at its next tick,
// though the row itself did not change and no poll ran since.
func TestServerPinSetLaterShowsInOpenSessions(t *testing.T) {
	e := start(t, func(c *Config) { c.Dashboard.PollFast, c.Dashboard.PollSlow = time.Hour, time.Hour })
	now := time.Now()
	alpha := e.runningAlpha(now)
	tm := e.openTerm(t, e.viewer, "vera")
	tm.waitOutput(t, "alpha")
	capAt := now.Add(3 * time.Hour)
	if _, err := e.srv.keeper.set.Add(alpha, time.Hour, capAt, now, "op"); err != nil {
		t.Fatal(err)
	}
	tm.waitOutput(t, "⚑ until "+capAt.Format("15:04"))
}

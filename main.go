// Command matui is a terminal dashboard for ModelArts DevEnviron notebook
// instances on Huawei Cloud and Open Telekom Cloud.
//
// main.go holds the commands and their wiring only; everything else lives in
// model, client, ui and themes.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/log/v2"
	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/x/term"

	"matui/client"
	"matui/client/config"
	"matui/client/sim"
	"matui/model"
	"matui/model/termsafe"
	"matui/ui"
	"matui/ui/alert"
	"matui/ui/listing"
	"matui/ui/sshserve"
	burn "matui/ui/usage"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "0.1.0-dev"

const usage = `matui — a terminal dashboard for ModelArts DevEnviron notebook instances

Usage:
  matui [flags]                      open the dashboard
  matui list [-o table|json|jsonl] [--gen 1|2|all] [-A] [--allow-partial]
             [--status S,…] [--expiring D] [--tag K[=V]]… [flags]
  matui get ID|NAME [-o text|json|raw [--unsafe-raw]] [-A] [flags]
  matui sim [--listen ADDR] [--seed S] [--instances N] [--speed X]
            [--ak AK --sk SK] [--project-id ID] [--faults SPEC] [--admin=false]
  matui serve --host-key PATH --authorized-keys PATH [--viewer-keys PATH]
              [--audit-log PATH] [--listen ADDR] [--max-sessions N]
              [--idle-timeout D] [--max-timeout D] [--login-timeout D]
              [--max-unauthenticated N] [flags]
  matui version

With no credentials configured (see README), matui starts its embedded
ModelArts simulator and connects to it.

matui list exits with status 3 when the listing is partial (a generation
could not be listed; the reason is on stderr) unless --allow-partial.

Connection flags (dashboard, list, get, serve):
`

// How the collector trades CPU for memory, unless GOGC and GOMEMLIMIT say
// otherwise. By default the heap may grow to twice what is live before the
// collector runs: 95 MB for a dashboard of 10,000 instances (35 MB live),
// over 900 MB with the embedded simulator's 100,000. A dashboard allocates
// little once its list is in, so collecting at +25% costs next to nothing
// then (60 MB at 10,000); the soft limit bounds the huge case (about 500
// MB at 100,000 embedded, the collector working harder while it loads).
const (
	gcPercent   = 25
	memoryLimit = 512 << 20
)

func main() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(0) // -h printed the flags; asking for help is not an error
	}
	if err != nil {
		printErr(os.Stderr, err)
		var ue usageError
		var ec exitCode
		switch {
		case errors.As(err, &ue):
			os.Exit(2)
		case errors.As(err, &ec):
			os.Exit(ec.code)
		}
		os.Exit(1)
	}
}

// printErr writes err to stderr as "matui: …". Errors carry text from the
// network (API messages, names, server answers), so the line is sanitised
// like every other output; newlines of multi-line errors stay.
func printErr(w io.Writer, err error) {
	fmt.Fprintln(w, "matui:", termsafe.Text(err.Error()))
}

// note writes a remark to stderr, sanitised like printErr.
func note(w io.Writer, msg string) {
	fmt.Fprintln(w, "matui: note:", termsafe.Text(msg))
}

// warn writes a warning to stderr, sanitised like printErr.
func warn(w io.Writer, msg string) {
	fmt.Fprintln(w, "matui: warning:", termsafe.Text(msg))
}

type usageError struct{ error }

// Usage lines and what each command does, for its -h.
var commandHelp = map[string][2]string{
	"matui":       {"matui [flags]", "Opens the dashboard (on the embedded simulator when no credentials are configured). matui help lists the commands."},
	"matui list":  {"matui list [-o table|json|jsonl] [--gen 1|2|all] [-A] [--allow-partial] [--status S,…] [--expiring D] [--tag K[=V]]… [flags]", "Lists the instances of both generations, rows written as pages arrive. Exit status 3 when the listing is partial (unless --allow-partial)."},
	"matui get":   {"matui get ID|NAME [-o text|json|raw [--unsafe-raw]] [-A] [flags]", "Shows one instance, by ID (one lookup) or by name."},
	"matui sim":   {"matui sim [flags]", "Runs the ModelArts simulator alone, printing its endpoint and credentials."},
	"matui serve": {"matui serve --host-key PATH --authorized-keys PATH [flags]", "Serves the dashboard over SSH to the keys in the allow lists."},
}

// parseFlags parses a command's args. -h prints the command's usage line,
// what it does and its flags to out; a bad flag is reported once (by the
// caller), with where to look.
func parseFlags(fs *flag.FlagSet, out io.Writer, args []string) error {
	fs.SetOutput(io.Discard) // the flag package would print the error and all flags, and then we would again
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		h := commandHelp[fs.Name()]
		fmt.Fprintf(out, "Usage: %s\n\n%s\n\nFlags:\n", h[0], h[1])
		fs.SetOutput(out)
		fs.PrintDefaults()
		return err
	}
	if err != nil {
		return usageError{fmt.Errorf("%w (%s -h lists its flags)", err, fs.Name())}
	}
	return nil
}

// exitCode is an error that ends the program with a status of its own.
type exitCode struct {
	code int
	error
}

func (e exitCode) Unwrap() error { return e.error }

// exitPartial is the status of `matui list` when a listing is partial.
const exitPartial = 3

// isCommand reports whether s names a subcommand (for a helpful error when
// flags come before it).
func isCommand(s string) bool {
	switch s {
	case "version", "list", "get", "sim", "serve", "help":
		return true
	}
	return false
}

func (u usageError) Unwrap() error { return u.error }

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cmd := ""
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	if cmd == "" && len(args) > 0 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
		cmd = "help" // the full usage, with the commands, as matui help prints it
	}
	switch cmd {
	case "":
		return runDashboard(ctx, args, stderr)
	case "version":
		fmt.Fprintln(stdout, "matui", version)
		return nil
	case "list":
		return runList(ctx, args, stdout, stderr)
	case "get":
		return runGet(ctx, args, stdout, stderr)
	case "sim":
		return runSim(ctx, args, stdout, stderr)
	case "serve":
		return runServe(ctx, args, stderr)
	case "help":
		fmt.Fprint(stdout, usage)
		fs := newConnFlags(stdout).fs
		fs.SetOutput(stdout)
		fs.PrintDefaults()
		return nil
	default:
		return usageError{fmt.Errorf("unknown command %q (try `matui help`)", cmd)}
	}
}

// connFlags are the flags shared by every command that talks to ModelArts.
type connFlags struct {
	fs           *flag.FlagSet
	cfg          config.Flags
	sim          bool
	simSeed      int64
	simInstances int
	simSpeed     float64
}

func newConnFlags(out io.Writer, name ...string) *connFlags {
	n := "matui"
	if len(name) > 0 {
		n = name[0]
	}
	c := &connFlags{fs: flag.NewFlagSet(n, flag.ContinueOnError)}
	c.fs.SetOutput(out)
	f := c.fs
	f.StringVar(&c.cfg.ConfigPath, "config", "", "config file (default $XDG_CONFIG_HOME/matui/config.yaml)")
	f.StringVar(&c.cfg.Profile, "profile", "", "profile in the config file")
	f.StringVar(&c.cfg.Cloud, "cloud", "", "huaweicloud or otc")
	f.StringVar(&c.cfg.Region, "region", "", "region, e.g. eu-de or cn-north-4")
	f.StringVar(&c.cfg.ProjectID, "project-id", "", "IAM project ID")
	f.StringVar(&c.cfg.ProjectName, "project-name", "", "IAM project name (password auth)")
	f.StringVar(&c.cfg.Endpoint, "endpoint", "", "ModelArts endpoint URL (overrides cloud + region)")
	f.StringVar(&c.cfg.IAMEndpoint, "iam-endpoint", "", "IAM endpoint URL (password auth)")
	f.StringVar(&c.cfg.Theme, "theme", "", "theme: dark, light, high-contrast, … or a file in the config dir")
	f.BoolVar(&c.sim, "sim", false, "use the embedded simulator even when credentials are configured")
	f.Int64Var(&c.simSeed, "sim-seed", 1, "simulator: seed for the demo data")
	f.IntVar(&c.simInstances, "sim-instances", 0, "simulator: generate N instances instead of the demo set")
	c.simSpeed = 1
	f.Var((*speedValue)(&c.simSpeed), "sim-speed", fmt.Sprintf("simulator: time runs this many times faster (0 < X ≤ %d)", sim.MaxSpeed))
	allUsers := optionalBool{p: &c.cfg.AllUsers}
	f.Var(allUsers, "all-users", "every user's instances (an administrator's view, like kubectl -A); default: all-users in the config file")
	f.Var(allUsers, "A", "short for --all-users")
	return c
}

// optionalBool is a boolean flag that records whether it was given, so the
// config file decides when it was not.
type optionalBool struct{ p **bool }

func (o optionalBool) IsBoolFlag() bool { return true }

func (o optionalBool) Set(s string) error {
	v, err := strconv.ParseBool(s)
	if err != nil {
		return fmt.Errorf("%q is not true or false", s)
	}
	*o.p = &v
	return nil
}

func (o optionalBool) String() string {
	if o.p == nil || *o.p == nil {
		return ""
	}
	return strconv.FormatBool(**o.p)
}

// speedValue is a simulator speed flag: parsing refuses what
// sim.CheckSpeed refuses (NaN, ±Inf, 0 or less, above sim.MaxSpeed), so a
// bad value is a usage error naming the flag and the allowed range.
type speedValue float64

func (v *speedValue) String() string { return strconv.FormatFloat(float64(*v), 'g', -1, 64) }

func (v *speedValue) Set(s string) error {
	x, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return fmt.Errorf("not a number (want 0 < X ≤ %d)", sim.MaxSpeed)
	}
	if err := sim.CheckSpeed(x); err != nil {
		return err
	}
	*v = speedValue(x)
	return nil
}

// backend is a connected client plus what the header shows about it.
type backend struct {
	client   *client.Client
	header   ui.HeaderInfo
	settings config.Settings
	close    func()
}

// connect resolves the configuration and connects to ModelArts, or starts the
// embedded simulator when no credentials are configured or --sim is given.
func connect(ctx context.Context, c *connFlags, stderr io.Writer) (*backend, error) {
	settings, err := config.Resolve(c.cfg, os.Getenv)
	if err != nil {
		return nil, err
	}
	for _, w := range settings.Warnings {
		warn(stderr, w)
	}
	if c.sim || !settings.HasCredentials() {
		run, err := sim.Start(ctx, sim.Options{Seed: c.simSeed, Instances: c.simInstances, Speed: c.simSpeed})
		if err != nil {
			return nil, fmt.Errorf("starting the simulator: %w", err)
		}
		cr := run.Credentials
		simSettings := config.Settings{
			Endpoint:    run.URL,
			ProjectID:   cr.ProjectID,
			Credentials: config.Credentials{AK: cr.AK, SK: cr.SK},
			UI:          settings.UI,
		}
		// The client-side rate limit protects the real API from a busy
		// dashboard; the local simulator needs no such care, and at 10
		// requests/s its 100,000-instance scale project would take minutes.
		cl, err := client.Connect(ctx, simSettings, client.Options{RateLimit: 1000, Burst: 100})
		if err != nil {
			_ = run.Close()
			return nil, err
		}
		return &backend{
			client:   cl,
			header:   ui.HeaderInfo{Backend: "simulator", Cloud: "sim", Region: "local", Project: cr.ProjectID},
			settings: settings,
			close:    func() { _ = run.Close() },
		}, nil
	}
	cl, err := client.Connect(ctx, settings, client.Options{})
	if err != nil {
		return nil, err
	}
	cloud := "HWC"
	if settings.Cloud == config.CloudOTC {
		cloud = "OTC"
	}
	return &backend{
		client:   cl,
		header:   ui.HeaderInfo{Backend: "ModelArts", Cloud: cloud, Region: settings.Region, Project: cl.ProjectID()},
		settings: settings,
		close:    func() {},
	}, nil
}

func runDashboard(ctx context.Context, args []string, stderr io.Writer) error {
	c := newConnFlags(stderr)
	if err := parseFlags(c.fs, stderr, args); err != nil {
		return err
	}
	if c.fs.NArg() > 0 {
		if a := c.fs.Arg(0); isCommand(a) {
			return usageError{fmt.Errorf("the command goes first: matui %s [flags]", a)}
		}
		return usageError{fmt.Errorf("unexpected argument %q", c.fs.Arg(0))}
	}
	b, err := connect(ctx, c, stderr)
	if err != nil {
		return err
	}
	sw := &profileSwitch{ctx: ctx, flags: c, cur: b}
	defer sw.close() // the current backend: :profile may have replaced b
	m := newDashboard(b, sw)
	p := tea.NewProgram(m, tea.WithContext(ctx))
	_, err = p.Run()
	if errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		return nil // interrupted by a signal: a normal way to leave
	}
	return err
}

func newDashboard(b *backend, sw *profileSwitch) *ui.Model {
	opts := dashboardOptions(b.settings.UI)
	configPath := b.settings.ConfigPath
	opts.NoColor = os.Getenv("NO_COLOR") != ""
	opts.Header = b.dashboardHeader()
	opts.Connect = sw.connect
	opts.Profiles = func() ([]string, error) { return config.ProfileNames(configPath) }
	opts.AllUsers = b.settings.AllUsers
	opts.PinMargin = b.settings.UI.PinMargin
	return ui.New(b.client, opts)
}

// dashboardOptions are the config file's dashboard settings (the theme is
// already --theme's when given: config.Resolve ranks the flag first), for
// the dashboard and for each session of matui serve.
func dashboardOptions(s config.UI) ui.Options {
	themeDir := ""
	if p := config.DefaultConfigPath(os.Getenv); p != "" {
		themeDir = filepath.Join(filepath.Dir(p), "themes")
	}
	return ui.Options{
		Theme:    s.Theme,
		ThemeDir: themeDir,
		Keys:     s.Keys,
		PollFast: s.PollFast,
		PollSlow: s.PollSlow,
		Alerts:   dashboardAlerts(s.Alerts, os.Getenv),
		Prices:   dashboardPrices(s.Prices),
	}
}

// dashboardPrices is :usage's price table from the config file's (nil: no
// money shown).
func dashboardPrices(p *config.Prices) *burn.Prices {
	if p == nil {
		return nil
	}
	return &burn.Prices{Currency: p.Currency, PerHour: p.PerHour}
}

// dashboardAlerts is the dashboard's alert configuration from the config
// file's (nil when alerts are off); env tells which terminal shows which
// desktop notification.
func dashboardAlerts(a config.Alerts, env func(string) string) *ui.Alerts {
	if a.Off {
		return nil
	}
	return &ui.Alerts{Before: a.Before, Bell: a.Bell, Desktop: alert.DesktopSetting(a.Desktop, env),
		AllUsers: a.Scope == config.ScopeAll}
}

func (b *backend) dashboardHeader() ui.HeaderInfo {
	h := b.header
	h.Profile = b.settings.Profile
	return h
}

// profileSwitch is the dashboard's :profile NAME: it connects to another
// profile of the config file the way the command line connected to the
// first, and owns the current backend, releasing the previous one (e.g.
// its embedded simulator) once the new one is connected.
type profileSwitch struct {
	ctx    context.Context // the program's: an embedded simulator lives as long as it
	flags  *connFlags
	mu     sync.Mutex
	cur    *backend
	closed bool
}

// connect resolves the profile from the same config file and checks it
// with one list call. Location flags
// given on the command line belonged to the first profile and do not
// carry over, nor does --sim: the profile decides (no credentials still
// means the simulator). Resolve's warnings are dropped: stderr is under
// the dashboard.
func (s *profileSwitch) connect(ctx context.Context, name string) (ui.Backend, ui.HeaderInfo, error) {
	c := *s.flags
	c.cfg = config.Flags{ConfigPath: s.flags.cfg.ConfigPath, Profile: name, ProfileFrom: ":profile " + name}
	c.sim = false
	nb, err := connect(s.ctx, &c, io.Discard)
	if err != nil {
		return nil, ui.HeaderInfo{}, err
	}
	// An AK/SK client is built without a request: list once, so that an
	// unreachable endpoint or refused credentials keep the current profile.
	// A partial list (one generation not offered) is a working profile,
	// as it is to the dashboard: instances and an error.
	if items, err := nb.client.ListInstances(ctx); err != nil && items == nil {
		nb.close()
		return nil, ui.HeaderInfo{}, err
	}
	s.mu.Lock()
	old, closed := s.cur, s.closed
	if !closed {
		s.cur = nb
	}
	s.mu.Unlock()
	if closed { // the dashboard has ended
		nb.close()
		return nil, ui.HeaderInfo{}, context.Canceled
	}
	old.close()
	return nb.client, nb.dashboardHeader(), nil
}

func (s *profileSwitch) close() {
	s.mu.Lock()
	cur := s.cur
	s.cur, s.closed = nil, true
	s.mu.Unlock()
	if cur != nil {
		cur.close()
	}
}

func runList(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c := newConnFlags(stderr, "matui list")
	output := c.fs.String("o", listing.FormatTable, "output format: table, json (one array) or jsonl (one object per line)")
	gen := c.fs.String("gen", "all", "generation: 1, 2 or all")
	allowPartial := c.fs.Bool("allow-partial", false, "exit 0 when a generation could not be listed (default: exit 3)")
	status := c.fs.String("status", "", "only instances in these statuses, comma-separated (e.g. RUNNING,STARTING)")
	expiring := c.fs.String("expiring", "", "only running instances whose auto-stop is at most this far away (e.g. 30m)")
	var tags tagFlags
	c.fs.Var(&tags, "tag", "only Gen 2 notebooks carrying this tag, KEY or KEY=VALUE (repeatable: all must match); the service filters")
	if err := parseFlags(c.fs, stdout, args); err != nil {
		return err
	}
	if len(tags) > 0 && *gen == "1" {
		return usageError{errors.New("--tag with --gen 1: Gen 1 instances have no tags")}
	}
	if c.fs.NArg() > 0 {
		return usageError{fmt.Errorf("list takes no arguments, got %q", c.fs.Arg(0))}
	}
	filter, err := listing.ParseFilter(*status, *expiring)
	if err != nil {
		return usageError{err}
	}
	var srcs []client.Source
	switch *gen {
	case "all":
	case "1":
		srcs = []client.Source{client.SourceGen1}
	case "2":
		srcs = []client.Source{client.SourceNotebooks, client.SourceCodeLab}
	default:
		return usageError{fmt.Errorf("--gen %q: must be 1, 2 or all", *gen)}
	}
	b, err := connect(ctx, c, stderr)
	if err != nil {
		return err
	}
	defer b.close()
	out, err := listing.NewWriter(stdout, *output, b.client.ServerNow)
	if err != nil {
		return usageError{fmt.Errorf("-o: %w", err)}
	}
	lw := &listWriter{out: out, filter: filter, now: b.client.ServerNow, progress: progressTo(stderr)}
	err = b.client.StreamInstances(ctx, client.ListOptions{AllUsers: b.settings.AllUsers, Sources: srcs, Tags: tags}, lw.page)
	lw.progress.done()
	if lw.err != nil {
		return lw.err // writing failed (a closed pipe): nothing more to say
	}
	var partial *client.PartialError
	switch {
	case err == nil:
	case client.IsNotAdmin(err):
		return fmt.Errorf("%w; without -A (and all-users in the config file) matui lists your own instances", err)
	case !errors.As(err, &partial):
		return err // nothing could be listed; nothing was written
	}
	if err := out.Close(); err != nil {
		return err
	}
	return partialStatus(partial, *allowPartial, stderr)
}

// tagFlags are matui list's --tag flags: KEY or KEY=VALUE (split at the
// first =, as the dashboard's tag:KEY=VALUE filter; a key may hold = only
// where the value is given), each checked as the service checks tags.
type tagFlags []model.TagFilter

func (t *tagFlags) String() string { return model.FormatTagFilter(*t) }

func (t *tagFlags) Set(v string) error {
	k, val, hasVal := strings.Cut(v, "=")
	if err := model.ValidateTagKey(k); err != nil {
		return err
	}
	if err := model.ValidateTagValue(val); err != nil {
		return err
	}
	if strings.ContainsAny(k+val, ",|") {
		return errors.New("a tag filter cannot hold , or | (the service's separators)")
	}
	*t = append(*t, model.TagFilter{Key: k, Value: val, AnyValue: !hasVal})
	return nil
}

// partialStatus says on stderr what a partial listing lacks and turns it
// into exit status 3 (0 with allowPartial). A failed flavor catalog only
// costs spec details and a Gen 1 API the region does not offer has no
// instances: both are notes, not a partial listing.
func partialStatus(pe *client.PartialError, allowPartial bool, stderr io.Writer) error {
	if pe == nil {
		return nil
	}
	var missing []string
	for _, f := range pe.Failed {
		switch {
		case f.What == string(client.SourceFlavors):
			note(stderr, "the flavor catalog could not be read; specs are guessed from flavor IDs: "+f.Err.Error())
		case f.What == string(client.SourceGen1) && client.IsAPIAbsent(f.Err):
			note(stderr, "this region does not offer Gen 1 (DevEnviron) instances")
		default:
			missing = append(missing, f.What+": "+f.Err.Error())
		}
	}
	if len(missing) == 0 {
		return nil
	}
	msg := "partial listing, missing " + strings.Join(missing, "; ")
	if allowPartial {
		warn(stderr, msg)
		return nil
	}
	return exitCode{exitPartial, errors.New(msg + " (--allow-partial exits 0)")}
}

// listWriter writes a streamed listing's pages as they arrive.
type listWriter struct {
	out      listing.Writer
	filter   listing.Filter
	now      func() time.Time
	progress *progress
	err      error
	// prev are the IDs of each source's previous page: offset paging over a
	// list that grows while it is read repeats instances across a page
	// boundary, and each is written once. (A window, not a set of every ID:
	// memory stays flat at any size.)
	prev map[client.Source]map[string]bool
}

func (l *listWriter) page(p client.Page) {
	l.progress.page(p)
	if l.err != nil || p.Provisional {
		return // the same instances come again, with their specs
	}
	if l.prev == nil {
		l.prev = map[client.Source]map[string]bool{}
	}
	prev := l.prev[p.Source]
	if p.First {
		prev = nil
	}
	now := l.now()
	keep := make([]model.Instance, 0, len(p.Instances))
	ids := make(map[string]bool, len(p.Instances))
	for i := range p.Instances {
		in := &p.Instances[i]
		ids[in.ID] = true
		if !prev[in.ID] && l.filter.Keeps(in, now) {
			keep = append(keep, *in)
		}
	}
	l.prev[p.Source] = ids
	l.err = l.out.Write(keep)
}

// progress is the "listing 2,350 / 10,000" line on stderr while a listing
// is under way, only when stderr is a terminal.
type progress struct {
	w     io.Writer
	parts map[client.Source][2]int
	shown bool
}

func progressTo(stderr io.Writer) *progress {
	if f, ok := stderr.(*os.File); !ok || !term.IsTerminal(f.Fd()) {
		return &progress{}
	}
	return &progress{w: stderr, parts: map[client.Source][2]int{}}
}

func (pr *progress) page(p client.Page) {
	if pr.w == nil || p.Incremental || p.Source == client.SourceFlavors {
		return
	}
	pr.parts[p.Source] = [2]int{p.Listed, max(p.Total, 0)}
	var listed, total int
	for _, v := range pr.parts {
		listed, total = listed+v[0], total+v[1]
	}
	fmt.Fprintf(pr.w, "\r\x1b[Klisting %s / %s …", thousands(min(listed, total)), thousands(total))
	pr.shown = true
}

func (pr *progress) done() {
	if pr.shown {
		fmt.Fprint(pr.w, "\r\x1b[K")
	}
}

// thousands writes n with comma separators (12,345).
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func runGet(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c := newConnFlags(stderr, "matui get")
	output := c.fs.String("o", "text", "output format: text, json or raw (the API's own JSON, every string sanitised)")
	unsafeRaw := c.fs.Bool("unsafe-raw", false, "with -o raw: print the API's strings exactly as stored, control and escape characters included (for scripts; never to a terminal)")
	if err := parseFlags(c.fs, stdout, reorderFlags(c.fs, args)); err != nil {
		return err
	}
	if c.fs.NArg() != 1 {
		return usageError{errors.New("get needs exactly one instance ID or name")}
	}
	if *output != "text" && *output != "json" && *output != "raw" {
		return usageError{fmt.Errorf("-o %q: must be text, json or raw", *output)}
	}
	if *unsafeRaw && *output != "raw" {
		return usageError{errors.New("--unsafe-raw goes with -o raw")}
	}
	key := c.fs.Arg(0)
	b, err := connect(ctx, c, stderr)
	if err != nil {
		return err
	}
	defer b.close()
	found, err := findInstance(ctx, b, key)
	if err != nil {
		return err
	}
	in := found[0]
	switch *output {
	case "json":
		return listing.JSON(stdout, found)
	case "raw":
		return listing.Raw(stdout, &in, *unsafeRaw)
	}
	return listing.Details(stdout, in, b.client.ServerNow())
}

// idShape matches the IDs of both generations: UUIDs (Gen 2) and "DE-"
// prefixed ones (Gen 1).
var idShape = regexp.MustCompile(`^(DE-)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// findInstance finds the instance key names: by ID with one lookup when
// key looks like one (whatever the project's size), else by name in a
// streamed listing that keeps only the matches (the user's own instances,
// every user's with -A). Several instances of one name are an error
// listing their IDs.
func findInstance(ctx context.Context, b *backend, key string) ([]model.Instance, error) {
	if idShape.MatchString(key) {
		in, err := b.client.GetInstance(ctx, key)
		if err == nil {
			return []model.Instance{in}, nil
		}
		if !client.IsNotFound(err) {
			return nil, err
		}
	}
	var (
		found []model.Instance
		seen  = map[string]bool{}
	)
	err := b.client.StreamInstances(ctx, client.ListOptions{AllUsers: b.settings.AllUsers}, func(p client.Page) {
		if p.Provisional {
			return
		}
		for _, in := range p.Instances {
			k := in.Generation.String() + "/" + in.ID
			if (in.Name == key || in.ID == key) && !seen[k] {
				seen[k] = true
				found = append(found, in)
			}
		}
	})
	var partial *client.PartialError
	if err != nil && !errors.As(err, &partial) {
		return nil, err
	}
	for _, in := range found {
		if in.ID == key {
			return []model.Instance{in}, nil
		}
	}
	switch {
	case len(found) == 0 && partial != nil:
		return nil, fmt.Errorf("no instance with ID or name %q among those listed (%v)", key, partial)
	case len(found) == 0:
		return nil, fmt.Errorf("no instance with ID or name %q", key)
	case len(found) > 1:
		ids := make([]string, len(found))
		for i, in := range found {
			ids[i] = listing.Sanitized(in).ID
		}
		return nil, fmt.Errorf("%d instances are named %q; use an ID: %s", len(found), key, strings.Join(ids, ", "))
	}
	return found, nil
}

// reorderFlags lets flags follow the positional argument (`matui get ID -o
// json`), which the flag package alone would stop parsing at.
func reorderFlags(fs *flag.FlagSet, args []string) []string {
	var flags, rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			rest = append(rest, args[i+1:]...)
			break
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			rest = append(rest, a)
			continue
		}
		flags = append(flags, a)
		name := strings.TrimLeft(a, "-")
		if strings.Contains(name, "=") {
			continue
		}
		if f := fs.Lookup(name); f != nil && i+1 < len(args) {
			if bf, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && bf.IsBoolFlag() {
				continue
			}
			i++
			flags = append(flags, args[i])
		}
	}
	return append(flags, rest...)
}

func runSim(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("matui sim", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o sim.Options
	fs.StringVar(&o.Listen, "listen", "127.0.0.1:8089", "address to serve on")
	fs.Int64Var(&o.Seed, "seed", 1, "seed for the demo data, IDs and generated credentials")
	fs.IntVar(&o.Instances, "instances", 0, fmt.Sprintf("generate N instances (up to %d) instead of the demo set", sim.MaxInstances))
	o.Speed = 1
	fs.Var((*speedValue)(&o.Speed), "speed", fmt.Sprintf("simulated time runs this many times faster than real time (0 < X ≤ %d)", sim.MaxSpeed))
	fs.StringVar(&o.AK, "ak", "", "access key requests must be signed with (generated if empty)")
	fs.StringVar(&o.SK, "sk", "", "secret key (generated if empty)")
	fs.StringVar(&o.ProjectID, "project-id", "", "project ID to serve (generated if empty)")
	fs.StringVar(&o.Faults, "faults", "", "fault injection, e.g. 'notebooks.list:latency=300ms;*:5xx=0.05' (see README)")
	admin := fs.Bool("admin", true, "the credentials are the account administrator's: GET /notebooks/all lists every user's notebooks (false: refused with 403 ModelArts.0108)")
	if err := parseFlags(fs, stdout, args); err != nil {
		return err
	}
	o.NotAdmin = !*admin
	if fs.NArg() > 0 {
		return usageError{fmt.Errorf("unexpected argument %q", fs.Arg(0))}
	}
	if (o.AK == "") != (o.SK == "") {
		return usageError{errors.New("--ak and --sk go together")}
	}
	run, err := sim.Start(ctx, o)
	if err != nil {
		return err
	}
	defer func() { _ = run.Close() }()
	cr := run.Credentials
	// The simulator's credentials are printed on purpose: they are generated
	// for this local process and are what a user needs to point scripts at it.
	fmt.Fprintf(stdout, `ModelArts simulator listening on %s
  project ID:  %s
  AK:          %s
  SK:          %s
  IAM user:    %s / %s (domain %s, project %s)

Point matui or a script at it:
  export MATUI_ENDPOINT=%s HUAWEICLOUD_SDK_PROJECT_ID=%s
  export HUAWEICLOUD_SDK_AK=%s HUAWEICLOUD_SDK_SK=%s
  matui list

Press Ctrl+C to stop.
`, run.URL, cr.ProjectID, cr.AK, cr.SK, cr.Username, cr.Password, cr.DomainName, cr.ProjectName,
		run.URL, cr.ProjectID, cr.AK, cr.SK)
	<-ctx.Done()
	fmt.Fprintln(stdout, "\nsimulator stopped")
	return nil
}

// runServe serves the dashboard over SSH to the keys in the allow lists,
// all sessions sharing one connection (and one poller) to ModelArts.
func runServe(ctx context.Context, args []string, stderr io.Writer) error {
	c := newConnFlags(stderr, "matui serve")
	f := c.fs
	listen := f.String("listen", "127.0.0.1:2222", "address to serve SSH on")
	hostKey := f.String("host-key", "", "server's ed25519 private key (generated with mode 0600 if missing)")
	authKeys := f.String("authorized-keys", "", "authorized_keys file of operators (may act)")
	viewerKeys := f.String("viewer-keys", "", "authorized_keys file of read-only viewers")
	auditLog := f.String("audit-log", "", "append every action as a JSON line to this file (default: the server log)")
	maxSessions := f.Int("max-sessions", sshserve.DefaultMaxSessions, "concurrent sessions")
	idle := f.Duration("idle-timeout", sshserve.DefaultIdleTimeout, "end sessions without input for this long (0: default, <0: never)")
	maxTimeout := f.Duration("max-timeout", 0, "end every session after this long (0: never)")
	loginTimeout := f.Duration("login-timeout", sshserve.DefaultLoginTimeout, "close connections that have not authenticated after this long (0: default, <0: never)")
	maxUnauthenticated := f.Int("max-unauthenticated", sshserve.DefaultMaxUnauthenticated, "connections per address that may be open before authenticating")
	if err := parseFlags(f, stderr, args); err != nil {
		return err
	}
	if f.NArg() > 0 {
		return usageError{fmt.Errorf("unexpected argument %q", f.Arg(0))}
	}
	if *hostKey == "" {
		return usageError{errors.New("serve needs --host-key")}
	}
	if *listen == "" {
		return usageError{errors.New("--listen needs an address, e.g. 127.0.0.1:2222 or :2222")}
	}
	if *maxSessions < 1 {
		return usageError{fmt.Errorf("--max-sessions must be at least 1, got %d", *maxSessions)}
	}
	if *maxUnauthenticated < 1 {
		return usageError{fmt.Errorf("--max-unauthenticated must be at least 1, got %d", *maxUnauthenticated)}
	}
	if *authKeys == "" && *viewerKeys == "" {
		return usageError{errors.New("serve needs --authorized-keys or --viewer-keys: it never serves without an allow list")}
	}
	b, err := connect(ctx, c, stderr)
	if err != nil {
		return err
	}
	defer b.close()
	s := b.settings.UI
	logger := log.NewWithOptions(stderr, log.Options{ReportTimestamp: true, Prefix: "matui serve"})
	srv, err := sshserve.New(sshserve.Config{
		HostKeyPath:        *hostKey,
		AuthorizedKeysPath: *authKeys,
		ViewerKeysPath:     *viewerKeys,
		AuditLogPath:       *auditLog,
		MaxSessions:        *maxSessions,
		IdleTimeout:        *idle,
		MaxTimeout:         *maxTimeout,
		LoginTimeout:       *loginTimeout,
		MaxUnauthenticated: *maxUnauthenticated,
		Upstream:           b.client,
		Header:             b.header,
		Dashboard:          dashboardOptions(s),
		AlertDesktop:       s.Alerts.Desktop,
		AllUsers:           b.settings.AllUsers,
		PinMargin:          s.PinMargin,
		Logger:             logger,
	})
	if err != nil {
		return err
	}
	// Listen before saying so: an address in use or malformed is an error
	// of its own, not a "serving" line followed by one.
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		_ = srv.Shutdown(context.Background())
		return fmt.Errorf("--listen: %w", err)
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	// Not Describe(): it names the credentials in use.
	logger.Info("serving", "addr", ln.Addr().String(), "backend", b.header.Backend, "cloud", b.header.Cloud,
		"region", b.header.Region, "project", b.header.Project)
	select {
	case err := <-errc:
		_ = srv.Shutdown(context.Background())
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err = srv.Shutdown(sctx)
	if serr := <-errc; serr != nil && !errors.Is(serr, ssh.ErrServerClosed) {
		return serr
	}
	return err
}

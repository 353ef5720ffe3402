package sim

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"matui/client/sim/fault"
	"matui/client/sim/gate"
)

// Clock is the simulator's source of time. Every state transition (creation
// progress, lease expiry, queue positions) is derived from it lazily when a
// request arrives, so a test that passes a fake clock controls the whole
// simulation without sleeping.
type Clock interface{ Now() time.Time }

// ManualClock is a Clock that only moves when told to. It is safe for
// concurrent use; tests and demos share one between the simulator and the
// code under test.
type ManualClock struct {
	mu sync.Mutex
	t  time.Time
}

// NewManualClock returns a ManualClock set to t.
func NewManualClock(t time.Time) *ManualClock { return &ManualClock{t: t} }

// Now returns the clock's current time.
func (c *ManualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward by d.
func (c *ManualClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// Set moves the clock to t.
func (c *ManualClock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// scaledClock runs Speed× faster than the wall clock from the moment the
// simulator was built, so a demo can show an hour-long lease run out in
// minutes.
type scaledClock struct {
	wall  Clock
	start time.Time // wall clock at construction (the real one carries the monotonic reading)
	speed float64
}

func (c scaledClock) Now() time.Time {
	el := c.wall.Now().Sub(c.start)
	return c.start.Add(time.Duration(float64(el) * c.speed)).Round(0)
}

// toWall maps a reading of the scaled clock to the wall time it was taken at.
func (c scaledClock) toWall(t time.Time) time.Time {
	return c.start.Add(time.Duration(float64(t.Sub(c.start)) / c.speed))
}

// realClock is the wall clock.
type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

// Options configures a simulator.
type Options struct {
	// Seed makes the demo data, the generated IDs and the credentials
	// deterministic: the same seed and clock give byte-identical lists.
	Seed int64
	// Instances is the number of instances to generate; 0 loads the ~26
	// hand-made demo instances that cover every interesting state. N > 0
	// generates N instances (at most MaxInstances), 4/5 of them Gen 2.
	Instances int
	// Speed makes sim time run Speed× real time (0 means 1). It only
	// applies to the built-in clock; an explicit Clock is used as it is.
	Speed float64
	// Clock, when set, replaces the built-in (real, Speed-scaled) clock.
	Clock Clock
	// WallClock is the real-time clock the built-in clock scales, and the
	// second clock the gateway accepts signature dates from (see
	// gate.Options.WallNow); the real clock when nil. Tests set it to run
	// a sped-up simulator without sleeping. It is unused with Clock: an
	// explicit Clock is the only time there is.
	WallClock Clock
	// ProjectID is the IAM project the API answers for; generated (32 hex
	// characters, from Seed) when empty.
	ProjectID string
	// ProjectName is the IAM project (region) name used to scope tokens;
	// "eu-de" when empty.
	ProjectName string
	// AK and SK are the access key pair requests must be signed with;
	// generated when empty.
	AK, SK string
	// Username, Password and DomainName are accepted by the IAM password
	// flow (POST /v3/auth/tokens); generated when empty.
	Username, Password, DomainName string
	// Faults is a fault-injection spec (see package fault); empty for none.
	Faults string
	// NotAdmin makes the simulator's user (its AK/SK and IAM user) an
	// ordinary IAM user instead of the account's administrator: GET
	// /notebooks/all is refused (403 ModelArts.0108), the owner filter and
	// Gen 1's show_self=false are ignored. The default, an administrator,
	// lets `matui -A` show colleagues' notebooks out of the box.
	NotAdmin bool
	// NoAuth serves the API without authentication, for tests of pure API
	// behaviour.
	NoAuth bool
	// Listen is the address Start listens on; "127.0.0.1:0" when empty.
	Listen string
}

// MaxInstances is the largest Options.Instances accepted.
const MaxInstances = 100_000

// MaxSpeed is the largest Options.Speed accepted: a day of leases in under
// nine seconds. Beyond it durations overflow long before a demo needs them.
const MaxSpeed = 10_000

// CheckSpeed reports whether x is a usable time factor: a finite number
// greater than 0 and at most MaxSpeed (NaN and ±Inf would stop or break
// the clock; 0 or less would stop or reverse it).
func CheckSpeed(x float64) error {
	if math.IsNaN(x) || math.IsInf(x, 0) || x <= 0 || x > MaxSpeed {
		return fmt.Errorf("must be a number greater than 0 and at most %d, got %g", MaxSpeed, x)
	}
	return nil
}

// Credentials are what a client needs to talk to the simulator.
type Credentials struct {
	Endpoint    string // set by Start; empty from (*Server).Credentials
	ProjectID   string
	ProjectName string
	AK, SK      string
	Username    string
	Password    string
	DomainName  string
}

// Server is a running ModelArts DevEnviron simulator. It is an
// http.Handler; several may live in one process (there is no package-level
// mutable state).
type Server struct {
	creds   Credentials
	clock   Clock
	handler http.Handler // middleware around api
	faults  *fault.Injector

	mu sync.Mutex // guards st
	st *state
}

// New builds a simulator. It fails on invalid options (too many instances,
// an unparsable fault spec).
func New(opts Options) (*Server, error) {
	if opts.Instances < 0 || opts.Instances > MaxInstances {
		return nil, fmt.Errorf("sim: Instances must be 0–%d, got %d", MaxInstances, opts.Instances)
	}
	if opts.Speed != 0 { // 0 is the zero value: real time
		if err := CheckSpeed(opts.Speed); err != nil {
			return nil, fmt.Errorf("sim: Speed %w", err)
		}
	}
	clk := opts.Clock
	var (
		wall   Clock // the real clock behind the built-in one; nil with an explicit Clock
		toWall func(time.Time) time.Time
	)
	if clk == nil {
		sp := opts.Speed
		if sp == 0 {
			sp = 1
		}
		wall = opts.WallClock
		if wall == nil {
			wall = realClock{}
		}
		sc := scaledClock{wall: wall, start: wall.Now(), speed: sp}
		clk, toWall = sc, sc.toWall
	}
	// A separate stream for credentials so that adding credential fields
	// never shifts the IDs of the demo data.
	crng := rand.New(rand.NewPCG(uint64(opts.Seed), 0x63726564)) // "cred"
	c := Credentials{
		ProjectID:   opts.ProjectID,
		ProjectName: opts.ProjectName,
		AK:          opts.AK,
		SK:          opts.SK,
		Username:    opts.Username,
		Password:    opts.Password,
		DomainName:  opts.DomainName,
	}
	gen := func(n int) string { return randHex(crng, n) }
	if c.ProjectID == "" {
		c.ProjectID = gen(32)
	}
	if c.ProjectName == "" {
		c.ProjectName = "eu-de"
	}
	if c.AK == "" {
		c.AK = "SIM" + upperAlnum(crng, 17)
	}
	if c.SK == "" {
		c.SK = gen(40)
	}
	if c.Username == "" {
		c.Username = "sim-user"
	}
	if c.Password == "" {
		c.Password = "Sim-" + gen(12)
	}
	if c.DomainName == "" {
		c.DomainName = "sim-domain"
	}

	s := &Server{creds: c, clock: clk}
	now := clk.Now().UnixMilli()
	s.st = newState(opts.Seed, c, now)
	s.st.admin = !opts.NotAdmin
	if opts.Instances == 0 {
		s.st.seedDemo(now)
	} else {
		s.st.generate(now, opts.Instances)
	}

	var h http.Handler = http.HandlerFunc(s.serveAPI)
	if !opts.NoAuth {
		// The gate checks requests exactly as the API gateway does (AK/SK
		// signatures, security tokens, IAM tokens) and serves IAM's token
		// endpoint, so password auth works end to end. It reads the sim
		// clock, and under Speed the ±15 min date window is real time:
		// clients that sign with their own, real clock (the Huawei SDK,
		// the Terraform provider's library) would leave a 50× sim clock's
		// window after 18 s, and matui's client, which carries the server
		// time of our last Date header forward at real speed, after an
		// 18 s gap between requests. So the gate also accepts a date
		// within 15 real minutes of now read as a wall-clock time or as a
		// sim-clock reading (gate.Options.WallNow). Replay protection is
		// then two 30-minute windows, which is all a simulator needs.
		var wallNow func() time.Time
		if wall != nil {
			wallNow = wall.Now
		}
		g := gate.New(gate.Options{
			Keys: map[string]gate.Key{c.AK: {SK: c.SK}},
			Users: []gate.User{{
				Name: c.Username, Password: c.Password, Domain: c.DomainName,
				ProjectID: c.ProjectID, ProjectName: c.ProjectName,
			}},
			ProjectID: c.ProjectID,
			Now:       clk.Now,
			WallNow:   wallNow,
			NowToWall: toWall,
		})
		api, iam := h, g.IAMHandler()
		h = g.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == iamTokensPath {
				iam.ServeHTTP(w, r)
				return
			}
			api.ServeHTTP(w, r)
		}))
	}
	// The injector always exists (with no rules when Options.Faults is
	// empty) so tests and demos can change faults at runtime from Go.
	// It is outermost so that IAM and rejected requests see faults too.
	rules, err := fault.Parse(opts.Faults)
	if err != nil {
		return nil, fmt.Errorf("sim: faults: %w", err)
	}
	s.faults = fault.New(rules, opts.Seed)
	h = s.faults.Wrap(h)
	s.handler = h
	return s, nil
}

// iamTokensPath is IAM's token endpoint, served by the gate.
const iamTokensPath = "/v3/auth/tokens"

// ServeHTTP serves the simulated API (behind the auth and fault middleware).
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// Every answer carries the simulator's time, the injected faults' and
	// the gateway's refusals too: a client that learns the server clock
	// from Date (matui's) must not see it jump to the real time and back.
	w.Header().Set("Date", httpDate(s.clock.Now().UnixMilli()))
	s.handler.ServeHTTP(w, r)
}

// Credentials returns the credentials the simulator accepts; Endpoint is
// empty because a bare Server does not know where it is served.
func (s *Server) Credentials() Credentials { return s.creds }

// Faults returns the fault injector; Set changes its rules at runtime.
func (s *Server) Faults() *fault.Injector { return s.faults }

// Now returns the simulator's current time.
func (s *Server) Now() time.Time { return s.clock.Now() }

// Running is a simulator listening on a local TCP port.
type Running struct {
	*Server
	URL         string      // e.g. http://127.0.0.1:41234
	Credentials Credentials // with Endpoint set to URL

	srv  *http.Server
	done chan struct{}
	once sync.Once
	err  error
}

// Start builds a simulator and serves it on opts.Listen (127.0.0.1:0 by
// default) until Close is called or ctx is cancelled.
func Start(ctx context.Context, opts Options) (*Running, error) {
	s, err := New(opts)
	if err != nil {
		return nil, err
	}
	addr := opts.Listen
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("sim: listen: %w", err)
	}
	rn := &Running{
		Server: s,
		URL:    "http://" + ln.Addr().String(),
		srv:    &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second},
		done:   make(chan struct{}),
	}
	rn.Credentials = s.Credentials()
	rn.Credentials.Endpoint = rn.URL
	go func() {
		if err := rn.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			rn.err = err
		}
		close(rn.done)
	}()
	go func() {
		select {
		case <-ctx.Done():
			_ = rn.Close()
		case <-rn.done:
		}
	}()
	return rn, nil
}

// Close stops the listener and waits for the serve loop to end. Requests
// still in flight are cut off (the simulator keeps no state worth draining).
func (rn *Running) Close() error {
	rn.once.Do(func() {
		err := rn.srv.Close()
		<-rn.done
		if rn.err == nil {
			rn.err = err
		}
	})
	return rn.err
}

func randHex(r *rand.Rand, n int) string {
	b := make([]byte, (n+1)/2)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return hex.EncodeToString(b)[:n]
}

func upperAlnum(r *rand.Rand, n int) string {
	const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	b := make([]byte, n)
	for i := range b {
		b[i] = chars[r.IntN(len(chars))]
	}
	return string(b)
}

// httpDate formats ms as an HTTP Date header.
func httpDate(ms int64) string { return time.UnixMilli(ms).UTC().Format(http.TimeFormat) }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

package client

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"matui/client/auth"
	"matui/model"
)

// Version is reported in the default User-Agent.
const Version = "0.1.0"

// Defaults for Options fields left zero.
const (
	DefaultTimeout    = 30 * time.Second
	DefaultMaxRetries = 3
	DefaultRateLimit  = rate.Limit(10)
	DefaultBurst      = 10
)

// Options configures a Client. Only Endpoint, ProjectID and Auth are required.
type Options struct {
	// Endpoint is the base URL, e.g. https://modelarts.eu-de.otc.t-systems.com.
	// A bare host gets https://.
	Endpoint string
	// ProjectID is the IAM project ID (32 hex characters). It fills
	// {project_id} in every path and the X-Project-Id header.
	ProjectID string
	// Auth signs or tokenises every attempt of every request.
	Auth auth.Authenticator
	// HTTPClient defaults to a client with its own transport (no
	// http.Client.Timeout; Timeout below applies per attempt). It is copied;
	// redirects are never followed.
	HTTPClient *http.Client
	// Timeout bounds one attempt (send, wait, read body). Default 30 s.
	Timeout time.Duration
	// MaxRetries is the number of retries after the first attempt. Default
	// 3; a negative value disables retries.
	MaxRetries int
	// RateLimit and Burst configure the client-side token bucket shared by
	// all calls of this Client. Default 10 requests/s, burst 10; rate.Inf
	// disables the limit.
	RateLimit rate.Limit
	Burst     int
	// UserAgent defaults to "matui/<Version>".
	UserAgent string
	// MaxListItems bounds one listing however many items the server claims
	// (a broken total must not hold a poll forever). Default 200,000.
	MaxListItems int
	// Sleep waits between retries and for the rate limiter; it must return
	// early with ctx.Err() when ctx ends. Injected by tests.
	Sleep func(ctx context.Context, d time.Duration) error
	// Now is the local clock. Injected by tests.
	Now func() time.Time
	// Logger receives one debug record per attempt (method, path, status,
	// request ID, duration) — never headers or bodies. Optional.
	Logger *slog.Logger
}

// Client talks to one project of one ModelArts endpoint. It is safe for
// concurrent use; several Clients may live in one process.
type Client struct {
	base       *url.URL
	projectID  string
	auth       auth.Authenticator
	hc         *http.Client
	timeout    time.Duration
	maxRetries int
	maxList    int
	limiter    *rate.Limiter
	userAgent  string
	sleep      func(context.Context, time.Duration) error
	now        func() time.Time
	log        *slog.Logger
	maxBody    int64 // response size limit; a field so tests can lower it

	clock serverClock

	// flavors caches the Gen 2 flavor catalog for ListInstances' spec lookup.
	// The dashboard's pollers, one per scope (own, all users): Poll.
	pollMu sync.Mutex
	polls  [2]*Poller

	flavorMu      sync.Mutex
	flavorCache   map[string]model.NotebookFlavor
	flavorFetched time.Time

	// gen1AbsentUntil: after the gateway said the Gen 1 API does not exist
	// here, ListInstances skips it until then.
	gen1Mu          sync.Mutex
	gen1AbsentUntil time.Time
}

// New validates opts and builds a Client.
func New(opts Options) (*Client, error) {
	ep := strings.TrimSpace(opts.Endpoint)
	if ep == "" {
		return nil, errors.New("client: endpoint is required")
	}
	if !strings.Contains(ep, "://") {
		ep = "https://" + ep
	}
	base, err := url.Parse(strings.TrimRight(ep, "/"))
	if err != nil {
		return nil, fmt.Errorf("client: endpoint: %w", err)
	}
	if base.Scheme != "https" && base.Scheme != "http" || base.Host == "" {
		return nil, fmt.Errorf("client: endpoint %q: need an http(s) URL with a host", opts.Endpoint)
	}
	if base.RawQuery != "" || base.Fragment != "" {
		return nil, fmt.Errorf("client: endpoint %q must not have a query or fragment", opts.Endpoint)
	}
	pid := strings.TrimSpace(opts.ProjectID)
	if pid == "" {
		return nil, errors.New("client: project ID is required")
	}
	if strings.ContainsAny(pid, "/?#% ") {
		return nil, errors.New("client: project ID contains characters not allowed in a path")
	}
	if opts.Auth == nil {
		return nil, errors.New("client: an authenticator is required")
	}
	c := &Client{
		base:       base,
		projectID:  pid,
		auth:       opts.Auth,
		hc:         opts.HTTPClient,
		timeout:    opts.Timeout,
		maxRetries: opts.MaxRetries,
		maxList:    opts.MaxListItems,
		userAgent:  opts.UserAgent,
		sleep:      opts.Sleep,
		now:        opts.Now,
		log:        opts.Logger,
		maxBody:    maxResponseBytes,
	}
	// Redirects are not followed: ModelArts never redirects, so a 3xx means
	// a wrong endpoint or a captive portal, and following it would hand the
	// X-Auth-Token header (which net/http does not strip) to another host.
	// The 3xx surfaces as an *APIError instead.
	if c.hc == nil {
		c.hc = &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
	} else {
		hc := *c.hc // shallow copy: the caller's client keeps its own policy
		c.hc = &hc
	}
	c.hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	if c.timeout <= 0 {
		c.timeout = DefaultTimeout
	}
	if c.maxList <= 0 {
		c.maxList = DefaultMaxListItems
	}
	switch {
	case c.maxRetries == 0:
		c.maxRetries = DefaultMaxRetries
	case c.maxRetries < 0:
		c.maxRetries = 0
	}
	lim, burst := opts.RateLimit, opts.Burst
	if lim <= 0 {
		lim = DefaultRateLimit
	}
	if burst <= 0 {
		burst = DefaultBurst
	}
	c.limiter = rate.NewLimiter(lim, burst)
	if c.userAgent == "" {
		c.userAgent = "matui/" + Version
	}
	if c.sleep == nil {
		c.sleep = sleepCtx
	}
	if c.now == nil {
		c.now = time.Now
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	return c, nil
}

// sleepCtx waits for d or until ctx ends.
func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// ProjectID returns the project the client works in.
func (c *Client) ProjectID() string { return c.projectID }

// Endpoint returns the base URL.
func (c *Client) Endpoint() string { return c.base.String() }

// Describe names endpoint, project and credential for the header line, e.g.
// "https://modelarts.eu-de.otc.t-systems.com · project 0123…cdef · AK/SK
// (AKTE…0000)". The project ID is shortened for space, the credential part
// comes from the authenticator, which never shows secrets.
func (c *Client) Describe() string {
	return c.base.String() + " · project " + abbreviate(c.projectID) + " · " + c.auth.Describe()
}

// abbreviate keeps the first and last four characters of long IDs.
func abbreviate(s string) string {
	if len(s) <= 12 {
		return s
	}
	return s[:4] + "…" + s[len(s)-4:]
}

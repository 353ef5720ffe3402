package client

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"golang.org/x/time/rate"
)

const testProject = "0123456789abcdef0123456789abcdef"

// testAuth is a minimal Authenticator: it stamps every attempt with a
// sequence number (standing in for a fresh X-Sdk-Date) and a secret-looking
// Authorization header that must never leak into errors or logs.
type testAuth struct {
	mu     sync.Mutex
	calls  int
	bodies [][]byte
}

const testSecret = "Bearer s3cr3t-t0ken-never-print-me"

func (a *testAuth) Authenticate(ctx context.Context, req *http.Request, body []byte) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.calls++
	a.bodies = append(a.bodies, append([]byte(nil), body...))
	req.Header.Set("X-Sdk-Date", "attempt-"+strconv.Itoa(a.calls))
	req.Header.Set("Authorization", testSecret)
	return ctx.Err()
}

func (a *testAuth) Describe() string { return "test (AKTE…0000)" }

func (a *testAuth) count() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.calls
}

// fakeClock is the injected Now and Sleep: Sleep records the duration and
// advances the clock instead of waiting.
type fakeClock struct {
	mu     sync.Mutex
	t      time.Time
	sleeps []time.Duration
	// onSleep, when set, runs inside Sleep (e.g. to cancel a context).
	onSleep func()
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}
}

func (f *fakeClock) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.t
}

func (f *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	f.mu.Lock()
	f.sleeps = append(f.sleeps, d)
	f.t = f.t.Add(d)
	hook := f.onSleep
	f.mu.Unlock()
	if hook != nil {
		hook()
	}
	return ctx.Err()
}

func (f *fakeClock) Advance(d time.Duration) {
	f.mu.Lock()
	f.t = f.t.Add(d)
	f.mu.Unlock()
}

func (f *fakeClock) Sleeps() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Duration(nil), f.sleeps...)
}

// seen is one request as the test server received it.
type seen struct {
	Method, Path, RawQuery string
	Header                 http.Header
	Body                   []byte
}

// recorder wraps a handler and keeps every request.
type recorder struct {
	mu   sync.Mutex
	reqs []seen
	h    http.HandlerFunc
}

func (rec *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	rec.mu.Lock()
	rec.reqs = append(rec.reqs, seen{r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Clone(), b})
	rec.mu.Unlock()
	r.Body = io.NopCloser(bytes.NewReader(b)) // the handler may read it too
	rec.h(w, r)
}

func (rec *recorder) all() []seen {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return append([]seen(nil), rec.reqs...)
}

func (rec *recorder) count() int { return len(rec.all()) }

type testEnv struct {
	c     *Client
	rec   *recorder
	auth  *testAuth
	clock *fakeClock
	srv   *httptest.Server
}

// newEnv starts a server running h and a client pointing at it with a fake
// clock, no rate limit and the default retries.
func newEnv(t *testing.T, h http.HandlerFunc, mod ...func(*Options)) *testEnv {
	t.Helper()
	rec := &recorder{h: h}
	srv := httptest.NewServer(rec)
	t.Cleanup(srv.Close)
	env := &testEnv{rec: rec, auth: &testAuth{}, clock: newFakeClock(), srv: srv}
	opts := Options{
		Endpoint:  srv.URL,
		ProjectID: testProject,
		Auth:      env.auth,
		RateLimit: rate.Inf,
		Sleep:     env.clock.Sleep,
		Now:       env.clock.Now,
	}
	for _, m := range mod {
		m(&opts)
	}
	c, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	env.c = c
	return env
}

// reply writes a JSON answer.
func reply(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

func itoa(n int) string { return strconv.Itoa(n) }

func errorsIs(err, target error) bool { return errors.Is(err, target) }

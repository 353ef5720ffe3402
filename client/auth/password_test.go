package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const testPassword = "S3cret!Passw0rd"

// fakeClock is a goroutine-safe settable clock shared by the authenticator
// and the fake IAM server.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// fakeIAM issues tokens "tok-N" valid for lifetime from the clock's time.
type fakeIAM struct {
	clock    *fakeClock
	lifetime time.Duration
	calls    atomic.Int32
	// hook, when set, runs before answering; returning false means it wrote
	// the response itself.
	hook  func(w http.ResponseWriter, r *http.Request, n int32) bool
	mu    sync.Mutex
	paths []string
	body  []byte
}

func (f *fakeIAM) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := f.calls.Add(1)
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	f.paths = append(f.paths, r.Method+" "+r.URL.Path+" "+r.Header.Get("Content-Type"))
	f.body = body
	f.mu.Unlock()
	if f.hook != nil && !f.hook(w, r, n) {
		return
	}
	w.Header().Set("X-Subject-Token", fmt.Sprintf("tok-%d", n))
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	exp := f.clock.Now().Add(f.lifetime).UTC().Format("2006-01-02T15:04:05.000000Z")
	fmt.Fprintf(w, `{"token":{"expires_at":%q,"issued_at":"x","project":{"id":"p-id-from-iam","name":"eu-de"},"catalog":[]}}`, exp)
}

func newFakeIAM(t *testing.T, lifetime time.Duration) (*fakeIAM, *httptest.Server) {
	t.Helper()
	f := &fakeIAM{clock: &fakeClock{now: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}, lifetime: lifetime}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, srv
}

func testPasswordConfig(srv *httptest.Server, clock *fakeClock) PasswordConfig {
	return PasswordConfig{
		IAMEndpoint: srv.URL + "/v3",
		Username:    "alice",
		Password:    testPassword,
		DomainName:  "acme",
		ProjectName: "eu-de",
		HTTPClient:  srv.Client(),
		Now:         clock.Now,
	}
}

func mustToken(t *testing.T, p *Password) string {
	t.Helper()
	tok, err := p.Token(context.Background())
	if err != nil {
		t.Fatalf("Token: %v", err)
	}
	return tok
}

// waitCalls waits until the fake IAM has been called n times and the
// authenticator has published the result (no fetch in flight).
func waitCalls(t *testing.T, f *fakeIAM, p *Password, n int32) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		p.mu.Lock()
		idle := p.inflight == nil
		p.mu.Unlock()
		if f.calls.Load() >= n && idle {
			return
		}
		time.Sleep(time.Millisecond)
	}
	t.Fatalf("IAM calls = %d, want %d", f.calls.Load(), n)
}

func TestPasswordSingleFlight(t *testing.T) {
	f, srv := newFakeIAM(t, 24*time.Hour)
	arrived := make(chan struct{})
	release := make(chan struct{})
	f.hook = func(http.ResponseWriter, *http.Request, int32) bool {
		close(arrived) // a second call would panic: closing a closed channel
		<-release
		return true
	}
	p := NewPassword(testPasswordConfig(srv, f.clock))

	const callers = 20
	var wg sync.WaitGroup
	tokens := make([]string, callers)
	errs := make([]error, callers)
	for i := range callers {
		wg.Go(func() {
			req, _ := http.NewRequest("GET", "http://modelarts.test/v1/x", nil)
			errs[i] = p.Authenticate(context.Background(), req, nil)
			tokens[i] = req.Header.Get(HeaderAuthToken)
		})
	}
	<-arrived
	time.Sleep(50 * time.Millisecond) // let the other callers queue up behind the flight
	close(release)
	wg.Wait()
	for i := range callers {
		if errs[i] != nil || tokens[i] != "tok-1" {
			t.Fatalf("caller %d: token %q err %v", i, tokens[i], errs[i])
		}
	}
	if n := f.calls.Load(); n != 1 {
		t.Fatalf("IAM called %d times, want 1", n)
	}
}

func TestPasswordRefreshBeforeExpiry(t *testing.T) {
	f, srv := newFakeIAM(t, 24*time.Hour)
	p := NewPassword(testPasswordConfig(srv, f.clock))
	t0 := f.clock.Now()
	expiry := t0.Add(24 * time.Hour)

	if tok := mustToken(t, p); tok != "tok-1" {
		t.Fatalf("first token %q", tok)
	}
	f.clock.Set(expiry.Add(-RefreshMargin - time.Second))
	if tok := mustToken(t, p); tok != "tok-1" || f.calls.Load() != 1 {
		t.Fatalf("refreshed too early: %q after %d calls", tok, f.calls.Load())
	}

	// Inside the margin: the cached token is still served while a single
	// background refresh replaces it.
	f.clock.Set(expiry.Add(-RefreshMargin + time.Second))
	if tok := mustToken(t, p); tok != "tok-1" {
		t.Fatalf("token during refresh %q", tok)
	}
	waitCalls(t, f, p, 2)
	if tok := mustToken(t, p); tok != "tok-2" {
		t.Fatalf("token after refresh %q", tok)
	}
	if n := f.calls.Load(); n != 2 {
		t.Fatalf("IAM calls = %d, want 2", n)
	}

	// Past the first token's expiry the second one is still good.
	f.clock.Set(expiry.Add(time.Minute))
	if tok := mustToken(t, p); tok != "tok-2" || f.calls.Load() != 2 {
		t.Fatalf("after first expiry: %q, calls %d", tok, f.calls.Load())
	}

	// Invalidate forces a synchronous login.
	p.Invalidate()
	if tok := mustToken(t, p); tok != "tok-3" {
		t.Fatalf("after Invalidate: %q", tok)
	}
}

func TestPasswordExpiredTokenWaitsForLogin(t *testing.T) {
	f, srv := newFakeIAM(t, time.Hour)
	p := NewPassword(testPasswordConfig(srv, f.clock))
	mustToken(t, p)
	f.clock.Set(f.clock.Now().Add(2 * time.Hour))
	if tok := mustToken(t, p); tok != "tok-2" {
		t.Fatalf("expired token not replaced synchronously: %q", tok)
	}
}

func TestPasswordShortLifetime(t *testing.T) {
	// A 2-minute token refreshes at half-life, not 5 minutes early (which
	// would mean "always due").
	f, srv := newFakeIAM(t, 2*time.Minute)
	p := NewPassword(testPasswordConfig(srv, f.clock))
	t0 := f.clock.Now()
	mustToken(t, p)
	f.clock.Set(t0.Add(59 * time.Second))
	mustToken(t, p)
	if n := f.calls.Load(); n != 1 {
		t.Fatalf("refresh before half-life: %d calls", n)
	}
	f.clock.Set(t0.Add(61 * time.Second))
	mustToken(t, p)
	waitCalls(t, f, p, 2)
}

func TestPasswordRefreshFailureKeepsValidToken(t *testing.T) {
	f, srv := newFakeIAM(t, time.Hour)
	f.hook = func(w http.ResponseWriter, _ *http.Request, n int32) bool {
		if n == 1 {
			return true
		}
		w.WriteHeader(http.StatusServiceUnavailable)
		return false
	}
	p := NewPassword(testPasswordConfig(srv, f.clock))
	t0 := f.clock.Now()
	mustToken(t, p)

	f.clock.Set(t0.Add(58 * time.Minute))
	if tok := mustToken(t, p); tok != "tok-1" {
		t.Fatalf("%q", tok)
	}
	waitCalls(t, f, p, 2) // failed background refresh
	// Within refreshRetry of the failure: no new request, old token served.
	if tok := mustToken(t, p); tok != "tok-1" || f.calls.Load() != 2 {
		t.Fatalf("after failed refresh: %q, calls %d", tok, f.calls.Load())
	}
	f.clock.Set(t0.Add(58*time.Minute + refreshRetry))
	mustToken(t, p)
	waitCalls(t, f, p, 3)

	// Once expired, the failure reaches the caller.
	f.clock.Set(t0.Add(61 * time.Minute))
	_, err := p.Token(context.Background())
	var iamErr *IAMError
	if !errors.As(err, &iamErr) || iamErr.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("expired token with IAM down: err = %v", err)
	}
}

func TestPasswordIAMErrorHidesPassword(t *testing.T) {
	f, srv := newFakeIAM(t, time.Hour)
	f.hook = func(w http.ResponseWriter, _ *http.Request, _ int32) bool {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		// A misbehaving proxy that echoes the request must not leak it.
		fmt.Fprintf(w, `{"error":{"code":401,"message":"The username or password is wrong. (got %s)","title":"Unauthorized"}}`, testPassword)
		return false
	}
	p := NewPassword(testPasswordConfig(srv, f.clock))
	req, _ := http.NewRequest("GET", "http://modelarts.test/v1/x", nil)
	err := p.Authenticate(context.Background(), req, nil)
	if err == nil {
		t.Fatal("IAM 401 accepted")
	}
	msg := err.Error()
	if !strings.Contains(msg, "401") || !strings.Contains(msg, "The username or password is wrong") {
		t.Fatalf("error does not name the IAM status/message: %s", msg)
	}
	for _, s := range []string{msg, fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err)} {
		if strings.Contains(s, testPassword) {
			t.Fatalf("password leaked: %s", s)
		}
	}
	var iamErr *IAMError
	if !errors.As(err, &iamErr) || iamErr.StatusCode != 401 {
		t.Fatalf("not an *IAMError: %T", err)
	}
	if req.Header.Get(HeaderAuthToken) != "" {
		t.Fatal("token header set despite failure")
	}

	// Gateway-style error bodies are understood too.
	f.hook = func(w http.ResponseWriter, _ *http.Request, _ int32) bool {
		w.WriteHeader(http.StatusForbidden)
		io.WriteString(w, `{"error_code":"IAM.0011","error_msg":"Request parameter error."}`)
		return false
	}
	_, err = p.Token(context.Background())
	if !errors.As(err, &iamErr) || iamErr.Code != "IAM.0011" || !strings.Contains(err.Error(), "403") {
		t.Fatalf("gateway error: %v", err)
	}
}

func TestPasswordRequestShape(t *testing.T) {
	for _, tc := range []struct {
		name      string
		endpoint  func(base string) string
		projectID string
		scope     map[string]any
	}{
		{"by name, endpoint with /v3", func(b string) string { return b + "/v3" }, "", map[string]any{"name": "eu-de"}},
		{"by name, endpoint with /v3/", func(b string) string { return b + "/v3/" }, "", map[string]any{"name": "eu-de"}},
		{"by id, bare endpoint", func(b string) string { return b }, "0123456789abcdef0123456789abcdef", map[string]any{"id": "0123456789abcdef0123456789abcdef"}},
		{"by id, trailing slash", func(b string) string { return b + "/" }, "0123456789abcdef0123456789abcdef", map[string]any{"id": "0123456789abcdef0123456789abcdef"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, srv := newFakeIAM(t, time.Hour)
			cfg := testPasswordConfig(srv, f.clock)
			cfg.IAMEndpoint = tc.endpoint(srv.URL)
			cfg.ProjectID = tc.projectID
			p := NewPassword(cfg)
			mustToken(t, p)

			f.mu.Lock()
			defer f.mu.Unlock()
			if got := f.paths[0]; got != "POST /v3/auth/tokens application/json;charset=UTF-8" {
				t.Fatalf("request line = %q", got)
			}
			var got map[string]any
			if err := json.Unmarshal(f.body, &got); err != nil {
				t.Fatal(err)
			}
			want := map[string]any{"auth": map[string]any{
				"identity": map[string]any{
					"methods": []any{"password"},
					"password": map[string]any{"user": map[string]any{
						"name": "alice", "password": testPassword, "domain": map[string]any{"name": "acme"},
					}},
				},
				"scope": map[string]any{"project": tc.scope},
			}}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("body = %s", f.body)
			}
		})
	}
}

func TestPasswordProjectID(t *testing.T) {
	f, srv := newFakeIAM(t, time.Hour)
	p := NewPassword(testPasswordConfig(srv, f.clock))
	if got := p.ProjectID(); got != "" {
		t.Fatalf("ProjectID before login = %q", got)
	}
	id, err := p.ResolveProjectID(context.Background())
	if err != nil || id != "p-id-from-iam" || p.ProjectID() != "p-id-from-iam" {
		t.Fatalf("ResolveProjectID = %q, %v", id, err)
	}
	cfg := testPasswordConfig(srv, f.clock)
	cfg.ProjectID = "configured"
	if got := NewPassword(cfg).ProjectID(); got != "configured" {
		t.Fatalf("configured ProjectID = %q", got)
	}
}

func TestPasswordBadResponses(t *testing.T) {
	cases := map[string]func(w http.ResponseWriter){
		"no subject token": func(w http.ResponseWriter) {
			w.WriteHeader(http.StatusCreated)
			io.WriteString(w, `{"token":{"expires_at":"2030-01-01T00:00:00.000000Z"}}`)
		},
		"no expiry": func(w http.ResponseWriter) {
			w.Header().Set("X-Subject-Token", "t")
			w.WriteHeader(http.StatusCreated)
			io.WriteString(w, `{"token":{}}`)
		},
		"not json": func(w http.ResponseWriter) {
			w.Header().Set("X-Subject-Token", "t")
			w.WriteHeader(http.StatusCreated)
			io.WriteString(w, `<html>`)
		},
	}
	for name, respond := range cases {
		t.Run(name, func(t *testing.T) {
			f, srv := newFakeIAM(t, time.Hour)
			f.hook = func(w http.ResponseWriter, _ *http.Request, _ int32) bool { respond(w); return false }
			if _, err := NewPassword(testPasswordConfig(srv, f.clock)).Token(context.Background()); err == nil {
				t.Fatal("bad IAM response accepted")
			}
		})
	}
}

func TestPasswordConfigErrors(t *testing.T) {
	for name, cfg := range map[string]PasswordConfig{
		"no endpoint": {Username: "u", Password: "p", DomainName: "d", ProjectName: "eu-de"},
		"bad scheme":  {IAMEndpoint: "ftp://iam", Username: "u", Password: "p", DomainName: "d", ProjectName: "eu-de"},
		"no user":     {IAMEndpoint: "iam.example", Password: "p", DomainName: "d", ProjectName: "eu-de"},
		"no password": {IAMEndpoint: "iam.example", Username: "u", DomainName: "d", ProjectName: "eu-de"},
		"no domain":   {IAMEndpoint: "iam.example", Username: "u", Password: "p", ProjectName: "eu-de"},
		"no project":  {IAMEndpoint: "iam.example", Username: "u", Password: "p", DomainName: "d"},
	} {
		_, err := NewPassword(cfg).Token(context.Background())
		if err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	for in, want := range map[string]string{
		"iam.eu-de.otc.t-systems.com/v3":           "https://iam.eu-de.otc.t-systems.com/v3/auth/tokens",
		"https://iam.myhuaweicloud.com":            "https://iam.myhuaweicloud.com/v3/auth/tokens",
		" https://iam.eu-nl.otc.t-systems.com/v3/": "https://iam.eu-nl.otc.t-systems.com/v3/auth/tokens",
		"http://127.0.0.1:8080/iam/v3":             "http://127.0.0.1:8080/iam/v3/auth/tokens",
	} {
		if got, err := iamTokenURL(in); err != nil || got != want {
			t.Errorf("iamTokenURL(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}

func TestPasswordWaiterCancellation(t *testing.T) {
	f, srv := newFakeIAM(t, time.Hour)
	release := make(chan struct{})
	f.hook = func(http.ResponseWriter, *http.Request, int32) bool { <-release; return true }
	p := NewPassword(testPasswordConfig(srv, f.clock))

	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { _, err := p.Token(ctx); errc <- err }()
	for f.calls.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled waiter: %v", err)
	}
	// The shared login was not aborted by the first caller leaving.
	done := make(chan string, 1)
	go func() { tok, _ := p.Token(context.Background()); done <- tok }()
	close(release)
	if tok := <-done; tok != "tok-1" || f.calls.Load() != 1 {
		t.Fatalf("second caller got %q after %d calls", tok, f.calls.Load())
	}
}

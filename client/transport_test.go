package client

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"matui/model"
)

// failThenOK answers the first n requests with status (and optional
// headers), then 200 with body.
func failThenOK(n int, status int, hdr map[string]string, body string) http.HandlerFunc {
	var calls atomic.Int32
	return func(w http.ResponseWriter, r *http.Request) {
		if int(calls.Add(1)) <= n {
			for k, v := range hdr {
				w.Header().Set(k, v)
			}
			reply(w, status, `{"error_code":"ModelArts.6101","error_msg":"System busy."}`)
			return
		}
		reply(w, 200, body)
	}
}

func TestRetryOn503ThenSuccess(t *testing.T) {
	env := newEnv(t, failThenOK(1, 503, nil, `{"id":"nb1"}`))
	nb, err := env.c.ShowNotebook(t.Context(), "nb1")
	if err != nil || nb.ID != "nb1" {
		t.Fatalf("got %+v, %v", nb, err)
	}
	reqs := env.rec.all()
	if len(reqs) != 2 {
		t.Fatalf("%d requests, want 2", len(reqs))
	}
	// Authenticate ran per attempt: each attempt carries its own stamp.
	if env.auth.count() != 2 || reqs[0].Header.Get("X-Sdk-Date") == reqs[1].Header.Get("X-Sdk-Date") {
		t.Errorf("auth calls %d, dates %q %q", env.auth.count(), reqs[0].Header.Get("X-Sdk-Date"), reqs[1].Header.Get("X-Sdk-Date"))
	}
	s := env.clock.Sleeps()
	if len(s) != 1 || s[0] < 0 || s[0] >= backoffBase {
		t.Errorf("sleeps %v, want one full-jitter wait in [0, %v)", s, backoffBase)
	}
}

func TestRetryAfterSecondsHonoured(t *testing.T) {
	env := newEnv(t, failThenOK(1, 503, map[string]string{"Retry-After": "7"}, `{}`))
	if _, err := env.c.ShowNotebook(t.Context(), "nb1"); err != nil {
		t.Fatal(err)
	}
	if s := env.clock.Sleeps(); len(s) != 1 || s[0] != 7*time.Second {
		t.Errorf("sleeps %v, want [7s]", s)
	}
}

// A Retry-After date is read on the server's clock: the server is 1 h ahead
// and asks for a retry 5 s after its Date; the wait is 5 s minus the
// half-second that the Date-truncation estimate adds (see serverClock).
func TestRetryAfterDateUsesServerClock(t *testing.T) {
	clk := newFakeClock()
	serverNow := clk.Now().Add(time.Hour)
	var calls atomic.Int32
	env := newEnv(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Date", serverNow.Format(http.TimeFormat))
		if calls.Add(1) == 1 {
			w.Header().Set("Retry-After", serverNow.Add(5*time.Second).Format(http.TimeFormat))
			reply(w, 429, `{"error_code":"APIG.0308","error_msg":"throttled"}`)
			return
		}
		reply(w, 200, `{}`)
	}, func(o *Options) { o.Now, o.Sleep = clk.Now, clk.Sleep })
	if _, err := env.c.ShowNotebook(t.Context(), "nb1"); err != nil {
		t.Fatal(err)
	}
	if s := clk.Sleeps(); len(s) != 1 || s[0] != 4500*time.Millisecond {
		t.Errorf("sleeps %v, want [4.5s]", s)
	}
}

func TestRetryAfterCapped(t *testing.T) {
	env := newEnv(t, failThenOK(1, 429, map[string]string{"Retry-After": "86400"}, `{}`))
	if _, err := env.c.ShowNotebook(t.Context(), "nb1"); err != nil {
		t.Fatal(err)
	}
	if s := env.clock.Sleeps(); len(s) != 1 || s[0] != maxRetryAfter {
		t.Errorf("sleeps %v, want [%v]", s, maxRetryAfter)
	}
}

func TestRetryAfterParsing(t *testing.T) {
	now := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for v, want := range map[string]time.Duration{
		"":                              0,
		"0":                             0,
		"-3":                            0,
		"2":                             2 * time.Second,
		"soon":                          0,
		"Mon, 01 Jan 2024 00:00:10 GMT": 10 * time.Second,
		"Sun, 31 Dec 2023 23:59:00 GMT": 0,
		"Tue, 02 Jan 2024 00:00:00 GMT": maxRetryAfter,
		"99999999999999999999":          0, // overflows int64: unparsable
	} {
		h := http.Header{}
		if v != "" {
			h.Set("Retry-After", v)
		}
		if got := retryAfter(h, now); got != want {
			t.Errorf("Retry-After %q: %v, want %v", v, got, want)
		}
	}
}

func TestBackoffFullJitterBounds(t *testing.T) {
	for n := 1; n <= 40; n++ {
		ceil := min(backoffBase<<min(n-1, 16), backoffMax)
		for range 50 {
			if d := backoff(n); d < 0 || d >= ceil {
				t.Fatalf("backoff(%d) = %v, want [0, %v)", n, d, ceil)
			}
		}
	}
}

func Test429OnGETRetried(t *testing.T) {
	env := newEnv(t, failThenOK(2, 429, nil, `{"data":[],"total":0}`))
	if _, err := env.c.ListNotebooksPage(t.Context(), ListNotebooksOptions{}); err != nil {
		t.Fatal(err)
	}
	if n := env.rec.count(); n != 3 {
		t.Errorf("%d requests, want 3", n)
	}
}

func TestRetriesExhaustedReturnsLastAPIError(t *testing.T) {
	env := newEnv(t, failThenOK(100, 502, map[string]string{"X-Request-Id": "req-42"}, `{}`))
	_, err := env.c.ShowNotebook(t.Context(), "nb1")
	var ae *APIError
	if !errors.As(err, &ae) || ae.HTTPStatus != 502 || ae.RequestID != "req-42" || ae.Method != "GET" ||
		ae.Path != "/v1/"+testProject+"/notebooks/nb1" {
		t.Fatalf("err %#v", err)
	}
	if n := env.rec.count(); n != 1+DefaultMaxRetries {
		t.Errorf("%d requests, want %d", n, 1+DefaultMaxRetries)
	}
	if !IsThrottled(err) { // the body said ModelArts.6101
		t.Error("IsThrottled false")
	}
}

func TestNoRetryOnClientErrors(t *testing.T) {
	for _, status := range []int{400, 401, 403, 404} {
		env := newEnv(t, failThenOK(100, status, nil, `{}`))
		if _, err := env.c.ShowNotebook(t.Context(), "nb1"); err == nil {
			t.Fatalf("%d: no error", status)
		}
		if n := env.rec.count(); n != 1 {
			t.Errorf("HTTP %d: %d requests, want 1 (never retry auth failures: the AK locks)", status, n)
		}
	}
}

func TestPOSTAnswered503NotRetried(t *testing.T) {
	env := newEnv(t, failThenOK(100, 503, nil, `{}`))
	_, err := env.c.CreateNotebook(t.Context(), model.CreateNotebookRequest{Name: "nb"})
	var ae *APIError
	if !errors.As(err, &ae) || ae.HTTPStatus != 503 {
		t.Fatalf("err %v", err)
	}
	if n := env.rec.count(); n != 1 {
		t.Errorf("%d requests, want exactly 1", n)
	}
	for _, stop := range []func() error{
		func() error { _, err := env.c.StopNotebook(t.Context(), "nb1"); return err },
		func() error { _, err := env.c.DevAction(t.Context(), "DE-1", "stop"); return err },
		func() error { _, err := env.c.OpenCodeLab(t.Context(), model.OpenCodeLabRequest{}); return err },
	} {
		before := env.rec.count()
		if stop() == nil || env.rec.count() != before+1 {
			t.Errorf("POST retried after 503 (%d requests)", env.rec.count()-before)
		}
	}
}

// The gateway's 429 (an APIG code) rejects a request before ModelArts sees
// it, so even a create is repeated.
func TestPOSTAnsweredGateway429Retried(t *testing.T) {
	var calls atomic.Int32
	env := newEnv(t, func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			reply(w, 429, `{"error_code":"APIG.0308","error_msg":"The throttling threshold has been reached: policy user over ratelimit,limit:10,time:1 second","request_id":"r1"}`)
			return
		}
		reply(w, 200, `{"id":"nb1"}`)
	})
	nb, err := env.c.CreateNotebook(t.Context(), model.CreateNotebookRequest{Name: "nb"})
	if err != nil || nb.ID != "nb1" {
		t.Fatalf("got %+v, %v", nb, err)
	}
	reqs := env.rec.all()
	if len(reqs) != 2 || !bytes.Equal(reqs[0].Body, reqs[1].Body) || env.auth.count() != 2 {
		t.Errorf("requests %d, auth %d", len(reqs), env.auth.count())
	}
}

// A 429 from behind the gateway (ModelArts.6101, or no code at all) has
// reached the service: a POST is not repeated, and the failure says it
// may have been applied. GETs are still retried.
func TestPOSTAnsweredService429NotRetried(t *testing.T) {
	for _, body := range []string{`{"error_code":"ModelArts.6101","error_msg":"System busy."}`, ``} {
		env := newEnv(t, func(w http.ResponseWriter, r *http.Request) { reply(w, 429, body) })
		_, err := env.c.CreateNotebook(t.Context(), model.CreateNotebookRequest{Name: "nb"})
		if !IsThrottled(err) || !IsAmbiguous(err) {
			t.Errorf("body %q: err %v (throttled %v, ambiguous %v)", body, err, IsThrottled(err), IsAmbiguous(err))
		}
		if n := env.rec.count(); n != 1 {
			t.Errorf("body %q: %d requests, want 1", body, n)
		}
	}
}

// closedPort returns an address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

func TestPOSTToClosedPortRetried(t *testing.T) {
	a := &testAuth{}
	clk := newFakeClock()
	c, err := New(Options{Endpoint: "http://" + closedPort(t), ProjectID: testProject, Auth: a,
		RateLimit: rate.Inf, MaxRetries: 2, Sleep: clk.Sleep, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.CreateNotebook(t.Context(), model.CreateNotebookRequest{Name: "nb"})
	if err == nil {
		t.Fatal("no error")
	}
	if !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("err %v does not wrap ECONNREFUSED", err)
	}
	if a.count() != 3 || len(clk.Sleeps()) != 2 {
		t.Errorf("attempts %d, sleeps %v; want 3 attempts", a.count(), clk.Sleeps())
	}
	msg := err.Error()
	if !strings.Contains(msg, "POST /v1/"+testProject+"/notebooks") || !strings.Contains(msg, "3 attempts") {
		t.Errorf("error %q should name method, path and attempt count", msg)
	}
	if strings.Contains(msg, testSecret) {
		t.Error("secret in error")
	}
}

// hangUp reads the request, then closes the connection without answering:
// the request reached the server.
func hangUp(n int) http.HandlerFunc {
	var calls atomic.Int32
	return func(w http.ResponseWriter, r *http.Request) {
		if int(calls.Add(1)) > n {
			reply(w, 200, `{"id":"nb1"}`)
			return
		}
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
	}
}

func TestConnectionDropAfterSend(t *testing.T) {
	t.Run("GET retried", func(t *testing.T) {
		env := newEnv(t, hangUp(1))
		if _, err := env.c.ShowNotebook(t.Context(), "nb1"); err != nil {
			t.Fatal(err)
		}
		if n := env.rec.count(); n != 2 {
			t.Errorf("%d requests, want 2", n)
		}
	})
	t.Run("POST not retried", func(t *testing.T) {
		env := newEnv(t, hangUp(1))
		_, err := env.c.StartNotebook(t.Context(), "nb1", StartOptions{})
		if err == nil {
			t.Fatal("no error")
		}
		if n := env.rec.count(); n != 1 {
			t.Errorf("%d requests, want 1 (the start may have happened)", n)
		}
		if !strings.Contains(err.Error(), "1 attempt") {
			t.Errorf("error %q", err)
		}
	})
}

// A per-attempt timeout on a GET is retried; the first attempt hangs until
// the client gives up on it.
func TestPerAttemptTimeoutRetriedForGET(t *testing.T) {
	var calls atomic.Int32
	env := newEnv(t, func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			<-r.Context().Done()
			return
		}
		reply(w, 200, `{"id":"nb1"}`)
	}, func(o *Options) { o.Timeout = 50 * time.Millisecond })
	if _, err := env.c.ShowNotebook(t.Context(), "nb1"); err != nil {
		t.Fatal(err)
	}
	if n := env.rec.count(); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
}

func TestContextCancellationStopsRetries(t *testing.T) {
	env := newEnv(t, failThenOK(100, 503, nil, `{}`))
	ctx, cancel := context.WithCancel(t.Context())
	env.clock.onSleep = cancel // cancelled while waiting for the first retry
	_, err := env.c.ShowNotebook(ctx, "nb1")
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want context.Canceled", err)
	}
	var ae *APIError
	if !errors.As(err, &ae) || ae.HTTPStatus != 503 {
		t.Errorf("err %v should still carry the last API error", err)
	}
	if n := env.rec.count(); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}

	// Already cancelled: nothing is sent.
	before := env.rec.count()
	if _, err := env.c.ShowNotebook(ctx, "nb1"); !errors.Is(err, context.Canceled) {
		t.Errorf("err %v", err)
	}
	if env.rec.count() != before {
		t.Error("request sent with a cancelled context")
	}
}

func TestRateLimiterShared(t *testing.T) {
	env := newEnv(t, func(w http.ResponseWriter, r *http.Request) { reply(w, 200, `{}`) },
		func(o *Options) { o.RateLimit, o.Burst = 1, 1 })
	ctx := t.Context()
	for range 3 {
		if _, err := env.c.ShowNotebook(ctx, "nb1"); err != nil {
			t.Fatal(err)
		}
	}
	// Burst 1 at 1/s on a frozen clock (Sleep advances it): the 2nd and 3rd
	// calls each wait one second.
	if s := env.clock.Sleeps(); len(s) != 2 || s[0] != time.Second || s[1] != time.Second {
		t.Errorf("sleeps %v, want [1s 1s]", s)
	}
}

func TestResponseSizeLimited(t *testing.T) {
	env := newEnv(t, func(w http.ResponseWriter, r *http.Request) {
		reply(w, 200, `{"id":"`+strings.Repeat("x", 2000)+`"}`)
	})
	env.c.maxBody = 1024
	if _, err := env.c.ShowNotebook(t.Context(), "nb1"); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Fatalf("err %v", err)
	}
	if n := env.rec.count(); n != 1 {
		t.Errorf("%d requests; an oversized answer is not retried", n)
	}
}

func TestClockOffsetFromDateHeader(t *testing.T) {
	clk := newFakeClock()
	ahead := clk.Now().Add(time.Hour)
	env := newEnv(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Date", ahead.Format(http.TimeFormat))
		reply(w, 200, `{}`)
	}, func(o *Options) { o.Now, o.Sleep = clk.Now, clk.Sleep })
	if env.c.ClockKnown() || !env.c.ServerNow().Equal(clk.Now()) {
		t.Error("before any response ServerNow must be the local clock")
	}
	if _, err := env.c.ShowNotebook(t.Context(), "nb1"); err != nil {
		t.Fatal(err)
	}
	got := env.c.ServerNow()
	if got.Before(ahead) || !got.Before(ahead.Add(time.Second)) {
		t.Errorf("ServerNow %v, want within [%v, +1s)", got, ahead)
	}
	clk.Advance(10 * time.Minute)
	if d := env.c.ServerNow().Sub(clk.Now()); d != time.Hour+500*time.Millisecond {
		t.Errorf("offset %v", d)
	}

	// An unparsable Date leaves the offset alone.
	env.rec.h = func(w http.ResponseWriter, r *http.Request) {
		w.Header()["Date"] = []string{"yesterday-ish"}
		reply(w, 200, `{}`)
	}
	if _, err := env.c.ShowNotebook(t.Context(), "nb1"); err != nil {
		t.Fatal(err)
	}
	if d := env.c.ClockOffset(); d != time.Hour+500*time.Millisecond {
		t.Errorf("offset changed to %v by a bad Date", d)
	}
}

// A server whose clock runs 20 times faster (matui sim --speed 20) is
// predicted at that rate, so countdowns tick in its time between polls
// (issue 13 item 13); a real server, with Date's one-second jitter, stays
// at rate 1.
func TestClockFollowsAFastServer(t *testing.T) {
	var sc serverClock
	l0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	s0 := l0.Add(time.Hour)
	date := func(t time.Time) http.Header { return http.Header{"Date": {t.Format(http.TimeFormat)}} }
	sc.observe(date(s0), l0, l0)
	sc.observe(date(s0.Add(20*15*time.Second)), l0.Add(15*time.Second), l0.Add(15*time.Second))
	// One window is not believed; a second that agrees is.
	if got := sc.at(l0.Add(16 * time.Second)).Sub(s0.Add(20*15*time.Second + time.Second + 500*time.Millisecond)); got < -time.Second || got > time.Second {
		t.Errorf("after one window: off by %v, want rate 1 from the last sample", got)
	}
	sc.observe(date(s0.Add(20*30*time.Second)), l0.Add(30*time.Second), l0.Add(30*time.Second))
	got := sc.at(l0.Add(31 * time.Second)).Sub(s0.Add(20*31*time.Second + 500*time.Millisecond))
	if got < -time.Second || got > time.Second {
		t.Errorf("one local second after the last sample: off by %v, want the server's 20 s", got)
	}
	// One odd Date (a proxy's real-time clock) among a simulator's does
	// not make the countdowns race.
	var odd serverClock
	odd.observe(date(s0), l0, l0)
	odd.observe(date(s0.Add(400*24*time.Hour)), l0.Add(15*time.Second), l0.Add(15*time.Second))
	odd.observe(date(s0.Add(30*time.Second)), l0.Add(30*time.Second), l0.Add(30*time.Second))
	if got := odd.at(l0.Add(31 * time.Second)).Sub(s0.Add(31*time.Second + 500*time.Millisecond)); got < -time.Second || got > time.Second {
		t.Errorf("after an odd Date: off by %v", got)
	}
	var real serverClock
	real.observe(date(s0), l0, l0)
	real.observe(date(s0.Add(16*time.Second)), l0.Add(15*time.Second), l0.Add(15*time.Second)) // 1 s of jitter
	if got := real.at(l0.Add(20 * time.Second)).Sub(l0.Add(20 * time.Second)); got != time.Hour+time.Second+500*time.Millisecond {
		t.Errorf("a real server's offset became %v", got)
	}
}

func TestClockUsesMidpointOfRoundTrip(t *testing.T) {
	var sc serverClock
	sent := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	h := http.Header{"Date": {sent.Add(2 * time.Second).Format(http.TimeFormat)}}
	sc.observe(h, sent, sent.Add(4*time.Second)) // midpoint = sent+2s
	if d := time.Duration(sc.offset.Load()); d != 500*time.Millisecond {
		t.Errorf("offset %v, want 500ms", d)
	}
}

func TestLoggerNeverSeesSecrets(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	env := newEnv(t, failThenOK(1, 503, map[string]string{"X-Request-Id": "rid-1"}, `{"token":"tok-secret"}`),
		func(o *Options) { o.Logger = logger })
	if _, err := env.c.CreateNotebook(t.Context(), model.CreateNotebookRequest{Name: "body-secret"}); err == nil {
		t.Fatal("want the 503")
	}
	if _, err := env.c.ShowNotebook(t.Context(), "nb1"); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.Contains(out, "rid-1") || !strings.Contains(out, "status=503") {
		t.Errorf("log lacks request details: %s", out)
	}
	for _, s := range []string{testSecret, "body-secret", "tok-secret"} {
		if strings.Contains(out, s) {
			t.Errorf("log contains %q", s)
		}
	}
}

func TestNewValidatesAndDefaults(t *testing.T) {
	a := &testAuth{}
	for _, o := range []Options{
		{ProjectID: testProject, Auth: a},
		{Endpoint: "ftp://x", ProjectID: testProject, Auth: a},
		{Endpoint: "https://x?q=1", ProjectID: testProject, Auth: a},
		{Endpoint: "https://x", Auth: a},
		{Endpoint: "https://x", ProjectID: "a/b", Auth: a},
		{Endpoint: "https://x", ProjectID: testProject},
	} {
		if _, err := New(o); err == nil {
			t.Errorf("New(%+v) accepted", o)
		}
	}
	c, err := New(Options{Endpoint: "modelarts.eu-de.otc.t-systems.com/", ProjectID: testProject, Auth: a})
	if err != nil {
		t.Fatal(err)
	}
	if c.timeout != DefaultTimeout || c.maxRetries != DefaultMaxRetries || c.limiter.Limit() != DefaultRateLimit ||
		c.limiter.Burst() != DefaultBurst || c.userAgent != "matui/"+Version {
		t.Errorf("defaults %+v", c)
	}
	if got := c.url("/notebooks", nil).String(); got != "https://modelarts.eu-de.otc.t-systems.com/v1/"+testProject+"/notebooks" {
		t.Errorf("url %s", got)
	}
	want := "https://modelarts.eu-de.otc.t-systems.com · project 0123…cdef · test (AKTE…0000)"
	if got := c.Describe(); got != want {
		t.Errorf("Describe %q, want %q", got, want)
	}
	if c2, _ := New(Options{Endpoint: "https://x", ProjectID: testProject, Auth: a, MaxRetries: -1}); c2.maxRetries != 0 {
		t.Errorf("MaxRetries -1 → %d", c2.maxRetries)
	}
}

// A redirect is not followed (it would carry credentials elsewhere); it
// becomes an APIError.
func TestRedirectNotFollowed(t *testing.T) {
	var other atomic.Int32
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { other.Add(1) }))
	t.Cleanup(elsewhere.Close)
	env := newEnv(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, elsewhere.URL+"/login", http.StatusFound)
	}, func(o *Options) { o.HTTPClient = &http.Client{} })
	_, err := env.c.ShowNotebook(t.Context(), "nb1")
	var ae *APIError
	if !errors.As(err, &ae) || ae.HTTPStatus != http.StatusFound {
		t.Fatalf("err %v", err)
	}
	if other.Load() != 0 {
		t.Error("redirect followed")
	}
}

// Many goroutines share one Client (limiter, clock, flavor cache); run with
// -race.
func TestConcurrentUse(t *testing.T) {
	ds := &dashServer{gen1Status: 200, gen1Body: `{"instances":[],"total_count":0}`}
	env := newEnv(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Date", time.Now().UTC().Format(http.TimeFormat))
		ds.handler(w, r)
	}, func(o *Options) { o.RateLimit, o.Burst = 1000, 5 })
	done := make(chan error, 16)
	for range 16 {
		go func() {
			_, err := env.c.ListInstances(t.Context())
			_ = env.c.ServerNow()
			done <- err
		}()
	}
	for range 16 {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
	if n := ds.flavorCalls.Load(); n != 1 {
		t.Errorf("flavor catalog fetched %d times", n)
	}
}

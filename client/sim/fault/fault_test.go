package fault

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestParseValid(t *testing.T) {
	got, err := Parse("notebooks.list:latency=300ms,jitter=200ms;*:5xx=0.05;notebooks.start:429=0.3,retry-after=2s; dev.*: hang=0.01 , malformed=1 ;")
	if err != nil {
		t.Fatal(err)
	}
	want := []Rule{
		{Route: "notebooks.list", Latency: 300 * time.Millisecond, Jitter: 200 * time.Millisecond},
		{Route: "*", Error5xx: 0.05},
		{Route: "notebooks.start", Throttle: 0.3, RetryAfter: 2 * time.Second},
		{Route: "dev.*", Hang: 0.01, Malformed: 1},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Parse:\n got %+v\nwant %+v", got, want)
	}
	for _, r := range got {
		if err := r.Validate(); err != nil {
			t.Errorf("Validate(%v) = %v", r, err)
		}
		back, err := Parse(r.String())
		if err != nil || len(back) != 1 || back[0] != r {
			t.Errorf("round trip of %q: %+v, %v", r.String(), back, err)
		}
	}
	if rs, err := Parse("  "); err != nil || rs != nil {
		t.Errorf("Parse(blank) = %v, %v; want nil, nil", rs, err)
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ spec, want string }{
		{"notebooks.list", "ROUTE:key=value"},
		{"notebooks.lst:latency=1s", `unknown route "notebooks.lst"`},
		{"foo.*:latency=1s", `unknown route "foo.*"`},
		{":latency=1s", "empty route"},
		{"*:speed=1", `unknown key "speed"`},
		{"*:latency", "want key=value"},
		{"*:latency=", "want key=value"},
		{"*:latency=fast", "latency"},
		{"*:latency=-1s", "negative duration"},
		{"*:jitter=-1ms", "negative duration"},
		{"*:retry-after=x", "retry-after"},
		{"*:5xx=1.5", "outside 0–1"},
		{"*:429=-0.1", "outside 0–1"},
		{"*:hang=NaN", "outside 0–1"},
		{"*:malformed=lots", "not a number"},
		{"*:5xx=0.1,5xx=0.2", "given twice"},
		{"*:", "no faults"},
		{"*:5xx=0.1;bogus:hang=1", "rule 2"},
	} {
		_, err := Parse(tc.spec)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Parse(%q) error = %v; want it to mention %q", tc.spec, err, tc.want)
		}
	}
}

func TestValidate(t *testing.T) {
	for _, r := range []Rule{
		{Route: "nope"},
		{Route: "*", Error5xx: 2},
		{Route: "*", Latency: -time.Second},
	} {
		if r.Validate() == nil {
			t.Errorf("Validate(%+v) = nil", r)
		}
	}
}

func TestRoute(t *testing.T) {
	const p = "/v1/0123456789abcdef0123456789abcdef"
	for _, tc := range []struct{ method, path, want string }{
		{"GET", p + "/notebooks", "notebooks.list"},
		{"GET", p + "/notebooks/", "notebooks.list"},
		{"GET", p + "/notebooks/all", "notebooks.list"},
		{"POST", p + "/notebooks", "notebooks.create"},
		{"GET", p + "/notebooks/nb1", "notebooks.show"},
		{"PUT", p + "/notebooks/nb1", "notebooks.update"},
		{"DELETE", p + "/notebooks/nb1", "notebooks.delete"},
		{"POST", p + "/notebooks/nb1/start", "notebooks.start"},
		{"POST", p + "/notebooks/nb1/stop", "notebooks.stop"},
		{"GET", p + "/notebooks/nb1/lease", "notebooks.lease"},
		{"PATCH", p + "/notebooks/nb1/lease", "notebooks.lease"},
		{"GET", p + "/notebooks/flavors", "notebooks.flavors"},
		{"GET", p + "/notebooks/nb1/flavors", "notebooks.switchable"},
		{"POST", p + "/notebooks/open", "notebooks.open"},
		{"GET", p + "/images", "images.list"},
		{"GET", p + "/images/img1", "images.show"},
		{"POST", p + "/notebooks/nb1/create-image", "images.save"},
		{"GET", p + "/notebooks/nb1/storage", "storage.list"},
		{"POST", p + "/notebooks/nb1/storage", "storage.attach"},
		{"GET", p + "/notebooks/nb1/storage/st1", "storage.show"},
		{"DELETE", p + "/notebooks/nb1/storage/st1", "storage.detach"},
		{"GET", p + "/notebooks/tags", "tags.list"},
		{"POST", p + "/notebooks/nb1/tags/create", "tags.create"},
		{"DELETE", p + "/notebooks/nb1/tags/delete", "tags.delete"},
		{"GET", p + "/authoring/clusters", "pools.list"},
		{"GET", p + "/authoring/clusters/pool-1", "pools.show"},
		{"GET", p + "/demanager/instances", "dev.list"},
		{"POST", p + "/demanager/instances", "dev.create"},
		{"GET", p + "/demanager/instances/DE-1", "dev.get"},
		{"PUT", p + "/demanager/instances/DE-1", "dev.modify"},
		{"DELETE", p + "/demanager/instances/DE-1", "dev.delete"},
		{"POST", p + "/demanager/instances/DE-1/action", "dev.action"},
		{"POST", "/v3/auth/tokens", "iam.tokens"},
		// Fixed path elements are not instance ids.
		{"DELETE", p + "/notebooks/flavors", "other"},
		{"PUT", p + "/notebooks/open", "other"},
		{"GET", p + "/notebooks/open", "other"},
		{"DELETE", p + "/notebooks/all", "other"},
		{"POST", p + "/notebooks/tags", "other"},
		// Wrong methods and unknown paths.
		{"DELETE", p + "/notebooks", "other"},
		{"GET", p + "/notebooks/nb1/start", "other"},
		{"POST", p + "/notebooks/nb1/lease", "other"},
		{"GET", p + "/notebooks/nb1/create-image", "other"},
		{"POST", p + "/images", "other"},
		{"DELETE", p + "/images/img1", "other"},
		{"PUT", p + "/notebooks/nb1/storage", "other"},
		{"POST", p + "/notebooks/nb1/storage/st1", "other"},
		{"GET", p + "/notebooks/nb1/tags/create", "other"},
		{"POST", p + "/notebooks/nb1/tags/delete", "other"},
		{"POST", p + "/authoring/clusters", "other"},
		{"GET", p + "/authoring/features/NOTEBOOK", "other"},
		{"GET", p + "/demanager/instances/DE-1/action", "other"},
		{"GET", p + "/demanager/instances/DE-1/token", "other"},
		{"GET", p + "/demanager", "other"},
		{"GET", "/v3/auth/tokens", "other"},
		{"GET", "/", "other"},
		{"GET", "/v1", "other"},
		{"GET", "/v1//notebooks", "other"},
		{"GET", "/v2/p/notebooks", "other"},
	} {
		r := httptest.NewRequest(tc.method, tc.path, nil)
		if got := Route(r); got != tc.want {
			t.Errorf("Route(%s %s) = %q; want %q", tc.method, tc.path, got, tc.want)
		}
	}
	// Every key Routes lists is valid in a rule.
	for _, k := range Routes() {
		if _, err := Parse(k + ":hang=0.5"); err != nil {
			t.Errorf("Parse with route %q: %v", k, err)
		}
	}
}

// okHandler is the wrapped "simulator": it counts calls and answers {}.
type okHandler struct{ calls atomic.Int64 }

func (h *okHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.calls.Add(1)
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(`{"ok":true}`))
}

func serve(h http.Handler, method, path string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(method, path, nil))
	return rec
}

const listPath = "/v1/p/notebooks"

func TestThrottle(t *testing.T) {
	next := &okHandler{}
	in := New([]Rule{{Route: "notebooks.list", Throttle: 1, RetryAfter: 1500 * time.Millisecond}}, 1)
	rec := serve(in.Wrap(next), "GET", listPath)
	if rec.Code != http.StatusTooManyRequests {
		t.Fatalf("status %d; want 429", rec.Code)
	}
	if got := rec.Header().Get("Retry-After"); got != "2" {
		t.Errorf("Retry-After %q; want 2 (1.5s rounded up)", got)
	}
	var body struct {
		Code      string `json:"error_code"`
		Msg       string `json:"error_msg"`
		RequestID string `json:"request_id"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatalf("429 body %q: %v", rec.Body, err)
	}
	if body.Code != "ModelArts.6101" || body.Msg == "" || body.RequestID != rec.Header().Get("X-Request-Id") || body.RequestID == "" {
		t.Errorf("429 body %+v, X-Request-Id %q", body, rec.Header().Get("X-Request-Id"))
	}
	if rec.Header().Get("Content-Type") != "application/json" {
		t.Errorf("Content-Type %q", rec.Header().Get("Content-Type"))
	}
	if next.calls.Load() != 0 {
		t.Error("an injected 429 reached the simulator")
	}
	// Default Retry-After is 1s; other routes are untouched.
	in.Set([]Rule{{Route: "notebooks.*", Throttle: 1}})
	if got := serve(in.Wrap(next), "POST", "/v1/p/notebooks/x/start").Header().Get("Retry-After"); got != "1" {
		t.Errorf("default Retry-After %q; want 1", got)
	}
	if rec := serve(in.Wrap(next), "GET", "/v1/p/images"); rec.Code != 200 || next.calls.Load() != 1 {
		t.Errorf("images.list: status %d, calls %d", rec.Code, next.calls.Load())
	}
}

func TestServerError(t *testing.T) {
	next := &okHandler{}
	in := New([]Rule{{Route: "*", Error5xx: 1}}, 7)
	seen := map[int]bool{}
	for range 60 {
		rec := serve(in.Wrap(next), "GET", listPath)
		switch rec.Code {
		case 500, 502, 503:
			seen[rec.Code] = true
		default:
			t.Fatalf("status %d; want 500/502/503", rec.Code)
		}
		var body map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || body["error_code"] != "ModelArts.6102" {
			t.Fatalf("5xx body %q: %v", rec.Body, err)
		}
	}
	if len(seen) != 3 {
		t.Errorf("60 server errors used only %v", seen)
	}
	if next.calls.Load() != 0 {
		t.Error("an injected 5xx reached the simulator")
	}
}

func TestMalformed(t *testing.T) {
	in := New([]Rule{{Route: "images.list", Malformed: 1}}, 1)
	rec := serve(in.Wrap(&okHandler{}), "GET", "/v1/p/images")
	if rec.Code != 200 {
		t.Fatalf("status %d", rec.Code)
	}
	var v any
	if err := json.Unmarshal(rec.Body.Bytes(), &v); err == nil {
		t.Fatalf("malformed body %q decoded fine", rec.Body)
	}
}

func TestHangReturnsOnCancel(t *testing.T) {
	next := &okHandler{}
	in := New([]Rule{{Route: "*", Hang: 1}}, 1)
	ctx, cancel := context.WithCancel(context.Background())
	req := httptest.NewRequest("GET", listPath, nil).WithContext(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		in.Wrap(next).ServeHTTP(httptest.NewRecorder(), req)
	}()
	select {
	case <-done:
		t.Fatal("hang returned before the client gave up")
	default:
	}
	cancel()
	<-done // would block forever (test timeout) if the hang ignored ctx
	if next.calls.Load() != 0 {
		t.Error("a hung request reached the simulator")
	}
}

// TestHangOverHTTP checks the real path: a client timeout closes the
// connection and the server handler returns.
func TestHangOverHTTP(t *testing.T) {
	in := New([]Rule{{Route: "*", Hang: 1}}, 1)
	started, returned := make(chan struct{}), make(chan struct{})
	inner := in.Wrap(&okHandler{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer close(returned)
		close(started)
		inner.ServeHTTP(w, r)
	}))
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+listPath, nil)
	errc := make(chan error, 1)
	go func() {
		resp, err := srv.Client().Do(req)
		if err == nil {
			resp.Body.Close()
		}
		errc <- err
	}()
	<-started // cancelling earlier would abort the dial, not the hang
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Errorf("client error %v; want context.Canceled", err)
	}
	<-returned
}

func TestLatencyUsesInjectedSleep(t *testing.T) {
	var mu sync.Mutex
	var slept []time.Duration
	in := New([]Rule{{Route: "notebooks.list", Latency: 200 * time.Millisecond, Jitter: 100 * time.Millisecond}}, 3)
	in.SetSleep(func(ctx context.Context, d time.Duration) {
		mu.Lock()
		slept = append(slept, d)
		mu.Unlock()
	})
	next := &okHandler{}
	h := in.Wrap(next)
	for range 200 {
		if rec := serve(h, "GET", listPath); rec.Code != 200 {
			t.Fatalf("status %d", rec.Code)
		}
	}
	serve(h, "GET", "/v1/p/images") // no rule: no sleep
	if len(slept) != 200 || next.calls.Load() != 201 {
		t.Fatalf("%d sleeps, %d calls; want 200, 201", len(slept), next.calls.Load())
	}
	lo, hi := slept[0], slept[0]
	for _, d := range slept {
		if d < 200*time.Millisecond || d > 300*time.Millisecond {
			t.Fatalf("slept %v; want within [200ms, 300ms]", d)
		}
		lo, hi = min(lo, d), max(hi, d)
	}
	if hi-lo < 50*time.Millisecond {
		t.Errorf("jitter barely varies: %v..%v", lo, hi)
	}
}

func TestLatencyCancelledSkipsHandler(t *testing.T) {
	in := New([]Rule{{Route: "*", Latency: time.Hour}}, 1)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	next := &okHandler{}
	// Real sleep: must return at once because ctx is already done.
	in.Wrap(next).ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", listPath, nil).WithContext(ctx))
	if next.calls.Load() != 0 {
		t.Error("handler ran after the client gave up during latency")
	}
}

func TestProbabilityZeroAndOneExact(t *testing.T) {
	next := &okHandler{}
	in := New([]Rule{{Route: "*", Error5xx: 0, Throttle: 1}}, 99)
	for range 500 {
		if rec := serve(in.Wrap(next), "GET", listPath); rec.Code != 429 {
			t.Fatalf("429=1 gave %d", rec.Code)
		}
	}
	in.Set([]Rule{{Route: "*", Latency: time.Nanosecond}}) // all probabilities 0
	in.SetSleep(func(context.Context, time.Duration) {})
	for range 500 {
		if rec := serve(in.Wrap(next), "GET", listPath); rec.Code != 200 {
			t.Fatalf("no probabilities gave %d", rec.Code)
		}
	}
}

func TestMergeSpecificity(t *testing.T) {
	rules := []Rule{
		{Route: "notebooks.list", Latency: 300 * time.Millisecond},
		{Route: "*", Latency: 50 * time.Millisecond, Error5xx: 0.1},
		{Route: "notebooks.*", Throttle: 0.2},
		{Route: "*", Error5xx: 0.05}, // later, same specificity: wins over 0.1
	}
	got, ok := merge(rules, "notebooks.list")
	want := Rule{Route: "notebooks.list", Latency: 300 * time.Millisecond, Error5xx: 0.05, Throttle: 0.2}
	if !ok || got != want {
		t.Errorf("merge = %+v, %v; want %+v", got, ok, want)
	}
	got, _ = merge(rules, "dev.list")
	if got.Latency != 50*time.Millisecond || got.Throttle != 0 {
		t.Errorf("merge for dev.list = %+v", got)
	}
	if _, ok := merge(rules[:1], "dev.list"); ok {
		t.Error("non-matching rule matched")
	}
}

func TestProbabilitiesRoughly(t *testing.T) {
	in := New([]Rule{{Route: "*", Error5xx: 0.25, Throttle: 0.25}}, 5)
	h := in.Wrap(&okHandler{})
	counts := map[int]int{}
	const n = 4000
	for range n {
		c := serve(h, "GET", listPath).Code
		if c >= 500 {
			c = 500
		}
		counts[c]++
	}
	for code, want := range map[int]int{200: n / 2, 500: n / 4, 429: n / 4} {
		if got := counts[code]; got < want*8/10 || got > want*12/10 {
			t.Errorf("%d: %d of %d; want about %d", code, got, n, want)
		}
	}
}

func TestDeterministicForSeed(t *testing.T) {
	run := func(seed int64) []int {
		in := New([]Rule{{Route: "*", Error5xx: 0.3, Throttle: 0.3, Malformed: 0.1}}, seed)
		h := in.Wrap(&okHandler{})
		var codes []int
		for range 100 {
			rec := serve(h, "GET", listPath)
			code := rec.Code
			if code == 200 && !json.Valid(rec.Body.Bytes()) {
				code = -1
			}
			codes = append(codes, code)
		}
		return codes
	}
	a, b, c := run(42), run(42), run(43)
	if !reflect.DeepEqual(a, b) {
		t.Error("same seed, different faults")
	}
	if reflect.DeepEqual(a, c) {
		t.Error("different seeds, identical faults")
	}
}

func TestSetConcurrent(t *testing.T) {
	in := New(nil, 1)
	in.SetSleep(func(context.Context, time.Duration) {})
	h := in.Wrap(&okHandler{})
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				rec := serve(h, "GET", listPath)
				if rec.Code != 200 && rec.Code != 429 && rec.Code != 503 && rec.Code != 500 && rec.Code != 502 {
					t.Errorf("worker %d: status %d", i, rec.Code)
					return
				}
			}
		}()
	}
	for i := range 200 {
		if i%2 == 0 {
			in.Set([]Rule{{Route: "*", Throttle: 1, Latency: time.Millisecond, Jitter: time.Millisecond}})
		} else {
			in.Set([]Rule{{Route: "notebooks.list", Error5xx: 0.5}})
		}
		_ = in.Rules()
	}
	close(stop)
	wg.Wait()
	// After the last Set, the rules are exactly that.
	in.Set([]Rule{{Route: "*", Throttle: 1}})
	if rec := serve(h, "GET", listPath); rec.Code != 429 {
		t.Errorf("after Set: status %d; want 429", rec.Code)
	}
	in.Set(nil)
	if rec := serve(h, "GET", listPath); rec.Code != 200 {
		t.Errorf("after Set(nil): status %d; want 200", rec.Code)
	}
}

func TestSetCopiesRules(t *testing.T) {
	rules := []Rule{{Route: "*", Throttle: 1}}
	in := New(rules, 1)
	rules[0].Throttle = 0 // the caller's slice must not alias the injector's
	if rec := serve(in.Wrap(&okHandler{}), "GET", listPath); rec.Code != 429 {
		t.Errorf("status %d; want 429", rec.Code)
	}
}

func TestFailsDrawsOnlyForAsyncRoutesWithAFailRule(t *testing.T) {
	req := func(method, path string) *http.Request { return httptest.NewRequest(method, "/v1/p"+path, nil) }
	attach, detach, list := req("POST", "/notebooks/nb/storage"), req("DELETE", "/notebooks/nb/storage/s"), req("GET", "/notebooks")

	in := New([]Rule{{Route: "storage.attach", Fail: 1}, {Route: "*", Fail: 1}}, 3)
	if !in.Fails(attach) || !in.Fails(detach) {
		t.Fatal("fail=1 must always fail an attach and a detach")
	}
	if in.Fails(list) {
		t.Fatal("a list has no asynchronous outcome")
	}
	in.Set([]Rule{{Route: "storage.*", Error5xx: 1}})
	if in.Fails(attach) {
		t.Fatal("without a fail rule nothing fails")
	}
	// fail is independent of the HTTP outcome: the request itself passes.
	in.Set([]Rule{{Route: "storage.attach", Fail: 1}})
	var h okHandler
	if rec := serve(in.Wrap(&h), "POST", "/v1/p/notebooks/nb/storage"); rec.Code != http.StatusOK || h.calls.Load() != 1 {
		t.Fatalf("a fail rule must not change the answer: %d", rec.Code)
	}

	// A fail rule on one route does not shift the draws another route sees.
	seq := func(rules []Rule) []bool {
		in := New(rules, 9)
		var got []bool
		for range 20 {
			p := in.decide(RouteNotebooksList)
			got = append(got, p.outcome == serverError)
			in.Fails(list) // never draws
		}
		return got
	}
	base := []Rule{{Route: "notebooks.list", Error5xx: 0.5}}
	if a, b := seq(base), seq(append(base, Rule{Route: "storage.attach", Fail: 0.5})); fmt.Sprint(a) != fmt.Sprint(b) {
		t.Fatalf("a fail rule shifted another route's faults:\n%v\n%v", a, b)
	}

	// Half the attaches fail with fail=0.5, give or take.
	in = New([]Rule{{Route: "storage.attach", Fail: 0.5}}, 1)
	n := 0
	for range 1000 {
		if in.Fails(attach) {
			n++
		}
	}
	if n < 400 || n > 600 {
		t.Fatalf("fail=0.5 failed %d of 1000", n)
	}
}

func TestParseFail(t *testing.T) {
	rules, err := Parse("storage.*:fail=0.25;images.save:fail=1,latency=1s")
	if err != nil || len(rules) != 2 || rules[0].Fail != 0.25 || rules[1].Fail != 1 || rules[1].Latency != time.Second {
		t.Fatalf("%+v %v", rules, err)
	}
	for _, r := range rules {
		back, err := Parse(r.String())
		if err != nil || back[0] != r {
			t.Errorf("round trip of %+v: %+v %v", r, back, err)
		}
	}
	if _, err := Parse("storage.attach:fail=1.5"); err == nil {
		t.Error("fail above 1 must be refused")
	}
	if err := (Rule{Route: "storage.attach", Fail: -1}).Validate(); err == nil {
		t.Error("negative fail must be refused")
	}
}

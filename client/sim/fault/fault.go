// Package fault injects failures into the embedded ModelArts simulator so
// that matui's retry, timeout and error paths can be exercised in tests and
// shown in demos. An Injector is HTTP middleware: it classifies each request
// into a route key (see Route), looks up the rules that apply and, depending
// on a seeded random draw, delays the request, answers it with an error or a
// broken body, or holds it until the client gives up.
//
// # Spec syntax (the `matui sim --faults` flag)
//
// Rules are separated by ";", each is ROUTE:key=value,key=value:
//
//	notebooks.list:latency=300ms,jitter=200ms;*:5xx=0.05;notebooks.start:429=0.3,retry-after=2s
//
// ROUTE is a route key (notebooks.list, notebooks.show, notebooks.create,
// notebooks.update, notebooks.delete, notebooks.start, notebooks.stop,
// notebooks.lease, notebooks.flavors, notebooks.switchable, notebooks.open,
// images.list, images.show, images.save, storage.list, storage.attach,
// storage.show, storage.detach, tags.list, tags.create, tags.delete,
// pools.list, pools.show, dev.list, dev.get, dev.create, dev.modify,
// dev.delete, dev.action, iam.tokens, other), a family such as notebooks.*
// or storage.*, or * for everything. Keys:
//
//	latency=200ms   delay every matching request by this much …
//	jitter=100ms    … plus a uniform random extra in [0, jitter]
//	5xx=0.1         probability of a server error: 500, 502 or 503, chosen
//	                uniformly, with a ModelArts.6102 JSON body
//	429=0.2         probability of 429 with a ModelArts.6101 body and Retry-After
//	retry-after=2s  the Retry-After of those 429s, in whole seconds rounded up
//	                (default 1s)
//	hang=0.01       probability that the request never gets an answer: it is
//	                held until the client cancels or disconnects
//	malformed=0.05  probability of 200 with a truncated JSON body
//	fail=0.3        probability that an accepted asynchronous operation
//	                later ends in its failure state instead of succeeding:
//	                storage.attach → MOUNT_FAILED, storage.detach →
//	                UNMOUNT_FAILED, images.save → image CREATE_FAILED,
//	                notebooks.create → CREATE_FAILED, notebooks.start →
//	                START_FAILED (other routes ignore it)
//
// Durations use Go syntax (300ms, 2s, 1m); probabilities are numbers in
// [0, 1]. Unknown routes and keys, repeated keys and out-of-range values are
// errors.
//
// # How rules combine
//
// Several rules may match one request. They are merged field by field: the
// most specific rule that sets a field wins (exact key over family.* over *,
// and among equally specific rules the later one). A value of 0 counts as
// not set, so it cannot switch off a fault a wider rule enables.
//
// Latency is applied first, to every matching request. Then one uniform draw
// u in [0, 1) picks at most one outcome, in the order hang, 5xx, 429,
// malformed: u < hang hangs, u < hang+5xx fails, and so on. Each outcome
// therefore happens with exactly its probability when they add up to at
// most 1 (0 never fires, 1 always does); beyond 1 the later ones get what is
// left. Injected responses never reach the simulator, so an injected error
// has no side effect.
//
// The random source is a PCG seeded by New, shared by all requests behind a
// mutex: a sequence of requests made one after another sees the same faults
// for the same seed.
package fault

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"math"
	mrand "math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Rule is one fault rule. Probabilities are in [0, 1]; see the package
// comment for how several matching rules combine.
type Rule struct {
	Route      string        // route key, "family.*" or "*"
	Latency    time.Duration // added to every matching request
	Jitter     time.Duration // plus uniform [0, Jitter]
	Error5xx   float64       // probability of 500/502/503
	Throttle   float64       // probability of 429
	RetryAfter time.Duration // Retry-After of the 429s; 0 means 1s
	Hang       float64       // probability of holding the request until the client gives up
	Malformed  float64       // probability of 200 with invalid JSON
	Fail       float64       // probability that an accepted asynchronous operation ends failed (see Fails)
}

// SleepFunc waits for d or until ctx is done, whichever comes first. Tests
// inject one that records d and returns at once.
type SleepFunc func(ctx context.Context, d time.Duration)

// Injector is fault-injecting middleware. Its methods are safe for
// concurrent use.
type Injector struct {
	mu    sync.Mutex
	rules []Rule
	rng   *mrand.Rand // guarded by mu: *rand.Rand is not goroutine-safe
	sleep SleepFunc
}

// New returns an Injector with the given rules and a random source seeded
// with seed. Rules are not validated here (Parse and Rule.Validate do that);
// out-of-range probabilities behave as if clamped to [0, 1].
func New(rules []Rule, seed int64) *Injector {
	return &Injector{
		rules: cloneRules(rules),
		rng:   mrand.New(mrand.NewPCG(uint64(seed), 0x6d617475692d6661)), // "matui-fa"
		sleep: sleepCtx,
	}
}

// SetSleep replaces the function used to apply latency; nil restores the
// real, context-aware sleep.
func (in *Injector) SetSleep(fn SleepFunc) {
	if fn == nil {
		fn = sleepCtx
	}
	in.mu.Lock()
	in.sleep = fn
	in.mu.Unlock()
}

// Set replaces the rules while requests are in flight. Requests already past
// their draw keep the fault they got.
func (in *Injector) Set(rules []Rule) {
	c := cloneRules(rules)
	in.mu.Lock()
	in.rules = c
	in.mu.Unlock()
}

// Rules returns a copy of the current rules.
func (in *Injector) Rules() []Rule {
	in.mu.Lock()
	defer in.mu.Unlock()
	return cloneRules(in.rules)
}

func cloneRules(rules []Rule) []Rule {
	if len(rules) == 0 {
		return nil
	}
	return append([]Rule(nil), rules...)
}

func sleepCtx(ctx context.Context, d time.Duration) {
	if d <= 0 {
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}

// outcome is what the draw decided for one request.
type outcome int

const (
	pass outcome = iota
	hang
	serverError
	throttle
	malformed
)

// plan is the decision for one request, made under the mutex so that the
// random stream is consumed in a well-defined order.
type plan struct {
	delay      time.Duration
	outcome    outcome
	status     int // for serverError
	retryAfter time.Duration
	sleep      SleepFunc
}

// merge folds the rules matching key into one, most specific last so that
// it overrides; see the package comment.
func merge(rules []Rule, key string) (Rule, bool) {
	var (
		out   Rule
		found bool
	)
	for spec := 0; spec <= 2; spec++ {
		for _, r := range rules {
			s, ok := matches(r.Route, key)
			if !ok || s != spec {
				continue
			}
			found = true
			if r.Latency > 0 {
				out.Latency = r.Latency
			}
			if r.Jitter > 0 {
				out.Jitter = r.Jitter
			}
			if r.Error5xx > 0 {
				out.Error5xx = r.Error5xx
			}
			if r.Throttle > 0 {
				out.Throttle = r.Throttle
			}
			if r.RetryAfter > 0 {
				out.RetryAfter = r.RetryAfter
			}
			if r.Hang > 0 {
				out.Hang = r.Hang
			}
			if r.Malformed > 0 {
				out.Malformed = r.Malformed
			}
			if r.Fail > 0 {
				out.Fail = r.Fail
			}
		}
	}
	out.Route = key
	return out, found
}

func (in *Injector) decide(key string) plan {
	in.mu.Lock()
	defer in.mu.Unlock()
	p := plan{sleep: in.sleep}
	r, ok := merge(in.rules, key)
	if !ok {
		return p
	}
	p.delay = r.Latency
	if r.Jitter > 0 {
		p.delay += time.Duration(in.rng.Int64N(int64(r.Jitter) + 1))
	}
	p.retryAfter = r.RetryAfter
	if p.retryAfter <= 0 {
		p.retryAfter = time.Second
	}
	if r.Hang <= 0 && r.Error5xx <= 0 && r.Throttle <= 0 && r.Malformed <= 0 {
		return p
	}
	u := in.rng.Float64() // [0, 1): u < 1 always holds, u < 0 never
	cum := 0.0
	for _, c := range []struct {
		p float64
		o outcome
	}{{r.Hang, hang}, {r.Error5xx, serverError}, {r.Throttle, throttle}, {r.Malformed, malformed}} {
		if math.IsNaN(c.p) || c.p <= 0 {
			continue
		}
		cum += c.p
		if u < cum {
			p.outcome = c.o
			break
		}
	}
	if p.outcome == serverError {
		p.status = [...]int{http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable}[in.rng.IntN(3)]
	}
	return p
}

// isAsync reports the operations whose later outcome Fails decides.
func isAsync(route string) bool {
	switch route {
	case RouteStorageAttach, RouteStorageDetach, RouteImagesSave, RouteNotebooksCreate, RouteNotebooksStart:
		return true
	}
	return false
}

// Fails reports whether the asynchronous operation r starts should end in
// its failure state, by a draw against the fail probability of the rules
// matching r's route. Routes without an asynchronous outcome, and requests
// no fail rule matches, never fail and consume no randomness.
func (in *Injector) Fails(r *http.Request) bool {
	key := Route(r)
	if !isAsync(key) {
		return false
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	rule, ok := merge(in.rules, key)
	if !ok || math.IsNaN(rule.Fail) || rule.Fail <= 0 {
		return false
	}
	return in.rng.Float64() < rule.Fail
}

// Wrap returns next behind the injector.
func (in *Injector) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := in.decide(Route(r))
		ctx := r.Context()
		if p.delay > 0 {
			p.sleep(ctx, p.delay)
			if ctx.Err() != nil {
				return // the client gave up while we were slow; nobody reads an answer
			}
		}
		switch p.outcome {
		case hang:
			// Hold the handler goroutine (not a new one) until the
			// client cancels or the server shuts the connection down,
			// both of which cancel ctx, so nothing leaks.
			<-ctx.Done()
		case serverError:
			writeJSON(w, p.status, fmt.Sprintf(
				`{"error_code":"ModelArts.6102","error_msg":"Internal server error (%d, injected fault).","request_id":"%s"}`,
				p.status, requestID(w)))
		case throttle:
			secs := int64(math.Ceil(p.retryAfter.Seconds()))
			w.Header().Set("Retry-After", strconv.FormatInt(secs, 10))
			writeJSON(w, http.StatusTooManyRequests, fmt.Sprintf(
				`{"error_code":"ModelArts.6101","error_msg":"The system is busy. Please try again later (injected fault).","request_id":"%s"}`,
				requestID(w)))
		case malformed:
			// Looks like the start of a real list response, cut off
			// mid-string, so decoders fail with "unexpected EOF" as they
			// would on a dropped connection.
			requestID(w)
			writeJSON(w, http.StatusOK, `{"current":0,"data":[{"id":"f9937afa-4451-42db-a76b-72d6247`)
		default:
			next.ServeHTTP(w, r)
		}
	})
}

// requestID sets an X-Request-Id header like the real service's and returns
// it. Random rather than drawn from the seeded source so that it does not
// shift the fault sequence.
func requestID(w http.ResponseWriter) string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	id := hex.EncodeToString(b[:])
	w.Header().Set("X-Request-Id", id)
	return id
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}

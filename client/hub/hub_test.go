package hub

import (
	"context"
	"errors"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"matui/client/sim"
	"matui/model"
)

// fakeLister is an upstream that counts lists; when gate is set,
// ListInstances waits on it.
type fakeLister struct {
	mu    sync.Mutex
	items []model.Instance
	lists int
	gate  chan struct{}
	err   error // returned instead of the items when set
}

func (f *fakeLister) ListInstances(ctx context.Context) ([]model.Instance, error) {
	f.mu.Lock()
	f.lists++
	gate := f.gate
	f.mu.Unlock()
	if gate != nil {
		select {
		case <-gate:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return nil, f.err
	}
	return slices.Clone(f.items), nil
}

func (f *fakeLister) listCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.lists
}

func newFake() *fakeLister {
	return &fakeLister{items: []model.Instance{
		{ID: "i-1", Name: "alpha", Status: "RUNNING"},
		{ID: "i-2", Name: "beta", Status: "STOPPED"},
	}}
}

// waitFor polls cond; the generous deadline only turns a hang into a
// failure, it does not time anything.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

func (h *Hub) waiters() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.waiting
}

// 20 sessions hammering List cost one upstream call per MinAge window —
// the same as one session polling at PollFast.
func TestConcurrentSessionsShareOneUpstreamList(t *testing.T) {
	up := newFake()
	clk := sim.NewManualClock(time.Unix(1000, 0))
	h := New(up, Options{MinAge: 2 * time.Second, Now: clk.Now})
	defer h.Close()
	round := func() {
		var wg sync.WaitGroup
		for range 20 {
			wg.Go(func() {
				r := h.NewReader()
				for range 50 {
					items, err := r.List(context.Background())
					if err != nil || len(items) != 2 {
						t.Errorf("list: %v, %d items", err, len(items))
						return
					}
				}
			})
		}
		wg.Wait()
	}
	round()
	if n := up.listCount(); n != 1 {
		t.Fatalf("upstream lists after one window = %d, want 1", n)
	}
	clk.Advance(2 * time.Second)
	round()
	if n := up.listCount(); n != 2 {
		t.Fatalf("upstream lists after two windows = %d, want 2", n)
	}
	if got := h.Stats().UpstreamLists; got != 2 {
		t.Fatalf("Stats().UpstreamLists = %d, want 2", got)
	}
}

// With the real clock, the bound holds by construction: a fetch starts only
// when the last answer is at least MinAge old, so n ≤ elapsed/MinAge + 1.
func TestRealClockUpstreamBound(t *testing.T) {
	up := newFake()
	const minAge = 20 * time.Millisecond
	h := New(up, Options{MinAge: minAge})
	defer h.Close()
	start := time.Now()
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := h.List(context.Background()); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	time.Sleep(200 * time.Millisecond)
	close(stop)
	wg.Wait()
	elapsed := time.Since(start)
	limit := int(elapsed/minAge) + 1
	if n := up.listCount(); n > limit || n < 1 {
		t.Fatalf("upstream lists = %d over %v, want 1..%d", n, elapsed, limit)
	}
}

// Callers arriving while a list is in flight join it.
func TestListsCoalesce(t *testing.T) {
	up := newFake()
	up.gate = make(chan struct{})
	h := New(up, Options{MinAge: time.Hour})
	defer h.Close()
	results := make(chan error, 20)
	for range 20 {
		go func() {
			items, err := h.List(context.Background())
			if err == nil && len(items) != 2 {
				err = errors.New("wrong items")
			}
			results <- err
		}()
	}
	waitFor(t, "20 waiters", func() bool { return h.waiters() == 20 })
	close(up.gate)
	for range 20 {
		if err := <-results; err != nil {
			t.Fatal(err)
		}
	}
	if n := up.listCount(); n != 1 {
		t.Fatalf("upstream lists = %d, want 1", n)
	}
}

// Closing waiters and the hub leaves nothing running, even with a list
// stuck upstream and callers waiting on it.
func TestCloseLeavesNoGoroutines(t *testing.T) {
	before := runtime.NumGoroutine()
	up := newFake()
	up.gate = make(chan struct{}) // never opened: Close must cancel
	h := New(up, Options{})
	var wg sync.WaitGroup
	var cancels []context.CancelFunc
	for range 5 {
		ctx, cancel := context.WithCancel(context.Background())
		cancels = append(cancels, cancel)
		wg.Go(func() {
			if _, err := h.List(ctx); !errors.Is(err, context.Canceled) {
				t.Errorf("list after its caller gave up: %v, want context.Canceled", err)
			}
		})
	}
	waitFor(t, "5 waiters", func() bool { return h.waiters() == 5 })
	for _, cancel := range cancels {
		cancel()
	}
	wg.Wait()
	h.Close()
	if _, err := h.List(context.Background()); !errors.Is(err, ErrClosed) {
		t.Fatalf("list on a closed hub: %v, want ErrClosed", err)
	}
	waitFor(t, "goroutines to settle", func() bool { return runtime.NumGoroutine() <= before })
}

// pollStaggered runs n readers that each poll every interval for span, the
// first polls spread evenly over one interval (sessions that connected at
// different moments), on a manual clock; it returns the upstream lists.
func pollStaggered(t *testing.T, n int, items []model.Instance, opts Options, interval, span time.Duration) int {
	t.Helper()
	up := &fakeLister{items: items}
	clk := sim.NewManualClock(time.Unix(1000, 0))
	opts.Now = clk.Now
	h := New(up, opts)
	defer h.Close()
	start := clk.Now()
	readers := make([]*Reader, n)
	next := make([]time.Time, n)
	for i := range n {
		readers[i] = h.NewReader()
		next[i] = start.Add(time.Duration(i) * interval / time.Duration(n))
	}
	for {
		i := 0
		for j := range n {
			if next[j].Before(next[i]) {
				i = j
			}
		}
		if !next[i].Before(start.Add(span)) {
			return up.listCount()
		}
		clk.Set(next[i])
		if got, err := readers[i].List(context.Background()); err != nil || len(got) != len(items) {
			t.Fatalf("list: %v, %d items", err, len(got))
		}
		next[i] = next[i].Add(interval)
	}
}

// Twenty dashboards polling a quiet project every PollSlow, each at its own
// moment, cost what one dashboard costs. With MinAge alone as the rule
// each found the list older than MinAge: about ten lists per 30 s instead
// of one.
func TestStaggeredSessionsCostWhatOneDashboardCosts(t *testing.T) {
	quietItems := newFake().items // RUNNING and STOPPED: nothing changing
	opts := Options{MinAge: 2 * time.Second, SlowAge: 30 * time.Second}
	one := pollStaggered(t, 1, quietItems, opts, 30*time.Second, 5*time.Minute)
	twenty := pollStaggered(t, 20, quietItems, opts, 30*time.Second, 5*time.Minute)
	if one != 10 || twenty > one+1 {
		t.Fatalf("quiet project over 5 minutes: one session %d lists, twenty sessions %d; want 10 and at most 11", one, twenty)
	}

	// While something changes the dashboards poll every PollFast, and so
	// does the hub: at most one list per MinAge however many watch.
	busy := []model.Instance{{ID: "i-1", Name: "alpha", Status: "STARTING", Class: model.ClassTransitional}}
	one = pollStaggered(t, 1, busy, opts, 2*time.Second, time.Minute)
	twenty = pollStaggered(t, 20, busy, opts, 2*time.Second, time.Minute)
	if one != 30 || twenty > one+1 {
		t.Fatalf("busy project over a minute: one session %d lists, twenty sessions %d; want 30 and at most 31", one, twenty)
	}
}

// A reader that polls again early (the user pressed r) gets a newer list
// once the one it has is MinAge old, even when the list is quiet; readers
// that have not seen the cached list still get it without a call.
func TestReaderThatSawTheListGetsANewerOne(t *testing.T) {
	up := newFake()
	clk := sim.NewManualClock(time.Unix(1000, 0))
	h := New(up, Options{MinAge: 2 * time.Second, SlowAge: time.Minute, Now: clk.Now})
	defer h.Close()
	r1, r2 := h.NewReader(), h.NewReader()
	list := func(r *Reader) {
		t.Helper()
		if _, err := r.List(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	list(r1)
	clk.Advance(time.Second)
	list(r1) // younger than MinAge: shared even with the reader that has it
	if n := up.listCount(); n != 1 {
		t.Fatalf("lists = %d, want 1", n)
	}
	clk.Advance(2 * time.Second)
	list(r2) // has not seen it, quiet and younger than SlowAge
	if n := up.listCount(); n != 1 {
		t.Fatalf("lists after a new reader = %d, want 1", n)
	}
	list(r1) // has seen it and it is MinAge old: a newer one
	if n := up.listCount(); n != 2 {
		t.Fatalf("lists after an early poll = %d, want 2", n)
	}
	// A failed list is not quiet: it is retried after MinAge, not SlowAge.
	up.mu.Lock()
	up.err = errors.New("boom")
	up.mu.Unlock()
	clk.Advance(2 * time.Second)
	if _, err := r1.List(context.Background()); err == nil { // MinAge old: refetch, which fails
		t.Fatal("want the upstream error")
	}
	clk.Advance(2 * time.Second)
	if _, err := r2.List(context.Background()); err == nil {
		t.Fatal("want the failed list's error")
	}
	if n := up.listCount(); n != 4 {
		t.Fatalf("lists after a failure = %d, want 4 (a failed list is not shared for SlowAge)", n)
	}
}

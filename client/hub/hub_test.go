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
				for range 50 {
					items, err := h.List(context.Background())
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

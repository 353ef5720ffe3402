package hub

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"matui/client"
	"matui/model"
)

// fakeUp is an upstream that counts calls; when gate is set, ListInstances
// waits on it.
type fakeUp struct {
	// Calls the tests do not exercise: a nil interface fails loudly.
	Upstream
	mu      sync.Mutex
	items   []model.Instance
	lists   int
	calls   []string
	gate    chan struct{}
	started chan struct{} // receives once per list call, if set
	stopErr error
}

func (f *fakeUp) ListInstances(ctx context.Context) ([]model.Instance, error) {
	f.mu.Lock()
	f.lists++
	gate, started := f.gate, f.started
	f.mu.Unlock()
	if started != nil {
		started <- struct{}{}
	}
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

func (f *fakeUp) set(id, status string) {
	for i := range f.items {
		if f.items[i].ID == id {
			f.items[i].Status = status
		}
	}
}

func (f *fakeUp) StartInstance(_ context.Context, in model.Instance, _ time.Duration) (model.Instance, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, "start "+in.ID)
	f.set(in.ID, "STARTING")
	return in, nil
}

func (f *fakeUp) StopInstance(_ context.Context, in model.Instance) (model.Instance, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, "stop "+in.ID)
	if f.stopErr != nil {
		return model.Instance{}, f.stopErr
	}
	f.set(in.ID, "STOPPING")
	return in, nil
}

func (f *fakeUp) DeleteInstance(_ context.Context, in model.Instance) (model.Instance, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, "delete "+in.ID)
	return in, nil
}

func (f *fakeUp) RenewLease(_ context.Context, in model.Instance, _ time.Duration) (model.Instance, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, "renew "+in.ID)
	return in, nil
}

// The form operations are not the fake's: it says so, as a backend that
// cannot do an operation must.
func (f *fakeUp) ListFlavors(context.Context, client.FlavorOptions) ([]model.NotebookFlavor, error) {
	return nil, errors.ErrUnsupported
}
func (f *fakeUp) ListSwitchableFlavors(context.Context, string) ([]model.NotebookFlavor, error) {
	return nil, errors.ErrUnsupported
}
func (f *fakeUp) ListImages(context.Context, client.ImageOptions) ([]model.Image, error) {
	return nil, errors.ErrUnsupported
}
func (f *fakeUp) CreateNotebook(context.Context, model.CreateNotebookRequest) (model.Notebook, error) {
	return model.Notebook{}, errors.ErrUnsupported
}
func (f *fakeUp) UpdateNotebook(context.Context, string, model.UpdateNotebookRequest) (model.Notebook, error) {
	return model.Notebook{}, errors.ErrUnsupported
}
func (f *fakeUp) CreateDevInstance(context.Context, model.CreateDevInstanceRequest) (model.DevInstance, error) {
	return model.DevInstance{}, errors.ErrUnsupported
}
func (f *fakeUp) ModifyDevInstance(context.Context, string, model.ModifyDevInstanceRequest) (model.DevInstance, error) {
	return model.DevInstance{}, errors.ErrUnsupported
}
func (f *fakeUp) OpenCodeLab(context.Context, model.OpenCodeLabRequest) (model.Notebook, error) {
	return model.Notebook{}, errors.ErrUnsupported
}

func (f *fakeUp) ServerNow() time.Time { return time.Unix(0, 0) }
func (f *fakeUp) Describe() string     { return "fake" }

func (f *fakeUp) listCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.lists
}

func newFake() *fakeUp {
	return &fakeUp{items: []model.Instance{
		{ID: "i-1", Name: "alpha", Status: "RUNNING"},
		{ID: "i-2", Name: "beta", Status: "STOPPED"},
	}}
}

// clock is a settable clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
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

func operator() Actor { return Actor{User: "op", Fingerprint: "SHA256:op", Role: RoleOperator} }

// 20 sessions hammering ListInstances cost one upstream call per MinAge
// window — the same as one session polling at PollFast.
func TestConcurrentSessionsShareOneUpstreamList(t *testing.T) {
	up := newFake()
	clk := &clock{t: time.Unix(1000, 0)}
	h := New(up, Options{MinAge: 2 * time.Second, Now: clk.Now})
	defer h.Close()
	round := func() {
		var wg sync.WaitGroup
		for i := range 20 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				s := h.Session(Actor{User: "u", Role: Role(i % 2)}, nil)
				defer s.Close()
				for range 50 {
					items, err := s.ListInstances(context.Background())
					if err != nil || len(items) != 2 {
						t.Errorf("list: %v, %d items", err, len(items))
						return
					}
				}
			}()
		}
		wg.Wait()
	}
	round()
	if n := up.listCount(); n != 1 {
		t.Fatalf("upstream lists after one window = %d, want 1", n)
	}
	clk.Add(2 * time.Second)
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
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := h.Session(operator(), nil)
			defer s.Close()
			for {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := s.ListInstances(context.Background()); err != nil {
					t.Error(err)
					return
				}
			}
		}()
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
			s := h.Session(operator(), nil)
			defer s.Close()
			items, err := s.ListInstances(context.Background())
			if err == nil && len(items) != 2 {
				err = errors.New("wrong items")
			}
			results <- err
		}()
	}
	waitFor(t, "20 waiters", func() bool {
		h.mu.Lock()
		defer h.mu.Unlock()
		return h.waiting == 20
	})
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

// A mutation makes the next poll go upstream and see its effect, even when
// a list started before the mutation is still in flight.
func TestMutationInvalidates(t *testing.T) {
	up := newFake()
	clk := &clock{t: time.Unix(1000, 0)}
	h := New(up, Options{MinAge: time.Hour, Now: clk.Now})
	defer h.Close()
	op := h.Session(operator(), nil)
	defer op.Close()
	viewer := h.Session(Actor{User: "v"}, nil)
	defer viewer.Close()
	if _, err := viewer.ListInstances(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := op.StopInstance(context.Background(), model.Instance{ID: "i-1", Name: "alpha"}); err != nil {
		t.Fatal(err)
	}
	items, err := viewer.ListInstances(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if items[0].Status != "STOPPING" || up.listCount() != 2 {
		t.Fatalf("after stop: status %s, %d lists; want STOPPING after 2", items[0].Status, up.listCount())
	}

	// Now with a list in flight across the mutation.
	up.mu.Lock()
	up.gate = make(chan struct{})
	up.started = make(chan struct{}, 4)
	up.mu.Unlock()
	h.Invalidate()
	old := make(chan []model.Instance, 1)
	go func() {
		it, _ := viewer.ListInstances(context.Background())
		old <- it
	}()
	<-up.started
	if _, err := op.StartInstance(context.Background(), model.Instance{ID: "i-2"}, time.Hour); err != nil {
		t.Fatal(err)
	}
	fresh := make(chan []model.Instance, 1)
	go func() {
		it, _ := op.ListInstances(context.Background())
		fresh <- it
	}()
	<-up.started // a second fetch, not a join of the stale one
	close(up.gate)
	<-old
	if it := <-fresh; it[1].Status != "STARTING" {
		t.Fatalf("list after start says %s, want STARTING", it[1].Status)
	}
}

type memAudit struct {
	mu   sync.Mutex
	recs []Record
	err  error
}

func (m *memAudit) Record(r Record) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.recs = append(m.recs, r)
	return m.err
}

func TestViewerIsRefusedServerSide(t *testing.T) {
	up := newFake()
	h := New(up, Options{})
	defer h.Close()
	a := &memAudit{}
	v := h.Session(Actor{User: "eve", Fingerprint: "SHA256:x", Role: RoleViewer}, a)
	defer v.Close()
	in := model.Instance{ID: "i-1", Name: "alpha"}
	for name, f := range map[string]func() error{
		"start":  func() error { _, err := v.StartInstance(context.Background(), in, 0); return err },
		"stop":   func() error { _, err := v.StopInstance(context.Background(), in); return err },
		"delete": func() error { _, err := v.DeleteInstance(context.Background(), in); return err },
		"renew":  func() error { _, err := v.RenewLease(context.Background(), in, time.Hour); return err },
	} {
		if err := f(); !errors.Is(err, ErrReadOnly) {
			t.Errorf("%s by viewer: %v, want ErrReadOnly", name, err)
		}
	}
	if len(up.calls) != 0 {
		t.Fatalf("upstream saw %v", up.calls)
	}
	if len(a.recs) != 4 {
		t.Fatalf("audit has %d records, want 4", len(a.recs))
	}
	for _, r := range a.recs {
		if r.Result != ResultDenied || r.Role != "viewer" || r.User != "eve" {
			t.Fatalf("record %+v", r)
		}
	}
}

func TestAuditLogFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	log, err := OpenAuditLog(path)
	if err != nil {
		t.Fatal(err)
	}
	up := newFake()
	up.stopErr = &client.APIError{HTTPStatus: 400, Code: "ModelArts.6309", Message: "no such instance"}
	h := New(up, Options{})
	defer h.Close()
	s := h.Session(operator(), log)
	defer s.Close()
	in := model.Instance{ID: "i-1", Name: "alpha"}
	if _, err := s.RenewLease(context.Background(), in, time.Hour); err != nil {
		t.Fatal(err)
	}
	if _, err := s.StopInstance(context.Background(), in); err == nil {
		t.Fatal("stop: want the upstream error")
	}
	if err := log.Close(); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Fatalf("audit log mode %v, want 0600", fi.Mode().Perm())
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var recs []Record
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var r Record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		recs = append(recs, r)
	}
	if len(recs) != 2 {
		t.Fatalf("%d records, want 2", len(recs))
	}
	if r := recs[0]; r.Action != "renew" || r.Result != ResultOK || r.InstanceName != "alpha" || r.Fingerprint != "SHA256:op" || r.Time.IsZero() {
		t.Fatalf("renew record %+v", r)
	}
	if r := recs[1]; r.Action != "stop" || r.Result != ResultError || r.Code != "ModelArts.6309" {
		t.Fatalf("stop record %+v", r)
	}
	// A failed audit write is reported even when the action succeeded.
	if _, err := s.StartInstance(context.Background(), in, 0); err == nil {
		t.Fatal("start with a closed audit log: want an error")
	}
}

// Closing sessions and the hub leaves nothing running, even with a list
// stuck upstream and sessions waiting on it.
func TestCloseLeavesNoGoroutines(t *testing.T) {
	before := runtime.NumGoroutine()
	up := newFake()
	up.gate = make(chan struct{}) // never opened: Close must cancel
	h := New(up, Options{})
	var wg sync.WaitGroup
	var sessions []*Session
	for range 5 {
		s := h.Session(operator(), nil)
		sessions = append(sessions, s)
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := s.ListInstances(context.Background()); !errors.Is(err, context.Canceled) {
				t.Errorf("list after Close: %v, want context.Canceled", err)
			}
		}()
	}
	waitFor(t, "5 waiters", func() bool {
		h.mu.Lock()
		defer h.mu.Unlock()
		return h.waiting == 5
	})
	for _, s := range sessions {
		s.Close()
	}
	wg.Wait()
	h.Close()
	if _, err := sessions[0].ListInstances(context.Background()); err == nil {
		t.Fatal("list on a closed hub succeeded")
	}
	waitFor(t, "goroutines to settle", func() bool { return runtime.NumGoroutine() <= before })
}

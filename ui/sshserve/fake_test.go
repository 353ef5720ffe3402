package sshserve

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"matui/client"
	"matui/client/hub"
	"matui/model"
	"matui/ui"
)

// fakeUp is the one fake upstream of this package's tests: a small cloud
// that records every call. Its switches make lists or stops wait, a stop
// fail, or the form operations unsupported.
type fakeUp struct {
	// Calls no test here exercises: the nil interface fails loudly.
	ui.Backend
	mu    sync.Mutex
	items []model.Instance
	calls []string // "stop i-1", "create nb", …
	lists int

	listGate    chan struct{} // when set, ListInstances waits on it
	listStarted chan struct{} // receives once per list call, if set

	stopErr     error
	stopGate    chan struct{} // when set, StopInstance waits on it or its context
	stopEntered chan struct{} // closed when a gated stop begins
	stopCtxDone bool          // the gated stop's context ended underneath it

	formsUnsupported bool // the form operations return errors.ErrUnsupported
}

func newFakeUp() *fakeUp {
	return &fakeUp{items: []model.Instance{
		{Generation: model.Gen2, ID: "i-alpha", Name: "alpha", Status: "RUNNING", Class: model.ClassRunning},
		{Generation: model.Gen2, ID: "i-beta", Name: "beta", Status: "STOPPED", Class: model.ClassStopped},
	}}
}

func (f *fakeUp) ListInstances(ctx context.Context) ([]model.Instance, error) {
	f.mu.Lock()
	f.lists++
	gate, started := f.listGate, f.listStarted
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

// act records call and moves the instance to status (if any).
func (f *fakeUp) act(call string, in model.Instance, status string) model.Instance {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, call+" "+in.ID)
	for i := range f.items {
		if f.items[i].ID == in.ID && status != "" {
			f.items[i].Status = status
			f.items[i].Class = model.ClassTransitional
			in = f.items[i]
		}
	}
	return in
}

func (f *fakeUp) StartInstance(_ context.Context, in model.Instance, _ time.Duration) (model.Instance, error) {
	return f.act("start", in, "STARTING"), nil
}

func (f *fakeUp) StopInstance(ctx context.Context, in model.Instance) (model.Instance, error) {
	f.mu.Lock()
	gate, stopErr := f.stopGate, f.stopErr
	f.mu.Unlock()
	if gate != nil {
		close(f.stopEntered)
		select {
		case <-gate:
		case <-ctx.Done():
			f.mu.Lock()
			f.stopCtxDone = true
			f.mu.Unlock()
			return model.Instance{}, ctx.Err()
		}
	}
	if stopErr != nil {
		f.act("stop", in, "")
		return model.Instance{}, stopErr
	}
	return f.act("stop", in, "STOPPING"), nil
}

func (f *fakeUp) DeleteInstance(_ context.Context, in model.Instance) (model.Instance, error) {
	return f.act("delete", in, "DELETING"), nil
}

func (f *fakeUp) RenewLease(_ context.Context, in model.Instance, _ time.Duration) (model.Instance, error) {
	return f.act("renew", in, ""), nil
}

// The catalogs: a free CPU flavor and an image for it, enough for the
// create form's defaults.
var (
	fakeFlavors = []model.NotebookFlavor{{ID: "modelarts.vm.cpu.2u", Arch: "x86_64", Category: "CPU", Feature: "NOTEBOOK", VCPUs: 2, Memory: 8 << 20}}
	fakeImages  = []model.Image{{ID: "img-cpu", Name: "mul-kernel-cpu", Tag: "5.0", Arch: "X86_64", ResourceCategories: []string{"CPU"}, DevServices: []string{"NOTEBOOK"}}}
)

func (f *fakeUp) forms() error {
	if f.formsUnsupported {
		return errors.ErrUnsupported
	}
	return nil
}

func (f *fakeUp) ListFlavors(context.Context, client.FlavorOptions) ([]model.NotebookFlavor, error) {
	if err := f.forms(); err != nil {
		return nil, err
	}
	return fakeFlavors, nil
}

func (f *fakeUp) ListSwitchableFlavors(context.Context, string) ([]model.NotebookFlavor, error) {
	if err := f.forms(); err != nil {
		return nil, err
	}
	return nil, nil
}

func (f *fakeUp) ListImages(context.Context, client.ImageOptions) ([]model.Image, error) {
	if err := f.forms(); err != nil {
		return nil, err
	}
	return fakeImages, nil
}

// Poll lists the fake's items as one complete page per source.
func (f *fakeUp) Poll(ctx context.Context, _ bool) *client.Listing {
	return client.ListingOf(ctx, f.ListInstances)
}
func (f *fakeUp) Touched(model.Instance) {}
func (f *fakeUp) Resync()                {}

func (f *fakeUp) ListPools(context.Context, client.PoolOptions) ([]model.Cluster, error) {
	if err := f.forms(); err != nil {
		return nil, err
	}
	return nil, nil
}

func (f *fakeUp) CreateNotebook(_ context.Context, req model.CreateNotebookRequest) (model.Notebook, error) {
	if err := f.forms(); err != nil {
		return model.Notebook{}, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, "create "+req.Name)
	f.items = append(f.items, model.Instance{Generation: model.Gen2, ID: "nb-new", Name: req.Name, Status: "CREATING", Class: model.ClassTransitional})
	return model.Notebook{ID: "nb-new", Name: req.Name, Status: "CREATING"}, nil
}

func (f *fakeUp) UpdateNotebook(_ context.Context, id string, _ model.UpdateNotebookRequest) (model.Notebook, error) {
	return model.Notebook{ID: id}, f.forms()
}

func (f *fakeUp) CreateDevInstance(context.Context, model.CreateDevInstanceRequest) (model.DevInstance, error) {
	return model.DevInstance{}, f.forms()
}

func (f *fakeUp) ModifyDevInstance(_ context.Context, id string, _ model.ModifyDevInstanceRequest) (model.DevInstance, error) {
	return model.DevInstance{ID: id}, f.forms()
}

func (f *fakeUp) OpenCodeLab(context.Context, model.OpenCodeLabRequest) (model.Notebook, error) {
	return model.Notebook{}, f.forms()
}

func (f *fakeUp) ServerNow() time.Time { return time.Now() }
func (f *fakeUp) Describe() string     { return "fake cloud" }

func (f *fakeUp) Calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.calls)
}

func (f *fakeUp) listCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.lists
}

// memAudit is an Auditor in memory.
type memAudit struct {
	mu   sync.Mutex
	recs []Record
}

func (m *memAudit) Record(r Record) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.recs = append(m.recs, r)
	return nil
}

func (m *memAudit) records() []Record {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.recs)
}

// waitFor polls cond; the generous deadline only turns a hang into a
// failure, it does not time anything.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// testConsole is a console over up whose listing is closed with the test.
func testConsole(t *testing.T, up *fakeUp, listOpts hub.Options, audit Auditor) *console {
	t.Helper()
	c := newConsole(up, false, listOpts, audit)
	t.Cleanup(c.listing.Close)
	return c
}

func operator() Actor {
	return Actor{Identity: Identity{Name: "op", Fingerprint: "SHA256:op", Role: RoleOperator}, User: "op"}
}

func viewerActor(name string) Actor {
	return Actor{Identity: Identity{Name: name, Fingerprint: "SHA256:" + name, Role: RoleViewer}, User: name}
}

package ui

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"matui/client"
	"matui/model"
)

var t0 = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

// fakeBackend is an in-memory, deterministic Backend.
type fakeBackend struct {
	mu       sync.Mutex
	items    []model.Instance
	calls    []string
	listErr  error
	partial  error            // returned with the items (a partial listing) while set
	actErr   map[string]error // by instance ID
	lists    int
	inFlight int
	maxIn    int
	block    chan struct{} // when set, ListInstances waits on it
	now      time.Time     // server clock; zero means t0
}

func (f *fakeBackend) ListInstances(ctx context.Context) ([]model.Instance, error) {
	f.mu.Lock()
	f.inFlight++
	f.maxIn = max(f.maxIn, f.inFlight)
	block := f.block
	f.mu.Unlock()
	if block != nil {
		<-block
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.inFlight--
	f.lists++
	if f.listErr != nil {
		return nil, f.listErr
	}
	return slices.Clone(f.items), f.partial
}

// act records an action and applies it to the fake's list. Like the
// service, it answers with the instance in its new state.
// Poll lists the fake's items as one complete page per source.
func (f *fakeBackend) Poll(ctx context.Context, _ bool) *client.Listing {
	return client.ListingOf(ctx, f.ListInstances)
}
func (f *fakeBackend) Touched(model.Instance) {}
func (f *fakeBackend) Resync()                {}

func (f *fakeBackend) act(name string, inst model.Instance, status string, class model.StatusClass) (model.Instance, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, name+" "+inst.ID)
	if err := f.actErr[inst.ID]; err != nil {
		return model.Instance{}, err
	}
	for i := range f.items {
		if f.items[i].ID == inst.ID && status != "" {
			f.items[i].Status, f.items[i].Class = status, class
			inst = f.items[i]
		}
	}
	return inst, nil
}

func (f *fakeBackend) StartInstance(_ context.Context, inst model.Instance, d time.Duration) (model.Instance, error) {
	return f.act(fmt.Sprintf("start(%s)", d), inst, "STARTING", model.ClassTransitional)
}
func (f *fakeBackend) StopInstance(_ context.Context, inst model.Instance) (model.Instance, error) {
	return f.act("stop", inst, "STOPPING", model.ClassTransitional)
}
func (f *fakeBackend) DeleteInstance(_ context.Context, inst model.Instance) (model.Instance, error) {
	return f.act("delete", inst, "DELETING", model.ClassTransitional)
}
func (f *fakeBackend) RenewLease(_ context.Context, inst model.Instance, d time.Duration) (model.Instance, error) {
	if inst.Generation == model.Gen1 {
		return model.Instance{}, fmt.Errorf("renew: %w", errors.ErrUnsupported)
	}
	return f.act(fmt.Sprintf("renew(%s)", d), inst, "", "")
}

// The catalogs and form calls are not the plain fake's (formsFake has
// them): it answers as a backend that cannot do an operation must.
func (f *fakeBackend) ListFlavors(context.Context, client.FlavorOptions) ([]model.NotebookFlavor, error) {
	return nil, fmt.Errorf("flavors: %w", errors.ErrUnsupported)
}
func (f *fakeBackend) ListSwitchableFlavors(context.Context, string) ([]model.NotebookFlavor, error) {
	return nil, fmt.Errorf("switchable flavors: %w", errors.ErrUnsupported)
}
func (f *fakeBackend) ListImages(context.Context, client.ImageOptions) ([]model.Image, error) {
	return nil, fmt.Errorf("images: %w", errors.ErrUnsupported)
}
func (f *fakeBackend) CreateNotebook(context.Context, model.CreateNotebookRequest) (model.Notebook, error) {
	return model.Notebook{}, fmt.Errorf("create: %w", errors.ErrUnsupported)
}
func (f *fakeBackend) UpdateNotebook(context.Context, string, model.UpdateNotebookRequest) (model.Notebook, error) {
	return model.Notebook{}, fmt.Errorf("update: %w", errors.ErrUnsupported)
}
func (f *fakeBackend) CreateDevInstance(context.Context, model.CreateDevInstanceRequest) (model.DevInstance, error) {
	return model.DevInstance{}, fmt.Errorf("create: %w", errors.ErrUnsupported)
}
func (f *fakeBackend) ModifyDevInstance(context.Context, string, model.ModifyDevInstanceRequest) (model.DevInstance, error) {
	return model.DevInstance{}, fmt.Errorf("modify: %w", errors.ErrUnsupported)
}
func (f *fakeBackend) OpenCodeLab(context.Context, model.OpenCodeLabRequest) (model.Notebook, error) {
	return model.Notebook{}, fmt.Errorf("codelab: %w", errors.ErrUnsupported)
}
func (f *fakeBackend) AttachStorage(context.Context, string, model.AttachStorageRequest) (model.DataVolume, error) {
	return model.DataVolume{}, fmt.Errorf("attach: %w", errors.ErrUnsupported)
}
func (f *fakeBackend) DetachStorage(context.Context, string, string) (model.DataVolume, error) {
	return model.DataVolume{}, fmt.Errorf("detach: %w", errors.ErrUnsupported)
}
func (f *fakeBackend) AddNotebookTags(context.Context, string, []model.Tag) error {
	return fmt.Errorf("tag: %w", errors.ErrUnsupported)
}
func (f *fakeBackend) RemoveNotebookTags(context.Context, string, []model.Tag) error {
	return fmt.Errorf("untag: %w", errors.ErrUnsupported)
}
func (f *fakeBackend) SaveImage(context.Context, string, model.CreateImageRequest) (model.Image, error) {
	return model.Image{}, fmt.Errorf("save image: %w", errors.ErrUnsupported)
}
func (f *fakeBackend) FindInstancesByName(_ context.Context, gen model.Generation, name string) ([]model.Instance, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []model.Instance
	for _, in := range f.items {
		if in.Generation == gen && in.Name == name {
			out = append(out, in)
		}
	}
	return out, nil
}
func (f *fakeBackend) ListPools(context.Context, client.PoolOptions) ([]model.Cluster, error) {
	return nil, fmt.Errorf("pools: %w", errors.ErrUnsupported)
}
func (f *fakeBackend) ServerNow() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.now.IsZero() {
		return t0
	}
	return f.now
}

func (f *fakeBackend) setNow(t time.Time) {
	f.mu.Lock()
	f.now = t
	f.mu.Unlock()
}
func (f *fakeBackend) Describe() string {
	return "https://modelarts.eu-de.otc.t-systems.com · project 0123…cdef · AK/SK (AKTE…0000)"
}

func (f *fakeBackend) Calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.calls)
}

// apiErr is an API error as the client returns it.
func apiErr(code, msg string) *client.APIError {
	return &client.APIError{HTTPStatus: 400, Code: code, Message: msg}
}

func fixture() []model.Instance {
	mk := func(id, name, status string, class model.StatusClass, gen model.Generation) model.Instance {
		return model.Instance{
			ID: id, Name: name, Status: status, Class: class, Generation: gen,
			Flavor:  "modelarts.vm.gpu.v100",
			Spec:    model.Spec{Kind: model.KindGPU, Type: "V100", Count: 1, VCPUs: 8, MemoryBytes: 64 << 30},
			Image:   "pytorch1.8-cuda10.2",
			Owner:   "alice",
			Created: t0.Add(-26 * time.Hour),
			URL:     "https://notebook.example/" + id,
			AutoStop: model.AutoStop{Enabled: true, Type: "TIMING", Duration: 4 * time.Hour,
				Deadline: t0.Add(62*time.Minute + 5*time.Second)},
			Raw: []byte(`{"id":"` + id + `","name":"` + name + `","status":"` + status + `","note":"\u001b[31mred"}`),
		}
	}
	asc := mk("b2c3", "ascend-train", "RUNNING", model.ClassRunning, model.Gen2)
	asc.Spec = model.Spec{Kind: model.KindAscend, Type: "Ascend 910", Count: 8, VCPUs: 192, MemoryBytes: 1536 << 30}
	asc.AutoStop.Deadline = t0.Add(4*time.Minute + 30*time.Second)
	cpu := mk("c3d4", "cpu-dev", "STOPPED", model.ClassStopped, model.Gen1)
	cpu.Spec = model.Spec{Kind: model.KindCPU, VCPUs: 2, MemoryBytes: 8 << 30}
	cjk := mk("d4e5", "笔记本-实验🚀", "RUNNING", model.ClassRunning, model.Gen2)
	cjk.AutoStop = model.AutoStop{}
	creating := mk("e5f6", "fresh", "CREATING", model.ClassTransitional, model.Gen2)
	creating.Progress = []model.Step{{Step: 2, Status: "PROCESSING"}, {Step: 1, Status: "COMPLETED"}, {Step: 3, Status: "WAITING"}, {Step: 4, Status: "WAITING"}}
	failed := mk("f6a7", "broken", "CREATE_FAILED", model.ClassFailed, model.Gen2)
	failed.FailReason = "flavor sold out"
	queued := mk("a7b8", "free-tier", "START_QUEUING", model.ClassQueued, model.Gen1)
	queued.QueueRank = 3
	queued.QueueDeadline = t0.Add(4*time.Minute + 10*time.Second)
	gpu := mk("a1b2", "gpu-notebook", "RUNNING", model.ClassRunning, model.Gen2)
	gpu.AutoStop.Deadline = t0.Add(12 * time.Minute)
	return []model.Instance{gpu, asc, cpu, cjk, creating, failed, queued}
}
func (f *fakeBackend) FindInstancesByTags(context.Context, bool, []model.TagFilter) ([]model.Instance, error) {
	return nil, fmt.Errorf("tag search: %w", errors.ErrUnsupported)
}

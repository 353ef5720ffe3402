package ui

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"matui/client"
	"matui/model"
	"matui/ui/forms/formtest"
	"matui/ui/store"
)

// formsFake is a fakeBackend that also implements FormsBackend. Every
// submission is recorded as "<call> <id> <JSON body>".
type formsFake struct {
	*fakeBackend
	fmu        sync.Mutex
	flavors    []model.NotebookFlavor
	switchable []model.NotebookFlavor
	images     []model.Image
	loadErr    error
	submitErr  error // returned by every submission while set
	bodies     []string
	loads      []string
	gate       chan struct{} // when set, submissions wait on it
}

var _ Backend = (*formsFake)(nil)

var fakeFlavors = []model.NotebookFlavor{
	{ID: "modelarts.vm.cpu.free", Arch: "x86_64", Category: "CPU", Feature: "DEFAULT", Free: true, VCPUs: 1, Memory: 4 << 20},
	{ID: "modelarts.vm.cpu.2u", Arch: "x86_64", Category: "CPU", Feature: "NOTEBOOK", VCPUs: 2, Memory: 8 << 20},
	{ID: "modelarts.vm.gpu.t4", Arch: "x86_64", Category: "GPU", VCPUs: 8, Memory: 32 << 20, GPU: model.GPUInfo{GPU: 1, Type: "T4"}},
	{ID: "modelarts.bm.d910.xlarge.1", Name: "Ascend: 1*Ascend 910", Arch: "aarch64", Category: "ASCEND", VCPUs: 24, Memory: 96 << 20, Ascend: model.AscendInfo{NPU: 1, Type: "Ascend 910"}},
}

var fakeImages = []model.Image{
	{ID: "img-cpu", Name: "mul-kernel-cpu", Tag: "5.0", Arch: "X86_64", ResourceCategories: []string{"CPU", "GPU"}, DevServices: []string{"NOTEBOOK", "SSH"}},
	{ID: "img-arm", Name: "mindspore", Tag: "910", Arch: "aarch64", ResourceCategories: []string{"ASCEND"}, DevServices: []string{"NOTEBOOK"}},
}

func newFormsFake(items []model.Instance) *formsFake {
	return &formsFake{
		fakeBackend: &fakeBackend{items: items, actErr: map[string]error{}},
		flavors:     fakeFlavors, switchable: fakeFlavors[1:3], images: fakeImages,
	}
}

func (f *formsFake) load(what string) error {
	f.fmu.Lock()
	defer f.fmu.Unlock()
	f.loads = append(f.loads, what)
	return f.loadErr
}

func (f *formsFake) ListFlavors(context.Context, client.FlavorOptions) ([]model.NotebookFlavor, error) {
	return f.flavors, f.load("flavors")
}

func (f *formsFake) ListSwitchableFlavors(_ context.Context, id string) ([]model.NotebookFlavor, error) {
	return f.switchable, f.load("switchable " + id)
}

func (f *formsFake) ListImages(context.Context, client.ImageOptions) ([]model.Image, error) {
	return f.images, f.load("images")
}

// submit records the call and returns the configured error.
func (f *formsFake) submit(call, id string, body any) error {
	f.fmu.Lock()
	gate := f.gate
	f.fmu.Unlock()
	if gate != nil {
		<-gate
	}
	b, _ := json.Marshal(body)
	f.fmu.Lock()
	defer f.fmu.Unlock()
	f.bodies = append(f.bodies, strings.TrimSpace(call+" "+id)+" "+string(b))
	return f.submitErr
}

func (f *formsFake) Bodies() []string {
	f.fmu.Lock()
	defer f.fmu.Unlock()
	return append([]string(nil), f.bodies...)
}

func (f *formsFake) CreateNotebook(_ context.Context, req model.CreateNotebookRequest) (model.Notebook, error) {
	if err := f.submit("create", "", req); err != nil {
		return model.Notebook{}, err
	}
	return model.Notebook{ID: "nb-new", Name: req.Name, Status: "CREATING", Flavor: req.Flavor,
		ActionProgress: []model.JobProgress{{Step: 1, Status: "PROCESSING"}}}, nil
}

func (f *formsFake) UpdateNotebook(_ context.Context, id string, req model.UpdateNotebookRequest) (model.Notebook, error) {
	if err := f.submit("update", id, req); err != nil {
		return model.Notebook{}, err
	}
	nb := notebookOf(f.get(id))
	if req.Description != nil {
		nb.Description = *req.Description
	}
	in := model.FromNotebook(nb, nil)
	f.mu.Lock()
	for i := range f.items {
		if f.items[i].ID == id {
			f.items[i] = in
		}
	}
	f.mu.Unlock()
	return nb, nil
}

func (f *formsFake) get(id string) model.Instance {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, in := range f.items {
		if in.ID == id {
			return in
		}
	}
	return model.Instance{}
}

func (f *formsFake) CreateDevInstance(_ context.Context, req model.CreateDevInstanceRequest) (model.DevInstance, error) {
	if err := f.submit("create-dev", "", req); err != nil {
		return model.DevInstance{}, err
	}
	return model.DevInstance{ID: "dev-new", Name: req.Name, Status: "CREATING"}, nil
}

func (f *formsFake) ModifyDevInstance(_ context.Context, id string, req model.ModifyDevInstanceRequest) (model.DevInstance, error) {
	if err := f.submit("modify-dev", id, req); err != nil {
		return model.DevInstance{}, err
	}
	return model.DevInstance{ID: id, Name: f.get(id).Name, Status: f.get(id).Status}, nil
}

func (f *formsFake) OpenCodeLab(_ context.Context, req model.OpenCodeLabRequest) (model.Notebook, error) {
	if err := f.submit("codelab", "", req); err != nil {
		return model.Notebook{}, err
	}
	return model.Notebook{ID: "codelab-1", Name: "codelab", Status: "CREATING", Feature: "DEFAULT"}, nil
}

// stoppedNotebook is a Gen 2 instance with a realistic raw body.
func stoppedNotebook() model.Instance {
	nb := model.Notebook{
		ID: "nb-edit", Name: "editme", Description: "old text", Status: "STOPPED", Flavor: "modelarts.vm.cpu.2u",
		Image:  model.Image{ID: "img-cpu", Name: "mul-kernel-cpu", Tag: "5.0"},
		Volume: model.VolumeRes{Category: "EVS", Ownership: "MANAGED", Capacity: 50},
		Lease:  model.Lease{Enable: true, Duration: 3_600_000, Type: "TIMING"},
	}
	return model.FromNotebook(nb, nil)
}

func newFormsLoaded(t *testing.T, items []model.Instance, mod ...func(*Options)) (*Model, *formsFake) {
	t.Helper()
	f := newFormsFake(items)
	clk := &clock{t: t0}
	o := testOptions(clk)
	for _, fn := range mod {
		fn(&o)
	}
	m := New(f, o)
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	exec(t, m, m.poll())
	return m, f
}

// drive sends a formtest script (`"typed text" enter ctrl+s …`) and runs
// every command, so loads and submissions complete before it returns.
func drive(t *testing.T, m *Model, script string) {
	t.Helper()
	for _, k := range formtest.Keys(script) {
		_, cmd := m.Update(k)
		exec(t, m, cmd)
	}
}

func TestNewNotebookDefaultsBody(t *testing.T) {
	m, f := newFormsLoaded(t, fixture())
	drive(t, m, "n")
	if !strings.Contains(screen(m), "Gen 2 notebook") || !strings.Contains(screen(m), "Gen 1 DevEnviron instance") {
		t.Fatalf("no generation choice:\n%s", screen(m))
	}
	drive(t, m, "enter")
	if !formOpen(m) {
		t.Fatalf("no form after the choice:\n%s", screen(m))
	}
	s := screen(m)
	if !strings.Contains(s, "New notebook (Gen 2)") || len(strings.Split(s, "\n")) != 24 {
		t.Fatalf("form screen:\n%s", s)
	}
	drive(t, m, `"nb-1"`+strings.Repeat(" enter", 30))
	want := `create {"name":"nb-1","flavor":"modelarts.vm.cpu.2u","image_id":"img-cpu","volume":{"category":"EVS","ownership":"MANAGED","capacity":5},"lease":{"duration":3600000,"type":"timing"}}`
	if got := f.Bodies(); len(got) != 1 || got[0] != want {
		t.Fatalf("bodies %q\nwant %q", got, want)
	}
	if m.top() != nil {
		t.Fatalf("form still open:\n%s", screen(m))
	}
	// The new instance is listed at once with the returned status, and
	// polling is fast while it is creating.
	in, ok := m.table.Get("nb-new")
	if !ok || in.Status != "CREATING" || in.Name != "nb-1" {
		t.Fatalf("optimistic row %+v %v", in, ok)
	}
	if sel, _ := m.table.Selected(); sel.ID != "nb-new" {
		t.Errorf("selected %q, want the new row", sel.ID)
	}
	if m.interval() != m.opts.PollFast {
		t.Error("polling not fast after create")
	}
	if !strings.Contains(toastTexts(m), "nb-1: CREATING") {
		t.Errorf("toast %q", toastTexts(m))
	}
	// Once the server lists it, the server's row wins.
	nb := model.Notebook{ID: "nb-new", Name: "nb-1", Status: "RUNNING"}
	f.mu.Lock()
	f.items = append(f.items, model.FromNotebook(nb, nil))
	f.mu.Unlock()
	exec(t, m, m.poll())
	if in, _ := m.table.Get("nb-new"); in.Status != "RUNNING" {
		t.Fatalf("after the list: %+v", in)
	}
	// It is an ordinary row now: the created row's time limit no longer
	// applies to it.
	m.store.Expire(t0.Add(store.CreatedFor + time.Minute))
	m.publish()
	if _, ok := m.table.Get("nb-new"); !ok {
		t.Fatal("the listed instance went away with its created row")
	}
}

func TestEditDescriptionOnly(t *testing.T) {
	m, f := newFormsLoaded(t, append(fixture(), stoppedNotebook()))
	selectName(t, m, "editme")
	drive(t, m, "e")
	if !formOpen(m) {
		t.Fatalf("no edit form:\n%s", screen(m))
	}
	// Built-in images, then the user's own (saved from notebooks).
	if got := strings.Join(f.loads, ","); got != "switchable nb-edit,images,images" {
		t.Errorf("loads %q", got)
	}
	drive(t, m, `down ctrl+u "new text" ctrl+s enter`)
	if got := f.Bodies(); len(got) != 1 || got[0] != `update nb-edit {"description":"new text"}` {
		t.Fatalf("bodies %q", got)
	}
	if m.top() != nil {
		t.Fatalf("form still open:\n%s", screen(m))
	}
	if in, _ := m.table.Get("nb-edit"); in.Description != "new text" {
		t.Errorf("row not updated at once: %q", in.Description)
	}
	if !strings.Contains(toastTexts(m), "editme: updated") {
		t.Errorf("toast %q", toastTexts(m))
	}
}

func TestEditGen1Modify(t *testing.T) {
	m, f := newFormsLoaded(t, fixture())
	selectName(t, m, "cpu-dev")
	drive(t, m, `e "note" ctrl+s enter`)
	if got := f.Bodies(); len(got) != 1 || got[0] != `modify-dev c3d4 {"description":"note"}` {
		t.Fatalf("bodies %q\n%s", got, screen(m))
	}
}

func TestServerRejectionKeepsForm(t *testing.T) {
	m, f := newFormsLoaded(t, fixture())
	f.submitErr = &client.APIError{HTTPStatus: 400, Code: "ModelArts.6334", Message: "Invalid name."}
	drive(t, m, `n enter "taken" ctrl+s enter`)
	if got := f.Bodies(); len(got) != 1 {
		t.Fatalf("bodies %q (sent %d times)", got, len(got))
	}
	if !formOpen(m) || busy(m) {
		t.Fatalf("form closed or busy after the rejection:\n%s", screen(m))
	}
	s := screen(m)
	for _, want := range []string{"taken", "ModelArts.6334: Invalid name."} {
		if !strings.Contains(s, want) {
			t.Errorf("screen lacks %q:\n%s", want, s)
		}
	}
	if !strings.Contains(toastTexts(m), "ModelArts.6334") {
		t.Errorf("toast %q", toastTexts(m))
	}
	if _, ok := m.table.Get("nb-new"); ok {
		t.Error("a rejected create left a row")
	}
	// Fix the name and send again: the same form, the new value.
	f.submitErr = nil
	drive(t, m, `"2" ctrl+s enter`)
	got := f.Bodies()
	if len(got) != 2 || !strings.Contains(got[1], `"name":"taken2"`) {
		t.Fatalf("resubmission %q\n%s", got, screen(m))
	}
}

// TestSubmitNeverTwice: a second enter on the review screen while the
// first submission is in flight sends nothing.
func TestSubmitNeverTwice(t *testing.T) {
	m, f := newFormsLoaded(t, fixture())
	drive(t, m, `n enter "once" ctrl+s`)
	if !strings.Contains(screen(m), "Review") {
		t.Fatalf("not on review:\n%s", screen(m))
	}
	f.gate = make(chan struct{})
	// The form's enter produces its CreateMsg; handling it starts the call.
	_, cmd := m.Update(formtest.Key("enter"))
	msg := cmd()
	_, call := m.Update(msg)
	if !busy(m) || !strings.Contains(screen(m), "waiting for the server") {
		t.Fatalf("not busy:\n%s", screen(m))
	}
	// More enters while busy are swallowed, and a CreateMsg produced by an
	// enter before the call started is dropped.
	if _, c := m.Update(formtest.Key("enter")); c != nil {
		t.Fatal("key forwarded while busy")
	}
	m.Update(msg)
	done := make(chan tea.Msg)
	go func() { done <- call() }()
	close(f.gate)
	select {
	case res := <-done:
		exec(t, m, func() tea.Msg { return res })
	case <-time.After(5 * time.Second):
		t.Fatal("submission did not return")
	}
	if got := f.Bodies(); len(got) != 1 {
		t.Fatalf("sent %d times: %q", len(got), got)
	}
}

func TestReadOnlyBlocksForms(t *testing.T) {
	m, f := newFormsLoaded(t, fixture(), func(o *Options) { o.ReadOnly = true })
	selectName(t, m, "gpu-notebook")
	drive(t, m, "n e")
	drive(t, m, `: "codelab" enter`)
	if m.top() != nil {
		t.Fatalf("read-only session opened a form:\n%s", screen(m))
	}
	got := toastTexts(m)
	for _, want := range []string{"new: read-only session", "edit: read-only session", ":codelab: read-only session"} {
		if !strings.Contains(got, want) {
			t.Errorf("toasts lack %q: %q", want, got)
		}
	}
	if len(f.loads) != 0 || len(f.Bodies()) != 0 {
		t.Fatalf("read-only session called loads %v bodies %v", f.loads, f.Bodies())
	}
	// Browsing stays available.
	drive(t, m, `: "images" enter`)
	if !imagesOpen(m) {
		t.Fatalf(":images refused in a read-only session:\n%s", screen(m))
	}
}

// A backend that cannot do the forms' calls says so through its errors
// (errors.ErrUnsupported), like any other failure: no type assertion
// hides the forms.
func TestFormsOnABackendWithoutThem(t *testing.T) {
	m, _, _ := newLoaded(t, 80, 24, fixture())
	drive(t, m, "n enter")
	if m.top() != nil || !strings.Contains(toastTexts(m), "new notebook: loading flavors/images failed: not supported") {
		t.Fatalf("toast %q", toastTexts(m))
	}
}

func TestLoadFailureToastsCode(t *testing.T) {
	m, f := newFormsLoaded(t, fixture())
	f.loadErr = &client.APIError{HTTPStatus: 403, Code: "ModelArts.0203", Message: "No permission."}
	drive(t, m, "n enter")
	if m.top() != nil {
		t.Fatalf("overlay after a failed load:\n%s", screen(m))
	}
	if got := toastTexts(m); !strings.Contains(got, "new notebook: loading flavors/images failed: ModelArts.0203: No permission.") {
		t.Fatalf("toast %q", got)
	}
}

func TestLoadingStateAndCancel(t *testing.T) {
	m, _ := newFormsLoaded(t, fixture())
	_, cmd := m.Update(formtest.Key(":"))
	exec(t, m, cmd)
	for _, k := range formtest.Type("flavors") {
		m.Update(k)
	}
	_, load := m.Update(formtest.Key("enter"))
	if !strings.Contains(screen(m), "loading flavors… esc cancels") {
		t.Fatalf("no loading state:\n%s", screen(m))
	}
	m.Update(formtest.Key("esc"))
	exec(t, m, load) // the late result is dropped
	if m.top() != nil {
		t.Fatalf("cancelled load opened:\n%s", screen(m))
	}
}

func TestFlavorsAndImagesBrowse(t *testing.T) {
	m, f := newFormsLoaded(t, fixture())
	drive(t, m, `: "flavors" enter`)
	if !flavorsOpen(m) {
		t.Fatalf("no flavor browser:\n%s", screen(m))
	}
	drive(t, m, "tab tab tab enter")
	s := screen(m)
	for _, want := range []string{"Flavors", "[Ascend]", "modelarts.bm.d910.xlarge.1", "Ascend 910", "esc back"} {
		if !strings.Contains(s, want) {
			t.Errorf("flavors screen lacks %q:\n%s", want, s)
		}
	}
	if m.top() == nil {
		t.Fatal("enter closed the read-only browser")
	}
	drive(t, m, "esc")
	if m.top() != nil {
		t.Fatal("esc did not close :flavors")
	}
	drive(t, m, `: "images" enter`)
	s = screen(m)
	for _, want := range []string{"Images · 2", "NAME", "TAG", "ARCH", "CATEGORIES", "SERVICES", "mul-kernel-cpu", "5.0", "x86_64", "CPU,GPU", "NOTEBOOK,SSH", "mindspore", "aarch64", "ASCEND"} {
		if !strings.Contains(s, want) {
			t.Errorf("images screen lacks %q:\n%s", want, s)
		}
	}
	drive(t, m, "esc")
	if m.top() != nil || len(f.Bodies()) != 0 {
		t.Fatal("esc did not close :images")
	}
}

func TestCodeLabForm(t *testing.T) {
	m, f := newFormsLoaded(t, fixture())
	drive(t, m, `: "codelab" enter`)
	if m.top() == nil || !strings.Contains(screen(m), "Open CodeLab") {
		t.Fatalf("no CodeLab form:\n%s", screen(m))
	}
	drive(t, m, "enter enter enter")
	if got := f.Bodies(); len(got) != 1 || got[0] != "codelab {}" {
		t.Fatalf("bodies %q\n%s", got, screen(m))
	}
	if in, ok := m.table.Get("codelab-1"); !ok || in.Status != "CREATING" {
		t.Fatalf("codelab row %+v", in)
	}
}

// TestFormFitsAndScrolls: the create form at 80×24 never exceeds the
// screen and keeps the focused field visible as it moves down.
func TestFormFitsAndScrolls(t *testing.T) {
	m, _ := newFormsLoaded(t, fixture())
	drive(t, m, `n enter "x"`)
	for i := range 20 {
		s := screen(m)
		lines := strings.Split(s, "\n")
		if len(lines) != 24 {
			t.Fatalf("step %d: %d lines", i, len(lines))
		}
		for _, l := range lines {
			if w := len([]rune(l)); w > 80 {
				t.Fatalf("step %d: line wider than 80: %q", i, l)
			}
		}
		if formOpen(m) && !strings.Contains(s, "Review") && !strings.Contains(s, "▸ ") {
			t.Fatalf("step %d: focused field scrolled away:\n%s", i, s)
		}
		drive(t, m, "down")
	}
	drive(t, m, "esc")
	if !strings.Contains(screen(m), "Discard the new notebook?") {
		t.Fatalf("esc did not ask:\n%s", screen(m))
	}
	drive(t, m, "y")
	if m.top() != nil {
		t.Fatal("y did not discard")
	}
}

// TestFormKeysRemappable: n and e are remappable by name.
func TestFormKeysRemappable(t *testing.T) {
	m, _ := newFormsLoaded(t, fixture(), func(o *Options) { o.Keys = map[string][]string{"new": {"N"}, "edit": {"E"}} })
	drive(t, m, "n")
	if topDialog(m) != nil {
		t.Fatal("n still opens the new dialog")
	}
	drive(t, m, "N")
	if topDialog(m) == nil {
		t.Fatal("N does not open the new dialog")
	}
}

func TestHelpListsFormKeys(t *testing.T) {
	m, _ := newFormsLoaded(t, fixture())
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 60})
	drive(t, m, "?")
	s := screen(m)
	for _, want := range []string{"n            new instance", "e            edit instance", ":codelab open CodeLab · :flavors · :images"} {
		if !strings.Contains(s, want) {
			t.Errorf("help lacks %q:\n%s", want, s)
		}
	}
}

// The footer says what esc does where the user is: cancel on the form,
// back to the form on the review.
func TestFormFooterSaysWhatEscDoes(t *testing.T) {
	m, _ := newFormsLoaded(t, fixture())
	drive(t, m, `n enter`)
	if s := screen(m); !strings.Contains(s, "esc cancel") {
		t.Fatalf("form footer:\n%s", s)
	}
	drive(t, m, `"nb-esc" ctrl+s`)
	s := screen(m)
	if !strings.Contains(s, "Review") {
		t.Fatalf("not on review:\n%s", s)
	}
	if !strings.Contains(s, "esc back to the form") || strings.Contains(s, "esc cancel") {
		t.Fatalf("review footer should offer going back, not cancel:\n%s", s)
	}
}

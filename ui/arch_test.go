package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"matui/client"
	"matui/model"
	"matui/ui/forms/formtest"
	"matui/ui/overlay"
)

// newForm is an overlay the dashboard has never heard of: it submits on
// enter and closes on success. Nothing registers it anywhere.
type newForm struct {
	runs *int
	done *overlay.Done
}

func (f *newForm) Update(msg tea.Msg) (overlay.Overlay, tea.Cmd) {
	switch msg := msg.(type) {
	case overlay.Done:
		*f.done = msg
		if msg.Err == nil {
			return nil, nil
		}
	case tea.KeyPressMsg:
		if msg.String() == "enter" {
			return f, overlay.Do(overlay.Submit{What: "making it", Mutates: true, Run: func(context.Context) (any, error) {
				*f.runs++
				return overlay.Change{Instance: model.Instance{ID: "brand-new", Name: "brand-new", Status: "CREATING",
					Class: model.ClassTransitional, Generation: model.Gen2}, Created: true}, nil
			}})
		}
	}
	return f, nil
}
func (f *newForm) View(int, int) string { return "a new kind of form" }
func (f *newForm) Help() []key.Binding  { return nil }

// A new form type needs no registration beyond opening it: its submission
// runs once, its Done comes back to it, and its Change shows in the list.
func TestNewOverlayTypeSubmitsWithoutRegistration(t *testing.T) {
	m, _, _ := newLoaded(t, 100, 24, fixture())
	var runs int
	var done overlay.Done
	m.push(&newForm{runs: &runs, done: &done})
	exec(t, m, press(m, "enter"))
	if runs != 1 || done.Err != nil || m.top() != nil {
		t.Fatalf("runs %d, done %+v, overlay still open %v", runs, done, m.top() != nil)
	}
	if in, ok := m.table.Get("brand-new"); !ok || in.Status != "CREATING" {
		t.Fatalf("the created instance is not listed: %+v", in)
	}
	if !strings.Contains(toastTexts(m), "brand-new: CREATING") {
		t.Fatalf("toast %q", toastTexts(m))
	}
}

// Remapped keys apply in a browser (close), a form (review) and a dialog
// (yes), and the old keys no longer do; the footers show the new keys.
func TestRemappedKeysWorkInOverlays(t *testing.T) {
	m, f := newFormsLoaded(t, fixture(), func(o *Options) {
		o.Keys = map[string][]string{"close": {"w"}, "review": {"ctrl+r"}, "yes": {"o"}}
	})

	// Browser: w closes :images, q no longer does.
	drive(t, m, `: "images" enter`)
	if !imagesOpen(m) {
		t.Fatalf("no image browser:\n%s", screen(m))
	}
	drive(t, m, "q")
	if !imagesOpen(m) {
		t.Fatal("q still closes the browser")
	}
	drive(t, m, "w")
	if m.top() != nil {
		t.Fatalf("w did not close the browser:\n%s", screen(m))
	}

	// Form: ctrl+r opens the review, ctrl+s does not; the hint says so.
	drive(t, m, `n enter "remapped"`)
	if !formOpen(m) || !strings.Contains(screen(m), "ctrl+r review") || strings.Contains(screen(m), "ctrl+s review") {
		t.Fatalf("form footer does not show the remap:\n%s", screen(m))
	}
	drive(t, m, "ctrl+s")
	if strings.Contains(screen(m), "Review: this request body") {
		t.Fatal("ctrl+s still opens the review")
	}
	drive(t, m, "ctrl+r")
	if !strings.Contains(screen(m), "Review: this request body") {
		t.Fatalf("ctrl+r did not open the review:\n%s", screen(m))
	}
	drive(t, m, "esc esc y") // back to the form, then discard: y is no longer yes
	if !formOpen(m) {
		t.Fatal("y still discards")
	}
	drive(t, m, "o")
	if m.top() != nil {
		t.Fatalf("o did not discard the form:\n%s", screen(m))
	}

	// Dialog: o confirms the stop, y does not.
	selectName(t, m, "gpu-notebook")
	drive(t, m, "x")
	if topDialog(m) == nil || !strings.Contains(screen(m), "o confirm") {
		t.Fatalf("stop dialog does not show the remap:\n%s", screen(m))
	}
	drive(t, m, "y")
	if topDialog(m) == nil || len(f.Calls()) != 0 {
		t.Fatalf("y confirmed the stop: calls %v", f.Calls())
	}
	drive(t, m, "o")
	if topDialog(m) != nil || len(f.Calls()) != 1 || f.Calls()[0] != "stop a1b2" {
		t.Fatalf("o did not confirm the stop: calls %v", f.Calls())
	}
}

// The help overlay lists the remapped keys too.
func TestHelpShowsRemappedOverlayKeys(t *testing.T) {
	m, _, _ := newLoaded(t, 120, 40, fixture(), func(o *Options) { o.Keys = map[string][]string{"filter": {"F"}} })
	press(m, "?")
	if s := screen(m); !strings.Contains(s, "F") || !strings.Contains(s, "filter") {
		t.Fatalf("help:\n%s", s)
	}
	press(m, "esc")
	press(m, "F")
	if topLine(m) == nil {
		t.Fatal("F does not open the filter")
	}
}

// One auth classification (client.IsAuth) everywhere: a bare HTTP 401 or
// 403 from a proxy in front of the gateway also pauses auto-polling, which
// the dashboard's own classification (codes only) did not.
func TestBareUnauthorizedPausesPolling(t *testing.T) {
	for _, status := range []int{401, 403} {
		m, f, clk := newLoaded(t, 120, 24, fixture())
		f.listErr = &client.APIError{HTTPStatus: status}
		exec(t, m, m.poll())
		if s := screen(m); !strings.Contains(s, "auto-refresh paused") {
			t.Fatalf("%d: not paused:\n%s", status, s)
		}
		clk.Add(DefaultPollSlow)
		m.Update(tickMsg{})
		if m.polling() {
			t.Fatalf("%d: polled again by itself", status)
		}
	}
}

// A hung submission does not freeze the form: esc gives control back at
// once and says the request may still be applied; when the answer comes
// after all, it is applied (the form closes, the row shows).
func TestEscLeavesAHungSubmission(t *testing.T) {
	m, f := newFormsLoaded(t, fixture())
	drive(t, m, `n enter "slow" ctrl+s`)
	f.gate = make(chan struct{})
	_, cmd := m.Update(formtest.Key("enter"))
	_, call := m.Update(cmd())
	if !busy(m) || !strings.Contains(screen(m), "esc stop waiting") {
		t.Fatalf("not waiting:\n%s", screen(m))
	}
	drive(t, m, "esc")
	if busy(m) || !formOpen(m) || !strings.Contains(toastTexts(m), "creating the notebook: sent — it may still be applied") {
		t.Fatalf("esc did not give control back: busy %v, toasts %q\n%s", busy(m), toastTexts(m), screen(m))
	}
	// The form is usable again: typing changes the name.
	drive(t, m, `"x"`)
	if !strings.Contains(screen(m), "slowx") {
		t.Fatalf("the form takes no keys:\n%s", screen(m))
	}
	done := make(chan tea.Msg)
	go func() { done <- call() }()
	close(f.gate)
	exec(t, m, func() tea.Msg { return <-done })
	if formOpen(m) {
		t.Fatalf("the form stayed open after its create succeeded:\n%s", screen(m))
	}
	if _, ok := m.table.Get("nb-new"); !ok {
		t.Fatal("the created instance is not listed")
	}
	if n := len(f.Bodies()); n != 1 {
		t.Fatalf("sent %d times", n)
	}
}

// A create that times out is looked up before the form may be sent
// again; not found, the form stays and says it may be resent.
func TestTimedOutCreateSaysItMayHaveHappened(t *testing.T) {
	m, f := newFormsLoaded(t, fixture())
	f.submitErr = context.DeadlineExceeded
	drive(t, m, `n enter "late" ctrl+s enter`)
	if !formOpen(m) || !strings.Contains(toastTexts(m), "it was not created: you can send it again") {
		t.Fatalf("toasts %q\n%s", toastTexts(m), screen(m))
	}
	if s := toastTexts(m); !strings.Contains(s, "it may have been created: checking") {
		t.Fatalf("toasts %q", s)
	}
}

// A bulk start with a duration says which instances ignore it: Gen 1 has
// no per-start auto-stop and keeps its configured one.
func TestBulkStartNamesGen1ConfiguredAutoStop(t *testing.T) {
	items := fixture()
	for i := range items {
		if items[i].Name == "broken" {
			items[i].Status, items[i].Class = "STOPPED", model.ClassStopped // a stopped Gen 2
		}
		if items[i].Name == "cpu-dev" {
			items[i].AutoStop = model.AutoStop{Enabled: true, Duration: 90 * time.Minute}
		}
	}
	m, f, _ := newLoaded(t, 120, 30, items)
	selectName(t, m, "broken")
	press(m, "space")
	selectName(t, m, "cpu-dev")
	press(m, "space", "s")
	if s := screen(m); !strings.Contains(s, "Gen 1 keeps its configured auto-stop: cpu-dev (1h30m)") {
		t.Fatalf("dialog does not say so:\n%s", s)
	}
	exec(t, m, press(m, "enter"))
	if got := f.Calls(); len(got) != 2 || got[0] != "start(1h0m0s) f6a7" || got[1] != "start(1h0m0s) c3d4" {
		t.Fatalf("calls %v", got)
	}
}

// renewAnswer is a backend whose renew answers with the new deadline.
type renewAnswer struct{ *fakeBackend }

func (r renewAnswer) RenewLease(ctx context.Context, in model.Instance, d time.Duration) (model.Instance, error) {
	if _, err := r.fakeBackend.RenewLease(ctx, in, d); err != nil {
		return model.Instance{}, err
	}
	in.AutoStop.Deadline = r.ServerNow().Add(d)
	return in, nil
}

// An action's answer updates its row at once, before the next listing
// (which here never comes back).
func TestActionAnswerUpdatesTheRowBeforeThePoll(t *testing.T) {
	f := &fakeBackend{items: fixture(), actErr: map[string]error{}}
	clk := &clock{t: t0}
	m := New(renewAnswer{f}, testOptions(clk))
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 24})
	exec(t, m, m.poll())
	selectName(t, m, "gpu-notebook") // 12 min left
	f.block = make(chan struct{})    // listings hang from now on
	defer close(f.block)
	press(m, "l")
	exec(t, m, press(m, "3")) // 4 h
	in, _ := m.table.Get("a1b2")
	if want := t0.Add(4 * time.Hour); !in.AutoStop.Deadline.Equal(want) {
		t.Fatalf("deadline %v, want %v before any listing", in.AutoStop.Deadline, want)
	}
	if !strings.Contains(screen(m), "4h00m") {
		t.Fatalf("the row does not show the renewed countdown:\n%s", screen(m))
	}
}

// createdBehindTheError is a forms backend whose create is made on the
// server but answered with a gateway error, as a 502 after processing is.
type createdBehindTheError struct{ *formsFake }

func (f createdBehindTheError) CreateNotebook(ctx context.Context, req model.CreateNotebookRequest) (model.Notebook, error) {
	nb, err := f.formsFake.CreateNotebook(ctx, req)
	if err != nil {
		return nb, err
	}
	in := model.FromNotebook(nb, nil)
	f.mu.Lock()
	f.items = append(f.items, in)
	f.mu.Unlock()
	return model.Notebook{}, &client.AmbiguousError{Err: &client.APIError{HTTPStatus: 502, Message: "Bad Gateway"}}
}

// Issue 14: a create answered 502 after the service made it is looked up
// by name before the form may be sent again: the form says it was created
// after all and closes; exactly one notebook exists.
func TestAmbiguousCreateIsLookedUpNotRepeated(t *testing.T) {
	f := newFormsFake(fixture())
	clk := &clock{t: t0}
	m := New(createdBehindTheError{f}, testOptions(clk))
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 30})
	exec(t, m, m.poll())
	drive(t, m, `n enter "once-only" ctrl+s enter`)
	if formOpen(m) {
		t.Fatalf("the form stayed open though the notebook exists:\n%s", screen(m))
	}
	if s := toastTexts(m); !strings.Contains(s, "it may have been created: checking") || !strings.Contains(s, "once-only: created after all") {
		t.Fatalf("toasts %q", s)
	}
	if n := len(f.Bodies()); n != 1 {
		t.Fatalf("created %d times", n)
	}
	if _, ok := m.table.Get("nb-new"); !ok {
		t.Fatal("the created notebook is not listed")
	}
}

// When the lookup finds nothing, the form stays with the error and says it
// may be sent again.
func TestAmbiguousCreateNotMadeMaySendAgain(t *testing.T) {
	m, f := newFormsLoaded(t, fixture())
	f.submitErr = &client.AmbiguousError{Err: &client.APIError{HTTPStatus: 504, Message: "Gateway Timeout"}}
	drive(t, m, `n enter "not-made" ctrl+s enter`)
	if !formOpen(m) || busy(m) {
		t.Fatalf("form closed or busy:\n%s", screen(m))
	}
	if s := toastTexts(m); !strings.Contains(s, "it was not created: you can send it again") {
		t.Fatalf("toasts %q", s)
	}
	f.submitErr = nil
	drive(t, m, "ctrl+s enter")
	if n := len(f.Bodies()); n != 2 {
		t.Fatalf("sent %d times, want the resend", n)
	}
}

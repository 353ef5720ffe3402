package ui

import (
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"matui/model"
	"matui/ui/forms/formtest"
	"matui/ui/store"
	"matui/ui/text"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func testOptions(clk *clock) Options {
	return Options{
		Theme: "dark",
		Now:   clk.Now,
		Header: HeaderInfo{Backend: "simulator", Cloud: "OTC", Region: "eu-de",
			Project: "0123456789abcdef"},
	}
}

// newLoaded returns a dashboard that has completed its first poll.
func newLoaded(t *testing.T, w, h int, items []model.Instance, mod ...func(*Options)) (*Model, *fakeBackend, *clock) {
	t.Helper()
	f := &fakeBackend{items: items, actErr: map[string]error{}}
	clk := &clock{t: t0}
	o := testOptions(clk)
	for _, fn := range mod {
		fn(&o)
	}
	m := New(f, o)
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	exec(t, m, m.poll())
	return m, f, clk
}

// exec runs cmd and feeds its messages back into m, following batches.
// Commands that do not return quickly (ticks) are dropped: tests advance
// time by sending tickMsg themselves.
func exec(t *testing.T, m *Model, cmd tea.Cmd) {
	t.Helper()
	if cmd == nil {
		return
	}
	ch := make(chan tea.Msg, 1)
	go func() { ch <- cmd() }()
	var msg tea.Msg
	select {
	case msg = <-ch:
	case <-time.After(150 * time.Millisecond):
		return
	}
	switch msg := msg.(type) {
	case nil:
	case tea.BatchMsg:
		for _, c := range msg {
			exec(t, m, c)
		}
	case tea.QuitMsg:
	default:
		_, next := m.Update(msg)
		exec(t, m, next)
	}
}

// press sends keys and returns the last command.
func press(m *Model, keys ...string) tea.Cmd {
	var cmd tea.Cmd
	for _, k := range keys {
		_, cmd = m.Update(formtest.Key(k))
	}
	return cmd
}

func screen(m *Model) string { return ansi.Strip(m.View().Content) }

func selectName(t *testing.T, m *Model, name string) {
	t.Helper()
	m.table.Top()
	for i := 0; i < m.table.Len(); i++ {
		if in, _ := m.table.Selected(); in.Name == name {
			return
		}
		m.table.Move(1)
	}
	t.Fatalf("instance %q not in list", name)
}

func toastTexts(m *Model) string {
	var out []string
	for _, t := range m.toasts.Toasts() {
		out = append(out, t.Text)
	}
	return strings.Join(out, "\n")
}

func TestListShowsEverything(t *testing.T) {
	m, _, _ := newLoaded(t, 160, 20, fixture())
	s := screen(m)
	for _, want := range []string{
		"simulator · OTC · eu-de · project 0123456789abcdef", "updated 0s ago",
		"● 3 running", "◐ 1 transitional", "# 1 queued", "○ 1 stopped", "✗ 1 failed",
		"gpu-notebook", "G2", "● RUNNING", "V100 ×1 · 8 vCPU · 64 GiB", "12:00",
		"Ascend 910 ×8 · 192 vCPU · 1.5 TiB", "04:30", "CPU · 2 vCPU · 8 GiB", "G1",
		"笔记本-实验🚀", "off", "#3 START_QUEUING", "q 04:10", "✗ CREATE_FAILED", "26h", "alice",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("screen lacks %q:\n%s", want, s)
		}
	}
}

func TestCountdownTicks(t *testing.T) {
	m, f, _ := newLoaded(t, 120, 20, fixture())
	if s := screen(m); !strings.Contains(s, "12:00") || !strings.Contains(s, "04:30") {
		t.Fatalf("no countdowns:\n%s", s)
	}
	f.setNow(t0.Add(8*time.Minute + 1500*time.Millisecond))
	m.Update(tickMsg{})
	s := screen(m)
	if !strings.Contains(s, "03:58") || !strings.Contains(s, "stopping…") {
		t.Fatalf("after 8m want 03:58 and stopping…:\n%s", s)
	}
}

func TestCountdownColours(t *testing.T) {
	m, _, _ := newLoaded(t, 120, 20, fixture())
	selectName(t, m, "cpu-dev")
	// AUTO-STOP is 10 cells: its title plus a sort arrow (issue 13).
	warn := m.ctx.Styles.Warning.Render(text.FitRight("12:00", 10))
	danger := m.ctx.Styles.Danger.Render(text.FitRight("04:30", 10))
	v := m.View().Content
	if !strings.Contains(v, warn) {
		t.Error("12:00 not in warning style")
	}
	if !strings.Contains(v, danger) {
		t.Error("04:30 not in danger style")
	}
}

func TestUnavailableActionSaysWhy(t *testing.T) {
	m, f, _ := newLoaded(t, 120, 20, fixture())
	selectName(t, m, "cpu-dev")
	press(m, "x")
	if topDialog(m) != nil {
		t.Fatal("dialog opened for stop on a stopped instance")
	}
	if got := toastTexts(m); !strings.Contains(got, "stop: instance is STOPPED") {
		t.Fatalf("toast %q", got)
	}
	selectName(t, m, "free-tier")
	press(m, "l")
	if got := toastTexts(m); !strings.Contains(got, "renew: Gen 1 instances have no lease to renew") {
		t.Fatalf("toast %q", got)
	}
	selectName(t, m, "gpu-notebook")
	press(m, "s")
	if got := toastTexts(m); !strings.Contains(got, "start: instance is RUNNING") {
		t.Fatalf("toast %q", got)
	}
	if len(f.Calls()) != 0 {
		t.Fatalf("calls %v", f.Calls())
	}
}

func TestStopConfirmFlow(t *testing.T) {
	m, f, _ := newLoaded(t, 120, 24, fixture())
	selectName(t, m, "gpu-notebook")
	press(m, "x")
	if topDialog(m) == nil || !strings.Contains(screen(m), "Stop gpu-notebook?") {
		t.Fatalf("no confirm dialog:\n%s", screen(m))
	}
	press(m, "n")
	if topDialog(m) != nil || len(f.Calls()) != 0 {
		t.Fatal("n must cancel without calling")
	}
	press(m, "x")
	cmd := press(m, "y")
	// Optimistic: STOPPING before the call has even run.
	if in, _ := m.table.Selected(); in.Status != "STOPPING" || in.Name != "gpu-notebook" {
		t.Fatalf("optimistic state %s %s", in.Name, in.Status)
	}
	if m.interval() != m.opts.PollFast {
		t.Fatal("polling not fast after action")
	}
	exec(t, m, cmd)
	if got := f.Calls(); len(got) != 1 || got[0] != "stop a1b2" {
		t.Fatalf("calls %v", got)
	}
	if got := toastTexts(m); !strings.Contains(got, "gpu-notebook: stopping") {
		t.Fatalf("toast %q", got)
	}
}

func TestOptimisticStateHoldsUntilServerMoves(t *testing.T) {
	m, f, clk := newLoaded(t, 120, 24, fixture())
	f.block = nil
	selectName(t, m, "gpu-notebook")
	press(m, "x")
	press(m, "y") // do not run the call: the server still says RUNNING
	exec(t, m, m.poll())
	if in, _ := m.table.Get("a1b2"); in.Status != "STOPPING" {
		t.Fatalf("optimistic state lost on stale poll: %s", in.Status)
	}
	clk.Add(store.ExpectFor + time.Second)
	m.Update(tickMsg{})
	if in, _ := m.table.Get("a1b2"); in.Status != "RUNNING" {
		t.Fatalf("unconfirmed optimistic state never expired: %s", in.Status)
	}
}

func TestActionErrorShowsAPICode(t *testing.T) {
	m, f, _ := newLoaded(t, 120, 24, fixture())
	f.actErr["a1b2"] = apiErr("ModelArts.6357", "another operation in progress")
	selectName(t, m, "gpu-notebook")
	press(m, "x")
	exec(t, m, press(m, "y"))
	if got := toastTexts(m); !strings.Contains(got, "stop gpu-notebook: ModelArts.6357: another operation in progress") {
		t.Fatalf("toast %q", got)
	}
	if in, _ := m.table.Get("a1b2"); in.Status != "RUNNING" {
		t.Fatalf("failed action left optimistic state: %s", in.Status)
	}
}

func TestDeleteRequiresTypedName(t *testing.T) {
	m, f, _ := newLoaded(t, 120, 24, fixture())
	selectName(t, m, "gpu-notebook")
	press(m, "ctrl+d")
	if topDialog(m) == nil {
		t.Fatal("no delete dialog")
	}
	press(m, "g", "p", "u", "enter")
	if topDialog(m) == nil || !strings.Contains(screen(m), "does not match") {
		t.Fatal("wrong name accepted")
	}
	for _, r := range "-notebook" {
		press(m, string(r))
	}
	exec(t, m, press(m, "enter"))
	if got := f.Calls(); len(got) != 1 || got[0] != "delete a1b2" {
		t.Fatalf("calls %v", got)
	}
}

func TestGen1DeleteWhileRunningRefused(t *testing.T) {
	items := fixture()
	items[2].Status, items[2].Class = "RUNNING", model.ClassRunning // cpu-dev, Gen 1
	m, _, _ := newLoaded(t, 120, 24, items)
	selectName(t, m, "cpu-dev")
	press(m, "ctrl+d")
	if topDialog(m) != nil || !strings.Contains(toastTexts(m), "Gen 1 instances must be stopped first") {
		t.Fatalf("toast %q", toastTexts(m))
	}
}

func TestStartChoosesAutoStop(t *testing.T) {
	items := fixture()
	items[0].Status, items[0].Class = "STOPPED", model.ClassStopped // gpu-notebook, Gen 2
	m, f, _ := newLoaded(t, 120, 24, items)
	selectName(t, m, "gpu-notebook")
	press(m, "s")
	if topDialog(m) == nil || !strings.Contains(screen(m), "auto-stop after") {
		t.Fatalf("no start dialog:\n%s", screen(m))
	}
	exec(t, m, press(m, "right", "enter"))
	if got := f.Calls(); len(got) != 1 || got[0] != "start(2h0m0s) a1b2" {
		t.Fatalf("calls %v", got)
	}
	// Gen 1 starts without a dialog (no auto-stop choice applies).
	selectName(t, m, "cpu-dev")
	exec(t, m, press(m, "s"))
	if got := f.Calls(); len(got) != 2 || got[1] != "start(0s) c3d4" {
		t.Fatalf("calls %v", got)
	}
}

func TestRenewLease(t *testing.T) {
	m, f, _ := newLoaded(t, 120, 24, fixture())
	selectName(t, m, "ascend-train")
	press(m, "l")
	exec(t, m, press(m, "3"))
	if got := f.Calls(); len(got) != 1 || got[0] != "renew(4h0m0s) b2c3" {
		t.Fatalf("calls %v", got)
	}
}

func TestBulkActionOnMarked(t *testing.T) {
	m, f, _ := newLoaded(t, 120, 24, fixture())
	selectName(t, m, "ascend-train")
	press(m, "space") // marks and moves down to broken
	selectName(t, m, "cpu-dev")
	press(m, "space")
	selectName(t, m, "gpu-notebook")
	press(m, "space")
	if m.table.MarkCount() != 3 {
		t.Fatalf("marked %d", m.table.MarkCount())
	}
	press(m, "x")
	if topDialog(m) == nil || !strings.Contains(screen(m), "skipped 1: cpu-dev (instance is STOPPED)") {
		t.Fatalf("dialog:\n%s", screen(m))
	}
	exec(t, m, press(m, "y"))
	got := f.Calls()
	// In display order (sorted by name): ascend-train, gpu-notebook.
	if len(got) != 2 || got[0] != "stop b2c3" || got[1] != "stop a1b2" {
		t.Fatalf("calls %v", got)
	}
	if !strings.Contains(toastTexts(m), "stop: 2 of 2 ok, 0 failed") {
		t.Fatalf("toast %q", toastTexts(m))
	}
	if m.table.MarkCount() != 0 {
		t.Fatal("marks not cleared after the action")
	}
}

func TestNeverTwoPollsInFlight(t *testing.T) {
	m, f, _ := newLoaded(t, 120, 24, fixture())
	f.block = make(chan struct{})
	first := m.poll()
	if first == nil {
		t.Fatal("no poll")
	}
	if m.poll() != nil {
		t.Fatal("second poll started while one is in flight")
	}
	// A tick while polling starts nothing either.
	m.nextPoll = time.Time{}
	_, tc := m.Update(tickMsg{})
	done := make(chan tea.Msg)
	go func() { done <- first() }()
	close(f.block)
	msg := <-done
	exec(t, m, tc) // only the (dropped) tick
	if f.maxIn != 1 {
		t.Fatalf("max in flight %d", f.maxIn)
	}
	// The queued refresh runs as soon as the first returns.
	_, next := m.Update(msg)
	if next == nil || !m.polling() {
		t.Fatal("queued refresh did not start")
	}
}

func TestAdaptivePolling(t *testing.T) {
	m, _, clk := newLoaded(t, 120, 24, fixture())
	if got := m.nextPoll.Sub(clk.Now()); got != DefaultPollFast {
		t.Fatalf("transitional instances: next poll in %v", got)
	}
	var settled []model.Instance
	for _, in := range fixture() {
		if in.Class != model.ClassTransitional && in.Class != model.ClassQueued {
			settled = append(settled, in)
		}
	}
	m2, _, clk2 := newLoaded(t, 120, 24, settled)
	if got := m2.nextPoll.Sub(clk2.Now()); got != DefaultPollSlow {
		t.Fatalf("settled: next poll in %v", got)
	}
	// The tick starts the poll when due, not before.
	clk2.Add(DefaultPollSlow - time.Second)
	m2.Update(tickMsg{})
	if m2.polling() {
		t.Fatal("polled early")
	}
	clk2.Add(time.Second)
	m2.Update(tickMsg{})
	if !m2.polling() {
		t.Fatal("did not poll when due")
	}
}

func TestStaleMarker(t *testing.T) {
	m, f, clk := newLoaded(t, 140, 24, fixture())
	f.listErr = apiErr("ModelArts.0103", "token expired")
	clk.Add(45 * time.Second)
	exec(t, m, m.poll())
	s := screen(m)
	if !strings.Contains(s, "⚠ stale 45s: ModelArts.0103: token expired") {
		t.Fatalf("no stale marker:\n%s", s)
	}
	if !strings.Contains(s, "gpu-notebook") {
		t.Fatal("data dropped on error")
	}
	f.listErr = nil
	exec(t, m, m.poll())
	if s := screen(m); strings.Contains(s, "stale") || !strings.Contains(s, "updated 0s ago") {
		t.Fatalf("stale marker stuck:\n%s", s)
	}
}

func TestSelectionFollowsInstanceAcrossRefresh(t *testing.T) {
	m, f, _ := newLoaded(t, 120, 24, fixture())
	selectName(t, m, "cpu-dev")
	f.mu.Lock()
	f.items = append([]model.Instance{{ID: "zz", Name: "aaa-first", Status: "RUNNING", Class: model.ClassRunning}}, f.items...)
	f.mu.Unlock()
	exec(t, m, m.poll())
	if in, _ := m.table.Selected(); in.Name != "cpu-dev" {
		t.Fatalf("selection moved to %s", in.Name)
	}
	press(m, "o") // sort by GEN
	if in, _ := m.table.Selected(); in.Name != "cpu-dev" {
		t.Fatalf("selection moved on re-sort to %s", in.Name)
	}
}

func TestFilterTabAndEsc(t *testing.T) {
	m, _, _ := newLoaded(t, 120, 24, fixture())
	press(m, "/", "a", "s", "c")
	if m.table.Len() != 1 {
		t.Fatalf("live filter: %d rows", m.table.Len())
	}
	press(m, "enter")
	if topLine(m) != nil || m.table.Filter() != "asc" {
		t.Fatal("enter must keep the filter and close the input")
	}
	press(m, "esc")
	if m.table.Filter() != "" || m.table.Len() != 7 {
		t.Fatal("esc did not clear the filter")
	}
	press(m, "tab")
	if m.table.Len() != 3 || !strings.Contains(screen(m), "group:running") {
		t.Fatalf("tab: %d rows", m.table.Len())
	}
	press(m, "esc")
	if m.table.Len() != 7 {
		t.Fatal("esc did not reset the group")
	}
}

func TestRemappedKeysAndHelp(t *testing.T) {
	m, f, _ := newLoaded(t, 120, 30, fixture(), func(o *Options) {
		o.Keys = map[string][]string{"stop": {"X"}, "bogus": {"z"}}
	})
	if !strings.Contains(toastTexts(m), "unknown key actions: bogus") {
		t.Fatalf("unknown action not reported: %q", toastTexts(m))
	}
	selectName(t, m, "gpu-notebook")
	press(m, "x")
	if topDialog(m) != nil {
		t.Fatal("old key still bound")
	}
	press(m, "X")
	if topDialog(m) == nil {
		t.Fatal("new key not bound")
	}
	press(m, "esc", "?")
	s := screen(m)
	for _, want := range []string{"Keys · instances", "X", "stop", "ctrl+d", "delete", "o", "sort by next column", "Connected to https://modelarts.eu-de"} {
		if !strings.Contains(s, want) {
			t.Errorf("help lacks %q", want)
		}
	}
	press(m, "?")
	if helpOpen(m) {
		t.Fatal("? did not close help")
	}
	_ = f
}

func TestCommandLine(t *testing.T) {
	m, _, _ := newLoaded(t, 120, 24, fixture())
	press(m, ":", "f", "l", "a", "v", "o", "r", "s")
	exec(t, m, press(m, "enter"))
	if !strings.Contains(toastTexts(m), "flavors: loading flavors failed: not supported") {
		t.Fatalf("toast %q", toastTexts(m))
	}
	press(m, ":")
	for _, r := range "theme light" {
		press(m, string(r))
	}
	exec(t, m, press(m, "enter"))
	if m.themeName != "light" {
		t.Fatalf("theme %q", m.themeName)
	}
	press(m, ":", "n", "o", "p", "e")
	press(m, "enter")
	if !strings.Contains(toastTexts(m), "unknown command :nope") {
		t.Fatalf("toast %q", toastTexts(m))
	}
	press(m, ":", "q")
	if cmd := press(m, "enter"); cmd == nil || !m.quitting {
		t.Fatal(":q did not quit")
	}
}

func TestDetailsAndRawJSON(t *testing.T) {
	m, _, _ := newLoaded(t, 100, 40, fixture())
	selectName(t, m, "fresh")
	press(m, "enter")
	s := screen(m)
	for _, want := range []string{"fresh · details", "Status", "✓ 1 storage", "2 compute", "· 3 network", "Auto-stop",
		"Compute", "modelarts.vm.gpu.v100", "Image", "Instance", "e5f6"} {
		if !strings.Contains(s, want) {
			t.Errorf("details lack %q:\n%s", want, s)
		}
	}
	if strings.Index(s, "1 storage") > strings.Index(s, "2 compute") {
		t.Error("stepper not in step order")
	}
	press(m, "J")
	v := m.View().Content
	if !strings.Contains(ansi.Strip(v), `"note": "\u001b[31mred"`) {
		t.Fatalf("raw JSON missing or unescaped:\n%s", ansi.Strip(v))
	}
	cmd := press(m, "y")
	if cmd == nil || !strings.Contains(toastTexts(m), "copied id e5f6") {
		t.Fatal("y did not copy")
	}
	if cmd := press(m, "Y"); cmd == nil || !strings.Contains(toastTexts(m), "copied URL https://notebook.example/e5f6") {
		t.Fatal("Y did not copy the URL")
	}
	press(m, "esc")
	if m.mode != modeList {
		t.Fatal("esc did not go back")
	}
}

func TestToastsExpireIndependently(t *testing.T) {
	m, _, clk := newLoaded(t, 120, 24, fixture())
	m.toasts.Push(0, "first")
	clk.Add(3 * time.Second)
	m.toasts.Push(2, "second error")
	clk.Add(1500 * time.Millisecond)
	m.Update(tickMsg{})
	got := toastTexts(m)
	if strings.Contains(got, "first") || !strings.Contains(got, "second error") {
		t.Fatalf("toasts %q", got)
	}
}

func TestToastDoesNotCoverSelection(t *testing.T) {
	m, _, _ := newLoaded(t, 80, 12, fixture())
	m.table.Bottom()
	sel, _ := m.table.Selected()
	for i := 0; i < 3; i++ {
		m.toasts.Push(0, "hello")
	}
	m.Update(tickMsg{})
	if !strings.Contains(screen(m), sel.Name) {
		t.Fatalf("selected %q hidden by toasts:\n%s", sel.Name, screen(m))
	}
}

func TestResizeNeverPanicsOrOverflows(t *testing.T) {
	m, _, _ := newLoaded(t, 80, 24, fixture())
	press(m, "x") // a dialog open makes the layout harder
	for _, w := range []int{0, 1, 5, 20, 40, 60, 80, 120, 200} {
		for _, h := range []int{0, 1, 3, 5, 12, 24, 50} {
			m.Update(tea.WindowSizeMsg{Width: w, Height: h})
			for _, mode := range []func(){func() {}, func() { m.openHelp() }, func() { m.overlays = m.overlays[:len(m.overlays)-1]; m.mode = modeDetails }} {
				mode()
				v := m.View().Content
				lines := strings.Split(v, "\n")
				if w > 0 && h > 0 && len(lines) > h {
					t.Fatalf("%dx%d: %d lines", w, h, len(lines))
				}
				for _, l := range lines {
					if ansi.StringWidth(l) > w {
						t.Fatalf("%dx%d: line too wide: %q", w, h, ansi.Strip(l))
					}
				}
			}
			m.mode = modeList
		}
	}
}

func TestNoColor(t *testing.T) {
	m, _, _ := newLoaded(t, 120, 24, fixture(), func(o *Options) { o.NoColor = true })
	v := m.View().Content
	for _, bad := range []string{"38;2;", "48;2;", "38;5;", "[31m", "[32m"} {
		if strings.Contains(v, bad) {
			t.Fatalf("colour %q emitted under NO_COLOR", bad)
		}
	}
	if !strings.Contains(v, "\x1b[7m") {
		t.Fatal("selection not shown in reverse video")
	}
}

func TestSanitisedEverywhere(t *testing.T) {
	items := fixture()
	items[0].Name = "evil\x1b]52;c;cHduZWQ=\x07\x1b[2J"
	items[0].FailReason = "\x9b31mboom"
	m, _, _ := newLoaded(t, 120, 40, items)
	for _, v := range []string{m.View().Content, func() string { selectName(t, m, items[0].Name); press(m, "enter"); return m.View().Content }()} {
		if strings.Contains(v, "\x1b]52") || strings.Contains(v, "\x1b[2J") || strings.Contains(v, "\u009b") {
			t.Fatalf("escape leaked: %q", v)
		}
	}
}

func TestErrorText(t *testing.T) {
	if got := ErrorText(apiErr("ModelArts.6404", "Notebook not found")); got != "ModelArts.6404: Notebook not found" {
		t.Fatal(got)
	}
	f := &fakeBackend{}
	_, err := f.RenewLease(t.Context(), model.Instance{Generation: model.Gen1}, time.Hour)
	if got := ErrorText(err); got != "not supported for this instance generation" {
		t.Fatal(got)
	}
}

func TestMouse(t *testing.T) {
	m, _, _ := newLoaded(t, 120, 24, fixture())
	// Row 0 of the body is the column header, so the first instance row is
	// at y = headerLines + 1.
	m.Update(tea.MouseClickMsg{X: 5, Y: headerLines + 3, Button: tea.MouseLeft})
	if m.table.Cursor() != 2 {
		t.Fatalf("click selected %d", m.table.Cursor())
	}
	m.Update(tea.MouseWheelMsg{Button: tea.MouseWheelDown})
	if m.table.Cursor() != 5 {
		t.Fatalf("wheel moved to %d", m.table.Cursor())
	}
}

// Refused credentials stop automatic polling (each retry would be another
// bad signature, and the gateway locks the AK after five); r still polls.
func TestAuthFailurePausesPolling(t *testing.T) {
	m, f, clk := newLoaded(t, 160, 24, fixture())
	f.listErr = apiErr("APIG.0301", "Incorrect IAM authentication information: verify aksk signature fail")
	exec(t, m, m.poll())
	if s := screen(m); !strings.Contains(s, "auto-refresh paused") {
		t.Fatalf("no pause notice:\n%s", s)
	}
	clk.Add(time.Hour)
	m.Update(tickMsg{})
	if m.polling() {
		t.Fatal("polled automatically after the credentials were refused")
	}
	// A transient error still backs off and retries by itself.
	f.listErr = apiErr("ModelArts.6101", "system busy")
	exec(t, m, m.poll())
	clk.Add(DefaultPollSlow)
	m.Update(tickMsg{})
	if !m.polling() {
		t.Fatal("a throttling error must be retried automatically")
	}
}

// At 80×24 the help does not fit: the footer says how much more there is.
func TestHelpFooterSaysThereIsMore(t *testing.T) {
	m, _, _ := newLoaded(t, 80, 24, fixture())
	press(m, "?")
	s := screen(m)
	if !strings.Contains(s, "more") || !strings.Contains(s, "↓/j") {
		t.Fatalf("no hint that the help scrolls:\n%s", s)
	}
	for range 40 {
		press(m, "j")
	}
	if s := screen(m); strings.Contains(s, " more") || !strings.Contains(s, "back to the top") {
		t.Fatalf("at the bottom:\n%s", s)
	}
	// Tall enough: no hint.
	m2, _, _ := newLoaded(t, 160, 60, fixture())
	press(m2, "?")
	s2 := strings.TrimRight(screen(m2), "\n ")
	if footer := s2[strings.LastIndex(s2, "\n")+1:]; strings.Contains(footer, "more") || strings.Contains(footer, "top") {
		t.Fatalf("hint shown though everything fits: %q", footer)
	}
}

// A listing that takes long (a huge project listed page by page) stretches
// the poll interval to pollCostFactor× its duration; a quick one does not.
func TestSlowListingStretchesPolling(t *testing.T) {
	m, _, clk := newLoaded(t, 120, 24, fixture())
	if got := m.nextPoll.Sub(clk.Now()); got != DefaultPollFast {
		t.Fatalf("quick listing: next poll in %v, want %v", got, DefaultPollFast)
	}
	cmd := m.poll()
	clk.Add(20 * time.Second) // the listing takes 20 s
	runPollCmd(m, cmd)
	if got := m.nextPoll.Sub(clk.Now()); got != pollCostFactor*20*time.Second {
		t.Fatalf("after a 20 s listing: next poll in %v, want %v", got, pollCostFactor*20*time.Second)
	}
	// Once listings are quick again, so is polling.
	exec(t, m, m.poll())
	if got := m.nextPoll.Sub(clk.Now()); got != DefaultPollFast {
		t.Fatalf("quick again: next poll in %v", got)
	}
}

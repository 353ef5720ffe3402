package ui_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"
	"golang.org/x/time/rate"

	"matui/client"
	"matui/client/auth"
	"matui/client/sim"
	"matui/model"
	"matui/ui"
	"matui/ui/forms/formtest"
)

// e2eStart is the simulator's (and the dashboard's) clock at the start of
// every end-to-end test: a whole second, so the client's server-clock
// estimate (Date header, one-second resolution, +500 ms) is exactly
// clock+500ms and the countdowns below are exact.
var e2eStart = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

// screenRecorder wraps the dashboard and keeps the last frame it rendered
// (escape codes stripped). Bubble Tea renders after every message, so the
// recorded frame is always the model's current screen; reading it does not
// depend on how the renderer diffed the byte stream.
type screenRecorder struct {
	tea.Model
	mu        sync.Mutex
	frame     string
	mark      int // the last markMsg seen
	frameMark int // mark when frame was rendered
}

// markMsg is a barrier: once the recorder has seen markMsg(n), every
// message sent before it has been handled (the program handles messages
// in order).
type markMsg int

func (r *screenRecorder) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if m, ok := msg.(markMsg); ok {
		r.mu.Lock()
		r.mark = int(m)
		r.mu.Unlock()
		return r, nil
	}
	_, cmd := r.Model.Update(msg)
	return r, cmd
}

func (r *screenRecorder) View() tea.View {
	v := r.Model.View()
	r.mu.Lock()
	r.frame = ansi.Strip(v.Content)
	r.frameMark = r.mark
	r.mu.Unlock()
	return v
}

// Screen is the last frame and the mark it was rendered after.
func (r *screenRecorder) Screen() (string, int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.frame, r.frameMark
}

// e2e is one running simulator + client + dashboard.
type e2e struct {
	t     *testing.T
	clk   *sim.ManualClock
	sim   *sim.Server
	c     *client.Client // a second client, for checking the server side
	tm    *teatest.TestModel
	rec   *screenRecorder
	quit  sync.Once
	marks int
}

// startE2E serves a seeded demo simulator over loopback HTTP with AK/SK
// authentication, connects a client to it and runs the dashboard on it in a
// 120×40 teatest program. mod adjusts the dashboard options.
func startE2E(t *testing.T, mod func(*ui.Options)) *e2e {
	t.Helper()
	e := startE2Ef(t, "", mod)
	e.waitScreen("first list", func(s string) bool { return strings.Contains(s, "train-resnet50") })
	return e
}

// startE2Ef is startE2E with simulator faults (see package fault), without
// waiting for the first list.
func startE2Ef(t *testing.T, faults string, mod ...func(*ui.Options)) *e2e {
	t.Helper()
	return startE2Ew(t, sim.Options{Seed: 7, Faults: faults}, nil, mod...)
}

// startE2Ew is startE2Ef with any simulator options and, when wrap is
// set, the simulator's handler wrapped (to hold requests back).
func startE2Ew(t *testing.T, so sim.Options, wrap func(http.Handler) http.Handler, mod ...func(*ui.Options)) *e2e {
	t.Helper()
	clk := sim.NewManualClock(e2eStart)
	so.Clock = clk
	s, err := sim.New(so)
	if err != nil {
		t.Fatal(err)
	}
	var h http.Handler = s
	if wrap != nil {
		h = wrap(s)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	cr := s.Credentials()
	newClient := func() *client.Client {
		c, err := client.New(client.Options{
			Endpoint:  srv.URL,
			ProjectID: cr.ProjectID,
			Auth:      auth.AKSK{AK: cr.AK, SK: cr.SK, Now: clk.Now},
			Now:       clk.Now,
			// The clock only moves when the test says so: a rate limiter
			// reading it would never refill, and nothing here needs retries.
			RateLimit:  rate.Inf,
			MaxRetries: -1,
			Sleep:      func(ctx context.Context, _ time.Duration) error { return ctx.Err() },
		})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	opts := ui.Options{
		Theme:  "dark",
		Now:    clk.Now,
		Header: ui.HeaderInfo{Backend: "simulator", Cloud: "sim", Region: "local", Project: cr.ProjectID},
	}
	for _, fn := range mod {
		if fn != nil {
			fn(&opts)
		}
	}
	rec := &screenRecorder{Model: ui.New(newClient(), opts)}
	e := &e2e{t: t, clk: clk, sim: s, c: newClient(), rec: rec}
	e.tm = teatest.NewTestModel(t, rec,
		teatest.WithInitialTermSize(120, 40),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.ANSI256)))
	t.Cleanup(e.stop)
	return e
}

func (e *e2e) stop() {
	e.quit.Do(func() {
		_ = e.tm.Quit()
		e.tm.WaitFinished(e.t, teatest.WithFinalTimeout(5*time.Second))
	})
}

// waitScreen polls the current frame until cond holds (5 s at most).
func (e *e2e) waitScreen(what string, cond func(string) bool) string {
	e.t.Helper()
	return e.waitFrame(what, 0, cond)
}

// waitFrame is waitScreen on frames rendered after markMsg(after).
func (e *e2e) waitFrame(what string, after int, cond func(string) bool) string {
	e.t.Helper()
	// Like teatest.WaitFor, but on the recorded frame, and the failure
	// shows that frame rather than the renderer's byte stream.
	var last string
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		s, mark := e.rec.Screen()
		last = s
		if mark >= after && cond(s) {
			return s
		}
		if time.Now().After(deadline) {
			break
		}
	}
	e.t.Fatalf("waiting for %s; screen:\n%s", what, last)
	return ""
}

// advance moves the clock once no list call is in flight. A poll that
// spans a jump would teach the client a server-clock offset of half the
// jump (it takes the middle of the round trip as the moment of the Date
// header), and with the clock frozen afterwards nothing would correct it.
func (e *e2e) advance(d time.Duration) {
	e.t.Helper()
	e.idle()
	e.clk.Advance(d)
}

// idle waits until everything sent so far has been handled and no list
// call is in flight. The clock is frozen, so no tick starts one until the
// test advances it (and with slowPolls not even then).
func (e *e2e) idle() {
	e.t.Helper()
	e.waitFrame("no poll in flight", e.barrier(), func(s string) bool {
		first, _, _ := strings.Cut(s, "\n")
		return strings.Contains(first, " updated ") && !strings.Contains(first, "↻")
	})
}

// barrier sends a mark after what was sent so far and returns its number.
func (e *e2e) barrier() int {
	e.marks++
	e.tm.Send(markMsg(e.marks))
	return e.marks
}

func (e *e2e) keys(ks ...string) {
	for _, k := range ks {
		e.tm.Send(formtest.Key(k))
	}
}

// row is the table row of the instance called name ("" when it is not
// listed). Rows start with the two-cell gutter and the padded name.
func row(screen, name string) string {
	for _, l := range strings.Split(screen, "\n") {
		if strings.HasPrefix(l, "  "+name+" ") || strings.HasPrefix(l, "✓ "+name+" ") {
			return l
		}
	}
	return ""
}

// cells splits a row into NAME, GEN, STATUS (without its symbol) and
// AUTO-STOP, the columns the tests look at.
type cells struct{ name, gen, status, autoStop string }

func rowCells(r string) (cells, bool) {
	f := strings.Fields(r)
	// name gen symbol status flavor… image… autostop age owner
	if len(f) < 7 {
		return cells{}, false
	}
	return cells{name: f[0], gen: f[1], status: f[3], autoStop: f[len(f)-3]}, true
}

// waitRow waits until the instance's row has the wanted status and, when
// autoStop is not "", that AUTO-STOP cell.
func (e *e2e) waitRow(name, gen, status, autoStop string) string {
	e.t.Helper()
	return e.waitScreen(name+" "+status+" "+autoStop, func(s string) bool {
		c, ok := rowCells(row(s, name))
		return ok && c.name == name && c.gen == gen && c.status == status && (autoStop == "" || c.autoStop == autoStop)
	})
}

// filterTo narrows the list to one instance with "/name" + enter, so that
// it is the selected row, and checks that it is the only one.
func (e *e2e) filterTo(name string) {
	e.t.Helper()
	e.keys("/")
	e.tm.Type(name)
	e.keys("enter")
	e.waitScreen("filter /"+name, func(s string) bool {
		lines := strings.Split(s, "\n")
		return len(lines) > 1 && strings.Contains(lines[1], "/"+name+" · ") &&
			strings.Contains(lines[1], " 1/1 of ") && row(s, name) != "" &&
			!strings.Contains(s, "enter keep filter")
	})
}

// refresh presses r and waits until that poll (and any poll queued behind
// it) has been applied: from r on the header shows the in-flight marker ↻
// until no list call is running. With slowPolls nothing else starts a
// poll, so the screen is then stable until the next key.
func (e *e2e) refresh() {
	e.t.Helper()
	e.keys("r")
	e.waitFrame("refresh", e.barrier(), func(s string) bool {
		first, _, _ := strings.Cut(s, "\n")
		return strings.HasSuffix(first, " updated 0s ago") && !strings.Contains(first, "↻")
	})
}

func (e *e2e) notebook(name string) model.Notebook {
	e.t.Helper()
	nbs, err := e.c.ListNotebooks(e.t.Context(), client.ListNotebooksOptions{})
	if err != nil {
		e.t.Fatal(err)
	}
	for _, nb := range nbs {
		if nb.Name == name {
			return nb
		}
	}
	e.t.Fatalf("no notebook %q on the simulator", name)
	return model.Notebook{}
}

func (e *e2e) devInstance(name string) model.DevInstance {
	e.t.Helper()
	resp, err := e.c.ListDevInstances(e.t.Context(), client.DevListOptions{})
	if err != nil {
		e.t.Fatal(err)
	}
	for _, d := range resp.Instances {
		if d.Name == name {
			return d
		}
	}
	e.t.Fatalf("no Gen 1 instance %q on the simulator", name)
	return model.DevInstance{}
}

func (e *e2e) showStatus(id string) string {
	e.t.Helper()
	nb, err := e.c.ShowNotebook(e.t.Context(), id)
	if err != nil {
		e.t.Fatalf("ShowNotebook %s: %v", id, err)
	}
	return nb.Status
}

// TestE2ELeaseRunsOut watches a running Gen 2 instance's auto-stop
// countdown on the real polling loop (one-second ticks, default poll
// intervals; the clock moves only when the test advances it) until the
// simulator stops it.
func TestE2ELeaseRunsOut(t *testing.T) {
	e := startE2E(t, nil)
	const name = "tf-sandbox" // RUNNING, lease ends 40 min from the start
	e.filterTo(name)
	// The client's server clock is the Date header + 500 ms, so 40:00 left
	// reads 39:59.
	e.waitRow(name, "G2", "RUNNING", "39:59")

	// 31 minutes later the next tick moves the countdown (and polls: the
	// poll interval has passed). Single-digit minutes.
	e.advance(31 * time.Minute)
	e.waitRow(name, "G2", "RUNNING", "08:59")
	e.advance(8 * time.Minute)
	e.waitRow(name, "G2", "RUNNING", "00:59")
	if st := e.showStatus(e.notebook(name).ID); st != "RUNNING" {
		t.Fatalf("simulator says %s a minute before the deadline", st)
	}

	// One second past the deadline the simulator has it STOPPING (stop
	// takes 4 s); the next tick's poll shows it, with no countdown left.
	e.advance(time.Minute + time.Second)
	e.waitRow(name, "G2", "STOPPING", "—")
	e.advance(4 * time.Second)
	s := e.waitRow(name, "G2", "STOPPED", "—")
	if st := e.showStatus(e.notebook(name).ID); st != "STOPPED" {
		t.Fatalf("simulator says %s after the lease ran out:\n%s", st, s)
	}
}

// slowPolls makes the dashboard poll only at start, on r and after an
// action, so a test can change the server behind its back.
func slowPolls(o *ui.Options) { o.PollFast, o.PollSlow = 24*time.Hour, 24*time.Hour }

// TestE2EGen2StartStopDelete drives a stopped Gen 2 instance through
// start, stop and delete with the keys and checks every step on the screen
// and on the simulator.
func TestE2EGen2StartStopDelete(t *testing.T) {
	e := startE2E(t, slowPolls)
	const name = "archive-2023" // Gen 2, STOPPED
	id := e.notebook(name).ID
	e.filterTo(name)
	e.waitRow(name, "G2", "STOPPED", "—")

	// Start with a 2 h auto-stop.
	e.keys("s")
	e.waitScreen("start dialog", func(s string) bool {
		return strings.Contains(s, "Start "+name+" — auto-stop after") && strings.Contains(s, "8h")
	})
	e.keys("right", "enter")
	e.waitScreen("start done", func(s string) bool { return strings.Contains(s, name+": starting") })
	e.waitRow(name, "G2", "STARTING", "—")
	if st := e.showStatus(id); st != "STARTING" {
		t.Fatalf("simulator says %s after start", st)
	}
	e.advance(5*time.Second + time.Second) // start takes 5 s
	e.refresh()
	// 2 h lease from the start call, 6 s (and the 0.5 s clock estimate) ago.
	e.waitRow(name, "G2", "RUNNING", "1h59m")
	nb, err := e.c.ShowNotebook(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	// The simulator re-bases the lease when the instance starts running
	// (5 s after the call): expiry = then + the 2 h chosen in the dialog.
	expiry := time.UnixMilli(int64(nb.Lease.CreateAt) + int64(nb.Lease.Duration))
	if nb.Status != "RUNNING" || !nb.Lease.Enable || !expiry.Equal(e2eStart.Add(5*time.Second+2*time.Hour)) {
		t.Fatalf("simulator: status %s, lease %+v (expires %v)", nb.Status, nb.Lease, expiry)
	}

	// Stop: y confirms.
	e.keys("x")
	e.waitScreen("stop dialog", func(s string) bool { return strings.Contains(s, "Stop "+name+"?") })
	e.keys("y")
	e.waitScreen("stop done", func(s string) bool { return strings.Contains(s, name+": stopping") })
	e.waitRow(name, "G2", "STOPPING", "—")
	if st := e.showStatus(id); st != "STOPPING" {
		t.Fatalf("simulator says %s after stop", st)
	}
	e.advance(4*time.Second + time.Second) // stop takes 4 s
	e.refresh()
	e.waitRow(name, "G2", "STOPPED", "—")
	if st := e.showStatus(id); st != "STOPPED" {
		t.Fatalf("simulator says %s", st)
	}

	// Delete: the dialog wants the name typed; a wrong name is refused.
	e.keys("ctrl+d")
	e.waitScreen("delete dialog", func(s string) bool { return strings.Contains(s, "Delete "+name+"?") })
	e.tm.Type("archive")
	e.keys("enter")
	e.waitScreen("name mismatch", func(s string) bool { return strings.Contains(s, "does not match") })
	e.tm.Type("-2023")
	e.keys("enter")
	e.waitScreen("delete done", func(s string) bool { return strings.Contains(s, name+": deleting") })
	e.waitRow(name, "G2", "DELETING", "—")
	e.advance(3*time.Second + time.Second) // delete takes 3 s
	e.refresh()
	e.waitScreen("row gone", func(s string) bool {
		return row(s, name) == "" && strings.Contains(s, "No instances match /"+name+" — esc clears.")
	})
	_, err = e.c.ShowNotebook(t.Context(), id)
	var ae *client.APIError
	if !errors.As(err, &ae) || ae.Code != "ModelArts.6404" {
		t.Fatalf("ShowNotebook after delete: %v", err)
	}
	// Clearing the filter shows the other 26 instances.
	e.keys("esc")
	e.waitScreen("filter cleared", func(s string) bool {
		lines := strings.Split(s, "\n")
		return len(lines) > 1 && strings.HasSuffix(lines[1], " 1/26") && row(s, "always-on-cpu") != ""
	})
}

// TestE2EGen1StopAndRefusedDelete stops a Gen 1 instance with the keys,
// then lets the server refuse an action the dashboard could not know was
// invalid: the instance was started behind its back, so the delete it
// allows for a STOPPED instance meets a RUNNING one (ModelArts.6304).
func TestE2EGen1StopAndRefusedDelete(t *testing.T) {
	e := startE2E(t, slowPolls)
	const name = "dev-gpu-v100" // Gen 1, RUNNING
	id := e.devInstance(name).ID
	e.filterTo(name)
	e.waitRow(name, "G1", "RUNNING", "39:59")

	// The dashboard itself refuses to delete a running Gen 1 instance.
	e.keys("ctrl+d")
	e.waitScreen("local refusal", func(s string) bool {
		return strings.Contains(s, "delete: instance is RUNNING (Gen 1 instances must be stopped first)")
	})
	if s, _ := e.rec.Screen(); strings.Contains(s, "Delete "+name+"?") {
		t.Fatal("delete dialog opened for a running Gen 1 instance")
	}

	e.keys("x")
	e.waitScreen("stop dialog", func(s string) bool { return strings.Contains(s, "Stop "+name+"?") })
	e.keys("y")
	e.waitScreen("stop done", func(s string) bool { return strings.Contains(s, name+": stopping") })
	e.waitRow(name, "G1", "STOPPING", "—")
	if d := e.devInstance(name); d.Status != "STOPPING" {
		t.Fatalf("simulator says %s after stop", d.Status)
	}
	e.advance(5 * time.Second)
	e.refresh()
	e.waitRow(name, "G1", "STOPPED", "—")
	if d := e.devInstance(name); d.Status != "STOPPED" {
		t.Fatalf("simulator says %s", d.Status)
	}

	// Someone else starts it; the dashboard does not poll before the
	// delete (slowPolls), so it still shows STOPPED.
	if _, err := e.c.DevAction(t.Context(), id, model.ActionStart); err != nil {
		t.Fatal(err)
	}
	e.advance(6 * time.Second)
	if d := e.devInstance(name); d.Status != "RUNNING" {
		t.Fatalf("simulator says %s after the start behind the dashboard's back", d.Status)
	}
	e.waitRow(name, "G1", "STOPPED", "—")
	e.keys("ctrl+d")
	e.waitScreen("delete dialog", func(s string) bool { return strings.Contains(s, "Delete "+name+"?") })
	e.tm.Type(name)
	e.keys("enter")
	e.waitScreen("API refusal", func(s string) bool {
		return strings.Contains(s, "delete "+name+": ModelArts.6304: Stop the instance before deleting it.")
	})
	// The failed action drops the optimistic DELETING and re-polls: the
	// row shows the truth.
	e.waitRow(name, "G1", "RUNNING", "")
	if d := e.devInstance(name); d.Status != "RUNNING" {
		t.Fatalf("simulator says %s after the refused delete", d.Status)
	}
}

// TestE2EStartSoldOutFlavor: a start the dashboard allows (STOPPED) but the
// server refuses because the flavor is sold out shows the ModelArts code
// and leaves the row STOPPED.
func TestE2EStartSoldOutFlavor(t *testing.T) {
	e := startE2E(t, slowPolls)
	const name = "big-gpu-job"
	e.filterTo(name)
	e.waitRow(name, "G2", "STOPPED", "—")
	e.keys("s")
	e.waitScreen("start dialog", func(s string) bool { return strings.Contains(s, "Start "+name+" — auto-stop after") })
	e.keys("enter")
	e.waitScreen("API refusal", func(s string) bool {
		return strings.Contains(s, "start "+name+": ModelArts.6360: Failed to start the instance")
	})
	e.waitRow(name, "G2", "STOPPED", "—")
	if st := e.showStatus(e.notebook(name).ID); st != "STOPPED" {
		t.Fatalf("simulator says %s after the refused start", st)
	}
}

// TestE2EPartialListing: when the Gen 1 listing fails but Gen 2 answers,
// the client returns the Gen 2 instances with a *client.PartialError; the
// dashboard shows them (fresh, not stale) with the failure as a warning,
// and the Gen 1 instances once their listing works again.
func TestE2EPartialListing(t *testing.T) {
	e := startE2Ef(t, "dev.list:5xx=1", slowPolls)
	// Pages stream in: wait for the listing to have ended (the warning).
	s := e.waitScreen("Gen 2 instances", func(s string) bool {
		first, _, _ := strings.Cut(s, "\n")
		return row(s, "train-resnet50") != "" && strings.Contains(first, "⚠")
	})
	first, _, _ := strings.Cut(s, "\n")
	if !strings.Contains(first, "⚠ incomplete: ModelArts.6102") || strings.Contains(first, "stale") {
		t.Fatalf("header does not warn about the failed Gen 1 listing:\n%s", s)
	}
	if row(s, "dev-gpu-v100") != "" {
		t.Fatalf("Gen 1 instance listed although its listing failed:\n%s", s)
	}
	e.sim.Faults().Set(nil)
	e.refresh()
	s = e.waitRow("dev-gpu-v100", "G1", "RUNNING", "39:59")
	if first, _, _ := strings.Cut(s, "\n"); strings.Contains(first, "⚠") {
		t.Fatalf("warning stuck after a complete listing:\n%s", s)
	}
}

package alert

import (
	"slices"
	"strings"
	"testing"
	"time"

	"matui/client/config"
	"matui/model"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func running(id string, deadline time.Time) model.Instance {
	return model.Instance{Generation: model.Gen2, ID: id, Name: id, Status: "RUNNING", Class: model.ClassRunning,
		AutoStop: model.AutoStop{Enabled: true, Type: model.LeaseTiming, Deadline: deadline}}
}

func newWatcher(t *testing.T) *Watcher {
	t.Helper()
	w, err := New(DefaultThresholds())
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// step ticks the watcher from `from` to `to` second by second, as the
// dashboard's tick does, and returns every alert raised.
func step(w *Watcher, from, to time.Time) []Alert {
	var all []Alert
	for now := from; !now.After(to); now = now.Add(time.Second) {
		all = append(all, w.Tick(now)...)
	}
	return all
}

func thresholdsOf(as []Alert) []time.Duration {
	out := make([]time.Duration, len(as))
	for i, a := range as {
		out[i] = a.Threshold
	}
	return out
}

func wantThresholds(t *testing.T, got []Alert, want ...time.Duration) {
	t.Helper()
	g := thresholdsOf(got)
	if len(g) != len(want) {
		t.Fatalf("alerts %v, want thresholds %v", got, want)
	}
	for i := range g {
		if g[i] != want[i] {
			t.Fatalf("alerts %v, want thresholds %v", got, want)
		}
	}
}

func TestCrossingEachThresholdAlertsOnce(t *testing.T) {
	w := newWatcher(t)
	deadline := t0.Add(20 * time.Minute)
	insts := []model.Instance{running("a", deadline)}
	w.Sync(insts, nil)

	if got := step(w, t0, t0.Add(5*time.Minute-time.Second)); len(got) != 0 {
		t.Fatalf("alert above every threshold: %v", got)
	}
	got := w.Tick(t0.Add(5 * time.Minute)) // exactly 15:00 left
	wantThresholds(t, got, 15*time.Minute)
	if a := got[0]; a.ID != "a" || a.Remaining != 15*time.Minute || !a.Deadline.Equal(deadline) || a.Generation != model.Gen2 {
		t.Fatalf("alert %+v", a)
	}
	// Polls keep delivering the same list: no repeat, on poll or tick.
	var later []Alert
	for now := t0.Add(5*time.Minute + time.Second); now.Before(t0.Add(15 * time.Minute)); now = now.Add(time.Second) {
		w.Sync(insts, nil)
		later = append(later, w.Tick(now)...)
	}
	if len(later) != 0 {
		t.Fatalf("repeated: %v", later)
	}
	wantThresholds(t, step(w, t0.Add(15*time.Minute), t0.Add(21*time.Minute)), 5*time.Minute)
}

func TestAlreadyUnderWhenFirstSeen(t *testing.T) {
	w := newWatcher(t)
	w.Sync([]model.Instance{running("ten", t0.Add(10*time.Minute)), running("three", t0.Add(3*time.Minute))}, nil)
	got := w.Tick(t0)
	if len(got) != 2 {
		t.Fatalf("alerts %v", got)
	}
	byID := map[string]time.Duration{got[0].ID: got[0].Threshold, got[1].ID: got[1].Threshold}
	// Under both thresholds at once: one alert, for the nearer one.
	if byID["ten"] != 15*time.Minute || byID["three"] != 5*time.Minute {
		t.Fatalf("alerts %v", got)
	}
	rest := step(w, t0.Add(time.Second), t0.Add(11*time.Minute))
	wantThresholds(t, rest, 5*time.Minute)
	if rest[0].ID != "ten" {
		t.Fatalf("alerts %v", rest)
	}
}

func TestRenewalRearms(t *testing.T) {
	w := newWatcher(t)
	in := running("a", t0.Add(4*time.Minute))
	w.Sync([]model.Instance{in}, nil)
	wantThresholds(t, w.Tick(t0), 5*time.Minute)

	// Renewed to 10 minutes: 5 is re-armed, 15 (still under) is not.
	now := t0.Add(time.Minute)
	in.AutoStop.Deadline = now.Add(10 * time.Minute)
	w.Sync([]model.Instance{in}, nil)
	if got := w.Tick(now); len(got) != 0 {
		t.Fatalf("renewal under 15 alerted again at once: %v", got)
	}
	wantThresholds(t, step(w, now, now.Add(10*time.Minute)), 5*time.Minute)

	// Renewed to an hour: both re-armed.
	now = now.Add(10 * time.Minute)
	in.AutoStop.Deadline = now.Add(time.Hour)
	w.Sync([]model.Instance{in}, nil)
	wantThresholds(t, step(w, now, now.Add(time.Hour)), 15*time.Minute, 5*time.Minute)
}

func TestNeverAlerts(t *testing.T) {
	soon := t0.Add(2 * time.Minute)
	idle := running("idle", soon)
	idle.AutoStop.Type = model.LeaseIdle
	off := running("off", soon)
	off.AutoStop.Enabled = false
	stopped := running("stopped", soon)
	stopped.Status, stopped.Class = "STOPPED", model.ClassStopped
	past := running("past", t0.Add(-time.Second)) // already stopping
	w := newWatcher(t)
	w.Sync([]model.Instance{idle, off, stopped, past}, nil)
	if got := step(w, t0, t0.Add(3*time.Minute)); len(got) != 0 {
		t.Fatalf("alerts %v", got)
	}
	if w.Watched() != 1 { // only "past" is running with a deadline
		t.Fatalf("watched %d", w.Watched())
	}
}

func TestStoppedOrGoneIsForgotten(t *testing.T) {
	w := newWatcher(t)
	a, b := running("a", t0.Add(10*time.Minute)), running("b", t0.Add(10*time.Minute))
	w.Sync([]model.Instance{a, b}, nil)
	if got := w.Tick(t0); len(got) != 2 {
		t.Fatalf("alerts %v", got)
	}
	a.Status, a.Class = "STOPPING", model.ClassTransitional
	w.Sync([]model.Instance{a}, nil) // a stops, b is deleted
	if w.Watched() != 0 || len(w.queue) != 0 || len(w.entries) != 0 {
		t.Fatalf("kept %d entries, %d queued", len(w.entries), len(w.queue))
	}
	if got := step(w, t0, t0.Add(10*time.Minute)); len(got) != 0 {
		t.Fatalf("forgotten instances alerted: %v", got)
	}
	// Started again later, under a threshold: first seen again.
	now := t0.Add(time.Hour)
	a = running("a", now.Add(12*time.Minute))
	w.Sync([]model.Instance{a}, nil)
	wantThresholds(t, w.Tick(now), 15*time.Minute)
}

func TestIncludePredicate(t *testing.T) {
	w := newWatcher(t)
	mine, theirs := running("mine", t0.Add(10*time.Minute)), running("theirs", t0.Add(10*time.Minute))
	mine.Owner, theirs.Owner = "alice", "bob"
	insts := []model.Instance{mine, theirs}
	own := func(in *model.Instance) bool { return in.Owner == "alice" }
	w.Sync(insts, own)
	got := w.Tick(t0)
	if len(got) != 1 || got[0].ID != "mine" {
		t.Fatalf("alerts %v", got)
	}
	// Marking "theirs" includes it: it alerts then, as first seen.
	marked := map[string]bool{"theirs": true}
	w.Sync(insts, func(in *model.Instance) bool { return own(in) || marked[in.ID] })
	got = w.Tick(t0.Add(time.Second))
	if len(got) != 1 || got[0].ID != "theirs" || got[0].Threshold != 15*time.Minute {
		t.Fatalf("alerts %v", got)
	}
}

func TestGenerationsAreDistinct(t *testing.T) {
	w := newWatcher(t)
	g1 := running("same-id", t0.Add(10*time.Minute))
	g1.Generation = model.Gen1
	w.Sync([]model.Instance{running("same-id", t0.Add(10*time.Minute)), g1}, nil)
	if got := w.Tick(t0); len(got) != 2 || got[0].Generation == got[1].Generation {
		t.Fatalf("alerts %v", got)
	}
}

// The server clock estimate may step back a little (a new Date header):
// that is not a renewal and must not re-arm a threshold.
func TestClockSteppingBackDoesNotRealert(t *testing.T) {
	w := newWatcher(t)
	w.Sync([]model.Instance{running("a", t0.Add(15*time.Minute))}, nil)
	wantThresholds(t, w.Tick(t0), 15*time.Minute)
	if got := step(w, t0.Add(-3*time.Second), t0.Add(time.Minute)); len(got) != 0 {
		t.Fatalf("alerts %v", got)
	}
}

func TestNameIsSanitised(t *testing.T) {
	w := newWatcher(t)
	in := running("a", t0.Add(time.Minute*2))
	in.Name = "evil\x1b]0;owned\a\u202ename"
	w.Sync([]model.Instance{in}, nil)
	got := w.Tick(t0)
	if len(got) != 1 || strings.ContainsAny(got[0].Name, "\x1b\a\u202e") {
		t.Fatalf("alerts %q", got)
	}
}

func TestTickAllocatesNothingWhenNothingAlerts(t *testing.T) {
	w := newWatcher(t)
	insts := make([]model.Instance, 1000)
	for i := range insts {
		insts[i] = running(string(rune('a'+i%26))+strings.Repeat("x", i/26), t0.Add(time.Hour+time.Duration(i)*time.Second))
	}
	w.Sync(insts, nil)
	w.Tick(t0) // first sight: evaluates all once
	now := t0.Add(time.Second)
	if n := testing.AllocsPerRun(100, func() { w.Tick(now) }); n != 0 {
		t.Fatalf("Tick allocates %v times", n)
	}
	if n := testing.AllocsPerRun(20, func() { w.Sync(insts, nil) }); n != 0 {
		t.Fatalf("Sync of an unchanged list allocates %v times", n)
	}
}

func TestThresholdRules(t *testing.T) {
	tests := []struct {
		ts   []time.Duration
		want string
	}{
		{nil, "none given"},
		{[]time.Duration{time.Minute, 2 * time.Minute, 3 * time.Minute, 4 * time.Minute, 5 * time.Minute, 6 * time.Minute}, "at most 5"},
		{[]time.Duration{30 * time.Second}, "30s is out of range (1m to 24h"},
		{[]time.Duration{25 * time.Hour}, "25h0m0s is out of range"},
		{[]time.Duration{5 * time.Minute, 5 * time.Minute}, "5m0s is given twice"},
	}
	for _, tt := range tests {
		if _, err := New(tt.ts); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("New(%v) = %v, want %q", tt.ts, err, tt.want)
		}
	}
	w, err := New([]time.Duration{5 * time.Minute, 30 * time.Minute, 15 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	if got := w.Thresholds(); got[0] != 30*time.Minute || got[2] != 5*time.Minute {
		t.Fatalf("thresholds not sorted largest first: %v", got)
	}
}

// The config file's defaults are this package's.
func TestConfigDefaultsMatch(t *testing.T) {
	if got, want := config.DefaultAlerts().Before, DefaultThresholds(); !slices.Equal(got, want) {
		t.Fatalf("config default thresholds %v, alert's %v", got, want)
	}
}

// Set changes one instance's inclusion as Sync would: included, it alerts
// as first seen; set again while watched, nothing is repeated; excluded,
// it is forgotten (a later inclusion counts as first seen).
func TestSetIncludesOneInstance(t *testing.T) {
	w := newWatcher(t)
	mine, theirs := running("mine", t0.Add(10*time.Minute)), running("theirs", t0.Add(10*time.Minute))
	w.Sync([]model.Instance{mine, theirs}, func(in *model.Instance) bool { return in.ID == "mine" })
	w.Tick(t0)
	w.Set(&theirs, true)
	if got := w.Tick(t0.Add(time.Second)); len(got) != 1 || got[0].ID != "theirs" {
		t.Fatalf("alerts after Set(theirs, true): %v", got)
	}
	w.Set(&theirs, true)
	if got := w.Tick(t0.Add(2 * time.Second)); len(got) != 0 || w.Watched() != 2 {
		t.Fatalf("setting a watched instance again: alerts %v, watched %d", got, w.Watched())
	}
	w.Set(&theirs, false)
	if w.Watched() != 1 {
		t.Fatalf("watched %d after Set(theirs, false)", w.Watched())
	}
	w.Set(&theirs, true)
	if got := w.Tick(t0.Add(3 * time.Second)); len(got) != 1 || got[0].ID != "theirs" {
		t.Fatalf("a returning instance is not first seen: %v", got)
	}
	stopped := theirs
	stopped.Status, stopped.Class = "STOPPED", model.ClassStopped
	w.Set(&stopped, true)
	w.Sync([]model.Instance{mine, stopped}, nil)
	if w.Watched() != 1 {
		t.Fatalf("a stopped instance watched: %d", w.Watched())
	}
}

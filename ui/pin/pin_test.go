package pin

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"matui/client/config"
	"matui/model"
)

var t0 = time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC)

func running(id string, deadline time.Time) model.Instance {
	return model.Instance{Generation: model.Gen2, ID: id, Name: id, Status: "RUNNING", Class: model.ClassRunning,
		AutoStop: model.AutoStop{Enabled: true, Type: model.LeaseTiming, Deadline: deadline}}
}

func newSet(t *testing.T) *Set {
	t.Helper()
	s, err := NewSet(DefaultMargin)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// world is a tiny fake project: the instances by ID, renewed the way
// ModelArts renews (deadline = now + duration, reference §5).
type world map[string]*model.Instance

func (w world) lookup(id string) (model.Instance, bool) {
	in, ok := w[id]
	if !ok {
		return model.Instance{}, false
	}
	return *in, true
}

// run ticks once a second from `from` to `to`: plans, applies every
// renewal at once (success), stops an instance whose deadline passes, and
// records what happened.
func (w world) run(t *testing.T, s *Set, from, to time.Time) (renewals []Renewal, renewedAt []time.Time, ended []Ended) {
	t.Helper()
	for now := from; !now.After(to); now = now.Add(time.Second) {
		for _, in := range w {
			if d, ok := in.StopDeadline(); ok && !now.Before(d) {
				in.Status, in.Class = "STOPPED", model.ClassStopped
			}
		}
		rs, es := s.Plan(now, w.lookup)
		for _, r := range rs {
			if r.Deadline.After(r.Cap) {
				t.Fatalf("%s: renewal %+v runs past the cap", now, r)
			}
			if r.Duration < MinRenew || r.Duration%time.Second != 0 {
				t.Fatalf("renewal of %s: ModelArts takes whole seconds, at least an hour", r.Duration)
			}
			w[r.ID].AutoStop.Deadline = now.Add(r.Duration)
			if end := s.Done(r.ID, now, now.Add(r.Duration), nil); end != nil {
				t.Fatalf("Done ended the pin: %+v", end)
			}
			renewals, renewedAt = append(renewals, r), append(renewedAt, now)
		}
		ended = append(ended, es...)
	}
	return renewals, renewedAt, ended
}

func TestKeepsAliveUntilTheCapAndNotPast(t *testing.T) {
	s := newSet(t)
	in := running("nb", t0.Add(30*time.Minute))
	w := world{"nb": &in}
	cap := t0.Add(4 * time.Hour)
	if _, err := s.Add(in, time.Hour, cap, t0, "alice"); err != nil {
		t.Fatal(err)
	}
	renewals, at, ended := w.run(t, s, t0, t0.Add(5*time.Hour))

	// Renewed each time the lease fell under 10 minutes, then once, for
	// the 70 minutes left, when the cap was an hour plus the margin away.
	wantAt := []time.Duration{20*time.Minute + time.Second, 70*time.Minute + 2*time.Second, 120*time.Minute + 3*time.Second, 170 * time.Minute}
	if len(at) != len(wantAt) {
		t.Fatalf("renewed at %v, want after %v", at, wantAt)
	}
	for i := range at {
		if got := at[i].Sub(t0); got != wantAt[i] {
			t.Errorf("renewal %d at +%s, want +%s", i, got, wantAt[i])
		}
	}
	last := renewals[len(renewals)-1]
	if !last.Final || last.Duration != 70*time.Minute || !last.Deadline.Equal(cap) {
		t.Errorf("last renewal %+v, want 70m landing on the cap", last)
	}
	for _, r := range renewals[:len(renewals)-1] {
		if r.Final || r.Duration != time.Hour {
			t.Errorf("renewal %+v, want the pinned hour", r)
		}
	}
	// It ran to the cap, then the pin ended there, and it stopped at its
	// deadline, the cap.
	if len(ended) != 1 || ended[0].Reason != CapReached || ended[0].Pin.Renewals != 4 {
		t.Fatalf("ended %+v", ended)
	}
	if in.Status != "STOPPED" || !in.AutoStop.Deadline.Equal(cap) {
		t.Fatalf("instance %s, deadline %s", in.Status, in.AutoStop.Deadline)
	}
	if s.Len() != 0 {
		t.Fatalf("%d pins left", s.Len())
	}
	if msg := ended[0].Message(time.UTC); msg != "keep-alive of nb ended: reached its cap (19:00)" {
		t.Errorf("message %q", msg)
	}
	if msg := renewals[0].Message(time.UTC); msg != "kept nb alive: renewed for 1h (pinned until 19:00)" {
		t.Errorf("renewal message %q", msg)
	}
	if msg := last.Message(time.UTC); msg != "kept nb alive: renewed to its cap (19:00)" {
		t.Errorf("last renewal message %q", msg)
	}
	if got := hours(70 * time.Minute); got != "1h10m" {
		t.Errorf("hours: %q", got)
	}
	if got := ended[0].Pin.CapLabel(time.UTC); got != "until 19:00" {
		t.Errorf("cap label %q", got)
	}
}

func TestOneRenewalInFlight(t *testing.T) {
	s := newSet(t)
	in := running("nb", t0.Add(5*time.Minute))
	w := world{"nb": &in}
	if _, err := s.Add(in, 2*time.Hour, t0.Add(6*time.Hour), t0, ""); err != nil {
		t.Fatal(err)
	}
	rs, _ := s.Plan(t0, w.lookup)
	if len(rs) != 1 || rs[0].Duration != 2*time.Hour {
		t.Fatalf("renewals %+v", rs)
	}
	for i := 1; i <= 30; i++ { // the answer takes 30 s
		if again, _ := s.Plan(t0.Add(time.Duration(i)*time.Second), w.lookup); len(again) != 0 {
			t.Fatalf("second renewal while one is in flight: %+v", again)
		}
	}
	s.Done("nb", t0.Add(30*time.Second), time.Time{}, nil)
	// The list still shows the old deadline until the next poll.
	if again, _ := s.Plan(t0.Add(31*time.Second), w.lookup); len(again) != 0 {
		t.Fatalf("renewed again before the list caught up: %+v", again)
	}
	if p, _ := s.Get("nb"); p.Renewals != 1 {
		t.Fatalf("pin %+v", p)
	}
}

// A renewal by hand to a shorter lease than matui's last one is seen once
// the list has had time to show matui's: the pin does not keep believing
// its own renewal.
func TestListWinsAfterTrustWindow(t *testing.T) {
	s := newSet(t)
	in := running("nb", t0.Add(5*time.Minute))
	w := world{"nb": &in}
	s.Add(in, 2*time.Hour, t0.Add(8*time.Hour), t0, "")
	rs, _ := s.Plan(t0, w.lookup)
	s.Done("nb", t0, rs[0].Deadline, nil)
	in.AutoStop.Deadline = t0.Add(5 * time.Minute) // the list never shows the 2 h
	if rs, _ := s.Plan(t0.Add(time.Minute), w.lookup); len(rs) != 0 {
		t.Fatalf("renewed inside the trust window: %+v", rs)
	}
	if rs, _ := s.Plan(t0.Add(3*time.Minute), w.lookup); len(rs) != 1 {
		t.Fatalf("the listed deadline under the margin was not renewed: %+v", rs)
	}
}

func TestFailedRenewalsBackOffThenEnd(t *testing.T) {
	s := newSet(t)
	in := running("nb", t0.Add(9*time.Minute))
	w := world{"nb": &in}
	s.Add(in, time.Hour, t0.Add(6*time.Hour), t0, "")
	now := t0
	boom := errors.New("ModelArts.6327: \x1b[31mnot running\x1b[0m")
	var ends []*Ended
	pauses := []time.Duration{15 * time.Second, 30 * time.Second, time.Minute, 2 * time.Minute}
	for i := 0; i < MaxFailures; i++ {
		rs, _ := s.Plan(now, w.lookup)
		if len(rs) != 1 {
			t.Fatalf("attempt %d at %s: renewals %+v", i+1, now, rs)
		}
		if e := s.Done("nb", now, time.Time{}, boom); e != nil {
			ends = append(ends, e)
			break
		}
		if rs, _ := s.Plan(now.Add(pauses[i]-time.Second), w.lookup); len(rs) != 0 {
			t.Fatalf("retried %d before the pause of %s", i+1, pauses[i])
		}
		now = now.Add(pauses[i])
	}
	if len(ends) != 1 || ends[0].Reason != RenewFailed || ends[0].Pin.Failures != MaxFailures {
		t.Fatalf("ended %+v", ends)
	}
	if msg := ends[0].Message(time.UTC); strings.Contains(msg, "\x1b") || !strings.Contains(msg, "not running") {
		t.Fatalf("message %q", msg)
	}
	if s.Len() != 0 {
		t.Fatal("pin kept")
	}

	// A backend that cannot renew at all ends the pin at once.
	s.Add(in, time.Hour, t0.Add(6*time.Hour), now, "")
	s.Plan(now, w.lookup)
	if e := s.Done("nb", now, time.Time{}, fmt.Errorf("read-only session: %w", errors.ErrUnsupported)); e == nil || e.Reason != RenewFailed {
		t.Fatalf("ended %+v", e)
	}
}

func TestSuccessResetsFailures(t *testing.T) {
	s := newSet(t)
	in := running("nb", t0.Add(9*time.Minute))
	w := world{"nb": &in}
	s.Add(in, time.Hour, t0.Add(6*time.Hour), t0, "")
	s.Plan(t0, w.lookup)
	s.Done("nb", t0, time.Time{}, errors.New("timeout"))
	s.Plan(t0.Add(15*time.Second), w.lookup)
	s.Done("nb", t0.Add(15*time.Second), time.Time{}, nil)
	if p, _ := s.Get("nb"); p.Failures != 0 || p.LastError != "" || p.Renewals != 1 {
		t.Fatalf("pin %+v", p)
	}
}

func TestPinsEnd(t *testing.T) {
	cap := t0.Add(5 * time.Hour)
	tests := []struct {
		name   string
		change func(w world)
		now    time.Time
		want   Reason
	}{
		{"stopped by hand", func(w world) { w["nb"].Status, w["nb"].Class = "STOPPED", model.ClassStopped }, t0, Stopped},
		{"stopping", func(w world) { w["nb"].Status, w["nb"].Class = "STOPPING", model.ClassTransitional }, t0, Stopped},
		{"failed", func(w world) { w["nb"].Status, w["nb"].Class = "ERROR", model.ClassFailed }, t0, Stopped},
		{"deleted", func(w world) { delete(w, "nb") }, t0, Deleted},
		{"auto-stop turned off", func(w world) { w["nb"].AutoStop.Enabled = false }, t0, NoDeadline},
		{"lease made idle", func(w world) { w["nb"].AutoStop.Type = model.LeaseIdle }, t0, NoDeadline},
		{"cap reached", func(world) {}, cap, CapReached},
		// matui was not running when the last renewal was due: 50 min to
		// the cap, the lease ends in 20; a 1 h renewal would overshoot.
		{"cap out of reach", func(w world) { w["nb"].AutoStop.Deadline = cap.Add(-30 * time.Minute) }, cap.Add(-50 * time.Minute), Unreachable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSet(t)
			in := running("nb", t0.Add(3*time.Hour))
			w := world{"nb": &in}
			if _, err := s.Add(in, time.Hour, cap, t0, ""); err != nil {
				t.Fatal(err)
			}
			tt.change(w)
			rs, ended := s.Plan(tt.now, w.lookup)
			if len(rs) != 0 || len(ended) != 1 || ended[0].Reason != tt.want {
				t.Fatalf("renewals %+v, ended %+v; want %v", rs, ended, tt.want)
			}
			if s.Len() != 0 {
				t.Fatal("ended pin kept")
			}
			if tt.want == Unreachable && !strings.Contains(ended[0].Message(time.UTC), "stops at 19:30") {
				t.Errorf("message %q", ended[0].Message(time.UTC))
			}
		})
	}
}

func TestTransitionalRunningStateWaits(t *testing.T) {
	s := newSet(t)
	in := running("nb", t0.Add(5*time.Minute))
	w := world{"nb": &in}
	s.Add(in, time.Hour, t0.Add(5*time.Hour), t0, "")
	in.Status, in.Class = "SNAPSHOTTING", model.ClassTransitional
	if rs, ended := s.Plan(t0, w.lookup); len(rs)+len(ended) != 0 {
		t.Fatalf("renewals %+v, ended %+v", rs, ended)
	}
	in.Status, in.Class = "RUNNING", model.ClassRunning
	if rs, _ := s.Plan(t0.Add(time.Second), w.lookup); len(rs) != 1 {
		t.Fatalf("not renewed once back to RUNNING: %+v", rs)
	}
}

func TestAddRefuses(t *testing.T) {
	soon := t0.Add(30 * time.Minute)
	g1 := running("g1", soon)
	g1.Generation = model.Gen1
	stopped := running("stopped", soon)
	stopped.Status, stopped.Class = "STOPPED", model.ClassStopped
	off := running("off", soon)
	off.AutoStop.Enabled = false
	idle := running("idle", soon)
	idle.AutoStop.Type = model.LeaseIdle
	long := running("long", t0.Add(10*time.Hour))
	ok := running("ok", soon)
	tests := []struct {
		name string
		in   model.Instance
		d    time.Duration
		cap  time.Time
		want string
	}{
		{"gen 1", g1, time.Hour, t0.Add(4 * time.Hour), "no renew API"},
		{"stopped", stopped, time.Hour, t0.Add(4 * time.Hour), "only a running instance can be kept alive (it is STOPPED)"},
		{"auto-stop off", off, time.Hour, t0.Add(4 * time.Hour), "auto-stop is off"},
		{"idle lease", idle, time.Hour, t0.Add(4 * time.Hour), "stops when idle"},
		{"duration too short", ok, 30 * time.Minute, t0.Add(4 * time.Hour), "renewal duration 30m0s is out of range (1h to 24h)"},
		{"duration too long", ok, 25 * time.Hour, t0.Add(4 * time.Hour), "out of range (1h to 24h)"},
		{"cap passed", ok, time.Hour, t0.Add(-time.Minute), "has passed"},
		{"cap under an hour", ok, time.Hour, t0.Add(50 * time.Minute), "under an hour"},
		{"cap over a day", ok, time.Hour, t0.Add(25 * time.Hour), "at most 24 h"},
		{"lease already past the cap", long, time.Hour, t0.Add(4 * time.Hour), "already runs until"},
	}
	for _, tt := range tests {
		s := newSet(t)
		_, err := s.Add(tt.in, tt.d, tt.cap, t0, "")
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want %q", tt.name, err, tt.want)
		}
		if s.Len() != 0 {
			t.Errorf("%s: pinned anyway", tt.name)
		}
	}
	if _, err := newSet(t).Add(g1, time.Hour, t0.Add(4*time.Hour), t0, ""); !errors.Is(err, ErrNoRenewAPI) {
		t.Errorf("gen 1: %v does not wrap ErrNoRenewAPI", err)
	}
}

func TestMarginRange(t *testing.T) {
	for _, m := range []time.Duration{0, 30 * time.Second, 31 * time.Minute, time.Hour} {
		if _, err := NewSet(m); err == nil || !strings.Contains(err.Error(), "out of range (1m to 30m") {
			t.Errorf("margin %s: %v", m, err)
		}
	}
}

func TestRemoveWhileInFlight(t *testing.T) {
	s := newSet(t)
	in := running("nb", t0.Add(5*time.Minute))
	w := world{"nb": &in}
	s.Add(in, time.Hour, t0.Add(5*time.Hour), t0, "")
	s.Plan(t0, w.lookup)
	if _, ok := s.Remove("nb"); !ok {
		t.Fatal("not removed")
	}
	if e := s.Done("nb", t0, time.Time{}, errors.New("late")); e != nil {
		t.Fatalf("Done of a removed pin: %+v", e)
	}
	// Re-pinning while the old renewal is in flight sends no second one.
	s.Add(in, time.Hour, t0.Add(5*time.Hour), t0, "")
	rs, _ := s.Plan(t0, w.lookup)
	s.Add(in, 2*time.Hour, t0.Add(6*time.Hour), t0, "")
	if again, _ := s.Plan(t0.Add(time.Second), w.lookup); len(rs) != 1 || len(again) != 0 {
		t.Fatalf("renewals %+v then %+v", rs, again)
	}
}

// Sessions of matui serve use one set at once.
func TestConcurrentUse(t *testing.T) {
	s := newSet(t)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				id := fmt.Sprintf("nb-%d-%d", g, i%5)
				in := running(id, t0.Add(5*time.Minute))
				s.Add(in, time.Hour, t0.Add(3*time.Hour), t0, "")
				rs, _ := s.Plan(t0, func(string) (model.Instance, bool) { return in, true })
				for _, r := range rs {
					s.Done(r.ID, t0, time.Time{}, nil)
				}
				s.Get(id)
				s.All()
				if i%7 == 0 {
					s.Remove(id)
				}
			}
		}()
	}
	wg.Wait()
}

// The config file's default margin is this package's.
func TestConfigDefaultMatches(t *testing.T) {
	if config.DefaultPinMargin != DefaultMargin {
		t.Fatalf("config default margin %s, pin's %s", config.DefaultPinMargin, DefaultMargin)
	}
}

// Version moves when a pin is set, replaced or ends, and only then.
func TestVersionFollowsThePins(t *testing.T) {
	s := newSet(t)
	in := running("a", t0.Add(time.Hour))
	v := s.Version()
	step := func(what string, changed bool) {
		t.Helper()
		if got := s.Version(); (got != v) != changed {
			t.Fatalf("%s: version %d → %d", what, v, got)
		}
		v = s.Version()
	}
	s.Add(in, time.Hour, t0.Add(3*time.Hour), t0, "")
	step("add", true)
	s.Get("a")
	s.All()
	s.Plan(t0, func(string) (model.Instance, bool) { return in, true })
	step("reading and planning with nothing due", false)
	s.Add(in, time.Hour, t0.Add(4*time.Hour), t0, "")
	step("a new cap", true)
	s.Remove("a")
	step("remove", true)
	s.Remove("a")
	step("removing again", false)
	s.Add(in, time.Hour, t0.Add(3*time.Hour), t0, "")
	v = s.Version()
	stopped := in
	stopped.Status, stopped.Class = "STOPPED", model.ClassStopped
	s.Plan(t0, func(string) (model.Instance, bool) { return stopped, true })
	step("a pin that ends", true)
}

package ui_test

import (
	"bytes"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"matui/ui"
	"matui/ui/alert"
)

// outputLog keeps everything the program wrote, for assertions over the
// raw bytes (the bell, OSC notifications).
type outputLog struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// drain copies r into the log until done is closed. teatest's output is a
// buffer that reads io.EOF whenever it is empty: EOF means "not yet".
func (o *outputLog) drain(r io.Reader, done <-chan struct{}) {
	b := make([]byte, 4096)
	for {
		n, err := r.Read(b)
		o.mu.Lock()
		o.buf.Write(b[:n])
		o.mu.Unlock()
		if err == nil {
			continue
		}
		select {
		case <-done:
			return
		case <-time.After(2 * time.Millisecond):
		}
	}
}

func (o *outputLog) count(s string) int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return bytes.Count(o.buf.Bytes(), []byte(s))
}

// An instance crossing 15 minutes before its auto-stop raises exactly one
// alert: a toast, the bell and an OSC 9 notification; l renews it from the
// toast.
func TestE2EAlertBeforeAutoStop(t *testing.T) {
	e := startE2E(t, func(o *ui.Options) {
		slowPolls(o)
		o.Alerts = &ui.Alerts{Before: []time.Duration{15 * time.Minute}, Bell: true, Desktop: alert.OSC9}
	})
	out := &outputLog{}
	done := make(chan struct{})
	t.Cleanup(func() { close(done) })
	go out.drain(e.tm.Output(), done)
	const name = "tf-sandbox" // RUNNING, lease ends 40 min from the start
	const osc = "\x1b]9;matui: " + name + " auto-stops in"
	e.filterTo(name)
	e.waitRow(name, "G2", "RUNNING", "39:59")
	e.advance(20 * time.Minute)
	e.waitRow(name, "G2", "RUNNING", "19:59")
	if n := out.count(osc); n != 0 {
		t.Fatalf("alerted %d times above the threshold", n)
	}
	e.advance(5*time.Minute + time.Second) // 14:59 left
	e.waitScreen("alert toast", func(s string) bool {
		return strings.Contains(s, name+" auto-stops in 14:5") && strings.Contains(s, "l renews")
	})
	waitFor(t, "the OSC 9 notification", func() bool { return out.count(osc) == 1 })
	if out.count("\a") == 0 {
		t.Fatal("no bell")
	}
	// More ticks and polls do not repeat it.
	e.advance(30 * time.Second)
	e.refresh()
	e.advance(30 * time.Second)
	e.refresh()
	if n := out.count(osc); n != 1 {
		t.Fatalf("alerted %d times", n)
	}
	// l from the toast renews that instance, and the alert goes.
	e.keys("l")
	e.waitScreen("renew dialog", func(s string) bool { return strings.Contains(s, "Renew lease of "+name) })
	e.keys("1") // 1 h
	e.waitScreen("renewed", func(s string) bool {
		return strings.Contains(s, name+": lease renewed") && !strings.Contains(s, "l renews")
	})
	lease, err := e.c.ShowLease(t.Context(), e.notebook(name).ID)
	if err != nil {
		t.Fatal(err)
	}
	if left := lease.Deadline().Sub(e.clk.Now()); left < 59*time.Minute || left > time.Hour {
		t.Fatalf("after the renewal %v left", left)
	}
}

// esc dismisses an alert before it clears the filter.
func TestE2EEscDismissesAnAlert(t *testing.T) {
	e := startE2E(t, func(o *ui.Options) {
		slowPolls(o)
		o.Alerts = &ui.Alerts{Before: []time.Duration{15 * time.Minute}}
	})
	const name = "tf-sandbox"
	e.filterTo(name)
	e.advance(25*time.Minute + time.Second)
	e.waitScreen("alert toast", func(s string) bool { return strings.Contains(s, "l renews") })
	e.keys("esc")
	s := e.waitScreen("dismissed", func(s string) bool { return !strings.Contains(s, "l renews") })
	if !strings.Contains(s, "/"+name) {
		t.Fatalf("esc cleared the filter instead of dismissing the alert:\n%s", s)
	}
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("waiting for %s", what)
		}
	}
}

// A pinned instance is renewed by matui before it stops, and the pin ends
// at its cap.
func TestE2EPinKeepsAliveUntilItsCap(t *testing.T) {
	e := startE2E(t, slowPolls)
	const name = "tf-sandbox" // RUNNING, lease ends 40 min from the start
	id := e.notebook(name).ID
	e.filterTo(name)
	e.keys("p")
	e.waitScreen("pin dialog", func(s string) bool { return strings.Contains(s, "Keep "+name+" alive until?") })
	e.tm.Type("+3h")
	e.keys("enter")
	e.waitScreen("pinned", func(s string) bool { return strings.Contains(s, name+": pinned until") && strings.Contains(s, "PIN") })
	deadline := func() time.Time {
		l, err := e.c.ShowLease(t.Context(), id)
		if err != nil {
			t.Fatal(err)
		}
		return l.Deadline()
	}
	first := deadline()
	// Under the 10-minute margin the next tick renews it (for 1 h).
	e.advance(31 * time.Minute)
	e.waitScreen("renewal", func(s string) bool { return strings.Contains(s, "kept "+name+" alive") })
	waitFor(t, "the renewed lease", func() bool { return deadline().After(first.Add(30 * time.Minute)) })
	// Keep going until the final renewal lands on the cap; the instance
	// never stops before it.
	cap := e2eStart.Add(3 * time.Hour)
	for i := 0; i < 6 && deadline().Before(cap.Add(-time.Minute)); i++ {
		before := deadline()
		if st := e.showStatus(id); st != "RUNNING" {
			t.Fatalf("the pinned instance is %s at %v", st, e.clk.Now())
		}
		e.refresh()
		// To the next moment the pin acts: under the margin, or the cap
		// within the shortest renewal plus the margin (the final renewal
		// then lands on the cap). Real ticks come every second; the test's
		// clock jumps, so it must not jump past that window.
		next := before.Add(-9 * time.Minute)
		if final := cap.Add(-time.Hour - 9*time.Minute); final.Before(next) && final.After(e.clk.Now()) {
			next = final
		}
		e.advance(next.Sub(e.clk.Now()))
		waitFor(t, "a renewal at "+e.clk.Now().Format(time.TimeOnly), func() bool { return deadline().After(before) })
	}
	if got := deadline(); got.Sub(cap) > time.Minute || cap.Sub(got) > time.Minute {
		t.Fatalf("the last renewal set %v, want the cap %v", got, cap)
	}
	// At the cap the pin ends (and the instance stops, as it was told to).
	e.refresh()
	e.advance(cap.Sub(e.clk.Now()) + time.Second)
	e.waitScreen("pin ended at its cap", func(s string) bool { return !strings.Contains(s, "⚑") })
}

// screen is the current frame.
func (e *e2e) screen() string {
	s, _ := e.rec.Screen()
	return s
}

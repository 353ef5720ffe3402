package ui

import (
	"strings"
	"testing"
	"time"
)

// A colleague's instance alerts once it is marked (only the user's own
// and marked instances alert); marking costs that instance, not the list.
func TestMarkingIncludesAnInstanceInTheAlerts(t *testing.T) {
	m, f, _ := newLoaded(t, 140, 30, fixture(), func(o *Options) {
		o.User = "bob" // every fixture instance is alice's
		o.Alerts = &Alerts{Before: []time.Duration{2 * time.Hour}}
	})
	f.setNow(t0.Add(time.Second))
	m.Update(tickMsg{})
	if s := screen(m); strings.Contains(s, "auto-stops in") {
		t.Fatalf("a colleague's instance alerts unmarked:\n%s", s)
	}
	press(m, "/")
	typeText(m, "ascend-train")
	press(m, "enter")
	press(m, "space")
	f.setNow(t0.Add(2 * time.Second))
	m.Update(tickMsg{})
	if s := screen(m); !strings.Contains(s, "ascend-train auto-stops in") {
		t.Fatalf("no alert for the marked instance:\n%s", s)
	}
}

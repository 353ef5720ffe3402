package ui

import (
	"strings"
	"testing"
	"time"
)

// :usage draws its rows once per refresh and tick, and still follows
// both: the countdowns move with the server clock, the rows with the
// filter.
func TestUsageFollowsTheClockAndTheFilter(t *testing.T) {
	m, f, _ := newLoaded(t, 140, 40, fixture())
	command(m, "usage")
	press(m, "enter")
	if s := screen(m); !strings.Contains(s, "12:00") || !strings.Contains(s, "ascend-train") {
		t.Fatalf("usage before the tick:\n%s", s)
	}
	f.setNow(t0.Add(time.Minute))
	m.Update(tickMsg{})
	if s := screen(m); !strings.Contains(s, "11:00") || strings.Contains(s, "12:00") {
		t.Fatalf("the countdown does not follow the server clock:\n%s", s)
	}
	press(m, "/")
	typeText(m, "gpu-note")
	if s := screen(m); strings.Contains(s, "ascend-train") || !strings.Contains(s, "gpu-notebook") {
		t.Fatalf("the rows do not follow the filter:\n%s", s)
	}
}

package ui

import (
	"strings"
	"testing"
)

// Issue 13, item 13: the details of a STOPPED instance showed a "Stops at"
// deadline weeks in the past (the last lease's) and offered x stop.
func TestDetailsOfAStoppedInstance(t *testing.T) {
	m, _, _ := newLoaded(t, 100, 40, fixture())
	selectName(t, m, "cpu-dev") // STOPPED, with a deadline from its last run
	press(m, "enter")
	s := screen(m)
	if strings.Contains(s, "Stops at") {
		t.Errorf("a stopped instance shows a deadline:\n%s", s)
	}
	if strings.Contains(s, "x stop") || !strings.Contains(s, "s start") {
		t.Errorf("footer offers the wrong action:\n%s", s)
	}
	press(m, "esc")
	selectName(t, m, "gpu-notebook") // RUNNING
	press(m, "enter")
	if s := screen(m); !strings.Contains(s, "Stops at") || !strings.Contains(s, "x stop") {
		t.Errorf("a running instance lost its deadline or stop:\n%s", s)
	}
}

package ui

import (
	"strings"
	"testing"
	"time"

	"matui/client"
	"matui/model"
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

// Issue 13, item 13: at 40×12 the start dialog cut its last options, and
// at 120 columns the help cut its command list.
func TestSmallScreensKeepEveryOption(t *testing.T) {
	m2, _, _ := newLoaded(t, 40, 12, stoppedGen2())
	press(m2, "s")
	s := screen(m2)
	for _, opt := range startChoices {
		if !strings.Contains(s, opt) {
			t.Errorf("option %q not shown at 40×12:\n%s", opt, s)
		}
	}
	m3, _, _ := newLoaded(t, 120, 40, fixture())
	press(m3, "?")
	if s := screen(m3); !strings.Contains(s, ":profile NAME") || !strings.Contains(s, ":q") {
		t.Errorf("help cuts the command list at 120 columns:\n%s", s)
	}
}

// stoppedGen2 is one stopped Gen 2 instance.
func stoppedGen2() []model.Instance {
	in := fixture()[0]
	in.Status, in.Class = "STOPPED", model.ClassStopped
	return []model.Instance{in}
}

// Issue 13, item 13: there was no key to clear all marks.
func TestClearAllMarks(t *testing.T) {
	m, _, _ := newLoaded(t, 120, 24, fixture())
	press(m, "space", "space", "space")
	if m.table.MarkCount() != 3 {
		t.Fatalf("marked %d", m.table.MarkCount())
	}
	press(m, "u")
	if m.table.MarkCount() != 0 || !strings.Contains(toastTexts(m), "unmarked 3") {
		t.Fatalf("u left %d marks, toasts %q", m.table.MarkCount(), toastTexts(m))
	}
}

// Issue 13, item 11: after opening CodeLab the details show its progress,
// instead of leaving the user on the list with a toast.
func TestCodeLabOpensItsDetails(t *testing.T) {
	m, _ := newFormsLoaded(t, fixture())
	drive(t, m, `: "codelab" enter enter enter enter`)
	if m.mode != modeDetails || m.details.Instance().ID != "codelab-1" {
		t.Fatalf("mode %v, details of %q:\n%s", m.mode, m.details.Instance().ID, screen(m))
	}
	if s := screen(m); !strings.Contains(s, "CREATING") {
		t.Fatalf("details:\n%s", s)
	}
}

// Issue 13, item 4: a failed Gen 2 poll made every Gen 2 row vanish. The
// rows stay, and the header says they are kept from the last good list.
func TestFailedGen2PollKeepsItsRows(t *testing.T) {
	m, f, clk := newLoaded(t, 160, 24, fixture())
	before := m.table.Total()
	var gen1 []model.Instance
	for _, in := range fixture() {
		if in.Generation == model.Gen1 {
			gen1 = append(gen1, in)
		}
	}
	clk.Add(time.Minute)
	f.partial = &client.PartialError{Failed: []client.PartFailure{{What: "gen2 NOTEBOOK", Err: apiErr("ModelArts.6101", "system busy")}}}
	f.items = gen1
	exec(t, m, m.poll())
	if got := m.table.Total(); got != before {
		t.Fatalf("%d rows after the failed Gen 2 poll, want all %d", got, before)
	}
	if s := screen(m); !strings.Contains(s, "gen2 NOTEBOOK kept from 1m ago: ModelArts.6101: system busy") {
		t.Fatalf("header does not say so:\n%s", s)
	}
}

// :usage groups the running instances by owner, then flavor, with the
// right counts (issue 12).
func TestUsageGroupsByOwner(t *testing.T) {
	items := fixture()
	for i := range items {
		if items[i].Name == "ascend-train" {
			items[i].Owner = "bob"
		}
	}
	m, _, _ := newLoaded(t, 140, 40, items)
	command(m, "usage")
	press(m, "enter")
	s := screen(m)
	for _, want := range []string{"Usage · 3 running", "alice (2 instances)", "bob (1 instance)", "8× Ascend 910", "1× V100"} {
		if !strings.Contains(s, want) {
			t.Fatalf("usage lacks %q:\n%s", want, s)
		}
	}
	if !strings.Contains(s, "running: 8× Ascend 910") {
		t.Fatalf("the header does not summarise what runs:\n%s", s)
	}
	press(m, "esc")
	if m.top() != nil {
		t.Fatal("esc did not close :usage")
	}
}

// :scope with a word that is not a scope says so and changes nothing.
func TestScopeRejectsAnUnknownWord(t *testing.T) {
	m, _, _ := newLoaded(t, 140, 30, fixture(), func(o *Options) { o.AllUsers = true })
	command(m, "scope foo")
	if cmd := press(m, "enter"); cmd != nil {
		exec(t, m, cmd)
	}
	if s := screen(m); !strings.Contains(s, `"foo" is not a scope (all or mine)`) || !m.allUsers {
		t.Fatalf("allUsers %v after :scope foo:\n%s", m.allUsers, s)
	}
}

package ui

import (
	"bytes"
	"testing"
	"time"

	"matui/ui/forms/formtest"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest/v2"
)

// startProgram runs the dashboard in a teatest program at 80×24 with a
// fixed colour profile and a fixed clock, and waits for the first list.
// Regenerate goldens with: go test ./ui -run Golden -update
func startProgram(t *testing.T) (*teatest.TestModel, *fakeBackend) {
	t.Helper()
	f := &fakeBackend{items: fixture(), actErr: map[string]error{}}
	clk := &clock{t: t0}
	m := New(f, testOptions(clk))
	tm := teatest.NewTestModel(t, m,
		teatest.WithInitialTermSize(80, 24),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.ANSI256)))
	waitFor(t, tm, "gpu-notebook")
	return tm, f
}

func waitFor(t *testing.T, tm *teatest.TestModel, s string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(s)) },
		teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
}

// finalScreen quits and returns the final frame without escape codes, the
// stable part of a golden (the byte stream depends on renderer timing).
func finalScreen(t *testing.T, tm *teatest.TestModel) []byte {
	t.Helper()
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	fm := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second))
	return []byte(ansi.Strip(fm.(*Model).View().Content))
}

func typeKeys(tm *teatest.TestModel, keys ...string) {
	for _, k := range keys {
		tm.Send(formtest.Key(k))
	}
}

func TestGoldenList(t *testing.T) {
	tm, _ := startProgram(t)
	typeKeys(tm, "j")
	golden.RequireEqual(t, finalScreen(t, tm))
}

func TestGoldenDetails(t *testing.T) {
	tm, _ := startProgram(t)
	typeKeys(tm, "G", "k", "k", "enter") // "fresh" (creating, with progress)
	waitFor(t, tm, "details")
	golden.RequireEqual(t, finalScreen(t, tm))
}

func TestGoldenHelp(t *testing.T) {
	tm, _ := startProgram(t)
	typeKeys(tm, "?")
	waitFor(t, tm, "Keys")
	golden.RequireEqual(t, finalScreen(t, tm))
}

func TestGoldenStopConfirm(t *testing.T) {
	tm, f := startProgram(t)
	// Sorted by name: ascend-train, broken, cpu-dev, free-tier, fresh,
	// gpu-notebook, 笔记本…; gpu-notebook is the 6th.
	typeKeys(tm, "j", "j", "j", "j", "j", "x")
	waitFor(t, tm, "Stop gpu-notebook?")
	typeKeys(tm, "y")
	waitFor(t, tm, "stopping")
	teatest.WaitFor(t, tm.Output(), func([]byte) bool { return len(f.Calls()) == 1 && f.lists >= 2 },
		teatest.WithDuration(5*time.Second))
	golden.RequireEqual(t, finalScreen(t, tm))
}

package keys

import (
	"strings"
	"testing"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

func TestDefaultsAvoidConflicts(t *testing.T) {
	m := Default()
	by := m.ByName()
	inContext := map[string]bool{}
	for ctx, names := range Contexts() {
		seen := map[string]string{}
		for _, name := range names {
			b, ok := by[name]
			if !ok {
				t.Fatalf("context %s names unknown action %q", ctx, name)
			}
			inContext[name] = true
			for _, k := range b.Keys() {
				if other, dup := seen[k]; dup {
					t.Errorf("%s: key %q bound to %s and %s", ctx, k, other, name)
				}
				seen[k] = name
			}
		}
	}
	for name := range by {
		if !inContext[name] && name != "activate" && name != "review_back" && name != "complete" {
			t.Errorf("action %q is in no context", name)
		}
	}
	if !key.Matches(tea.KeyPressMsg{Code: 'd', Mod: tea.ModCtrl}, m.Delete) {
		t.Error("ctrl+d is not delete")
	}
	if !key.Matches(tea.KeyPressMsg{Code: 'f', Mod: tea.ModCtrl}, m.PageDown) {
		t.Error("ctrl+f is not page down")
	}
}

func TestApply(t *testing.T) {
	m := Default()
	err := m.Apply(map[string][]string{"Stop": {"X"}, "page-down": {"J", "pgdown"}, "quit": {"Q"}, "nope": {"z"}, "mark": nil})
	if err == nil || !strings.Contains(err.Error(), "nope") {
		t.Fatalf("unknown action not reported: %v", err)
	}
	if got := m.Stop.Keys(); len(got) != 1 || got[0] != "X" || m.Stop.Help().Key != "X" || m.Stop.Help().Desc != "stop" {
		t.Fatalf("stop: %v %+v", got, m.Stop.Help())
	}
	if got := m.PageDown.Keys(); len(got) != 2 {
		t.Fatalf("page_down: %v", got)
	}
	if got := m.Quit.Keys(); len(got) != 2 || got[1] != "ctrl+c" {
		t.Fatalf("ctrl+c must stay bound to quit: %v", got)
	}
	if m.Mark.Enabled() {
		t.Fatal("empty list must unbind")
	}
}

package ui

import (
	"strings"
	"testing"
)

func TestReadOnlyDisablesActions(t *testing.T) {
	m, f, _ := newLoaded(t, 120, 24, fixture(), func(o *Options) { o.ReadOnly = true })
	selectName(t, m, "gpu-notebook")
	for _, k := range []string{"s", "x", "d", "l"} {
		if cmd := press(m, k); cmd != nil {
			exec(t, m, cmd)
		}
		if topDialog(m) != nil {
			t.Fatalf("%s opened a dialog in a read-only session", k)
		}
	}
	press(m, "x")
	press(m, "y")
	if got := f.Calls(); len(got) != 0 {
		t.Fatalf("read-only session called %v", got)
	}
	if got := toastTexts(m); !strings.Contains(got, "read-only session") {
		t.Fatalf("toast %q", got)
	}
}

// Issue 14: a viewer's footer does not advertise actions it may not take.
func TestReadOnlyFooterOffersNoActions(t *testing.T) {
	m, _, _ := newLoaded(t, 200, 24, fixture(), func(o *Options) { o.ReadOnly = true })
	lines := strings.Split(screen(m), "\n")
	footer := lines[len(lines)-1]
	for _, action := range []string{"s start", "x stop", "ctrl+d delete", "l renew"} {
		if strings.Contains(footer, action) {
			t.Errorf("viewer footer offers %q: %s", action, footer)
		}
	}
	if !strings.Contains(footer, "/ filter") || !strings.Contains(footer, "? help") {
		t.Errorf("viewer footer lost the rest: %s", footer)
	}
	selectName(t, m, "gpu-notebook")
	press(m, "enter")
	lines = strings.Split(screen(m), "\n")
	if footer := lines[len(lines)-1]; strings.Contains(footer, "x stop") {
		t.Errorf("viewer details footer offers stop: %s", footer)
	}
}

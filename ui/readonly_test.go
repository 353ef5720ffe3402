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

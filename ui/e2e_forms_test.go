package ui_test

import (
	"strings"
	"testing"
	"time"

	"matui/ui/forms/formtest"
)

// TestE2ECreateNotebook creates a Gen 2 notebook with n over the real
// client and the simulator, and watches it on the real polling loop: the
// row appears at once as CREATING, the details show the creation steps
// advance with the clock, and it ends RUNNING.
func TestE2ECreateNotebook(t *testing.T) {
	e := startE2E(t, nil)
	const name = "e2e-fresh"
	e.keys("n")
	e.waitScreen("generation choice", func(s string) bool { return strings.Contains(s, "Gen 2 notebook") })
	e.keys("enter")
	e.waitScreen("create form", func(s string) bool {
		return strings.Contains(s, "New notebook (Gen 2)") && strings.Contains(s, "modelarts.vm.cpu")
	})
	e.tm.Type(name)
	e.tm.Send(formtest.Key("ctrl+s"))
	e.waitScreen("review", func(s string) bool {
		return strings.Contains(s, "Review: this request body will be sent") && strings.Contains(s, `"name": "`+name+`"`)
	})
	e.keys("enter")
	e.waitScreen("created", func(s string) bool { return strings.Contains(s, name+": CREATING") })
	e.waitRow(name, "G2", "CREATING", "")
	if st := e.showStatus(e.notebook(name).ID); st != "CREATING" {
		t.Fatalf("simulator says %s after create", st)
	}

	// The new row is selected: its details show the creation steps.
	e.keys("enter")
	e.waitScreen("details", func(s string) bool { return strings.Contains(s, "Progress") && strings.Contains(s, "1 storage") })
	// One waiting step of 3 s, then four steps of 3 s each.
	e.advance(7 * time.Second)
	e.waitScreen("storage done", func(s string) bool {
		return strings.Contains(s, "✓ 1 storage") && strings.Contains(s, "2 compute") && !strings.Contains(s, "✓ 2 compute")
	})
	e.advance(6 * time.Second)
	e.waitScreen("compute and network done", func(s string) bool { return strings.Contains(s, "✓ 3 network") })
	e.advance(3 * time.Second)
	e.keys("esc")
	e.waitRow(name, "G2", "RUNNING", "")
	if st := e.showStatus(e.notebook(name).ID); st != "RUNNING" {
		t.Fatalf("simulator says %s", st)
	}
}

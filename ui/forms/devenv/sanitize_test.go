package devenv

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"matui/model/termsafe"
	"matui/model/termsafe/termsafetest"
	"matui/ui/forms"
	"matui/ui/forms/formtest"
)

// The Gen 1 modify form shows a hostile stored description clean, in the
// input and on screen (C1 and bidi controls survive ansi.Strip, so the
// stripped screen shows whether they were ever there), and an untouched
// description is not sent.
func TestModifyShowsAPIStringsSanitised(t *testing.T) {
	d := running()
	d.Name, d.Description = "nb"+termsafetest.Hostile, "old"+termsafetest.Hostile
	m := NewModify(formtest.Ctx(), d, nil)
	// (The input drops the U+FFFD the invalid byte became.)
	if v := m.Field(forms.KeyDescription).Text(); !termsafe.IsSafe(v) || !strings.HasPrefix(v, "oldok") {
		t.Errorf("description shows %q", v)
	}
	if screen := ansi.Strip(m.View(120, 30)); !termsafe.IsSafe(screen) {
		t.Errorf("screen not clean: %q", screen)
	}
	if msg := formtest.Drive(m, "ctrl+s"); msg != nil || m.Reviewing() {
		t.Fatal("the untouched hostile description counts as changed")
	}
	msg := formtest.Drive(m, `end "!" ctrl+s`)
	if screen := ansi.Strip(m.View(120, 30)); !m.Reviewing() || !termsafe.IsSafe(screen) || !strings.Contains(screen, `"oldok!"`) {
		t.Errorf("review (msg %v):\n%q", msg, screen)
	}
}

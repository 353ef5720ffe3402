package forms

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"matui/client"
	"matui/themes"
	"matui/ui/forms/formtest"
	"matui/ui/keys"
	"matui/ui/uictx"
)

func testCtx() *uictx.Context {
	p, _ := themes.Builtin(themes.Names()[0])
	return &uictx.Context{Width: 100, Height: 40, Styles: themes.New(p, true), Keys: keys.Default()}
}

func TestServerFieldError(t *testing.T) {
	cases := []struct {
		code, message, locked, field string
		ok                           bool
	}{
		{"ModelArts.6318", "The param path needs to end with /.", "", KeyStorage, true},
		{"ModelArts.6358", "bad storage", "", KeyStorage, true},
		{"ModelArts.6349", "x", "", KeyDuration, true},
		{"ModelArts.6348", "x", "", KeyDuration, true},
		{"ModelArts.6334", "invalid name", "", KeyName, true},
		{"ModelArts.6334", "invalid description", "", KeyDescription, true},
		{"ModelArts.6792", "flavor sold out", "", KeyFlavor, true},
		{"ModelArts.6347", "not allowed now", "image_id", "image_id", true},
		{"ModelArts.6347", "not allowed now", "", "", false},
		{"ModelArts.6309", "quota", "", "", false},
	}
	for _, c := range cases {
		// Wrapped, as the root model's command may return it.
		err := fmt.Errorf("create: %w", &client.APIError{Code: c.code, Message: c.message})
		field, msg, ok := ServerFieldError(err, c.locked)
		if field != c.field || ok != c.ok || msg != c.code+": "+c.message {
			t.Errorf("%s %q: got (%q, %q, %v)", c.code, c.message, field, msg, ok)
		}
	}
	if _, _, ok := ServerFieldError(errors.New("network down"), ""); ok {
		t.Error("a non-API error mapped to a field")
	}
}

func TestErrorsShownOnlyAfterEditOrAttempt(t *testing.T) {
	ctx := testCtx()
	name := NewText(ctx, KeyName, "Name", "")
	name.Err = "name: is required"
	desc := NewText(ctx, KeyDescription, "Description", "")
	desc.Err = "description: bad"
	s := NewSet(ctx, name, desc)
	if v := ansi.Strip(s.View(80)); strings.Contains(v, "is required") || strings.Contains(v, "bad") {
		t.Fatalf("fresh set shows errors:\n%s", v)
	}
	if got := s.DisabledReason("review"); got != "review disabled until Name, Description are valid" {
		t.Errorf("reason = %q", got)
	}
	// Typing into the name reveals its error only.
	s.HandleKey(formtest.Key("x"))
	v := ansi.Strip(s.View(80))
	if !strings.Contains(v, "is required") || strings.Contains(v, "bad") {
		t.Errorf("after editing the name:\n%s", v)
	}
	s.Reveal()
	if v := ansi.Strip(s.View(80)); !strings.Contains(v, "bad") {
		t.Errorf("after an attempt not every error is shown:\n%s", v)
	}
	name.Err, desc.Err = "", ""
	if got := s.DisabledReason("review"); got != "" {
		t.Errorf("valid set disabled: %q", got)
	}
}

func TestSuggestions(t *testing.T) {
	ctx := testCtx()
	f := NewText(ctx, "profile_id", "Profile", "")
	f.Suggestions = []string{"Multi-Engine 1.0 (python3)-cpu", "Multi-Engine 2.0 (python3)", "Power-Engine 1.0(python3)"}
	s := NewSet(ctx, f)
	press := func(script string) {
		for _, k := range formtest.Keys(script) {
			s.HandleKey(k)
		}
	}
	if v := ansi.Strip(s.View(200)); !strings.Contains(v, "ctrl+n/ctrl+p fill in one of:") ||
		!strings.Contains(v, "· Multi-Engine 1.0 (python3)-cpu\n") || !strings.Contains(v, "· Power-Engine 1.0(python3)") {
		t.Errorf("suggestions not listed:\n%s", v)
	}
	press("ctrl+n")
	if f.Text() != "Multi-Engine 1.0 (python3)-cpu" || !f.Edited {
		t.Errorf("ctrl+n: %q", f.Text())
	}
	if v := ansi.Strip(s.View(200)); !strings.Contains(v, "▹ Multi-Engine 1.0 (python3)-cpu") || !strings.Contains(v, "· Multi-Engine 2.0") {
		t.Errorf("the filled-in suggestion is not marked:\n%s", v)
	}
	press("ctrl+n ctrl+n ctrl+n")
	if f.Text() != "Multi-Engine 1.0 (python3)-cpu" {
		t.Errorf("ctrl+n wraps: %q", f.Text())
	}
	press("ctrl+p")
	if f.Text() != "Power-Engine 1.0(python3)" {
		t.Errorf("ctrl+p: %q", f.Text())
	}
	// Typing filters (case-insensitive, anywhere in the name) and starts a
	// new round from the typed text.
	press(`ctrl+u "2.0" ctrl+n`)
	if f.Text() != "Multi-Engine 2.0 (python3)" {
		t.Errorf("filtered: %q", f.Text())
	}
	press(`ctrl+u "power" ctrl+p`)
	if f.Text() != "Power-Engine 1.0(python3)" {
		t.Errorf("ctrl+p filtered: %q", f.Text())
	}
	// Free entry: a value matching nothing stays as typed.
	press(`ctrl+u "uuid-1234" ctrl+n`)
	if f.Text() != "uuid-1234" {
		t.Errorf("free entry replaced: %q", f.Text())
	}
	if v := ansi.Strip(s.View(200)); !strings.Contains(v, "no suggestion matches") {
		t.Errorf("no-match notice missing:\n%s", v)
	}
}

func TestChangedComparesWithKeptValue(t *testing.T) {
	ctx := testCtx()
	// The input turns the stored newline into a space: what it shows is
	// the kept value, so the untouched field is not a change.
	desc := NewText(ctx, KeyDescription, "Description", "two\nlines")
	auto := &Field{Key: "auto", Label: "Auto", Kind: Choice, Options: []string{"on", "off"}}
	s := NewSet(ctx, desc, auto)
	s.Keep()
	if desc.Changed() || auto.Changed() {
		t.Fatal("untouched fields changed")
	}
	for _, k := range formtest.Keys(`"x"`) {
		s.HandleKey(k)
	}
	if !desc.Changed() {
		t.Error("typing is no change")
	}
	for _, k := range formtest.Keys(`backspace down right`) {
		s.HandleKey(k)
	}
	if desc.Changed() || !auto.Changed() {
		t.Errorf("undone typing: %v; choice moved: %v", desc.Changed(), auto.Changed())
	}
	s.HandleKey(formtest.Key("left"))
	if auto.Changed() {
		t.Error("choice moved back is a change")
	}
}

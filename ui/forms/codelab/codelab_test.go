package codelab

import (
	"encoding/json"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"matui/model"
	"matui/themes"
	"matui/ui/forms"
	"matui/ui/forms/formtest"
	"matui/ui/keys"
	"matui/ui/uictx"
)

func testCtx() *uictx.Context {
	p, _ := themes.Builtin(themes.Names()[0])
	return &uictx.Context{Width: 100, Height: 40, Styles: themes.New(p, true), Keys: keys.Default()}
}

func drive(f *Form, script string) tea.Msg {
	var last tea.Msg
	for _, k := range formtest.Keys(script) {
		if cmd := f.Update(k); cmd != nil {
			last = cmd()
		}
	}
	return last
}

func TestDefaultsSendEmptyBody(t *testing.T) {
	f := New(testCtx(), []model.Image{{ID: "img-1", Name: "cpu", Tag: "1"}})
	m, ok := drive(f, "enter enter enter").(OpenMsg)
	if !ok {
		t.Fatal("no OpenMsg")
	}
	if b, _ := json.Marshal(m.Req); string(b) != `{}` {
		t.Errorf("body = %s, want {} (seed 003 sample)", b)
	}
}

func TestImageAndURL(t *testing.T) {
	f := New(testCtx(), []model.Image{{ID: "img-1", Name: "cpu", Tag: "1"}})
	m, ok := drive(f, `right enter "https://x.org/a.ipynb" enter enter`).(OpenMsg)
	if !ok {
		t.Fatal("no OpenMsg")
	}
	if b, _ := json.Marshal(m.Req); string(b) != `{"image_id":"img-1","share_url":"aHR0cHM6Ly94Lm9yZy9hLmlweW5i"}` {
		t.Errorf("body = %s", b)
	}
}

func TestBadURLKeepsForm(t *testing.T) {
	f := New(testCtx(), nil)
	if m := drive(f, `enter "ftp://x/a.ipynb" enter enter`); m != nil {
		t.Fatalf("bad URL submitted: %#v", m)
	}
	if !strings.Contains(ansi.Strip(f.View(200, 20)), "share_url: is not an http(s) URL") {
		t.Errorf("no error:\n%s", f.View(200, 20))
	}
}

func TestEscAction(t *testing.T) {
	f := New(testCtx(), nil)
	if f.EscAction() != forms.EscCancel {
		t.Errorf("edit: %q", f.EscAction())
	}
	drive(f, "enter enter")
	if !f.Reviewing() || f.EscAction() != forms.EscBackToForm {
		t.Fatalf("review: %q", f.EscAction())
	}
	if m := drive(f, "esc"); m != nil || f.Reviewing() {
		t.Errorf("esc in review: %#v", m)
	}
}

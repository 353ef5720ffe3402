package codelab

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"matui/model"
	"matui/ui/forms"
	"matui/ui/forms/formtest"
)

func TestDefaultsSendEmptyBody(t *testing.T) {
	f := New(formtest.Ctx(), []model.Image{{ID: "img-1", Name: "cpu", Tag: "1"}}, nil)
	m := formtest.Sent[OpenMsg](t, f, formtest.Drive(f, "enter enter enter"))
	if b, _ := json.Marshal(m.Req); string(b) != `{}` {
		t.Errorf("body = %s, want {} (seed 003 sample)", b)
	}
}

func TestImageAndURL(t *testing.T) {
	f := New(formtest.Ctx(), []model.Image{{ID: "img-1", Name: "cpu", Tag: "1"}}, nil)
	m := formtest.Sent[OpenMsg](t, f, formtest.Drive(f, `right enter "https://x.org/a.ipynb" enter enter`))
	if b, _ := json.Marshal(m.Req); string(b) != `{"image_id":"img-1","share_url":"aHR0cHM6Ly94Lm9yZy9hLmlweW5i"}` {
		t.Errorf("body = %s", b)
	}
}

func TestBadURLKeepsForm(t *testing.T) {
	f := New(formtest.Ctx(), nil, nil)
	if m := formtest.Drive(f, `enter "ftp://x/a.ipynb" enter enter`); m != nil {
		t.Fatalf("bad URL submitted: %#v", m)
	}
	if !strings.Contains(ansi.Strip(f.View(200, 20)), "share_url: is not an http(s) URL") {
		t.Errorf("no error:\n%s", f.View(200, 20))
	}
}

func TestEscAction(t *testing.T) {
	f := New(formtest.Ctx(), nil, nil)
	if f.EscAction() != forms.EscCancel {
		t.Errorf("edit: %q", f.EscAction())
	}
	formtest.Drive(f, "enter enter")
	if !f.Reviewing() || f.EscAction() != forms.EscBackToForm {
		t.Fatalf("review: %q", f.EscAction())
	}
	if m := formtest.Drive(f, "esc"); m != nil || f.Reviewing() {
		t.Errorf("esc in review: %#v", m)
	}
}

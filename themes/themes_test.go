package themes

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBuiltinsValid(t *testing.T) {
	names := Names()
	for _, want := range []string{"dark", "light", "high-contrast", "catppuccin-mocha", "dracula"} {
		p, ok := Builtin(want)
		if !ok {
			t.Fatalf("missing built-in %q (have %v)", want, names)
		}
		if err := p.Validate(); err != nil {
			t.Errorf("%s: %v", want, err)
		}
		if p.Name != want {
			t.Errorf("%s: name %q", want, p.Name)
		}
	}
	// Builtin returns a copy: mutating it must not leak into the next call.
	p, _ := Builtin(Dark)
	p.FG = "#000000"
	if q, _ := Builtin(Dark); q.FG == "#000000" {
		t.Fatal("built-in palette shared")
	}
}

func TestLoadUserThemes(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "mine.yaml"), []byte("dark: true\nrunning: \"#00ff00\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "j.json"), []byte(`{"name":"Jay","failed":"#123"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "bad.yaml"), []byte("fg: red\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "dark.yml"), []byte("dark: true\nfg: \"#010203\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	p, err := Load(dir, "mine")
	if err != nil {
		t.Fatal(err)
	}
	dark, _ := Builtin(Dark)
	if p.Running != "#00ff00" || p.FG != dark.FG || p.Name != "mine" {
		t.Fatalf("partial YAML theme not filled from dark: %+v", p)
	}
	p, err = Load(dir, "j")
	if err != nil {
		t.Fatal(err)
	}
	light, _ := Builtin(Light)
	if p.Failed != "#123" || p.FG != light.FG || p.Name != "Jay" {
		t.Fatalf("JSON theme: %+v", p)
	}
	if _, err := Load(dir, "bad"); err == nil || !strings.Contains(err.Error(), `invalid colour "red"`) {
		t.Fatalf("bad colour: %v", err)
	}
	if p, err := Load(dir, "dark"); err != nil || p.FG != "#010203" {
		t.Fatalf("user file must override the built-in: %+v %v", p, err)
	}
	if p, err := Load(dir, "dracula"); err != nil || p.Name != "dracula" {
		t.Fatalf("built-in fallback: %v", err)
	}
	if p, err := Load("", "light"); err != nil || p.Name != "light" {
		t.Fatalf("no dir: %v", err)
	}
	if _, err := Load(dir, "nope"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("missing: %v", err)
	}
	if _, err := Load(dir, "../etc/passwd"); err == nil {
		t.Fatal("path traversal accepted")
	}
}

func TestNoColorStyles(t *testing.T) {
	p, _ := Builtin(Dark)
	s := New(p, true)
	for name, out := range map[string]string{
		"running":  s.Running.Render("x"),
		"failed":   s.Failed.Render("x"),
		"selected": s.Selected.Render("x"),
		"danger":   s.Danger.Render("x"),
	} {
		if strings.Contains(out, "38;") || strings.Contains(out, "48;") {
			t.Errorf("%s: colour under NO_COLOR: %q", name, out)
		}
	}
	if !strings.Contains(s.Selected.Render("x"), "7") {
		t.Error("selection must use reverse video without colour")
	}
	c := New(p, false)
	if c.Running.Render("x") == c.Failed.Render("x") {
		t.Error("running and failed render the same")
	}
}

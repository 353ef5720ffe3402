package ui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"matui/model"
	"matui/ui/dialog"
)

func typeText(m *Model, s string) {
	for _, r := range s {
		press(m, string(r))
	}
}

func backspace(m *Model, n int) {
	for range n {
		m.Update(tea.KeyPressMsg{Code: tea.KeyBackspace})
	}
}

func TestRenewCustomHours(t *testing.T) {
	m, f, _ := newLoaded(t, 120, 24, fixture())
	selectName(t, m, "ascend-train")
	press(m, "l")
	if !strings.Contains(screen(m), "4 custom") {
		t.Fatalf("no custom choice:\n%s", screen(m))
	}
	if cmd := press(m, "4"); cmd != nil || topDialog(m) == nil {
		t.Fatal("custom did not ask for hours")
	}
	for _, tc := range []struct{ typed, err string }{
		{"abc", `"abc" is not a duration`},
		{"80", "80h is too long (a bare number is hours: did you mean 80m?)"},
		{"0.5", "30m is too short"},
	} {
		typeText(m, tc.typed)
		if cmd := press(m, "enter"); cmd != nil {
			t.Fatalf("%q: sent", tc.typed)
		}
		if topDialog(m) == nil || topDialog(m).Value() != tc.typed {
			t.Fatalf("%q: dialog closed or value lost", tc.typed)
		}
		if !strings.Contains(topDialog(m).Err(), tc.err) || !strings.Contains(screen(m), tc.err) {
			t.Fatalf("%q: error %q, want %q:\n%s", tc.typed, topDialog(m).Err(), tc.err, screen(m))
		}
		backspace(m, len(tc.typed))
	}
	if len(f.Calls()) != 0 {
		t.Fatalf("calls %v", f.Calls())
	}
	typeText(m, "12")
	exec(t, m, press(m, "enter"))
	if got := f.Calls(); len(got) != 1 || got[0] != "renew(12h0m0s) b2c3" {
		t.Fatalf("calls %v", got)
	}
	if topDialog(m) != nil {
		t.Fatal("dialog still open")
	}
}

func TestStartCustomAutoStop(t *testing.T) {
	items := fixture()
	items[0].Status, items[0].Class = "STOPPED", model.ClassStopped // gpu-notebook, Gen 2
	m, f, _ := newLoaded(t, 120, 24, items)
	selectName(t, m, "gpu-notebook")
	press(m, "s", "6")
	if topDialog(m) == nil || !strings.Contains(screen(m), "auto-stop after how long") {
		t.Fatalf("no hours dialog:\n%s", screen(m))
	}
	typeText(m, "1.5h")
	exec(t, m, press(m, "enter"))
	if got := f.Calls(); len(got) != 1 || got[0] != "start(1h30m0s) a1b2" {
		t.Fatalf("calls %v", got)
	}
	// esc in the hours dialog cancels the whole action.
	selectName(t, m, "ascend-train")
	press(m, "l", "4")
	if topDialog(m) == nil || topDialog(m).Kind != dialog.KindInput {
		t.Fatal("no hours dialog")
	}
	press(m, "esc")
	if topDialog(m) != nil || len(f.Calls()) != 1 {
		t.Fatalf("esc: dialog %v, calls %v", topDialog(m) != nil, f.Calls())
	}
}

func TestParseLeaseHours(t *testing.T) {
	for in, want := range map[string]string{"1": "1h0m0s", "72": "72h0m0s", " 6h ": "6h0m0s", "2.25": "2h15m0s",
		// The forms' duration syntax (model.ParseDuration), issue 13 item 2.
		"90m": "1h30m0s", "1h30m": "1h30m0s", "5400s": "1h30m0s", "1.5h": "1h30m0s"} {
		d, err := parseLeaseHours(in)
		if err != nil || d.String() != want {
			t.Errorf("%q: %v %v, want %s", in, d, err, want)
		}
	}
	for _, in := range []string{"", "0.99", "72.01", "-3", "NaN", "Inf", "1e300", "h"} {
		if _, err := parseLeaseHours(in); err == nil {
			t.Errorf("%q accepted", in)
		}
	}
	// The error says what was read and the range, without the field path.
	if _, err := parseLeaseHours("30m"); err == nil || err.Error() != "30m is too short (allowed: 1h–72h)" {
		t.Errorf("30m: %v", err)
	}
}

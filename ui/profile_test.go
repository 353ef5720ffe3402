package ui

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"

	"matui/model"
)

// fakeProfiles is an Options.Connect with a backend per profile name.
type fakeProfiles struct {
	mu       sync.Mutex
	backends map[string]*fakeBackend
	errs     map[string]error
	asked    []string
}

func (p *fakeProfiles) connect(_ context.Context, name string) (Backend, HeaderInfo, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.asked = append(p.asked, name)
	if err := p.errs[name]; err != nil {
		return nil, HeaderInfo{}, err
	}
	b, ok := p.backends[name]
	if !ok {
		return nil, HeaderInfo{}, errors.New(`profile "` + name + `" is not defined`)
	}
	return b, HeaderInfo{Profile: name, Backend: "ModelArts", Cloud: "HWC", Region: "cn-north-4", Project: "p-" + name}, nil
}

func (p *fakeProfiles) names() ([]string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	var n []string
	for k := range p.backends {
		n = append(n, k)
	}
	slices.Sort(n)
	return n, nil
}

func command(m *Model, line string) {
	press(m, ":")
	for _, r := range line {
		press(m, string(r))
	}
}

func newWithProfiles(t *testing.T) (*Model, *fakeBackend, *fakeProfiles) {
	t.Helper()
	other := []model.Instance{fixture()[2]} // cpu-dev only
	other[0].ID, other[0].Name = "z9", "other-profile-box"
	fp := &fakeProfiles{
		backends: map[string]*fakeBackend{"dev": {items: other, actErr: map[string]error{}}, "prod": {}},
		errs:     map[string]error{"broken": apiErr("APIG.0301", "Incorrect IAM authentication information")},
	}
	m, f, _ := newLoaded(t, 120, 24, fixture(), func(o *Options) {
		o.Header.Profile = "prod"
		o.Connect = fp.connect
		o.Profiles = fp.names
	})
	return m, f, fp
}

func TestProfileNotAvailableWithoutConnect(t *testing.T) {
	m, _, _ := newLoaded(t, 120, 24, fixture())
	command(m, "profile dev")
	if cmd := press(m, "enter"); cmd != nil {
		t.Fatal(":profile without Options.Connect returned a command")
	}
	if !strings.Contains(toastTexts(m), ":profile is not available here") {
		t.Fatalf("toast %q", toastTexts(m))
	}
}

func TestProfileSwitch(t *testing.T) {
	m, _, fp := newWithProfiles(t)
	if !strings.Contains(screen(m), "profile prod") {
		t.Fatalf("header does not name the profile:\n%s", screen(m))
	}
	// Leftovers of the old list that must not survive the switch.
	selectName(t, m, "ascend-train")
	press(m, "space")
	press(m, "/", "a", "enter")
	command(m, "profile dev")
	cmd := press(m, "enter")
	if !strings.Contains(toastTexts(m), "connecting to dev…") {
		t.Fatalf("toast %q", toastTexts(m))
	}
	exec(t, m, cmd)
	if got := fp.asked; len(got) != 1 || got[0] != "dev" {
		t.Fatalf("connect asked %v", got)
	}
	scr := screen(m)
	if !strings.Contains(scr, "other-profile-box") || strings.Contains(scr, "gpu-notebook") {
		t.Fatalf("list not replaced:\n%s", scr)
	}
	if !strings.Contains(scr, "profile dev") || !strings.Contains(scr, "project p-dev") {
		t.Fatalf("header not updated:\n%s", scr)
	}
	if m.table.Filter() != "" || m.table.MarkCount() != 0 {
		t.Fatalf("filter %q, %d marked after the switch", m.table.Filter(), m.table.MarkCount())
	}
	tt := toastTexts(m)
	if strings.Contains(tt, "connecting to") || !strings.Contains(tt, "connected to dev") {
		t.Fatalf("toasts %q", tt)
	}
	if m.backend != Backend(fp.backends["dev"]) || fp.backends["dev"].lists != 1 {
		t.Fatalf("new backend not adopted or not polled at once (lists %d)", fp.backends["dev"].lists)
	}
}

func TestProfileSwitchFailureKeepsBackend(t *testing.T) {
	m, f, _ := newWithProfiles(t)
	for _, name := range []string{"broken", "nope"} {
		command(m, "profile "+name)
		exec(t, m, press(m, "enter"))
		if m.backend != Backend(f) || m.switching != "" {
			t.Fatalf("%s: backend replaced or still switching", name)
		}
		if !strings.Contains(screen(m), "gpu-notebook") || !strings.Contains(screen(m), "profile prod") {
			t.Fatalf("%s: list or header lost:\n%s", name, screen(m))
		}
	}
	tt := toastTexts(m)
	if !strings.Contains(tt, "profile broken: APIG.0301: Incorrect IAM") || !strings.Contains(tt, `profile nope: profile "nope" is not defined`) {
		t.Fatalf("toasts %q", tt)
	}
	if strings.Contains(tt, "connecting to") {
		t.Fatalf("connecting toast lingers: %q", tt)
	}
}

func TestProfileDropsListOfOldBackend(t *testing.T) {
	m, f, fp := newWithProfiles(t)
	old := m.poll() // in flight on the old backend during the switch
	command(m, "profile dev")
	exec(t, m, press(m, "enter"))
	f.items = fixture()
	exec(t, m, old)
	if strings.Contains(screen(m), "gpu-notebook") || !strings.Contains(screen(m), "other-profile-box") {
		t.Fatalf("the old backend's list came back:\n%s", screen(m))
	}
	if m.polling() || fp.backends["dev"].lists != 1 {
		t.Fatalf("polling %v, lists %d", m.polling(), fp.backends["dev"].lists)
	}
}

func TestProfileListAndCompletion(t *testing.T) {
	m, _, _ := newWithProfiles(t)
	command(m, "profile")
	exec(t, m, press(m, "enter"))
	if tt := toastTexts(m); !strings.Contains(tt, "profiles: dev, prod · current: profile prod") {
		t.Fatalf("toast %q", tt)
	}
	command(m, "profile d")
	if got := topLine(m).in.MatchedSuggestions(); !slices.Contains(got, "profile dev") {
		t.Fatalf("suggestions %v", got)
	}
	press(m, "tab")
	if got := topLine(m).in.Value(); got != "profile dev" {
		t.Fatalf("completed to %q", got)
	}
}

package ui

import (
	"strings"
	"testing"
	"time"
)

func TestAuditShowsRecentActionsNewestFirst(t *testing.T) {
	recs := []AuditEntry{
		{Time: t0.Add(2 * time.Minute), User: "bob", Role: "viewer", Action: "stop", InstanceName: "gpu-notebook", Result: "denied", Error: "read-only session"},
		{Time: t0.Add(time.Minute), User: "alice", Role: "operator", Action: "start", InstanceName: "cpu-dev", Result: "error", Code: "ModelArts.6357"},
		{Time: t0, User: "alice", Role: "operator", Action: "stop", InstanceName: "cpu-dev", Result: "ok"},
	}
	var asked int
	m, _, _ := newLoaded(t, 120, 24, fixture(), func(o *Options) {
		o.Audit = func(n int) []AuditEntry { asked = n; return recs }
	})
	command(m, "audit")
	press(m, "enter")
	s := screen(m)
	if asked == 0 {
		t.Fatal("the audit trail was not read")
	}
	for _, want := range []string{"Audit · 3", "USER", "ROLE", "bob", "denied", "error ModelArts.6357", "read-only session"} {
		if !strings.Contains(s, want) {
			t.Fatalf("missing %q:\n%s", want, s)
		}
	}
	// Newest first, as the trail returns them.
	if strings.Index(s, "bob") > strings.Index(s, "alice") {
		t.Fatalf("not newest first:\n%s", s)
	}
	press(m, "esc")
	if m.top() != nil {
		t.Fatal("esc did not close :audit")
	}
}

func TestAuditWithoutServerSaysWhy(t *testing.T) {
	m, _, _ := newLoaded(t, 120, 24, fixture())
	command(m, "audit")
	press(m, "enter")
	if m.top() != nil || !strings.Contains(toastTexts(m), "only matui serve keeps an audit log") {
		t.Fatalf("overlay %v, toasts %q", m.top(), toastTexts(m))
	}
}

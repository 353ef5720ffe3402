package sshserve

import (
	"errors"
	"testing"
)

type failingAuditor struct{ err error }

func (f failingAuditor) Record(Record) error { return f.err }

type nopAuditor struct{}

func (nopAuditor) Record(Record) error { return nil }

func TestAuditTrailKeepsNewestFirst(t *testing.T) {
	tr := NewAuditTrail(nopAuditor{}, 3)
	if got := tr.Recent(10); len(got) != 0 {
		t.Fatalf("empty trail returned %v", got)
	}
	for _, a := range []string{"a", "b", "c", "d", "e"} {
		if err := tr.Record(Record{Action: a}); err != nil {
			t.Fatal(err)
		}
	}
	got := tr.Recent(10)
	if len(got) != 3 || got[0].Action != "e" || got[1].Action != "d" || got[2].Action != "c" {
		t.Fatalf("recent = %+v, want e d c", got)
	}
	if got := tr.Recent(1); len(got) != 1 || got[0].Action != "e" {
		t.Fatalf("Recent(1) = %+v", got)
	}
}

// A record the durable log refused is not shown as if it had been audited.
func TestAuditTrailRemembersOnlyStoredRecords(t *testing.T) {
	boom := errors.New("disk full")
	tr := NewAuditTrail(failingAuditor{boom}, 5)
	if err := tr.Record(Record{Action: "stop"}); !errors.Is(err, boom) {
		t.Fatalf("err %v", err)
	}
	if got := tr.Recent(5); len(got) != 0 {
		t.Fatalf("a failed record was remembered: %+v", got)
	}
}

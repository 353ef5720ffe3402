package listing

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"matui/model"
)

func TestParseFilter(t *testing.T) {
	f, err := ParseFilter(" running, Stopped ,RUNNING", "30m")
	if err != nil || !slices.Equal(f.Statuses, []string{"RUNNING", "STOPPED"}) || f.Expiring != 30*time.Minute {
		t.Fatalf("%+v, %v", f, err)
	}
	if f, err := ParseFilter("", ""); err != nil || len(f.Statuses) != 0 || f.Expiring != 0 {
		t.Fatalf("empty: %+v, %v", f, err)
	}
	tests := []struct{ status, expiring, want string }{
		{"RUNING", "", `--status "RUNING": unknown status (one or more of CREATE_FAILED`},
		{"", "soon", `--expiring "soon": not a duration (e.g. 30m, 2h)`},
		{"", "30", `--expiring "30": not a duration`},
		{"", "0s", `--expiring "0s": out of range (more than 0, at most 72h)`},
		{"", "-5m", "out of range"},
		{"", "73h", "out of range"},
	}
	for _, tt := range tests {
		if _, err := ParseFilter(tt.status, tt.expiring); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseFilter(%q, %q) = %v, want %q", tt.status, tt.expiring, err, tt.want)
		}
	}
}

func TestFilterApply(t *testing.T) {
	now := time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC)
	mk := func(name, status string, a model.AutoStop) model.Instance {
		return model.Instance{Generation: model.Gen2, ID: name, Name: name, Status: status, Class: model.ClassOf(model.Gen2, status), AutoStop: a}
	}
	timed := func(d time.Duration) model.AutoStop {
		return model.AutoStop{Enabled: true, Type: model.LeaseTiming, Deadline: now.Add(d)}
	}
	insts := []model.Instance{
		mk("in-10m", "RUNNING", timed(10*time.Minute)),
		mk("in-30m", "RUNNING", timed(30*time.Minute)), // exactly at the limit: kept
		mk("in-31m", "RUNNING", timed(31*time.Minute)),
		mk("past", "RUNNING", timed(-time.Second)), // stopping any moment
		mk("idle", "RUNNING", model.AutoStop{Enabled: true, Type: model.LeaseIdle, Deadline: now.Add(time.Minute)}),
		mk("off", "RUNNING", model.AutoStop{}),
		mk("stopped", "STOPPED", timed(time.Minute)),
		mk("g1-in-5m", "RUNNING", model.AutoStop{Enabled: true, Type: model.LeaseTiming, Deadline: now.Add(5 * time.Minute)}),
	}
	insts[7].Generation = model.Gen1
	names := func(f Filter) []string {
		var out []string
		for _, in := range f.Apply(insts, now) {
			out = append(out, in.Name)
		}
		return out
	}
	if got := names(Filter{Expiring: 30 * time.Minute}); !slices.Equal(got, []string{"in-10m", "in-30m", "past", "g1-in-5m"}) {
		t.Errorf("--expiring 30m: %v", got)
	}
	if got := names(Filter{Statuses: []string{"RUNNING"}}); len(got) != 7 || slices.Contains(got, "stopped") {
		t.Errorf("--status RUNNING: %v", got)
	}
	if got := names(Filter{Statuses: []string{"STOPPED"}, Expiring: time.Hour}); len(got) != 0 {
		t.Errorf("stopped and expiring: %v", got)
	}
	if got := names(Filter{}); len(got) != len(insts) {
		t.Errorf("no filter: %v", got)
	}
	// With -o json: the filtered rows, as scripts read them.
	var buf bytes.Buffer
	if err := JSON(&buf, Filter{Expiring: 15 * time.Minute}.Apply(insts, now)); err != nil {
		t.Fatal(err)
	}
	var out []struct{ Name string }
	if err := json.Unmarshal(buf.Bytes(), &out); err != nil || len(out) != 3 || out[0].Name != "in-10m" {
		t.Errorf("json %s, %v", buf.String(), err)
	}
	// Apply leaves its input alone.
	if insts[0].Name != "in-10m" || len(insts) != 8 {
		t.Error("input changed")
	}
}

package listing

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"matui/model"
)

func streamInsts() []model.Instance {
	return []model.Instance{
		{Generation: model.Gen2, ID: "a1", Name: "short", Status: "RUNNING", Class: model.ClassRunning},
		{Generation: model.Gen1, ID: "DE-2", Name: "x\x1b[31mred", Status: "STOPPED", Class: model.ClassStopped},
		{Generation: model.Gen2, ID: "c3", Name: "a-much-longer-name-than-the-first-batch", Status: "STOPPED", Class: model.ClassStopped},
	}
}

// Written in batches, -o json is byte for byte what JSON writes at once.
func TestJSONWriterMatchesJSON(t *testing.T) {
	insts := streamInsts()
	for _, n := range [][]int{{0, 3}, {0, 1, 3}, {0, 0, 2, 3}} {
		var got, want bytes.Buffer
		w, err := NewWriter(&got, FormatJSON, time.Now)
		if err != nil {
			t.Fatal(err)
		}
		for i := 1; i < len(n); i++ {
			if err := w.Write(insts[n[i-1]:n[i]]); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if err := JSON(&want, insts); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Fatalf("batches %v:\n%s\nwant\n%s", n, got.String(), want.String())
		}
	}
	var empty, want bytes.Buffer
	w, _ := NewWriter(&empty, FormatJSON, time.Now)
	_ = w.Close()
	_ = JSON(&want, []model.Instance{})
	if empty.String() != want.String() {
		t.Fatalf("empty: %q, want %q", empty.String(), want.String())
	}
}

func TestJSONLWriter(t *testing.T) {
	var out bytes.Buffer
	w, _ := NewWriter(&out, FormatJSONL, time.Now)
	_ = w.Write(streamInsts()[:2])
	_ = w.Write(streamInsts()[2:])
	_ = w.Close()
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d lines: %q", len(lines), out.String())
	}
	for _, l := range lines {
		var in model.Instance
		if err := json.Unmarshal([]byte(l), &in); err != nil || in.ID == "" {
			t.Fatalf("line %q: %v", l, err)
		}
	}
	if strings.Contains(out.String(), "\x1b") || strings.Contains(out.String(), `\u001b`) {
		t.Errorf("escape sequence in the output: %q", out.String())
	}
}

// The table's header comes once; a wider cell later widens its column
// from that row on; an empty listing still has its header.
func TestTableWriterGrowsColumns(t *testing.T) {
	var out bytes.Buffer
	w, _ := NewWriter(&out, FormatTable, time.Now)
	_ = w.Write(streamInsts()[:2])
	_ = w.Write(streamInsts()[2:])
	_ = w.Close()
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[0], "NAME") || strings.Count(out.String(), "NAME") != 1 {
		t.Fatalf("%q", out.String())
	}
	col := func(line, after string) int { return strings.Index(line, after) }
	if col(lines[1], "G2") != col(lines[0], "GEN") || col(lines[3], "G2") <= col(lines[0], "GEN") {
		t.Errorf("alignment:\n%s", out.String())
	}
	if strings.Contains(out.String(), "\x1b") {
		t.Error("escape sequence in the table")
	}
	var empty bytes.Buffer
	w, _ = NewWriter(&empty, FormatTable, time.Now)
	_ = w.Close()
	if !strings.HasPrefix(empty.String(), "NAME") || strings.Count(empty.String(), "\n") != 1 {
		t.Fatalf("empty table: %q", empty.String())
	}
	if _, err := NewWriter(&empty, "yaml", time.Now); err == nil {
		t.Error("yaml accepted")
	}
}

// A first page a filter emptied (matui list --tag or --status, whose first
// page may hold nothing that matches) does not fix the header's widths:
// the header waits for the first rows and lines up with them.
func TestTableWriterHeaderWaitsForRows(t *testing.T) {
	var out bytes.Buffer
	w, _ := NewWriter(&out, FormatTable, time.Now)
	_ = w.Write(nil)
	_ = w.Write(streamInsts()[2:])
	_ = w.Close()
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 2 || strings.Index(lines[1], "G2") != strings.Index(lines[0], "GEN") {
		t.Errorf("header not aligned with the rows:\n%s", out.String())
	}
}

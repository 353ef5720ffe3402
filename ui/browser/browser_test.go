package browser

import (
	"strconv"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"matui/ui/forms/formtest"
)

// The cursor moves, pages and jumps within the rows, and the window of
// rows shown follows it.
func TestBrowserScrolls(t *testing.T) {
	var rows [][]string
	for i := range 30 {
		rows = append(rows, []string{"row-" + strconv.Itoa(i), "x"})
	}
	b := New(formtest.Ctx(), "Rows", "none", []Column{Col("NAME", 0), Col("X", 4)}, rows)
	shown := func() (first, last, cursor string) {
		lines := strings.Split(ansi.Strip(b.View(60, 12)), "\n")[2:] // title, column header
		if len(lines) != 10 {
			t.Fatalf("%d rows shown in 12 lines, want 10", len(lines))
		}
		name := func(l string) string { return strings.Fields(strings.TrimPrefix(l, "▸"))[0] }
		for _, l := range lines {
			if strings.HasPrefix(l, "▸") {
				cursor = name(l)
			}
		}
		return name(lines[0]), name(lines[9]), cursor
	}
	for _, step := range []struct {
		keys, first, last, cursor string
	}{
		{"", "row-0", "row-9", "row-0"},
		{"k", "row-0", "row-9", "row-0"}, // not above the first
		{"pgdown", "row-0", "row-9", "row-9"},
		{"pgdown", "row-9", "row-18", "row-18"},
		{"G", "row-20", "row-29", "row-29"},
		{"j", "row-20", "row-29", "row-29"}, // nor below the last
		{"pgup k", "row-19", "row-28", "row-19"},
		{"g", "row-0", "row-9", "row-0"},
	} {
		for _, k := range strings.Fields(step.keys) {
			b.Update(formtest.Key(k))
		}
		if first, last, cursor := shown(); first != step.first || last != step.last || cursor != step.cursor {
			t.Fatalf("after %q: rows %s…%s, cursor on %s; want %s…%s on %s", step.keys, first, last, cursor, step.first, step.last, step.cursor)
		}
	}
	if next, _ := b.Update(formtest.Key("esc")); next != nil {
		t.Fatal("esc did not close the browser")
	}
}

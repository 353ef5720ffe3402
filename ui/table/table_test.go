package table

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"matui/model"
	"matui/themes"
	"matui/ui/keys"
	"matui/ui/text"
	"matui/ui/uictx"
)

var now = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

func testCtx() *uictx.Context {
	p, _ := themes.Builtin(themes.Dark)
	return &uictx.Context{Styles: themes.New(p, false), Keys: keys.Default(), Now: func() time.Time { return now }, ServerNow: now}
}

func inst(id, name, status string, class model.StatusClass) model.Instance {
	return model.Instance{
		ID: id, Name: name, Status: status, Class: class, Generation: model.Gen2,
		Spec:     model.Spec{Kind: model.KindGPU, Type: "V100", Count: 1, VCPUs: 8, MemoryBytes: 64 << 30},
		Image:    "pytorch1.8-cuda10.2-cudnn7-ubuntu18.04",
		Owner:    "alice",
		Created:  now.Add(-3 * time.Hour),
		AutoStop: model.AutoStop{Enabled: true, Type: "TIMING", Deadline: now.Add(time.Hour)},
	}
}

func sample() []model.Instance {
	return []model.Instance{
		inst("id-c", "charlie", "RUNNING", model.ClassRunning),
		inst("id-a", "alpha", "STOPPED", model.ClassStopped),
		inst("id-b", "bravo", "STARTING", model.ClassTransitional),
		inst("id-d", "delta", "CREATE_FAILED", model.ClassFailed),
		inst("id-e", "echo", "START_QUEUING", model.ClassQueued),
	}
}

func names(t *Table) []string {
	var out []string
	for _, vi := range t.view {
		out = append(out, t.rows[vi].inst.Name)
	}
	return out
}

func TestSortAndSelectionStability(t *testing.T) {
	tb := New(testCtx())
	tb.SetSize(120, 20)
	tb.SetInstances(sample())
	if got := strings.Join(names(tb), ","); got != "alpha,bravo,charlie,delta,echo" {
		t.Fatalf("default sort by name: %s", got)
	}
	tb.Move(2) // charlie
	if in, _ := tb.Selected(); in.ID != "id-c" {
		t.Fatalf("selected %s", in.ID)
	}
	// Refresh with a new order and a new instance in front: still charlie.
	list := sample()
	list = append([]model.Instance{inst("id-0", "aaa-new", "RUNNING", model.ClassRunning)}, list...)
	tb.SetInstances(list)
	if in, _ := tb.Selected(); in.ID != "id-c" {
		t.Fatalf("after refresh selected %s", in.ID)
	}
	tb.ReverseSort()
	if in, _ := tb.Selected(); in.ID != "id-c" {
		t.Fatalf("after reverse selected %s", in.ID)
	}
	if got := strings.Join(names(tb), ","); got != "echo,delta,charlie,bravo,alpha,aaa-new" {
		t.Fatalf("reverse: %s", got)
	}
	tb.SetSort(ColStatus, false)
	if got := strings.Join(names(tb), ","); got != "delta,bravo,echo,aaa-new,charlie,alpha" {
		t.Fatalf("status sort: %s", got)
	}
	// The selected instance disappears: the cursor stays at its position.
	pos := tb.Cursor()
	var without []model.Instance
	for _, in := range list {
		if in.ID != "id-c" {
			without = append(without, in)
		}
	}
	tb.SetInstances(without)
	if tb.Cursor() != pos {
		t.Fatalf("cursor moved from %d to %d", pos, tb.Cursor())
	}
}

func TestSortColumns(t *testing.T) {
	tb := New(testCtx())
	tb.SetSize(120, 20)
	list := sample()
	list[0].AutoStop.Deadline = now.Add(10 * time.Minute) // charlie: soonest
	list[1].Created = now.Add(-time.Minute)               // alpha: youngest
	tb.SetInstances(list)
	tb.SetSort(ColAutoStop, false)
	if names(tb)[0] != "charlie" {
		t.Fatalf("auto-stop sort: %v", names(tb))
	}
	tb.SetSort(ColAge, false)
	if names(tb)[0] != "alpha" {
		t.Fatalf("age sort: %v", names(tb))
	}
	seen := map[Column]bool{}
	for range numCols {
		tb.CycleSort()
		c, desc := tb.Sort()
		if desc {
			t.Fatal("CycleSort must reset to ascending")
		}
		seen[c] = true
	}
	if len(seen) != int(numCols) {
		t.Fatalf("CycleSort visited %d columns", len(seen))
	}
}

func TestFilterAndGroups(t *testing.T) {
	tb := New(testCtx())
	tb.SetSize(120, 20)
	list := sample()
	list[3].Spec = model.Spec{Kind: model.KindAscend, Type: "Ascend 910", Count: 8}
	tb.SetInstances(list)
	tb.SetFilter("chr")
	if got := strings.Join(names(tb), ","); got != "charlie" {
		t.Fatalf("filter chr: %s", got)
	}
	tb.SetFilter("910")
	if got := strings.Join(names(tb), ","); got != "delta" {
		t.Fatalf("filter by flavor: %s", got)
	}
	tb.SetFilter("id-b")
	if got := strings.Join(names(tb), ","); got != "bravo" {
		t.Fatalf("filter by id: %s", got)
	}
	tb.SetFilter("queuing")
	if got := strings.Join(names(tb), ","); got != "echo" {
		t.Fatalf("filter by status: %s", got)
	}
	tb.SetFilter("zzz")
	if tb.Len() != 0 || !strings.Contains(ansi.Strip(tb.View()), "No instances match /zzz") {
		t.Fatalf("empty filter view: %q", ansi.Strip(tb.View()))
	}
	tb.SetFilter("")
	want := []string{"alpha,bravo,charlie,delta,echo", "charlie", "bravo,echo", "alpha", "delta"}
	for i, w := range want {
		if got := strings.Join(names(tb), ","); got != w {
			t.Fatalf("group %v: %s want %s", tb.Group(), got, w)
		}
		if i < len(want)-1 {
			tb.CycleGroup(1)
		}
	}
	tb.CycleGroup(1)
	if tb.Group() != GroupAll {
		t.Fatal("group cycle wraps")
	}
	tb.CycleGroup(-1)
	if tb.Group() != GroupFailed {
		t.Fatal("group cycle backwards")
	}
}

func TestColumnsAdaptToWidth(t *testing.T) {
	cases := []struct {
		width int
		want  []Column
	}{
		{40, []Column{ColName, ColStatus, ColAutoStop}},
		{80, []Column{ColName, ColGen, ColStatus, ColFlavor, ColAutoStop, ColAge}},
		{120, []Column{ColName, ColGen, ColStatus, ColFlavor, ColImage, ColAutoStop, ColAge, ColOwner}},
		{200, []Column{ColName, ColGen, ColStatus, ColFlavor, ColImage, ColAutoStop, ColAge, ColOwner}},
	}
	for _, c := range cases {
		tb := New(testCtx())
		tb.SetSize(c.width, 10)
		list := sample()
		list[0].Name = "笔记本-实验-🚀-a-very-long-notebook-name-that-needs-cutting"
		tb.SetInstances(list)
		var got []Column
		for col := range numCols {
			if tb.layout[col] > 0 {
				got = append(got, col)
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("width %d: columns %v, want %v", c.width, got, c.want)
		}
		out := tb.View()
		lines := strings.Split(out, "\n")
		if len(lines) != 10 {
			t.Errorf("width %d: %d lines, want 10", c.width, len(lines))
		}
		for _, l := range lines {
			if w := ansi.StringWidth(l); w > c.width {
				t.Errorf("width %d: line too wide (%d): %q", c.width, w, ansi.Strip(l))
			}
		}
		if !strings.Contains(ansi.Strip(out), "…") {
			t.Errorf("width %d: long name not truncated with …", c.width)
		}
	}
}

func TestTinyAndZeroSizesDoNotPanic(t *testing.T) {
	for _, w := range []int{0, 1, 2, 3, 5, 10, 20, 40} {
		for _, h := range []int{0, 1, 2, 3, 12} {
			tb := New(testCtx())
			tb.SetSize(w, h)
			tb.SetInstances(sample())
			tb.Bottom()
			for _, l := range strings.Split(tb.View(), "\n") {
				if ansi.StringWidth(l) > max(w, 0) {
					t.Fatalf("%dx%d: line %q too wide", w, h, ansi.Strip(l))
				}
			}
		}
	}
}

func TestStatusNeverColourOnly(t *testing.T) {
	tb := New(testCtx())
	tb.SetSize(120, 10)
	tb.SetInstances(sample())
	out := ansi.Strip(tb.View())
	for _, want := range []string{"● RUNNING", "○ STOPPED", "✗ CREATE_FAILED", "⋯ START_QUEUING", "◐ STARTING"} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
	list := sample()
	list[4].QueueRank = 3
	tb.SetInstances(list)
	if !strings.Contains(ansi.Strip(tb.View()), "#3 START_QUEUING") {
		t.Error("queue rank not shown")
	}
	tb.ctx.Frame = 1
	if !strings.Contains(ansi.Strip(tb.View()), "◓ STARTING") {
		t.Error("spinner does not advance with the frame")
	}
}

func TestNavigationKeysAndMarks(t *testing.T) {
	tb := New(testCtx())
	tb.SetSize(120, 4) // 3 body rows
	tb.SetInstances(sample())
	press := func(s string) {
		k := tea.KeyPressMsg{Text: s, Code: []rune(s)[0]}
		switch s {
		case "down":
			k = tea.KeyPressMsg{Code: tea.KeyDown}
		case "pgdown":
			k = tea.KeyPressMsg{Code: tea.KeyPgDown}
		}
		if !tb.Update(k) {
			t.Fatalf("key %q not consumed", s)
		}
	}
	press("j")
	press("down")
	if tb.Cursor() != 2 {
		t.Fatalf("cursor %d", tb.Cursor())
	}
	press("G")
	if tb.Cursor() != 4 || tb.Visible()[2] != "id-e" {
		t.Fatalf("G: cursor %d visible %v", tb.Cursor(), tb.Visible())
	}
	press("g")
	press("pgdown")
	if tb.Cursor() != 2 {
		t.Fatalf("pgdown cursor %d", tb.Cursor())
	}
	press("k")
	if tb.Cursor() != 1 {
		t.Fatalf("k cursor %d", tb.Cursor())
	}
	if tb.Update(tea.KeyPressMsg{Text: "z", Code: 'z'}) {
		t.Fatal("unbound key consumed")
	}
	tb.Top()
	tb.ToggleMark()
	tb.ToggleMark()
	if tb.MarkCount() != 2 || tb.Cursor() != 2 {
		t.Fatalf("marks %d cursor %d", tb.MarkCount(), tb.Cursor())
	}
	m := tb.Marked()
	if len(m) != 2 || m[0].Name == m[1].Name {
		t.Fatalf("marked %v", m)
	}
	if !strings.Contains(ansi.Strip(tb.View()), "✓") {
		t.Fatal("mark not drawn")
	}
	// Clicking line 2 of the table area (header is 0) selects the second
	// visible row.
	tb.Top()
	if !tb.Click(2) || tb.Cursor() != 1 {
		t.Fatalf("click: cursor %d", tb.Cursor())
	}
	if tb.Click(0) || tb.Click(50) {
		t.Fatal("click outside rows hit")
	}
	tb.Update(tea.MouseWheelMsg{Button: tea.MouseWheelDown})
	if tb.Cursor() != 4 {
		t.Fatalf("wheel: cursor %d", tb.Cursor())
	}
}

func TestRowCacheInvalidation(t *testing.T) {
	tb := New(testCtx())
	tb.SetSize(120, 10)
	list := sample()
	tb.SetInstances(list)
	tb.View()
	if len(tb.cache) != 4 { // the selected row is never cached
		t.Fatalf("cache size %d", len(tb.cache))
	}
	list2 := sample()
	list2[1].Name = "alpha2"
	list2[0].Status = "STOPPING" // status is a per-frame cell: cache kept
	tb.SetInstances(list2)
	if _, ok := tb.cache["id-a"]; ok {
		t.Fatal("renamed instance's cache kept")
	}
	if _, ok := tb.cache["id-c"]; !ok {
		t.Fatal("unchanged static cells dropped")
	}
	if !strings.Contains(ansi.Strip(tb.View()), "alpha2") {
		t.Fatal("rename not shown")
	}
	tb.SetSize(80, 10)
	if len(tb.cache) != 0 {
		t.Fatal("layout change must drop the cache")
	}
}

func TestSanitisedDisplay(t *testing.T) {
	tb := New(testCtx())
	tb.SetSize(120, 10)
	list := sample()
	list[0].Name = "evil\x1b]0;pwned\x07\x1b[2Jname"
	list[0].Image = "img\u009b2J"
	tb.SetInstances(list)
	out := tb.View()
	if strings.Contains(out, "\x1b]0;") || strings.Contains(out, "\x1b[2J") || strings.Contains(out, "\u009b") {
		t.Fatalf("escape sequence leaked: %q", out)
	}
	if !strings.Contains(ansi.Strip(out), "evilname") {
		t.Fatalf("sanitised name missing: %q", ansi.Strip(out))
	}
	_ = text.Width
}

// bigList builds n instances with varied states.
func bigList(n int) []model.Instance {
	classes := []struct {
		s string
		c model.StatusClass
	}{{"RUNNING", model.ClassRunning}, {"STOPPED", model.ClassStopped}, {"STARTING", model.ClassTransitional}, {"ERROR", model.ClassFailed}}
	out := make([]model.Instance, n)
	for i := range out {
		c := classes[i%len(classes)]
		out[i] = inst(fmt.Sprintf("id-%07d", i), fmt.Sprintf("notebook-%07d", i), c.s, c.c)
		out[i].AutoStop.Deadline = now.Add(time.Duration(i%7200) * time.Second)
	}
	return out
}

func BenchmarkTableView(b *testing.B) {
	for _, n := range []int{100, 1000, 10000, 100000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			tb := New(testCtx())
			tb.SetSize(200, 47)
			tb.SetInstances(bigList(n))
			tb.Move(n / 2)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				_ = tb.View()
			}
		})
	}
}

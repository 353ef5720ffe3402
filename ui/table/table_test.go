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
	"matui/ui/columns"
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
	tb.SetSort(columns.Status, false)
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
	tb.SetSort(columns.AutoStop, false)
	if names(tb)[0] != "charlie" {
		t.Fatalf("auto-stop sort: %v", names(tb))
	}
	tb.SetSort(columns.Age, false)
	if names(tb)[0] != "alpha" {
		t.Fatalf("age sort: %v", names(tb))
	}
	seen := map[columns.Column]bool{}
	for range tb.set.shown {
		tb.CycleSort()
		c, desc := tb.Sort()
		if desc {
			t.Fatal("CycleSort must reset to ascending")
		}
		seen[c] = true
	}
	if len(seen) != len(tb.set.shown) {
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
		want  []columns.Column
	}{
		// Below the width where the four essential columns fit (60), the
		// least important of them, AUTO-STOP, goes first (issue 13).
		{40, []columns.Column{columns.Name, columns.Status, columns.Flavor}},
		{80, []columns.Column{columns.Name, columns.Gen, columns.Status, columns.Flavor, columns.AutoStop, columns.Age}},
		{120, []columns.Column{columns.Name, columns.Gen, columns.Status, columns.Flavor, columns.Image, columns.AutoStop, columns.Age, columns.Owner}},
		{200, []columns.Column{columns.Name, columns.Gen, columns.Status, columns.Flavor, columns.Image, columns.AutoStop, columns.Age, columns.Owner}},
	}
	for _, c := range cases {
		tb := New(testCtx())
		tb.SetSize(c.width, 10)
		list := sample()
		list[0].Name = "笔记本-实验-🚀-a-very-long-notebook-name-that-needs-cutting"
		tb.SetInstances(list)
		var got []columns.Column
		for _, col := range tb.set.shown {
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
		// With room to spare, columns grow to their content (issue 13).
		if cut := strings.Contains(ansi.Strip(out), "…"); cut != (c.width < 200) {
			t.Errorf("width %d: long name truncated with … = %v", c.width, cut)
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

// header is the column header line of tb without styles.
func header(tb *Table) string {
	h, _, _ := strings.Cut(ansi.Strip(tb.View()), "\n")
	return h
}

// lineOf is the row of the instance called name, without styles.
func lineOf(tb *Table, name string) string {
	for _, l := range strings.Split(ansi.Strip(tb.View()), "\n")[1:] {
		if strings.HasPrefix(strings.TrimLeft(l, " ✓"), name+" ") {
			return l
		}
	}
	return ""
}

// Issue 13: sort arrows cut headers ("GE…", "AUTO-STO…"). Every shown
// column's title fits with its arrow, in both directions, at every width.
func TestSortedHeaderNeverCut(t *testing.T) {
	for _, w := range []int{40, 60, 80, 120, 200} {
		tb := New(testCtx())
		tb.SetSize(w, 10)
		tb.SetInstances(sample())
		for _, c := range tb.set.shown {
			if tb.layout[c] == 0 {
				continue
			}
			for _, desc := range []bool{false, true} {
				tb.SetSort(c, desc)
				arrow := map[bool]string{false: "↑", true: "↓"}[desc]
				if h := header(tb); !strings.Contains(h, c.String()+arrow) {
					t.Errorf("width %d, sorted by %v: header %q lacks %q", w, c, h, c.String()+arrow)
				}
			}
		}
	}
}

// Issue 13: at 200 columns the image stayed cut at ~40 cells while space
// was free. When every column has what it wants, columns grow to their
// content.
func TestColumnsGrowToContentWhenThereIsRoom(t *testing.T) {
	tb := New(testCtx())
	tb.SetSize(200, 10)
	list := sample()
	long := "swr.eu-de.otc.t-systems.com/atelier/pytorch_2_1_ascend:pytorch_2.1.0-cann_7.0.1"
	list[0].Image = long
	tb.SetInstances(list)
	if l := lineOf(tb, "charlie"); !strings.Contains(l, long+" ") {
		t.Fatalf("image cut at 200 columns:\n%s", l)
	}
	// When there is no room, the rule's maximum still holds.
	tb.SetSize(120, 10)
	if l := lineOf(tb, "charlie"); strings.Contains(l, long) || tb.layout[columns.Image] > tb.set.width[columns.Image].Max {
		t.Fatalf("image not capped at 120 columns (width %d):\n%s", tb.layout[columns.Image], l)
	}
}

// Issue 13: the accelerator kind is the most important column after name
// and status. At 60 columns NAME, STATUS, FLAVOR and AUTO-STOP are shown,
// the flavor shortened to its accelerator summary rather than cut.
func TestNarrowKeepsAcceleratorAndAutoStop(t *testing.T) {
	tb := New(testCtx())
	tb.SetSize(60, 10)
	list := sample()
	list[3].Spec = model.Spec{Kind: model.KindAscend, Type: "Ascend 910", Count: 8, VCPUs: 192, MemoryBytes: 1536 << 30}
	list[0].Name = "笔记本-实验-🚀-a-very-long-notebook-name-that-needs-cutting"
	tb.SetInstances(list)
	for _, c := range []columns.Column{columns.Name, columns.Status, columns.Flavor, columns.AutoStop} {
		if tb.layout[c] == 0 {
			t.Errorf("60 columns: %v hidden; layout %v", c, tb.layout)
		}
	}
	h := header(tb)
	for _, title := range []string{"NAME", "STATUS", "FLAVOR", "AUTO-STOP"} {
		if !strings.Contains(h, title) {
			t.Errorf("60 columns: header %q lacks %s", h, title)
		}
	}
	l := lineOf(tb, "delta")
	if !strings.Contains(l, " Ascend 910 ×8 ") || strings.Contains(l, "Ascend 910 ×8 ·") {
		t.Errorf("60 columns: flavor not shortened to its accelerator summary:\n%s", l)
	}
	if l := lineOf(tb, "alpha"); !strings.Contains(l, " V100 ×1 ") {
		t.Errorf("60 columns: GPU flavor not shortened to its accelerator summary:\n%s", l)
	}
}

// The cache's staleness comes from the static cells' text: a change to any
// field a static cell shows drops that row's cached cells, a change to
// anything else keeps them. (The changes keep every width, so the layout,
// which would drop the whole cache, stays.)
func TestCacheFollowsStaticCellText(t *testing.T) {
	changes := map[string]func(*model.Instance){
		"name":       func(in *model.Instance) { in.Name = "alphb" },
		"generation": func(in *model.Instance) { in.Generation = model.Gen1 },
		"spec":       func(in *model.Instance) { in.Spec.Count = 2 },
		"image":      func(in *model.Instance) { in.Image = strings.Replace(in.Image, "pytorch", "pytorcH", 1) },
		"owner":      func(in *model.Instance) { in.Owner = "alicf" },
	}
	for what, change := range changes {
		tb := New(testCtx())
		tb.SetSize(200, 10)
		tb.SetInstances(sample())
		tb.View()
		list := sample()
		change(&list[1])                                 // alpha, not the selected row
		list[2].AutoStop.Deadline = now.Add(time.Minute) // bravo: a ticking cell only
		tb.SetInstances(list)
		if _, ok := tb.cache["id-a"]; ok {
			t.Errorf("%s changed: cached cells kept", what)
		}
		if _, ok := tb.cache["id-b"]; !ok {
			t.Errorf("%s changed on another row: unchanged row's cache dropped", what)
		}
	}
}

// MNT and TAGS appear once some instance has mounts or tags, and show
// their count and key=value list (issue 11).
func TestMountAndTagColumnsWhenThereIsSomethingToShow(t *testing.T) {
	tb := New(testCtx())
	tb.SetSize(220, 10)
	tb.SetInstances(sample())
	if h := ansi.Strip(tb.View()); strings.Contains(h, "MNT") || strings.Contains(h, "TAGS") {
		t.Fatalf("empty columns shown:\n%s", h)
	}
	list := sample()
	list[0].Mounts = []model.Mount{{ID: "m1", MountPath: "/data/a/"}, {ID: "m2", MountPath: "/data/b/"}}
	list[0].Tags = []model.Tag{{Key: "team", Value: "nlp"}}
	tb.SetInstances(list)
	v := ansi.Strip(tb.View())
	if !strings.Contains(v, "MNT") || !strings.Contains(v, "TAGS") || !strings.Contains(v, "team=nlp") {
		t.Fatalf("mount/tag columns missing:\n%s", v)
	}
	for _, l := range strings.Split(v, "\n") {
		if strings.Contains(l, "charlie") && !strings.Contains(l, " 2 ") {
			t.Fatalf("mount count not shown: %q", l)
		}
	}
}

// / filters by tag and owner as well as fuzzily (issues 10, 11).
func TestFilterByTagAndOwner(t *testing.T) {
	tb := New(testCtx())
	tb.SetSize(120, 10)
	list := sample()
	list[0].Tags = []model.Tag{{Key: "team", Value: "nlp"}}
	list[1].Tags = []model.Tag{{Key: "Team", Value: "vision"}}
	list[2].Owner = "li-wei"
	tb.SetInstances(list)
	for _, tc := range []struct{ filter, want string }{
		{"tag:team", "alpha,charlie"},
		{"tag:team=nlp", "charlie"},
		{"tag:team=NLP", "charlie"},
		{"tag:team=cv", ""},
		{"owner:li-wei", "bravo"},
		{"owner:wei", "bravo"},
		{"tag:team alp", "alpha"},
		{"owner:alice tag:team=vision", "alpha"},
	} {
		tb.SetFilter(tc.filter)
		if got := strings.Join(names(tb), ","); got != tc.want {
			t.Errorf("/%s: %q, want %q", tc.filter, got, tc.want)
		}
	}
}

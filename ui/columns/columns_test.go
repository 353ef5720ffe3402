package columns

import (
	"strings"
	"testing"
	"time"

	"matui/model"
	"matui/ui/text"
)

var now = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

// Every entry is complete and ranks are unique, so a new column cannot be
// half-registered.
func TestRegistryComplete(t *testing.T) {
	ranks := map[int]Column{}
	in := &model.Instance{ID: "id-1", Name: "n", Status: "RUNNING", Class: model.ClassRunning}
	for c := range Count {
		e := registry[c]
		if e.title == "" || e.cell == nil || e.compare == nil {
			t.Errorf("column %d: title, cell and compare are required", c)
		}
		if prev, dup := ranks[e.width.Rank]; dup {
			t.Errorf("%v and %v share rank %d", prev, c, e.width.Rank)
		}
		ranks[e.width.Rank] = c
		if e.width.Min <= 0 {
			t.Errorf("%v: Min %d", c, e.width.Min)
		}
		if c.Compare(in, in) != 0 {
			t.Errorf("%v: an instance does not compare equal to itself", c)
		}
	}
	if Column(-1).String() != "?" || Count.String() != "?" {
		t.Error("unknown columns must be named ?")
	}
}

// A column is always wide enough for its title and a sort arrow, and its
// rule stays ordered (Min ≤ Comfy ≤ Max).
func TestWidthFitsTitleAndArrow(t *testing.T) {
	for c := range Count {
		w := c.Width()
		if w.Min < text.Width(c.String())+1 {
			t.Errorf("%v: Min %d cannot hold %q", c, w.Min, c.String()+"↑")
		}
		if w.Min > w.Comfy || w.Comfy > w.Max {
			t.Errorf("%v: rule out of order: %+v", c, w)
		}
	}
}

func TestFlavorShortensToAcceleratorSummary(t *testing.T) {
	in := &model.Instance{Spec: model.Spec{Kind: model.KindAscend, Type: "Ascend 910", Count: 8, VCPUs: 192, MemoryBytes: 1536 << 30}}
	full := Flavor.Cell(in, At{}).Text
	cases := []struct {
		w    int
		want string
	}{
		{40, "Ascend 910 ×8 · 192 vCPU · 1.5 TiB      "},
		{30, "Ascend 910 ×8 · 192 vCPU      "},
		{14, "Ascend 910 ×8 "},
		{8, "Ascend …"}, // the summary itself does not fit: cut
	}
	for _, c := range cases {
		if got := Flavor.Fit(full, c.w); got != c.want {
			t.Errorf("width %d: %q, want %q", c.w, got, c.want)
		}
	}
	// Other columns are cut with "…" as before.
	if got := Image.Fit("a · b · c", 6); got != "a · b…" {
		t.Errorf("image: %q", got)
	}
	if got := AutoStop.Fit("04:30", 10); got != "     04:30" {
		t.Errorf("right-aligned: %q", got)
	}
}

// Plain output: no symbols or spinner frames, the queue position after the
// status, and "—" where a screen would leave a cell blank.
func TestPlain(t *testing.T) {
	queued := &model.Instance{ID: "q1", Name: "q", Status: "START_QUEUING", Class: model.ClassQueued, QueueRank: 2}
	if got := Status.Plain(queued, now); got != "START_QUEUING #2" {
		t.Errorf("queued: %q", got)
	}
	if got := Status.Cell(queued, At{Now: now}).Text; got != "#2 START_QUEUING" {
		t.Errorf("queued cell: %q", got)
	}
	busy := &model.Instance{ID: "b1", Status: "STARTING", Class: model.ClassTransitional}
	if a, b := Status.Cell(busy, At{Frame: 0}).Text, Status.Cell(busy, At{Frame: 1}).Text; a == b || !strings.HasSuffix(a, " STARTING") {
		t.Errorf("spinner does not move: %q, %q", a, b)
	}
	if got := Status.Plain(busy, now); got != "STARTING" {
		t.Errorf("transitional plain: %q", got)
	}
	if got := Owner.Plain(busy, now); got != "—" {
		t.Errorf("empty owner: %q", got)
	}
	if got := Name.Plain(busy, now); got != "b1" {
		t.Errorf("nameless instance: %q", got)
	}
	evil := &model.Instance{ID: "e", Name: "x\x1b]0;pwned\x07y", Owner: "o\u009b2Jk"}
	for _, c := range []Column{Name, Owner} {
		if got := c.Plain(evil, now); strings.ContainsAny(got, "\x1b\u009b\x07") {
			t.Errorf("%v: escape leaked: %q", c, got)
		}
	}
}

func TestStaticAndTicking(t *testing.T) {
	ticking := map[Column]bool{Status: true, AutoStop: true, Age: true, Pin: true}
	for c := range Count {
		if c.Static() == ticking[c] {
			t.Errorf("%v: Static() = %v", c, c.Static())
		}
	}
	// A static cell does not depend on the time.
	in := &model.Instance{ID: "i", Name: "n", Created: now.Add(-time.Hour), Spec: model.Spec{Kind: model.KindCPU, VCPUs: 2}}
	for c := range Count {
		if c.Static() && c.Cell(in, At{Now: now}) != c.Cell(in, At{Now: now.Add(48 * time.Hour), Frame: 3}) {
			t.Errorf("%v is static but moves with the clock", c)
		}
	}
	if a, b := Age.Cell(in, At{Now: now}).Text, Age.Cell(in, At{Now: now.Add(48 * time.Hour)}).Text; a == b {
		t.Errorf("age does not tick: %q", a)
	}
}

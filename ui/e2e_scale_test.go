package ui_test

import (
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"matui/client"
	"matui/client/sim"
	"matui/client/sim/fault"
	"matui/model"
	"matui/ui"
)

// holdLaterPages holds back every Gen 2 list page after the first until
// release is closed, and counts Gen 2 list requests.
type holdLaterPages struct {
	release chan struct{}
	once    sync.Once
	lists   atomic.Int64
}

func (h *holdLaterPages) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/notebooks") && r.Method == http.MethodGet {
			h.lists.Add(1)
			if off := r.URL.Query().Get("offset"); off != "" && off != "0" {
				<-h.release
			}
		}
		next.ServeHTTP(w, r)
	})
}

func (h *holdLaterPages) open() { h.once.Do(func() { close(h.release) }) }

// The first rows are on screen before the later pages are served, with
// the progress in the header; the rest arrives without the selection
// moving (issue 10).
func TestE2EFirstPageBeforeTheRest(t *testing.T) {
	h := &holdLaterPages{release: make(chan struct{})}
	t.Cleanup(h.open)
	e := startE2Ew(t, sim.Options{Seed: 7, Instances: 400}, h.wrap, slowPolls)
	s := e.waitScreen("first page and progress", func(s string) bool {
		first, _, _ := strings.Cut(s, "\n")
		return strings.Contains(s, " G2 ") && strings.Contains(first, "loading ") && strings.Contains(first, " / ")
	})
	_ = s
	// The list is usable meanwhile: move, open the details.
	e.keys("j", "enter")
	d := e.waitScreen("details", func(s string) bool { return strings.Contains(s, " · details") })
	name, _, _ := strings.Cut(strings.Split(d, "\n")[2], " · details")
	e.keys("esc")
	h.open()
	e.waitScreen("the whole listing", func(s string) bool {
		first, _, _ := strings.Cut(s, "\n")
		return strings.Contains(first, "updated ")
	})
	e.keys("enter")
	e.waitScreen("the same instance selected", func(s string) bool {
		return strings.Contains(s, strings.TrimSpace(name)+" · details")
	})
}

// cpuImage is a CPU image of the simulator's catalog.
func cpuImage(t *testing.T, e *e2e) string {
	t.Helper()
	ims, err := e.c.ListImages(t.Context(), client.ImageOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, im := range ims {
		for _, c := range im.ResourceCategories {
			if c == "CPU" && model.NormArch(im.Arch) == "x86_64" {
				return im.ID
			}
		}
	}
	t.Fatal("no CPU image")
	return ""
}

// A creation, a deletion and a status change made behind the dashboard's
// back appear within two polls (the deletion, unexplained, makes the poll
// list in full), and a quiet poll then asks for one page (issue 10).
func TestE2EChangesBehindItsBackWithinTwoPolls(t *testing.T) {
	h := &holdLaterPages{release: make(chan struct{})}
	h.open()
	e := startE2Ew(t, sim.Options{Seed: 7, Instances: 400}, h.wrap)
	e.waitScreen("listed", func(s string) bool {
		first, _, _ := strings.Cut(s, "\n")
		return strings.Contains(first, "updated ")
	})
	e.idle()
	full := h.lists.Load()
	nbs, err := e.c.ListNotebooks(t.Context(), client.ListNotebooksOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var victim, runner model.Notebook
	for _, nb := range nbs {
		switch {
		case victim.ID == "" && nb.Status == "STOPPED":
			victim = nb
		case runner.ID == "" && nb.Status == "RUNNING":
			runner = nb
		}
	}
	if _, err := e.c.DeleteNotebook(t.Context(), victim.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.c.StopNotebook(t.Context(), runner.ID); err != nil {
		t.Fatal(err)
	}
	created, err := e.c.CreateNotebook(t.Context(), model.CreateNotebookRequest{Name: "made-elsewhere",
		Flavor: "modelarts.vm.cpu.2u", ImageID: cpuImage(t, e), Volume: model.VolumeReq{Category: "EVS", Ownership: "MANAGED", Capacity: 5}})
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	before := h.lists.Load()
	for poll := 0; poll < 2; poll++ {
		e.pollOnce(h)
	}
	e.keys("/")
	e.tm.Type("made-elsewhere")
	e.keys("enter")
	e.waitScreen("the creation", func(s string) bool { return row(s, "made-elsewhere") != "" })
	_ = created
	e.keys("esc", "/")
	e.tm.Type(runner.Name)
	e.keys("enter")
	e.waitScreen("the stop", func(s string) bool {
		c, ok := rowCells(row(s, runner.Name))
		return ok && (c.status == "STOPPING" || c.status == "STOPPED")
	})
	e.keys("esc", "/")
	e.tm.Type(victim.Name)
	e.keys("enter")
	e.waitScreen("the deletion", func(s string) bool {
		return row(s, victim.Name) == "" || strings.Contains(row(s, victim.Name), "DELETING")
	})
	_ = before
	// With nothing changing, a poll asks for one page of what changed.
	e.keys("esc")
	e.idle()
	quiet := h.lists.Load()
	for poll := 0; poll < 2; poll++ {
		e.pollOnce(h)
	}
	if n := h.lists.Load() - quiet; n > 2 {
		t.Fatalf("two quiet polls sent %d Gen 2 list requests (the first full listing took %d)", n, full)
	}
}

// pollOnce moves the clock past the slow interval and waits until the
// next tick's poll has been served and applied.
func (e *e2e) pollOnce(h *holdLaterPages) {
	e.t.Helper()
	prev := h.lists.Load()
	e.advance(16 * time.Second)
	waitFor(e.t, "a poll", func() bool { return h.lists.Load() > prev })
	e.idle()
}

// A failed Gen 2 poll keeps the Gen 2 rows, marked as kept from the last
// good listing.
func TestE2EFailedGen2PollKeepsRows(t *testing.T) {
	e := startE2E(t, slowPolls)
	rules, err := fault.Parse("notebooks.list:5xx=1")
	if err != nil {
		t.Fatal(err)
	}
	e.sim.Faults().Set(rules)
	e.advance(time.Minute)
	e.keys("r")
	s := e.waitScreen("the failed poll", func(s string) bool {
		first, _, _ := strings.Cut(s, "\n")
		return strings.Contains(first, "gen2 NOTEBOOK kept from 1m ago")
	})
	if row(s, "train-resnet50") == "" {
		t.Fatalf("Gen 2 rows lost:\n%s", s)
	}
}

// -A shows a colleague's notebook with its owner; credentials that are not
// an administrator's get one clear message and the user's own instances.
func TestE2EAllUsers(t *testing.T) {
	e := startE2Ew(t, sim.Options{Seed: 7}, nil, slowPolls, func(o *ui.Options) { o.AllUsers = true })
	e.waitScreen("a colleague's notebook", func(s string) bool {
		return strings.Contains(s, "li.wei") || strings.Contains(s, "maria.schmidt")
	})
	e.keys("/")
	e.tm.Type("owner:li.wei")
	e.keys("enter")
	e.waitScreen("owner filter", func(s string) bool {
		lines := strings.Split(s, "\n")
		return len(lines) > 3 && strings.Contains(lines[1], "/owner:li.wei") && strings.Contains(s, "li.wei") && !strings.Contains(s, "sim-user ")
	})

	na := startE2Ew(t, sim.Options{Seed: 7, NotAdmin: true}, nil, slowPolls, func(o *ui.Options) { o.AllUsers = true })
	na.waitScreen("the fallback", func(s string) bool {
		return strings.Contains(s, "all users: these credentials may not list every user's instances") &&
			row(s, "train-resnet50") != "" && !strings.Contains(s, "li.wei")
	})
}

package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"matui/model"
)

// pagedServer serves n Gen 2 notebooks in pages, CodeLab (one) and Gen 1
// (one), and the flavor catalog. hold, when set, is called before the page
// at an offset is answered, so a test can hold pages back.
type pagedServer struct {
	n    int
	hold func(path string, offset int)
	gen1 func(w http.ResponseWriter) bool // true: answered
	all  func(w http.ResponseWriter) bool
}

func nbJSON(i int) string {
	return fmt.Sprintf(`{"id":"nb-%04d","name":"n%04d","status":"RUNNING","feature":"NOTEBOOK","flavor":"modelarts.vm.cpu.2u","update_at":%d}`,
		i, i, 1700000000000+int64(i))
}

func (s *pagedServer) handler(w http.ResponseWriter, r *http.Request) {
	p := strings.TrimPrefix(r.URL.Path, "/v1/"+testProject)
	q := r.URL.Query()
	off := atoi(q.Get("offset"))
	if s.hold != nil {
		s.hold(p, off)
	}
	switch {
	case p == "/notebooks/flavors" && q.Get("feature") == "DEFAULT":
		reply(w, 200, `{"data":[],"total":0}`)
	case p == "/notebooks/flavors":
		reply(w, 200, `{"data":[{"id":"modelarts.vm.cpu.2u","category":"CPU","vcpus":2,"memory":8388608,"arch":"x86_64"}],"total":1}`)
	case p == "/notebooks/all" && s.all != nil && s.all(w):
	case (p == "/notebooks" || p == "/notebooks/all") && q.Get("feature") == "DEFAULT":
		reply(w, 200, `{"data":[{"id":"cl1","name":"codelab","status":"STOPPED","feature":"DEFAULT"}],"total":1}`)
	case p == "/notebooks" || p == "/notebooks/all":
		limit := atoi(q.Get("limit"))
		var items []string
		for i := off; i < min(off+limit, s.n); i++ {
			items = append(items, nbJSON(i))
		}
		reply(w, 200, fmt.Sprintf(`{"data":[%s],"total":%d}`, strings.Join(items, ","), s.n))
	case p == "/demanager/instances":
		if s.gen1 != nil && s.gen1(w) {
			return
		}
		reply(w, 200, `{"instances":[{"id":"DE-1","name":"old","status":"STOPPED"}],"total_count":1}`)
	default:
		reply(w, 404, `{"error_code":"APIG.0101","error_msg":"no such API"}`)
	}
}

// The first page is delivered while later pages are still held back by
// the server, and Gen 1 and CodeLab arrive while Gen 2's later pages wait:
// one slow listing never holds back another.
func TestStreamDeliversPagesAsTheyArrive(t *testing.T) {
	release := make(chan struct{})
	srv := &pagedServer{n: 120, hold: func(path string, off int) {
		if path == "/notebooks" && off == 50 {
			<-release
		}
	}}
	env := newEnv(t, srv.handler)
	pages := make(chan Page, 64)
	done := make(chan error, 1)
	go func() { done <- env.c.StreamInstances(t.Context(), ListOptions{}, func(p Page) { pages <- p }) }()

	// Before page 2 is released: page 1 of Gen 2 and all of Gen 1 and
	// CodeLab must arrive.
	got := map[Source]int{}
	lastOf := map[Source]bool{}
	for !(got[SourceNotebooks] >= 50 && lastOf[SourceGen1] && lastOf[SourceCodeLab]) {
		p := <-pages
		got[p.Source] += len(p.Instances)
		if p.Last {
			lastOf[p.Source] = true
		}
		if p.Source == SourceNotebooks && p.Last {
			t.Fatal("Gen 2 ended while its second page was held back")
		}
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	close(pages)
	var final Page
	for p := range pages {
		if p.Source == SourceNotebooks {
			got[p.Source] += len(p.Instances)
			final = p
		}
	}
	if !final.Last || !final.Complete || final.Total != 120 || final.Listed != 120 {
		t.Fatalf("last Gen 2 page: %s", pageSummary(final))
	}
	// 120 distinct instances, the first 50 delivered twice (once before
	// the flavor catalog was in, once with it).
	if got[SourceNotebooks] != 170 {
		t.Errorf("delivered %d Gen 2 instances, want 120 + 50 again", got[SourceNotebooks])
	}
}

// On a cold start the first page goes out before the flavor catalog has
// been fetched (its specs guessed from the flavor ID), and again with the
// catalog's specs before the listing's Last page; later listings use the
// cached catalog at once.
func TestStreamFirstPageAgainWithFlavorSpecs(t *testing.T) {
	env := newEnv(t, (&pagedServer{n: 3}).handler)
	var pages []Page
	if err := env.c.StreamInstances(t.Context(), ListOptions{Sources: []Source{SourceNotebooks}}, func(p Page) { pages = append(pages, p) }); err != nil {
		t.Fatal(err)
	}
	// The page again comes as the Last page or just before it, depending
	// on whether the catalog or the listing's end came first.
	last := pages[len(pages)-1]
	again := pages[1]
	if len(pages) < 2 || len(pages) > 3 || !pages[0].First || !pages[0].Provisional || pages[0].Last ||
		!last.Last || !last.Complete || again.Provisional || len(again.Instances) != 3 {
		for _, p := range pages {
			t.Log(pageSummary(p))
		}
		t.Fatal("want the first page, provisional, then again with specs, then (or as) the Last page")
	}
	if pages[0].Instances[0].Spec.MemoryBytes != 0 || again.Instances[0].Spec.MemoryBytes != 8<<30 {
		t.Fatalf("specs: before %+v, after %+v", pages[0].Instances[0].Spec, again.Instances[0].Spec)
	}
	pages = nil
	if err := env.c.StreamInstances(t.Context(), ListOptions{Sources: []Source{SourceNotebooks}}, func(p Page) { pages = append(pages, p) }); err != nil {
		t.Fatal(err)
	}
	if len(pages) != 1 || !pages[0].Last || pages[0].Instances[0].Spec.MemoryBytes != 8<<30 {
		t.Fatalf("warm: %d pages, first %s", len(pages), pageSummary(pages[0]))
	}
}

// A refused all-users scope is a *NotAdminError after one request; nothing
// else is sent, and every source ends with that error.
func TestStreamNotAdminStopsAfterOneRequest(t *testing.T) {
	srv := &pagedServer{n: 3, all: func(w http.ResponseWriter) bool {
		reply(w, 403, `{"error_code":"ModelArts.0108","error_msg":"Not authorized for operation ListAllNotebooks."}`)
		return true
	}}
	env := newEnv(t, srv.handler)
	var pages []Page
	err := env.c.StreamInstances(t.Context(), ListOptions{AllUsers: true}, func(p Page) { pages = append(pages, p) })
	if !IsNotAdmin(err) || !IsAuth(err) {
		t.Fatalf("err %v", err)
	}
	if n := env.rec.count(); n != 1 {
		t.Fatalf("%d requests after the refusal", n)
	}
	if len(pages) != 3 {
		t.Fatalf("%d pages", len(pages))
	}
	for _, p := range pages {
		if !p.Last || !IsNotAdmin(p.Err) || p.Complete {
			t.Errorf("page %s", pageSummary(p))
		}
	}
	if !strings.Contains(err.Error(), "not an administrator") || !strings.Contains(err.Error(), "ModelArts.0108") {
		t.Errorf("message: %v", err)
	}
	// A 403 that is about the credentials is not a scope refusal.
	if IsNotAdmin(asNotAdmin(&APIError{HTTPStatus: 403, Code: "ModelArts.0210"})) || IsNotAdmin(asNotAdmin(&APIError{HTTPStatus: 401, Code: "APIG.0301"})) {
		t.Error("a project mismatch or bad signature counted as not-admin")
	}
	if _, err := env.c.ListAllNotebooks(t.Context(), ListNotebooksOptions{}); !IsNotAdmin(err) {
		t.Errorf("ListAllNotebooks: %v", err)
	}
}

// The all-users scope lists Gen 2 from /notebooks/all and Gen 1 with
// show_self=false.
func TestStreamAllUsersPaths(t *testing.T) {
	env := newEnv(t, (&pagedServer{n: 3}).handler)
	if _, err := env.c.ListInstancesWith(t.Context(), ListOptions{AllUsers: true}); err != nil {
		t.Fatal(err)
	}
	var all, showSelf int
	for _, r := range env.rec.all() {
		if strings.HasSuffix(r.Path, "/notebooks/all") {
			all++
		}
		if strings.HasSuffix(r.Path, "/demanager/instances") && strings.Contains(r.RawQuery, "show_self=false") {
			showSelf++
		}
		if strings.HasSuffix(r.Path, "/notebooks") {
			t.Errorf("own listing requested in the all-users scope: %s?%s", r.Path, r.RawQuery)
		}
	}
	if all != 2 || showSelf != 1 {
		t.Errorf("/notebooks/all %d times, show_self=false %d times", all, showSelf)
	}
}

// A failed Gen 1 after good Gen 2 pages: Gen 2 complete, Gen 1 failed
// (stale), the listing partial.
func TestStreamPartialFailure(t *testing.T) {
	srv := &pagedServer{n: 60, gen1: func(w http.ResponseWriter) bool {
		reply(w, 400, `{"error_code":"ModelArts.6999","error_message":"broken"}`)
		return true
	}}
	env := newEnv(t, srv.handler)
	var snap Snapshot
	err := env.c.StreamInstances(t.Context(), ListOptions{}, snap.Apply)
	var pe *PartialError
	if !errors.As(err, &pe) || len(pe.Failed) != 1 || pe.Failed[0].What != "gen1" {
		t.Fatalf("err %v", err)
	}
	if snap.Len() != 61 || snap.Stale()[SourceGen1] == nil || len(snap.Stale()) != 1 {
		t.Fatalf("%d rows, stale %v", snap.Len(), snap.Stale())
	}
}

// A listing over a list that loses an instance while it pages may skip
// one between two pages (everything after the deleted one moves up): its
// Last page is not Complete when the total went down meanwhile, so a
// consumer does not drop the instance it missed.
func TestStreamIncompleteWhenTheListShifts(t *testing.T) {
	env := newEnv(t, (&shiftingServer{n: 100}).handler)
	var (
		snap Snapshot
		last Page
	)
	for i := range 100 {
		snap.Apply(Page{Source: SourceNotebooks, Instances: []model.Instance{{Generation: model.Gen2, ID: fmt.Sprintf("nb-%04d", i)}}, First: i == 0})
	}
	_ = env.c.StreamInstances(t.Context(), ListOptions{Sources: []Source{SourceNotebooks}}, func(p Page) {
		snap.Apply(p)
		if p.Last {
			last = p
		}
	})
	// 99 distinct instances seen (nb-0000 on page 1, nb-0050 skipped) of
	// a total of 99: the count alone would call this complete.
	if last.Complete || last.Total != 99 || last.Err != nil {
		t.Fatalf("shifted listing: %s", pageSummary(last))
	}
	found := false
	for _, in := range snap.Instances() {
		found = found || in.ID == "nb-0050"
	}
	if !found {
		t.Error("an instance the listing missed was dropped")
	}
}

func pageSummary(p Page) string {
	return fmt.Sprintf("{%s %d instances, removed %v, total %d, listed %d, first %v prov %v incr %v last %v complete %v err %v}",
		p.Source, len(p.Instances), p.Removed, p.Total, p.Listed, p.First, p.Provisional, p.Incremental, p.Last, p.Complete, p.Err)
}

// shiftingServer deletes nb-0000 between the first and second page, so the
// second page starts one later in the original order.
type shiftingServer struct {
	mu      sync.Mutex
	n       int
	deleted bool
}

func (s *shiftingServer) handler(w http.ResponseWriter, r *http.Request) {
	p := strings.TrimPrefix(r.URL.Path, "/v1/"+testProject)
	q := r.URL.Query()
	if p != "/notebooks" {
		reply(w, 200, `{"data":[],"total":0}`)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	off, limit := atoi(q.Get("offset")), atoi(q.Get("limit"))
	if off > 0 {
		s.deleted = true
	}
	ids := make([]int, 0, s.n)
	for i := range s.n {
		if i == 0 && s.deleted {
			continue
		}
		ids = append(ids, i)
	}
	var items []string
	for _, i := range ids[min(off, len(ids)):min(off+limit, len(ids))] {
		items = append(items, nbJSON(i))
	}
	reply(w, 200, fmt.Sprintf(`{"data":[%s],"total":%d}`, strings.Join(items, ","), len(ids)))
}

// Listing: pages one at a time, Err after the end, Close cancels a
// listing in progress and stops its requests.
func TestListingNextAndClose(t *testing.T) {
	env := newEnv(t, (&pagedServer{n: 120}).handler)
	l := env.c.StartListing(t.Context(), ListOptions{})
	n := 0
	for {
		p, ok := l.Next()
		if !ok {
			break
		}
		n += len(p.Instances)
	}
	if err := l.Err(); err != nil || n != 120+50+2 {
		t.Fatalf("%d instances, %v", n, err)
	}
	l.Close()

	block := make(chan struct{})
	defer close(block)
	held := make(chan struct{}, 1)
	srv := &pagedServer{n: 500, hold: func(path string, off int) {
		if off == 100 {
			held <- struct{}{}
			select {
			case <-block:
			case <-context.Background().Done():
			}
		}
	}}
	env2 := newEnv(t, srv.handler)
	l2 := env2.c.StartListing(t.Context(), ListOptions{Sources: []Source{SourceNotebooks}})
	<-held
	l2.Close()
	if err := l2.Err(); !errors.Is(err, context.Canceled) {
		t.Fatalf("after Close: %v", err)
	}
	before := env2.rec.count()
	if _, ok := l2.Next(); ok {
		t.Error("Next after Close returned a page")
	}
	if env2.rec.count() != before {
		t.Error("requests after Close")
	}
}

func TestSnapshotApply(t *testing.T) {
	in := func(id, status string) model.Instance {
		return model.Instance{Generation: model.Gen2, ID: id, Status: status}
	}
	var s Snapshot
	s.Apply(Page{Source: SourceNotebooks, First: true, Instances: []model.Instance{in("a", "RUNNING"), in("b", "RUNNING")}, Total: 3, Listed: 2})
	if l, tot, ok := s.Loading(); !ok || l != 2 || tot != 3 {
		t.Fatalf("loading %d/%d %v", l, tot, ok)
	}
	s.Apply(Page{Source: SourceNotebooks, Instances: []model.Instance{in("c", "RUNNING")}, Total: 3, Listed: 3, Last: true, Complete: true})
	if _, _, ok := s.Loading(); ok || s.Len() != 3 {
		t.Fatalf("after the first listing: %d rows", s.Len())
	}
	// An incremental change and a removal.
	s.Apply(Page{Source: SourceNotebooks, First: true, Incremental: true, Instances: []model.Instance{in("b", "STOPPING")}})
	s.Apply(Page{Source: SourceNotebooks, Incremental: true, Removed: []string{"c"}, Last: true})
	if s.Len() != 2 || s.Instances()[1].Status != "STOPPING" {
		t.Fatalf("rows %+v", s.Instances())
	}
	// A failed listing keeps the rows, stale.
	boom := errors.New("boom")
	s.Apply(Page{Source: SourceNotebooks, First: true, Last: true, Err: boom})
	if s.Len() != 2 || s.Stale()[SourceNotebooks] != boom {
		t.Fatalf("after a failure: %d rows, stale %v", s.Len(), s.Stale())
	}
	// A complete listing without "a" drops it and clears the staleness;
	// another source's rows stand.
	s.Apply(Page{Source: SourceGen1, First: true, Last: true, Complete: true, Instances: []model.Instance{{Generation: model.Gen1, ID: "a"}}})
	s.Apply(Page{Source: SourceNotebooks, First: true, Last: true, Complete: true, Instances: []model.Instance{in("b", "STOPPED")}})
	if s.Len() != 2 || len(s.Stale()) != 0 {
		t.Fatalf("rows %+v stale %v", s.Instances(), s.Stale())
	}
	for _, r := range s.Instances() {
		if r.Generation == model.Gen2 && r.ID == "a" {
			t.Fatal("Gen 2 a not dropped")
		}
	}
}

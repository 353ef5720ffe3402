package store

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"matui/client"
	"matui/model"
)

var t0 = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

func row(gen model.Generation, feature, id, status string) model.Instance {
	return model.Instance{Generation: gen, Feature: feature, ID: id, Name: id, Status: status, Class: model.ClassOf(gen, status)}
}
func nb(id, status string) model.Instance      { return row(model.Gen2, "NOTEBOOK", id, status) }
func codelab(id, status string) model.Instance { return row(model.Gen2, "DEFAULT", id, status) }
func dev(id, status string) model.Instance     { return row(model.Gen1, "", id, status) }

// check verifies the invariants every call must keep: the index, the
// parallel metadata and the changing count agree with the rows, and every
// expectation and created entry names a row.
func check(t *testing.T, s *Store) {
	t.Helper()
	if len(s.rows) != len(s.meta) || len(s.rows) != len(s.index) {
		t.Fatalf("%d rows, %d meta, %d index entries", len(s.rows), len(s.meta), len(s.index))
	}
	changing := 0
	for i := range s.rows {
		r := &s.rows[i]
		if j, ok := s.index[r.ID]; !ok || j != i {
			t.Fatalf("row %d (%s) indexed at %d, %v", i, r.ID, j, ok)
		}
		if isChanging(r.Class) {
			changing++
		}
	}
	if changing != s.changing {
		t.Fatalf("changing count %d, rows say %d", s.changing, changing)
	}
	for id, e := range s.expect {
		i, ok := s.index[id]
		if !ok {
			t.Fatalf("expectation for %s without a row", id)
		}
		if s.rows[i].Status != e.status || s.rows[i].Class != model.ClassTransitional {
			t.Fatalf("%s shows %s/%s while %s is expected", id, s.rows[i].Status, s.rows[i].Class, e.status)
		}
	}
	for id := range s.created {
		if _, ok := s.index[id]; !ok {
			t.Fatalf("created %s without a row", id)
		}
	}
	for src := range s.sources {
		if so := &s.sources[src]; !so.loading && (so.guard != nil || so.seen != 0) {
			t.Fatalf("source %v not loading keeps guard %v / seen %d", Source(src), so.guard, so.seen)
		}
	}
}

// statuses is the merged list as "id:STATUS", sorted.
func statuses(s *Store) string {
	var out []string
	for _, in := range s.Instances() {
		out = append(out, in.ID+":"+in.Status)
	}
	slices.Sort(out)
	return strings.Join(out, " ")
}

func want(t *testing.T, s *Store, w string) {
	t.Helper()
	check(t, s)
	if got := statuses(s); got != w {
		t.Fatalf("rows\n got %s\nwant %s", got, w)
	}
}

// listed feeds a whole listing and checks the invariants.
func listed(t *testing.T, s *Store, err error, now time.Time, items ...model.Instance) bool {
	t.Helper()
	ch := s.Listed(items, err, now)
	check(t, s)
	return ch
}

func partial(parts ...string) error {
	pe := &client.PartialError{}
	for _, p := range parts {
		pe.Failed = append(pe.Failed, client.PartFailure{What: p, Err: errors.New(p + " failed")})
	}
	return pe
}

func TestSourceOf(t *testing.T) {
	for _, c := range []struct {
		in   model.Instance
		want Source
	}{
		{nb("a", "RUNNING"), Notebooks},
		{row(model.Gen2, "", "a", "RUNNING"), Notebooks}, // no feature: the API's default
		{codelab("a", "RUNNING"), CodeLab},               // CodeLab's feature is DEFAULT
		{dev("a", "RUNNING"), Gen1},
		{row(model.Gen1, "DEFAULT", "a", "RUNNING"), Gen1},
	} {
		if got := SourceOf(&c.in); got != c.want {
			t.Errorf("SourceOf(gen %d, feature %q) = %v, want %v", c.in.Generation, c.in.Feature, got, c.want)
		}
	}
	// The names are the client's PartFailure.What of each listing.
	for src, what := range map[Source]string{Notebooks: "gen2 NOTEBOOK", CodeLab: "gen2 DEFAULT", Gen1: "gen1"} {
		if src.String() != what {
			t.Errorf("%d.String() = %q, want %q", src, src.String(), what)
		}
	}
}

func TestCompleteListingReplacesRows(t *testing.T) {
	s := New()
	listed(t, s, nil, t0, nb("n1", "RUNNING"), nb("n2", "STOPPED"), codelab("c1", "RUNNING"), dev("d1", "RUNNING"))
	want(t, s, "c1:RUNNING d1:RUNNING n1:RUNNING n2:STOPPED")
	listed(t, s, nil, t0.Add(time.Second), nb("n1", "STOPPING"), dev("d2", "STOPPED"))
	want(t, s, "d2:STOPPED n1:STOPPING")
	for src := range NumSources {
		if st := s.Source(src); st.Stale() || !st.Listed.Equal(t0.Add(time.Second)) || st.Loading {
			t.Errorf("%v after a good listing: %+v", src, st)
		}
	}
	if in, ok := s.Get("n1"); !ok || in.Status != "STOPPING" || in.Class != model.ClassTransitional {
		t.Errorf("Get(n1) = %+v, %v", in, ok)
	}
	if _, ok := s.Get("n2"); ok {
		t.Error("Get finds a row the last listing dropped")
	}
}

// Issue 13 item 4 / issue 10: a 5xx on the Gen 2 list after a good load
// made every Gen 2 row vanish. The failed part keeps its last rows, stale.
func TestPartialListingKeepsFailedPartStale(t *testing.T) {
	s := New()
	listed(t, s, nil, t0, nb("n1", "RUNNING"), nb("n2", "STOPPED"), codelab("c1", "RUNNING"), dev("d1", "RUNNING"), dev("d2", "STOPPED"))
	v := s.Version()
	at := t0.Add(15 * time.Second)
	// Gen 2 NOTEBOOK failed; CodeLab and Gen 1 answered (d2 is gone, d1
	// stopped, c1 unchanged).
	if !listed(t, s, partial("gen2 NOTEBOOK"), at, codelab("c1", "RUNNING"), dev("d1", "STOPPING")) {
		t.Error("a partial listing that changed rows reports no change")
	}
	want(t, s, "c1:RUNNING d1:STOPPING n1:RUNNING n2:STOPPED")
	if s.Version() == v {
		t.Error("version unchanged")
	}
	st := s.Source(Notebooks)
	if !st.Stale() || !st.StaleSince.Equal(at) || !st.Listed.Equal(t0) || st.Err == nil || st.Err.Error() != "gen2 NOTEBOOK failed" {
		t.Errorf("notebooks after its listing failed: %+v", st)
	}
	if s.Source(CodeLab).Stale() || s.Source(Gen1).Stale() {
		t.Error("a part that answered is stale")
	}

	// A second failure keeps "since" at the first and reports the latest
	// error; the stale rows are still there.
	later := at.Add(30 * time.Second)
	pe := &client.PartialError{Failed: []client.PartFailure{{What: "gen2 NOTEBOOK", Err: errors.New("429 throttled")}}}
	listed(t, s, pe, later, codelab("c1", "RUNNING"), dev("d1", "STOPPING"))
	if st := s.Source(Notebooks); !st.StaleSince.Equal(at) || st.Err.Error() != "429 throttled" {
		t.Errorf("second failure: %+v", st)
	}
	want(t, s, "c1:RUNNING d1:STOPPING n1:RUNNING n2:STOPPED")

	// The next good listing replaces the rows and clears the staleness.
	listed(t, s, nil, later.Add(time.Minute), nb("n2", "RUNNING"), codelab("c1", "RUNNING"), dev("d1", "STOPPED"))
	want(t, s, "c1:RUNNING d1:STOPPED n2:RUNNING")
	if st := s.Source(Notebooks); st.Stale() || !st.StaleSince.IsZero() || !st.Listed.Equal(later.Add(time.Minute)) {
		t.Errorf("after recovering: %+v", st)
	}
}

// CodeLab's feature is DEFAULT: its failure must not touch the notebooks,
// nor theirs the CodeLab row.
func TestCodeLabFailsAlone(t *testing.T) {
	s := New()
	listed(t, s, nil, t0, nb("n1", "RUNNING"), codelab("c1", "RUNNING"), dev("d1", "RUNNING"))
	listed(t, s, partial("gen2 DEFAULT"), t0.Add(time.Second), nb("n1", "STOPPED"), dev("d1", "RUNNING"))
	want(t, s, "c1:RUNNING d1:RUNNING n1:STOPPED")
	if !s.Source(CodeLab).Stale() || s.Source(Notebooks).Stale() {
		t.Errorf("codelab %+v, notebooks %+v", s.Source(CodeLab), s.Source(Notebooks))
	}
	listed(t, s, partial("gen2 NOTEBOOK"), t0.Add(2*time.Second), codelab("c1", "STOPPED"), dev("d1", "RUNNING"))
	want(t, s, "c1:STOPPED d1:RUNNING n1:STOPPED")
}

func TestFailedListingKeepsEverythingStale(t *testing.T) {
	s := New()
	listed(t, s, nil, t0, nb("n1", "RUNNING"), codelab("c1", "RUNNING"), dev("d1", "RUNNING"))
	boom := errors.New("connection refused")
	if !listed(t, s, boom, t0.Add(time.Second)) {
		t.Error("turning stale reports no change")
	}
	want(t, s, "c1:RUNNING d1:RUNNING n1:RUNNING")
	for src := range NumSources {
		if st := s.Source(src); !errors.Is(st.Err, boom) || !st.StaleSince.Equal(t0.Add(time.Second)) {
			t.Errorf("%v: %+v", src, st)
		}
	}
	// Failing again changes nothing anyone draws.
	v := s.Version()
	if listed(t, s, boom, t0.Add(2*time.Second)) || s.Version() != v {
		t.Error("a second identical failure counts as a change")
	}
}

func TestPartialNamesTheStoreDoesNotKnow(t *testing.T) {
	s := New()
	listed(t, s, nil, t0, nb("n1", "RUNNING"), codelab("c1", "RUNNING"), dev("d1", "RUNNING"))
	// The flavor catalog only costs spec details: no source is stale and
	// the listing replaces rows as usual.
	listed(t, s, partial("flavors"), t0.Add(time.Second), nb("n1", "RUNNING"), codelab("c1", "RUNNING"))
	want(t, s, "c1:RUNNING n1:RUNNING")
	for src := range NumSources {
		if s.Source(src).Stale() {
			t.Errorf("%v stale after the flavor catalog failed", src)
		}
	}
	// A part the store cannot place concerns every source: rows are kept
	// (and updated by what came), not dropped.
	listed(t, s, partial("gen3 MYSTERY"), t0.Add(2*time.Second), nb("n1", "STOPPING"))
	want(t, s, "c1:RUNNING n1:STOPPING")
	for src := range NumSources {
		if st := s.Source(src); st.Err == nil || st.Err.Error() != "gen3 MYSTERY failed" {
			t.Errorf("%v after an unknown part failed: %+v", src, st)
		}
	}
	// A wrapped PartialError is still read part by part.
	wrapped := fmt.Errorf("list: %w", partial("gen1"))
	listed(t, s, wrapped, t0.Add(3*time.Second), nb("n1", "STOPPED"), codelab("c1", "RUNNING"))
	if s.Source(Notebooks).Stale() || !s.Source(Gen1).Stale() {
		t.Errorf("wrapped partial: notebooks %+v gen1 %+v", s.Source(Notebooks), s.Source(Gen1))
	}
}

// client.ErrPageCap: the part failed but returned the rows it had. They
// are fresh; the rest of the part is kept, and the part is stale.
func TestFailedPartWithRowsUpdatesThemAndKeepsTheRest(t *testing.T) {
	s := New()
	listed(t, s, nil, t0, nb("n1", "RUNNING"), nb("n2", "RUNNING"), nb("n3", "RUNNING"))
	pe := &client.PartialError{Failed: []client.PartFailure{{What: "gen2 NOTEBOOK", Err: client.ErrPageCap}}}
	listed(t, s, pe, t0.Add(time.Second), nb("n1", "STOPPING"), nb("n4", "CREATING"))
	want(t, s, "n1:STOPPING n2:RUNNING n3:RUNNING n4:CREATING")
	if st := s.Source(Notebooks); !errors.Is(st.Err, client.ErrPageCap) {
		t.Errorf("notebooks: %+v", st)
	}
}

// Issue 10: pages of one source arrive one by one; each is on screen at
// once, the old rows stay until the listing completes, and only a complete
// listing drops what it did not report.
func TestStreamingListing(t *testing.T) {
	s := New()
	listed(t, s, nil, t0, nb("n1", "RUNNING"), nb("n2", "RUNNING"), nb("n3", "RUNNING"), dev("d1", "RUNNING"))
	s.Begin(Notebooks, Full)
	if st := s.Source(Notebooks); !st.Loading || st.Seen != 0 {
		t.Errorf("after Begin: %+v", st)
	}
	v := s.Version()
	if !s.Page(Notebooks, []model.Instance{nb("n1", "STOPPING"), nb("n9", "CREATING")}) || s.Version() == v {
		t.Error("a page reports no change")
	}
	want(t, s, "d1:RUNNING n1:STOPPING n2:RUNNING n3:RUNNING n9:CREATING")
	// The same row twice counts once.
	s.Page(Notebooks, []model.Instance{nb("n2", "RUNNING"), nb("n2", "RUNNING")})
	if st := s.Source(Notebooks); !st.Loading || st.Seen != 3 {
		t.Errorf("progress after 3 distinct rows: %+v", st)
	}
	check(t, s)
	if !s.End(Notebooks, nil, t0.Add(time.Second)) {
		t.Error("dropping n3 reports no change")
	}
	want(t, s, "d1:RUNNING n1:STOPPING n2:RUNNING n9:CREATING") // n3 unreported: gone; Gen 1 untouched
	if st := s.Source(Notebooks); st.Loading || !st.Listed.Equal(t0.Add(time.Second)) {
		t.Errorf("after End: %+v", st)
	}
}

func TestStreamingListingThatFailsKeepsUnreportedRows(t *testing.T) {
	s := New()
	listed(t, s, nil, t0, nb("n1", "RUNNING"), nb("n2", "RUNNING"))
	s.Begin(Notebooks, Full)
	s.Page(Notebooks, []model.Instance{nb("n1", "STOPPED")})
	boom := errors.New("page 2: 502")
	s.End(Notebooks, boom, t0.Add(time.Second))
	want(t, s, "n1:STOPPED n2:RUNNING")
	if st := s.Source(Notebooks); !errors.Is(st.Err, boom) || st.Loading {
		t.Errorf("%+v", st)
	}
}

// A Begin while a listing is in progress starts it over: what the first
// attempt reported does not count as reported by the second.
func TestBeginAgainStartsOver(t *testing.T) {
	s := New()
	listed(t, s, nil, t0, nb("n1", "RUNNING"), nb("n2", "RUNNING"))
	s.Begin(Notebooks, Full)
	s.Page(Notebooks, []model.Instance{nb("n1", "RUNNING"), nb("n2", "RUNNING")})
	s.Begin(Notebooks, Full)
	s.Page(Notebooks, []model.Instance{nb("n2", "RUNNING")})
	s.End(Notebooks, nil, t0.Add(time.Second))
	want(t, s, "n2:RUNNING")
}

// An incremental poll reports only what changed: nothing else is dropped,
// deletions come through Remove, and an empty poll changes nothing.
func TestChangesListingAndRemove(t *testing.T) {
	s := New()
	listed(t, s, nil, t0, nb("n1", "RUNNING"), nb("n2", "RUNNING"), dev("d1", "RUNNING"))
	s.Begin(Notebooks, Changes)
	s.Page(Notebooks, []model.Instance{nb("n2", "STOPPING"), nb("n3", "CREATING")})
	s.End(Notebooks, nil, t0.Add(time.Second))
	want(t, s, "d1:RUNNING n1:RUNNING n2:STOPPING n3:CREATING")

	v := s.Version()
	s.Begin(Notebooks, Changes)
	if s.End(Notebooks, nil, t0.Add(2*time.Second)) || s.Version() != v {
		t.Error("an incremental poll with no changes bumped the version")
	}
	if !s.Source(Notebooks).Listed.Equal(t0.Add(2 * time.Second)) {
		t.Error("an empty incremental poll did not refresh the source")
	}

	if !s.Remove("n1", "nope") {
		t.Error("Remove of a listed row reports no change")
	}
	want(t, s, "d1:RUNNING n2:STOPPING n3:CREATING")
	v = s.Version()
	if s.Remove("nope") || s.Version() != v {
		t.Error("Remove of an unknown id reports a change")
	}
	// A page outside any listing is an upsert.
	s.Page(Gen1, []model.Instance{dev("d1", "STOPPING")})
	want(t, s, "d1:STOPPING n2:STOPPING n3:CREATING")
}

// An ID is one row whichever source reports it.
func TestSameIDFromTwoSourcesIsOneRow(t *testing.T) {
	s := New()
	s.Begin(Notebooks, Full)
	s.Begin(CodeLab, Full)
	s.Page(Notebooks, []model.Instance{nb("x", "RUNNING")})
	s.Page(CodeLab, []model.Instance{codelab("x", "RUNNING")})
	s.End(Notebooks, nil, t0) // x now belongs to CodeLab's listing: not dropped
	s.End(CodeLab, nil, t0)
	want(t, s, "x:RUNNING")
	if in, _ := s.Get("x"); in.Feature != "DEFAULT" {
		t.Errorf("the latest report does not win: %+v", in)
	}
}

func TestItemsWithoutIDAreSkipped(t *testing.T) {
	s := New()
	v := s.Version()
	if s.Page(Notebooks, []model.Instance{{Generation: model.Gen2}}) || s.Version() != v {
		t.Error("an item without an ID was written")
	}
	want(t, s, "")
}

// Rule 1: an optimistic status holds while the server still reports the
// status the action started from, up to ExpectFor.
func TestExpectHoldsWhileServerHasNotMoved(t *testing.T) {
	s := New()
	listed(t, s, nil, t0, nb("n1", "RUNNING"), nb("n2", "RUNNING"))
	if s.Changing() {
		t.Error("changing with nothing in transit")
	}
	if !s.Expect("n1", "STOPPING", t0) {
		t.Fatal("Expect reports no change")
	}
	want(t, s, "n1:STOPPING n2:RUNNING")
	if in, _ := s.Get("n1"); in.Class != model.ClassTransitional || !s.Changing() {
		t.Errorf("optimistic row class %s, changing %v", in.Class, s.Changing())
	}
	// The server still says RUNNING: the expectation holds, with the new
	// row's other fields.
	r := nb("n1", "RUNNING")
	r.Description = "fresh"
	listed(t, s, nil, t0.Add(5*time.Second), r, nb("n2", "RUNNING"))
	want(t, s, "n1:STOPPING n2:RUNNING")
	if in, _ := s.Get("n1"); in.Description != "fresh" {
		t.Error("the listing's other fields were not taken")
	}
	// Not expired just before ExpectFor; expired at it, back to the
	// server's RUNNING (class running).
	v := s.Version()
	if s.Expire(t0.Add(ExpectFor-time.Nanosecond)) || s.Version() != v {
		t.Error("Expire before ExpectFor changed something")
	}
	if !s.Expire(t0.Add(ExpectFor)) {
		t.Error("Expire at ExpectFor reports no change")
	}
	want(t, s, "n1:RUNNING n2:RUNNING")
	if in, _ := s.Get("n1"); in.Class != model.ClassRunning || s.Changing() {
		t.Errorf("after expiry class %s, changing %v", in.Class, s.Changing())
	}
}

func TestExpectEndsWhenServerMoves(t *testing.T) {
	s := New()
	listed(t, s, nil, t0, nb("n1", "RUNNING"))
	s.Expect("n1", "STOPPING", t0)
	listed(t, s, nil, t0.Add(2*time.Second), nb("n1", "STOPPED"))
	want(t, s, "n1:STOPPED")
	if len(s.expect) != 0 {
		t.Error("expectation kept after the server moved")
	}
	// Nothing left to expire: the row stays STOPPED.
	if s.Expire(t0.Add(time.Hour)) {
		t.Error("Expire changed something")
	}
	want(t, s, "n1:STOPPED")
}

func TestExpectEdgeCases(t *testing.T) {
	s := New()
	listed(t, s, nil, t0, nb("n1", "RUNNING"), nb("n2", "STOPPING"))
	v := s.Version()
	for _, c := range []struct{ id, status string }{{"nope", "STOPPING"}, {"n1", ""}, {"n2", "STOPPING"}} {
		if s.Expect(c.id, c.status, t0) {
			t.Errorf("Expect(%q, %q) reports a change", c.id, c.status)
		}
	}
	if s.Version() != v || len(s.expect) != 0 {
		t.Error("a no-op Expect changed the store")
	}
	// A second expectation replaces the first but keeps where it started.
	s.Expect("n1", "STOPPING", t0)
	s.Expect("n1", "DELETING", t0.Add(10*time.Second))
	want(t, s, "n1:DELETING n2:STOPPING")
	s.Expire(t0.Add(ExpectFor)) // the second one runs until t0+10s+ExpectFor
	want(t, s, "n1:DELETING n2:STOPPING")
	s.Expire(t0.Add(10*time.Second + ExpectFor))
	want(t, s, "n1:RUNNING n2:STOPPING")
	// Expecting the server's own status ends an expectation.
	s.Expect("n1", "STOPPING", t0)
	if !s.Expect("n1", "RUNNING", t0) {
		t.Error("expecting the server status reports no change")
	}
	want(t, s, "n1:RUNNING n2:STOPPING")
}

func TestForgetAfterFailedAction(t *testing.T) {
	s := New()
	listed(t, s, nil, t0, dev("d1", "STOPPED"))
	s.Expect("d1", "STARTING", t0)
	if !s.Forget("d1") {
		t.Error("Forget reports no change")
	}
	want(t, s, "d1:STOPPED")
	if in, _ := s.Get("d1"); in.Class != model.ClassStopped {
		t.Errorf("class %s after Forget", in.Class)
	}
	if s.Forget("d1") || s.Forget("nope") {
		t.Error("Forget without an expectation reports a change")
	}
}

// An action's answer is the truth: a moved status replaces the optimistic
// one, an unmoved one leaves it (the service answered before it moved).
func TestPatchFromActionAnswer(t *testing.T) {
	s := New()
	listed(t, s, nil, t0, nb("n1", "RUNNING"), nb("n2", "RUNNING"))
	s.Expect("n1", "STOPPING", t0)
	s.Expect("n2", "STOPPING", t0)
	answered := nb("n1", "STOPPING")
	answered.AutoStop = model.AutoStop{Enabled: true, Deadline: t0.Add(time.Hour)}
	if !s.Patch(answered) {
		t.Fatal("Patch reports no change")
	}
	if !s.Patch(nb("n2", "RUNNING")) {
		t.Fatal("Patch reports no change")
	}
	want(t, s, "n1:STOPPING n2:STOPPING")
	if _, ok := s.expect["n1"]; ok {
		t.Error("the answer's STOPPING did not replace the optimistic one")
	}
	if in, _ := s.Get("n1"); !in.AutoStop.Deadline.Equal(t0.Add(time.Hour)) {
		t.Error("the answer's other fields were not taken")
	}
	s.Expire(t0.Add(ExpectFor))
	want(t, s, "n1:STOPPING n2:RUNNING") // n1 is the server's STOPPING: nothing to expire
}

func TestPatchIgnoresZeroAndUnknown(t *testing.T) {
	s := New()
	listed(t, s, nil, t0, nb("n1", "RUNNING"))
	s.Expect("n1", "STOPPING", t0)
	v := s.Version()
	if s.Patch(model.Instance{}) || s.Patch(nb("gone", "STOPPING")) || s.Version() != v {
		t.Error("a zero or unknown answer changed the store")
	}
	want(t, s, "n1:STOPPING")
}

// Rule 3: an updated instance replaces its row until the next listing; a
// listing already in flight when the answer came does not undo it.
func TestPatchSurvivesTheListingInFlight(t *testing.T) {
	s := New()
	listed(t, s, nil, t0, nb("n1", "STOPPED"), nb("n2", "STOPPED"))
	s.Begin(Notebooks, Full) // the poll is sent…
	upd := nb("n1", "STOPPED")
	upd.Description = "new text"
	s.Patch(upd) // …the update's answer arrives…
	old := nb("n1", "STOPPED")
	old.Description = "old text"
	listed(t, s, nil, t0.Add(time.Second), old, nb("n2", "STOPPED")) // …then the poll, read before it
	want(t, s, "n1:STOPPED n2:STOPPED")
	if in, _ := s.Get("n1"); in.Description != "new text" {
		t.Errorf("the listing in flight undid the update: %q", in.Description)
	}
	// The next listing is the truth again.
	listed(t, s, nil, t0.Add(2*time.Second), old, nb("n2", "STOPPED"))
	if in, _ := s.Get("n1"); in.Description != "old text" {
		t.Errorf("a later listing did not replace the patched row: %q", in.Description)
	}
	// A patched row the listing in flight no longer reports is still
	// dropped by it: the listing says it is gone.
	s.Begin(Notebooks, Full)
	s.Patch(nb("n2", "STARTING"))
	listed(t, s, nil, t0.Add(3*time.Second), old)
	want(t, s, "n1:STOPPED")
}

// Rule 2: a created instance is shown until a listing includes it, up to
// CreatedFor, and a listing without it does not drop it.
func TestCreatedRow(t *testing.T) {
	s := New()
	listed(t, s, nil, t0, nb("n1", "RUNNING"))
	if s.Created(model.Instance{}, t0) {
		t.Error("a zero create answer was added")
	}
	if !s.Created(nb("new", "CREATING"), t0) {
		t.Fatal("Created reports no change")
	}
	want(t, s, "n1:RUNNING new:CREATING")
	if !s.Changing() {
		t.Error("a created row not yet listed is not changing")
	}
	listed(t, s, nil, t0.Add(2*time.Second), nb("n1", "RUNNING"))
	want(t, s, "n1:RUNNING new:CREATING")
	if s.Expire(t0.Add(CreatedFor - time.Nanosecond)) {
		t.Error("expired before CreatedFor")
	}
	if !s.Expire(t0.Add(CreatedFor)) {
		t.Error("not expired at CreatedFor")
	}
	want(t, s, "n1:RUNNING")

	// Listed in time: the listing's row replaces it and it no longer
	// expires.
	s.Created(nb("new2", "CREATING"), t0)
	listed(t, s, nil, t0.Add(3*time.Second), nb("n1", "RUNNING"), nb("new2", "RUNNING"))
	s.Expire(t0.Add(time.Hour))
	want(t, s, "n1:RUNNING new2:RUNNING")
	// An already-listed ID is not added twice.
	if s.Created(nb("new2", "CREATING"), t0.Add(4*time.Second)) {
		t.Error("Created of a listed ID reports a change")
	}
	want(t, s, "n1:RUNNING new2:RUNNING")
	// Once listed, it is a row like any other: a complete listing without
	// it drops it.
	listed(t, s, nil, t0.Add(5*time.Second), nb("n1", "RUNNING"))
	want(t, s, "n1:RUNNING")
}

// An update right after a create patches the created row; an update
// answered during a listing still lets the listing adopt the row.
func TestPatchOfCreatedRow(t *testing.T) {
	s := New()
	s.Created(dev("d9", "CREATING"), t0)
	s.Begin(Gen1, Full)
	s.Patch(dev("d9", "STOPPED"))
	want(t, s, "d9:STOPPED")
	listed(t, s, nil, t0.Add(time.Second), dev("d9", "CREATING")) // guarded copy, but now listed
	want(t, s, "d9:STOPPED")
	s.Expire(t0.Add(CreatedFor))
	want(t, s, "d9:STOPPED") // a listed row does not expire
}

func TestChangingFollowsClasses(t *testing.T) {
	s := New()
	listed(t, s, nil, t0, nb("n1", "RUNNING"), dev("q", "CREATE_QUEUING"))
	if !s.Changing() {
		t.Error("a queued row is not changing")
	}
	listed(t, s, nil, t0.Add(time.Second), nb("n1", "RUNNING"), dev("q", "RUNNING"))
	if s.Changing() {
		t.Error("changing with every row settled")
	}
	s.Remove("n1", "q")
	if s.Changing() || s.Len() != 0 {
		t.Error("changing after removing every row")
	}
}

// Version changes exactly when something a query returns changes.
func TestVersionOnlyOnChange(t *testing.T) {
	s := New()
	listed(t, s, nil, t0, nb("n1", "RUNNING"))
	v := s.Version()
	s.Expire(t0.Add(time.Hour))
	s.Forget("n1")
	s.Patch(model.Instance{})
	s.Begin(Gen1, Changes)
	s.End(Gen1, nil, t0.Add(time.Second))
	_ = s.Instances()
	_, _ = s.Get("n1")
	if s.Version() != v {
		t.Errorf("version moved from %d to %d without a change", v, s.Version())
	}
}

// What Instances returns is not rebuilt: a change is made in place.
func TestInstancesNotRebuilt(t *testing.T) {
	s := New()
	listed(t, s, nil, t0, nb("n1", "RUNNING"), nb("n2", "RUNNING"))
	before := s.Instances()
	s.Expect("n1", "STOPPING", t0)
	after := s.Instances()
	if &before[0] != &after[0] {
		t.Error("Expect rebuilt the merged list")
	}
}

// A caller that changes what Get returned does not change the store.
func TestGetReturnsACopy(t *testing.T) {
	s := New()
	listed(t, s, nil, t0, nb("n1", "RUNNING"))
	in, _ := s.Get("n1")
	in.Status = "MINE"
	if got, _ := s.Get("n1"); got.Status != "RUNNING" {
		t.Error("Get returned the store's row")
	}
}

// Found (the tag search's answer): rows join at once, do not count as a
// listing's progress, survive the End of the listing in progress, and are
// dropped by the next full listing that does not report them. A stored
// row that is newer stays.
func TestFoundMergesASideQuery(t *testing.T) {
	s := New()
	listed(t, s, nil, t0, nb("n1", "RUNNING"), dev("d1", "RUNNING"))
	s.Begin(Notebooks, Full)
	s.Page(Notebooks, []model.Instance{nb("n1", "RUNNING")})
	v := s.Version()
	if !s.Found([]model.Instance{nb("n7", "RUNNING"), nb("n1", "STOPPING"), {}}) || s.Version() == v {
		t.Fatal("Found reports no change")
	}
	want(t, s, "d1:RUNNING n1:STOPPING n7:RUNNING")
	if st := s.Source(Notebooks); st.Seen != 1 {
		t.Errorf("a side query counted as the listing's progress: seen %d", st.Seen)
	}
	s.End(Notebooks, nil, t0.Add(time.Second))
	want(t, s, "d1:RUNNING n1:STOPPING n7:RUNNING") // the listing in progress keeps what was found

	newer := nb("n1", "STOPPED")
	newer.Updated = t0.Add(time.Minute)
	s.Page(Notebooks, []model.Instance{newer})
	older := nb("n1", "RUNNING")
	older.Updated = t0
	if s.Found([]model.Instance{older}) {
		t.Error("an older copy reported as a change")
	}
	want(t, s, "d1:RUNNING n1:STOPPED n7:RUNNING")

	listed(t, s, nil, t0.Add(2*time.Second), newer, dev("d1", "RUNNING"))
	want(t, s, "d1:RUNNING n1:STOPPED") // the next full listing says n7 is gone
}

// Package store is the dashboard's list state: the rows the server listed,
// per source, and what the user just did that no listing shows yet (an
// optimistic STOPPING, a created instance, an action's answer). It merges
// them into the one list the table draws.
//
// It is plain data: no Bubble Tea, no I/O, no goroutines and no clock of its
// own (a call that needs the time is given it). It is not safe for
// concurrent use: the dashboard calls it from Update only.
//
// # Sources
//
// The backend lists three parts, each of which can fail on its own: Gen 2
// notebooks (feature NOTEBOOK), Gen 2 CodeLab (feature DEFAULT) and Gen 1.
// Each is a Source; SourceOf tells an instance's source from its
// generation and feature. An instance ID is one row whichever source
// reports it: the latest report wins, so a notebook listed by two sources
// is never shown twice.
//
// # Listings
//
// A listing of a source is Begin, any number of Page calls, then End:
//
//   - Page's rows are in the merged list at once (the first page is on screen
//     before later pages arrive); rows not reported yet stay visible
//     meanwhile.
//   - End(src, nil, now) of a Full listing drops the source's rows it did not
//     report; a Changes listing (an incremental poll returning only changed
//     rows) drops nothing: deletions it learns of go to Remove. Either makes
//     the source fresh.
//   - End(src, err, now) drops nothing: the source keeps its last known rows
//     (updated by whatever pages did arrive) and is stale from the first
//     failure on, with the latest error, until a listing ends without one.
//   - Page outside a listing is an upsert; End outside one only records
//     freshness or staleness. A Begin while a listing is in progress starts
//     it over (rows already paged stay, nothing counts as reported).
//
// Listed feeds a whole ui.Backend.ListInstances result through the same
// steps: a *client.PartialError names the parts that failed, which keep
// their rows and turn stale, while the parts that succeeded are replaced; a
// listing that failed entirely keeps everything and marks every source
// stale. A failed flavor catalog only costs spec details and marks nothing.
//
// # What the user did
//
//   - Expect(id, status, now) shows an optimistic status (STOPPING after x)
//     while the server still reports the status the row had when it was
//     expected, for at most ExpectFor. A server row with any other status
//     (from a listing or from Patch) ends it, as do Forget (the action
//     failed) and Expire.
//   - Created(inst, now) shows a created instance until a listing reports it,
//     for at most CreatedFor. A Full listing that ends without it does not
//     drop it: the create may be newer than the listing.
//   - Patch(inst) puts an action's or an update's answer in place of the row
//     at once. It is a server row like any other, so the expectation rule
//     above applies: an answer saying STOPPING ends the optimistic STOPPING
//     (the truth now shows), one still saying RUNNING leaves it in place (the
//     service answered before it moved). A zero Instance (ID "") carries no
//     information and is ignored; so is an unknown ID, because a late answer
//     must not bring back a row a listing has since dropped. Pages of a
//     listing that was in progress when the answer came may hold a copy read
//     before it: they do not overwrite the patched row (the next listing
//     does). That is why the dashboard calls Begin when it sends a listing,
//     not only when the result arrives.
//
// # Changes and cost
//
// Version changes whenever what Instances, Get or Changing return changes,
// or a source turns stale or fresh; the dashboard hands the rows to the
// table only then. Each call costs what it touches, not the number of
// instances: a page its rows, Expire the pending expectations and created
// rows, Get a map lookup, Instances nothing (the merged list is kept up to
// date in place, never rebuilt). Only the End of a successful Full listing
// walks every row once, to drop the unreported ones, without allocating. A
// page counts as a change even when its rows equal the old ones: comparing
// them would cost as much as drawing them.
package store

import (
	"time"

	"matui/client"
	"matui/model"
)

// How long what the user did is shown before a listing confirms it.
const (
	// ExpectFor bounds an optimistic status the server never confirms.
	ExpectFor = 20 * time.Second
	// CreatedFor bounds a created instance no listing has reported.
	CreatedFor = time.Minute
)

// Source is one of the listings the backend makes.
type Source uint8

const (
	Notebooks  Source = iota // Gen 2, feature NOTEBOOK (the API's default)
	CodeLab                  // Gen 2, feature DEFAULT (the free CodeLab instance)
	Gen1                     // Gen 1 DevEnviron (/demanager/instances)
	NumSources               // how many there are: `for src := range store.NumSources`
)

// String is the source's name in a *client.PartialError (PartFailure.What).
func (s Source) String() string {
	switch s {
	case Notebooks:
		return "gen2 " + client.FeatureNotebook
	case CodeLab:
		return "gen2 " + client.FeatureCodeLab
	case Gen1:
		return "gen1"
	}
	return "source?"
}

// SourceOf is the listing an instance comes from. CodeLab is the Gen 2
// instance whose feature is DEFAULT; a Gen 2 instance without a feature is
// a notebook, as the API's default listing is.
func SourceOf(in *model.Instance) Source {
	switch {
	case in.Generation == model.Gen1:
		return Gen1
	case in.Feature == client.FeatureCodeLab:
		return CodeLab
	}
	return Notebooks
}

// Kind is what a listing covers.
type Kind uint8

const (
	// Full reports every row of its source: rows it does not report by a
	// successful End are gone.
	Full Kind = iota
	// Changes reports only rows that changed (an incremental poll):
	// nothing is dropped at its End.
	Changes
)

// SourceState is what the store knows about a source's freshness.
type SourceState struct {
	// Loading is true from Begin to End; Seen is how many distinct rows
	// the listing in progress has reported so far.
	Loading bool
	Seen    int
	// Listed is when the last listing that ended without an error ended;
	// zero before the first.
	Listed time.Time
	// StaleSince is when listing the source first failed after Listed,
	// and Err the latest failure; both zero while the source is fresh.
	StaleSince time.Time
	Err        error
}

// Stale reports whether the source's rows are older than its last listing
// attempt.
func (s SourceState) Stale() bool { return s.Err != nil }

// Store is the list's state. Make one with New.
type Store struct {
	// rows is the merged list in no particular order (the table sorts);
	// meta runs parallel to it and index maps an ID to its position.
	rows  []model.Instance
	meta  []rowMeta
	index map[string]int

	sources [NumSources]source

	// expect holds the optimistic statuses, created the rows a create
	// added that no listing has reported yet (until when they show).
	// Both stay small: they hold what the user did in the last minute.
	expect  map[string]expectation
	created map[string]time.Time

	changing int // rows whose class is transitional or queued
	version  uint64
}

type rowMeta struct {
	src  Source
	seen uint32 // epoch of the source's listing that last reported the row
}

type source struct {
	loading bool
	kind    Kind
	epoch   uint32 // numbers the source's listings
	seen    int
	// guard holds the rows patched while this listing was in progress:
	// its pages may predate the patch and must not overwrite it.
	guard      map[string]struct{}
	listed     time.Time
	staleSince time.Time
	err        error
}

// expectation is an optimistic status over the server's row. While it
// holds, the row shows status (class transitional) and the server's own
// status is from, its class kept in class to restore.
type expectation struct {
	status string
	from   string
	class  model.StatusClass
	until  time.Time
}

// New returns an empty store.
func New() *Store {
	return &Store{
		index:   map[string]int{},
		expect:  map[string]expectation{},
		created: map[string]time.Time{},
	}
}

// Version changes whenever the merged rows change or a source turns stale
// or fresh (see the package comment).
func (s *Store) Version() uint64 { return s.version }

// Instances is the merged list in no particular order. The slice is the
// store's own: read it, do not modify or keep it (the next change updates
// it in place).
func (s *Store) Instances() []model.Instance { return s.rows }

// Len is how many rows the merged list has.
func (s *Store) Len() int { return len(s.rows) }

// Get is the merged row of id.
func (s *Store) Get(id string) (model.Instance, bool) {
	i, ok := s.index[id]
	if !ok {
		return model.Instance{}, false
	}
	return s.rows[i], true
}

// Changing reports whether anything is on its way somewhere else: a row
// transitional or queued (an optimistic status is transitional), or a
// created row no listing has reported yet. The dashboard polls faster then.
func (s *Store) Changing() bool {
	return s.changing > 0 || len(s.created) > 0
}

// Source is the freshness of src.
func (s *Store) Source(src Source) SourceState {
	so := &s.sources[src]
	return SourceState{Loading: so.loading, Seen: so.seen, Listed: so.listed, StaleSince: so.staleSince, Err: so.err}
}

func (s *Store) bump() { s.version++ }

func isChanging(c model.StatusClass) bool {
	return c == model.ClassTransitional || c == model.ClassQueued
}

// setStatus changes the status and class of row i, keeping the changing
// count.
func (s *Store) setStatus(i int, status string, class model.StatusClass) {
	r := &s.rows[i]
	if isChanging(r.Class) {
		s.changing--
	}
	r.Status, r.Class = status, class
	if isChanging(class) {
		s.changing++
	}
}

// put writes inst as the server's row of its ID at position i, or appends
// it when i is len(rows), and applies the ID's expectation: it holds while
// the server reports the status it started from and ends otherwise.
func (s *Store) put(i int, inst *model.Instance) {
	status, class := inst.Status, inst.Class
	if e, ok := s.expect[inst.ID]; ok {
		if inst.Status == e.from {
			e.class = inst.Class
			s.expect[inst.ID] = e
			status, class = e.status, model.ClassTransitional
		} else {
			delete(s.expect, inst.ID)
		}
	}
	if i == len(s.rows) {
		s.rows = append(s.rows, *inst)
		s.meta = append(s.meta, rowMeta{})
		s.index[inst.ID] = i
		s.rows[i].Class = "" // counted by setStatus below
	} else {
		old := s.rows[i].Class
		s.rows[i] = *inst
		s.rows[i].Class = old
	}
	s.setStatus(i, status, class)
}

// remove drops row i: the last row takes its place.
func (s *Store) remove(i int) {
	id := s.rows[i].ID
	s.setStatus(i, "", "")
	last := len(s.rows) - 1
	if i != last {
		s.rows[i], s.meta[i] = s.rows[last], s.meta[last]
		s.index[s.rows[i].ID] = i
	}
	s.rows[last] = model.Instance{} // let the dropped row's memory go
	s.rows, s.meta = s.rows[:last], s.meta[:last]
	delete(s.index, id)
	delete(s.expect, id)
	delete(s.created, id)
	for src := range s.sources {
		delete(s.sources[src].guard, id)
	}
}

package client

import (
	"context"
	"errors"
	"sync"
	"time"

	"matui/model"
)

// DefaultResync is how long a Poller goes at most between full listings.
const DefaultResync = 5 * time.Minute

// maxDeleteChecks bounds the instances an incremental poll looks up one by
// one (GET /notebooks/{id}) to explain a lower total before it gives up and
// lists in full.
const maxDeleteChecks = 5

// PollerOptions configure a Poller.
type PollerOptions struct {
	// AllUsers and Sources are as in ListOptions.
	AllUsers bool
	Sources  []Source
	// ResyncEvery is the longest time between two full listings (default
	// DefaultResync); a negative value makes every poll a full listing.
	ResyncEvery time.Duration
}

// Poller decides, poll by poll, what a dashboard's listing has to ask for,
// so that a poll costs what changed rather than what exists. It keeps what
// it needs to decide and no more: per Gen 2 notebook its ID, update_at and
// whether it is being deleted; the newest update_at. The rules are in the package documentation ("Polling").
//
// Polls run one at a time (a second Poll waits for the first). Resync and
// Touched may be called at any time.
type Poller struct {
	c       *Client
	opts    PollerOptions
	runMu   sync.Mutex // one poll at a time
	mu      sync.Mutex // the state below
	nb      nbState
	codeLab codeLabState
	// resync: the next poll lists everything in full (Resync).
	resync bool
}

// nbState is what the Poller knows of SourceNotebooks.
type nbState struct {
	known    map[string]nbKnown // by ID
	newest   int64              // the newest update_at (ms) among known
	lastFull time.Time          // when the last complete full listing began
	needFull bool               // the next poll must list in full
	// noIncremental: the server cannot serve incremental polls (it refused
	// sort_key=update_at, or its notebooks carry no update_at).
	noIncremental bool
	// watch are IDs an action touched: checked one by one when the total
	// drops, like instances seen DELETING.
	watch map[string]struct{}

	// During a full listing: what it has seen so far.
	next map[string]nbKnown
}

type nbKnown struct {
	updateAt int64 // ms
	deleting bool
}

// codeLabState is what the Poller knows of SourceCodeLab: at most a few
// instances (one per user), so whole Instances are kept.
type codeLabState struct {
	listed  bool // listed at least once, successfully
	insts   []model.Instance
	touched bool
	failed  bool
	next    []model.Instance // during a listing
}

// NewPoller returns a Poller over c. Its first poll is a full listing.
func (c *Client) NewPoller(opts PollerOptions) *Poller {
	if opts.ResyncEvery == 0 {
		opts.ResyncEvery = DefaultResync
	}
	return &Poller{c: c, opts: opts, nb: nbState{needFull: true}}
}

// Resync makes the next poll a full listing of every source (the user
// asked for a refresh, or the dashboard's view of the rows was reset).
func (p *Poller) Resync() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.resync = true
}

// Touched tells the Poller that inst was just acted on (created, started,
// stopped, deleted, CodeLab opened): its source is listed on the next poll
// even where the rules would skip it, and a Gen 2 notebook is looked up by
// ID should the count of notebooks drop. Pass the instance as the action
// answered it, or as it was when the answer said nothing.
func (p *Poller) Touched(inst model.Instance) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if inst.Generation != model.Gen2 {
		return // Gen 1 is listed on every poll
	}
	if inst.Feature == FeatureCodeLab {
		p.codeLab.touched = true
		return
	}
	if inst.ID == "" {
		return
	}
	if p.nb.watch == nil {
		p.nb.watch = map[string]struct{}{}
	}
	p.nb.watch[inst.ID] = struct{}{}
	if k, ok := p.nb.known[inst.ID]; ok && inst.Status == "DELETING" {
		k.deleting = true
		p.nb.known[inst.ID] = k
	}
}

// Start runs Poll in the background, as a Listing.
func (p *Poller) Start(ctx context.Context) *Listing {
	return startListing(ctx, p.Poll)
}

// Poll lists what the rules say has to be listed and hands every page to
// sink (as StreamInstances does; its result is StreamInstances' result).
func (p *Poller) Poll(ctx context.Context, sink func(Page)) error {
	p.runMu.Lock()
	defer p.runMu.Unlock()
	srcs := p.opts.Sources
	if srcs == nil {
		srcs = InstanceSources()
	}
	now := p.c.now()
	plans := make([]sourcePlan, 0, len(srcs))
	p.mu.Lock()
	full := p.resync || p.opts.ResyncEvery < 0
	p.resync = false
	if !p.nb.lastFull.IsZero() && now.Sub(p.nb.lastFull) >= p.opts.ResyncEvery {
		full = true
	}
	for _, s := range srcs {
		switch s {
		case SourceNotebooks:
			plans = append(plans, p.notebooksPlan(full, now))
		case SourceCodeLab:
			plans = append(plans, p.codeLabPlan(full))
		default:
			// Gen 1 has no incremental listing: one request (limit 0)
			// lists it whole, on every poll.
			plans = append(plans, sourcePlan{src: s})
		}
	}
	p.mu.Unlock()
	return p.c.stream(ctx, p.opts.AllUsers, plans, sink)
}

// notebooksPlan is SourceNotebooks' plan for this poll. Called with p.mu.
func (p *Poller) notebooksPlan(full bool, now time.Time) sourcePlan {
	s := &p.nb
	plan := sourcePlan{src: SourceNotebooks, observe: func(pg Page) { p.observeNotebooks(pg, now) }}
	if full || s.needFull || s.noIncremental || s.known == nil {
		return plan
	}
	plan.incremental = true
	// Pages of update_at DESC are followed while the oldest instance on
	// the page is not older than the newest the poller knew: beyond it
	// nothing can have changed. (This trusts the service to record
	// update_at in the order changes happen. A margin below the newest
	// would guard against a service that does not, but costs a page per
	// 50 changes inside the margin: after a burst of starts every poll
	// would re-read the burst. The periodic resync covers the rest.)
	floor := s.newest
	plan.more = func(page []model.Instance) bool {
		return len(page) > 0 && page[len(page)-1].Updated.UnixMilli() >= floor
	}
	plan.keep = func(page []model.Instance) []model.Instance {
		p.mu.Lock()
		defer p.mu.Unlock()
		out := page[:0:0]
		for _, in := range page {
			k, ok := s.known[in.ID]
			if !ok || in.Updated.UnixMilli() > k.updateAt || k.deleting != (in.Status == "DELETING") {
				out = append(out, in)
			}
		}
		return out
	}
	plan.check = p.checkNotebooks
	return plan
}

// observeNotebooks learns from SourceNotebooks' pages.
func (p *Poller) observeNotebooks(pg Page, pollStart time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := &p.nb
	if pg.Incremental {
		for _, in := range pg.Instances {
			s.learn(s.known, in)
		}
		for _, id := range pg.Removed {
			delete(s.known, id)
			delete(s.watch, id)
		}
		if pg.Last && pg.Err != nil {
			s.needFull = true
			if e, ok := asAPIError(pg.Err); ok && codeNumber(e.Code) == "6303" {
				s.noIncremental = true // sort_key=update_at is not supported here
			}
		}
		return
	}
	if pg.First || s.next == nil {
		s.next = make(map[string]nbKnown, max(len(s.known), pg.Total, 0))
	}
	for _, in := range pg.Instances {
		s.learn(s.next, in)
	}
	if !pg.Last {
		return
	}
	switch {
	case pg.Err != nil && !errors.Is(pg.Err, ErrPageCap):
		s.needFull = true // the known state stands; try again in full
	case pg.Complete:
		// Every page of a listing comes within one poll (polls run one at
		// a time and each listing ends with its Last page), so the listing
		// began when this poll did.
		s.known, s.lastFull, s.needFull, s.watch = s.next, pollStart, false, nil
		s.newest = 0
		for _, k := range s.known {
			s.newest = max(s.newest, k.updateAt)
		}
	default:
		// Incomplete (an instance disappeared while pages were fetched, or
		// the listing was capped): keep what it saw, list in full again.
		if s.known == nil {
			s.known = map[string]nbKnown{}
		}
		for id, k := range s.next {
			s.known[id] = k
		}
		s.needFull = true
	}
	s.next = nil
}

// learn records in into m and raises newest.
func (s *nbState) learn(m map[string]nbKnown, in model.Instance) {
	if m == nil {
		return
	}
	upd := in.Updated.UnixMilli()
	if in.Updated.IsZero() {
		// Without update_at an incremental poll cannot tell what changed.
		s.noIncremental = true
		upd = 0
	}
	m[in.ID] = nbKnown{updateAt: upd, deleting: in.Status == "DELETING"}
	s.newest = max(s.newest, upd)
}

// checkNotebooks runs after an incremental poll's pages: the server's total
// must equal the notebooks the poller knows. When it is lower, the
// instances seen DELETING or touched by an action are looked up one by one
// (at most maxDeleteChecks): those gone are removed. Anything else
// unexplained (a higher total: a creation the pages did not show; more
// than a few missing) asks for a full listing in the same poll.
func (p *Poller) checkNotebooks(ctx context.Context, total int) (removed []string, full bool) {
	p.mu.Lock()
	s := &p.nb
	have := len(s.known)
	var cands []string
	if total < have {
		for id, k := range s.known {
			if _, w := s.watch[id]; k.deleting || w {
				cands = append(cands, id)
			}
		}
	}
	p.mu.Unlock()
	if total == have {
		return nil, false
	}
	if total > have || len(cands) == 0 || len(cands) > maxDeleteChecks || have-total > len(cands) {
		return nil, true
	}
	for _, id := range cands {
		_, err := p.c.ShowNotebook(ctx, id)
		switch {
		case IsNotFound(err):
			removed = append(removed, id)
		case err != nil:
			return nil, true
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, id := range removed {
		delete(s.known, id)
		delete(s.watch, id)
	}
	return removed, len(s.known) != total
}

// codeLabPlan is SourceCodeLab's plan. CodeLab holds at most one free
// instance per user, which the user opens through matui (Touched) far more
// often than elsewhere; it is listed on full resyncs, when touched, after
// a failure, while a known CodeLab instance is changing (transitional or
// queued), and once a known one's auto-stop deadline has passed, and is
// skipped otherwise. Called with p.mu.
func (p *Poller) codeLabPlan(full bool) sourcePlan {
	s := &p.codeLab
	plan := sourcePlan{src: SourceCodeLab, observe: p.observeCodeLab}
	due := full || !s.listed || s.touched || s.failed
	for _, in := range s.insts {
		if in.Class == model.ClassTransitional || in.Class == model.ClassQueued ||
			!in.AutoStop.Deadline.IsZero() && !in.AutoStop.Deadline.After(p.c.ServerNow()) && in.Class == model.ClassRunning {
			due = true
		}
	}
	if !due {
		plan.skip = true
		plan.observe = nil
	}
	s.touched = false
	return plan
}

func (p *Poller) observeCodeLab(pg Page) {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := &p.codeLab
	if pg.First {
		s.next = nil
	}
	s.next = append(s.next, pg.Instances...)
	if !pg.Last {
		return
	}
	if pg.Err != nil && !errors.Is(pg.Err, ErrPageCap) {
		s.failed = true
		return
	}
	s.insts, s.next, s.listed, s.failed = s.next, nil, true, false
}

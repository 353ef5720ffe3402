package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"sync"

	"matui/model"
)

// Streaming listings: every source's pages are handed to a sink as they
// arrive. See the package documentation ("Listing") for how a dashboard
// consumes them.

// Source names one of the listings a dashboard listing combines. The
// values are the names PartFailure.What uses.
type Source string

const (
	// SourceNotebooks is the Gen 2 listing of billed notebooks
	// (feature NOTEBOOK), from /notebooks or, for all users, /notebooks/all.
	SourceNotebooks Source = "gen2 " + FeatureNotebook
	// SourceCodeLab is the Gen 2 listing of free CodeLab instances
	// (feature DEFAULT, hidden from the default listing).
	SourceCodeLab Source = "gen2 " + FeatureCodeLab
	// SourceGen1 is the Gen 1 DevEnviron listing.
	SourceGen1 Source = "gen1"
	// SourceFlavors is the Gen 2 flavor catalog the notebooks' specs are
	// looked up in. It has no instances: a listing sends a page for it
	// only when it failed (the specs are then guessed from flavor IDs).
	SourceFlavors Source = "flavors"
)

// InstanceSources are the listings with instances, in the order
// ListInstances concatenates them. The first one listed sends its first
// request alone (see ListInstances).
func InstanceSources() []Source { return []Source{SourceNotebooks, SourceCodeLab, SourceGen1} }

// Page is one page of one source's listing.
type Page struct {
	Source Source
	// Instances are this page's instances, normalised. Apply them by
	// (Generation, ID): a page may repeat instances an earlier page of
	// the same listing carried (offset paging over a list that changes
	// meanwhile; the first page again once the flavor catalog arrived).
	Instances []model.Instance
	// Provisional pages are delivered again later in the same listing
	// with more detail (the first page, before the flavor catalog was in,
	// has specs guessed from flavor IDs): a dashboard shows them at once,
	// a consumer that writes each instance once (`matui list`) skips them.
	Provisional bool
	// Removed are IDs of Source's instances known to be gone (an
	// incremental poll that checked them one by one).
	Removed []string
	// Total is the server's count of Source's instances (Gen 2 total,
	// Gen 1 total_count) as of this page; -1 when unknown.
	Total int
	// Listed counts the instances a full listing of Source has delivered
	// so far, this page included (progress: Listed of Total). 0 on
	// incremental pages.
	Listed int
	// First marks the first page of a listing of Source: a full listing
	// starts over, an incremental one starts checking.
	First bool
	// Incremental pages carry only what changed: every instance of Source
	// they do not mention stands as it was.
	Incremental bool
	// Last is the final page of this listing of Source. Every listed
	// source ends with exactly one Last page per listing (a listing that
	// checks incrementally and then lists in full has two).
	Last bool
	// Complete, on a Last page of a full listing, says the pages since
	// First hold every instance of Source: the rows of Source that none of
	// them carried are gone. It is false when the listing failed, was
	// incremental or skipped, or saw fewer distinct instances than the
	// server's total (offset paging over a list that lost an instance
	// meanwhile); the rows then stand.
	Complete bool
	// Err is why Source failed (Last is set): its earlier rows stand and
	// are stale. Pages delivered before the failure are valid. An error
	// wrapping ErrPageCap comes after the pages that were listed.
	Err error
}

// ListOptions select what a streamed listing covers.
type ListOptions struct {
	// AllUsers lists every user's instances (the admin scope, like
	// kubectl -A): Gen 2 from GET /notebooks/all, Gen 1 with
	// show_self=false. Credentials that may not do so get a
	// *NotAdminError (IsNotAdmin) from the first request.
	AllUsers bool
	// Sources restricts the listing (e.g. only SourceGen1 for
	// `matui list --gen 1`); nil lists InstanceSources().
	Sources []Source
	// Tags lists only the Gen 2 notebooks carrying these tags, with the
	// service's own filter (the list API's tags query; model.MatchTags
	// says how items combine). Gen 1 instances have no tags: with Tags set
	// Gen 1 is not listed at all.
	Tags []model.TagFilter
}

// NotAdminError is the answer to an all-users listing whose credentials
// are not an administrator's: the service refused GET /notebooks/all with
// HTTP 403. The listing stops there (no other request is sent); the user's
// own instances are listed without ListOptions.AllUsers.
type NotAdminError struct {
	Err error // the *APIError
}

func (e *NotAdminError) Error() string {
	return "listing every user's notebooks was refused (these credentials are not an administrator's): " + e.Err.Error()
}

func (e *NotAdminError) Unwrap() error { return e.Err }

// IsNotAdmin reports whether err is the refusal of an all-users listing.
// Check it before IsAuth, which is true for it as well (it is an
// authorisation failure) but means "the credentials are refused" and
// stops a dashboard's polling.
func IsNotAdmin(err error) bool {
	var e *NotAdminError
	return errors.As(err, &e)
}

// asNotAdmin wraps the answer of /notebooks/all when it is a refusal of the
// scope: HTTP 403, except the codes that mean the credentials or the
// project themselves are wrong (credentialsRefused: APIG.0301,
// ModelArts.02xx tokens and signatures, 0210 project mismatch).
func asNotAdmin(err error) error {
	if e, ok := asAPIError(err); !ok || e.HTTPStatus != http.StatusForbidden || credentialsRefused(e) {
		return err
	}
	return &NotAdminError{Err: err}
}

// sourcePlan is how one source is listed in one streamed listing.
type sourcePlan struct {
	src Source
	// skip: no request; the source gets one Last, Incremental page and
	// its rows stand (the Poller decided nothing can have changed).
	skip bool
	// incremental (Gen 2 only): pages sorted by update_at DESC, delivered
	// as Incremental, while more says another page is needed. After the
	// last one, check (when set) runs and may report removed IDs or ask
	// for a full listing, which then follows in the same stream.
	incremental bool
	more        func(page []model.Instance) bool
	check       func(ctx context.Context, total int) (removed []string, full bool)
	// keep, when set, picks what an incremental page delivers (what
	// changed) out of what it holds.
	keep func(page []model.Instance) []model.Instance
	// tags (Gen 2 only) is the list API's tags filter (ListOptions.Tags).
	tags []model.TagFilter
	// observe, when set, sees each page before the sink (the Poller
	// learns from them).
	observe func(Page)
}

// StreamInstances lists the sources opts selects and hands each page to
// sink as it arrives: every source (Gen 2 notebooks, CodeLab, Gen 1) is
// listed concurrently and independently once the first request has
// succeeded, each within the client's rate limit. sink is called from the
// listing's goroutines, one call at a time; it should return quickly (a
// slow sink holds back the sources waiting to deliver). The result is what
// ListInstances returns as its error: nil, a *PartialError naming the
// sources that failed, or the error of a listing where nothing could be
// listed. Cancelling ctx stops every request.
func (c *Client) StreamInstances(ctx context.Context, opts ListOptions, sink func(Page)) error {
	srcs := opts.Sources
	if srcs == nil {
		srcs = InstanceSources()
	}
	plans := make([]sourcePlan, 0, len(srcs))
	for _, s := range srcs {
		switch {
		case s == SourceGen1 && len(opts.Tags) > 0:
			// no tags, so nothing would match
		case s == SourceNotebooks, s == SourceCodeLab, s == SourceGen1:
			plans = append(plans, sourcePlan{src: s, tags: opts.Tags})
		default:
			return fmt.Errorf("list: unknown source %q", s)
		}
	}
	return c.stream(ctx, opts.AllUsers, plans, sink)
}

// stream runs plans. The first plan that sends a request sends its first
// one alone and decides whether the others are worth sending: refused
// credentials (firing every listing at once would spend several of the
// five bad signatures after which the gateway locks the AK), a refused
// all-users scope, or no answer at all (an unreachable endpoint: more
// requests would only repeat the same retries) end the listing there. An
// API error that concerns only that listing does not.
func (c *Client) stream(ctx context.Context, all bool, plans []sourcePlan, sink func(Page)) error {
	var mu sync.Mutex
	emitter := func(p sourcePlan) func(Page) {
		return func(pg Page) {
			if p.observe != nil {
				p.observe(pg)
			}
			mu.Lock()
			defer mu.Unlock()
			sink(pg)
		}
	}
	results := make([]error, len(plans)) // per plan: nil, or why it failed
	listed := make([]bool, len(plans))   // sent requests and did not fail outright
	needsFlavors := false
	for _, p := range plans {
		if !p.skip && p.src != SourceGen1 {
			needsFlavors = true
		}
	}
	cat := newCatalogWait(c)

	// The first request, alone.
	first := -1
	for i, p := range plans {
		if p.skip || p.src == SourceGen1 && c.gen1Absent() {
			continue
		}
		first = i
		break
	}
	var cont func() error // the rest of the first plan's listing
	if first >= 0 {
		p := plans[first]
		var err error
		cont, err = c.startSource(ctx, all, p, cat, emitter(p))
		if err != nil && !errors.Is(err, ErrPageCap) {
			var api *APIError
			if IsAuth(err) || IsNotAdmin(err) || ctx.Err() != nil || !errors.As(err, &api) {
				// Stop here: the first plan already ended with its error
				// page; the others get theirs without a request.
				for i, q := range plans {
					if i != first {
						emitter(q)(Page{Source: q.src, Total: -1, First: true, Last: true, Err: err})
					}
				}
				return err
			}
		}
		results[first], listed[first] = err, true
	}

	var wg sync.WaitGroup
	if needsFlavors {
		wg.Go(func() {
			if err := cat.fetch(ctx); err != nil {
				emitter(sourcePlan{})(Page{Source: SourceFlavors, Total: -1, First: true, Last: true, Err: err})
			}
		})
	} else {
		cat.skip()
	}
	if cont != nil {
		wg.Go(func() { results[first] = cont() })
	}
	for i, p := range plans {
		if i == first {
			continue
		}
		emit := emitter(p)
		switch {
		case p.skip:
			emit(Page{Source: p.src, Total: -1, First: true, Incremental: true, Last: true})
			continue
		case p.src == SourceGen1 && c.gen1Absent():
			// Reported once as a failure (a *PartialError), then skipped
			// for gen1AbsentFor: an API that does not exist has no rows.
			emit(Page{Source: p.src, Total: 0, First: true, Last: true, Complete: true})
			continue
		}
		listed[i] = true
		wg.Go(func() {
			next, err := c.startSource(ctx, all, p, cat, emit)
			if err == nil && next != nil {
				err = next()
			}
			results[i] = err
		})
	}
	wg.Wait()

	var (
		pe PartialError
		ok int
	)
	for i, p := range plans {
		if !listed[i] {
			continue
		}
		if err := results[i]; err != nil {
			pe.Failed = append(pe.Failed, PartFailure{What: string(p.src), Err: err})
			if !errors.Is(err, ErrPageCap) { // the items so far were delivered
				continue
			}
		}
		ok++
	}
	if err := cat.err(); err != nil {
		pe.Failed = append(pe.Failed, PartFailure{What: string(SourceFlavors), Err: err})
	}
	if ok == 0 && len(pe.Failed) > 0 {
		// Nothing listed: this is a failure, not a partial listing; the
		// first error (the main listing's) is the one worth showing.
		if len(pe.Failed) == 1 {
			return pe.Failed[0].Err
		}
		errs := make([]error, len(pe.Failed))
		for i, f := range pe.Failed {
			errs[i] = fmt.Errorf("%s: %w", f.What, f.Err)
		}
		return fmt.Errorf("listing failed: %w", errors.Join(errs...))
	}
	if len(pe.Failed) > 0 {
		return &pe
	}
	return nil
}

// startSource sends p's first request and delivers its page. When the
// listing needs more requests, next continues it (to be run concurrently
// with the other sources); nil when the source is done. A failure has
// already been delivered as the source's Last page when err is returned.
func (c *Client) startSource(ctx context.Context, all bool, p sourcePlan, cat *catalogWait, emit func(Page)) (next func() error, err error) {
	if p.src == SourceGen1 {
		return c.streamGen1(ctx, all, emit)
	}
	feature := FeatureNotebook
	if p.src == SourceCodeLab {
		feature = FeatureCodeLab
	}
	g := newGen2Pager(c, all, feature, cat, emit)
	g.incremental, g.more, g.keep, g.tags = p.incremental, p.more, p.keep, p.tags
	done, err := g.page(ctx)
	if err != nil && !g.ending {
		return nil, err
	}
	if !p.incremental && done && !g.ending {
		return nil, nil
	}
	return func() error {
		if err := g.rest(ctx, done); err != nil {
			return err
		}
		if !p.incremental {
			return nil
		}
		// The incremental check ends with its own Last page, then a full
		// listing follows when the check asks for one.
		var removed []string
		full := false
		if p.check != nil {
			removed, full = p.check(ctx, g.total)
		}
		emit(Page{Source: p.src, Removed: removed, Total: g.total, Incremental: true, Last: true})
		if !full || ctx.Err() != nil {
			return nil
		}
		return newGen2Pager(c, all, feature, cat, emit).rest(ctx, false)
	}, nil
}

// gen2Pager follows the pages of one Gen 2 listing: a full one in the
// server's default order (create_at DESC, which creations and deletions
// shift but updates do not), or an incremental one (update_at DESC).
type gen2Pager struct {
	c           *Client
	all         bool
	feature     string
	cat         *catalogWait
	emit        func(Page)
	incremental bool
	more        func([]model.Instance) bool
	keep        func([]model.Instance) []model.Instance
	tags        []model.TagFilter

	// guard follows the offset and stops a broken or lying server
	// (pageGuard); its distinct IDs tell whether a full listing is Complete.
	guard  *pageGuard
	total  int
	known  bool // total is the server's (a page arrived)
	listed int
	// early is the first page when it was normalised before the flavor
	// catalog was known (a cold start): it is delivered again, with its
	// specs, once the catalog arrives. mu guards it once the catalog's
	// callback may run, and orders that delivery before the Last page.
	mu    sync.Mutex
	early []byte
	// shrank: the total went down during the listing (see page).
	shrank bool
	// ending: the last page went out without Last; end finishes.
	ending bool
	endErr error
	// failErr: the listing ended with this error (its Last page delivered).
	failErr error
}

func newGen2Pager(c *Client, all bool, feature string, cat *catalogWait, emit func(Page)) *gen2Pager {
	return &gen2Pager{c: c, all: all, feature: feature, cat: cat, emit: emit,
		guard: newPageGuard("list notebooks", notebookPageLimit, c.maxList)}
}

func (g *gen2Pager) src() Source { return Source("gen2 " + g.feature) }

// page fetches and delivers the next page; done reports that the listing
// has ended: its Last page is delivered (for an incremental listing, the
// caller delivers it after the check).
func (g *gen2Pager) page(ctx context.Context) (done bool, err error) {
	first := g.guard.offset == 0
	q := url.Values{}
	q.Set("feature", g.feature)
	q.Set("limit", strconv.Itoa(notebookPageLimit))
	if g.guard.offset > 0 {
		q.Set("offset", strconv.Itoa(g.guard.offset))
	}
	if g.incremental {
		q.Set("sort_key", "update_at")
		q.Set("sort_dir", "DESC")
	}
	setIf(q, "tags", model.FormatTagFilter(g.tags))
	path := "/notebooks"
	if g.all {
		path = "/notebooks/all"
	}
	body, err := g.c.send(ctx, request{method: http.MethodGet, path: path, query: q})
	if err != nil {
		if g.all {
			err = asNotAdmin(err)
		}
		return true, g.finish(ctx, first, err)
	}
	// The first page of a listing does not wait for the flavor catalog
	// (it is fetched only after this very request succeeded): it is
	// normalised with the catalog as cached, which on a cold start is
	// none, and delivered again once the catalog is in.
	flavors, ready := g.cat.now()
	if !ready && !first {
		flavors = g.cat.wait(ctx)
	}
	total, insts, err := model.DecodeNotebookInstances(body, lookup(flavors))
	if err != nil {
		return true, g.finish(ctx, first, fmt.Errorf("GET %s: decoding response: %w", path, err))
	}
	early := first && !ready && flavors == nil && len(insts) > 0
	if early {
		g.early = body // not shared yet: the catalog learns of it after page 1 is out
	}
	if g.known && total < g.total {
		// Something was deleted while the pages were fetched: if it was
		// before the offset, everything after it moved up one and an
		// instance was skipped between two pages. (Creations only move
		// the list down, which repeats an instance instead.)
		g.shrank = true
	}
	g.total, g.known = total, true
	ids := make([]string, len(insts))
	for i := range insts {
		ids[i] = insts[i].ID
	}
	done, keep, capErr := g.guard.page(ids, int64(total))
	if !keep {
		insts = nil // a page that added nothing new: the server wraps around or ignores the offset
	}
	if !g.incremental {
		g.listed += len(insts)
	}
	if !done && g.incremental && g.more != nil && !g.more(insts) {
		done = true
	}
	pg := Page{Source: g.src(), Instances: insts, Total: total, Listed: g.listed, First: first, Incremental: g.incremental,
		Provisional: early}
	if g.keep != nil {
		pg.Instances = g.keep(insts)
	}
	if done && capErr == nil && !g.hasEarly() && !g.incremental {
		pg.Last, pg.Complete = true, g.complete() // the common end: one page, no extra
		g.emit(pg)
		return true, nil
	}
	g.emit(pg)
	if early {
		// Deliver the page again as soon as the catalog is in, not only
		// when the listing ends: later pages may take long.
		total, listed := g.total, g.listed
		g.cat.onReady(func() {
			g.mu.Lock()
			defer g.mu.Unlock()
			if body := g.early; body != nil {
				g.early = nil
				if again := g.againPage(body, g.cat.cat, total, listed); again != nil {
					g.emit(*again)
				}
			}
		})
	}
	if done || capErr != nil {
		// The rest of the ending (the early page again, the Last page)
		// may wait for the flavor catalog, which is fetched only after the
		// very first request returns: end runs it.
		g.ending, g.endErr = true, capErr
		return true, capErr
	}
	return false, nil
}

// rest fetches the pages left (none when done: the last one is in) and
// ends the listing. Its result is the listing's failure (delivered with
// its Last page), if any.
func (g *gen2Pager) rest(ctx context.Context, done bool) error {
	for !done {
		done, _ = g.page(ctx) // a failure ends up in failErr, by page or end
	}
	_ = g.end(ctx)
	return g.failErr
}

// end completes a listing whose last page did not carry Last (see page).
func (g *gen2Pager) end(ctx context.Context) error {
	if !g.ending {
		return nil
	}
	g.ending = false
	return g.finish(ctx, false, g.endErr)
}

// complete reports whether a full listing saw every instance: as many
// distinct ones as the server's total, which never went down meanwhile.
func (g *gen2Pager) complete() bool {
	return !g.incremental && !g.shrank && len(g.guard.seen) >= g.total
}

// finish ends a listing: the early page again with its specs, then the
// Last page (failed with err, or complete when every instance was seen),
// one page when it can be. An incremental listing that did not fail gets
// its Last page from the caller. It returns err.
func (g *gen2Pager) finish(ctx context.Context, first bool, err error) error {
	// Held to the end: the catalog's callback (above) must not deliver the
	// early page after this listing's Last page.
	g.mu.Lock()
	defer g.mu.Unlock()
	var again *Page
	if body := g.early; body != nil {
		g.early = nil
		again = g.againPage(body, g.cat.wait(ctx), g.total, g.listed)
	}
	if err == nil && g.incremental {
		if again != nil {
			g.emit(*again)
		}
		return nil
	}
	total := -1
	if g.known {
		total = g.total
	}
	pg := Page{Source: g.src(), Total: total, Listed: g.listed, First: first, Incremental: g.incremental}
	if again != nil {
		if err != nil {
			g.emit(*again)
		} else {
			pg = *again
		}
	}
	pg.Last, pg.Err = true, err
	pg.Complete = err == nil && g.complete()
	g.emit(pg)
	if err != nil {
		g.failErr = err
	}
	return err
}

// againPage is the early first page again with the catalog's specs; nil
// when the catalog could not be fetched.
func (g *gen2Pager) againPage(body []byte, flavors map[string]model.NotebookFlavor, total, listed int) *Page {
	if flavors == nil {
		return nil
	}
	_, insts, err := model.DecodeNotebookInstances(body, lookup(flavors))
	if err != nil || len(insts) == 0 {
		return nil
	}
	pg := &Page{Source: g.src(), Instances: insts, Total: total, Listed: listed, Incremental: g.incremental}
	if g.incremental {
		pg.Listed = 0
		if g.keep != nil {
			pg.Instances = g.keep(insts)
		}
	}
	return pg
}

func (g *gen2Pager) hasEarly() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.early != nil
}

func lookup(flavors map[string]model.NotebookFlavor) func(string) (model.NotebookFlavor, bool) {
	return func(id string) (model.NotebookFlavor, bool) {
		f, ok := flavors[id]
		return f, ok
	}
}

// gen1Batch is how many Gen 1 instances a page delivers: the list comes in
// one answer (20,000 instances are 27 MB), decoded and handed on in
// batches so that the first rows do not wait for the last.
const gen1Batch = 500

// streamGen1 lists Gen 1. limit 0 asks for everything in one answer
// (reference §2.1), delivered in batches of gen1Batch as it is decoded;
// should a server page anyway (fewer instances than total_count), the
// offset follows.
func (c *Client) streamGen1(ctx context.Context, all bool, emit func(Page)) (func() error, error) {
	listed := 0
	guard := newPageGuard("list dev instances", 0, c.maxList) // limit 0: the server chose the page size
	first := true
	step := func() (done bool, err error) {
		q := url.Values{}
		q.Set("de_type", "Notebook")
		if all {
			q.Set("show_self", "false") // every user's instances (§2.1)
		}
		if guard.offset > 0 {
			q.Set("offset", strconv.Itoa(guard.offset))
		}
		body, err := c.send(ctx, request{method: http.MethodGet, path: "/demanager/instances", query: q})
		if err == nil {
			var (
				ids    []string // of this answer, for the guard
				capErr error
			)
			err = model.DecodeDevInstancesEach(body, gen1Batch, func(insts []model.Instance, total int, last bool) {
				listed += len(insts)
				for _, in := range insts {
					ids = append(ids, in.ID)
				}
				pg := Page{Source: SourceGen1, Instances: insts, Total: total, Listed: listed, First: first}
				first = false
				if last {
					done, _, capErr = guard.page(ids, int64(total))
					if done {
						pg.Last, pg.Err = true, capErr
						pg.Complete = capErr == nil && len(guard.seen) >= total
					}
				}
				emit(pg)
			})
			if err == nil {
				return done, capErr
			}
			err = fmt.Errorf("GET /demanager/instances: decoding response: %w", err)
		}
		if isAPIAbsent(err) {
			c.markGen1Absent()
		}
		emit(Page{Source: SourceGen1, Total: -1, Listed: listed, First: first, Last: true, Err: err})
		return true, err
	}
	done, err := step()
	if err != nil || done {
		return nil, err
	}
	return func() error {
		for !done {
			if done, err = step(); err != nil {
				return err
			}
		}
		return nil
	}, nil
}

// catalogWait is the flavor catalog of one listing: fetched once, after
// the first request, and waited for by the Gen 2 pages that need it.
type catalogWait struct {
	c     *Client
	done  chan struct{} // closed when cat and e are set
	once  sync.Once
	cat   map[string]model.NotebookFlavor
	fetch func(ctx context.Context) error
	e     error

	cbMu sync.Mutex
	cbs  []func() // onReady callbacks not run yet
}

func newCatalogWait(c *Client) *catalogWait {
	w := &catalogWait{c: c, done: make(chan struct{})}
	w.fetch = func(ctx context.Context) error {
		cat, err := c.flavorCatalog(ctx)
		w.once.Do(func() {
			w.cat, w.e = cat, err
			close(w.done)
		})
		w.cbMu.Lock()
		cbs := w.cbs
		w.cbs = nil
		w.cbMu.Unlock()
		for _, f := range cbs {
			f()
		}
		return err
	}
	return w
}

// onReady runs f once the catalog is in: now if it is, else from the
// goroutine that fetched it (after done is closed, so that f may take a
// lock whose holder waits for the catalog).
func (w *catalogWait) onReady(f func()) {
	w.cbMu.Lock()
	select {
	case <-w.done:
		w.cbMu.Unlock()
		f()
		return
	default:
	}
	w.cbs = append(w.cbs, f)
	w.cbMu.Unlock()
}

// skip marks the catalog as not needed (no Gen 2 source is listed).
func (w *catalogWait) skip() {
	w.once.Do(func() {
		w.cat = w.c.cachedFlavors()
		close(w.done)
	})
}

// now returns the catalog if it is in, else the cached one and false.
func (w *catalogWait) now() (map[string]model.NotebookFlavor, bool) {
	select {
	case <-w.done:
		return w.cat, true
	default:
		return w.c.cachedFlavors(), false
	}
}

// wait blocks until the catalog is in (or ctx ends: then the cached one).
func (w *catalogWait) wait(ctx context.Context) map[string]model.NotebookFlavor {
	select {
	case <-w.done:
		return w.cat
	case <-ctx.Done():
		return w.c.cachedFlavors()
	}
}

func (w *catalogWait) err() error {
	select {
	case <-w.done:
		return w.e
	default:
		return nil
	}
}

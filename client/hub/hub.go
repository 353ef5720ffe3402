// Package hub is the shared, coalescing poller of matui serve: one cached
// instance list that every session reads, refreshed on demand by at most
// one upstream call at a time and at most once per MinAge. What a session
// may do with the list, and who it is, is the SSH server's business
// (ui/sshserve); the hub only lists.
//
// Refreshing is demand-driven rather than a free-running poller: each
// session's dashboard already polls on its own schedule, so the hub only
// has to coalesce those polls. It does so the way one dashboard paces
// itself: while something is changing (an instance is transitional or
// queued, or the last list failed) a list may be MinAge old; while all is
// quiet it may be SlowAge old. The effect is one poller at one dashboard's
// pace while anyone is watching, and no upstream traffic at all when nobody
// is.
//
// Coalescing on MinAge alone is not enough: dashboards that poll every
// PollSlow at staggered moments would each find the list older than MinAge
// and each list again (20 sessions over 30 s: ten lists where one
// dashboard makes one). A quiet list is therefore shared for SlowAge — but
// never handed twice to the same Reader once it is MinAge old, so a
// session that polls again early (the user pressed r, or its own action
// made it poll fast) gets a newer list, still at most one per MinAge.
package hub

import (
	"context"
	"errors"
	"slices"
	"sync"
	"time"

	"matui/model"
)

// Lister is all the hub asks of its upstream (*client.Client).
type Lister interface {
	ListInstances(ctx context.Context) ([]model.Instance, error)
}

// Defaults for Options.
const (
	DefaultMinAge       = 2 * time.Second  // ui.DefaultPollFast
	DefaultSlowAge      = 15 * time.Second // ui.DefaultPollSlow
	DefaultFetchTimeout = 30 * time.Second
)

// ErrClosed is what List returns once the Hub is closed.
var ErrClosed = errors.New("hub: closed")

// Options configures a Hub.
type Options struct {
	// MinAge is how old the cached list may be before a poll causes an
	// upstream call; it bounds the upstream list rate no matter how many
	// sessions poll. Use the dashboards' PollFast.
	MinAge time.Duration
	// SlowAge is how old a quiet list (nothing transitional or queued, no
	// error) may be before a poll causes an upstream call. Use the
	// dashboards' PollSlow; it is raised to MinAge if smaller.
	SlowAge time.Duration
	// FetchTimeout bounds one upstream list call. The call is the hub's,
	// not a caller's: a caller that gives up waiting does not cancel it
	// for the others.
	FetchTimeout time.Duration
	// Now is the clock used for MinAge (tests fix it). Defaults to time.Now.
	Now func() time.Time
}

// Hub is the shared listing. Create it with New, call List from every
// session, Close it when the server stops.
type Hub struct {
	upstream Lister
	opts     Options

	base   context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup // running fetches

	mu      sync.Mutex
	closed  bool
	gen     uint64 // bumped by Invalidate: older lists are stale
	seq     uint64 // numbers fetches in start order
	flight  *call  // the fetch in flight, if any
	snap    *call  // the newest completed fetch
	fetches int    // upstream list calls started (Stats)
	waiting int    // callers blocked on a fetch (tests)
}

// call is one upstream list; done is closed when items and err are set.
type call struct {
	gen, seq uint64
	done     chan struct{}
	at       time.Time // completion time
	items    []model.Instance
	err      error
	quiet    bool // nothing in items is changing and err is nil: shared for SlowAge
}

// maxAge is how long c may be served.
func (h *Hub) maxAge(c *call) time.Duration {
	if c.quiet {
		return h.opts.SlowAge
	}
	return h.opts.MinAge
}

// quiet reports whether a list shows nothing that is about to change.
func quiet(items []model.Instance, err error) bool {
	if err != nil {
		return false
	}
	for _, in := range items {
		if in.Class == model.ClassTransitional || in.Class == model.ClassQueued {
			return false
		}
	}
	return true
}

// New returns a Hub over upstream.
func New(upstream Lister, opts Options) *Hub {
	if opts.MinAge <= 0 {
		opts.MinAge = DefaultMinAge
	}
	if opts.SlowAge <= 0 {
		opts.SlowAge = DefaultSlowAge
	}
	opts.SlowAge = max(opts.SlowAge, opts.MinAge)
	if opts.FetchTimeout <= 0 {
		opts.FetchTimeout = DefaultFetchTimeout
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	h := &Hub{upstream: upstream, opts: opts}
	h.base, h.cancel = context.WithCancel(context.Background())
	return h
}

// Close cancels the fetch in flight, waits for it, and makes every later
// List return ErrClosed. It is safe to call more than once.
func (h *Hub) Close() {
	h.mu.Lock()
	h.closed = true
	h.mu.Unlock()
	h.cancel()
	h.wg.Wait()
}

// Closed reports whether Close has been called.
func (h *Hub) Closed() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.closed
}

// Stats is what the hub has done so far.
type Stats struct {
	UpstreamLists int // list calls sent upstream
}

// Stats returns counters for logs and tests.
func (h *Hub) Stats() Stats {
	h.mu.Lock()
	defer h.mu.Unlock()
	return Stats{UpstreamLists: h.fetches}
}

// Invalidate marks the cached list stale: the next List goes upstream.
// Mutations call it; so can anything that knows the cloud changed behind
// the hub's back.
func (h *Hub) Invalidate() {
	h.mu.Lock()
	h.gen++
	h.mu.Unlock()
}

// Reader is one session's view of the hub: it remembers which list it was
// last given, so that polling again does not keep returning the same one.
// A Reader is used by one session; it is safe for concurrent use.
type Reader struct {
	hub  *Hub
	mu   sync.Mutex
	seen uint64 // seq of the last list returned
}

// NewReader returns a Reader for one session.
func (h *Hub) NewReader() *Reader { return &Reader{hub: h} }

// List is Hub.List for this reader: a list it has already been given is
// served again only while it is younger than MinAge.
func (r *Reader) List(ctx context.Context) ([]model.Instance, error) {
	r.mu.Lock()
	seen := r.seen
	r.mu.Unlock()
	items, seq, err := r.hub.list(ctx, seen)
	if seq != 0 {
		r.mu.Lock()
		r.seen = max(r.seen, seq)
		r.mu.Unlock()
	}
	return items, err
}

// List returns the cached list when it is fresh — not older than the last
// Invalidate, and younger than MinAge, or than SlowAge if it is quiet —
// otherwise joins the fetch in flight or starts one. A fetch started before
// the last Invalidate is not joined: its answer may predate the mutation,
// and the session polling right after an action wants to see it. ctx
// bounds only the caller's wait. Sessions that poll repeatedly use a Reader.
func (h *Hub) List(ctx context.Context) ([]model.Instance, error) {
	items, _, err := h.list(ctx, 0)
	return items, err
}

// list is List for a caller that was last given the list numbered seen
// (0: none); it also returns the number of the list it gives (0 with an
// error of its own: closed, or ctx ended).
func (h *Hub) list(ctx context.Context, seen uint64) ([]model.Instance, uint64, error) {
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		return nil, 0, ErrClosed
	}
	if s := h.snap; s != nil && s.gen == h.gen {
		age := h.opts.Now().Sub(s.at)
		if age < h.opts.MinAge || (age < h.maxAge(s) && s.seq > seen) {
			h.mu.Unlock()
			return slices.Clone(s.items), s.seq, s.err
		}
	}
	c := h.flight
	if c == nil || c.gen != h.gen {
		c = h.startLocked()
	}
	h.waiting++
	h.mu.Unlock()
	defer func() {
		h.mu.Lock()
		h.waiting--
		h.mu.Unlock()
	}()
	select {
	case <-c.done:
		// Each caller gets its own slice: a dashboard may reorder or
		// patch what it is given, and sessions share nothing mutable.
		return slices.Clone(c.items), c.seq, c.err
	case <-ctx.Done():
		return nil, 0, ctx.Err()
	}
}

func (h *Hub) startLocked() *call {
	h.seq++
	h.fetches++
	c := &call{gen: h.gen, seq: h.seq, done: make(chan struct{})}
	h.flight = c
	h.wg.Add(1)
	go func() {
		defer h.wg.Done()
		ctx, cancel := context.WithTimeout(h.base, h.opts.FetchTimeout)
		items, err := h.upstream.ListInstances(ctx)
		cancel()
		h.mu.Lock()
		c.items, c.err, c.at, c.quiet = items, err, h.opts.Now(), quiet(items, err)
		if h.flight == c {
			h.flight = nil
		}
		// A slower, older fetch must not replace a newer answer.
		if h.snap == nil || c.seq > h.snap.seq {
			h.snap = c
		}
		h.mu.Unlock()
		close(c.done)
	}()
	return c
}

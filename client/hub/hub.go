// Package hub shares one ModelArts backend between many dashboard sessions
// (the SSH server's): one cached instance list that every session reads,
// refreshed on demand by at most one upstream call at a time and at most
// once per MinAge, and mutations that go through the shared client, are
// checked against the session's role, audited, and invalidate the cache so
// that every session sees their effect on its next poll.
//
// Refreshing is demand-driven rather than a free-running poller: each
// session's dashboard already polls on its own schedule, so the hub only
// has to coalesce those polls. The effect is the same as one poller running
// at the fastest session's pace (never faster than MinAge) while anyone is
// watching, and no upstream traffic at all when nobody is.
//
// A *Session implements the dashboard's backend (ui.Backend) over the
// upstream *client.Client.
package hub

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"matui/client"
	"matui/model"
)

// Upstream is what the hub and its sessions call: *client.Client.
// (Transitional: the sessions' policy is moving to the SSH server, leaving
// the hub only the listing.)
type Upstream interface {
	ListInstances(ctx context.Context) ([]model.Instance, error)
	StartInstance(ctx context.Context, inst model.Instance, autoStop time.Duration) (model.Instance, error)
	StopInstance(ctx context.Context, inst model.Instance) (model.Instance, error)
	DeleteInstance(ctx context.Context, inst model.Instance) (model.Instance, error)
	RenewLease(ctx context.Context, inst model.Instance, d time.Duration) (model.Instance, error)
	ListFlavors(ctx context.Context, opts client.FlavorOptions) ([]model.NotebookFlavor, error)
	ListSwitchableFlavors(ctx context.Context, id string) ([]model.NotebookFlavor, error)
	ListImages(ctx context.Context, opts client.ImageOptions) ([]model.Image, error)
	CreateNotebook(ctx context.Context, req model.CreateNotebookRequest) (model.Notebook, error)
	UpdateNotebook(ctx context.Context, id string, req model.UpdateNotebookRequest) (model.Notebook, error)
	CreateDevInstance(ctx context.Context, req model.CreateDevInstanceRequest) (model.DevInstance, error)
	ModifyDevInstance(ctx context.Context, id string, req model.ModifyDevInstanceRequest) (model.DevInstance, error)
	OpenCodeLab(ctx context.Context, req model.OpenCodeLabRequest) (model.Notebook, error)
	AttachStorage(ctx context.Context, notebookID string, req model.AttachStorageRequest) (model.DataVolume, error)
	DetachStorage(ctx context.Context, notebookID, storageID string) (model.DataVolume, error)
	AddNotebookTags(ctx context.Context, notebookID string, tags []model.Tag) error
	RemoveNotebookTags(ctx context.Context, notebookID string, tags []model.Tag) error
	SaveImage(ctx context.Context, notebookID string, req model.CreateImageRequest) (model.Image, error)
	ListPools(ctx context.Context, opts client.PoolOptions) ([]model.Cluster, error)
	ServerNow() time.Time
	Describe() string
}

// Defaults for Options.
const (
	DefaultMinAge       = 2 * time.Second // ui.DefaultPollFast
	DefaultFetchTimeout = 30 * time.Second
)

// ErrClosed is returned by sessions of a closed Hub.
var ErrClosed = errors.New("hub: closed")

// Options configures a Hub.
type Options struct {
	// MinAge is how old the cached list may be before a session's poll
	// causes an upstream call; it bounds the upstream list rate no matter
	// how many sessions poll. Use the dashboards' PollFast.
	MinAge time.Duration
	// FetchTimeout bounds one upstream list call. The call is the hub's,
	// not a session's: a session that gives up waiting does not cancel it
	// for the others.
	FetchTimeout time.Duration
	// Now is the clock used for MinAge (tests fix it). Defaults to time.Now.
	Now func() time.Time
}

// Hub is the shared backend. Create it with New, hand each session a
// Session, Close it when the server stops.
type Hub struct {
	up   Upstream
	opts Options

	base   context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup // running fetches

	mu      sync.Mutex
	closed  bool
	gen     uint64 // bumped by every mutation: older lists are stale
	seq     uint64 // numbers fetches in start order
	flight  *call  // the fetch in flight, if any
	snap    *call  // the newest completed fetch
	fetches int    // upstream list calls started (Stats)
	waiting int    // callers blocked on a fetch (tests)

	// Mutations in flight, for Drain. idle is closed when the count drops
	// to zero (and replaced by the next mutation); nil while none run.
	mutations int
	idle      chan struct{}
}

// call is one upstream list; done is closed when items and err are set.
type call struct {
	gen, seq uint64
	done     chan struct{}
	at       time.Time // completion time
	items    []model.Instance
	err      error
}

// New returns a Hub over up.
func New(up Upstream, opts Options) *Hub {
	if opts.MinAge <= 0 {
		opts.MinAge = DefaultMinAge
	}
	if opts.FetchTimeout <= 0 {
		opts.FetchTimeout = DefaultFetchTimeout
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	h := &Hub{up: up, opts: opts}
	h.base, h.cancel = context.WithCancel(context.Background())
	return h
}

// Close cancels the fetch in flight, waits for it, and makes every session
// return ErrClosed. It is safe to call more than once.
func (h *Hub) Close() {
	h.mu.Lock()
	h.closed = true
	h.mu.Unlock()
	h.cancel()
	h.wg.Wait()
}

// mutationTimeout bounds one sent mutation, detached from the session
// that asked for it: long enough for the client's retries of a PUT or
// DELETE, short enough that a shutdown does not wait forever.
const mutationTimeout = 3 * time.Minute

func (h *Hub) beginMutation() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.mutations++
	if h.idle == nil {
		h.idle = make(chan struct{})
	}
}

func (h *Hub) endMutation() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.mutations--
	if h.mutations == 0 {
		close(h.idle)
		h.idle = nil
	}
}

// Drain waits until every mutation in flight has returned and been
// audited, or ctx ends. A server calls it on shutdown before closing the
// audit log, so that an action a user started is never left unrecorded.
func (h *Hub) Drain(ctx context.Context) error {
	h.mu.Lock()
	idle := h.idle
	h.mu.Unlock()
	if idle == nil {
		return nil
	}
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("hub: actions still in flight at shutdown: %w", ctx.Err())
	}
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

// Invalidate marks the cached list stale: the next poll from any session
// goes upstream. Mutations call it; so can anything that knows the cloud
// changed behind the hub's back.
func (h *Hub) Invalidate() {
	h.mu.Lock()
	h.gen++
	h.mu.Unlock()
}

// list returns the cached list when it is fresh (younger than MinAge and
// not older than the last mutation), otherwise joins the fetch in flight or
// starts one. A fetch started before the last mutation is not joined: its
// answer may predate the mutation, and the session polling right after an
// action wants to see it.
func (h *Hub) list(ctx context.Context) ([]model.Instance, error) {
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		return nil, ErrClosed
	}
	if s := h.snap; s != nil && s.gen == h.gen && h.opts.Now().Sub(s.at) < h.opts.MinAge {
		h.mu.Unlock()
		return slices.Clone(s.items), s.err
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
		// Each session gets its own slice: a dashboard may reorder or
		// patch what it is given, and sessions share nothing mutable.
		return slices.Clone(c.items), c.err
	case <-ctx.Done():
		return nil, ctx.Err()
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
		items, err := h.up.ListInstances(ctx)
		cancel()
		h.mu.Lock()
		c.items, c.err, c.at = items, err, h.opts.Now()
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

// ServerNow is the upstream's server clock.
func (h *Hub) ServerNow() time.Time { return h.up.ServerNow() }

// Describe is the upstream's description.
func (h *Hub) Describe() string { return h.up.Describe() }

package client

import (
	"context"
	"errors"
	"sync"

	"matui/model"
)

// Listing is a streamed listing consumed one page at a time, the shape a
// Bubble Tea program wants: a command calls Next, which blocks until the
// next page arrives, and returns it as a message; Update applies the page
// (no I/O) and returns the command that waits for the one after:
//
//	func nextPage(l *client.Listing) tea.Cmd {
//		return func() tea.Msg {
//			if p, ok := l.Next(); ok {
//				return pageMsg{l, p}
//			}
//			return listDoneMsg{l, l.Err()}
//		}
//	}
//
// The listing runs ahead of its consumer by at most listingBuffer pages,
// then waits: a consumer that falls behind slows the requests instead of
// piling pages up. Close cancels it (quitting, switching profile or
// scope); a Listing that is neither drained nor closed holds its
// goroutines until the context it was started with ends.
type Listing struct {
	pages  chan Page
	cancel context.CancelFunc
	done   chan struct{}
	err    error // set before done is closed
	once   sync.Once
}

// listingBuffer is how many pages a Listing fetches ahead of Next.
const listingBuffer = 4

// StartListing starts StreamInstances in the background.
func (c *Client) StartListing(ctx context.Context, opts ListOptions) *Listing {
	return startListing(ctx, func(ctx context.Context, sink func(Page)) error {
		return c.StreamInstances(ctx, opts, sink)
	})
}

func startListing(ctx context.Context, run func(context.Context, func(Page)) error) *Listing {
	ctx, cancel := context.WithCancel(ctx)
	l := &Listing{pages: make(chan Page, listingBuffer), cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(l.done)
		defer close(l.pages)
		l.err = run(ctx, func(p Page) {
			select {
			case l.pages <- p:
			case <-ctx.Done():
			}
		})
	}()
	return l
}

// Next returns the next page; false when the listing has ended (then Err
// says how). Pages of different sources interleave in arrival order.
func (l *Listing) Next() (Page, bool) {
	p, ok := <-l.pages
	return p, ok
}

// Err is the listing's result (see StreamInstances). It waits for the
// listing to end: call it once Next has returned false.
func (l *Listing) Err() error {
	<-l.done
	return l.err
}

// Close cancels the listing, drops the pages not yet taken and waits for
// its goroutines to end. It is safe to call more than once and after the
// listing ended.
func (l *Listing) Close() {
	l.once.Do(func() {
		l.cancel()
		for range l.pages {
		}
		<-l.done
	})
}

// ListingOf is a Listing made of one whole listing (list, ListInstances'
// contract): one complete page per source, or, for a source a
// *PartialError names, a last page with its error, so that its earlier
// rows stand as stale. A listing that failed entirely ends with its error
// and no pages.
func ListingOf(ctx context.Context, list func(context.Context) ([]model.Instance, error)) *Listing {
	return startListing(ctx, func(ctx context.Context, sink func(Page)) error {
		items, err := list(ctx)
		var pe *PartialError
		if err != nil && !errors.As(err, &pe) {
			return err
		}
		failed := map[Source]error{}
		if pe != nil {
			for _, f := range pe.Failed {
				failed[Source(f.What)] = f.Err
			}
		}
		by := map[Source][]model.Instance{}
		for _, in := range items {
			src := SourceGen1
			switch {
			case in.Generation != model.Gen2:
			case in.Feature == FeatureCodeLab:
				src = SourceCodeLab
			default:
				src = SourceNotebooks
			}
			by[src] = append(by[src], in)
		}
		for _, src := range InstanceSources() {
			p := Page{Source: src, Instances: by[src], Total: -1, Listed: len(by[src]), First: true, Last: true}
			if e, ok := failed[src]; ok {
				p.Err = e
			} else {
				p.Complete = true
			}
			sink(p)
		}
		return err
	})
}

// Poll runs the next poll of this client's listing in a scope (every
// user's instances, or the user's own) as a Listing: the client keeps a
// Poller per scope, so a poll costs what changed (see Poller). Touched and
// Resync steer the next poll of every scope.
func (c *Client) Poll(ctx context.Context, allUsers bool) *Listing {
	return c.poller(allUsers).Start(ctx)
}

// Touched tells the pollers an instance was acted on (see Poller.Touched).
func (c *Client) Touched(inst model.Instance) {
	for _, p := range c.pollers() {
		p.Touched(inst)
	}
}

// Resync makes the next poll of every scope a full listing.
func (c *Client) Resync() {
	for _, p := range c.pollers() {
		p.Resync()
	}
}

func (c *Client) poller(all bool) *Poller {
	c.pollMu.Lock()
	defer c.pollMu.Unlock()
	i := 0
	if all {
		i = 1
	}
	if c.polls[i] == nil {
		c.polls[i] = c.NewPoller(PollerOptions{AllUsers: all})
	}
	return c.polls[i]
}

func (c *Client) pollers() []*Poller {
	c.pollMu.Lock()
	defer c.pollMu.Unlock()
	var out []*Poller
	for _, p := range c.polls {
		if p != nil {
			out = append(out, p)
		}
	}
	return out
}

package client

import (
	"context"
	"sync"
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

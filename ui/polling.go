package ui

import (
	"context"
	"errors"
	"time"

	tea "charm.land/bubbletea/v2"

	"matui/client"
	"matui/ui/store"
	"matui/ui/toast"
)

// Polling: at most one poll in flight; the single tick decides when the
// next is due. A poll is a streamed listing (Backend.Poll): each page is
// one message, applied to the store as it arrives, so the first page is on
// screen after one round trip while later pages load, and a steady-state
// poll carries only what changed. The table is redrawn at most every
// pageRedraw while pages pour in (at 100,000 instances every page
// redrawing the whole table would cost more than the listing).

// pollTimeout bounds one poll. A full listing of a huge project takes
// minutes at the client's rate limit; pages keep arriving meanwhile.
const pollTimeout = 15 * time.Minute

// pageRedraw is how often pages of a listing in progress redraw the table.
const pageRedraw = 250 * time.Millisecond

type (
	// pageMsg is one page of the poll in flight.
	pageMsg struct {
		conn    int
		listing *client.Listing
		page    client.Page
	}
	// pollDoneMsg ends the poll in flight with its result.
	pollDoneMsg struct {
		conn    int
		listing *client.Listing
		err     error
	}
)

// progress is a source's full listing in progress: pages delivered so
// far of the server's total.
type progress struct{ listed, total int }

// polling reports whether a poll is in flight.
func (m *Model) polling() bool { return m.listing != nil }

// poll starts a poll unless one is in flight (then it asks for another as
// soon as that one returns).
func (m *Model) poll() tea.Cmd {
	if m.polling() {
		m.refreshNow = true
		return nil
	}
	m.refreshNow = false
	m.pollStarted = m.ctx.Now()
	m.pollPages = 0
	clear(m.progress)
	// From now on an action's answer is newer than this poll's pages (the
	// store keeps the answer until the next listing).
	for src := range store.NumSources {
		m.store.Begin(src, store.Full)
	}
	ctx, cancel := context.WithTimeout(m.base, pollTimeout)
	l := m.backend.Poll(ctx, m.allUsers)
	m.listing, m.listingCancel = l, cancel
	return nextPage(m.conn, l)
}

// nextPage waits for the listing's next page (or its end).
func nextPage(conn int, l *client.Listing) tea.Cmd {
	return func() tea.Msg {
		if p, ok := l.Next(); ok {
			return pageMsg{conn: conn, listing: l, page: p}
		}
		return pollDoneMsg{conn: conn, listing: l, err: l.Err()}
	}
}

// storeSource is the store's name for a listing's source.
func storeSource(src client.Source) (store.Source, bool) {
	switch src {
	case client.SourceNotebooks:
		return store.Notebooks, true
	case client.SourceCodeLab:
		return store.CodeLab, true
	case client.SourceGen1:
		return store.Gen1, true
	}
	return 0, false // the flavor catalog: no rows of its own
}

func (m *Model) onPage(msg pageMsg) tea.Cmd {
	if msg.conn != m.conn || msg.listing != m.listing {
		msg.listing.Close() // from a backend or scope given up
		return nil
	}
	p := msg.page
	m.pollPages++
	if src, ok := storeSource(p.Source); ok {
		now := m.ctx.Now()
		switch {
		case p.First && p.Incremental:
			m.store.Keep(src) // only what changed: nothing is dropped
		case p.First:
			// A full listing (also one that follows an incremental check
			// in the same poll) starts over; rows patched since the poll
			// was sent stay protected from its pages.
			m.store.Begin(src, store.Full)
		}
		m.store.Page(src, p.Instances)
		if len(p.Removed) > 0 {
			m.store.Remove(p.Removed...)
		}
		if !p.Incremental && !p.Last && p.Total > 0 {
			m.progress[src] = progress{p.Listed, p.Total}
		}
		if p.Last {
			delete(m.progress, src)
			if p.Err == nil && !p.Complete {
				m.store.Keep(src) // the list shifted while paging: what was not seen stands
			}
			m.store.End(src, p.Err, now)
		}
	}
	// The first page is drawn at once; later ones at most every pageRedraw.
	if m.pollPages == 1 || p.Last || m.ctx.Now().Sub(m.lastDraw) >= pageRedraw {
		m.loaded = m.loaded || m.store.Len() > 0
		m.publish()
		m.lastDraw = m.ctx.Now()
	}
	return nextPage(msg.conn, msg.listing)
}

func (m *Model) onPollDone(msg pollDoneMsg) tea.Cmd {
	if msg.conn != m.conn || msg.listing != m.listing {
		return nil
	}
	m.listingCancel()
	m.listing, m.listingCancel = nil, nil
	clear(m.progress)
	now := m.ctx.Now()
	if !m.pollStarted.IsZero() {
		m.lastPollCost = max(now.Sub(m.pollStarted), 0)
	}
	m.ctx.ServerNow = m.backend.ServerNow()
	err := msg.err
	if m.allUsers && client.IsNotAdmin(err) {
		return m.leaveAllUsers(err)
	}
	var pe *client.PartialError
	partial := errors.As(err, &pe)
	failed := err != nil && !partial
	// Sources this poll did not end (the poller skips CodeLab when nothing
	// is due; a listing that failed outright ends none) drop nothing: they
	// stand as they were, stale if nothing was listed.
	for src := range store.NumSources {
		if m.store.Source(src).Loading {
			m.store.Keep(src)
			if failed {
				m.store.End(src, err, now)
			} else {
				m.store.End(src, nil, now)
			}
		}
	}
	if failed {
		if errors.Is(err, context.Canceled) && m.quitting {
			return nil
		}
		m.lastErr = err
		m.errCount++
		m.noteErr("list", err)
		back := m.opts.PollFast << min(m.errCount, 6)
		m.nextPoll = now.Add(min(back, m.opts.PollSlow))
		if client.IsAuth(err) {
			// Refused credentials are not transient, and every retry is
			// another bad signature: the gateway locks the AK after five.
			// Stop polling until the user asks (r).
			m.nextPoll = now.Add(authPause)
		}
	} else {
		// A partial listing (e.g. Gen 1 is not offered in the region)
		// is fresh where it listed; the failure is a warning.
		m.lastErr, m.errCount = nil, 0
		if err != nil && m.partial == nil {
			m.noteErr("list (incomplete)", err)
		}
		m.partial = err
		m.lastOK = now
		m.loaded = true
		m.nextPoll = now.Add(m.interval())
	}
	m.publish()
	m.lastDraw = now
	if m.refreshNow {
		return m.poll()
	}
	return nil
}

// stopPolling gives up the poll in flight (quitting, a new backend or
// scope): its pages are dropped.
func (m *Model) stopPolling() {
	if m.listingCancel != nil {
		m.listingCancel()
	}
	m.listing, m.listingCancel = nil, nil
	clear(m.progress)
}

// loading is the header's progress while a full listing is in progress:
// listed and total over the sources that page, ok false when none does.
func (m *Model) loading() (listed, total int, ok bool) {
	for _, p := range m.progress {
		listed += p.listed
		total += p.total
	}
	return listed, total, total > 0 && listed < total
}

// setScope switches between every user's instances and the user's own:
// the rows are the other scope's, so the list starts over.
func (m *Model) setScope(all bool) tea.Cmd {
	if all == m.allUsers {
		m.toasts.Push(toast.Info, "scope: already "+scopeName(all))
		return nil
	}
	m.stopPolling()
	m.allUsers = all
	m.store, m.tableFed, m.loaded = store.New(), false, false
	m.table.SetInstances(nil)
	m.table.ClearMarks()
	m.toasts.Push(toast.Info, "scope: "+scopeName(all))
	return m.poll()
}

// leaveAllUsers is the fall-back when the credentials may not list every
// user's instances (a poll in the all-users scope was refused): said once,
// clearly, then the user's own.
func (m *Model) leaveAllUsers(err error) tea.Cmd {
	m.toasts.Push(toast.Error, "all users: these credentials may not list every user's instances ("+ErrorText(err)+"); showing your own")
	m.noteErr("all users", err)
	return m.setScope(false)
}

func scopeName(all bool) string {
	if all {
		return "all users"
	}
	return "your instances"
}

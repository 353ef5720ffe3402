package ui

import (
	"context"
	"errors"

	tea "charm.land/bubbletea/v2"

	"matui/model"
	"matui/ui/table"
)

// tagsFoundMsg is the service's answer to a tag search.
type tagsFoundMsg struct {
	conn     int
	allUsers bool // the scope it was asked in
	found    []model.Instance
	err      error
}

// searchTags asks the service for the notebooks carrying the / filter's
// tag terms (the list API's tags filter, in the dashboard's scope) and
// merges them into the list: while the first listing of a large project
// is still loading they are on screen after one round trip, and a tag
// changed since the last poll shows at once. The table's filter still
// decides what is shown. Nothing is sent without tag terms; a backend
// that cannot search (a matui serve session, whose shared listing is
// complete) is not an error.
func (m *Model) searchTags(filter string) tea.Cmd {
	tags := table.TagFilters(filter)
	if len(tags) == 0 {
		return nil
	}
	b, base, conn, all := m.backend, m.base, m.conn, m.allUsers
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(base, formCallTimeout)
		defer cancel()
		found, err := b.FindInstancesByTags(ctx, all, tags)
		return tagsFoundMsg{conn: conn, allUsers: all, found: found, err: err}
	}
}

func (m *Model) onTagsFound(msg tagsFoundMsg) tea.Cmd {
	// An answer for another backend or scope is not this list's: another
	// user's instance must not join the user's own.
	if msg.conn != m.conn || msg.allUsers != m.allUsers || errors.Is(msg.err, errors.ErrUnsupported) {
		return nil
	}
	if msg.err != nil {
		// What the list holds is still filtered; only the service's
		// answer is missing.
		m.toastErr("tag search (the list filters what it has)", msg.err)
	}
	if m.store.Found(msg.found) {
		m.loaded = m.loaded || m.store.Len() > 0
		m.publish()
	}
	return nil
}

// Package browser is a read-only, scrollable table shown over the list:
// the image catalog (:images) and the audit trail (:audit). Its opener turns
// its data into rows of sanitised text.
package browser

import (
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"matui/ui/keys"
	"matui/ui/overlay"
	"matui/ui/text"
	"matui/ui/uictx"
)

// Browser is the overlay.
type Browser struct {
	ctx   *uictx.Context
	title string
	empty string   // shown when there are no rows
	heads []string // column titles
	rows  [][]string
	// widths is each column's width: its widest cell up to its cap; flex
	// is the column without a cap, which takes what the others (used
	// cells with the separators) leave, -1 when none.
	widths     []int
	flex, used int

	scroll Scroll
}

// Column is one column of a browser: its title and the most cells it may
// take (0: the one column that takes what the others leave).
type Column struct {
	Title string
	Cap   int
}

// Col is a Column.
func Col(title string, maxWidth int) Column { return Column{Title: title, Cap: maxWidth} }

// New returns a browser over rows (one string per column, already
// sanitised); empty is what it says when there are none.
func New(ctx *uictx.Context, title, empty string, cols []Column, rows [][]string) *Browser {
	b := &Browser{ctx: ctx, title: title, empty: empty, rows: rows, widths: make([]int, len(cols)), flex: -1, used: 2}
	for i, c := range cols {
		b.heads = append(b.heads, c.Title)
		if c.Cap == 0 {
			b.flex = i
			continue
		}
		w := len(c.Title)
		for _, r := range rows {
			w = max(w, min(text.Width(r[i]), c.Cap))
		}
		b.widths[i] = w
		b.used += w + 1
	}
	return b
}

// Update moves the cursor; esc or q close the browser.
func (b *Browser) Update(msg tea.Msg) (overlay.Overlay, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return b, nil
	}
	km := &b.ctx.Keys
	if key.Matches(k, km.Back, km.Close) {
		return nil, nil
	}
	b.scroll.Key(k, km, len(b.rows))
	return b, nil
}

// Help is the footer's key help.
func (b *Browser) Help() []key.Binding {
	back := b.ctx.Keys.Back
	back.SetHelp(back.Help().Key, "back")
	return []key.Binding{back, keys.CtrlC()}
}

// View draws the title, the column header and the rows around the cursor.
func (b *Browser) View(width, height int) string {
	st := &b.ctx.Styles
	km := &b.ctx.Keys
	title := st.Title.Render(b.title) + st.Muted.Render(" · "+strconv.Itoa(len(b.rows))+" · "+
		keys.Hint(keys.H("scroll", km.Up, km.Down), keys.H("back", km.Back)))
	lines := []string{text.Truncate(title, width)}
	if len(b.rows) == 0 {
		return strings.Join(append(lines, st.Muted.Render(b.empty)), "\n")
	}
	ws := b.widths
	if b.flex >= 0 {
		ws[b.flex] = max(width-b.used, 12)
	}
	row := func(r []string) string {
		cells := make([]string, len(r))
		for i := range r {
			cells[i] = text.Fit(r[i], ws[i])
		}
		return strings.TrimRight(strings.Join(cells, " "), " ")
	}
	lines = append(lines, text.Truncate("  "+st.TableHeader.Render(row(b.heads)), width))
	from, to := b.scroll.Window(len(b.rows), height-2)
	for i := from; i < to; i++ {
		l := row(b.rows[i])
		if i == b.scroll.Cursor {
			lines = append(lines, text.Truncate("▸ "+st.Selected.Render(l), width))
		} else {
			lines = append(lines, text.Truncate("  "+l, width))
		}
	}
	return strings.Join(lines, "\n")
}

package ui

import (
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"matui/client"
	"matui/model"
	"matui/ui/store"
	"matui/ui/table"
	"matui/ui/text"
)

const (
	headerLines = 2
	footerLines = 1
)

// panelHeight is the lines between the body and the footer: toasts plus an
// open dialog or input line. The body shrinks to make room so neither
// covers the selected row.
func (m *Model) panelHeight() int {
	if m.fullScreen() {
		return 0
	}
	h := m.toasts.Height()
	if p := m.panel(); p != nil {
		h += p.Height(m.ctx.Width)
	}
	// Never let panels eat the whole body on a tiny terminal: keep at least
	// the column header and one row when possible.
	room := m.ctx.Height - headerLines - footerLines - 2
	return max(min(h, room), 0)
}

// View renders the screen: header, body (list, details or help), toasts,
// dialog or input, footer. Every line is cut to the width and the total to
// the height, so nothing wraps or scrolls the terminal.
func (m *Model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	v.WindowTitle = "matui"
	return v
}

func (m *Model) render() string {
	w, h := m.ctx.Width, m.ctx.Height
	if w <= 0 || h <= 0 || m.quitting {
		return ""
	}
	lines := make([]string, 0, h)
	lines = append(lines, m.headerTop(), m.headerCounts())
	bodyH := max(h-headerLines-footerLines-m.panelHeight(), 0)
	var body string
	switch o := m.bodyOverlay(); {
	case o != nil:
		body = o.ov.View(w, bodyH)
	case m.mode == modeDetails:
		body = m.details.View()
	default:
		body = m.table.View()
	}
	bodyStart := len(lines)
	lines = appendBlock(lines, body, bodyH)
	bodyEnd := len(lines)
	if !m.fullScreen() {
		panel := []string{}
		if t := m.toasts.View(); t != "" {
			panel = append(panel, strings.Split(t, "\n")...)
		}
		if p := m.panel(); p != nil {
			panel = append(panel, strings.Split(p.View(w, p.Height(w)), "\n")...)
		}
		room := h - len(lines) - footerLines
		if len(panel) > room {
			// Keep the dialog/input (the end); drop the oldest toasts first.
			panel = panel[len(panel)-max(room, 0):]
		}
		lines = append(lines, panel...)
	}
	lines = append(lines, m.footer())
	if len(lines) > h {
		lines = lines[:h]
	}
	for i, l := range lines {
		// Body components already fit their lines to the width (and tests
		// hold them to it); re-measuring 50 wide rows would double the
		// frame cost.
		if i >= bodyStart && i < bodyEnd {
			continue
		}
		lines[i] = text.Truncate(l, w)
	}
	return strings.Join(lines, "\n")
}

// appendBlock appends exactly n lines of s (padding with empty lines).
func appendBlock(lines []string, s string, n int) []string {
	if n <= 0 {
		return lines
	}
	got := 0
	if s != "" {
		for _, l := range strings.Split(s, "\n") {
			if got == n {
				break
			}
			lines = append(lines, l)
			got++
		}
	}
	for ; got < n; got++ {
		lines = append(lines, "")
	}
	return lines
}

func (m *Model) headerTop() string {
	s := &m.ctx.Styles
	hi := m.opts.Header
	parts := []string{}
	if p := text.Sanitize(hi.Profile); p != "" {
		parts = append(parts, "profile "+p)
	}
	for _, p := range []string{hi.Backend, hi.Cloud, hi.Region} {
		if p = text.Sanitize(p); p != "" {
			parts = append(parts, p)
		}
	}
	if p := text.Sanitize(hi.Project); p != "" {
		parts = append(parts, "project "+p)
	}
	left := s.Title.Render("matui") + " " + s.Base.Render(strings.Join(parts, " · "))
	right := m.freshness()
	return joinLR(left, right, m.ctx.Width)
}

// freshness is "updated 3s ago", or the stale marker with the error when
// the last poll failed.
func (m *Model) freshness() string {
	s := &m.ctx.Styles
	now := m.ctx.Now()
	if m.lastErr != nil {
		msg := "⚠ stale"
		if m.loaded {
			msg += " " + text.Age(now.Sub(m.lastOK))
		}
		msg += ": " + ErrorText(m.lastErr)
		if client.IsAuth(m.lastErr) {
			msg += " · auto-refresh paused, r retries"
		}
		return s.Stale.Render(msg)
	}
	if listed, total, ok := m.loading(); ok {
		return s.Muted.Render("↻ loading " + thousands(listed) + " / " + thousands(total))
	}
	if !m.loaded {
		return s.Muted.Render("loading…")
	}
	r := "updated " + text.Age(now.Sub(m.lastOK)) + " ago"
	if m.polling() {
		r = "↻ " + r
	}
	if m.partial != nil {
		return s.Stale.Render("⚠ "+m.staleSources(now)+" · ") + s.Muted.Render(r)
	}
	return s.Muted.Render(r)
}

// staleSources says which listings failed and what they keep:
// "incomplete: gen2 NOTEBOOK kept from 2m ago: ModelArts.6101: busy", or
// "incomplete: ModelArts.6102: … (gen1)" for one that never listed.
func (m *Model) staleSources(now time.Time) string {
	var parts []string
	for src := range store.NumSources {
		st := m.store.Source(src)
		switch {
		case !st.Stale():
		case st.Listed.IsZero():
			parts = append(parts, ErrorText(st.Err)+" ("+src.String()+")")
		default:
			parts = append(parts, src.String()+" kept from "+text.Age(now.Sub(st.Listed))+" ago: "+ErrorText(st.Err))
		}
	}
	if len(parts) == 0 {
		return "incomplete: " + ErrorText(m.partial)
	}
	return "incomplete: " + strings.Join(parts, "; ")
}

// thousands writes n with thousands separators: 10,000.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// joinLR puts right at the right edge, truncating left first: the
// freshness/stale marker matters more than the project id.
func joinLR(left, right string, w int) string {
	rw := text.Width(right)
	if rw >= w {
		return text.Truncate(right, w)
	}
	left = text.Truncate(left, w-rw-1)
	gap := w - text.Width(left) - rw
	return left + strings.Repeat(" ", max(gap, 1)) + right
}

func (m *Model) headerCounts() string {
	s := &m.ctx.Styles
	c := m.table.Counts()
	wide := m.ctx.Width >= 100
	var parts []string
	for _, cl := range []struct {
		class model.StatusClass
		sym   string
	}{
		{model.ClassRunning, "●"},
		{model.ClassTransitional, "◐"},
		{model.ClassQueued, "#"},
		{model.ClassStopped, "○"},
		{model.ClassFailed, "✗"},
	} {
		n := c[cl.class]
		label := cl.sym + strconv.Itoa(n)
		if wide {
			label = cl.sym + " " + strconv.Itoa(n) + " " + string(cl.class)
		}
		st := table.StatusStyle(m.ctx, cl.class)
		if n == 0 {
			st = s.Muted
		}
		parts = append(parts, st.Render(label))
	}
	left := strings.Join(parts, "  ")
	if wide && m.burn != "" {
		left += "  " + s.Muted.Render(text.Sanitize(m.burn))
	}
	col, desc := m.table.Sort()
	arrow := "↑"
	if desc {
		arrow = "↓"
	}
	info := []string{}
	if g := m.table.Group(); g != table.GroupAll {
		info = append(info, "group:"+g.String())
	}
	if f := m.table.Filter(); f != "" {
		info = append(info, "/"+text.Sanitize(f))
	}
	if n := m.table.MarkCount(); n > 0 {
		info = append(info, strconv.Itoa(n)+" marked")
	}
	info = append(info, "sort:"+strings.ToLower(col.String())+arrow)
	pos := "0/0"
	if m.table.Len() > 0 {
		pos = strconv.Itoa(m.table.Cursor()+1) + "/" + strconv.Itoa(m.table.Len())
	}
	if m.table.Len() != m.table.Total() {
		pos += " of " + strconv.Itoa(m.table.Total())
	}
	info = append(info, pos)
	return joinLR(left, s.Muted.Render(strings.Join(info, " · ")), m.ctx.Width)
}

func (m *Model) footer() string {
	s := &m.ctx.Styles
	k := &m.ctx.Keys
	var hints []key.Binding
	switch o := m.top(); {
	case o != nil:
		hints = m.overlayFooter(o)
	case m.mode == modeDetails:
		in := m.details.Instance()
		items := []struct {
			b key.Binding
			d string
		}{{k.Back, "back"}, {k.RawJSON, rawLabel(m.details.Raw())}, {k.CopyID, "copy id"}}
		// The lifecycle action that applies to this instance now, if any.
		for _, a := range []struct {
			act action
			b   key.Binding
		}{{actStop, k.Stop}, {actStart, k.Start}} {
			if !m.opts.ReadOnly && unavailable(a.act, &in) == "" {
				items = append(items, struct {
					b key.Binding
					d string
				}{a.b, a.act.String()})
				break
			}
		}
		items = append(items, struct {
			b key.Binding
			d string
		}{k.Help, "help"})
		for _, it := range items {
			it.b.SetHelp(it.b.Help().Key, it.d)
			hints = append(hints, it.b)
		}
	default:
		for _, b := range k.ShortHelp() {
			// A viewer of a shared console is not offered what it may
			// not do.
			if m.opts.ReadOnly && k.Mutates(b) {
				continue
			}
			hints = append(hints, b)
		}
	}
	var parts []string
	for _, h := range hints {
		// A binding without keys is a note ("… waiting"); an unbound or
		// disabled one is left out.
		if h.Help().Key == "" || (len(h.Keys()) > 0 && !h.Enabled()) {
			continue
		}
		parts = append(parts, s.HelpKey.Render(h.Help().Key)+" "+s.Muted.Render(h.Help().Desc))
	}
	return strings.Join(parts, s.Muted.Render(" · "))
}

func rawLabel(raw bool) string {
	if raw {
		return "fields"
	}
	return "raw JSON"
}

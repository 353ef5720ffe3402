package ui

import (
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"matui/model"
	"matui/ui/browser"
	"matui/ui/dialog"
	"matui/ui/keys"
	"matui/ui/overlay"
	"matui/ui/text"
	"matui/ui/uictx"
	"matui/ui/usage"
)

// :usage (and U) is the burn view: what runs now, grouped by owner and
// then flavor, with accelerator cards, vCPUs, running time, time until
// auto-stop ("no auto-stop" flagged) and, with a price table in the config
// file, cost per hour and so far. It sorts (o, O) and filters (/) like the
// list. The report is built when the view opens; the clock-driven cells
// (running time, countdowns, cost so far) follow the server clock.

// usageView is the overlay.
type usageView struct {
	ctx    *uictx.Context
	report *usage.Report
	query  usage.Query
	rows   []usage.Row
	scroll browser.Scroll
	// widths align the columns to the widest cell of every row, measured
	// once per refresh: a frame draws only the rows on screen (Line widens
	// a column whose visible cell has grown since).
	widths []int

	filtering bool
	filter    textinput.Model
}

func newUsageView(ctx *uictx.Context, insts []model.Instance, prices *usage.Prices) *usageView {
	v := &usageView{ctx: ctx, report: usage.Build(insts, prices), filter: dialog.NewInput(ctx, "/")}
	v.refresh()
	return v
}

func (v *usageView) refresh() {
	v.rows = v.report.Rows(v.query, v.ctx.ServerNow)
	v.widths = v.report.Widths(v.rows, v.ctx.ServerNow)
	v.scroll.Clamp(len(v.rows))
}

func (v *usageView) Update(msg tea.Msg) (overlay.Overlay, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return v, nil
	}
	km := &v.ctx.Keys
	if v.filtering {
		switch {
		case key.Matches(k, km.Confirm, km.Back):
			v.filtering = false
			v.filter.Blur()
			return v, nil
		}
		var cmd tea.Cmd
		v.filter, cmd = v.filter.Update(k)
		v.query.Filter = v.filter.Value()
		v.refresh()
		return v, cmd
	}
	switch {
	case key.Matches(k, km.Back):
		if v.query.Filter != "" {
			v.filter.SetValue("")
			v.query.Filter = ""
			v.refresh()
			return v, nil
		}
		return nil, nil
	case key.Matches(k, km.Close):
		return nil, nil
	case key.Matches(k, km.Filter):
		v.filtering = true
		return v, v.filter.Focus()
	case key.Matches(k, km.SortNext):
		cols := v.report.Columns()
		i := 0
		for j, c := range cols {
			if c == v.query.Sort {
				i = j
			}
		}
		v.query.Sort, v.query.Desc = cols[(i+1)%len(cols)], false
		v.refresh()
	case key.Matches(k, km.SortReverse):
		v.query.Desc = !v.query.Desc
		v.refresh()
	default:
		v.scroll.Key(k, km, len(v.rows))
	}
	return v, nil
}

func (v *usageView) View(width, height int) string {
	st := &v.ctx.Styles
	km := &v.ctx.Keys
	now := v.ctx.ServerNow
	title := st.Title.Render("Usage") + st.Muted.Render(" · "+strconv.Itoa(v.report.Len())+" running · "+
		keys.Hint(keys.H("sort", km.SortNext, km.SortReverse), keys.H("filter", km.Filter), keys.H("back", km.Back)))
	lines := []string{text.Truncate(title, width)}
	if v.filtering || v.query.Filter != "" {
		v.filter.SetWidth(max(width-4, 1))
		lines = append(lines, text.Truncate(v.filter.View(), width))
	}
	if len(v.rows) == 0 {
		msg := "nothing is running"
		if v.query.Filter != "" {
			msg = "nothing running matches /" + text.Sanitize(v.query.Filter)
		}
		return strings.Join(append(lines, st.Muted.Render(msg)), "\n")
	}
	from, to := v.scroll.Window(len(v.rows), height-len(lines)-1)
	// The cells on screen first: one that grew since the refresh widens
	// its column for the header and every row alike.
	cells := make([][]string, to-from)
	for i := range cells {
		cells[i] = v.report.Cells(v.rows[from+i], now)
		v.report.Widen(v.widths, cells[i])
	}
	lines = append(lines, text.Truncate("  "+st.TableHeader.Render(v.report.Line(v.report.HeaderCells(), v.widths)), width))
	for j, c := range cells {
		i := from + j
		l := v.report.Line(c, v.widths)
		switch {
		case i == v.scroll.Cursor:
			l = "▸ " + st.Selected.Render(l)
		case v.rows[i].Level == usage.LevelOwner:
			l = "  " + st.Section.Render(l)
		default:
			l = "  " + l
		}
		lines = append(lines, text.Truncate(l, width))
	}
	return strings.Join(lines, "\n")
}

func (v *usageView) Help() []key.Binding {
	back := v.ctx.Keys.Back
	back.SetHelp(back.Help().Key, "back")
	return []key.Binding{back, keys.CtrlC()}
}

// openUsage is :usage and U.
func (m *Model) openUsage() {
	m.push(newUsageView(m.ctx, m.store.Instances(), m.opts.Prices))
}

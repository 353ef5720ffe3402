// Package poolpicker is the create form's choice of where a notebook runs:
// the public pool, or one of the dedicated pools the opener listed (GET
// /authoring/clusters, §3.16), with its status, resource categories and
// flavor count. Only ACTIVE pools can be picked — the service refuses the
// others (ModelArts.6355) — but every pool stays visible with its status,
// as the flavor picker shows sold-out flavors. Typing filters the list;
// an ID that matches no listed pool can still be used as typed (a pool the
// listing does not show, e.g. of another workspace). It is given the
// pools; it never fetches them.
package poolpicker

import (
	"fmt"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"matui/model"
	"matui/ui/dialog"
	"matui/ui/keys"
	"matui/ui/text"
	"matui/ui/uictx"
)

// Result is what one Update produced.
type Result struct {
	Done bool // the picker closed (picked or cancelled)
	// Picked is set when a choice was made: ID is the pool ("" for the
	// public pool), Pool the listed pool (nil for the public pool or an ID
	// typed by hand).
	Picked bool
	ID     string
	Pool   *model.Cluster
}

// row kinds: the public pool, a listed pool, the typed ID.
type rowKind int

const (
	rowPublic rowKind = iota
	rowPool
	rowTyped
)

type row struct {
	kind rowKind
	pool model.Cluster
}

// Picker is the pool list. Use New.
type Picker struct {
	ctx    *uictx.Context
	pools  []model.Cluster // the dedicated ones, in the opener's order
	filter textinput.Model
	cursor int
	offset int
	msg    string // why the last enter did nothing
}

// New returns a picker over the dedicated pools among pools (the public,
// MANAGED ones are what "public pool" stands for: a notebook goes there
// when it names no pool). selected is the pool ID chosen so far.
func New(ctx *uictx.Context, pools []model.Cluster, selected string) *Picker {
	p := &Picker{ctx: ctx, filter: dialog.NewInput(ctx, "pool: ")}
	p.filter.Focus() // typing filters from the start; Focus gives the blink
	for _, c := range pools {
		if !model.SameEnum(c.Type, model.PoolManaged) {
			p.pools = append(p.pools, c)
		}
	}
	found := selected == ""
	for i, r := range p.rows() {
		if r.kind == rowPool && r.pool.PoolID == selected {
			p.cursor, found = i, true
		}
	}
	if !found {
		// A pool typed by hand before: offer it again.
		p.filter.SetValue(selected)
		p.cursor = len(p.rows()) - 1
	}
	return p
}

// Focus is the command that starts the filter's cursor blinking.
func (p *Picker) Focus() tea.Cmd { return p.filter.Focus() }

// Message is the notice under the list (why a pool cannot be picked).
func (p *Picker) Message() string { return p.msg }

func (p *Picker) typed() string { return strings.TrimSpace(p.filter.Value()) }

// rows are the public pool (unless the filter excludes it), the pools the
// filter matches, and the typed ID when no listed pool has exactly it.
func (p *Picker) rows() []row {
	q := strings.ToLower(p.typed())
	var out []row
	if q == "" || strings.Contains("public", q) {
		out = append(out, row{kind: rowPublic})
	}
	exact := false
	for _, c := range p.pools {
		hay := strings.ToLower(c.PoolID + " " + c.Status + " " + strings.Join(c.ResourceCategories, " "))
		if q == "" || strings.Contains(hay, q) {
			out = append(out, row{kind: rowPool, pool: c})
		}
		exact = exact || c.PoolID == p.typed()
	}
	if q != "" && !exact && !strings.ContainsAny(p.typed(), " \t") {
		out = append(out, row{kind: rowTyped})
	}
	return out
}

// page is how far pgup/pgdown move.
const page = 10

// Update handles one key.
func (p *Picker) Update(k tea.KeyPressMsg) (Result, tea.Cmd) {
	km := &p.ctx.Keys
	rows := p.rows()
	last := max(len(rows)-1, 0)
	p.msg = ""
	// A printable key types into the filter, whatever it is bound to
	// elsewhere (pool IDs have letters the list keys use).
	typed := k.Text != ""
	switch {
	case key.Matches(k, km.Back):
		return Result{Done: true}, nil
	case !typed && key.Matches(k, km.Up, km.SuggestPrev):
		p.cursor = max(p.cursor-1, 0)
	case !typed && key.Matches(k, km.Down, km.SuggestNext):
		p.cursor = min(p.cursor+1, last)
	case key.Matches(k, km.ScrollUp):
		p.cursor = max(p.cursor-page, 0)
	case key.Matches(k, km.ScrollDown):
		p.cursor = min(p.cursor+page, last)
	case key.Matches(k, km.Confirm):
		if p.cursor >= len(rows) {
			p.msg = "no pool matches; clear the filter to see them all"
			return Result{}, nil
		}
		switch r := rows[p.cursor]; r.kind {
		case rowPublic:
			return Result{Done: true, Picked: true}, nil
		case rowTyped:
			return Result{Done: true, Picked: true, ID: p.typed()}, nil
		default:
			if !r.pool.Usable() {
				p.msg = fmt.Sprintf("%s is %s: notebooks can be created only on an ACTIVE pool; pick another or try again later",
					text.Sanitize(r.pool.PoolID), text.Sanitize(r.pool.Status))
				return Result{}, nil
			}
			c := r.pool
			return Result{Done: true, Picked: true, ID: c.PoolID, Pool: &c}, nil
		}
	default:
		var cmd tea.Cmd
		before := p.filter.Value()
		p.filter, cmd = p.filter.Update(k)
		if p.filter.Value() != before {
			p.cursor, p.offset = 0, 0
		}
		return Result{}, cmd
	}
	return Result{}, nil
}

// Column widths; the pool ID takes the rest.
const (
	statusW = 17 // INITIALIZE_FAILED
	catW    = 14
	flavW   = 7
)

func (p *Picker) line(r row, idW int) (string, bool) {
	switch r.kind {
	case rowPublic:
		return "public pool (sends no pool_id)", true
	case rowTyped:
		return "use " + strconv.Quote(text.Sanitize(p.typed())) + " as the pool ID (not listed)", true
	}
	c := r.pool
	flavors := "-"
	if len(c.Flavors) > 0 {
		flavors = strconv.Itoa(len(c.Flavors))
	}
	return text.Fit(text.Sanitize(c.PoolID), idW) + " " + text.Fit(text.Sanitize(c.Status), statusW) + " " +
		text.Fit(text.Sanitize(strings.Join(c.ResourceCategories, ",")), catW) + " " + text.FitRight(flavors, flavW), c.Usable()
}

// View renders the picker in width × height cells.
func (p *Picker) View(width, height int) string {
	st := &p.ctx.Styles
	km := &p.ctx.Keys
	idW := max(width-2-statusW-catW-flavW-3, 12)
	lines := []string{st.Title.Render("Pool"), p.filter.View(),
		st.TableHeader.Render(text.Truncate("  "+text.Fit("POOL", idW)+" "+text.Fit("STATUS", statusW)+" "+
			text.Fit("CATEGORIES", catW)+" "+text.FitRight("FLAVORS", flavW), width))}
	rows := p.rows()
	if len(rows) == 0 {
		lines = append(lines, st.Muted.Render("  no pool matches"))
	}
	var foot []string
	if p.msg != "" {
		foot = append(foot, st.Warning.Render(text.Truncate(p.msg, width)))
	}
	foot = append(foot, st.Muted.Render(text.Truncate("type to filter or enter an ID · ↑/↓ · "+
		keys.Hint(keys.H("choose", km.Confirm), keys.H("back", km.Back)), width)))
	n := max(height-len(lines)-len(foot), 1)
	if p.cursor < p.offset {
		p.offset = p.cursor
	}
	if p.cursor >= p.offset+n {
		p.offset = p.cursor - n + 1
	}
	for i := p.offset; i < min(len(rows), p.offset+n); i++ {
		l, usable := p.line(rows[i], idW)
		l = text.Truncate(l, width-2)
		switch {
		case i == p.cursor:
			lines = append(lines, "> "+st.Selected.Render(l))
		case !usable:
			lines = append(lines, "  "+st.Muted.Render(l))
		default:
			lines = append(lines, "  "+l)
		}
	}
	return strings.Join(append(lines, foot...), "\n")
}

// Label is how the form shows a chosen pool: its ID with status and
// categories when it is listed, "public pool" for none.
func Label(id string, c *model.Cluster) string {
	switch {
	case id == "":
		return "public pool"
	case c == nil:
		return text.Sanitize(id) + " (not listed)"
	}
	l := text.Sanitize(c.PoolID) + " · " + text.Sanitize(c.Status)
	if len(c.ResourceCategories) > 0 {
		l += " · " + text.Sanitize(strings.Join(c.ResourceCategories, ","))
	}
	return l
}

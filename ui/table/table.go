// Package table is the instance list: filtering, status groups, sorting,
// selection that follows an instance across refreshes, marks, and a
// renderer whose cost depends on the visible rows only.
//
// Everything proportional to the number of instances (sanitising, the
// search text, sorting, filtering, counts, content widths) happens when data
// or the query changes; View touches only the rows on screen. The columns
// come from the registry in ui/columns. Static cells (name, generation,
// flavor, image, owner) are cached per instance, styled, and rebuilt only
// when that instance's cell text changes or the layout or theme does;
// ticking cells (status spinner, auto-stop, age) are rendered every frame
// because they move with the clock.
package table

import (
	"cmp"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"matui/model"
	"matui/ui/columns"
	"matui/ui/text"
	"matui/ui/uictx"
)

// Group is a status filter cycled with tab.
type Group int

// Status groups in tab order.
const (
	GroupAll Group = iota
	GroupRunning
	GroupTransitional // includes queued
	GroupStopped
	GroupFailed
	numGroups
)

func (g Group) String() string {
	return [...]string{"all", "running", "transitional", "stopped", "failed"}[g]
}

func (g Group) has(c model.StatusClass) bool {
	switch g {
	case GroupRunning:
		return c == model.ClassRunning
	case GroupTransitional:
		return c == model.ClassTransitional || c == model.ClassQueued
	case GroupStopped:
		return c == model.ClassStopped
	case GroupFailed:
		return c == model.ClassFailed
	}
	return true
}

// row is an instance with the text of its static cells, sanitised once per
// refresh. static follows colSet.static; a row whose static cells read the
// same as before keeps its cached rendering, whatever else changed.
type row struct {
	inst   model.Instance
	static []columns.Cell
	hay    string // lower-case search text
}

// cellText is the row's text in column c: the static cell computed at refresh,
// or the cell at server time now.
func (t *Table) cellText(r *row, c columns.Column, at columns.At) string {
	if k := t.set.slot[c]; k >= 0 {
		return r.static[k].Text
	}
	return c.Cell(&r.inst, at).Text
}

// searchText is what the / filter matches. Fields are separated by NUL so a
// fuzzy term never matches across two fields ("chr" must not match "echo" +
// "pytorch").
func (t *Table) searchText(r *row, at columns.At) string {
	in := &r.inst
	return strings.ToLower(strings.Join([]string{t.cellText(r, columns.Name, at), text.Sanitize(in.ID),
		t.cellText(r, columns.Flavor, at), text.Sanitize(in.Flavor), text.Sanitize(in.Status), string(in.Class),
		t.cellText(r, columns.Image, at)}, "\x00"))
}

// Table is the instance list component.
type Table struct {
	ctx           *uictx.Context
	width, height int

	loaded   bool
	rows     []row
	byID     map[string]int // id → index in rows
	view     []int          // indices into rows, filtered and sorted
	cursor   int            // index into view
	offset   int            // first visible index into view
	selected string         // id under the cursor, kept across refreshes

	marks  map[string]bool
	filter string
	query  query // filter, parsed
	// pinLabel labels pinned rows (the PIN column); nil: none. Call
	// SetInstances again after the pins changed, so the column appears or
	// goes.
	pinLabel func(id string) string
	group    Group
	sortBy   columns.Column
	desc     bool

	set     colSet
	counts  map[model.StatusClass]int
	content [columns.Count]int // widest text per variable-width column
	layout  layout
	cache   map[string]*[columns.Count]string // styled static cells by instance ID
}

// New returns an empty table reading size, styles, keys and clock from ctx.
// It shows the dashboard's columns in this order; the registry decides
// which of them a narrow screen drops.
func New(ctx *uictx.Context) *Table {
	return &Table{
		ctx: ctx,
		set: newColSet(columns.Name, columns.Gen, columns.Status, columns.Flavor, columns.Image, columns.AutoStop, columns.Pin,
			columns.Age, columns.Owner, columns.Mounts, columns.Tags),
		byID:   map[string]int{},
		marks:  map[string]bool{},
		counts: map[model.StatusClass]int{},
		cache:  map[string]*[columns.Count]string{},
	}
}

// SetSize sets the area the table draws in: width cells, height lines
// including the column header line.
func (t *Table) SetSize(w, h int) {
	if w == t.width && h == t.height {
		return
	}
	t.width, t.height = max(w, 0), max(h, 0)
	t.relayout()
	t.ensureVisible()
}

// InvalidateStyles drops cached cells after a theme change.
func (t *Table) InvalidateStyles() { clear(t.cache) }

func (t *Table) relayout() {
	l := computeLayout(&t.set, t.width, &t.content)
	if l != t.layout {
		t.layout = l
		clear(t.cache)
	}
}

// SetInstances replaces the data. The cursor stays on the same instance (by
// ID) whatever the new order; if that instance is gone it stays at the same
// position. Cached cells of unchanged instances survive.
func (t *Table) SetInstances(list []model.Instance) {
	t.loaded = true
	old, oldByID := t.rows, t.byID
	t.rows = make([]row, len(list))
	t.byID = make(map[string]int, len(list))
	clear(t.counts)
	// One allocation holds every row's static cells.
	n := len(t.set.static)
	cells := make([]columns.Cell, len(list)*n)
	at := columns.At{Now: t.ctx.ServerNow, Pin: t.pinLabel}
	var content [columns.Count]int
	for i := range list {
		r := &t.rows[i]
		r.inst = list[i]
		r.static = cells[i*n : (i+1)*n : (i+1)*n]
		for k, c := range t.set.static {
			r.static[k] = c.Cell(&r.inst, at)
		}
		r.hay = t.searchText(r, at)
		t.byID[r.inst.ID] = i
		t.counts[r.inst.Class]++
		if j, ok := oldByID[r.inst.ID]; ok && !slices.Equal(old[j].static, r.static) {
			delete(t.cache, r.inst.ID)
		}
		for _, c := range t.set.shown {
			if t.set.variable(c) {
				content[c] = max(content[c], text.Width(t.cellText(r, c, at)))
			}
		}
	}
	for id := range t.cache {
		if _, ok := t.byID[id]; !ok {
			delete(t.cache, id)
		}
	}
	for id := range t.marks {
		if _, ok := t.byID[id]; !ok {
			delete(t.marks, id)
		}
	}
	t.content = content
	t.relayout()
	t.rebuild()
}

// rebuild recomputes the filtered, sorted view and puts the cursor back on
// the selected instance.
func (t *Table) rebuild() {
	t.view = t.view[:0]
	for i := range t.rows {
		r := &t.rows[i]
		if !t.group.has(r.inst.Class) {
			continue
		}
		if !t.query.empty() && !t.query.match(r) {
			continue
		}
		t.view = append(t.view, i)
	}
	t.sort()
	if i := t.indexOf(t.selected); i >= 0 {
		t.cursor = i
	}
	t.clamp()
}

func (t *Table) indexOf(id string) int {
	if id == "" {
		return -1
	}
	ri, ok := t.byID[id]
	if !ok {
		return -1
	}
	for i, v := range t.view {
		if v == ri {
			return i
		}
	}
	return -1
}

// compare orders two rows by the sort column, then by name and ID so the
// order is total and stable across refreshes.
func (t *Table) compare(a, b *row) int {
	c := t.sortBy.Compare(&a.inst, &b.inst)
	if t.desc {
		c = -c
	}
	if c == 0 {
		c = cmp.Or(columns.Name.Compare(&a.inst, &b.inst), strings.Compare(a.inst.ID, b.inst.ID))
		if t.desc && t.sortBy == columns.Name {
			c = -c
		}
	}
	return c
}

func (t *Table) sort() {
	slices.SortStableFunc(t.view, func(i, j int) int { return t.compare(&t.rows[i], &t.rows[j]) })
}

func (t *Table) clamp() {
	if t.cursor >= len(t.view) {
		t.cursor = len(t.view) - 1
	}
	if t.cursor < 0 {
		t.cursor = 0
	}
	if len(t.view) > 0 {
		t.selected = t.rows[t.view[t.cursor]].inst.ID
	}
	t.ensureVisible()
}

func (t *Table) bodyHeight() int { return max(t.height-1, 0) }

func (t *Table) ensureVisible() {
	h := t.bodyHeight()
	if h <= 0 {
		t.offset = t.cursor
		return
	}
	if t.cursor < t.offset {
		t.offset = t.cursor
	}
	if t.cursor >= t.offset+h {
		t.offset = t.cursor - h + 1
	}
	if maxOff := max(len(t.view)-h, 0); t.offset > maxOff {
		t.offset = maxOff
	}
	if t.offset < 0 {
		t.offset = 0
	}
}

// Move moves the cursor by delta rows (clamped).
func (t *Table) Move(delta int) {
	t.cursor += delta
	t.clamp()
}

// Top and Bottom jump to the first and last row.
func (t *Table) Top()    { t.cursor = 0; t.clamp() }
func (t *Table) Bottom() { t.cursor = len(t.view) - 1; t.clamp() }

// Update handles navigation keys and the mouse wheel; other messages are
// the root model's business. It reports whether msg was consumed.
func (t *Table) Update(msg tea.Msg) bool {
	k := &t.ctx.Keys
	page := max(t.bodyHeight()-1, 1)
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, k.Up):
			t.Move(-1)
		case key.Matches(msg, k.Down):
			t.Move(1)
		case key.Matches(msg, k.Top):
			t.Top()
		case key.Matches(msg, k.Bottom):
			t.Bottom()
		case key.Matches(msg, k.PageUp):
			t.Move(-page)
		case key.Matches(msg, k.PageDown):
			t.Move(page)
		default:
			return false
		}
		return true
	case tea.MouseWheelMsg:
		switch msg.Button {
		case tea.MouseWheelUp:
			t.Move(-3)
		case tea.MouseWheelDown:
			t.Move(3)
		default:
			return false
		}
		return true
	}
	return false
}

// Click selects the row at line y of the table area (0 is the column
// header). It reports whether a row was hit.
func (t *Table) Click(y int) bool {
	if y < 1 {
		return false
	}
	i := t.offset + y - 1
	if i >= len(t.view) || y > t.bodyHeight() {
		return false
	}
	t.cursor = i
	t.clamp()
	return true
}

// Selected returns the instance under the cursor.
func (t *Table) Selected() (model.Instance, bool) {
	if len(t.view) == 0 {
		return model.Instance{}, false
	}
	return t.rows[t.view[t.cursor]].inst, true
}

// Get returns the current data for an instance ID.
func (t *Table) Get(id string) (model.Instance, bool) {
	i, ok := t.byID[id]
	if !ok {
		return model.Instance{}, false
	}
	return t.rows[i].inst, true
}

// ToggleMark marks or unmarks the selected instance and moves down, so
// space-space-space marks a run of rows.
func (t *Table) ToggleMark() {
	in, ok := t.Selected()
	if !ok {
		return
	}
	if t.marks[in.ID] {
		delete(t.marks, in.ID)
	} else {
		t.marks[in.ID] = true
	}
	t.Move(1)
}

// Marked returns the marked instances in display order. Marks survive
// filtering; marked instances hidden by the filter are included.
func (t *Table) Marked() []model.Instance {
	if len(t.marks) == 0 {
		return nil
	}
	out := make([]model.Instance, 0, len(t.marks))
	shown := make(map[string]bool, len(t.marks))
	for _, i := range t.view {
		if id := t.rows[i].inst.ID; t.marks[id] {
			out = append(out, t.rows[i].inst)
			shown[id] = true
		}
	}
	for i := range t.rows { // marked, but hidden by the filter or group
		if id := t.rows[i].inst.ID; t.marks[id] && !shown[id] {
			out = append(out, t.rows[i].inst)
		}
	}
	return out
}

// SetPinLabel sets how pinned rows are labelled (nil: no pins).
func (t *Table) SetPinLabel(f func(id string) string) { t.pinLabel = f }

// IsMarked reports whether the instance is marked.
func (t *Table) IsMarked(id string) bool { return t.marks[id] }

// MarkCount is the number of marked instances.
func (t *Table) MarkCount() int { return len(t.marks) }

// ClearMarks unmarks everything.
func (t *Table) ClearMarks() { clear(t.marks) }

// SetFilter sets the filter: fuzzy terms, and tag:KEY, tag:KEY=VALUE,
// owner:NAME terms (see query).
func (t *Table) SetFilter(f string) {
	if f == t.filter {
		return
	}
	t.filter = f
	t.query = parseQuery(f)
	t.rebuild()
}

// Filter is the current filter.
func (t *Table) Filter() string { return t.filter }

// CycleGroup moves to the next (delta 1) or previous (-1) status group.
func (t *Table) CycleGroup(delta int) {
	t.group = Group((int(t.group) + delta + int(numGroups)) % int(numGroups))
	t.rebuild()
}

// SetGroup selects a status group.
func (t *Table) SetGroup(g Group) { t.group = g; t.rebuild() }

// Group is the current status group.
func (t *Table) Group() Group { return t.group }

// CycleSort sorts by the next shown column (ascending).
func (t *Table) CycleSort() {
	i := slices.Index(t.set.shown, t.sortBy)
	t.sortBy = t.set.shown[(i+1)%len(t.set.shown)]
	t.desc = false
	t.rebuild()
}

// SetSort sorts by c, descending if desc.
func (t *Table) SetSort(c columns.Column, desc bool) {
	t.sortBy, t.desc = c, desc
	t.rebuild()
}

// ReverseSort flips the sort direction.
func (t *Table) ReverseSort() { t.desc = !t.desc; t.rebuild() }

// Sort is the current sort column and direction.
func (t *Table) Sort() (columns.Column, bool) { return t.sortBy, t.desc }

// Len is the number of rows shown (after group and filter); Total the
// number of instances.
func (t *Table) Len() int   { return len(t.view) }
func (t *Table) Total() int { return len(t.rows) }

// Cursor is the selected row's index among the shown rows.
func (t *Table) Cursor() int { return t.cursor }

// Counts is the number of instances per status class (unfiltered).
func (t *Table) Counts() map[model.StatusClass]int { return t.counts }

// Transitional reports whether any instance is in a transitional or queued
// state (the root polls faster then).
func (t *Table) Transitional() bool {
	return t.counts[model.ClassTransitional] > 0 || t.counts[model.ClassQueued] > 0
}

// Visible returns the visible rows' instance IDs, top to bottom (tests,
// mouse hit-testing).
func (t *Table) Visible() []string {
	h := t.bodyHeight()
	var out []string
	for i := t.offset; i < len(t.view) && i < t.offset+h; i++ {
		out = append(out, t.rows[t.view[i]].inst.ID)
	}
	return out
}

// StatusSymbol is columns.StatusSymbol, for the views that show a status
// outside the table.
func StatusSymbol(in *model.Instance, frame int) string { return columns.StatusSymbol(in, frame) }

// toneStyle is the theme's style for a cell tone.
func toneStyle(ctx *uictx.Context, t columns.Tone) lipgloss.Style {
	s := &ctx.Styles
	switch t {
	case columns.ToneCell:
		return s.Cell
	case columns.ToneRunning:
		return s.Running
	case columns.ToneTransitional:
		return s.Transitional
	case columns.ToneStopped:
		return s.Stopped
	case columns.ToneFailed:
		return s.Failed
	case columns.ToneQueued:
		return s.Queued
	case columns.ToneWarning:
		return s.Warning
	case columns.ToneDanger:
		return s.Danger
	}
	return s.Muted
}

// StatusStyle is the style for a status class.
func StatusStyle(ctx *uictx.Context, c model.StatusClass) lipgloss.Style {
	return toneStyle(ctx, columns.StatusTone(c))
}

// LevelStyle is the style for a countdown urgency.
func LevelStyle(ctx *uictx.Context, l text.Level) lipgloss.Style {
	return toneStyle(ctx, columns.LevelTone(l))
}

// View renders the column header and the visible rows, exactly height
// lines (fewer only when height is smaller than the content), each at most
// width cells.
func (t *Table) View() string {
	if t.width <= 0 || t.height <= 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString(t.headerLine())
	h := t.bodyHeight()
	switch {
	case !t.loaded:
		t.message(&b, "Loading instances…", h)
		return b.String()
	case len(t.rows) == 0:
		t.message(&b, "No notebook instances.", h)
		return b.String()
	case len(t.view) == 0:
		msg := "No instances in group " + t.group.String() + "."
		if t.filter != "" {
			msg = "No instances match /" + text.Sanitize(t.filter) + " — esc clears."
		}
		t.message(&b, msg, h)
		return b.String()
	}
	if t.width <= gutter {
		t.message(&b, "", h)
		return b.String()
	}
	at := columns.At{Now: t.ctx.ServerNow, Frame: t.ctx.Frame, Pin: t.pinLabel}
	for i := 0; i < h; i++ {
		b.WriteByte('\n')
		vi := t.offset + i
		if vi >= len(t.view) {
			continue
		}
		r := &t.rows[t.view[vi]]
		if vi == t.cursor {
			b.WriteString(t.selectedLine(r, at))
		} else {
			b.WriteString(t.line(r, at))
		}
	}
	return b.String()
}

func (t *Table) message(b *strings.Builder, msg string, h int) {
	for i := 0; i < h; i++ {
		b.WriteByte('\n')
		if i == 1 || h == 1 {
			b.WriteString(t.ctx.Styles.Muted.Render(text.Truncate("  "+msg, t.width)))
		}
	}
}

func (t *Table) headerLine() string {
	var b strings.Builder
	b.WriteString(strings.Repeat(" ", min(gutter, t.width)))
	first := true
	for _, c := range t.set.shown {
		w := t.layout[c]
		if w == 0 {
			continue
		}
		if !first {
			b.WriteByte(' ')
		}
		first = false
		title := c.String()
		if c == t.sortBy {
			if t.desc {
				title += "↓"
			} else {
				title += "↑"
			}
		}
		if t.set.width[c].Right {
			b.WriteString(text.FitRight(title, w))
		} else {
			b.WriteString(text.Fit(title, w))
		}
	}
	return t.ctx.Styles.TableHeader.Render(text.Truncate(b.String(), t.width))
}

// staticCells returns the cached styled cells that do not move with time.
func (t *Table) staticCells(r *row) *[columns.Count]string {
	if c, ok := t.cache[r.inst.ID]; ok {
		return c
	}
	var cells [columns.Count]string
	for k, c := range t.set.static {
		if w := t.layout[c]; w > 0 {
			cell := r.static[k]
			cells[c] = toneStyle(t.ctx, cell.Tone).Render(c.Fit(cell.Text, w))
		}
	}
	t.cache[r.inst.ID] = &cells
	return &cells
}

func (t *Table) line(r *row, at columns.At) string {
	var b strings.Builder
	if t.marks[r.inst.ID] {
		b.WriteString(t.ctx.Styles.Mark.Render("✓"))
		b.WriteByte(' ')
	} else {
		b.WriteString("  ")
	}
	cells := t.staticCells(r)
	first := true
	for _, c := range t.set.shown {
		w := t.layout[c]
		if w == 0 {
			continue
		}
		if !first {
			b.WriteByte(' ')
		}
		first = false
		if c.Static() {
			b.WriteString(cells[c])
			continue
		}
		cell := c.Cell(&r.inst, at)
		b.WriteString(toneStyle(t.ctx, cell.Tone).Render(c.Fit(cell.Text, w)))
	}
	return b.String()
}

// selectedLine renders the cursor row with the selection background on
// every cell (including separators) and the ticking cells' colours kept as
// foreground, so the state stays readable when selected.
func (t *Table) selectedLine(r *row, at columns.At) string {
	s := &t.ctx.Styles
	sel := s.Selected
	var b strings.Builder
	mark := "  "
	if t.marks[r.inst.ID] {
		mark = "✓ "
	}
	b.WriteString(sel.Render(mark))
	used := gutter
	last := columns.Column(-1)
	for _, c := range t.set.shown {
		if t.layout[c] > 0 {
			last = c
		}
	}
	for _, c := range t.set.shown {
		w := t.layout[c]
		if w == 0 {
			continue
		}
		var str string
		st := sel
		if k := t.set.slot[c]; k >= 0 {
			str = r.static[k].Text
		} else {
			cell := c.Cell(&r.inst, at)
			str = cell.Text
			if !s.NoColor {
				st = toneStyle(t.ctx, cell.Tone).Inherit(sel).Background(sel.GetBackground())
			}
		}
		cell := c.Fit(str, w)
		if c != last {
			cell += " "
		}
		b.WriteString(st.Render(cell))
		used += text.Width(cell)
	}
	if pad := t.width - used; pad > 0 {
		b.WriteString(sel.Render(strings.Repeat(" ", pad)))
	}
	return b.String()
}

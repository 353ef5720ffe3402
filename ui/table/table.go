// Package table is the instance list: filtering, status groups, sorting,
// selection that follows an instance across refreshes, marks, and a
// renderer whose cost depends on the visible rows only.
//
// Everything proportional to the number of instances (sanitising, the
// search text, sorting, filtering, counts, content widths) happens when data
// or the query changes; View touches only the rows on screen. Static cells
// (name, generation, flavor, image, owner) are cached per instance and
// rebuilt only when that instance's displayed fields change or the layout or
// theme does; status (spinner), auto-stop and age cells are rendered every
// frame because they move with the clock.
package table

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"matui/model"
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

// row is an instance with its display strings sanitised once per refresh.
type row struct {
	inst                               model.Instance
	name, status, flavor, image, owner string
	hay                                string // lower-case search text
}

func newRow(in model.Instance) row {
	r := row{
		inst:   in,
		name:   text.Sanitize(in.Name),
		status: text.Sanitize(in.Status),
		flavor: text.Flavor(in.Spec, in.Flavor),
		image:  text.Sanitize(in.Image),
		owner:  text.Sanitize(in.Owner),
	}
	if r.name == "" {
		r.name = text.Sanitize(in.ID)
	}
	// Fields are separated by NUL so a fuzzy term never matches across two
	// fields ("chr" must not match "echo" + "pytorch").
	r.hay = strings.ToLower(strings.Join([]string{r.name, text.Sanitize(in.ID), r.flavor,
		text.Sanitize(in.Flavor), r.status, string(in.Class), r.image}, "\x00"))
	return r
}

// sameStatic reports whether the cached static cells of a can be reused for b.
func sameStatic(a, b *row) bool {
	return a.name == b.name && a.flavor == b.flavor && a.image == b.image &&
		a.owner == b.owner && a.inst.Generation == b.inst.Generation
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
	group  Group
	sortBy Column
	desc   bool

	counts  map[model.StatusClass]int
	content [numCols]int
	layout  layout
	cache   map[string]*[numCols]string
}

// New returns an empty table reading size, styles, keys and clock from ctx.
func New(ctx *uictx.Context) *Table {
	return &Table{
		ctx:    ctx,
		byID:   map[string]int{},
		marks:  map[string]bool{},
		counts: map[model.StatusClass]int{},
		cache:  map[string]*[numCols]string{},
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
	l := computeLayout(t.width, t.content)
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
	var content [numCols]int
	for i := range list {
		r := newRow(list[i])
		t.rows[i] = r
		t.byID[r.inst.ID] = i
		t.counts[r.inst.Class]++
		if j, ok := oldByID[r.inst.ID]; ok && !sameStatic(&old[j], &r) {
			delete(t.cache, r.inst.ID)
		}
		content[ColName] = max(content[ColName], text.Width(r.name))
		content[ColFlavor] = max(content[ColFlavor], text.Width(r.flavor))
		content[ColImage] = max(content[ColImage], text.Width(r.image))
		content[ColOwner] = max(content[ColOwner], text.Width(r.owner))
		content[ColStatus] = max(content[ColStatus], text.Width(StatusSymbol(&r.inst, 0))+1+text.Width(r.status))
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
		if t.filter != "" && !text.Match(t.filter, r.hay) {
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

func classRank(c model.StatusClass) int {
	switch c {
	case model.ClassFailed:
		return 0
	case model.ClassTransitional:
		return 1
	case model.ClassQueued:
		return 2
	case model.ClassRunning:
		return 3
	case model.ClassStopped:
		return 4
	}
	return 5
}

// deadlineKey orders by when an instance will auto-stop; instances that
// will not (not running, off, idle) sort after all real deadlines.
func deadlineKey(in *model.Instance) int64 {
	if in.Status == "RUNNING" && in.AutoStop.Enabled && !strings.EqualFold(in.AutoStop.Type, "IDLE") && !in.AutoStop.Deadline.IsZero() {
		return in.AutoStop.Deadline.UnixNano()
	}
	return 1<<63 - 1
}

func (t *Table) compare(a, b *row) int {
	var c int
	switch t.sortBy {
	case ColGen:
		c = cmp.Compare(a.inst.Generation, b.inst.Generation)
	case ColStatus:
		c = cmp.Or(cmp.Compare(classRank(a.inst.Class), classRank(b.inst.Class)), strings.Compare(a.status, b.status))
	case ColFlavor:
		c = cmp.Or(strings.Compare(string(a.inst.Spec.Kind), string(b.inst.Spec.Kind)),
			cmp.Compare(a.inst.Spec.Count, b.inst.Spec.Count),
			cmp.Compare(a.inst.Spec.VCPUs, b.inst.Spec.VCPUs),
			cmp.Compare(a.inst.Spec.MemoryBytes, b.inst.Spec.MemoryBytes))
	case ColImage:
		c = strings.Compare(strings.ToLower(a.image), strings.ToLower(b.image))
	case ColAutoStop:
		c = cmp.Compare(deadlineKey(&a.inst), deadlineKey(&b.inst))
	case ColAge:
		// Ascending age = youngest first.
		c = -a.inst.Created.Compare(b.inst.Created)
	case ColOwner:
		c = strings.Compare(strings.ToLower(a.owner), strings.ToLower(b.owner))
	}
	if t.desc {
		c = -c
	}
	if c == 0 {
		c = cmp.Or(strings.Compare(strings.ToLower(a.name), strings.ToLower(b.name)), strings.Compare(a.inst.ID, b.inst.ID))
		if t.desc && t.sortBy == ColName {
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
	for i := range t.rows {
		if t.marks[t.rows[i].inst.ID] {
			out = append(out, t.rows[i].inst)
		}
	}
	return out
}

// MarkCount is the number of marked instances.
func (t *Table) MarkCount() int { return len(t.marks) }

// ClearMarks unmarks everything.
func (t *Table) ClearMarks() { clear(t.marks) }

// SetFilter sets the fuzzy filter.
func (t *Table) SetFilter(f string) {
	if f == t.filter {
		return
	}
	t.filter = f
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

// CycleSort sorts by the next column (ascending).
func (t *Table) CycleSort() {
	t.sortBy = (t.sortBy + 1) % numCols
	t.desc = false
	t.rebuild()
}

// SetSort sorts by c, descending if desc.
func (t *Table) SetSort(c Column, desc bool) {
	t.sortBy, t.desc = c, desc
	t.rebuild()
}

// ReverseSort flips the sort direction.
func (t *Table) ReverseSort() { t.desc = !t.desc; t.rebuild() }

// Sort is the current sort column and direction.
func (t *Table) Sort() (Column, bool) { return t.sortBy, t.desc }

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

// spinner frames for transitional states; one frame per program tick.
var spinFrames = [...]string{"◐", "◓", "◑", "◒"}

// StatusSymbol is the symbol that goes with a status class, so status is
// never told by colour alone.
func StatusSymbol(in *model.Instance, frame int) string {
	switch in.Class {
	case model.ClassRunning:
		return "●"
	case model.ClassStopped:
		return "○"
	case model.ClassFailed:
		return "✗"
	case model.ClassQueued:
		if in.QueueRank > 0 {
			return "#" + itoa(in.QueueRank)
		}
		return "⋯"
	case model.ClassTransitional:
		return spinFrames[frame%len(spinFrames)]
	}
	return "?"
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

// StatusStyle is the style for a status class.
func StatusStyle(ctx *uictx.Context, c model.StatusClass) lipgloss.Style {
	s := &ctx.Styles
	switch c {
	case model.ClassRunning:
		return s.Running
	case model.ClassTransitional:
		return s.Transitional
	case model.ClassStopped:
		return s.Stopped
	case model.ClassFailed:
		return s.Failed
	case model.ClassQueued:
		return s.Queued
	}
	return s.Muted
}

// LevelStyle is the style for a countdown urgency.
func LevelStyle(ctx *uictx.Context, l text.Level) lipgloss.Style {
	switch l {
	case text.LevelWarning:
		return ctx.Styles.Warning
	case text.LevelDanger:
		return ctx.Styles.Danger
	case text.LevelOK:
		return ctx.Styles.Cell
	}
	return ctx.Styles.Muted
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
	now := t.ctx.ServerNow
	for i := 0; i < h; i++ {
		b.WriteByte('\n')
		vi := t.offset + i
		if vi >= len(t.view) {
			continue
		}
		r := &t.rows[t.view[vi]]
		if vi == t.cursor {
			b.WriteString(t.selectedLine(r, now))
		} else {
			b.WriteString(t.line(r, now))
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
	for c := range numCols {
		w := t.layout[c]
		if w == 0 {
			continue
		}
		if !first {
			b.WriteByte(' ')
		}
		first = false
		title := specs[c].title
		if c == t.sortBy {
			if t.desc {
				title += "↓"
			} else {
				title += "↑"
			}
		}
		if specs[c].right {
			b.WriteString(text.FitRight(title, w))
		} else {
			b.WriteString(text.Fit(title, w))
		}
	}
	return t.ctx.Styles.TableHeader.Render(text.Truncate(b.String(), t.width))
}

// staticCells returns the cached styled cells that do not move with time.
func (t *Table) staticCells(r *row) *[numCols]string {
	if c, ok := t.cache[r.inst.ID]; ok {
		return c
	}
	s := &t.ctx.Styles
	var cells [numCols]string
	for c := range numCols {
		w := t.layout[c]
		if w == 0 {
			continue
		}
		switch c {
		case ColName:
			cells[c] = s.Cell.Render(text.Fit(r.name, w))
		case ColGen:
			cells[c] = s.Muted.Render(text.Fit(genLabel(r.inst.Generation), w))
		case ColFlavor:
			cells[c] = s.Cell.Render(text.Fit(r.flavor, w))
		case ColImage:
			cells[c] = s.Muted.Render(text.Fit(r.image, w))
		case ColOwner:
			cells[c] = s.Muted.Render(text.Fit(r.owner, w))
		}
	}
	t.cache[r.inst.ID] = &cells
	return &cells
}

func genLabel(g model.Generation) string {
	if g == model.Gen1 {
		return "G1"
	}
	return "G2"
}

// dynamic returns the plain text and style of the cells that move with
// the clock.
func (t *Table) dynamic(c Column, r *row, now time.Time) (string, lipgloss.Style) {
	switch c {
	case ColStatus:
		return StatusSymbol(&r.inst, t.ctx.Frame) + " " + r.status, StatusStyle(t.ctx, r.inst.Class)
	case ColAutoStop:
		s, l := text.AutoStopCell(&r.inst, now)
		return s, LevelStyle(t.ctx, l)
	case ColAge:
		if r.inst.Created.IsZero() {
			return "—", t.ctx.Styles.Muted
		}
		return text.Age(now.Sub(r.inst.Created)), t.ctx.Styles.Muted
	}
	return "", t.ctx.Styles.Cell
}

func (t *Table) fit(c Column, s string) string {
	if specs[c].right {
		return text.FitRight(s, t.layout[c])
	}
	return text.Fit(s, t.layout[c])
}

func (t *Table) line(r *row, now time.Time) string {
	var b strings.Builder
	if t.marks[r.inst.ID] {
		b.WriteString(t.ctx.Styles.Mark.Render("✓"))
		b.WriteByte(' ')
	} else {
		b.WriteString("  ")
	}
	cells := t.staticCells(r)
	first := true
	for c := range numCols {
		if t.layout[c] == 0 {
			continue
		}
		if !first {
			b.WriteByte(' ')
		}
		first = false
		switch c {
		case ColStatus, ColAutoStop, ColAge:
			s, st := t.dynamic(c, r, now)
			b.WriteString(st.Render(t.fit(c, s)))
		default:
			b.WriteString(cells[c])
		}
	}
	return b.String()
}

// selectedLine renders the cursor row with the selection background on
// every cell (including separators) and the status colours kept as
// foreground, so the state stays readable when selected.
func (t *Table) selectedLine(r *row, now time.Time) string {
	s := &t.ctx.Styles
	sel := s.Selected
	var b strings.Builder
	mark := "  "
	if t.marks[r.inst.ID] {
		mark = "✓ "
	}
	b.WriteString(sel.Render(mark))
	used := gutter
	last := Column(-1)
	for c := range numCols {
		if t.layout[c] > 0 {
			last = c
		}
	}
	for c := range numCols {
		w := t.layout[c]
		if w == 0 {
			continue
		}
		var str string
		st := sel
		switch c {
		case ColName:
			str = r.name
		case ColGen:
			str = genLabel(r.inst.Generation)
		case ColFlavor:
			str = r.flavor
		case ColImage:
			str = r.image
		case ColOwner:
			str = r.owner
		default:
			var dst lipgloss.Style
			str, dst = t.dynamic(c, r, now)
			if !s.NoColor {
				st = dst.Inherit(sel).Background(sel.GetBackground())
			}
		}
		cell := t.fit(c, str)
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

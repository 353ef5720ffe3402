// Package flavorpicker is the flavor table of the notebook forms: filter by
// category (tab) and architecture (A), search (/), the full spec of the
// highlighted flavor beside the table (below it at narrow widths). Sold-out
// flavors stay visible, so the user sees they exist, but cannot be picked.
// It is given the flavors; it never fetches them.
package flavorpicker

import (
	"fmt"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"matui/model"
	"matui/ui/dialog"
	"matui/ui/keys"
	"matui/ui/overlay"
	"matui/ui/text"
	"matui/ui/uictx"
)

// Category filters; "" shows all.
var categories = [...]model.AccelKind{"", model.KindCPU, model.KindGPU, model.KindAscend}

// Architecture filters; "" shows all.
var arches = [...]string{"", "x86_64", "aarch64"}

// Result is what one Update produced.
type Result struct {
	Done   bool                  // the picker closed (picked or cancelled)
	Picked *model.NotebookFlavor // the chosen flavor; nil when cancelled
}

// Options configure a picker.
type Options struct {
	// Selected is the id highlighted first (the form's current flavor).
	Selected string
	// Category preselects a category filter (CPU, GPU, Ascend); "" for all.
	Category model.AccelKind
	// Browse makes the picker read-only (the dashboard's :flavors): enter
	// picks nothing and esc is the only way out.
	Browse bool
}

type row struct {
	f    model.NotebookFlavor
	spec model.Spec
	hay  string // lower-case search text
}

// Picker is the flavor table. Use New.
type Picker struct {
	ctx       *uictx.Context
	all       []row
	cat, arch int
	search    textinput.Model
	searching bool
	visible   []int // indexes into all
	cursor    int
	offset    int
	msg       string // why the last enter did nothing
	browse    bool
}

// New returns a picker over flavors (copied).
func New(ctx *uictx.Context, flavors []model.NotebookFlavor, opts Options) *Picker {
	p := &Picker{ctx: ctx, browse: opts.Browse}
	for _, f := range flavors {
		spec := model.SpecFromFlavor(f)
		hay := strings.ToLower(strings.Join([]string{f.ID, f.Name, f.Description, spec.Type, string(spec.Kind), spec.Arch}, " "))
		p.all = append(p.all, row{f: f, spec: spec, hay: hay})
	}
	for i, c := range categories {
		if c == opts.Category {
			p.cat = i
		}
	}
	p.search = dialog.NewInput(ctx, "/")
	p.refilter()
	for i, idx := range p.visible {
		if p.all[idx].f.ID == opts.Selected {
			p.cursor = i
		}
	}
	return p
}

// Highlighted is the flavor under the cursor, if any.
func (p *Picker) Highlighted() (model.NotebookFlavor, bool) {
	if p.cursor < 0 || p.cursor >= len(p.visible) {
		return model.NotebookFlavor{}, false
	}
	return p.all[p.visible[p.cursor]].f, true
}

// Visible returns the ids shown with the current filters, in order.
func (p *Picker) Visible() []string {
	out := make([]string, len(p.visible))
	for i, idx := range p.visible {
		out[i] = p.all[idx].f.ID
	}
	return out
}

// Message is the notice shown under the table (e.g. why a flavor cannot be picked).
func (p *Picker) Message() string { return p.msg }

func (p *Picker) matches(r row) bool {
	if c := categories[p.cat]; c != "" && r.spec.Kind != c {
		return false
	}
	if a := arches[p.arch]; a != "" && r.spec.Arch != a {
		return false
	}
	q := strings.TrimSpace(p.search.Value())
	if q == "" {
		return true
	}
	// Substring terms, not the dashboard's fuzzy match: with flavor ids a
	// subsequence is too loose ("910b" would match every "910(32GB)").
	for _, term := range strings.Fields(strings.ToLower(q)) {
		if !strings.Contains(r.hay, term) {
			return false
		}
	}
	return true
}

func (p *Picker) refilter() {
	var keep string
	if f, ok := p.Highlighted(); ok {
		keep = f.ID
	}
	p.visible = p.visible[:0]
	p.cursor = 0
	for i, r := range p.all {
		if p.matches(r) {
			if r.f.ID == keep {
				p.cursor = len(p.visible)
			}
			p.visible = append(p.visible, i)
		}
	}
	p.offset = 0
}

// Update handles one message.
func (p *Picker) Update(msg tea.Msg) (Result, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return Result{}, nil
	}
	km := &p.ctx.Keys
	if p.searching {
		if key.Matches(k, km.Confirm, km.Back) {
			// esc ends the search but keeps the filter; a second esc
			// clears it (same as the dashboard's / filter).
			p.searching = false
			p.search.Blur()
			return Result{}, nil
		}
		var cmd tea.Cmd
		p.search, cmd = p.search.Update(k)
		p.refilter()
		return Result{}, cmd
	}
	p.msg = ""
	switch {
	case key.Matches(k, km.Back):
		if p.search.Value() != "" {
			p.search.SetValue("")
			p.refilter()
			return Result{}, nil
		}
		return Result{Done: true}, nil
	case key.Matches(k, km.Search):
		p.searching = true
		return Result{}, p.search.Focus()
	case key.Matches(k, km.NextCategory):
		p.cat = (p.cat + 1) % len(categories)
		p.refilter()
	case key.Matches(k, km.PrevCategory):
		p.cat = (p.cat + len(categories) - 1) % len(categories)
		p.refilter()
	case key.Matches(k, km.NextArch):
		p.arch = (p.arch + 1) % len(arches)
		p.refilter()
	case key.Matches(k, km.Up):
		if p.cursor > 0 {
			p.cursor--
		}
	case key.Matches(k, km.Down):
		if p.cursor < len(p.visible)-1 {
			p.cursor++
		}
	case key.Matches(k, km.Top):
		p.cursor = 0
	case key.Matches(k, km.Bottom):
		p.cursor = max(len(p.visible)-1, 0)
	case key.Matches(k, km.Confirm):
		if p.browse {
			return Result{}, nil
		}
		f, ok := p.Highlighted()
		if !ok {
			p.msg = "no flavor matches the filters"
			return Result{}, nil
		}
		if f.SoldOut {
			p.msg = fmt.Sprintf("%s is sold out: resources are insufficient right now; pick another flavor or try again later", text.Sanitize(f.ID))
			return Result{}, nil
		}
		return Result{Done: true, Picked: &f}, nil
	}
	return Result{}, nil
}

// Browser is the picker as the dashboard's read-only flavor browser
// (:flavors), an overlay of its own.
type Browser struct{ p *Picker }

// NewBrowser returns the :flavors overlay over flavors.
func NewBrowser(ctx *uictx.Context, flavors []model.NotebookFlavor) *Browser {
	return &Browser{p: New(ctx, flavors, Options{Browse: true})}
}

// Update closes the browser when the picker is done.
func (b *Browser) Update(msg tea.Msg) (overlay.Overlay, tea.Cmd) {
	res, cmd := b.p.Update(msg)
	if res.Done {
		return nil, cmd
	}
	return b, cmd
}

// View draws the title and the picker.
func (b *Browser) View(width, height int) string {
	st := &b.p.ctx.Styles
	lines := strings.Split(st.Title.Render("Flavors")+"\n"+b.p.View(width, max(height-1, 1)), "\n")
	for i := range lines {
		lines[i] = text.Truncate(lines[i], width)
	}
	return strings.Join(lines, "\n")
}

// Help is the footer's key help.
func (b *Browser) Help() []key.Binding {
	back := b.p.ctx.Keys.Back
	back.SetHelp(back.Help().Key, "back")
	return []key.Binding{back, keys.CtrlC()}
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func accel(s model.Spec) string {
	if s.Kind == model.KindCPU || s.Kind == "" {
		return "-"
	}
	t := s.Type
	if t == "" {
		t = string(s.Kind)
	}
	if s.Count > 0 {
		return fmt.Sprintf("%s × %d", t, s.Count)
	}
	return t
}

func vcpus(v float64) string {
	if v <= 0 {
		return "-"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

type column struct {
	title string
	width int
	right bool
	cell  func(r row) string
	drop  int // dropped in ascending order when the table is too narrow; 0 never
}

func (p *Picker) columns() []column {
	return []column{
		{title: "FLAVOR", cell: func(r row) string { return text.Sanitize(r.f.ID) }},
		{title: "VCPU", width: 4, right: true, cell: func(r row) string { return vcpus(r.spec.VCPUs) }},
		{title: "MEMORY", width: 8, right: true, cell: func(r row) string { return dash(text.Bytes(r.spec.MemoryBytes)) }},
		{title: "ACCELERATOR", width: 16, cell: func(r row) string { return text.Sanitize(accel(r.spec)) }},
		{title: "CARD MEM", width: 8, right: true, drop: 4, cell: func(r row) string { return dash(text.Bytes(r.spec.CardMemoryBytes)) }},
		{title: "CHIPS", width: 5, right: true, drop: 1, cell: func(r row) string {
			if r.spec.Chips > 0 {
				return strconv.Itoa(r.spec.Chips)
			}
			return "-"
		}},
		{title: "ARCH", width: 7, drop: 2, cell: func(r row) string { return dash(text.Sanitize(r.spec.Arch)) }},
		{title: "STATE", width: 8, cell: func(r row) string {
			// One column for both: a sold-out free flavor is above all
			// sold out; the pane says it is free.
			switch {
			case r.f.SoldOut:
				return "SOLD OUT"
			case r.f.Free:
				return "free"
			}
			return "on sale"
		}},
	}
}

// fitColumns drops optional columns until the flavor id column gets at
// least minID cells, and gives it the remaining width.
func fitColumns(cols []column, width, minID int) []column {
	for {
		used := 2 // cursor gutter
		for _, c := range cols[1:] {
			used += c.width + 1
		}
		if width-used >= minID {
			cols[0].width = width - used
			return cols
		}
		drop, best := -1, 1<<30
		for i, c := range cols {
			if c.drop > 0 && c.drop < best {
				drop, best = i, c.drop
			}
		}
		if drop < 0 {
			cols[0].width = max(width-used, 8)
			return cols
		}
		cols = append(cols[:drop:drop], cols[drop+1:]...)
	}
}

func cell(s string, w int, right bool) string {
	if right {
		return text.FitRight(s, w)
	}
	return text.Fit(s, w)
}

// View renders the picker in width × height cells.
func (p *Picker) View(width, height int) string {
	st := &p.ctx.Styles
	km := &p.ctx.Keys
	// The arrows move whatever else up and down are bound to.
	arrows := key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑/↓", ""))
	width = max(width, 30)
	// Beside the table only when the table keeps every column (about 95
	// cells); below it otherwise.
	side := width >= 135
	tableW, paneW := width, width
	if side {
		paneW = 38
		tableW = width - paneW - 2
	}
	var head []string
	var tabs []string
	for i, c := range categories {
		name := string(c)
		if name == "" {
			name = "All"
		}
		if i == p.cat {
			tabs = append(tabs, st.Selected.Render("["+name+"]"))
		} else {
			tabs = append(tabs, " "+name+" ")
		}
	}
	archName := arches[p.arch]
	if archName == "" {
		archName = "any"
	}
	head = append(head, text.Truncate(strings.Join(tabs, "")+"  arch: "+archName, width))
	switch {
	case p.searching:
		head = append(head, text.Truncate(p.search.View(), width))
	case p.search.Value() != "":
		head = append(head, text.Truncate("/"+p.search.Value()+st.Muted.Render("  ("+km.Back.Help().Key+" clears)"), width))
	}

	pane := p.detail(paneW)
	footer := []string{}
	if p.msg != "" {
		for _, l := range strings.Split(ansi.Wordwrap(p.msg, width, ""), "\n") {
			footer = append(footer, st.Warning.Render(text.Truncate(l, width)))
		}
	}
	hint := keys.Hint(keys.H("category", km.NextCategory), keys.H("arch", km.NextArch), keys.H("search", km.Search),
		keys.H("pick", km.Confirm), keys.H("cancel", km.Back))
	if p.browse {
		hint = keys.Hint(keys.H("category", km.NextCategory), keys.H("arch", km.NextArch), keys.H("search", km.Search),
			keys.H("details", arrows), keys.H("back", km.Back))
	}
	footer = append(footer, st.Muted.Render(text.Truncate(hint, width)))

	rowsH := height - len(head) - len(footer) - 1 // 1: column header
	if !side {
		// Below the table: keep at least 3 rows of table.
		paneLines := min(len(pane), max(rowsH-3-1, 0))
		pane = pane[:paneLines]
		rowsH -= paneLines
		if paneLines > 0 {
			rowsH-- // separator
		}
	}
	rowsH = max(rowsH, 1)
	table := p.table(tableW, rowsH)

	var body []string
	if side {
		for i := range max(len(table), len(pane)) {
			l := text.Fit("", tableW)
			if i < len(table) {
				l = text.Fit(table[i], tableW)
			}
			r := ""
			if i < len(pane) {
				r = pane[i]
			}
			body = append(body, strings.TrimRight(l+"  "+r, " "))
		}
	} else {
		body = table
		if len(pane) > 0 {
			body = append(body, st.Muted.Render(strings.Repeat("─", width)))
			body = append(body, pane...)
		}
	}
	out := append(head, body...)
	out = append(out, footer...)
	if len(out) > height {
		out = out[:height]
	}
	return strings.Join(out, "\n")
}

func (p *Picker) table(width, rows int) []string {
	st := &p.ctx.Styles
	// 27 cells hold the longest catalog ids ("modelarts.bm.d910b.xlarge.8").
	cols := fitColumns(p.columns(), width, 27)
	var hdr []string
	for _, c := range cols {
		hdr = append(hdr, cell(c.title, c.width, c.right))
	}
	lines := []string{st.TableHeader.Render(strings.TrimRight("  "+strings.Join(hdr, " "), " "))}
	if len(p.visible) == 0 {
		return append(lines, st.Muted.Render("  no flavor matches the filters"))
	}
	if p.cursor < p.offset {
		p.offset = p.cursor
	}
	if p.cursor >= p.offset+rows {
		p.offset = p.cursor - rows + 1
	}
	for i := p.offset; i < min(len(p.visible), p.offset+rows); i++ {
		r := p.all[p.visible[i]]
		var cells []string
		for _, c := range cols {
			cells = append(cells, cell(c.cell(r), c.width, c.right))
		}
		l := strings.TrimRight(strings.Join(cells, " "), " ")
		switch {
		case i == p.cursor:
			lines = append(lines, "> "+st.Selected.Render(l))
		case r.f.SoldOut:
			lines = append(lines, "  "+st.Muted.Render(l))
		default:
			lines = append(lines, "  "+l)
		}
	}
	return lines
}

// detail is the full spec of the highlighted flavor, one field a line.
func (p *Picker) detail(width int) []string {
	st := &p.ctx.Styles
	f, ok := p.Highlighted()
	if !ok {
		return nil
	}
	s := model.SpecFromFlavor(f)
	var out []string
	add := func(label, v string) {
		if v == "" {
			return
		}
		out = append(out, text.Truncate(st.Label.Render(text.Fit(label, 11))+" "+v, width))
	}
	out = append(out, text.Truncate(st.Section.Render(text.Sanitize(f.ID)), width))
	if f.Name != "" {
		out = append(out, text.Truncate(text.Sanitize(f.Name), width))
	}
	add("Category", string(s.Kind))
	switch s.Kind {
	case model.KindAscend:
		add("NPU type", text.Sanitize(s.Type))
		if s.Count > 0 {
			add("NPUs", strconv.Itoa(s.Count))
		}
		if s.CardMemoryBytes > 0 {
			add("NPU memory", text.Bytes(s.CardMemoryBytes)+" per NPU")
		}
		if s.Chips > 0 {
			add("Chips", strconv.Itoa(s.Chips))
		}
	case model.KindGPU:
		add("GPU type", text.Sanitize(s.Type))
		if s.Count > 0 {
			add("GPUs", strconv.Itoa(s.Count))
		}
		if s.CardMemoryBytes > 0 {
			add("GPU memory", text.Bytes(s.CardMemoryBytes)+" per GPU")
		}
	}
	add("vCPUs", vcpus(s.VCPUs))
	add("Memory", text.Bytes(s.MemoryBytes))
	add("Arch", text.Sanitize(s.Arch))
	if len(f.Storages) > 0 {
		add("Storage", text.Sanitize(strings.Join(f.Storages, ", ")))
	}
	if f.Billing.Code != "" {
		add("Billing", text.Sanitize(f.Billing.Code)+" × "+strconv.Itoa(f.Billing.UnitNum.Int()))
	}
	if f.Free {
		add("Free", "yes")
	}
	if f.SoldOut {
		add("Status", st.Warning.Render("SOLD OUT — cannot be picked now"))
	} else {
		add("Status", "on sale")
	}
	if f.Description != "" {
		for _, l := range strings.Split(ansi.Wordwrap(text.Sanitize(f.Description), width, ""), "\n") {
			out = append(out, st.Muted.Render(text.Truncate(l, width)))
		}
	}
	return out
}

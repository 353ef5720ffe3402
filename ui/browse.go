package ui

import (
	"strconv"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"matui/model"
	"matui/ui/text"
	"matui/ui/toast"
	"matui/ui/uictx"
)

// browser is a read-only, scrollable table over the list: :images (the
// image catalog) and :audit (recent actions of an SSH console).
type browser struct {
	ctx   *uictx.Context
	title string
	empty string   // shown when there are no rows
	heads []string // column titles
	caps  []int    // maximum width of each column; 0 marks the one that takes the rest
	rows  [][]string

	cursor int
	offset int
	height int // rows shown by the last view
}

func newImageBrowser(ctx *uictx.Context, images []model.Image) *browser {
	b := &browser{ctx: ctx, title: "Images", empty: "no images",
		heads: []string{"NAME", "TAG", "ARCH", "CATEGORIES", "SERVICES"}, caps: []int{0, 24, 8, 24, 24}}
	for _, im := range images {
		name := im.Name
		if name == "" {
			name = im.Ref()
		}
		cats := append(append([]string{}, im.ResourceCategories...), im.SupportResCategories...)
		b.rows = append(b.rows, []string{
			text.Sanitize(name), text.Sanitize(im.Tag), text.Sanitize(model.NormArch(im.Arch)),
			text.Sanitize(strings.Join(uniq(cats), ",")), text.Sanitize(strings.Join(im.DevServices, ",")),
		})
	}
	return b
}

// AuditEntry is one audited action as :audit shows it. matui serve keeps
// the audit log; the dashboard only reads its recent entries.
type AuditEntry struct {
	Time         time.Time
	User         string // who: the key's identity
	Role         string
	Action       string
	InstanceID   string
	InstanceName string
	Result       string
	Code         string // ModelArts/APIG error code
	Detail       string
	Error        string
}

// newAuditBrowser lists audited actions, newest first.
func newAuditBrowser(ctx *uictx.Context, recs []AuditEntry) *browser {
	b := &browser{ctx: ctx, title: "Audit", empty: "no actions audited since the server started",
		heads: []string{"TIME", "USER", "ROLE", "ACTION", "INSTANCE", "RESULT", "DETAIL"}, caps: []int{8, 16, 8, 8, 24, 22, 0}}
	for _, r := range recs {
		result := r.Result
		if r.Code != "" {
			result += " " + r.Code
		}
		detail := r.Detail
		if r.Error != "" {
			detail = strings.TrimSpace(detail + " " + r.Error)
		}
		b.rows = append(b.rows, []string{
			r.Time.Local().Format("15:04:05"), text.Sanitize(r.User), r.Role, r.Action,
			text.Sanitize(cmpOr(r.InstanceName, r.InstanceID)), text.Sanitize(result), text.Sanitize(detail),
		})
	}
	return b
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func uniq(ss []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range ss {
		if u := strings.ToUpper(s); !seen[u] {
			seen[u] = true
			out = append(out, s)
		}
	}
	return out
}

// update handles a key; it returns true when the browser closes.
func (b *browser) update(k tea.KeyPressMsg) bool {
	page := max(b.height-1, 1)
	switch k.String() {
	case "esc", "q":
		return true
	case "up", "k":
		b.cursor--
	case "down", "j":
		b.cursor++
	case "pgup", "ctrl+b":
		b.cursor -= page
	case "pgdown", "ctrl+f":
		b.cursor += page
	case "home", "g":
		b.cursor = 0
	case "end", "G":
		b.cursor = len(b.rows) - 1
	}
	b.cursor = max(min(b.cursor, len(b.rows)-1), 0)
	return false
}

func (b *browser) view(width, height int) string {
	st := &b.ctx.Styles
	title := st.Title.Render(b.title) + st.Muted.Render(" · "+strconv.Itoa(len(b.rows))+" · ↑/↓ scroll · esc back")
	lines := []string{text.Truncate(title, width)}
	if len(b.rows) == 0 {
		return strings.Join(append(lines, st.Muted.Render(b.empty)), "\n")
	}
	// Each column is as wide as its widest cell up to its cap; the flexible
	// column takes what the others leave.
	ws := make([]int, len(b.heads))
	flex, used := -1, 2
	for i, h := range b.heads {
		if b.caps[i] == 0 {
			flex = i
			continue
		}
		ws[i] = len(h)
		for _, r := range b.rows {
			ws[i] = max(ws[i], min(text.Width(r[i]), b.caps[i]))
		}
		used += ws[i] + 1
	}
	if flex >= 0 {
		ws[flex] = max(width-used, 12)
	}
	row := func(r []string) string {
		cells := make([]string, len(r))
		for i := range r {
			cells[i] = text.Fit(r[i], ws[i])
		}
		return strings.TrimRight(strings.Join(cells, " "), " ")
	}
	lines = append(lines, text.Truncate("  "+st.TableHeader.Render(row(b.heads)), width))
	b.height = max(height-2, 1)
	if b.cursor < b.offset {
		b.offset = b.cursor
	}
	if b.cursor >= b.offset+b.height {
		b.offset = b.cursor - b.height + 1
	}
	b.offset = max(min(b.offset, len(b.rows)-b.height), 0)
	for i := b.offset; i < len(b.rows) && i < b.offset+b.height; i++ {
		l := row(b.rows[i])
		if i == b.cursor {
			lines = append(lines, text.Truncate("▸ "+st.Selected.Render(l), width))
		} else {
			lines = append(lines, text.Truncate("  "+l, width))
		}
	}
	return strings.Join(lines, "\n")
}

// auditShown is how many audited actions :audit lists.
const auditShown = 500

// showAudit opens :audit, the recent actions of everyone on a shared
// console (who, role, what, which instance, result and code).
func (m *Model) showAudit() {
	if m.opts.Audit == nil {
		m.toasts.Push(toast.Info, ":audit: only matui serve keeps an audit log")
		return
	}
	m.ov = &overlay{kind: ovAudit, images: newAuditBrowser(m.ctx, m.opts.Audit(auditShown))}
}

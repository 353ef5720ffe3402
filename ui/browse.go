package ui

import (
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"

	"matui/model"
	"matui/ui/text"
	"matui/ui/uictx"
)

// imageBrowser is :images, a read-only list of the image catalog: name,
// tag, architecture, resource categories and dev services.
type imageBrowser struct {
	ctx    *uictx.Context
	rows   [][5]string
	cursor int
	offset int
	height int // rows shown by the last view
}

func newImageBrowser(ctx *uictx.Context, images []model.Image) *imageBrowser {
	b := &imageBrowser{ctx: ctx}
	for _, im := range images {
		name := im.Name
		if name == "" {
			name = im.Ref()
		}
		cats := append(append([]string{}, im.ResourceCategories...), im.SupportResCategories...)
		b.rows = append(b.rows, [5]string{
			text.Sanitize(name), text.Sanitize(im.Tag), text.Sanitize(model.NormArch(im.Arch)),
			text.Sanitize(strings.Join(uniq(cats), ",")), text.Sanitize(strings.Join(im.DevServices, ",")),
		})
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
func (b *imageBrowser) update(k tea.KeyPressMsg) bool {
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

func (b *imageBrowser) view(width, height int) string {
	st := &b.ctx.Styles
	title := st.Title.Render("Images") + st.Muted.Render(" · "+strconv.Itoa(len(b.rows))+" · ↑/↓ scroll · esc back")
	lines := []string{text.Truncate(title, width)}
	if len(b.rows) == 0 {
		return strings.Join(append(lines, st.Muted.Render("no images")), "\n")
	}
	heads := [5]string{"NAME", "TAG", "ARCH", "CATEGORIES", "SERVICES"}
	// Widths: name takes what the others leave.
	ws := [5]int{0, 16, 8, 14, 16}
	for i := 1; i < 5; i++ {
		for _, r := range b.rows {
			ws[i] = max(ws[i], min(text.Width(r[i]), 24))
		}
		ws[i] = max(ws[i], len(heads[i]))
	}
	ws[0] = max(width-2-ws[1]-ws[2]-ws[3]-ws[4]-4, 12)
	row := func(r [5]string) string {
		cells := make([]string, 5)
		for i := range r {
			cells[i] = text.Fit(r[i], ws[i])
		}
		return strings.TrimRight(strings.Join(cells, " "), " ")
	}
	lines = append(lines, text.Truncate("  "+st.TableHeader.Render(row(heads)), width))
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

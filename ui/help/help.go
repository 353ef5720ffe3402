// Package help is the "?" overlay: every binding of the current view,
// grouped, read from the live key map so remapped keys show as remapped.
package help

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"matui/ui/keys"
	"matui/ui/overlay"
	"matui/ui/text"
	"matui/ui/uictx"
)

// Help is the overlay component.
type Help struct {
	ctx           *uictx.Context
	groups        []keys.Group
	title         string
	footer        string
	width, height int
	offset        int
}

// New returns the overlay listing groups. footer is an extra muted line
// (the backend description).
func New(ctx *uictx.Context, title string, groups []keys.Group, footer string) *Help {
	return &Help{ctx: ctx, title: title, groups: groups, footer: footer}
}

// Update scrolls when the help is taller than the screen; esc, ? or q
// close it.
func (h *Help) Update(msg tea.Msg) (overlay.Overlay, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return h, nil
	}
	km := &h.ctx.Keys
	switch {
	case key.Matches(k, km.Back, km.Help, km.Close):
		return nil, nil
	case key.Matches(k, km.Down, km.PageDown):
		h.offset++
	case key.Matches(k, km.Up, km.PageUp):
		h.offset--
	}
	h.clamp(len(h.lines()))
	return h, nil
}

// Help is the footer: how to close, and whether there is more below.
func (h *Help) Help() []key.Binding {
	km := &h.ctx.Keys
	out := []key.Binding{key.NewBinding(key.WithKeys(km.Back.Keys()...),
		key.WithHelp(km.Back.Help().Key+"/"+km.Help.Help().Key, "close"))}
	// Say there is more when the bindings do not fit (80×24 does not
	// show them all).
	if above, below := h.More(); below > 0 {
		out = append(out, key.NewBinding(key.WithKeys(km.Down.Keys()...), key.WithHelp(km.Down.Help().Key, fmt.Sprintf("%d more", below))))
	} else if above > 0 {
		out = append(out, key.NewBinding(key.WithKeys(km.Up.Keys()...), key.WithHelp(km.Up.Help().Key, "back to the top")))
	}
	return out
}

// More reports what lies outside the visible part: lines above and below.
func (h *Help) More() (above, below int) {
	n := len(h.lines())
	h.clamp(n)
	return h.offset, max(n-h.offset-h.height, 0)
}

func (h *Help) clamp(n int) {
	h.offset = min(h.offset, max(n-h.height, 0))
	h.offset = max(h.offset, 0)
}

func (h *Help) lines() []string {
	s := &h.ctx.Styles
	keyW := 0
	for _, g := range h.groups {
		for _, b := range g.Bindings {
			if b.Enabled() {
				keyW = max(keyW, text.Width(b.Help().Key))
			}
		}
	}
	block := func(g keys.Group) []string {
		out := []string{s.HelpSection.Render(g.Title)}
		for _, b := range g.Bindings {
			if !b.Enabled() {
				continue
			}
			hb := b.Help()
			out = append(out, "  "+s.HelpKey.Render(text.Fit(hb.Key, keyW))+"  "+s.HelpDesc.Render(hb.Desc))
		}
		return out
	}
	colW := keyW + 30
	cols := 1
	if h.width >= 2*colW+2 {
		cols = 2
	}
	var lines []string
	lines = append(lines, s.Title.Render(h.title)+s.Muted.Render("  (esc or ? to close)"), "")
	for i := 0; i < len(h.groups); i += cols {
		left := block(h.groups[i])
		var right []string
		if cols == 2 && i+1 < len(h.groups) {
			right = block(h.groups[i+1])
		}
		for j := 0; j < max(len(left), len(right)); j++ {
			l := ""
			if j < len(left) {
				l = left[j]
			}
			if j < len(right) {
				l = text.Fit(l, colW) + "  " + right[j]
			}
			lines = append(lines, l)
		}
		lines = append(lines, "")
	}
	if h.footer != "" {
		// The command list is long: wrap it rather than cut it.
		for _, l := range strings.Split(ansi.Wordwrap(h.footer, max(h.width, 20), " ·"), "\n") {
			lines = append(lines, s.Muted.Render(l))
		}
	}
	return lines
}

// View renders exactly the visible part, each line at most width cells.
func (h *Help) View(width, height int) string {
	h.width, h.height = max(width, 0), max(height, 0)
	if h.width <= 0 || h.height <= 0 {
		return ""
	}
	lines := h.lines()
	h.clamp(len(lines))
	end := min(h.offset+h.height, len(lines))
	out := make([]string, 0, h.height)
	for _, l := range lines[h.offset:end] {
		out = append(out, text.Truncate(l, h.width))
	}
	return strings.Join(out, "\n")
}

package ui

import (
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"matui/ui/dialog"
	"matui/ui/keys"
	"matui/ui/overlay"
	"matui/ui/uictx"
)

// line is a one-line input drawn as a panel above the footer: the /
// filter and the : command line. What its text means is the opener's,
// given as callbacks run in the Update that produced them.
type line struct {
	ctx  *uictx.Context
	in   textinput.Model
	hint []keys.HintItem

	onChange func(string)         // every edit (nil: none)
	onEnter  func(string) tea.Cmd // enter: the line closes
	onCancel func()               // esc: the line closes (nil: nothing)
}

func newLine(ctx *uictx.Context, prompt, value string, hint []keys.HintItem) *line {
	l := &line{ctx: ctx, in: dialog.NewInput(ctx, prompt), hint: hint}
	l.in.SetValue(value)
	l.in.CursorEnd()
	return l
}

func (l *line) Update(msg tea.Msg) (overlay.Overlay, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return l, nil
	}
	km := &l.ctx.Keys
	switch {
	case key.Matches(k, km.Back):
		if l.onCancel != nil {
			l.onCancel()
		}
		return nil, nil
	case key.Matches(k, km.Confirm):
		return nil, l.onEnter(l.in.Value())
	}
	var cmd tea.Cmd
	l.in, cmd = l.in.Update(k)
	if l.onChange != nil {
		l.onChange(l.in.Value())
	}
	return l, cmd
}

func (l *line) View(width, _ int) string {
	l.in.SetWidth(max(width-4, 1))
	return l.in.View()
}

func (l *line) Height(int) int { return 1 }

// Help is the footer: what enter and esc do here.
func (l *line) Help() []key.Binding {
	out := make([]key.Binding, 0, len(l.hint))
	for _, h := range l.hint {
		out = append(out, key.NewBinding(key.WithKeys(h.Keys[0].Keys()...), key.WithHelp(h.Keys[0].Help().Key, h.Desc)))
	}
	return out
}

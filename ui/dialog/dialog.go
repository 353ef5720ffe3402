// Package dialog is the small modal prompts actions need: a y/n
// confirmation, a choice among a few options, and a "type the name to
// confirm" guard for destructive actions. Dialogs are overlays drawn as a
// panel above the footer (the table shrinks, the selection stays visible).
// The opener says what a confirmation means with OnDone; a dialog knows
// nothing of the action it guards.
package dialog

import (
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"matui/ui/keys"
	"matui/ui/overlay"
	"matui/ui/text"
	"matui/ui/uictx"
)

// Kind is the dialog type.
type Kind int

const (
	KindConfirm Kind = iota // y confirms, n/esc cancels
	KindChoice              // pick an option, enter confirms
	KindTyped               // type Expect exactly, enter confirms
	KindInput               // type a value, enter validates and confirms
	KindInfo                // a message; y confirms (copy), any other key closes
)

// Result is what an Update produced.
type Result struct {
	Done      bool // the dialog is finished (confirmed or cancelled)
	Confirmed bool
	Choice    int    // index into Options for KindChoice
	Value     string // the validated value for KindInput
}

// Dialog is one open prompt.
type Dialog struct {
	ctx     *uictx.Context
	Kind    Kind
	Title   string
	Body    string
	Options []string
	choice  int
	Expect  string
	input   textinput.Model
	err     string
	// validate checks a KindInput value on enter; its error shows inline
	// and the value stays for correction.
	validate func(string) error
	// onDone continues after the dialog closed confirmed (nil: nothing).
	onDone func(Result) tea.Cmd
}

// OnDone sets what a confirmation does: f runs, in the Update that closed
// the dialog, with the result, and returns the command to run (the action's
// call, or another dialog to open with overlay.Open). A cancelled dialog
// just closes.
func (d *Dialog) OnDone(f func(Result) tea.Cmd) *Dialog {
	d.onDone = f
	return d
}

// Confirm asks a y/n question.
func Confirm(ctx *uictx.Context, title, body string) *Dialog {
	return &Dialog{ctx: ctx, Kind: KindConfirm, Title: title, Body: body}
}

// Choose offers options; def is preselected.
func Choose(ctx *uictx.Context, title, body string, options []string, def int) *Dialog {
	return &Dialog{ctx: ctx, Kind: KindChoice, Title: title, Body: body, Options: options, choice: def}
}

// Typed asks the user to type expect to confirm.
func Typed(ctx *uictx.Context, title, body, expect string) *Dialog {
	d := &Dialog{ctx: ctx, Kind: KindTyped, Title: title, Body: body, Expect: expect}
	d.input = NewInput(ctx, "› ")
	d.input.Focus()
	return d
}

// Info shows a message in full: its body wraps instead of being cut. y
// closes it confirmed (the caller copies the text), any other key closes it.
func Info(ctx *uictx.Context, title, body string) *Dialog {
	return &Dialog{ctx: ctx, Kind: KindInfo, Title: title, Body: body}
}

// Ask asks for a value (prefilled with value); validate, when not nil,
// checks it on enter.
func Ask(ctx *uictx.Context, title, body, value string, validate func(string) error) *Dialog {
	d := &Dialog{ctx: ctx, Kind: KindInput, Title: title, Body: body, validate: validate}
	d.input = NewInput(ctx, "› ")
	d.input.SetValue(value)
	d.input.CursorEnd()
	d.input.Focus()
	return d
}

// Value is what a KindInput or KindTyped dialog holds.
func (d *Dialog) Value() string { return d.input.Value() }

// Err is the inline error shown under the input ("" when none).
func (d *Dialog) Err() string { return d.err }

// NewInput returns a text input styled from the theme. The cursor does not
// blink: a blinking cursor is one more timer, and the program keeps a
// single tick.
func NewInput(ctx *uictx.Context, prompt string) textinput.Model {
	in := textinput.New()
	in.Prompt = prompt
	st := in.Styles()
	st.Cursor.Blink = false
	st.Focused.Prompt = ctx.Styles.Prompt
	st.Blurred.Prompt = ctx.Styles.Prompt
	st.Focused.Text = ctx.Styles.Base
	st.Blurred.Text = ctx.Styles.Base
	in.SetStyles(st)
	in.CharLimit = 256
	return in
}

// Choice is the highlighted option.
func (d *Dialog) Choice() int { return d.choice }

// Update handles a key: it returns the dialog, or nil once it closed
// (confirmed or not). Unknown keys are swallowed: a modal must not let
// keys fall through to the list behind it.
func (d *Dialog) Update(msg tea.Msg) (overlay.Overlay, tea.Cmd) {
	res, cmd := d.handle(msg)
	if !res.Done {
		return d, cmd
	}
	if res.Confirmed && d.onDone != nil {
		return nil, tea.Batch(cmd, d.onDone(res))
	}
	return nil, cmd
}

func (d *Dialog) handle(msg tea.Msg) (Result, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return Result{}, nil
	}
	km := &d.ctx.Keys
	if key.Matches(k, km.Back) {
		return Result{Done: true}, nil
	}
	switch d.Kind {
	case KindInfo:
		return Result{Done: true, Confirmed: key.Matches(k, km.Yes)}, nil
	case KindConfirm:
		switch {
		case key.Matches(k, km.Yes):
			return Result{Done: true, Confirmed: true}, nil
		case key.Matches(k, km.No, km.Close):
			return Result{Done: true}, nil
		}
	case KindChoice:
		switch {
		case key.Matches(k, km.OptionPrev, km.Up, km.PrevField):
			d.choice = (d.choice - 1 + len(d.Options)) % len(d.Options)
		case key.Matches(k, km.OptionNext, km.Down, km.NextField):
			d.choice = (d.choice + 1) % len(d.Options)
		case key.Matches(k, km.Confirm):
			return Result{Done: true, Confirmed: true, Choice: d.choice}, nil
		case key.Matches(k, km.Close):
			return Result{Done: true}, nil
		case key.Matches(k, km.Pick):
			if n, err := strconv.Atoi(k.String()); err == nil && n >= 1 && n <= len(d.Options) {
				d.choice = n - 1
				return Result{Done: true, Confirmed: true, Choice: d.choice}, nil
			}
		}
	case KindTyped:
		if key.Matches(k, km.Confirm) {
			if d.input.Value() == d.Expect {
				return Result{Done: true, Confirmed: true}, nil
			}
			d.err = "does not match — type it exactly, or " + km.Back.Help().Key + " to cancel"
			return Result{}, nil
		}
		var cmd tea.Cmd
		d.input, cmd = d.input.Update(msg)
		d.err = ""
		return Result{}, cmd
	case KindInput:
		if key.Matches(k, km.Confirm) {
			v := strings.TrimSpace(d.input.Value())
			if d.validate != nil {
				if err := d.validate(v); err != nil {
					d.err = text.Sanitize(err.Error())
					return Result{}, nil
				}
			}
			return Result{Done: true, Confirmed: true, Value: v}, nil
		}
		var cmd tea.Cmd
		d.input, cmd = d.input.Update(msg)
		d.err = ""
		return Result{}, cmd
	}
	return Result{}, nil
}

// Help is the footer's key help.
func (d *Dialog) Help() []key.Binding {
	b := d.ctx.Keys.Back
	b.SetHelp(b.Help().Key, "cancel")
	return []key.Binding{b}
}

// Height is the panel's height at width.
func (d *Dialog) Height(width int) int { return strings.Count(d.View(width, 0), "\n") + 1 }

// View renders the dialog box at most width cells wide; it takes the lines
// it needs (the dashboard reserves Height of them).
func (d *Dialog) View(width, _ int) string {
	s := &d.ctx.Styles
	km := &d.ctx.Keys
	inner := max(min(width-4, 72), 10)
	var lines []string
	lines = append(lines, s.DialogTitle.Render(text.Truncate(d.Title, inner)))
	for _, l := range strings.Split(d.Body, "\n") {
		if d.Kind == KindInfo {
			for _, w := range strings.Split(ansi.Wrap(l, inner, " ,/"), "\n") {
				lines = append(lines, text.Truncate(strings.TrimRight(w, " "), inner))
			}
			continue
		}
		lines = append(lines, text.Truncate(l, inner))
	}
	switch d.Kind {
	case KindInfo:
		lines = append(lines, s.Muted.Render(text.Truncate(km.Yes.Help().Key+" copy · any other key closes", inner)))
	case KindConfirm:
		lines = append(lines, s.Muted.Render(text.Truncate(keys.Hint(keys.H("confirm", km.Yes), keys.H("cancel", km.No, km.Back)), inner)))
	case KindChoice:
		// Options wrap rather than being cut: on a narrow terminal the
		// last ones ("custom") would otherwise be unreachable by sight.
		row, rowW := "", 0
		for i, o := range d.Options {
			label := strconv.Itoa(i+1) + " " + o
			cell := " " + label + " "
			if i == d.choice {
				cell = s.Selected.Render("[" + label + "]")
			}
			w := text.Width(cell)
			if rowW > 0 && rowW+1+w > inner {
				lines = append(lines, row)
				row, rowW = "", 0
			}
			if rowW > 0 {
				row += " "
				rowW++
			}
			row += cell
			rowW += w
		}
		lines = append(lines, text.Truncate(row, inner))
		lines = append(lines, s.Muted.Render(text.Truncate(keys.Hint(keys.H("choose", km.OptionPrev, km.OptionNext),
			keys.H("confirm", km.Confirm, km.Pick), keys.H("cancel", km.Back)), inner)))
	case KindTyped, KindInput:
		d.input.SetWidth(inner - 3)
		lines = append(lines, text.Truncate(d.input.View(), inner))
		switch {
		case d.err != "" && d.Kind == KindInput:
			// Validation messages carry the allowed range: wrap, never cut.
			for _, l := range strings.Split(ansi.Wrap(d.err, inner, " "), "\n") {
				lines = append(lines, s.Danger.Render(text.Truncate(l, inner)))
			}
		case d.err != "":
			lines = append(lines, s.Danger.Render(text.Truncate(d.err, inner)))
		default:
			lines = append(lines, s.Muted.Render(text.Truncate(keys.Hint(keys.H("confirm", km.Confirm), keys.H("cancel", km.Back)), inner)))
		}
	}
	if width < 14 {
		return strings.Join(lines, "\n")
	}
	return s.Dialog.Width(inner + 4).Render(strings.Join(lines, "\n"))
}

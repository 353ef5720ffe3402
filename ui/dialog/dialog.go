// Package dialog is the small modal prompts actions need: a y/n
// confirmation, a choice among a few options, and a "type the name to
// confirm" guard for destructive actions. Dialogs render as a panel above
// the footer (the table shrinks, the selection stays visible).
package dialog

import (
	"strconv"
	"strings"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

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

// Update handles a key. Unknown keys are swallowed: a modal must not let
// keys fall through to the list behind it.
func (d *Dialog) Update(msg tea.Msg) (Result, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return Result{}, nil
	}
	ks := k.String()
	if ks == "esc" {
		return Result{Done: true}, nil
	}
	switch d.Kind {
	case KindInfo:
		return Result{Done: true, Confirmed: ks == "y"}, nil
	case KindConfirm:
		switch ks {
		case "y", "Y":
			return Result{Done: true, Confirmed: true}, nil
		case "n", "N", "q":
			return Result{Done: true}, nil
		}
	case KindChoice:
		switch ks {
		case "up", "k", "left", "h", "shift+tab":
			d.choice = (d.choice - 1 + len(d.Options)) % len(d.Options)
		case "down", "j", "right", "l", "tab":
			d.choice = (d.choice + 1) % len(d.Options)
		case "enter":
			return Result{Done: true, Confirmed: true, Choice: d.choice}, nil
		case "q":
			return Result{Done: true}, nil
		default:
			if n, err := strconv.Atoi(ks); err == nil && n >= 1 && n <= len(d.Options) {
				d.choice = n - 1
				return Result{Done: true, Confirmed: true, Choice: d.choice}, nil
			}
		}
	case KindTyped:
		if ks == "enter" {
			if d.input.Value() == d.Expect {
				return Result{Done: true, Confirmed: true}, nil
			}
			d.err = "does not match — type it exactly, or esc to cancel"
			return Result{}, nil
		}
		var cmd tea.Cmd
		d.input, cmd = d.input.Update(msg)
		d.err = ""
		return Result{}, cmd
	case KindInput:
		if ks == "enter" {
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

// View renders the dialog box at most width cells wide.
func (d *Dialog) View(width int) string {
	s := &d.ctx.Styles
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
		lines = append(lines, s.Muted.Render(text.Truncate("y copy · any other key closes", inner)))
	case KindConfirm:
		lines = append(lines, s.Muted.Render(text.Truncate("y confirm · n/esc cancel", inner)))
	case KindChoice:
		var opts []string
		for i, o := range d.Options {
			label := strconv.Itoa(i+1) + " " + o
			if i == d.choice {
				opts = append(opts, s.Selected.Render("["+label+"]"))
			} else {
				opts = append(opts, " "+label+" ")
			}
		}
		lines = append(lines, text.Truncate(strings.Join(opts, " "), inner))
		lines = append(lines, s.Muted.Render(text.Truncate("←/→ choose · enter/1-9 confirm · esc cancel", inner)))
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
			lines = append(lines, s.Muted.Render(text.Truncate("enter confirm · esc cancel", inner)))
		}
	}
	if width < 14 {
		return strings.Join(lines, "\n")
	}
	return s.Dialog.Width(inner + 4).Render(strings.Join(lines, "\n"))
}

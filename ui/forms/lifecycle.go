package forms

import (
	"strings"

	tea "charm.land/bubbletea/v2"

	"matui/ui/text"
)

// Stage is where a form is in the flow Lifecycle runs.
type Stage int

const (
	StageEdit    Stage = iota // the field list
	StageReview               // the request body; enter sends it
	StageDiscard              // esc on a changed form: discard it? y/n
	// StageOwn is the first stage a form defines for itself (a picker
	// over the form); Lifecycle.Update leaves those to the form.
	StageOwn
)

// Lifecycle is the flow the create/update forms share: edit the fields,
// ctrl+s (or enter past the last field) opens the review of the exact
// request body, enter there submits it, esc or backspace goes back to the
// form; esc on a changed form asks before discarding it. A form keeps its
// fields, how it builds its request and its pickers, and fills in the
// hooks below.
type Lifecycle struct {
	Set *Set
	// Cancel is the message closing the form unsubmitted sends.
	Cancel tea.Msg
	// Discard is the question esc asks on a changed form, e.g. "Discard
	// your changes?"; "" closes the form at once.
	Discard string
	// Review runs once the fields' errors are revealed, before the review
	// opens: false keeps the form in edit, the hook having said why
	// (banner, focus).
	Review func() bool
	// Submit is the message enter on the review sends, nil when the
	// request is not fit to send (back to the form).
	Submit func() tea.Msg
	// Changed runs after a key changed a field's value (re-validate).
	Changed func()
	// Activate opens the sub-view of the focused Action field (nil: the
	// form has none).
	Activate func() tea.Cmd
	// LeaveReview returns to the form as enter submits; otherwise the
	// review stays up while the request is in flight.
	LeaveReview bool
	// NoBackspace: only esc leaves the review, not backspace.
	NoBackspace bool

	Stage Stage
	dirty bool
}

// Dirty reports whether the user changed anything.
func (l *Lifecycle) Dirty() bool { return l.dirty }

// MarkDirty records a change made outside the field list (a picker).
func (l *Lifecycle) MarkDirty() { l.dirty = true }

// Reviewing reports whether the review step is shown.
func (l *Lifecycle) Reviewing() bool { return l.Stage == StageReview }

// EscAction says what esc does now: cancel on the form, keep editing at the
// discard question, otherwise (the review, a picker) back to the form.
func (l *Lifecycle) EscAction() string {
	switch l.Stage {
	case StageEdit:
		return EscCancel
	case StageDiscard:
		return EscKeepEditing
	}
	return EscBackToForm
}

func (l *Lifecycle) toReview() {
	l.Set.Reveal()
	if l.Review() {
		l.Stage = StageReview
	}
}

// Update handles one message in the shared stages; a form handles its own
// stages (StageOwn on) before calling it.
func (l *Lifecycle) Update(msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil
	}
	cancel := l.Cancel
	switch l.Stage {
	case StageReview:
		switch k.String() {
		case "enter":
			m := l.Submit()
			if m == nil || l.LeaveReview {
				l.Stage = StageEdit
			}
			if m == nil {
				return nil
			}
			return func() tea.Msg { return m }
		case "backspace":
			if !l.NoBackspace {
				l.Stage = StageEdit
			}
		case "esc":
			l.Stage = StageEdit
		}
		return nil
	case StageDiscard:
		switch k.String() {
		case "y", "Y":
			return func() tea.Msg { return cancel }
		case "n", "N", "esc":
			l.Stage = StageEdit
		}
		return nil
	case StageEdit:
	default:
		return nil
	}
	switch k.String() {
	case "esc":
		if l.dirty && l.Discard != "" {
			l.Stage = StageDiscard
			return nil
		}
		return func() tea.Msg { return cancel }
	case "ctrl+s":
		l.toReview()
		return nil
	}
	ev, cmd := l.Set.HandleKey(k)
	switch ev {
	case EventChanged:
		l.dirty = true
		l.Changed()
	case EventPastEnd:
		l.toReview()
	case EventActivate:
		if l.Activate != nil {
			return l.Activate()
		}
	}
	return cmd
}

// Page is what a form shows around its fields in the shared stages.
type Page struct {
	Title string // unstyled, fit to the width as the form wants
	// Verb is what enter on the review does ("create", "send").
	Verb string
	// Summary, when set, is a line above the review body.
	Summary func() string
	// Body is the review's request body.
	Body   func() string
	Note   string // a warning under the fields
	Banner string // an error under the fields
	// Keys is the footer's help before "ctrl+s review"; "" is the usual
	// field and option keys.
	Keys string
	// Valid, when set, is asked before the footer: a valid request shows
	// no "review disabled" line whatever the fields say.
	Valid func() bool
}

// View renders the edit, review or discard stage width cells wide.
func (l *Lifecycle) View(width int, p Page) string {
	st := &l.Set.ctx.Styles
	var b strings.Builder
	b.WriteString(st.Title.Render(p.Title) + "\n")
	if l.Stage == StageReview {
		b.WriteString(st.Section.Render("Review: this request body will be sent") + "\n")
		if p.Summary != nil {
			b.WriteString(p.Summary() + "\n")
		}
		b.WriteString(p.Body() + "\n")
		b.WriteString(st.Muted.Render("enter " + p.Verb + " · esc back to the form"))
		return b.String()
	}
	b.WriteString(l.Set.View(width) + "\n")
	if p.Note != "" {
		b.WriteString(st.Warning.Render(text.Truncate(p.Note, width)) + "\n")
	}
	if p.Banner != "" {
		b.WriteString(st.Danger.Render(text.Truncate(p.Banner, width)) + "\n")
	}
	if l.Stage == StageDiscard {
		b.WriteString(st.Warning.Render(l.Discard + " y discard · n keep editing"))
		return b.String()
	}
	var reason string
	if p.Valid == nil {
		reason = l.Set.DisabledReason("review")
	} else if !p.Valid() {
		reason = l.Set.DisabledReason("review")
		if reason == "" {
			reason = "review disabled until every field is valid"
		}
	}
	submit := "ctrl+s review · "
	if reason != "" {
		b.WriteString(st.Warning.Render(text.Truncate(reason, width)) + "\n")
		submit = ""
	}
	keys := p.Keys
	if keys == "" {
		keys = "↑/↓ field · ←/→ option · enter next · "
	}
	b.WriteString(st.Muted.Render(text.Truncate(keys+submit+"esc cancel", width)))
	return b.String()
}

// ServerError puts an API error (field, msg, ok as ServerFieldError
// returned them) under its field and focuses it. When the error is about
// no visible field of the form it is not placed: banner is the text to show
// instead (err's own when msg is empty).
func (s *Set) ServerError(err error, field, msg string, ok bool) (banner string, placed bool) {
	f := s.Get(field)
	if !ok || f == nil || f.Hidden {
		if msg == "" {
			msg = text.Sanitize(err.Error())
		}
		return msg, false
	}
	s.FocusKey(field)
	f.Err = msg
	return "", true
}

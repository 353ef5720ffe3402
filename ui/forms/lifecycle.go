package forms

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"matui/ui/keys"
	"matui/ui/overlay"
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
// form; esc on a changed form asks before discarding it. The submission is
// an overlay.Submit the dashboard runs; its Done closes the form on success
// and puts the error back on the form otherwise. A form taller than the
// screen scrolls (pgup/pgdn, the wheel) and keeps its focused field in
// view. A form keeps its fields, how it builds its request and its
// pickers, and fills in the hooks below. Every key is read through the key
// map (uictx.Context.Keys).
type Lifecycle struct {
	Set *Set
	// Discard is the question esc asks on a changed form, e.g. "Discard
	// your changes?"; "" closes the form at once.
	Discard string
	// Unchanged, when set, reports that the request would change nothing
	// (an edit form whose edits were undone, or changed nothing in the
	// body): esc then closes without asking, as there is nothing to lose.
	Unchanged func() bool
	// Review runs once the fields' errors are revealed, before the review
	// opens: false keeps the form in edit, the hook having said why
	// (banner, focus).
	Review func() bool
	// Submit is what enter on the review sends; false when the request
	// is not fit to send (back to the form).
	Submit func() (overlay.Submit, bool)
	// Rejected puts a failed submission's error on the form (the field
	// it is about, or a banner); the values stay as typed.
	Rejected func(error)
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

	// Scrolling of a form taller than the screen: the first line shown,
	// and the focused line at the last frame (-1: none yet).
	scroll, lastFocus int
	height            int // the last frame's
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

// Update handles one message in the shared stages (a form handles its own
// stages, StageOwn on, before calling it): keys, the mouse wheel, and the
// Done of its submission. closed reports that the form is finished (sent,
// or cancelled).
func (l *Lifecycle) Update(msg tea.Msg) (closed bool, cmd tea.Cmd) {
	km := &l.Set.ctx.Keys
	switch msg := msg.(type) {
	case overlay.Done:
		if msg.Err == nil {
			return true, nil
		}
		l.Stage = StageEdit
		l.lastFocus = -1 // bring the field the error is on into view
		if l.Rejected != nil {
			l.Rejected(msg.Err)
		}
		return false, nil
	case tea.MouseWheelMsg:
		switch msg.Button {
		case tea.MouseWheelUp:
			l.scroll--
		case tea.MouseWheelDown:
			l.scroll++
		}
		return false, nil
	case tea.KeyPressMsg:
		return l.key(msg, km)
	}
	return false, nil
}

// page is how far pgup/pgdn scroll: the last frame's height.
func (l *Lifecycle) page() int { return max(l.height-1, 1) }

func (l *Lifecycle) key(k tea.KeyPressMsg, km *keys.Map) (bool, tea.Cmd) {
	switch {
	case key.Matches(k, km.ScrollUp):
		l.scroll -= l.page()
		return false, nil
	case key.Matches(k, km.ScrollDown):
		l.scroll += l.page()
		return false, nil
	}
	switch l.Stage {
	case StageReview:
		switch {
		case key.Matches(k, km.Confirm):
			sub, ok := l.Submit()
			if !ok || l.LeaveReview {
				l.Stage = StageEdit
			}
			if !ok {
				return false, nil
			}
			return false, overlay.Do(sub)
		case key.Matches(k, km.ReviewBack):
			if !l.NoBackspace {
				l.Stage = StageEdit
			}
		case key.Matches(k, km.Back):
			l.Stage = StageEdit
		}
		return false, nil
	case StageDiscard:
		switch {
		case key.Matches(k, km.Yes):
			return true, nil
		case key.Matches(k, km.No, km.Back):
			l.Stage = StageEdit
		}
		return false, nil
	case StageEdit:
	default:
		return false, nil
	}
	switch {
	case key.Matches(k, km.Back):
		if l.dirty && l.Discard != "" && (l.Unchanged == nil || !l.Unchanged()) {
			l.Stage = StageDiscard
			return false, nil
		}
		return true, nil
	case key.Matches(k, km.Review):
		l.toReview()
		return false, nil
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
			return false, l.Activate()
		}
	}
	return false, cmd
}

// Help is the footer's key help around a form: scrolling, what esc does
// now, and quitting.
func (l *Lifecycle) Help() []key.Binding {
	km := &l.Set.ctx.Keys
	scroll := key.NewBinding(key.WithKeys(append(km.ScrollUp.Keys(), km.ScrollDown.Keys()...)...),
		key.WithHelp(km.ScrollUp.Help().Key+"/"+km.ScrollDown.Help().Key, "scroll"))
	esc := km.Back
	esc.SetHelp(esc.Help().Key, l.EscAction())
	quit := keys.CtrlC()
	return []key.Binding{scroll, esc, quit}
}

// Next is what a form's Update returns: itself, or nil once closed.
func Next(self overlay.Overlay, closed bool, cmd tea.Cmd) (overlay.Overlay, tea.Cmd) {
	if closed {
		return nil, cmd
	}
	return self, cmd
}

// Fit cuts a form's view to height lines, keeping the focused field (the
// line with the ▸ marker) in view when it moved, and the user's scroll
// otherwise.
func (l *Lifecycle) Fit(view string, width, height int) string {
	l.height = height
	lines := strings.Split(view, "\n")
	for i := range lines {
		lines[i] = text.Truncate(lines[i], width)
	}
	if len(lines) <= height {
		l.scroll = 0
		return strings.Join(lines, "\n")
	}
	focus := -1
	for i, ln := range lines {
		if strings.HasPrefix(ansi.Strip(ln), "▸ ") {
			focus = i
			break
		}
	}
	if focus >= 0 && focus != l.lastFocus {
		if focus < l.scroll+1 {
			l.scroll = focus - 1
		}
		if focus >= l.scroll+height-2 {
			l.scroll = focus - height + 3
		}
	}
	l.lastFocus = focus
	l.scroll = max(min(l.scroll, len(lines)-height), 0)
	return strings.Join(lines[l.scroll:l.scroll+height], "\n")
}

// Page is what a form shows around its fields in the shared stages.
type Page struct {
	Title string // unstyled, fit to the width as the form wants
	// Verb is what enter on the review does ("create", "send").
	Verb string
	// Summary, when set, is a line above the review body.
	Summary func() string
	// Request is the request the form would send and whether it is valid
	// (a kept server error is shown, not enforced: see ServerErrors). The
	// review shows it as indented JSON unless Body is set; the footer says
	// why the review is disabled only when it is invalid, whatever the
	// fields show.
	Request func() (any, bool)
	// Body, when set, is the review's text instead of Request's JSON (a
	// submission of several calls).
	Body   func() string
	Note   string // a warning under the fields
	Banner string // an error under the fields
	// Keys is the footer's help before "ctrl+s review"; nil is the usual
	// field and option keys.
	Keys []keys.HintItem
}

// body is the review's request body.
func (p *Page) body() string {
	if p.Body != nil {
		return p.Body()
	}
	req, _ := p.Request()
	b, err := text.MarshalIndent(req)
	if err != nil {
		return err.Error()
	}
	return string(b)
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
		b.WriteString(p.body() + "\n")
		km := &l.Set.ctx.Keys
		b.WriteString(st.Muted.Render(keys.Hint(keys.H(p.Verb, km.Confirm), keys.H("back to the form", km.Back))))
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
		km := &l.Set.ctx.Keys
		b.WriteString(st.Warning.Render(l.Discard + " " + keys.Hint(keys.H("discard", km.Yes), keys.H("keep editing", km.No))))
		return b.String()
	}
	var reason string
	if _, ok := p.Request(); !ok {
		reason = l.Set.DisabledReason("review")
		if reason == "" {
			reason = "review disabled until every field is valid"
		}
	}
	km := &l.Set.ctx.Keys
	items := p.Keys
	if items == nil {
		items = []keys.HintItem{keys.H("field", km.PrevField, km.NextField),
			keys.H("option", km.OptionPrev, km.OptionNext), keys.H("next", km.Confirm)}
	}
	if reason != "" {
		b.WriteString(st.Warning.Render(text.Truncate(reason, width)) + "\n")
	} else {
		items = append(items, keys.H("review", km.Review))
	}
	items = append(items, keys.H("cancel", km.Back))
	b.WriteString(st.Muted.Render(text.Truncate(keys.Hint(items...), width)))
	return b.String()
}

// ServerError puts an API error (field, msg, ok as ServerFieldError
// returned them) under its field, or the nearest visible one along its
// property path (affinity.required_….key → affinity), and focuses it. When
// the error is about no visible field of the form it is not placed: banner
// is the text to show instead (err's own when msg is empty).
func (s *Set) ServerError(err error, field, msg string, ok bool) (banner string, placed bool) {
	// The nearest field along the property path: an error about
	// affinity.required_….key lands on the affinity field.
	var f *Field
	for k := field; ok && k != "" && f == nil; {
		if f = s.Get(k); f != nil && f.Hidden {
			f = nil
		}
		if f == nil {
			i := strings.LastIndexByte(k, '.')
			if i < 0 {
				break
			}
			k = k[:i]
		} else {
			field = k
		}
	}
	if !ok || f == nil {
		if msg == "" {
			msg = text.Sanitize(err.Error())
		}
		return msg, false
	}
	s.FocusKey(field)
	f.Err = msg
	return "", true
}

// Package toast shows short-lived messages (action results, errors) in a
// reserved strip above the footer, so they never cover the selected row.
// Each toast carries its own expiry: a newer toast is never cleared early by
// an older one expiring, and an error stays longer than a success.
package toast

import (
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"matui/ui/text"
	"matui/ui/uictx"
)

// Kind is a toast's severity.
type Kind int

const (
	Info Kind = iota
	Success
	Error
	// Alert is an auto-stop warning: it stays until dismissed or acted on
	// (push it with PushTTL and a long ttl).
	Alert
)

// Lifetimes per kind: errors need time to be read (and often copied).
const (
	InfoTTL  = 4 * time.Second
	ErrorTTL = 10 * time.Second
	// MaxShown is how many toasts are visible at once (newest last).
	MaxShown = 3
	// MaxLines is how many lines one toast wraps to; the rest is cut
	// with "…" (the last-error view shows an error in full).
	MaxLines = 3
	// MaxHeight is the most lines the toasts take together: older toasts
	// make way for the newest, which is always shown.
	MaxHeight = 5
)

// Toast is one message.
type Toast struct {
	ID      int // Push's return value, for Remove
	Kind    Kind
	Text    string
	Expires time.Time
}

// Stack is the list of live toasts.
type Stack struct {
	ctx    *uictx.Context
	toasts []Toast
	width  int
	nextID int
}

// New returns an empty stack.
func New(ctx *uictx.Context) *Stack { return &Stack{ctx: ctx} }

// SetSize sets the width toasts wrap at.
func (s *Stack) SetSize(w int) { s.width = w }

// Push adds a toast expiring after the kind's lifetime and returns its id.
// The text is sanitised (it often quotes API messages).
func (s *Stack) Push(k Kind, msg string) int {
	ttl := InfoTTL
	if k == Error {
		ttl = ErrorTTL
	}
	return s.PushTTL(k, msg, ttl)
}

// PushTTL adds a toast that lives ttl (e.g. "connecting…" until the
// outcome replaces it with Remove) and returns its id.
func (s *Stack) PushTTL(k Kind, msg string, ttl time.Duration) int {
	s.nextID++
	s.toasts = append(s.toasts, Toast{ID: s.nextID, Kind: k, Text: text.Sanitize(msg), Expires: s.ctx.Now().Add(ttl)})
	if len(s.toasts) > 20 {
		s.toasts = s.toasts[len(s.toasts)-20:]
	}
	return s.nextID
}

// Remove drops the toast with the given id, if it is still shown.
func (s *Stack) Remove(id int) {
	for i, t := range s.toasts {
		if t.ID == id {
			s.toasts = append(s.toasts[:i], s.toasts[i+1:]...)
			return
		}
	}
}

// Expire drops toasts whose own expiry has passed and reports whether
// anything changed.
func (s *Stack) Expire(now time.Time) bool {
	n := 0
	for _, t := range s.toasts {
		if now.Before(t.Expires) {
			s.toasts[n] = t
			n++
		}
	}
	changed := n != len(s.toasts)
	s.toasts = s.toasts[:n]
	return changed
}

// SetText changes a shown toast's text (a countdown in it moves); it
// reports whether the toast is still shown.
func (s *Stack) SetText(id int, msg string) bool {
	for i := range s.toasts {
		if s.toasts[i].ID == id {
			s.toasts[i].Text = text.Sanitize(msg)
			return true
		}
	}
	return false
}

// Toasts returns the live toasts, oldest first.
func (s *Stack) Toasts() []Toast { return s.toasts }

// Height is the number of lines View renders.
func (s *Stack) Height() int {
	n := 0
	for _, b := range s.blocks() {
		n += len(b)
	}
	return n
}

// View renders the newest toasts, each wrapped to at most MaxLines lines,
// oldest first, in at most MaxHeight lines.
func (s *Stack) View() string {
	var lines []string
	for _, b := range s.blocks() {
		lines = append(lines, b...)
	}
	return strings.Join(lines, "\n")
}

// blocks are the styled lines of the toasts shown, oldest first.
func (s *Stack) blocks() [][]string {
	shown := s.toasts
	if len(shown) > MaxShown {
		shown = shown[len(shown)-MaxShown:]
	}
	var out [][]string
	height := 0
	for i := len(shown) - 1; i >= 0; i-- {
		b := s.render(shown[i])
		if height > 0 && height+len(b) > MaxHeight {
			break
		}
		height += len(b)
		out = append(out, b)
	}
	slices.Reverse(out)
	return out
}

// render wraps one toast at the width: the symbol on the first line, the
// continuation lines indented under the text.
func (s *Stack) render(t Toast) []string {
	st := &s.ctx.Styles
	sym, style := "ℹ ", st.ToastInfo
	switch t.Kind {
	case Success:
		sym, style = "✓ ", st.ToastSuccess
	case Error:
		sym, style = "✗ ", st.ToastError
	case Alert:
		sym, style = "⏰ ", st.ToastError
	}
	prefix := " " + sym
	pw := text.Width(prefix)
	w := s.width - pw
	if w < 10 {
		return []string{style.Render(text.Truncate(prefix+t.Text, s.width))}
	}
	wrapped := strings.Split(ansi.Wrap(t.Text, w, " "), "\n")
	if len(wrapped) > MaxLines {
		rest := strings.Join(wrapped[MaxLines-1:], " ")
		wrapped = append(wrapped[:MaxLines-1], text.Truncate(rest, w))
	}
	lines := make([]string, len(wrapped))
	for i, l := range wrapped {
		lead := prefix
		if i > 0 {
			lead = strings.Repeat(" ", pw)
		}
		lines[i] = style.Render(text.Truncate(lead+strings.TrimRight(l, " "), s.width))
	}
	return lines
}

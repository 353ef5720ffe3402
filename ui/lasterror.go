package ui

import (
	"errors"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"matui/client"
	"matui/ui/dialog"
	"matui/ui/text"
	"matui/ui/toast"
)

// failure is the most recent error, kept for the last-error view.
type failure struct {
	what string // what failed, e.g. "start big-gpu-job"
	err  error
	at   time.Time
}

// toastErr shows "what: error" and keeps the error for the last-error view.
func (m *Model) toastErr(what string, err error) {
	m.toasts.Push(toast.Error, what+": "+ErrorText(err))
	m.noteErr(what, err)
}

// noteErr keeps err for the last-error view without a toast (the header
// already shows list failures).
func (m *Model) noteErr(what string, err error) {
	m.lastFailure = &failure{what: what, err: err, at: m.ctx.Now()}
}

// showLastError opens the last-error view: the most recent error in full,
// with the API's code, message and request id when it has them.
func (m *Model) showLastError() tea.Cmd {
	f := m.lastFailure
	if f == nil {
		m.toasts.Push(toast.Info, "no error so far")
		return nil
	}
	body := failureText(f)
	title := "Last error · " + f.at.Format("15:04:05")
	if d := m.ctx.Now().Sub(f.at); d >= time.Second {
		title += " (" + text.Age(d) + " ago)"
	}
	m.push(dialog.Info(m.ctx, title, body).OnDone(func(dialog.Result) tea.Cmd {
		m.toasts.Push(toast.Success, "copied the error")
		return tea.SetClipboard(body)
	}))
	return nil
}

func failureText(f *failure) string {
	lines := []string{text.Sanitize(f.what)}
	var api *client.APIError
	if errors.As(f.err, &api) {
		if c := text.Sanitize(api.Code); c != "" {
			lines = append(lines, "code: "+c)
		}
		if msg := text.Sanitize(api.Message); msg != "" {
			lines = append(lines, "message: "+msg)
		}
		// Support asks for the gateway's request id.
		if id := text.Sanitize(api.RequestID); id != "" {
			lines = append(lines, "request id: "+id)
		}
	}
	lines = append(lines, "error: "+text.Sanitize(f.err.Error()))
	return strings.Join(lines, "\n")
}

package ui

import (
	"time"

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
	m.lastFailure = &failure{what: what, err: err, at: m.ctx.Now()}
}

package ui

import (
	"time"

	tea "charm.land/bubbletea/v2"

	"matui/model"
	"matui/ui/alert"
	"matui/ui/toast"
)

// Auto-stop alerts: when a running instance crosses a threshold before
// its auto-stop (or is under one when first seen), once per threshold and
// instance, the dashboard shows a toast that stays until dismissed (esc)
// or acted on (l renews that instance), rings the bell and asks the
// terminal for a desktop notification (ui/alert has the rules and the
// bytes). Over matui serve each session decides for itself: each has its
// own Model, watcher and terminal.

// Alerts configures the alerts (Options.Alerts; nil: none).
type Alerts struct {
	// Before are the thresholds (default 15 and 5 minutes).
	Before []time.Duration
	// Bell rings the terminal bell; Desktop asks for a desktop
	// notification with these sequences.
	Bell    bool
	Desktop alert.Desktop
	// AllUsers makes every listed instance alert in the all-users scope;
	// otherwise only the user's own (Options.User) and marked ones do.
	AllUsers bool
}

// alertTTL keeps an alert's toast until it is dismissed or acted on.
const alertTTL = 24 * time.Hour

// pendingAlert is an alert shown and not yet dismissed.
type pendingAlert struct {
	alert.Alert
	toast int
}

// newWatcher builds the watcher, or says why the thresholds are refused.
func (m *Model) newWatcher() {
	a := m.opts.Alerts
	if a == nil {
		return
	}
	before := a.Before
	if len(before) == 0 {
		before = alert.DefaultThresholds()
	}
	w, err := alert.New(before)
	if err != nil {
		m.toasts.Push(toast.Error, "alerts: "+err.Error())
		return
	}
	m.alerts = w
	m.notifier = alert.Notifier{Bell: a.Bell, Desktop: a.Desktop}
}

// alertsInclude is whose instances alert: the user's own (every listed one
// when the listing is the user's own), and any marked one.
func (m *Model) alertsInclude(in *model.Instance) bool {
	if m.table.IsMarked(in.ID) {
		return true
	}
	if m.opts.Alerts.AllUsers || m.opts.User == "" {
		return true
	}
	return in.Owner == m.opts.User
}

// syncAlerts tells the watcher the current list (after it or the marks
// changed).
func (m *Model) syncAlerts() {
	if m.alerts != nil {
		m.alerts.Sync(m.store.Instances(), m.alertsInclude)
	}
}

// tickAlerts raises the alerts due now: a toast each, and the bell and
// desktop notification as raw output.
func (m *Model) tickAlerts() tea.Cmd {
	if m.alerts == nil {
		return nil
	}
	var raw string
	for _, a := range m.alerts.Tick(m.ctx.ServerNow) {
		msg := a.Message()
		if a.Generation == model.Gen2 {
			msg += " — " + m.ctx.Keys.Renew.Help().Key + " renews · " + m.ctx.Keys.Back.Help().Key + " dismisses"
		} else {
			msg += " — Gen 1 has no renewal; " + m.ctx.Keys.Back.Help().Key + " dismisses"
		}
		m.dismissAlert(a.ID) // a newer threshold replaces the older toast
		id := m.toasts.PushTTL(toast.Alert, msg, alertTTL)
		m.alerting = append(m.alerting, pendingAlert{Alert: a, toast: id})
		raw += m.notifier.Notify(a)
	}
	if raw == "" {
		return nil
	}
	return tea.Raw(raw)
}

// lastAlert is the newest alert still shown, if any.
func (m *Model) lastAlert() (pendingAlert, bool) {
	for i := len(m.alerting) - 1; i >= 0; i-- {
		if m.toasts.Has(m.alerting[i].toast) {
			return m.alerting[i], true
		}
		m.alerting = m.alerting[:i] // pushed out or expired
	}
	return pendingAlert{}, false
}

// dismissAlert drops the alerts of one instance ("" : the newest one).
func (m *Model) dismissAlert(id string) bool {
	if id == "" {
		a, ok := m.lastAlert()
		if !ok {
			return false
		}
		id = a.ID
	}
	kept := m.alerting[:0]
	found := false
	for _, a := range m.alerting {
		if a.ID == id {
			m.toasts.Remove(a.toast)
			found = true
			continue
		}
		kept = append(kept, a)
	}
	m.alerting = kept
	return found
}

// alertTarget is the instance the renew key acts on while an alert is
// shown and nothing is marked: the alerted one, still listed.
func (m *Model) alertTarget() (model.Instance, bool) {
	if m.table.MarkCount() > 0 {
		return model.Instance{}, false
	}
	a, ok := m.lastAlert()
	if !ok || a.Generation != model.Gen2 {
		return model.Instance{}, false
	}
	in, ok := m.store.Get(a.ID)
	if !ok {
		m.dismissAlert(a.ID)
		return model.Instance{}, false
	}
	return in, true
}

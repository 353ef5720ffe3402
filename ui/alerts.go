package ui

import (
	"strconv"
	"time"

	tea "charm.land/bubbletea/v2"

	"matui/model"
	"matui/ui/alert"
	"matui/ui/text"
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

// alertTTL keeps the alert toast until it is dismissed or acted on.
const alertTTL = 24 * time.Hour

// pendingAlert is an alert not yet dismissed or acted on.
type pendingAlert = alert.Alert

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

// tickAlerts raises the alerts due now — the bell and desktop
// notification as raw output — and keeps the one alert toast up to date:
// it names the most urgent pending alert with its live countdown, and how
// many more there are (several instances under a threshold at start make
// one toast, not a screenful).
func (m *Model) tickAlerts() tea.Cmd {
	if m.alerts == nil {
		return nil
	}
	var raw string
	for _, a := range m.alerts.Tick(m.ctx.ServerNow) {
		m.forgetAlert(a.ID) // a newer threshold replaces the older one
		m.alerting = append(m.alerting, a)
		raw += m.notifier.Notify(a)
	}
	// An alert whose deadline has passed has nothing left to act on.
	kept := m.alerting[:0]
	for _, a := range m.alerting {
		if m.ctx.ServerNow.Before(a.Deadline) {
			kept = append(kept, a)
		}
	}
	m.alerting = kept
	m.showAlerts()
	if raw == "" {
		return nil
	}
	return tea.Raw(raw)
}

// showAlerts puts the pending alerts in their toast (or removes it).
func (m *Model) showAlerts() {
	if len(m.alerting) == 0 {
		if m.alertToast != 0 {
			m.toasts.Remove(m.alertToast)
			m.alertToast = 0
		}
		return
	}
	a := m.urgentAlert()
	now := m.ctx.ServerNow
	msg := text.Sanitize(a.Name) + " auto-stops in " + text.Countdown(max(a.Deadline.Sub(now), 0))
	if n := len(m.alerting) - 1; n > 0 {
		msg += " (+" + strconv.Itoa(n) + " more soon)"
	}
	if a.Generation == model.Gen2 {
		msg += " — " + m.ctx.Keys.Renew.Help().Key + " renews it · " + m.ctx.Keys.Back.Help().Key + " dismisses"
	} else {
		msg += " — Gen 1 has no renewal · " + m.ctx.Keys.Back.Help().Key + " dismisses"
	}
	if m.alertToast == 0 || !m.toasts.SetText(m.alertToast, msg) {
		m.alertToast = m.toasts.PushTTL(toast.Alert, msg, alertTTL)
	}
}

// urgentAlert is the pending alert the toast names (and l renews): the
// selected instance's, if it has one; otherwise the one whose deadline
// comes first, a renewable (Gen 2) one first on a tie.
func (m *Model) urgentAlert() alert.Alert {
	if sel, ok := m.target(); ok {
		for _, a := range m.alerting {
			if a.ID == sel.ID {
				return a
			}
		}
	}
	best := m.alerting[0]
	for _, a := range m.alerting[1:] {
		if a.Deadline.Before(best.Deadline) ||
			a.Deadline.Equal(best.Deadline) && a.Generation == model.Gen2 && best.Generation != model.Gen2 {
			best = a
		}
	}
	return best
}

// forgetAlert drops the pending alert of one instance.
func (m *Model) forgetAlert(id string) bool {
	kept := m.alerting[:0]
	found := false
	for _, a := range m.alerting {
		if a.ID == id {
			found = true
			continue
		}
		kept = append(kept, a)
	}
	m.alerting = kept
	return found
}

// dismissAlert drops the alert of one instance ("": the one the toast
// names) and reports whether there was one.
func (m *Model) dismissAlert(id string) bool {
	if len(m.alerting) == 0 {
		return false
	}
	if id == "" {
		id = m.urgentAlert().ID
	}
	found := m.forgetAlert(id)
	m.showAlerts()
	return found
}

// alertTarget is the instance the renew key acts on while an alert is
// shown and nothing is marked: the one the toast names, still listed.
func (m *Model) alertTarget() (model.Instance, bool) {
	if m.table.MarkCount() > 0 || len(m.alerting) == 0 {
		return model.Instance{}, false
	}
	a := m.urgentAlert()
	if a.Generation != model.Gen2 {
		return model.Instance{}, false
	}
	in, ok := m.store.Get(a.ID)
	if !ok {
		m.dismissAlert(a.ID)
		return model.Instance{}, false
	}
	return in, true
}

package ui

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"matui/model"
	"matui/ui/dialog"
	"matui/ui/pin"
	"matui/ui/toast"
)

// Keep-alive pins: p on a running Gen 2 instance keeps it alive until a
// cap the user chooses ("19:00", "+4h"; never unlimited): while matui runs,
// when its lease falls under the margin it is renewed (ui/pin decides, the
// dashboard sends). Under matui serve the pins live in the server, which
// renews them whoever is connected; the dashboard only sets and shows them.

// Pins is where pins live: the dashboard's own *pin.Set, or matui serve's
// shared one (which audits who pinned what).
type Pins interface {
	Add(in model.Instance, d time.Duration, cap, now time.Time, by string) (pin.Pin, error)
	Remove(id string) (pin.Pin, bool)
	Get(id string) (pin.Pin, bool)
	Len() int
	// Version changes whenever a pin is set or ends (pin.Set.Version):
	// under matui serve another session or the server's keep-alive may
	// have done it.
	Version() uint64
}

// pinDoneMsg is the outcome of a pin's renewal.
type pinDoneMsg struct {
	conn   int
	id     string
	answer model.Instance
	err    error
}

// newPins sets up the pins: the server's, or the dashboard's own renewed by
// its tick.
func (m *Model) newPins() {
	m.table.SetPinLabel(m.pinLabel)
	if m.opts.Pins != nil {
		m.pins = m.opts.Pins
		return
	}
	margin := m.opts.PinMargin
	if margin == 0 {
		margin = pin.DefaultMargin
	}
	set, err := pin.NewSet(margin)
	if err != nil {
		m.toasts.Push(toast.Error, "pins: "+err.Error())
		set, _ = pin.NewSet(pin.DefaultMargin)
	}
	m.pins, m.ownPins = set, set
}

// pinLabel is a pinned row's PIN cell.
func (m *Model) pinLabel(id string) string {
	if m.pins == nil || m.pins.Len() == 0 {
		return ""
	}
	if p, ok := m.pins.Get(id); ok {
		return "⚑ " + p.CapLabel(time.Local)
	}
	return ""
}

// pinsChanged redraws the table so the PIN column follows.
func (m *Model) pinsChanged() {
	m.pinsVersion = m.pins.Version()
	m.tableFed = false
	m.publish()
}

// followPins redraws the PIN column when the pins changed elsewhere (the
// server's shared set: another session, or its keep-alive ending a pin).
// It costs one comparison per tick while nothing changes.
func (m *Model) followPins() {
	if m.pins != nil && m.pins.Version() != m.pinsVersion {
		m.pinsChanged()
	}
}

// togglePin is p: pin the instance (asking for the cap), or unpin it.
func (m *Model) togglePin() tea.Cmd {
	if m.refuse("pin", true) {
		return nil
	}
	in, ok := m.target()
	if !ok {
		m.toasts.Push(toast.Error, "pin: no instance selected")
		return nil
	}
	if p, ok := m.pins.Get(in.ID); ok {
		m.push(dialog.Confirm(m.ctx, "Unpin "+name(&in)+"?", "It is kept alive "+p.CapLabel(time.Local)+
			"; unpinned, it stops at its auto-stop.").OnDone(func(dialog.Result) tea.Cmd {
			m.pins.Remove(in.ID)
			m.toasts.Push(toast.Success, name(&in)+": unpinned")
			m.pinsChanged()
			return nil
		}))
		return nil
	}
	if in.Generation == model.Gen1 {
		m.toasts.Push(toast.Error, "pin: Gen 1 instances have no renew API, so matui cannot keep "+name(&in)+" alive")
		return nil
	}
	now := m.ctx.ServerNow
	m.push(dialog.Ask(m.ctx, "Keep "+name(&in)+" alive until?",
		"a time such as 19:00, or up to 24 h from now such as +4h; renewed 1 h at a time while matui runs", "",
		func(v string) error {
			_, err := pin.ParseCap(v, now, time.Local)
			return err
		}).OnDone(func(r dialog.Result) tea.Cmd {
		now := m.ctx.ServerNow
		cap, _ := pin.ParseCap(r.Value, now, time.Local) // the dialog checked it
		p, err := m.pins.Add(in, pin.DefaultDuration, cap, now, m.opts.User)
		if err != nil {
			m.toastErr("pin", err)
			return nil
		}
		m.toasts.Push(toast.Success, name(&in)+": pinned "+p.CapLabel(time.Local))
		m.pinsChanged()
		return nil
	}))
	return nil
}

// tickPins sends the renewals due now (the dashboard's own pins only) and
// reports pins that ended.
func (m *Model) tickPins() tea.Cmd {
	if m.ownPins == nil || m.ownPins.Len() == 0 || m.lastErr != nil {
		// Not from a failed listing's stale rows: every pin would look
		// stopped or gone.
		return nil
	}
	renew, ended := m.ownPins.Plan(m.ctx.ServerNow, m.store.Get)
	for _, e := range ended {
		m.toasts.Push(toast.Info, e.Message(time.Local))
	}
	if len(ended) > 0 {
		m.pinsChanged()
	}
	var cmds []tea.Cmd
	b, base, conn := m.backend, m.base, m.conn
	for _, r := range renew {
		in, ok := m.store.Get(r.ID)
		if !ok {
			continue
		}
		m.toasts.Push(toast.Info, r.Message(time.Local))
		d := r.Duration
		cmds = append(cmds, func() tea.Msg {
			ctx, cancel := context.WithTimeout(base, callTimeout)
			defer cancel()
			answer, err := b.RenewLease(ctx, in, d)
			return pinDoneMsg{conn: conn, id: in.ID, answer: answer, err: err}
		})
	}
	return tea.Batch(cmds...)
}

func (m *Model) onPinDone(msg pinDoneMsg) tea.Cmd {
	if msg.conn != m.conn || m.ownPins == nil {
		return nil
	}
	ended := m.ownPins.Done(msg.id, m.ctx.ServerNow, msg.answer.AutoStop.Deadline, msg.err)
	if msg.err != nil {
		m.noteErr("keep-alive renewal", msg.err)
	} else {
		m.patch(msg.answer)
		m.dismissAlert(msg.id)
	}
	if ended != nil {
		kind := toast.Info
		if msg.err != nil {
			kind = toast.Error
		}
		m.toasts.Push(kind, ended.Message(time.Local))
	}
	m.pinsChanged()
	return nil
}

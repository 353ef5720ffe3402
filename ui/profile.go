package ui

import (
	"context"
	"errors"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"matui/ui/store"
	"matui/ui/text"
	"matui/ui/toast"
)

// connectTimeout bounds a :profile connection (and how long its
// "connecting…" toast can stay).
const connectTimeout = 60 * time.Second

type (
	// profileMsg is the outcome of Options.Connect.
	profileMsg struct {
		name string
		b    Backend
		hdr  HeaderInfo
		err  error
	}
	// profilesMsg is the outcome of Options.Profiles; show: the user asked
	// (:profile without a name), so the list is toasted.
	profilesMsg struct {
		names []string
		err   error
		show  bool
	}
)

func (m *Model) loadProfiles(show bool) tea.Cmd {
	list := m.opts.Profiles
	return func() tea.Msg {
		names, err := list()
		return profilesMsg{names: names, err: err, show: show}
	}
}

// profileCommand is :profile [NAME].
func (m *Model) profileCommand(args []string) tea.Cmd {
	if m.opts.Connect == nil {
		m.toasts.Push(toast.Error, ":profile is not available here")
		return nil
	}
	if len(args) == 0 {
		if m.opts.Profiles == nil {
			m.toasts.Push(toast.Info, m.currentProfile()+" · :profile NAME switches")
			return nil
		}
		return m.loadProfiles(true)
	}
	if m.switching != "" {
		m.toasts.Push(toast.Error, "profile: already connecting to "+text.Sanitize(m.switching))
		return nil
	}
	name := args[0]
	m.switching = name
	m.switchToast = m.toasts.PushTTL(toast.Info, "connecting to "+name+"…", connectTimeout)
	connect, base := m.opts.Connect, m.base
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(base, connectTimeout)
		defer cancel()
		b, hdr, err := connect(ctx, name)
		if err == nil && b == nil {
			err = errors.New("no backend")
		}
		return profileMsg{name: name, b: b, hdr: hdr, err: err}
	}
}

func (m *Model) currentProfile() string {
	if p := text.Sanitize(m.opts.Header.Profile); p != "" {
		return "profile " + p
	}
	return "no profile"
}

func (m *Model) onProfiles(msg profilesMsg) tea.Cmd {
	if msg.err != nil {
		if msg.show {
			m.toastErr("profiles", msg.err)
		}
		return nil
	}
	m.profiles = msg.names
	if msg.show {
		list := "none defined"
		if len(msg.names) > 0 {
			list = strings.Join(msg.names, ", ")
		}
		m.toasts.Push(toast.Info, "profiles: "+list+" · current: "+m.currentProfile()+" · :profile NAME switches")
	}
	return nil
}

// onProfile adopts the new backend, or keeps the current one when the
// connection failed.
func (m *Model) onProfile(msg profileMsg) tea.Cmd {
	m.switching = ""
	m.toasts.Remove(m.switchToast)
	if msg.err != nil {
		m.toastErr("profile "+msg.name, msg.err)
		return nil
	}
	// Work still in flight belongs to the old backend: cancel it, and the
	// connection number drops its list results.
	m.cancel()
	m.base, m.cancel = context.WithCancel(context.Background())
	m.conn++
	m.backend = msg.b
	m.describe = msg.b.Describe()
	m.opts.Header = msg.hdr
	m.ctx.ServerNow = msg.b.ServerNow()

	// Nothing of the old list applies: dialogs and forms act on its
	// instances, filters and marks name them.
	m.closeAll()
	if m.ownPins != nil {
		m.newPins() // the old backend's instances are not this one's
	}
	m.mode = modeList
	m.store, m.tableFed, m.loaded, m.lastOK = store.New(), false, false, time.Time{}
	m.lastErr, m.partial, m.errCount = nil, nil, 0
	m.fastUntil, m.nextPoll = time.Time{}, time.Time{}
	m.table.ClearMarks()
	m.table.SetFilter("")
	m.table.SetInstances(nil)
	m.stopPolling()

	m.toasts.Push(toast.Success, "connected to "+msg.name)
	return m.poll()
}

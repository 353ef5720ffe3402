package ui

import (
	"fmt"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"matui/model"
	"matui/themes"
	"matui/ui/help"
	"matui/ui/keys"
	"matui/ui/text"
	"matui/ui/toast"
)

// Update handles one message. It does no I/O: list calls, actions and theme
// files run in the returned commands.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	cmd := m.update(msg)
	// Toasts, dialogs and inputs change the height left for the body; the
	// components' SetSize are no-ops when nothing changed.
	m.layout()
	return m, cmd
}

func (m *Model) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.ctx.Width, m.ctx.Height = max(msg.Width, 0), max(msg.Height, 0)
		m.layout()
		return nil
	case tea.BackgroundColorMsg:
		if !m.themeSet {
			name := themes.Light
			if msg.IsDark() {
				name = themes.Dark
			}
			p, _ := themes.Builtin(name)
			m.applyPalette(p)
		}
		return nil
	case tickMsg:
		return m.onTick()
	case pageMsg:
		return m.onPage(msg)
	case pollDoneMsg:
		return m.onPollDone(msg)
	case actionDoneMsg:
		return m.onActionDone(msg)
	case callDoneMsg:
		return m.onCallDone(msg)
	case tagsFoundMsg:
		return m.onTagsFound(msg)
	case pinDoneMsg:
		return m.onPinDone(msg)
	case fromOverlay:
		return m.onFromOverlay(msg)
	case submitDone:
		return m.onSubmitDone(msg)
	case profileMsg:
		return m.onProfile(msg)
	case profilesMsg:
		return m.onProfiles(msg)
	case themeMsg:
		if msg.err != nil {
			m.toasts.Push(toast.Error, msg.err.Error())
			m.noteErr("theme", msg.err)
		} else {
			m.themeSet = true
			m.applyPalette(msg.palette)
			if !msg.quiet {
				m.toasts.Push(toast.Info, "theme "+msg.palette.Name)
			}
		}
		m.layout()
		return nil
	case tea.KeyPressMsg:
		return m.onKey(msg)
	case tea.MouseClickMsg:
		return m.onClick(msg)
	case tea.MouseWheelMsg:
		switch {
		case m.top() != nil:
			if o := m.top(); o.call == nil {
				return m.step(o, msg)
			}
		case m.mode == modeDetails:
			m.details.Update(msg)
		default:
			m.table.Update(msg)
		}
		return nil
	}
	return nil
}

func (m *Model) quit() tea.Cmd {
	m.quitting = true
	m.cancel()
	return tea.Quit
}

func (m *Model) onKey(msg tea.KeyPressMsg) tea.Cmd {
	k := &m.ctx.Keys
	// ctrl+c quits from anywhere; it cannot be remapped away (keys.Apply
	// keeps it bound to quit), so it is the one key read as itself.
	if msg.String() == "ctrl+c" {
		return m.quit()
	}
	if o := m.top(); o != nil {
		return m.overlayKey(o, msg)
	}
	// Keys common to both views.
	switch {
	case key.Matches(msg, k.Quit):
		return m.quit()
	case key.Matches(msg, k.Help):
		m.openHelp()
		return nil
	case key.Matches(msg, k.Command):
		return m.openCommand()
	case key.Matches(msg, k.LastError):
		return m.showLastError()
	case key.Matches(msg, k.Refresh):
		// No toast: the header's ↻ shows the poll, and ends with it. A
		// refresh the user asks for lists everything in full.
		m.backend.Resync()
		return m.poll()
	case key.Matches(msg, k.Start):
		return m.startAction(actStart)
	case key.Matches(msg, k.Stop):
		return m.startAction(actStop)
	case key.Matches(msg, k.Delete):
		return m.startAction(actDelete)
	case key.Matches(msg, k.Renew):
		return m.startAction(actRenew)
	case key.Matches(msg, k.CopyID):
		return m.copy(false)
	case key.Matches(msg, k.CopyURL):
		return m.copy(true)
	case key.Matches(msg, k.New):
		return m.newInstance()
	case key.Matches(msg, k.Edit):
		return m.editInstance()
	case key.Matches(msg, k.Attach):
		return m.attachMount()
	case key.Matches(msg, k.Detach):
		return m.detachMount()
	case key.Matches(msg, k.SaveImage):
		return m.saveImage()
	case key.Matches(msg, k.Pin):
		return m.togglePin()
	case key.Matches(msg, k.Usage):
		m.openUsage()
		return nil
	}
	if m.mode == modeDetails {
		switch {
		case key.Matches(msg, k.Back):
			m.mode = modeList
		case key.Matches(msg, k.RawJSON):
			m.details.ToggleRaw()
		default:
			m.details.Update(msg)
		}
		return nil
	}
	if m.table.Update(msg) {
		return nil
	}
	switch {
	case key.Matches(msg, k.Filter):
		return m.openFilter()
	case key.Matches(msg, k.Back):
		switch {
		case m.dismissAlert(""):
		case m.table.Filter() != "":
			m.table.SetFilter("")
		case m.table.MarkCount() > 0:
			m.table.ClearMarks()
		case m.table.Group() != 0:
			m.table.SetGroup(0)
		}
	case key.Matches(msg, k.NextGroup):
		m.table.CycleGroup(1)
	case key.Matches(msg, k.PrevGroup):
		m.table.CycleGroup(-1)
	case key.Matches(msg, k.SortNext):
		m.table.CycleSort()
	case key.Matches(msg, k.SortReverse):
		m.table.ReverseSort()
	case key.Matches(msg, k.Mark):
		in, ok := m.table.Selected()
		m.table.ToggleMark()
		if ok && m.alerts != nil {
			m.alerts.Set(&in, m.alertsInclude(&in)) // marked instances alert too
		}
	case key.Matches(msg, k.ClearMarks):
		if n := m.table.MarkCount(); n > 0 {
			m.table.ClearMarks()
			m.syncAlerts()
			m.toasts.Push(toast.Info, fmt.Sprintf("unmarked %d", n))
		}
	case key.Matches(msg, k.Details):
		m.openDetails()
	case key.Matches(msg, k.RawJSON):
		if m.openDetails() {
			m.details.ToggleRaw()
		}
	}
	return nil
}

func (m *Model) openDetails() bool {
	in, ok := m.table.Selected()
	if !ok {
		m.toasts.Push(toast.Error, "details: no instance selected")
		return false
	}
	m.mode = modeDetails
	m.details.Show(in)
	return true
}

func (m *Model) openHelp() {
	k := &m.ctx.Keys
	if m.mode == modeDetails {
		m.push(help.New(m.ctx, "Keys · details", k.DetailsHelp(), m.describeLine()))
	} else {
		m.push(help.New(m.ctx, "Keys · instances", k.ListHelp(), m.describeLine()))
	}
}

func (m *Model) describeLine() string {
	return "Connected to " + text.Sanitize(m.describe) + "\n" +
		"Commands: :codelab open CodeLab · :flavors · :images · :pools · :usage · :scope all|mine · :theme " + strings.Join(themes.Names(), "|") + " · :profile NAME · :q\n" +
		"Sort: " + m.ctx.Keys.SortNext.Help().Key + " next column, " + m.ctx.Keys.SortReverse.Help().Key + " reverse"
}

// openFilter is /: a line that filters the list as it is typed; enter
// keeps the filter, esc clears it.
func (m *Model) openFilter() tea.Cmd {
	l := newLine(m.ctx, "/", m.table.Filter(), []keys.HintItem{keys.H("keep filter", m.ctx.Keys.Confirm), keys.H("clear", m.ctx.Keys.Back)})
	l.onChange = m.table.SetFilter
	l.onEnter = func(v string) tea.Cmd { m.table.SetFilter(v); return m.searchTags(v) }
	l.onCancel = func() { m.table.SetFilter("") }
	m.push(l)
	return l.in.Focus()
}

// openCommand is the : command line, with completion of the commands,
// themes and profiles.
func (m *Model) openCommand() tea.Cmd {
	k := &m.ctx.Keys
	l := newLine(m.ctx, ":", "", []keys.HintItem{keys.H("run", k.Confirm), keys.H("complete", k.Complete), keys.H("cancel", k.Back)})
	l.in.ShowSuggestions = true
	sugg := []string{"quit", "theme ", "codelab", "flavors", "images", "pools", "usage", "scope all", "scope mine", "help", "refresh", "error"}
	if m.opts.Audit != nil {
		sugg = append(sugg, "audit")
	}
	for _, n := range themes.Names() {
		sugg = append(sugg, "theme "+n)
	}
	if m.opts.Connect != nil {
		sugg = append(sugg, "profile ")
		for _, n := range m.profiles {
			sugg = append(sugg, "profile "+n)
		}
	}
	l.in.SetSuggestions(sugg)
	l.in.KeyMap.AcceptSuggestion = k.Complete
	l.onEnter = m.runCommand
	m.push(l)
	return l.in.Focus()
}

func (m *Model) onClick(msg tea.MouseClickMsg) tea.Cmd {
	if msg.Button != tea.MouseLeft || m.top() != nil || m.mode != modeList {
		return nil
	}
	m.table.Click(msg.Y - headerLines)
	return nil
}

func (m *Model) copy(url bool) tea.Cmd {
	in, ok := m.target()
	if !ok {
		m.toasts.Push(toast.Error, "copy: no instance selected")
		return nil
	}
	if url {
		if in.URL == "" {
			m.toasts.Push(toast.Error, "copy URL: "+text.Sanitize(in.Name)+" has no URL (is it running?)")
			return nil
		}
		u := text.Sanitize(in.URL)
		m.toasts.Push(toast.Success, "copied URL "+u)
		return tea.SetClipboard(u)
	}
	id := text.Sanitize(in.ID)
	m.toasts.Push(toast.Success, "copied id "+id)
	return tea.SetClipboard(id)
}

// target is the instance keys act on: the one in the details view, or the
// selected row.
func (m *Model) target() (model.Instance, bool) {
	if m.mode == modeDetails {
		return m.details.Instance(), true
	}
	return m.table.Selected()
}

func (m *Model) runCommand(line string) tea.Cmd {
	f := strings.Fields(line)
	if len(f) == 0 {
		return nil
	}
	switch f[0] {
	case "q", "q!", "quit", "exit":
		return m.quit()
	case "theme":
		if len(f) < 2 {
			m.toasts.Push(toast.Info, "theme "+m.themeName+" · available: "+strings.Join(themes.Names(), ", "))
			return nil
		}
		return m.loadTheme(f[1], false)
	case "codelab", "flavors", "images", "pools":
		return m.formsCommand(f[0])
	case "profile":
		return m.profileCommand(f[1:])
	case "help", "h":
		m.openHelp()
	case "refresh", "r":
		m.backend.Resync()
		return m.poll()
	case "scope":
		switch {
		case len(f) == 2 && (f[1] == "all" || f[1] == "all-users"):
			return m.setScope(true)
		case len(f) == 2 && (f[1] == "mine" || f[1] == "own"):
			return m.setScope(false)
		case len(f) == 1:
			m.toasts.Push(toast.Info, "scope: "+scopeName(m.allUsers)+" · :scope all | :scope mine")
		default:
			m.toasts.Push(toast.Error, "scope: "+strconv.Quote(text.Sanitize(strings.Join(f[1:], " ")))+
				" is not a scope (all or mine); the scope stays "+scopeName(m.allUsers))
		}
	case "error", "lasterror":
		return m.showLastError()
	case "audit":
		m.showAudit()
	case "usage":
		m.openUsage()
	default:
		m.toasts.Push(toast.Error, "unknown command :"+f[0]+" (try :theme NAME, :profile NAME, :codelab, :flavors, :images, :pools, :usage, :scope all|mine, :audit, :error, :help, :q)")
	}
	m.layout()
	return nil
}

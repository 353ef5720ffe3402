// Package keys is the dashboard's key map: every binding has an action name
// (the names Options.Keys remaps) and help text, and the help overlay lists
// exactly these bindings, so what it shows is always what works.
package keys

import (
	"fmt"
	"sort"
	"strings"

	"charm.land/bubbles/v2/key"
)

// Map is one dashboard's bindings. Each program owns its own Map (remaps
// differ per SSH user), so it is a value, never a package variable.
type Map struct {
	Up, Down, Top, Bottom, PageUp, PageDown key.Binding
	Filter, Back, NextGroup, PrevGroup      key.Binding
	SortNext, SortReverse                   key.Binding
	Details, Help, Command, Refresh, Quit   key.Binding
	Start, Stop, Delete, Renew, Mark        key.Binding
	CopyID, CopyURL, RawJSON                key.Binding
	New, Edit, LastError                    key.Binding
}

// Default returns the default bindings. "s" is start, so sorting uses "o"
// (order by next column) and "O" (reverse); ctrl+d is delete, so paging
// uses ctrl+f/ctrl+b as well as pgdown/pgup.
func Default() Map {
	b := func(help, desc string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, desc))
	}
	return Map{
		Up:          b("↑/k", "up", "up", "k"),
		Down:        b("↓/j", "down", "down", "j"),
		Top:         b("g/home", "first", "g", "home"),
		Bottom:      b("G/end", "last", "G", "end"),
		PageUp:      b("pgup/ctrl+b", "page up", "pgup", "ctrl+b"),
		PageDown:    b("pgdn/ctrl+f", "page down", "pgdown", "ctrl+f"),
		Filter:      b("/", "filter", "/"),
		Back:        b("esc", "clear filter / back", "esc"),
		NextGroup:   b("tab", "next status group", "tab"),
		PrevGroup:   b("shift+tab", "previous status group", "shift+tab"),
		SortNext:    b("o", "sort by next column", "o"),
		SortReverse: b("O", "reverse sort", "O"),
		Details:     b("enter", "details", "enter"),
		Help:        b("?", "help", "?"),
		Command:     b(":", "command", ":"),
		Refresh:     b("r", "refresh now", "r"),
		Quit:        b("q", "quit", "q", "ctrl+c"),
		Start:       b("s", "start", "s"),
		Stop:        b("x", "stop", "x"),
		Delete:      b("ctrl+d", "delete", "ctrl+d"),
		Renew:       b("l", "renew lease", "l"),
		Mark:        b("space", "mark", "space"),
		CopyID:      b("y", "copy id", "y"),
		CopyURL:     b("Y", "copy URL", "Y"),
		RawJSON:     b("J", "raw JSON", "J"),
		New:         b("n", "new instance", "n"),
		Edit:        b("e", "edit instance", "e"),
		LastError:   b("!", "last error in full", "!"),
	}
}

// ByName maps action names (as used in Options.Keys and config files) to
// the bindings in m.
func (m *Map) ByName() map[string]*key.Binding {
	return map[string]*key.Binding{
		"up": &m.Up, "down": &m.Down, "top": &m.Top, "bottom": &m.Bottom,
		"page_up": &m.PageUp, "page_down": &m.PageDown,
		"filter": &m.Filter, "back": &m.Back,
		"next_group": &m.NextGroup, "prev_group": &m.PrevGroup,
		"sort_next": &m.SortNext, "sort_reverse": &m.SortReverse,
		"details": &m.Details, "help": &m.Help, "command": &m.Command,
		"refresh": &m.Refresh, "quit": &m.Quit,
		"start": &m.Start, "stop": &m.Stop, "delete": &m.Delete,
		"renew": &m.Renew, "mark": &m.Mark,
		"copy_id": &m.CopyID, "copy_url": &m.CopyURL, "raw_json": &m.RawJSON,
		"new": &m.New, "edit": &m.Edit, "last_error": &m.LastError,
	}
}

// Apply replaces the keys of the named actions. Names are matched
// case-insensitively with "-" and "_" equivalent ("page-down" = "page_down").
// Unknown names are returned as an error listing them; the known ones are
// still applied. An empty key list unbinds the action; "ctrl+c" always
// stays bound to quit so a remap can never trap the user.
func (m *Map) Apply(remap map[string][]string) error {
	by := m.ByName()
	var unknown []string
	for name, ks := range remap {
		n := strings.ReplaceAll(strings.ToLower(strings.TrimSpace(name)), "-", "_")
		b, ok := by[n]
		if !ok {
			unknown = append(unknown, name)
			continue
		}
		if len(ks) == 0 {
			b.Unbind()
			continue
		}
		help := b.Help()
		b.SetKeys(ks...)
		b.SetHelp(strings.Join(ks, "/"), help.Desc)
	}
	if !contains(m.Quit.Keys(), "ctrl+c") {
		help := m.Quit.Help()
		m.Quit.SetKeys(append(m.Quit.Keys(), "ctrl+c")...)
		m.Quit.SetHelp(help.Key, help.Desc)
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return fmt.Errorf("unknown key actions: %s", strings.Join(unknown, ", "))
	}
	return nil
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// Group is a titled set of bindings for the help overlay.
type Group struct {
	Title    string
	Bindings []key.Binding
}

// ListHelp is the help for the instance list.
func (m *Map) ListHelp() []Group {
	return []Group{
		{"Navigate", []key.Binding{m.Up, m.Down, m.Top, m.Bottom, m.PageUp, m.PageDown, m.Details}},
		{"View", []key.Binding{m.Filter, m.Back, m.NextGroup, m.PrevGroup, m.SortNext, m.SortReverse, m.Refresh}},
		{"Actions", []key.Binding{m.New, m.Edit, m.Start, m.Stop, m.Delete, m.Renew, m.Mark, m.CopyID, m.CopyURL}},
		{"General", []key.Binding{m.Command, m.LastError, m.Help, m.Quit}},
	}
}

// DetailsHelp is the help for the details view.
func (m *Map) DetailsHelp() []Group {
	return []Group{
		{"Navigate", []key.Binding{m.Up, m.Down, m.Top, m.Bottom, m.PageUp, m.PageDown, m.Back}},
		{"View", []key.Binding{m.RawJSON, m.CopyID, m.CopyURL, m.Refresh}},
		{"Actions", []key.Binding{m.Edit, m.Start, m.Stop, m.Delete, m.Renew}},
		{"General", []key.Binding{m.Command, m.LastError, m.Help, m.Quit}},
	}
}

// ShortHelp is the footer hint line for the list.
func (m *Map) ShortHelp() []key.Binding {
	return []key.Binding{m.Details, m.Filter, m.Start, m.Stop, m.Delete, m.Renew, m.Help, m.Quit}
}

// Package keys is the dashboard's key map: every binding has an action name
// (the names Options.Keys remaps) and help text, and the help overlay lists
// exactly these bindings, so what it shows is always what works.
package keys

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"charm.land/bubbles/v2/key"
)

// Map is one dashboard's bindings. Each program owns its own Map (remaps
// differ per SSH user), so it is a value, never a package variable.
//
// Every view reads its keys from here — the list, the details, and every
// overlay (dialogs, forms, pickers, browsers) — so a remap in the config
// file applies everywhere, and footers and the help overlay are drawn from
// the same bindings. Bindings of different contexts may share a key (enter
// confirms a dialog and opens the details); within one context they do not.
type Map struct {
	// The list and the details view.
	Up, Down, Top, Bottom, PageUp, PageDown key.Binding
	Filter, Back, NextGroup, PrevGroup      key.Binding
	SortNext, SortReverse                   key.Binding
	Details, Help, Command, Refresh, Quit   key.Binding
	Start, Stop, Delete, Renew, Mark        key.Binding
	ClearMarks                              key.Binding
	CopyID, CopyURL, RawJSON                key.Binding
	New, Edit, LastError                    key.Binding
	Attach, Detach, SaveImage               key.Binding // storage mounts, save as image
	Pin, Usage                              key.Binding // keep-alive, the burn view

	// Overlays. Back (esc) cancels or goes back in all of them.
	Confirm    key.Binding // enter: confirm a dialog, pick in a list
	Yes, No    key.Binding // a yes/no question
	Close      key.Binding // q: close a browser, the help or a loading view
	Pick       key.Binding // 1–9: pick that option of a dialog at once
	OptionPrev key.Binding // the previous option of a choice
	OptionNext key.Binding // the next option of a choice

	// Forms.
	NextField, PrevField     key.Binding
	Review                   key.Binding // ctrl+s: review the request body
	ReviewBack               key.Binding // backspace on the review: back to the form
	Activate                 key.Binding // open the picker of the focused field
	SuggestNext, SuggestPrev key.Binding // fill in a suggested value
	ScrollUp, ScrollDown     key.Binding // a form taller than the screen

	// Pickers and the rule editor.
	Search                      key.Binding // / in the flavor picker
	NextCategory, PrevCategory  key.Binding
	NextArch                    key.Binding
	AddRule, CopyRule, DropRule key.Binding
	RuleUp, RuleDown            key.Binding // move a rule
	OtherList                   key.Binding // required ↔ preferred rules
	Intent                      key.Binding // leave unchanged / replace / clear all
	Complete                    key.Binding // complete the suggested label key
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
		ClearMarks:  b("u", "unmark all", "u"),
		CopyID:      b("y", "copy id", "y"),
		CopyURL:     b("Y", "copy URL", "Y"),
		RawJSON:     b("J", "raw JSON", "J"),
		New:         b("n", "new instance", "n"),
		Edit:        b("e", "edit instance", "e"),
		LastError:   b("!", "last error in full", "!"),
		Attach:      b("m", "attach storage", "m"),
		Detach:      b("M", "detach storage", "M"),
		SaveImage:   b("i", "save as image", "i"),
		Pin:         b("p", "keep alive (pin)", "p"),
		Usage:       b("U", "usage: who runs what", "U"),

		Confirm:    b("enter", "confirm", "enter"),
		Yes:        b("y", "yes", "y", "Y"),
		No:         b("n", "no", "n", "N"),
		Close:      b("q", "close", "q"),
		Pick:       b("1-9", "pick", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
		OptionPrev: b("←", "previous option", "left", "h"),
		OptionNext: b("→", "next option", "right", "l"),

		NextField:   b("↓", "next field", "down", "tab"),
		PrevField:   b("↑", "previous field", "up", "shift+tab"),
		Review:      b("ctrl+s", "review", "ctrl+s"),
		ReviewBack:  b("backspace", "back to the form", "backspace"),
		Activate:    b("space", "choose", "space"),
		SuggestNext: b("ctrl+n", "next suggestion", "ctrl+n"),
		SuggestPrev: b("ctrl+p", "previous suggestion", "ctrl+p"),
		ScrollUp:    b("pgup", "scroll up", "pgup"),
		ScrollDown:  b("pgdn", "scroll down", "pgdown"),

		Search:       b("/", "search", "/"),
		NextCategory: b("tab", "next category", "tab"),
		PrevCategory: b("shift+tab", "previous category", "shift+tab"),
		NextArch:     b("A", "architecture", "A"),
		AddRule:      b("a", "add rule", "a"),
		CopyRule:     b("d", "duplicate rule", "d"),
		DropRule:     b("x", "delete rule", "x", "delete"),
		RuleUp:       b("K", "move rule up", "K", "shift+up"),
		RuleDown:     b("J", "move rule down", "J", "shift+down"),
		OtherList:    b("tab", "switch list", "tab", "shift+tab"),
		Intent:       b("i", "change intent", "i"),
		Complete:     b("tab", "complete", "tab"),
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
		"renew": &m.Renew, "mark": &m.Mark, "clear_marks": &m.ClearMarks,
		"copy_id": &m.CopyID, "copy_url": &m.CopyURL, "raw_json": &m.RawJSON,
		"new": &m.New, "edit": &m.Edit, "last_error": &m.LastError,
		"attach": &m.Attach, "detach": &m.Detach, "save_image": &m.SaveImage,
		"pin": &m.Pin, "usage": &m.Usage,

		"confirm": &m.Confirm, "yes": &m.Yes, "no": &m.No, "close": &m.Close,
		"pick": &m.Pick, "option_prev": &m.OptionPrev, "option_next": &m.OptionNext,
		"next_field": &m.NextField, "prev_field": &m.PrevField,
		"review": &m.Review, "review_back": &m.ReviewBack, "activate": &m.Activate,
		"suggest_next": &m.SuggestNext, "suggest_prev": &m.SuggestPrev,
		"scroll_up": &m.ScrollUp, "scroll_down": &m.ScrollDown,
		"search": &m.Search, "next_category": &m.NextCategory, "prev_category": &m.PrevCategory,
		"next_arch": &m.NextArch, "add_rule": &m.AddRule, "copy_rule": &m.CopyRule,
		"drop_rule": &m.DropRule, "rule_up": &m.RuleUp, "rule_down": &m.RuleDown,
		"other_list": &m.OtherList, "intent": &m.Intent, "complete": &m.Complete,
	}
}

// Contexts groups the action names by where they are read; within one
// context no two bindings may share a key (the test holds the defaults to
// it). A remap that makes two collide is the user's choice.
func Contexts() map[string][]string {
	return map[string][]string{
		"list": {"up", "down", "top", "bottom", "page_up", "page_down", "filter", "back", "next_group", "prev_group",
			"sort_next", "sort_reverse", "details", "help", "command", "refresh", "quit", "start", "stop", "delete",
			"renew", "mark", "clear_marks", "copy_id", "copy_url", "raw_json", "new", "edit", "last_error",
			"attach", "detach", "save_image", "pin", "usage"},
		"dialog":  {"confirm", "back", "yes", "no", "pick", "option_prev", "option_next", "next_field", "prev_field"},
		"browser": {"up", "down", "top", "bottom", "page_up", "page_down", "back", "close"},
		// A choice field takes option_next, an action field activate; a
		// field is one or the other, so they may share keys.
		"form": {"next_field", "prev_field", "confirm", "back", "review", "option_prev", "option_next",
			"suggest_next", "suggest_prev", "scroll_up", "scroll_down"},
		"picker": {"up", "down", "top", "bottom", "back", "confirm", "search", "next_category", "prev_category", "next_arch"},
		"rules": {"up", "down", "back", "confirm", "add_rule", "copy_rule", "drop_rule", "rule_up", "rule_down",
			"other_list", "intent"},
		// complete shares tab with next_field: it applies only while a
		// label key suggestion is offered.
		"rule": {"confirm", "back", "next_field", "prev_field", "option_prev", "option_next", "suggest_next", "suggest_prev"},
	}
}

// Hint renders bindings as a footer line: "↑/↓ field · enter next". Each
// item is one or more bindings (their help keys joined by "/") and the
// words; unbound bindings are left out.
func Hint(items ...HintItem) string {
	var parts []string
	for _, it := range items {
		var ks []string
		for _, b := range it.Keys {
			if b.Enabled() {
				ks = append(ks, b.Help().Key)
			}
		}
		if len(ks) == 0 {
			continue
		}
		parts = append(parts, strings.Join(ks, "/")+" "+it.Desc)
	}
	return strings.Join(parts, " · ")
}

// HintItem is one entry of a Hint: the bindings and what they do here.
type HintItem struct {
	Keys []key.Binding
	Desc string
}

// H is a HintItem.
func H(desc string, keys ...key.Binding) HintItem { return HintItem{Keys: keys, Desc: desc} }

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
		{"View", []key.Binding{m.Filter, m.Back, m.NextGroup, m.PrevGroup, m.SortNext, m.SortReverse, m.Refresh, m.Usage}},
		{"Actions", []key.Binding{m.New, m.Edit, m.Start, m.Stop, m.Delete, m.Renew, m.Pin, m.Mark, m.ClearMarks}},
		{"Storage, copy, general", []key.Binding{m.Attach, m.Detach, m.SaveImage, m.CopyID, m.CopyURL,
			m.Command, m.LastError, m.Help, m.Quit}},
	}
}

// DetailsHelp is the help for the details view.
func (m *Map) DetailsHelp() []Group {
	return []Group{
		{"Navigate", []key.Binding{m.Up, m.Down, m.Top, m.Bottom, m.PageUp, m.PageDown, m.Back}},
		{"View", []key.Binding{m.RawJSON, m.CopyID, m.CopyURL, m.Refresh}},
		{"Actions", []key.Binding{m.Edit, m.Start, m.Stop, m.Delete, m.Renew, m.Pin, m.Attach, m.Detach, m.SaveImage}},
		{"General", []key.Binding{m.Command, m.LastError, m.Help, m.Quit}},
	}
}

// Mutates reports whether b is one of the bindings that change the cloud
// (start, stop, delete, renew, new, edit): a read-only session hides them.
func (m *Map) Mutates(b key.Binding) bool {
	for _, x := range []key.Binding{m.Start, m.Stop, m.Delete, m.Renew, m.New, m.Edit, m.Attach, m.Detach, m.SaveImage, m.Pin} {
		if x.Help() == b.Help() && slices.Equal(x.Keys(), b.Keys()) {
			return true
		}
	}
	return false
}

// ShortHelp is the footer hint line for the list.
func (m *Map) ShortHelp() []key.Binding {
	return []key.Binding{m.Details, m.Filter, m.Start, m.Stop, m.Delete, m.Renew, m.Help, m.Quit}
}

// CtrlC is ctrl+c for footers: it always quits, whatever the remap (Apply
// keeps it bound), so overlays whose q types text still show a way out.
func CtrlC() key.Binding {
	return key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit"))
}

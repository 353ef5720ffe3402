// Package formtest builds key messages for the form tests, so each test
// drives a form the way a terminal would.
package formtest

import (
	"strings"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"
)

var named = map[string]tea.Key{
	"enter":      {Code: tea.KeyEnter},
	"esc":        {Code: tea.KeyEscape},
	"tab":        {Code: tea.KeyTab},
	"shift+tab":  {Code: tea.KeyTab, Mod: tea.ModShift},
	"space":      {Code: tea.KeySpace, Text: " "},
	"up":         {Code: tea.KeyUp},
	"down":       {Code: tea.KeyDown},
	"left":       {Code: tea.KeyLeft},
	"right":      {Code: tea.KeyRight},
	"shift+up":   {Code: tea.KeyUp, Mod: tea.ModShift},
	"shift+down": {Code: tea.KeyDown, Mod: tea.ModShift},
	"backspace":  {Code: tea.KeyBackspace},
	"pgup":       {Code: tea.KeyPgUp},
	"pgdown":     {Code: tea.KeyPgDown},
	"home":       {Code: tea.KeyHome},
	"end":        {Code: tea.KeyEnd},
	"delete":     {Code: tea.KeyDelete},
}

// Key returns the key press for a name ("enter", "shift+up", "ctrl+s")
// or a single printable character.
func Key(s string) tea.KeyPressMsg {
	if k, ok := named[s]; ok {
		return tea.KeyPressMsg(k)
	}
	if c, ok := strings.CutPrefix(s, "ctrl+"); ok && utf8.RuneCountInString(c) == 1 {
		r, _ := utf8.DecodeRuneInString(c)
		return tea.KeyPressMsg{Code: r, Mod: tea.ModCtrl}
	}
	r, _ := utf8.DecodeRuneInString(s)
	return tea.KeyPressMsg{Code: r, Text: s}
}

// Keys splits a script of space-separated key names; a token in double
// quotes is typed character by character ("\"a b\"" types a, space, b).
func Keys(script string) []tea.KeyPressMsg {
	var out []tea.KeyPressMsg
	for len(script) > 0 {
		script = strings.TrimLeft(script, " ")
		if script == "" {
			break
		}
		if script[0] == '"' {
			end := strings.IndexByte(script[1:], '"')
			if end < 0 {
				end = len(script) - 1
			}
			out = append(out, Type(script[1:end+1])...)
			script = script[min(end+2, len(script)):]
			continue
		}
		tok, rest, _ := strings.Cut(script, " ")
		out = append(out, Key(tok))
		script = rest
	}
	return out
}

// Type returns one key press per character of s.
func Type(s string) []tea.KeyPressMsg {
	var out []tea.KeyPressMsg
	for _, r := range s {
		if r == ' ' {
			out = append(out, tea.KeyPressMsg(named["space"]))
			continue
		}
		out = append(out, tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	return out
}

package alert

import (
	"strings"
	"testing"
	"time"

	"matui/client/config"
)

func TestSequence(t *testing.T) {
	tests := []struct {
		n    Notifier
		want string
	}{
		{Notifier{}, ""},
		{Notifier{Bell: true}, "\a"},
		{Notifier{Desktop: OSC9}, "\x1b]9;matui: nb auto-stops in 14:59\a"},
		{Notifier{Desktop: OSC777}, "\x1b]777;notify;matui;nb auto-stops in 14:59\a"},
		{Notifier{Bell: true, Desktop: DesktopBoth},
			"\a\x1b]9;matui: nb auto-stops in 14:59\a\x1b]777;notify;matui;nb auto-stops in 14:59\a"},
	}
	a := Alert{Name: "nb", Remaining: 14*time.Minute + 59*time.Second + 300*time.Millisecond}
	for _, tt := range tests {
		if got := tt.n.Notify(a); got != tt.want {
			t.Errorf("%+v: %q, want %q", tt.n, got, tt.want)
		}
	}
}

// An instance name cannot end the OSC early, add a field, or smuggle an
// escape sequence of its own to the terminal.
func TestSequenceCannotBeInjected(t *testing.T) {
	names := []string{
		"a;b",                     // a field separator
		"x\a\x1b]0;title\a",       // BEL ends the OSC, then a title change
		"x\x1b\\\x1b[2J",          // ST, then clear screen
		"x\u009d0;title\u009c",    // 8-bit OSC and ST
		"x\u202egnp.exe",          // bidi override
		"x\r\nfake line",          // line breaks
		strings.Repeat("é", 1000), // long
	}
	n := Notifier{Bell: true, Desktop: DesktopBoth}
	for _, name := range names {
		seq := n.Notify(Alert{Name: name, Remaining: time.Minute})
		if strings.Count(seq, "\x1b") != 2 || strings.Count(seq, "\a") != 3 {
			t.Errorf("%q: escape or BEL count wrong in %q", name, seq)
		}
		// Exactly the separators of the two sequences, none from the name.
		if strings.Count(seq, ";") != 1+3 {
			t.Errorf("%q: extra separators in %q", name, seq)
		}
		if strings.ContainsAny(seq, "\u009d\u009c\u202e\r\n") {
			t.Errorf("%q: control characters survive in %q", name, seq)
		}
		if len([]rune(seq)) > 2*maxPayload+40 {
			t.Errorf("%q: %d runes", name, len([]rune(seq)))
		}
	}
}

func TestDetectDesktop(t *testing.T) {
	tests := []struct {
		env  map[string]string
		want Desktop
	}{
		{map[string]string{"TERM_PROGRAM": "iTerm.app"}, OSC9},
		{map[string]string{"TERM_PROGRAM": "WezTerm", "TERM": "xterm-256color"}, OSC9},
		{map[string]string{"TERM": "xterm-kitty"}, OSC9},
		{map[string]string{"TERM": "xterm-ghostty"}, OSC9},
		{map[string]string{"TERM": "foot"}, OSC777},
		{map[string]string{"TERM": "foot-extra"}, OSC777},
		{map[string]string{"TERM": "rxvt-unicode-256color"}, OSC777},
		{map[string]string{"TERM": "xterm-256color", "VTE_VERSION": "7600"}, OSC777},
		{map[string]string{"TERM": "xterm-256color", "WT_SESSION": "x"}, DesktopBoth},
		{map[string]string{"TERM": "xterm-256color"}, DesktopBoth},
		{nil, DesktopBoth},
	}
	for _, tt := range tests {
		if got := DetectDesktop(func(k string) string { return tt.env[k] }); got != tt.want {
			t.Errorf("%v: %v, want %v", tt.env, got, tt.want)
		}
	}
}

func TestDesktopSetting(t *testing.T) {
	foot := func(k string) string {
		if k == "TERM" {
			return "foot"
		}
		return ""
	}
	tests := map[string]Desktop{
		config.DesktopAuto: OSC777, config.DesktopOff: DesktopOff, config.DesktopOSC9: OSC9,
		config.DesktopOSC777: OSC777, config.DesktopBoth: DesktopBoth, "": OSC777,
	}
	for v, want := range tests {
		if got := DesktopSetting(v, foot); got != want {
			t.Errorf("%q: %v, want %v", v, got, want)
		}
	}
}

package alert

import (
	"strings"

	"matui/ui/text"
)

// Desktop selects the escape sequences that ask the terminal for a desktop
// notification. They are plain output, so they work over SSH (matui serve
// included); a terminal that does not know one ignores it, as xterm,
// Alacritty and Terminal.app do. Which terminals show which (2026):
//
//	OSC 9    ESC ] 9 ; text BEL                     iTerm2, kitty, WezTerm, Ghostty, Warp, VS Code
//	OSC 777  ESC ] 777 ; notify ; title ; body BEL  foot, urxvt (notify extension), WezTerm, Ghostty,
//	                                                VTE terminals with Fedora's patch (GNOME Terminal, Tilix)
//
// Windows Terminal is adding both (its OSC 9;4 progress already works);
// matui sends it both.
//
// Inside tmux or screen neither reaches the outer terminal unless
// passthrough is enabled (tmux: set -g allow-passthrough on); the bell
// still does, as tmux forwards it by its bell-action.
type Desktop uint8

const (
	DesktopOff Desktop = 0
	OSC9       Desktop = 1 << iota
	OSC777
	// DesktopBoth sends both, for a terminal matui cannot identify. One
	// that understands both (WezTerm, Ghostty) then shows two
	// notifications, which is why DetectDesktop narrows it when it can.
	DesktopBoth = OSC9 | OSC777
)

// DetectDesktop picks the sequences for the terminal described by env
// (os.Getenv locally; under matui serve the TERM the SSH client sent, as
// other variables are not forwarded). Terminals known to show both get one
// (OSC 9), so they do not show every alert twice.
func DetectDesktop(env func(string) string) Desktop {
	switch env("TERM_PROGRAM") {
	case "iTerm.app", "WezTerm", "ghostty", "vscode", "WarpTerminal":
		return OSC9
	}
	term := env("TERM")
	switch {
	case term == "xterm-kitty", term == "xterm-ghostty", term == "wezterm", env("KITTY_WINDOW_ID") != "":
		return OSC9
	case strings.HasPrefix(term, "foot"), strings.HasPrefix(term, "rxvt"), env("VTE_VERSION") != "":
		return OSC777
	}
	return DesktopBoth
}

// DesktopSetting maps the config file's alerts.desktop value ("auto",
// "off", "osc9", "osc777", "both"; client/config's Desktop* constants) to
// the sequences to send, detecting the terminal from env for "auto" and
// for anything unknown.
func DesktopSetting(value string, env func(string) string) Desktop {
	switch value {
	case "off":
		return DesktopOff
	case "osc9":
		return OSC9
	case "osc777":
		return OSC777
	case "both":
		return DesktopBoth
	}
	return DetectDesktop(env)
}

// Notifier writes the terminal side of an alert: the bell and the desktop
// notification.
type Notifier struct {
	Bell    bool
	Desktop Desktop
}

// maxPayload bounds the text of one notification (in runes): an instance
// name is at most 128 characters, and a notification is a glance.
const maxPayload = 200

// Sequence returns the bytes to write to the terminal (with tea.Raw) for a
// notification with the given title and body, or "" when the notifier is
// off. Title and body are sanitised (text.Sanitize) and lose ";" and BEL
// as well, which separate and end OSC fields: an instance name cannot end
// the sequence early, add a field or inject an escape of its own.
func (n Notifier) Sequence(title, body string) string {
	var b strings.Builder
	if n.Bell {
		b.WriteByte('\a')
	}
	title, body = oscText(title), oscText(body)
	if n.Desktop&OSC9 != 0 {
		// OSC 9 shows one string. ConEmu and Windows Terminal read
		// "9;<digit>…" as a command (9;4 is progress): the text always
		// starts with the title, which is never a digit.
		b.WriteString("\x1b]9;")
		b.WriteString(title)
		if body != "" {
			b.WriteString(": ")
			b.WriteString(body)
		}
		b.WriteByte('\a')
	}
	if n.Desktop&OSC777 != 0 {
		b.WriteString("\x1b]777;notify;")
		b.WriteString(title)
		b.WriteByte(';')
		b.WriteString(body)
		b.WriteByte('\a')
	}
	return b.String()
}

// Notify is Sequence for an alert, titled "matui".
func (n Notifier) Notify(a Alert) string { return n.Sequence("matui", a.Message()) }

// Message is the alert as one line: "bert-finetune auto-stops in 14:59".
func (a Alert) Message() string {
	return text.Sanitize(a.Name) + " auto-stops in " + text.Countdown(a.Remaining)
}

// oscText is s made safe inside an OSC field.
func oscText(s string) string {
	s = text.Sanitize(s) // escape sequences, C0 (BEL among them), C1, bidi
	if strings.ContainsRune(s, ';') {
		s = strings.ReplaceAll(s, ";", ",")
	}
	if r := []rune(s); len(r) > maxPayload {
		s = string(r[:maxPayload-1]) + "…"
	}
	return strings.TrimSpace(s)
}

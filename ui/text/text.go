// Package text holds the dashboard's string helpers: sanitising untrusted
// API strings, fitting them into cells by display width, the duration and
// size formats, and the filter matcher.
package text

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"matui/model/termsafe"
)

// Sanitize makes an API string safe to put on a terminal, on one line:
// escape sequences, C0/C1 controls, DEL and bidi controls are removed (tab
// and newlines become a space so words stay apart) and invalid UTF-8
// becomes U+FFFD. Any string from the API goes through here before it is
// measured or displayed. It is termsafe.String, the sanitiser every output
// of matui shares (see package termsafe for the exact rules).
func Sanitize(s string) string { return termsafe.String(s) }

// MarshalIndent is the indented JSON of a request body as a review screen
// shows it: every string in it sanitised (the body sent is not).
func MarshalIndent(v any) ([]byte, error) { return termsafe.MarshalIndent(v) }

// Width is the display width of s in terminal cells (CJK and emoji count 2).
func Width(s string) int { return ansi.StringWidth(s) }

// Truncate shortens s to at most w cells, ending in "…" when cut. It is
// escape-sequence aware so styled strings can be passed.
func Truncate(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if ansi.StringWidth(s) <= w {
		return s
	}
	return ansi.Truncate(s, w, "…")
}

// Fit truncates s to w cells and pads it with spaces to exactly w cells, so
// columns line up whatever the script.
func Fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	sw := ansi.StringWidth(s)
	if sw > w {
		s = ansi.Truncate(s, w, "…")
		sw = ansi.StringWidth(s)
	}
	if sw < w {
		s += strings.Repeat(" ", w-sw)
	}
	return s
}

// FitRight is Fit aligned to the right (numbers, countdowns).
func FitRight(s string, w int) string {
	if w <= 0 {
		return ""
	}
	sw := ansi.StringWidth(s)
	if sw > w {
		return Fit(s, w)
	}
	return strings.Repeat(" ", w-sw) + s
}

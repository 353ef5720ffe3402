// Package text holds the dashboard's string helpers: sanitising untrusted
// API strings, fitting them into cells by display width, the duration and
// size formats, and the filter matcher.
package text

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// Sanitize makes an API string safe to put on a terminal: escape sequences
// (CSI, OSC, DCS, APC… in 7- and 8-bit form) are removed, C0/C1 controls and
// DEL dropped (tab and newlines become a space so words stay apart), invalid
// UTF-8 becomes U+FFFD, and bidi overrides — which can make a name read as
// something else — are dropped. Any string from the API goes through here
// before it is measured or displayed.
func Sanitize(s string) string {
	if isPlain(s) {
		return s
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = ansi.Strip(s)
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			b.WriteByte(' ')
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f):
			// C0, DEL, C1 (ansi.Strip leaves lone ones behind).
		case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f:
			// Bidi embeddings, overrides, isolates and marks.
		case r == utf8.RuneError:
			b.WriteRune(r)
		case unicode.Is(unicode.Cc, r):
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// isPlain reports a printable-ASCII string, the common case, which needs no
// work.
func isPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}

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

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
	s = stripC1Sequences(s)
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

// stripC1Sequences removes sequences introduced by 8-bit C1 controls
// encoded as UTF-8 (U+009B CSI, U+009D OSC, U+0090 DCS, U+0098 SOS, U+009E
// PM, U+009F APC), which some terminals honour and ansi.Strip leaves as
// text: "\u009b31m" would otherwise survive as "31m".
func stripC1Sequences(s string) string {
	if !strings.ContainsAny(s, "\u009b\u009d\u0090\u0098\u009e\u009f") {
		return s
	}
	var b strings.Builder
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		switch rs[i] {
		case 0x9b: // CSI: parameters and intermediates up to a final byte
			j := i + 1
			for j < len(rs) && rs[j] >= 0x20 && rs[j] <= 0x3f {
				j++
			}
			for j < len(rs) && rs[j] >= 0x20 && rs[j] <= 0x2f {
				j++
			}
			if j < len(rs) && rs[j] >= 0x40 && rs[j] <= 0x7e {
				j++
			}
			i = j - 1
		case 0x9d, 0x90, 0x98, 0x9e, 0x9f: // string until BEL or ST
			j := i + 1
			for j < len(rs) {
				if rs[j] == 0x07 || rs[j] == 0x9c {
					break
				}
				if rs[j] == 0x1b && j+1 < len(rs) && rs[j+1] == '\\' {
					j++
					break
				}
				j++
			}
			i = j
		default:
			b.WriteRune(rs[i])
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

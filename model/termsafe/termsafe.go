// Package termsafe makes text from the network safe to put on a terminal.
// It is the one sanitiser of matui: the dashboard's cells (ui/text.Sanitize
// is String), `matui list` and `matui get` in every format, the API error
// messages (client), stderr, the forms' review JSON, the SSH console's logs
// and audit file all go through it, so a string that is safe in one output
// is safe in all of them.
//
// What is neutralised, whatever the function:
//
//   - escape sequences, in 7-bit (ESC [ …, ESC ] … BEL/ST, ESC P … ST, APC,
//     SOS, PM) and 8-bit form (U+009B, U+009D, U+0090, …): removed with
//     their payload, so an OSC 52 clipboard write or an OSC 8 hyperlink
//     leaves nothing behind;
//   - every other C0 control (U+0000–U+001F), DEL (U+007F) and C1 control
//     (U+0080–U+009F): removed, except what the output needs (String turns
//     tab, LF and CR into a space so that words stay apart; Text keeps LF
//     and tab);
//   - bidirectional controls, which make a name read as something else
//     (U+202A–U+202E embeddings and overrides, U+2066–U+2069 isolates,
//     U+200E/U+200F and U+061C marks): removed;
//   - invalid UTF-8: replaced with U+FFFD.
//
// The package depends only on the standard library, x/ansi and jsonscan, so every
// room of matui (model and client below the UI included) may use it.
package termsafe

import (
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// String makes s safe for a single-line output: a table cell, a JSON
// string, a log field. Tab, LF and CR become a space.
func String(s string) string { return clean(s, false) }

// Text makes s safe for an output that may span lines (an error printed on
// stderr, a multi-line message): LF and tab are kept, CR is removed (it
// would let a line overwrite what precedes it, such as the "matui:"
// prefix).
func Text(s string) string { return clean(s, true) }

// Line is String for a short message: runs of white space collapse to one
// space, leading and trailing space go, and the result is cut to max runes
// (an HTML error page from a proxy must not flood a status bar), ending in
// "…" when cut. max ≤ 0 means no limit.
func Line(s string, max int) string {
	fields := strings.Fields(String(s))
	var b strings.Builder
	n := 0
	for i, f := range fields {
		if i > 0 {
			if max > 0 && n >= max {
				b.WriteString("…")
				return b.String()
			}
			b.WriteByte(' ')
			n++
		}
		for _, r := range f {
			if max > 0 && n >= max {
				b.WriteString("…")
				return b.String()
			}
			b.WriteRune(r)
			n++
		}
	}
	return b.String()
}

// IsBidiControl reports the bidirectional formatting characters the
// sanitiser removes.
func IsBidiControl(r rune) bool {
	switch {
	case r >= 0x202a && r <= 0x202e, // LRE, RLE, PDF, LRO, RLO
		r >= 0x2066 && r <= 0x2069, // LRI, RLI, FSI, PDI
		r == 0x200e, r == 0x200f,   // LRM, RLM
		r == 0x061c: // ALM
		return true
	}
	return false
}

// isControl reports C0, DEL and C1.
func isControl(r rune) bool { return r < 0x20 || (r >= 0x7f && r <= 0x9f) }

func clean(s string, multiline bool) string {
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
		case r == '\n' || r == '\t':
			if multiline {
				b.WriteRune(r)
			} else {
				b.WriteByte(' ')
			}
		case r == '\r':
			if !multiline {
				b.WriteByte(' ')
			}
		case isControl(r), IsBidiControl(r):
			// ansi.Strip leaves lone controls (a BEL, a C1 without a
			// sequence after it) behind.
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

// IsSafe reports whether s holds nothing String would remove or change
// except the white space it turns into spaces: no ESC, no other control, no
// C1, no bidi control, valid UTF-8. Tests of every output assert it.
func IsSafe(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r == '\n' || r == '\t' {
			continue
		}
		if isControl(r) || IsBidiControl(r) {
			return false
		}
	}
	return true
}

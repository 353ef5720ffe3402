package text

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Match reports whether every rune of pattern appears in haystack in order
// (a subsequence match, case-insensitive), the fzf-style filter users
// expect: "nbgpu" matches "notebook-gpu-01". Whitespace in the pattern
// separates terms that must each match (in any order), so "v100 run"
// finds running V100 notebooks. A term matches within one NUL-separated
// field of haystack, never across fields. haystack must already be lower-case (rows
// precompute it once per refresh, not per keystroke × row).
func Match(pattern, haystack string) bool {
	for _, term := range strings.Fields(pattern) {
		term = strings.ToLower(term)
		found := false
		for field := range strings.SplitSeq(haystack, "\x00") {
			if subsequence(term, field) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func subsequence(term, s string) bool {
	i := 0
	for _, r := range term {
		found := false
		for i < len(s) {
			c, n := utf8.DecodeRuneInString(s[i:])
			i += n
			if c == r || unicode.ToLower(c) == r {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

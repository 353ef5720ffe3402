// Package jsonscan has the one byte-level JSON scanning step matui needs
// in more than one place (termsafe.JSON cleans every string token of a
// document, model.LimitDepth cuts nesting): finding where a string token
// ends. It knows JSON's escapes and nothing else, so it is fast and never
// allocates.
package jsonscan

// StringEnd returns the index just past the string token that starts with
// the quote at b[i], or len(b)+1 when the string is not terminated.
func StringEnd(b []byte, i int) int {
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return len(b) + 1
}

package model

import "matui/model/jsonscan"

// MaxJSONDepth is how deeply an API answer may nest before LimitDepth cuts
// it. The deepest legitimate answer — a list page, its item, the item's
// affinity, a rule, its values — is seven levels; free-form members
// (flavor_details.params, annotations) add a few. Sixty-four leaves room
// for anything real.
const MaxJSONDepth = 64

// LimitDepth returns the JSON document b with every object or array that
// opens deeper than limit levels replaced by null. encoding/json refuses a
// whole document nested deeper than 10,000 levels, so without this one
// absurdly nested member of one item (a hostile or broken server) would
// spoil the whole page; with it, only that member is lost and the item
// keeps its ID, name and status.
//
// b itself is returned, not copied, when nothing is that deep or when it
// is not well-formed (unbalanced brackets, an unterminated string): the
// decoder then reports what is wrong as it would have.
func LimitDepth(b []byte, limit int) []byte {
	if deepest(b) <= limit {
		return b
	}
	out := make([]byte, 0, len(b))
	depth := 0
	for i := 0; i < len(b); i++ {
		switch c := b[i]; c {
		case '"':
			end := jsonscan.StringEnd(b, i)
			out = append(out, b[i:end]...)
			i = end - 1
		case '{', '[':
			if depth+1 > limit {
				end := containerEnd(b, i)
				out = append(out, "null"...)
				i = end - 1
				continue
			}
			depth++
			out = append(out, c)
		case '}', ']':
			depth--
			out = append(out, c)
		default:
			out = append(out, c)
		}
	}
	return out
}

// deepest is the maximum nesting depth of b, or -1 when b's brackets or
// strings do not balance.
func deepest(b []byte) int {
	depth, most := 0, 0
	for i := 0; i < len(b); i++ {
		switch b[i] {
		case '"':
			end := jsonscan.StringEnd(b, i)
			if end > len(b) {
				return -1
			}
			i = end - 1
		case '{', '[':
			depth++
			most = max(most, depth)
		case '}', ']':
			depth--
			if depth < 0 {
				return -1
			}
		}
	}
	if depth != 0 {
		return -1
	}
	return most
}

// containerEnd returns the index just past the object or array opening at
// b[i]. b balances (deepest checked it).
func containerEnd(b []byte, i int) int {
	depth := 0
	for j := i; j < len(b); j++ {
		switch b[j] {
		case '"':
			j = jsonscan.StringEnd(b, j) - 1
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				return j + 1
			}
		}
	}
	return len(b)
}

package model

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Notebook tags (reference §3.14; SDK CreateNotebookTags, DeleteNotebookTags,
// ShowNotebookTags, TmsTag, CombineTmsTags; ListNotebooks' tags filter).

// MaxNotebookTags is how many tags one notebook may carry. Neither the
// reference nor the ModelArts pages state a number; 20 is the per-resource
// limit of the TMS generation whose key/value rules these are (128/255
// characters, _sys_ reserved — e.g. HWC's ER "CreateResourceTag": "A
// resource can have up to 20 tags"). The older TMS console page says 10, but
// with 36/43-character keys and values, i.e. the previous rules.
const MaxNotebookTags = 20

// Limits of a TMS tag (SDK TmsTag).
const (
	tagKeyMax      = 128
	tagValueMax    = 255
	tagReservedPfx = "_sys_"
)

const (
	allowedTagKey   = "1–128 characters: letters of any language, digits, spaces and _ . : = + - @; no leading or trailing space; not starting with _sys_"
	allowedTagValue = "0–255 characters: letters of any language, digits, spaces and _ . : / = + - @"
)

// TagsRequest is the body of POST /notebooks/{id}/tags/create and DELETE
// /notebooks/{id}/tags/delete (SDK CreateTmsTagsRequest). Creating a tag
// whose key exists overwrites its value (the CreateNotebookTags page).
type TagsRequest struct {
	Tags []Tag `json:"tags"`
}

// TagValues is one key of GET /notebooks/tags with every value it has in the
// project (SDK CombineTmsTags: "相同key合并").
type TagValues struct {
	Key    string   `json:"key"`
	Values []string `json:"values"`
}

// TagSummary is the answer of GET /notebooks/tags.
type TagSummary struct {
	Tags []TagValues `json:"tags"`
}

// UnmarshalJSON decodes leniently.
func (s *TagSummary) UnmarshalJSON(b []byte) error {
	type alias TagSummary
	return decodeLenient(b, (*alias)(s))
}

func isTagChar(r rune, value bool) bool {
	if unicode.IsLetter(r) || unicode.IsNumber(r) || r == ' ' {
		return true
	}
	if value && r == '/' {
		return true
	}
	return strings.ContainsRune("_.:=+-@", r)
}

func checkTagKey(field, k string) *FieldError {
	switch {
	case k == "":
		return valErr(field, "is required", allowedTagKey, k)
	case !utf8.ValidString(k):
		return valErr(field, "is not valid UTF-8", allowedTagKey, k)
	}
	if n := utf8.RuneCountInString(k); n > tagKeyMax {
		return valErr(field, fmt.Sprintf("%d characters is too long", n), allowedTagKey, k)
	}
	if strings.HasPrefix(k, " ") || strings.HasSuffix(k, " ") {
		return valErr(field, "starts or ends with a space", allowedTagKey, k)
	}
	if strings.HasPrefix(k, tagReservedPfx) {
		return valErr(field, "starts with _sys_, which is reserved for system tags", allowedTagKey, k)
	}
	for _, r := range k {
		if !isTagChar(r, false) {
			return valErr(field, fmt.Sprintf("contains %q, which is not allowed", r), allowedTagKey, k)
		}
	}
	return nil
}

func checkTagValue(field, v string) *FieldError {
	if !utf8.ValidString(v) {
		return valErr(field, "is not valid UTF-8", allowedTagValue, v)
	}
	if n := utf8.RuneCountInString(v); n > tagValueMax {
		return valErr(field, fmt.Sprintf("%d characters is too long", n), allowedTagValue, v)
	}
	for _, r := range v {
		if !isTagChar(r, true) {
			return valErr(field, fmt.Sprintf("contains %q, which is not allowed", r), allowedTagValue, v)
		}
	}
	return nil
}

// ValidateTagKey checks a tag key: 1–128 characters of letters (any
// language), digits, spaces and _ . : = + - @, no leading or trailing
// space, not starting with _sys_.
func ValidateTagKey(k string) error { return valAsError(checkTagKey("key", k)) }

// ValidateTagValue checks a tag value: 0–255 characters of letters (any
// language), digits, spaces and _ . : / = + - @.
func ValidateTagValue(v string) error { return valAsError(checkTagValue("value", v)) }

// Validate checks a create or delete body: at least one tag, at most
// MaxNotebookTags, valid keys and values, no key twice (a resource holds one
// value per key, so a request naming a key twice is ambiguous).
func (r *TagsRequest) Validate() error {
	if r == nil {
		return FieldErrors{valErr("", "request is missing", "", "")}
	}
	allowedCount := fmt.Sprintf("1–%d tags", MaxNotebookTags)
	var es FieldErrors
	switch {
	case len(r.Tags) == 0:
		es = append(es, valErr("tags", "is required", allowedCount, ""))
	case len(r.Tags) > MaxNotebookTags:
		es = append(es, valErr("tags", fmt.Sprintf("%d tags is too many", len(r.Tags)), allowedCount, ""))
	}
	seen := make(map[string]int, len(r.Tags))
	for i, t := range r.Tags {
		p := fmt.Sprintf("tags[%d]", i)
		es = valAdd(es, checkTagKey(p+".key", t.Key))
		es = valAdd(es, checkTagValue(p+".value", t.Value))
		if j, dup := seen[t.Key]; dup {
			es = append(es, valErr(p+".key", fmt.Sprintf("duplicates tags[%d].key", j), "each key once per request", t.Key))
			continue
		}
		seen[t.Key] = i
	}
	return es.Err()
}

// MergeTags returns cur with add applied as CreateNotebookTags applies it:
// a tag whose key exists replaces its value in place, a new key is
// appended. Neither input is modified.
func MergeTags(cur, add []Tag) []Tag {
	out := append([]Tag(nil), cur...)
	for _, t := range add {
		replaced := false
		for i := range out {
			if out[i].Key == t.Key {
				out[i].Value, replaced = t.Value, true
				break
			}
		}
		if !replaced {
			out = append(out, t)
		}
	}
	return out
}

// ---- the list filter ----

// TagFilter is one item of ListNotebooks' tags query. Without a value
// (AnyValue) it matches a notebook that has the key at all.
type TagFilter struct {
	Key      string
	Value    string
	AnyValue bool
}

const allowedTagFilter = "comma-separated items key or key|value, e.g. team|nlp,project (no leading , or |, no trailing comma, no ,, or ||)"

// ParseTagFilter reads the tags query of GET /notebooks. The SDK documents
// "tag_key1|tag_value1,tag_key2|tag_value2": items separated by commas, key
// and value by a vertical bar; no leading comma or bar, no trailing comma,
// no doubled separators. An item without a bar is a key alone (any value);
// "key|" asks for the empty value (so "|," is allowed; an item starting with
// "|" has no key and is refused as such). The empty string is no filter. Keys and
// values must be valid tag keys and values, which excludes , and | from
// them, so the split is unambiguous.
func ParseTagFilter(s string) ([]TagFilter, error) {
	if s == "" {
		return nil, nil
	}
	const field = "tags"
	switch {
	case strings.HasPrefix(s, ",") || strings.HasPrefix(s, "|"):
		return nil, valErr(field, "starts with a separator", allowedTagFilter, s)
	case strings.HasSuffix(s, ","):
		return nil, valErr(field, "ends with a comma", allowedTagFilter, s)
	case strings.Contains(s, ",,") || strings.Contains(s, "||"):
		return nil, valErr(field, "has two separators in a row", allowedTagFilter, s)
	}
	items := strings.Split(s, ",")
	out := make([]TagFilter, 0, len(items))
	for i, it := range items {
		p := fmt.Sprintf("%s[%d]", field, i)
		k, v, hasValue := strings.Cut(it, "|")
		if strings.Contains(v, "|") {
			return nil, valErr(p, "has more than one |", allowedTagFilter, it)
		}
		if e := checkTagKey(p+".key", k); e != nil {
			return nil, e
		}
		if e := checkTagValue(p+".value", v); e != nil {
			return nil, e
		}
		out = append(out, TagFilter{Key: k, Value: v, AnyValue: !hasValue})
	}
	return out, nil
}

// FormatTagFilter renders filters as the tags query ParseTagFilter reads.
func FormatTagFilter(fs []TagFilter) string {
	var b strings.Builder
	for i, f := range fs {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(f.Key)
		if !f.AnyValue {
			b.WriteByte('|')
			b.WriteString(f.Value)
		}
	}
	return b.String()
}

// MatchTags reports whether tags satisfy fs. The SDK does not say how items
// combine; here, as in TMS's resource filter, items with different keys must
// all match (AND) and several items with one key are alternatives (OR), so
// "team|nlp,team|cv,env|prod" is (team nlp or cv) and env prod.
func MatchTags(tags []Tag, fs []TagFilter) bool {
	for i, f := range fs {
		if firstWithKey(fs, f.Key) != i {
			continue // this key's alternatives were judged at its first item
		}
		ok := false
		for _, g := range fs[i:] {
			if g.Key == f.Key && hasTag(tags, g) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

func firstWithKey(fs []TagFilter, key string) int {
	for i, f := range fs {
		if f.Key == key {
			return i
		}
	}
	return -1
}

func hasTag(tags []Tag, f TagFilter) bool {
	for _, t := range tags {
		if t.Key == f.Key && (f.AnyValue || t.Value == f.Value) {
			return true
		}
	}
	return false
}

package table

import (
	"strings"

	"matui/model"
	"matui/ui/text"
)

// query is the / filter, parsed once per change: fuzzy terms matched
// against a row's search text, and field terms matched against the
// instance itself:
//
//	tag:team        has a tag with key team
//	tag:team=nlp    has the tag team=nlp
//	owner:li-wei    the owner's name contains li-wei
//
// Keys, values and owners compare case-insensitively; every term must
// match.
type query struct {
	fuzzy  string
	tags   []tagTerm
	owners []string
}

type tagTerm struct {
	key, value string
	anyValue   bool
}

func parseQuery(f string) query {
	var q query
	var fuzzy []string
	for _, term := range strings.Fields(f) {
		field, v, ok := strings.Cut(term, ":")
		switch {
		case ok && strings.EqualFold(field, "tag") && v != "":
			k, val, hasVal := strings.Cut(v, "=")
			q.tags = append(q.tags, tagTerm{key: strings.ToLower(k), value: strings.ToLower(val), anyValue: !hasVal})
		case ok && strings.EqualFold(field, "owner") && v != "":
			q.owners = append(q.owners, strings.ToLower(v))
		default:
			fuzzy = append(fuzzy, term)
		}
	}
	q.fuzzy = strings.Join(fuzzy, " ")
	return q
}

func (q *query) empty() bool { return q.fuzzy == "" && len(q.tags) == 0 && len(q.owners) == 0 }

func (q *query) match(r *row) bool {
	for _, o := range q.owners {
		if !strings.Contains(strings.ToLower(r.inst.Owner), o) {
			return false
		}
	}
	for _, tt := range q.tags {
		if !hasTag(r.inst.Tags, tt) {
			return false
		}
	}
	return q.fuzzy == "" || text.Match(q.fuzzy, r.hay)
}

func hasTag(tags []model.Tag, tt tagTerm) bool {
	for _, t := range tags {
		if strings.ToLower(t.Key) == tt.key && (tt.anyValue || strings.ToLower(t.Value) == tt.value) {
			return true
		}
	}
	return false
}

// TagFilters are the tag terms of the / filter f as the service's tags
// filter takes them (client.ListOptions.Tags), as typed: the table matches
// them case-insensitively, the service as it defines, so what it answers
// is at most what the table shows.
func TagFilters(f string) []model.TagFilter {
	var out []model.TagFilter
	for _, term := range strings.Fields(f) {
		field, v, ok := strings.Cut(term, ":")
		if !ok || !strings.EqualFold(field, "tag") || v == "" {
			continue
		}
		k, val, hasVal := strings.Cut(v, "=")
		if k == "" || strings.ContainsAny(k+val, ",|") {
			continue // not a tag the service could hold; the table still matches it
		}
		out = append(out, model.TagFilter{Key: k, Value: val, AnyValue: !hasVal})
	}
	return out
}

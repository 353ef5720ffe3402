package notebook

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"matui/model"
	"matui/ui/forms"
	"matui/ui/text"
	"matui/ui/uictx"
)

// Tags, shared by create and update. Neither PUT /notebooks (§3.4, SDK
// UpdateNotebookRequestBody) nor POST /notebooks (§3.3, SDK
// NotebookCreateRequest) has a tags member: tags are their own calls
// (§3.14, POST …/tags/create and DELETE …/tags/delete). So a form with
// tags runs several calls, in order — the create or update, then the
// removals, then the additions — and stops at the first failure, saying
// what was applied (forms.RunSteps, forms.PartialError). Removals go first
// so that replacing tags never passes through more than
// model.MaxNotebookTags.

// TagsFunc adds or removes tags of a notebook (client AddNotebookTags,
// RemoveNotebookTags).
type TagsFunc func(ctx context.Context, notebookID string, tags []model.Tag) error

const keyTags = "tags"

// tagsField is the one-line tag editor, prefilled with cur: the fastest
// to type ("team=nlp, project=x") and checked as a whole (count, duplicate
// keys) as well as per tag.
func tagsField(ctx *uictx.Context, cur []model.Tag) *forms.Field {
	f := forms.NewText(ctx, keyTags, "Tags", formatTags(cur))
	f.Hint = fmt.Sprintf("key=value, comma-separated, at most %d; a key alone has an empty value", model.MaxNotebookTags)
	if why := uneditableTags(cur); why != "" {
		f.Locked = why
	}
	return f
}

// formatTags is the field's text for ts.
func formatTags(ts []model.Tag) string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = t.Key
		if t.Value != "" {
			parts[i] += "=" + t.Value
		}
	}
	return strings.Join(parts, ", ")
}

// uneditableTags says why ts cannot be edited in the one-line field (""
// when they can): a key with "=" (the rules allow it, the field splits
// there), a comma (allowed nowhere, but the service's answer is not
// trusted to follow its rules), spaces around a value (the field trims
// them) or control characters. Editing them would silently change them.
func uneditableTags(ts []model.Tag) string {
	for _, t := range ts {
		bad := strings.ContainsAny(t.Key, "=,") || strings.Contains(t.Value, ",") ||
			strings.TrimSpace(t.Value) != t.Value || strings.TrimSpace(t.Key) != t.Key ||
			text.Sanitize(t.Key) != t.Key || text.Sanitize(t.Value) != t.Value
		if bad {
			return fmt.Sprintf("the tag %q cannot be edited on one line here (=, comma, outer spaces or control characters); edit it in the console",
				text.Sanitize(t.Key))
		}
	}
	return ""
}

// parseTags reads the field: items separated by commas (no key or value
// may contain one), key and value split at the first "=" (so a key cannot
// contain "=", which the rules otherwise allow; a value can), spaces
// around each trimmed, blank items skipped. The list is checked as the
// API checks a tags body (model.TagsRequest.Validate: at most
// MaxNotebookTags, the key and value rules, no key twice).
func parseTags(s string) ([]model.Tag, error) {
	var out []model.Tag
	for _, item := range strings.Split(s, ",") {
		if strings.TrimSpace(item) == "" {
			continue
		}
		k, v, _ := strings.Cut(item, "=")
		out = append(out, model.Tag{Key: strings.TrimSpace(k), Value: strings.TrimSpace(v)})
	}
	if len(out) == 0 {
		return nil, nil
	}
	if err := (&model.TagsRequest{Tags: out}).Validate(); err != nil {
		return out, err
	}
	return out, nil
}

// diffTags is what turns old into want: the tags to remove (keys want
// lacks, as stored) and to add (new keys, and keys whose value changes:
// adding overwrites the value), each in its list's order.
func diffTags(old, want []model.Tag) (remove, add []model.Tag) {
	has := func(ts []model.Tag, key string) (model.Tag, bool) {
		i := slices.IndexFunc(ts, func(t model.Tag) bool { return t.Key == key })
		if i < 0 {
			return model.Tag{}, false
		}
		return ts[i], true
	}
	for _, t := range old {
		if _, ok := has(want, t.Key); !ok {
			remove = append(remove, t)
		}
	}
	for _, t := range want {
		if o, ok := has(old, t.Key); !ok || o.Value != t.Value {
			add = append(add, t)
		}
	}
	return remove, add
}

// withoutTags is ts without the keys of remove (a copy).
func withoutTags(ts, remove []model.Tag) []model.Tag {
	return slices.DeleteFunc(slices.Clone(ts), func(t model.Tag) bool {
		return slices.ContainsFunc(remove, func(r model.Tag) bool { return r.Key == t.Key })
	})
}

// tagsText is "k=v, k2" for the reports of the steps.
func tagsText(ts []model.Tag) string { return text.Sanitize(formatTags(ts)) }

// tagsCall is one tag call as the review shows it.
func tagsCall(method, id, suffix string, ts []model.Tag) string {
	b, _ := text.MarshalIndent(model.TagsRequest{Tags: ts})
	return method + " …/notebooks/" + text.Sanitize(id) + suffix + "\n" + string(b)
}

// tagSteps are the calls that remove and add tags of the notebook id()
// (a function: on create the ID is known only once the create answered).
func tagSteps(id func() string, remove, add []model.Tag, rm, ad TagsFunc) []forms.Step {
	var steps []forms.Step
	if len(remove) > 0 {
		steps = append(steps, forms.Step{What: "removing tags " + tagsText(remove),
			Run: func(ctx context.Context) error { return rm(ctx, id(), remove) }})
	}
	if len(add) > 0 {
		steps = append(steps, forms.Step{What: "adding tags " + tagsText(add),
			Run: func(ctx context.Context) error { return ad(ctx, id(), add) }})
	}
	return steps
}

// reportPartial is what a form says after a partial failure: the banner
// (one line) what was applied, the tags field (wrapped) what failed, why,
// and what was not sent.
func reportPartial(set *forms.Set, srv *forms.ServerErrors, p *forms.PartialError) (banner string) {
	msg := "Failed: " + p.Failed + ": " + tagsError(p.Err)
	if len(p.NotSent) > 0 {
		msg += " Not sent: " + strings.Join(p.NotSent, "; ") + "."
	}
	srv.Keep(set.Get(keyTags), msg)
	return "Applied: " + strings.Join(p.Done, "; ") + "."
}

// onlyTags is the field list a form shows once a partial failure applied
// everything but (some of) the tags: the tags field alone, its error
// shown. The full set stays the form's model; what was applied is not
// offered again.
func onlyTags(ctx *uictx.Context, set *forms.Set) *forms.Set {
	s := forms.NewSet(ctx, set.Get(keyTags))
	s.Reveal()
	return s
}

// tagsError is a failed tag call's error as the tags field shows it: the
// API's code and message, or the error itself.
func tagsError(err error) string {
	if _, msg, _ := forms.ServerFieldError(err, ""); msg != "" {
		return msg
	}
	return text.Sanitize(err.Error())
}

package sim

import (
	"cmp"
	"slices"

	"matui/model"
)

// Notebook tags (reference §3.14): POST /notebooks/{id}/tags/create,
// DELETE /notebooks/{id}/tags/delete, GET /notebooks/tags, and the tags
// filter of the lists.
//
// Rules and choices:
//
//   - Keys and values as the SDK's TmsTag documents them (model's
//     validators); a body with no tags, a bad key or value, or a key twice
//     is 6335/6336. Creating a tag whose key exists overwrites its value
//     (the CreateNotebookTags page); more than model.MaxNotebookTags tags on
//     one notebook afterwards is ModelArts.0118 ("exceeds quota") and
//     changes nothing.
//   - Delete removes the named keys whatever their value (a key has one
//     value per notebook; the SDK makes value optional); keys the notebook
//     does not have are ignored, so a repeated delete succeeds.
//   - Both answer 204 without a body (the SDK's responses have no fields)
//     and work in every notebook status: tags are metadata.
//   - workspace_id is accepted and not checked (every demo notebook is in
//     workspace "0").
//   - GET /notebooks/tags merges the tags of every notebook of the project
//     (every owner, both features), keys and values sorted.

// createTags serves POST /notebooks/{id}/tags/create.
func createTags(c *call) (any, *apiError) {
	nb, req, e := tagsRequest(c)
	if e != nil {
		return nil, e
	}
	merged := model.MergeTags(nb.tags, req.Tags)
	if len(merged) > model.MaxNotebookTags {
		return nil, errf("ModelArts.0118", "The expected number of tags (%d) exceeds the quota (%d) of instance %s.",
			len(merged), model.MaxNotebookTags, nb.id)
	}
	nb.tags = merged
	c.st.changed(nb, c.now)
	return noContent{}, nil
}

// deleteTags serves DELETE /notebooks/{id}/tags/delete.
func deleteTags(c *call) (any, *apiError) {
	nb, req, e := tagsRequest(c)
	if e != nil {
		return nil, e
	}
	n := len(nb.tags)
	nb.tags = slices.DeleteFunc(slices.Clone(nb.tags), func(t model.Tag) bool {
		return slices.ContainsFunc(req.Tags, func(d model.Tag) bool { return d.Key == t.Key })
	})
	if len(nb.tags) != n {
		c.st.changed(nb, c.now)
	}
	return noContent{}, nil
}

// tagsRequest decodes and validates a create or delete body and finds the
// notebook: the body is checked first, like every other request here.
func tagsRequest(c *call) (*notebook, model.TagsRequest, *apiError) {
	var req model.TagsRequest
	if e := decode(c.body, &req); e != nil {
		return nil, req, e
	}
	if err := req.Validate(); err != nil {
		return nil, req, validationError(err, nil)
	}
	nb, e := c.st.findNB(c.id)
	return nb, req, e
}

type tagValuesResp struct {
	Key    string   `json:"key"`
	Values []string `json:"values"`
}

type tagSummaryResp struct {
	Tags []tagValuesResp `json:"tags"`
}

// listTags serves GET /notebooks/tags.
func listTags(c *call) (any, *apiError) {
	ws := c.query.Get("workspace_id")
	byKey := map[string][]string{}
	for _, nb := range c.st.nbs {
		if ws != "" && nb.workspace != ws {
			continue
		}
		for _, t := range nb.tags {
			if !slices.Contains(byKey[t.Key], t.Value) {
				byKey[t.Key] = append(byKey[t.Key], t.Value)
			}
		}
	}
	out := tagSummaryResp{Tags: make([]tagValuesResp, 0, len(byKey))}
	for k, vs := range byKey {
		slices.Sort(vs)
		out.Tags = append(out.Tags, tagValuesResp{Key: k, Values: vs})
	}
	slices.SortFunc(out.Tags, func(a, b tagValuesResp) int { return cmp.Compare(a.Key, b.Key) })
	return out, nil
}

// tagFilter reads the lists' tags query (SDK ListNotebooksRequest.tags,
// "key|value,key2|value2"; see model.ParseTagFilter for the combination
// rule). It returns nil when there is no filter, so an unfiltered list
// pays nothing; a malformed filter is ModelArts.0107.
func tagFilter(q string) (func(*notebook) bool, *apiError) {
	fs, err := model.ParseTagFilter(q)
	if err != nil {
		// err names the item and says what is allowed: not badQuery's
		// "allowed …" tail.
		return nil, errf("ModelArts.0107", "Invalid values for parameters (tags, %s): %v.", q, err)
	}
	if fs == nil {
		return nil, nil
	}
	return func(nb *notebook) bool { return model.MatchTags(nb.tags, fs) }, nil
}
